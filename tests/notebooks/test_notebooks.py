"""The notebooks of docs/notebooks/: they run, they print the figures' numbers, they are cached by content.

Execution goes through figures_src.notebooks (as the site build does) into a
temporary cache, never the project's. Executing all five notebooks takes
some 15 s on two cores, so that test is marked slow; the walk-through
notebook's numbers, the cache key and the error message are checked in the
ordinary run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from attention_ref import load_examples
from figures_src.figures import softmax_pie_it
from figures_src.kit.formats import fmt
from figures_src.notebooks import download
from figures_src.notebooks import execute as notebooks
from figures_src.notebooks import pages as notebook_pages

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(notebooks.discover())


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    """One temporary notebook cache for the session: a notebook executed by one test is a hit for the next."""
    return tmp_path_factory.mktemp("notebook-cache")


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


# --------------------------------------------------------------------------- every notebook runs


def test_the_five_notebooks_are_there():
    assert set(NAMES) == {"from-scratch", "your-sentence", "why-sqrt-dk", "heads-and-masks", "check-against-pytorch"}


@pytest.fixture(scope="session")
def executed(cache) -> dict[str, notebooks.Result]:
    before = sorted(p.name for p in notebooks.NOTEBOOKS_DIR.iterdir())
    results = notebooks.execute_all(cache=cache)
    after = sorted(p.name for p in notebooks.NOTEBOOKS_DIR.iterdir())
    assert after == before, "executing the notebooks wrote into docs/notebooks/"
    return results


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_notebook_executes_without_error(executed, name):
    nb = nbformat.read(executed[name].path, as_version=4)
    cells = code_cells(nb)
    assert cells and all(c.execution_count for c in cells), "every code cell ran"
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert any(c.outputs for c in cells), "the notebook shows something"
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_pictures_are_inline_pngs(executed):
    for name in ("your-sentence", "why-sqrt-dk", "heads-and-masks"):
        nb = nbformat.read(executed[name].path, as_version=4)
        pngs = [o for c in code_cells(nb) for o in c.outputs if "image/png" in o.get("data", {})]
        assert pngs, f"{name} shows no picture"


@pytest.mark.slow
def test_the_same_source_gives_a_byte_identical_notebook(tmp_path):
    # No timestamps, no random cell ids, prints joined however they were flushed.
    first, second = (
        notebooks.execute_all(["from-scratch"], cache=tmp_path / run, force=True)["from-scratch"]
        for run in ("first", "second")
    )
    assert first.path.read_bytes() == second.path.read_bytes()


def test_print_chunks_are_joined_whatever_their_timing():
    chunks = [
        {"output_type": "stream", "name": "stdout", "text": "a\n"},
        {"output_type": "stream", "name": "stdout", "text": "b\n"},
        {"output_type": "display_data", "data": {}},
        {"output_type": "stream", "name": "stdout", "text": "c\n"},
        {"output_type": "stream", "name": "stderr", "text": "d\n"},
    ]
    merged = notebooks._coalesce_streams(chunks)
    assert [o.get("text") for o in merged] == ["a\nb\n", None, "c\n", "d\n"]


# --------------------------------------------------------------------------- the walk-through's numbers


def test_from_scratch_prints_the_numbers_the_figure_draws(cache):
    result = notebooks.execute_all(["from-scratch"], cache=cache)["from-scratch"]
    nb = nbformat.read(result.path, as_version=4)
    tagged = [c for c in code_cells(nb) if "focus-weights" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "the cell tagged focus-weights prints the focus row"
    # Each printed row: word, score, scaled score, weight (the header row has no "%" and is skipped).
    rows = re.findall(r"^  (\S+)\s+(\S+)\s+(\S+)\s+(\S+%)$", stdout(tagged[0]), re.M)
    data = softmax_pie_it.data(load_examples())
    # Formatted as the figure formats them: its labels are the weights column, exactly.
    assert [r[0] for r in rows] == data["tokens"]
    assert [r[1] for r in rows] == [fmt(s, "f2") for s in data["scores"]]
    assert [r[2] for r in rows] == [fmt(s, "f2") for s in data["scaled"]]
    assert [r[3] for r in rows] == softmax_pie_it.labels(data)
    assert f"{data['top_word']!r} with {fmt(data['top_weight'], 'pct')}" in stdout(code_cells(nb)[-1])


# --------------------------------------------------------------------------- the cache key


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of every file the fingerprint reads, to change one at a time."""
    for sub in notebooks.SOURCE_TREES:
        shutil.copytree(ROOT / sub, tmp_path / sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests" / "golden", tmp_path / "tests" / "golden")
    return tmp_path


def key_of(root: Path, name: str = "from-scratch", examples: Path | None = None, source: Path | None = None) -> str:
    nb = notebooks.Notebook(name, source or notebooks.NOTEBOOKS_DIR / f"{name}.py")
    return notebooks.notebook_key(nb, notebooks.fingerprint(examples or root / "attention_ref" / "examples.toml", root))


def test_the_key_is_the_same_in_another_process(tree):
    # A fresh interpreter has another hash seed and import order: the key must not depend on either.
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
            "from test_notebooks import key_of; print(key_of(Path(sys.argv[2])))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    out = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), str(tree)], env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == key_of(tree)


@pytest.mark.parametrize(
    "changed",
    [
        "attention_ref/softmax.py",
        "figures_src/figures/softmax_pie_it.py",
        "figures_src/kit/formats.py",
        "attention_ref/examples.toml",
        "tests/golden/sdpa.npz",
    ],
)
def test_the_key_changes_with_the_math_the_figures_the_examples_and_the_golden_data(tree, changed):
    before = key_of(tree)
    path = tree / changed
    path.write_bytes(path.read_bytes() + (b"\n# changed\n" if path.suffix != ".npz" else b"\0"))
    assert key_of(tree) != before, f"editing {changed} must re-execute the notebooks"


def test_a_new_source_file_changes_the_key(tree):
    before = key_of(tree)
    (tree / "attention_ref" / "extra.py").write_text("X = 1\n")
    assert key_of(tree) != before


def test_the_key_changes_with_the_notebook_and_with_torch(tree, monkeypatch, tmp_path):
    before = key_of(tree)
    source = tmp_path / "from-scratch.py"
    source.write_text(notebooks.NOTEBOOKS_DIR.joinpath("from-scratch.py").read_text() + "\n# %%\nprint(1)\n")
    assert key_of(tree, source=source) != before
    real = notebooks._version
    monkeypatch.setattr(notebooks, "_version", lambda p: "9.9" if p == "torch" else real(p))
    assert key_of(tree) != before, "installing torch changes what check-against-pytorch shows"


def test_the_key_ignores_files_the_notebooks_do_not_read(tree):
    before = key_of(tree)
    (tree / "README.md").write_text("changed")
    (tree / "attention_ref" / "__pycache__").mkdir(exist_ok=True)
    (tree / "attention_ref" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert key_of(tree) == before


# --------------------------------------------------------------------------- execution, caching, failures


def write_notebook(folder: Path, name: str, *cells: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text("\n\n".join(["# %% [markdown]\n# # A test notebook", *(f"# %%\n{c}" for c in cells)]) + "\n")
    return path


def test_a_failing_cell_names_the_notebook_the_cell_and_the_error(tmp_path):
    folder = tmp_path / "nbs"
    write_notebook(folder, "fine", "print('ok')")
    write_notebook(folder, "broken", "x = 1", "import math\nraise ValueError(f'no good: {math.pi:.2f}')")
    with pytest.raises(notebooks.NotebookError) as info:
        notebooks.execute_all(directory=folder, cache=tmp_path / "cache")
    message = str(info.value)
    assert "notebook broken" in message and "broken.py" in message
    assert "cell 3 (code cell 2, line 8: 'import math')" in message
    assert "ValueError: no good: 3.14" in message
    cached = sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache").glob("*.ipynb"))
    assert cached == ["fine"], "the notebook that ran is cached, the broken one is not"


def test_an_unchanged_notebook_is_not_executed_again_and_a_changed_one_is(tmp_path):
    folder, cache = tmp_path / "nbs", tmp_path / "cache"
    source = write_notebook(folder, "tiny", "import os, sys\nprint(os.getcwd())\nprint(sys.executable)")
    first = notebooks.execute_all(directory=folder, cache=cache)["tiny"]
    assert first.status == "executed" and first.path.exists()
    cwd, python = stdout(code_cells(nbformat.read(first.path, as_version=4))[0]).split()
    assert "nbs" not in cwd, "the kernel runs in a temporary folder, not beside the source (docs/)"
    assert python == sys.executable, "the kernel is this Python, whatever kernelspecs the user has"
    second = notebooks.execute_all(directory=folder, cache=cache)["tiny"]
    assert (second.status, second.path) == ("cached", first.path)
    source.write_text(source.read_text().replace("getcwd()", "getcwd(), 2"))
    third = notebooks.execute_all(directory=folder, cache=cache)["tiny"]
    assert third.status == "executed" and third.path != first.path
    assert not list(cache.glob(".*.tmp")), "no temporary file is left behind"


def test_the_cache_keeps_the_three_most_recently_used_versions_of_a_notebook(tmp_path):
    now = time.time()
    for i in range(6):  # a-f: f used most recently; e, f are also within the grace period
        p = tmp_path / f"tiny-{chr(ord('a') + i) * 20}.ipynb"
        p.write_text("{}")
        age = 3600 * (5 - i) if i < 4 else 60
        os.utime(p, (now - age, now - age))
    (tmp_path / f"tiny-other-{'0' * 20}.ipynb").write_text("{}")  # another notebook: untouched
    notebooks._prune(tmp_path, "tiny")
    left = sorted(p.name.split("-")[1][0] for p in tmp_path.glob("tiny-*.ipynb") if "other" not in p.name)
    assert left == ["d", "e", "f"]
    assert (tmp_path / f"tiny-other-{'0' * 20}.ipynb").exists()


def test_an_unknown_notebook_name_is_an_error(tmp_path):
    with pytest.raises(notebooks.NotebookError, match="unknown notebook.*known: .*from-scratch"):
        notebooks.execute_all(["nope"], cache=tmp_path)


# --------------------------------------------------------------------------- the page


PAGE = """<style type="text/css">.a{}</style>
<div class="jupyter-wrapper"><div class="jp-Cell jp-MarkdownCell">
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">
<h1 id="t">Title</h1><p>Scores $Q K^\\top$ over $$\\sqrt{d_k}$$, in <code>$HOME</code>, costs $5 and $6.</p>
</div></div></div>
<!-- Load mathjax -->
<script src=""> </script><script type="text/x-mathjax-config">init_mathjax();</script>
<!-- End of mathjax configuration --><script type="module">await import("https://cdn.example/mermaid.mjs")</script>
<style>.b{}</style><style>['pre { }']</style>"""


def rewrite(page: str = PAGE):
    links = notebook_pages.Links(ipynb="nb.ipynb", py="nb.py", css="../../assets/notebooks/notebook.css",
                                 wheel="../../downloads/w-1-py3-none-any.whl", wheel_name="w-1-py3-none-any.whl",
                                 install=download.install_line("w-1-py3-none-any.whl"))
    return notebook_pages.rewrite(page, "nb", "docs/notebooks/nb.py", links)


def test_the_page_asks_no_other_host_and_links_one_stylesheet():
    html, styles = rewrite()
    assert "mathjax" not in html.lower() and "mermaid" not in html and "<script" not in html
    assert "<style" not in html
    assert html.count('<link rel="stylesheet" href="../../assets/notebooks/notebook.css">') == 1
    assert styles == [".a{}", ".b{}"], "the Python-list repr mkdocs-jupyter appends is dropped"


def test_markdown_math_goes_to_katex_but_code_and_prices_stay():
    html, _ = rewrite()
    assert r'<span class="arithmatex">\(Q K^\top\)</span>' in html
    assert r'<span class="arithmatex">\[\sqrt{d_k}\]</span>' in html
    assert "<code>$HOME</code>" in html and "costs $5 and $6." in html


def test_the_download_box_sits_under_the_title():
    html, _ = rewrite()
    box = html.index("sav-notebook-run")
    assert html.index("</h1>") < box < html.index("Scores")
    assert 'href="nb.ipynb" download' in html and 'href="nb.py" download' in html
    assert 'href="../../downloads/w-1-py3-none-any.whl" download' in html, "the wheel is linked beside the notebook"
    assert "<code>%pip install numpy matplotlib ./w-1-py3-none-any.whl</code>" in html
    assert "downloaded into the notebook's folder" in html
    assert "clone" not in html and "make setup" not in html, "a reader needs no clone of the repository"


def test_a_script_from_another_host_stops_the_page():
    with pytest.raises(notebook_pages.PageError, match="another host"):
        rewrite('<h1>T</h1><img src="https://example.org/x.png">')


# --------------------------------------------------------------------------- the site's configuration


def test_mkdocs_yml_renders_the_executed_notebooks_without_running_them():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    hooks = config["hooks"]
    assert hooks.index("figures_src/hooks/notebooks.py") > hooks.index("figures_src/hooks/figures.py")
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in config["plugins"]}
    assert "search" in plugins, "plugins: replaces the default list; search must be named"
    jupyter = plugins["mkdocs-jupyter"]["mkdocs-jupyter"]
    assert jupyter["execute"] is False and jupyter["allow_errors"] is False
    assert jupyter["include"] == ["*.ipynb"] and jupyter["include_requirejs"] is False


def test_every_notebook_is_in_the_nav_and_nothing_else_is():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    section = next(item["Notebooks"] for item in config["nav"] if isinstance(item, dict) and "Notebooks" in item)
    pages = [next(iter(entry.values())) for entry in section]
    assert sorted(pages) == sorted(f"notebooks/{n}.ipynb" for n in NAMES)
    top = [next(iter(item)) if isinstance(item, dict) else item for item in config["nav"]]
    assert top.index("Notebooks") == top.index("References") + 1
