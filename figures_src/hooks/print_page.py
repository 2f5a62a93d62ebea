"""MkDocs hook: every page readied for the print page of mkdocs-print-site-plugin (figures_src.site.print_page).

The plugin (the last of `plugins:`) keeps each page's HTML as `page.html` and
joins them into print_page/index.html in its on_post_build. This hook notes
which pages are printed (on_nav), sets `page.html` to the page's final HTML made
fit for paper (on_page_content, last of all), and then points the links to
pages not printed at those pages and lists the notebooks with their addresses
(on_post_build). Without the plugin it does nothing.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from mkdocs.plugins import event_priority  # noqa: E402

from figures_src.site import print_page  # noqa: E402

_state: dict = {}


def on_nav(nav, config, files):
    _state.clear()
    plugin = config.plugins.get("print-site")
    if plugin is None or not plugin.config.get("enabled", True):
        return nav
    from mkdocs_print_site_plugin.exclude import exclude

    own, patterns = plugin.print_page, list(plugin.config.get("exclude") or [])
    printed = {p.url for p in nav.pages if p is not own and not exclude(p.file.src_path, patterns)}
    base = (config.extra.get("build") or {}).get("site_url") or config.site_url or ""

    def sections(items):
        for item in (i for i in items if i.is_section):
            yield item.title, [(p.title, p.url) for p in item.children if p.is_page]
            yield from sections(item.children)

    _state.update(plugin=plugin, print_url=own.file.url, printed=printed,
                  pages={"" if f.url in (".", "./") else f.url for f in files.documentation_pages()},
                  online=print_page.online_sections(list(sections(nav.items)), printed, base, own.file.url))
    return nav


@event_priority(-100)  # after every other on_page_content: the print page gets the page as it is published
def on_page_content(html, page, config, files):
    if _state and page.url in _state["printed"]:  # the plugin reads page.html of the printed pages only
        page.html = print_page.prepare(html, page.url, _state["pages"], _state["printed"], _state["print_url"])
    return html


def on_post_build(config):
    path = Path(_state["plugin"].print_page.file.abs_dest_path) if _state else None
    if path is not None and path.is_file():
        text = print_page.finish(path.read_text(encoding="utf-8"), _state["print_url"], _state["online"])
        path.write_text(text, encoding="utf-8")
