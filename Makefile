# The two commands of the README:
#   make serve   set up (if needed), build the figures, serve the site at http://127.0.0.1:8000
#   make test    set up (if needed), run the whole test suite (what CI runs)
# Everything else here is for maintainers.

VENV    ?= .venv
PY      := $(VENV)/bin/python
MKDOCS  := NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve test build figures snapshots bench clean lint deploy serve-versions pack pdf train

setup:
	@bash scripts/setup.sh

serve: setup
	$(MKDOCS) serve --livereload --dev-addr 127.0.0.1:8000

test: setup
	$(PY) -m pytest

build: setup
	$(MKDOCS) build --strict

figures: setup
	$(PY) -m figures_src build

# Rewrite the committed data snapshots on purpose, after a change to the math
# or the examples; review the diff under tests/snapshots/ before committing.
snapshots: setup
	$(PY) -m figures_src snapshots --write

# Versions (mike): deploy the current commit as VERSION to the local gh-pages
# branch (PUSH=1 to push), then serve every deployed version locally.
deploy: setup
	bash scripts/deploy.sh $(VERSION)

serve-versions: setup
	$(VENV)/bin/mike serve --dev-addr 127.0.0.1:8000

# The teacher pack: every figure (SVG, PDF, PNG), video (with captions) and data table (CSV) of
# this version, with the licence and how to cite, as dist/self-attention-visually-<version>-teacher-pack.zip.
# FIGURES_QUALITY=publish make pack for the release quality.
# With the print page as a PDF inside: `make pdf` runs first.
pack: pdf
	$(PY) -m figures_src pack --quality $${FIGURES_QUALITY:-draft} --pdf

# The print page (print_page/ of the site `make build` leaves in site/) printed to A4 by headless
# Chromium, once images, fonts and math are ready: dist/self-attention-visually-<version>.pdf.
pdf: build
	$(PY) -m figures_src pdf --site site

bench: setup
	$(PY) benchmarks/build.py

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf site .cache

# The tiny model: retrain it in its own environment (PyTorch 2.13 CPU; the build and the tests never need it),
# then refresh the golden values its numpy forward pass is checked against. Review the diff before committing.
train:
	python3 -m venv .venv-train
	.venv-train/bin/python -m pip install -q --disable-pip-version-check -r training/requirements.txt
	.venv-train/bin/python training/train_tiny.py
	.venv-train/bin/python tests/golden/make_tiny_golden.py
