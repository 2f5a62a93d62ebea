"""The MkDocs hook places the figure build's output, and stops the site build on any figure error.

Each test makes a small MkDocs project in tmp_path (its own mkdocs.yml with
hooks: pointing at figures_src/hooks/figures.py, one or two pages) and runs
`mkdocs build --strict` in a subprocess. The hook runs `python -m
figures_src build` from the repository root in a further subprocess, so the
throwaway figures reach it through the environment only (FIGURES_PACKAGES,
FIGURES_CACHE, PYTHONPATH): that these tests see them proves it passes through.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from real_figures import real_figures  # noqa: E402
from throwaway_figures import ROOT  # noqa: E402

MKDOCS = [sys.executable, "-m", "mkdocs"]
HOOK = ROOT / "figures_src" / "hooks" / "figures.py"


def make_project(base: Path, pages: dict[str, str]) -> Path:
    project = base / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Hook test\n"
        "site_url: https://example.org/hook-test/\n"
        "strict: true\n"
        "theme:\n  name: mkdocs\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - tables\n"
        f"hooks:\n  - {HOOK}\n"
    )
    for name, text in pages.items():
        (project / "docs" / name).write_text(text)
    return project


def mkdocs_build(project: Path, site: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*MKDOCS, "build", "--strict", "-d", str(site)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


def tree(site: Path) -> dict[str, tuple]:
    return {str(p.relative_to(site)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(site.rglob("*")) if p.is_file()}


INDEX = '# Home\n\nThe value is {{ value("fig-a", "value", "int") }}.\n\n{{ figure("fig-a") }}\n'


@pytest.fixture
def project(figures, tmp_path):
    figures.add("fig-a", value=7)
    figures.add("fig-b", value=8)
    return make_project(tmp_path, {"index.md": INDEX, "other.md": '# Other\n\n{{ figure("fig-b") }}\n'})


def test_the_site_gets_every_figure_file_and_page(project, figures, tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"

    proc = mkdocs_build(project, site, figures.env(FIGURES_CACHE=str(cache)))

    assert proc.returncode == 0, proc.stderr
    for fid in ("fig-a", "fig-b"):
        for name in (f"{fid}.light.svg", f"{fid}.dark.svg", f"{fid}.light.png", f"{fid}.dark.png", f"{fid}.json",
                     "index.html"):
            assert (site / "figures" / fid / name).is_file(), name
        assert not (site / "figures" / fid / "manifest.json").exists()
        page = (site / "figures" / fid / "index.html").read_text()
        assert f"Caption of {fid}." in page and "Cite this figure" in page
    assert (site / "figures" / "index.html").is_file()  # the gallery
    home = (site / "index.html").read_text()
    assert "The value is 7." in home
    assert 'src="figures/fig-a/fig-a.light.svg#only-light"' in home
    assert "{{" not in home
    # the environment reached the figure build: it used this cache and these figures
    assert (cache / "render" / "fig-a").is_dir() and (cache / "last-build-draft.json").is_file()
    assert not (ROOT / ".cache" / "figures" / "render" / "fig-a").exists()


def test_an_unknown_id_fails_the_build_and_leaves_the_old_site_untouched(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    assert mkdocs_build(project, site, env).returncode == 0
    before = tree(site)
    (project / "docs" / "broken.md").write_text('# Broken\n\n{{ figure("fig-nope") }}\n')

    proc = mkdocs_build(project, site, env)

    assert proc.returncode != 0
    assert "broken.md" in proc.stderr and "'fig-nope'" in proc.stderr
    assert tree(site) == before


def test_a_failing_figure_fails_the_build_with_its_id(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    assert mkdocs_build(project, site, env).returncode == 0
    before = tree(site)
    figures.add("fig-bad", render="raise")

    proc = mkdocs_build(project, site, env)

    assert proc.returncode != 0
    assert "fig-bad" in proc.stderr and "boom while drawing fig-bad" in proc.stderr
    assert tree(site) == before


def test_a_module_that_cannot_be_imported_fails_the_build_with_its_name(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    assert mkdocs_build(project, site, env).returncode == 0
    before = tree(site)
    figures.add("fig-syntax", source="def data(examples:\n    return {}\n")

    proc = mkdocs_build(project, site, env)

    assert proc.returncode != 0
    assert "fig_syntax" in proc.stderr and "SyntaxError" in proc.stderr, proc.stderr[-2000:]
    assert tree(site) == before


def test_a_malformed_examples_file_fails_the_build_naming_file_and_entry(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    assert mkdocs_build(project, site, env).returncode == 0
    before = tree(site)
    bad = tmp_path / "teacher.toml"
    bad.write_text(figures.examples.read_text().replace('focus = "it"', 'focus = "dog"', 1))
    assert bad.read_text() != figures.examples.read_text()

    proc = mkdocs_build(project, site, {**env, "ATTENTION_EXAMPLES": str(bad)})

    assert proc.returncode != 0
    assert str(bad) in proc.stderr and "focus 'dog' is not a word of the sentence" in proc.stderr, proc.stderr[-2000:]
    assert tree(site) == before


def test_nothing_changed_means_no_build_process_and_a_change_means_one(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    first = mkdocs_build(project, site, env)
    assert first.returncode == 0, first.stderr
    assert "4 renders: 4 rendered" in first.stderr  # the build process reports its summary

    warm = mkdocs_build(project, site, env)
    assert warm.returncode == 0, warm.stderr
    assert "renders:" not in warm.stderr  # fast path: the last build's report, no process started

    with open(figures.module("fig-b"), "a") as f:
        f.write("# edited\n")
    changed = mkdocs_build(project, site, env)
    assert changed.returncode == 0, changed.stderr
    assert "2 rendered, 2 cached" in changed.stderr
    assert "rendered fig-b" in changed.stderr and "rendered fig-a" not in changed.stderr

    no_fast = mkdocs_build(project, site, {**env, "FIGURES_FAST_PATH": "0"})
    assert "4 renders: 0 rendered, 4 cached" in no_fast.stderr


def test_skip_build_places_the_last_build_without_building(project, figures, tmp_path):
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    skip = {**env, "FIGURES_SKIP_BUILD": "1"}
    nothing_yet = mkdocs_build(project, site, skip)
    assert nothing_yet.returncode != 0 and "FIGURES_SKIP_BUILD" in nothing_yet.stderr
    assert mkdocs_build(project, site, env).returncode == 0
    figures.add("fig-bad", render="raise")  # a build now would fail

    proc = mkdocs_build(project, site, skip)

    assert proc.returncode == 0, proc.stderr
    assert (site / "figures" / "fig-a" / "fig-a.light.svg").is_file()
    assert not (site / "figures" / "fig-bad").exists()


@pytest.mark.slow
def test_the_real_site_builds_with_every_figure(built_site):
    """The repository's own mkdocs.yml and docs (the session's strict build, conftest.py): every figure is there."""
    site = built_site
    for fid, fig in real_figures().items():
        assert (site / "figures" / fid / "index.html").is_file(), fid
        assert (site / "figures" / fid / f"{fid}.json").is_file(), fid
        main = f"{fid}.light.svg" if fig.kind == "matplotlib" else f"{fid}.mp4"
        assert (site / "figures" / fid / main).is_file(), main


IN_PROCESS = """
import json, os, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
build(load_config(config_file=sys.argv[1], site_dir=sys.argv[2]))
packages = os.environ["FIGURES_PACKAGES"].split(",") + ["figures_src.figures", "figures_src.scenes"]
print(json.dumps(sorted(m for m in sys.modules if any(m.startswith(p + ".") for p in packages))))
"""


def test_a_warm_build_imports_no_figure_module_not_even_for_the_teachers_page(project, figures, tmp_path):
    (project / "docs" / "teachers.md").write_text("# For teachers\n\n{{ teacher_figures() }}\n")
    figures.add("fig-c", value=9)
    (figures.module("fig-c")).write_text(figures.module("fig-c").read_text() + '\nLECTURE = "Ask first."\n')
    site, env = tmp_path / "site", figures.env(FIGURES_CACHE=str(tmp_path / "cache"))
    assert mkdocs_build(project, site, env).returncode == 0
    warm = subprocess.run([sys.executable, "-c", IN_PROCESS, str(project / "mkdocs.yml"), str(site)], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip().splitlines()[-1] == "[]", "a warm build imported figure modules"
    assert "Ask first." in (site / "teachers" / "index.html").read_text()  # the LECTURE line, from the report
