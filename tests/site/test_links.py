"""Links of the built site: nothing internal is broken, nothing is loaded from another host.

Every HTML file of the site (built once per session by the `built_site`
fixture of conftest.py) is parsed with html.parser:

- every internal URL (href, src, poster, srcset) names a file of the site, and
  a link's #fragment names an id (or <a name>) on the page it points to;
- links (<a href>) to other hosts are fine, but nothing the browser loads by
  itself (script, stylesheet, icon, image, video, audio, source, track,
  iframe, embed, object, preload...) may come from another host: the site must
  work offline in a classroom. The stylesheets' url() and @import are checked
  for the same reason.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.slow  # builds the whole site

ROOT = Path(__file__).resolve().parents[2]
LOCAL_SCHEMES = ("", "http", "https")  # other schemes (mailto:, data:, javascript:...) are not links to check

# (tag, attribute) pairs the browser fetches by itself, without a click.
LOADED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
    ("image", "href"),
    ("use", "href"),
}
# <link rel=...> values that make the browser fetch (or connect to) the URL; canonical, alternate... do not.
LOADING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "prerender",
    "mask-icon",
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def _site_prefix() -> str:
    """The path of the site's address ("/" for a site at the root of its host, or with none): absolute URLs in
    the HTML start with it. The address as the build resolves it: $SITE_URL, else site_url of mkdocs.yml."""
    from figures_src.core import identity

    path = urlsplit(identity.identity(identity.configured("site_url", ROOT / "mkdocs.yml")).site_url).path or "/"
    return path if path.endswith("/") else path + "/"


@dataclass
class Page:
    path: str  # relative to the site root, e.g. "steps/softmax/index.html"
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (tag, attr, url, loaded)


class _Collector(HTMLParser):
    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.page.ids.add(a["name"])
        for attr in ("href", "src", "poster", "srcset", "data", "xlink:href", "action"):
            if attr not in a or (tag, attr) == ("form", "action"):
                continue
            urls = [c.strip().split()[0] for c in a[attr].split(",") if c.strip()] if attr == "srcset" else [a[attr]]
            attr = "href" if attr == "xlink:href" else attr
            if tag == "link":
                rels = set(a.get("rel", "").lower().split())
                loaded = bool(rels & LOADING_RELS)
            else:
                loaded = (tag, attr) in LOADED
            for url in urls:
                self.page.refs.append((tag, attr, url.strip(), loaded))


def read_pages(site: Path) -> dict[str, Page]:
    """Every HTML file under `site`, parsed: site-relative path -> Page."""
    out = {}
    for f in sorted(site.rglob("*.html")):
        page = Page(f.relative_to(site).as_posix())
        collector = _Collector(page)
        collector.feed(f.read_text(encoding="utf-8"))
        collector.close()
        out[page.path] = page
    return out


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, Page]:
    out = read_pages(built_site)
    assert "index.html" in out, f"no index.html in {built_site}"
    return out


def _target(site: Path, page: Page, url: str, prefix: str) -> tuple[str, str] | None:
    """(site-relative file path, fragment) an internal URL points to; None for an external or non-web URL."""
    parts = urlsplit(url)
    if parts.scheme not in LOCAL_SCHEMES or parts.netloc:
        return None
    raw = unquote(parts.path)
    if raw.startswith("/"):  # an absolute path: relative to site_url's path
        rel = raw[len(prefix) :] if raw.startswith(prefix) else raw.lstrip("/")
    else:
        rel = posixpath.join(posixpath.dirname(page.path), raw) if raw else page.path
    names_a_folder = rel == "" or rel.endswith(("/", "/.", "/..")) or raw in (".", "..")
    path = posixpath.normpath(rel)  # keeps a leading "../" when the URL leaves the site
    path = "" if path == "." else path
    if names_a_folder or (site / path).is_dir():
        path = posixpath.join(path, "index.html")
    return path, unquote(parts.fragment)


def test_the_site_has_pages(pages):
    assert len([p for p in pages if p.endswith("index.html")]) > 1, "the built site has no pages besides the home page"


def broken_links(site: Path, pages: dict[str, Page], prefix: str) -> tuple[int, dict[str, list[str]]]:
    """(internal URLs checked, page -> its URLs that name no file of the site)."""
    broken = defaultdict(list)
    checked = 0
    for page in pages.values():
        for tag, attr, url, _ in page.refs:
            target = _target(site, page, url, prefix)
            if target is None:
                continue
            checked += 1
            path, _frag = target
            if path.startswith("../") or not (site / path).is_file():
                broken[page.path].append(f"<{tag} {attr}={url!r}> -> {path} (missing)")
    return checked, broken


def broken_anchors(site: Path, pages: dict[str, Page], prefix: str) -> dict[str, list[str]]:
    """page -> its links whose #fragment names no id (or <a name>) on the page they point to."""
    broken = defaultdict(list)
    for page in pages.values():
        for tag, attr, url, _ in page.refs:
            if (tag, attr) not in (("a", "href"), ("area", "href")):
                continue
            target = _target(site, page, url, prefix)
            if target is None or not target[1]:
                continue
            path, frag = target
            dest = pages.get(path)
            if dest is None:  # a file that is not HTML (a download) or missing (the other test says so)
                continue
            if frag not in dest.ids:
                broken[page.path].append(f"<a href={url!r}>: no id {frag!r} on {path}")
    return broken


