"""Each page's HTML made fit for the one printable page (mkdocs-print-site-plugin's print_page/).

No MkDocs here: plain strings in, out. The print-site plugin copies every
page's HTML into print_page/index.html and fixes the URLs of <a href> and
<img src> for their new place; `prepare()` runs on each page before that,
`finish()` on the combined page after it:

- a video becomes its still image: paper cannot play it, and the poster,
  MP4 and caption URLs of <video> are not ones the plugin moves;
- of a figure's light and dark images only the light one is kept, without
  its #only-light mark (Material would hide it in the dark palette): paper
  is white whatever palette the reader chose;
- no image is lazy, or a printer would get empty boxes for the images it
  had not scrolled to;
- a link to a page that is not printed (a figure's own page, the gallery,
  the changelog) leaves the print page for that page instead of pointing to
  an anchor that is not there: `prepare()` parks its target in a
  data-print-href attribute the plugin does not touch, and `finish()` makes
  it an href relative to the print page;
- a link to the home page names index.html (the plugin would turn "../"
  into the anchor "#.");
- the other URLs the plugin does not move (<link href>, <source src>, the
  <source srcset> of a figure's narrow variant, which only a screen uses)
  are made relative to the print page at once.
"""

from __future__ import annotations

import html as html_lib
import json
import posixpath
import re
from urllib.parse import urljoin, urlsplit

VIDEO = re.compile(r"<video\b.*?</video>", re.S | re.I)
IMG = re.compile(r"<img\b[^>]*>", re.I)
SRC = re.compile(r'\bsrc="([^"]*)"')
LAZY = re.compile(r'\s+loading="lazy"', re.I)
A_HREF = re.compile(r'(<a\b[^>]*?\s)href="([^"]*)"', re.I)
OTHER = re.compile(r"<(?:link|source|track|script|audio|iframe|embed)\b[^>]*>", re.I)
OTHER_URL = re.compile(r'\b(src|href|poster|srcset)="([^"]*)"')  # a srcset here holds one URL (site/embed.py)
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": )"/[^"]*"')
PARKED = re.compile(r'\bdata-print-href="([^"]*)"')
# A nav section as the plugin writes it when none of its pages is printed: its heading and nothing else.
EMPTY_SECTION = re.compile(
    r"(?P<head><section class='print-page md-section'[^>]*>\s*"
    r"<h1>(?P<title>[^<]*)<a class='headerlink'[^>]*></a>\s*</h1>)"
    r"(?P<end>\s*</section>)"
)
BASE = "http://site.invalid/"  # a stand-in origin to resolve relative URLs against


def _is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "/")))


def resolve(url: str, page_url: str) -> tuple[str, str]:
    """(path from the site root, fragment) of a relative `url` on the page at `page_url` (e.g. "steps/scores/")."""
    parts = urlsplit(urljoin(BASE + page_url, html_lib.unescape(url)))
    return parts.path.lstrip("/"), parts.fragment


def relative_to(path: str, page_url: str) -> str:
    """`path` (from the site root) as a URL relative to the page at `page_url`."""
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") or path == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


def prepare(page_html: str, page_url: str, pages: set[str], printed: set[str], print_url: str) -> str:
    """One page's HTML for the print page.

    `pages`: the URLs of all the site's pages ("" for the home page, "steps/scores/"...);
    `printed`: those the print page holds; `print_url`: the print page's own URL.
    """
    page_html = VIDEO.sub("", page_html)

    def img(m: re.Match) -> str:
        tag = m.group(0)
        src = SRC.search(tag)
        if src and src.group(1).endswith("#only-dark"):
            return ""
        if src and src.group(1).endswith("#only-light"):
            tag = tag.replace(src.group(0), f'src="{src.group(1)[: -len("#only-light")]}"')
        return LAZY.sub("", tag)

    page_html = IMG.sub(img, page_html)

    def link(m: re.Match) -> str:
        head, url = m.group(1), m.group(2)
        if not _is_relative(url):
            return m.group(0)
        path, frag = resolve(url, page_url)
        if path not in pages:  # a file (a download): the plugin moves it
            return m.group(0)
        target = path + (f"#{frag}" if frag else "")
        if path not in printed:
            return f'{head}data-print-href="{html_lib.escape(target, quote=True)}"'
        if path == "":
            rel = relative_to("index.html", page_url) + (f"#{frag}" if frag else "")
            return f'{head}href="{html_lib.escape(rel, quote=True)}"'
        return m.group(0)

    page_html = A_HREF.sub(link, page_html)

    def other(m: re.Match) -> str:
        def fix(a: re.Match) -> str:
            if not _is_relative(a.group(2)):
                return a.group(0)
            path, frag = resolve(a.group(2), page_url)
            new = relative_to(path, print_url) + (f"#{frag}" if frag else "")
            return f'{a.group(1)}="{html_lib.escape(new, quote=True)}"'

        return OTHER_URL.sub(fix, m.group(0))

    return OTHER.sub(other, page_html)


def finish(print_html: str, print_url: str, online: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The combined print page: parked links become hrefs relative to it.

    `online`: {title of a nav section none of whose pages is printed: [(page title, URL)]}; the plugin
    leaves such a section a bare heading, this puts the list of its pages, online, under it.
    """

    def unpark(m: re.Match) -> str:
        path, _, frag = html_lib.unescape(m.group(1)).partition("#")
        url = relative_to(path, print_url) + (f"#{frag}" if frag else "")
        return f'href="{html_lib.escape(url, quote=True)}"'

    print_html = PARKED.sub(unpark, print_html)
    # The plugin renders the page with an absolute base ("/1.0" under mike), without the trailing slash that
    # Material's scripts need to find the search index; every other page has a relative one.
    print_html = CONFIG_BASE.sub(lambda m: m.group(1) + json.dumps(relative_to("", print_url).rstrip("/")), print_html)

    def fill(m: re.Match) -> str:
        links = (online or {}).get(html_lib.unescape(m.group("title").strip()))
        if not links:
            return m.group(0)
        items = "".join(
            f'<li><a href="{html_lib.escape(url, quote=True)}">{html_lib.escape(title)}</a></li>'
            for title, url in links
        )
        note = f'<p class="sav-print-online">Not in the printed version; online:</p><ul>{items}</ul>'
        return m.group("head") + note + m.group("end")

    return EMPTY_SECTION.sub(fill, print_html)


def online_sections(sections, printed: set[str], base: str, print_url: str) -> dict[str, list[tuple[str, str]]]:
    """The nav sections none of whose pages is printed (the notebooks), each with its pages' (title, address).

    `sections` are (title, [(page title, page url)]); an address is whole on a published site (paper
    needs one), else relative to the print page.
    """
    out = {}
    for title, pages in sections:
        if pages and not any(url in printed for _, url in pages):
            out[title] = [(t, base.rstrip("/") + "/" + url if base else relative_to(url, print_url))
                          for t, url in pages]
    return out
