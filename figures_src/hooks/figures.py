"""MkDocs hook: the figure build, the generated figure pages and the macros (see figures_src.site.assemble).

on_pre_build builds the figures (or finds them up to date) and checks every
page's macros and every claim before MkDocs touches site/; on_files adds what
the build made with File.generated (nothing is written into docs/);
on_page_markdown expands {{ figure() }}, {{ value() }}, {{ claim() }} and the
teachers page's macros.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

from figures_src.site import assemble  # noqa: E402

_state: dict = {}


def on_pre_build(config) -> None:
    try:
        _state["site"] = assemble.prepare(config.docs_dir, config.site_url, config.repo_url)
    except assemble.SiteError as exc:
        raise PluginError(str(exc)) from None


def on_files(files, config):
    _state["site"].nav = assemble.nav_pages(config.nav)  # the gallery's order; on_nav gives the titles as shown
    try:
        for uri, path, content in assemble.outputs(_state["site"]):
            files.append(File.generated(config, uri, abs_src_path=path, content=content))
    except assemble.SiteError as exc:
        raise PluginError(str(exc)) from None
    return files


def on_nav(nav, config, files):
    _state["site"].nav = [(p.file.src_uri, p.title) for p in nav.pages]
    return nav


def on_page_markdown(markdown, page, config, files):
    own = [(f.src_uri, f.content_string) for f in files.documentation_pages()
           if f.generated_by is None and f.src_uri.endswith(".md")]
    try:
        return assemble.render_page(markdown, page.file.src_uri, lambda path: get_relative_url(path, page.url),
                                    _state["site"], own)
    except assemble.SiteError as exc:
        raise PluginError(str(exc)) from None
