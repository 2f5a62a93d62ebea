"""The second thin MkDocs hook: the executed notebooks as pages, each with its .ipynb to download.

- on_pre_build: execute the notebooks whose cache key changed
  (`figures_src.notebooks`); a cell that raises stops the build with the
  notebook, the cell and the error. mkdocs-jupyter then only renders
  (`execute: false`): it never runs a notebook itself, and it never renders
  an error into a page.
- on_files (before mkdocs-jupyter's): replace each docs/notebooks/<name>.py by
  its executed notebook from the cache, as the page notebooks/<name>.ipynb,
  and add notebooks/<name>/<name>.ipynb and <name>.py beside the page as
  downloads, all with File.generated: nothing is ever written into docs/, so
  `mkdocs serve` does not loop.
- on_page_content: on those pages, put the download and "run it locally" box
  under the title, hand the notebook's math to the site's KaTeX, and drop the
  scripts nbconvert's template would load from other hosts
  (`figures_src.notebook_pages`).

Settings (environment variables): NOTEBOOKS_CACHE=DIR (default .cache/notebooks),
NOTEBOOKS_JOBS=N (kernels at once, default the number of cores), ATTENTION_EXAMPLES.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Import figures_src from the checkout this mkdocs.yml belongs to (as site_hook.py does).
_ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != _ROOT:
    sys.path.insert(0, _ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from figures_src import notebook_pages, notebooks  # noqa: E402

SECTION = "notebooks"  # the folder in docs/ and on the site
CSS_URI = "assets/notebooks/notebook.css"  # the JupyterLab CSS every notebook page links
KEEP_OFF = (".py", ".ipynb", "ruff.toml")  # files of docs/notebooks/ that are not published as they are
CHECKPOINTS = ".ipynb_checkpoints/"
_state: dict = {}


def on_pre_build(config) -> None:
    directory = Path(config.docs_dir) / SECTION
    jobs = int(os.environ["NOTEBOOKS_JOBS"]) if os.environ.get("NOTEBOOKS_JOBS") else None
    try:
        results = notebooks.execute_all(directory=directory, jobs=jobs)
    except notebooks.NotebookError as exc:
        raise PluginError(str(exc)) from None
    executed = [r for r in results.values() if r.status == "executed"]
    if executed:
        took = ", ".join(f"{r.name} {r.seconds:.1f} s" for r in executed)
        print(f"notebooks: executed {took}; {len(results) - len(executed)} cached", file=sys.stderr)
    _state["results"] = results
    _state["sources"] = {name: nb.source for name, nb in notebooks.discover(directory).items()}


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the .ipynb pages into notebook pages
def on_files(files, config):
    results, sources = _state["results"], _state["sources"]
    for f in list(files):
        # The jupytext sources (replaced below by their executed notebooks), a notebook made
        # from one by hand (it would clash with the page), Jupyter's checkpoints, the lint config.
        if f.src_uri.startswith(f"{SECTION}/") and (f.src_uri.endswith(KEEP_OFF) or CHECKPOINTS in f.src_uri):
            files.remove(f)
    pages = {}
    for name, result in results.items():
        page = File.generated(config, f"{SECTION}/{name}.ipynb", abs_src_path=str(result.path))
        files.append(page)
        # In memory, so that mkdocs-jupyter (which matches *.ipynb by path) leaves it a plain download.
        files.append(File.generated(config, download_uri(name, ".ipynb"), content=result.path.read_bytes()))
        files.append(File.generated(config, download_uri(name, ".py"), abs_src_path=str(sources[name])))
        pages[page.src_uri] = name
    # The notebook pages' shared CSS: filled in by on_page_content, before MkDocs writes any file.
    css = File.generated(config, CSS_URI, content="")
    files.append(css)
    _state.update(pages=pages, css=css, styles={})
    return files


def on_nav(nav, config, files):
    # mkdocs-jupyter 0.26 wraps each notebook page's File in a NotebookFile that
    # recomputes abs_src_path from src_dir, which a generated file does not have
    # (it would read None and fail). Give the wrapper the path of the executed notebook.
    for uri in _state.get("pages", {}):
        f = files.get_file_from_path(uri)
        inner = getattr(f, "file", None)
        if inner is not None and inner.abs_src_path and f.abs_src_path != inner.abs_src_path:
            f.abs_src_path = inner.abs_src_path
    return nav


def download_uri(name: str, suffix: str) -> str:
    return f"{SECTION}/{name}/{name}{suffix}"


def on_page_content(html, page, config, files):
    name = _state.get("pages", {}).get(page.file.src_uri)
    if name is None:
        return html
    links = notebook_pages.Links(
        ipynb=get_relative_url(download_uri(name, ".ipynb"), page.url),
        py=get_relative_url(download_uri(name, ".py"), page.url),
        css=get_relative_url(CSS_URI, page.url),
    )
    try:
        html, styles = notebook_pages.rewrite(html, name, f"docs/{SECTION}/{name}.py", links)
    except notebook_pages.PageError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    for css in styles:  # the union over all notebook pages, in the order they appear
        _state["styles"].setdefault(css, None)
    _state["css"].content_string = "\n\n".join(_state["styles"]) + "\n"
    return html