def test_no_broken_internal_links(built_site, pages):
    """Every internal href/src/poster/srcset names a file of the built site."""
    checked, broken = broken_links(built_site, pages, _site_prefix())
    assert checked, "no internal link found at all: is the parser reading the pages?"
    assert not broken, "broken internal links:\n" + _listing(broken)


def test_no_broken_anchors(built_site, pages):
    """A link's #fragment names an id (or <a name>) on the page it points to."""
    broken = broken_anchors(built_site, pages, _site_prefix())
    assert not broken, "links to anchors that do not exist:\n" + _listing(broken)


def test_nothing_is_loaded_from_another_host(built_site, pages):
    """Scripts, styles, images, videos, captions, frames and fonts all come from the site itself."""
    offenders = defaultdict(list)
    for page in pages.values():
        for tag, attr, url, loaded in page.refs:
            if loaded and _is_remote(url):
                offenders[page.path].append(f"<{tag} {attr}={url!r}>")
    for css in sorted(built_site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for m in CSS_URL.finditer(text):
            url = m.group(2) if m.group(2) is not None else m.group(4)
            if url and _is_remote(url):
                offenders[css.relative_to(built_site).as_posix()].append(f"url({url})")
    assert not offenders, "resources loaded from another host (the site must work offline):\n" + _listing(offenders)


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https", "ftp", "ws", "wss")


def _listing(problems: dict[str, list[str]]) -> str:
    lines = []
    for page, items in sorted(problems.items()):
        lines.append(f"  {page}:")
        lines += [f"    {item}" for item in items]
    return "\n".join(lines)


# What issue 7 promises on every figure's page, by kind.
PROMISED = {
    "matplotlib": (".light.svg", ".dark.svg", ".light.png", ".dark.png", ".light.pdf", ".dark.pdf"),
    "manim": (".mp4", ".gif", ".poster.png", ".captions.vtt"),
}


def test_every_figure_page_offers_every_download_of_its_kind(built_site, pages):
    from figures_src.build import registry

    missing = []
    for fid, fig in registry.discover().items():
        page = pages.get(f"figures/{fid}/index.html")
        if page is None:
            missing.append(f"{fid}: no page")
            continue
        linked = {posixpath.basename(unquote(urlsplit(url).path)) for tag, attr, url, _ in page.refs if tag == "a"}
        missing += [f"{fid}: no link to {fid}{ext}" for ext in PROMISED[fig.kind] if f"{fid}{ext}" not in linked]
    assert not missing, "\n".join(missing)
