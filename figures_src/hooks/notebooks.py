"""MkDocs hook: the executed notebooks as pages, each with its .ipynb and .py to download, and the wheel they install.

on_pre_build executes what changed (figures_src.notebooks; a failing cell stops
the build naming the notebook and cell); on_files, before mkdocs-jupyter's,
swaps each docs/notebooks/<name>.py for its executed notebook (File.generated:
nothing is written into docs/), serves the wheel of attention_ref at
downloads/<wheel> (figures_src.notebooks.wheel) and puts the cell that
installs it first in each downloaded .ipynb (figures_src.notebooks.download);
on_page_content adds the downloads box and KaTeX math. mkdocs-jupyter only renders (`execute: false`).
Settings: NOTEBOOKS_CACHE=DIR, NOTEBOOKS_JOBS=N, ATTENTION_EXAMPLES.
"""

import os
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from figures_src.notebooks import download, execute, pages, wheel  # noqa: E402

_state: dict = {}


def on_pre_build(config) -> None:
    directory = Path(config.docs_dir) / pages.SECTION
    jobs = int(os.environ["NOTEBOOKS_JOBS"]) if os.environ.get("NOTEBOOKS_JOBS") else None
    try:
        _state["results"] = execute.execute_all(directory=directory, jobs=jobs, log=sys.stderr)
    except execute.NotebookError as exc:
        raise PluginError(str(exc)) from None
    _state["sources"] = {name: nb.source for name, nb in execute.discover(directory).items()}
    try:
        _state["wheel"] = wheel.cached_wheel()
    except (OSError, wheel.WheelError) as exc:
        raise PluginError(f"the notebooks' wheel: {exc}") from None
    _state["wheel_name"] = wheel.wheel_name()
    # The site's address (with the version mike deploys it under), if it has one.
    base = (config.extra.get("build") or {}).get("site_url") or config.site_url
    _state["wheel_url"] = download.absolute_url(base, pages.wheel_uri(_state["wheel_name"]))


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the .ipynb pages into notebook pages
def on_files(files, config):
    for f in [f for f in files if pages.unpublished(f.src_uri)]:
        files.remove(f)
    _state["pages"] = {}
    wheel_name, wheel_url = _state["wheel_name"], _state["wheel_url"]
    files.append(File.generated(config, pages.wheel_uri(wheel_name), abs_src_path=str(_state["wheel"])))
    for name, result in _state["results"].items():
        files.append(File.generated(config, pages.page_uri(name), abs_src_path=str(result.path)))
        # In memory, so that mkdocs-jupyter (which matches *.ipynb by path) leaves it a plain download.
        ipynb = download.downloaded(result.path.read_bytes(), wheel_name, wheel_url)
        files.append(File.generated(config, pages.download_uri(name, ".ipynb"), content=ipynb))
        files.append(File.generated(config, pages.download_uri(name, ".py"), abs_src_path=str(_state["sources"][name])))
        _state["pages"][pages.page_uri(name)] = name
    _state["css"] = File.generated(config, pages.CSS_URI, content="")  # filled in by on_page_content
    files.append(_state["css"])
    _state["styles"] = pages.SharedStyles()
    return files


def on_nav(nav, config, files):
    # mkdocs-jupyter 0.26 wraps a notebook page's File in a NotebookFile that recomputes abs_src_path
    # from src_dir, which a generated file does not have: give it the executed notebook's path.
    for uri in _state.get("pages", {}):
        f = files.get_file_from_path(uri)
        inner = getattr(f, "file", None)
        if inner is not None and inner.abs_src_path and f.abs_src_path != inner.abs_src_path:
            f.abs_src_path = inner.abs_src_path
    return nav


def on_page_content(html, page, config, files):
    name = _state.get("pages", {}).get(page.file.src_uri)
    if name is None:
        return html
    rel = lambda uri: get_relative_url(uri, page.url)  # noqa: E731
    wheel_name, wheel_url = _state["wheel_name"], _state["wheel_url"]
    links = pages.Links(ipynb=rel(pages.download_uri(name, ".ipynb")), py=rel(pages.download_uri(name, ".py")),
                        css=rel(pages.CSS_URI), wheel=rel(pages.wheel_uri(wheel_name)), wheel_name=wheel_name,
                        wheel_url=wheel_url, install=download.install_line(wheel_name, wheel_url))
    try:
        html, styles = pages.rewrite(html, name, f"docs/{pages.SECTION}/{name}.py", links)
    except pages.PageError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    _state["css"].content_string = _state["styles"].add(styles)
    return html
