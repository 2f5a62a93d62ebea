"""The thin MkDocs hook that readies the pages for the print page of mkdocs-print-site-plugin.

The plugin (the last of `plugins:` in mkdocs.yml) keeps each page's HTML as
`page.html` in its on_page_content and joins them into print_page/index.html
in its on_post_build. This hook (hooks run after the plugins):

- on_nav: notes which pages the print page holds (the nav's pages minus the
  plugin's `exclude`);
- on_page_content, last of all: sets `page.html` to the page's final HTML
  (after the other hooks, e.g. the notebook pages' rewrite) made fit for
  paper by `figures_src.print_page.prepare`;
- on_post_build (after the plugin has written the print page): the links to
  pages that are not printed point to those pages, and a nav section none of
  whose pages is printed (the notebooks) lists them with their URLs under its
  heading (`print_page.finish`).

Without the plugin (or with `enabled: false`) it does nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != _ROOT:
    sys.path.insert(0, _ROOT)

from mkdocs.plugins import event_priority  # noqa: E402

from figures_src import print_page  # noqa: E402

_state: dict = {}


def _plugin(config):
    plugin = config.plugins.get("print-site")
    if plugin is None or not plugin.config.get("enabled", True):
        return None
    return plugin


def on_nav(nav, config, files):
    _state.clear()
    plugin = _plugin(config)
    if plugin is None:
        return nav
    from mkdocs_print_site_plugin.exclude import exclude

    patterns = list(plugin.config.get("exclude") or [])
    own = plugin.print_page
    printed = {p.url for p in nav.pages if p is not own and not exclude(p.file.src_path, patterns)}
    base = (config.extra.get("build") or {}).get("site_url") or config.site_url or ""
    online = {}  # the nav sections none of whose pages is printed: their pages, online
    for section in _sections(nav.items):
        pages = [p for p in section.children if p.is_page]
        if pages and not any(p.url in printed for p in pages):
            online[section.title] = [(p.title, _url(base, p.url, own.file.url)) for p in pages]
    _state.update(
        plugin=plugin,
        print_url=own.file.url,
        pages={"" if f.url in (".", "./") else f.url for f in files.documentation_pages()},  # as Page.url has it
        printed=printed,
        online=online,
    )
    return nav


def _sections(items):
    for item in items:
        if item.is_section:
            yield item
            yield from _sections(item.children)


def _url(base: str, page_url: str, print_url: str) -> str:
    """The page's address on the published site (the paper reader needs a whole URL), else relative."""
    if base:
        return base.rstrip("/") + "/" + page_url
    return print_page.relative_to(page_url, print_url)


@event_priority(-100)  # after every other on_page_content: the print page gets the page as it is published
def on_page_content(html, page, config, files):
    if _state and page.url in _state["printed"]:  # the plugin reads page.html of the printed pages only
        page.html = print_page.prepare(html, page.url, _state["pages"], _state["printed"], _state["print_url"])
    return html


def on_post_build(config):
    if not _state:
        return
    path = Path(_state["plugin"].print_page.file.abs_dest_path)
    if path.is_file():
        text = print_page.finish(path.read_text(encoding="utf-8"), _state["print_url"], _state["online"])
        path.write_text(text, encoding="utf-8")
