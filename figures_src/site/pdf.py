"""The print page as a PDF file, through headless Chromium: `make pdf`.

    python -m figures_src pdf [--site DIR] [--out FILE]
    render_pdf(site_dir, out) -> Pdf(path, pages, size)

The built site (default `site/`, as `make build` leaves it) is served on
127.0.0.1 by a server of this process, its print page (print_page/) opened
in Debian's Chromium through Playwright, and printed to A4 once everything
that changes the layout is there:

- the page and every image have loaded (the print-site plugin drops
  `loading="lazy"`), and every image decoded (a broken one stops here,
  named, instead of printing as an empty box);
- the web fonts are ready (`document.fonts.ready`);
- KaTeX has typeset every formula (no `.arithmatex` without a `.katex`),
  and the print-site plugin's script has copied the table of contents.

Only then is the layout final, so the same build gives the same number of
pages (the slow test renders it twice). Any request for another host is
refused (the site asks none). The file is written under a temporary name
and renamed into place: a failed render leaves no half-written PDF.
Chromium is $CHROMIUM, else /usr/bin/chromium (`make setup` installs it).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..core.files import atomic_write
from ..core.identity import BuildInfo

PRINT_PAGE = "print_page/"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# The closed network refuses Chromium's background connections; without these it tries them at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 120_000  # for the page to load and typeset; a page that never gets ready fails, it does not hang
MIME_TYPES = {".woff2": "font/woff2", ".svg": "image/svg+xml", ".js": "text/javascript", ".json": "application/json"}

# True once the layout is final; else a string saying what is still missing (for the error message).
READY_JS = """() => {
  const broken = Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0).map(i => i.src);
  if (broken.length) return "broken images: " + broken.slice(0, 5).join(", ");
  const loading = Array.from(document.images).filter(i => !i.complete).length;
  if (loading) return loading + " images still loading";
  if (document.fonts.status !== "loaded") return "fonts still loading";
  const math = Array.from(document.querySelectorAll(".arithmatex")).filter(e => !e.querySelector(".katex")).length;
  if (math) return math + " formulas not typeset";
  const toc = document.querySelector("#print-page-toc nav");
  if (toc && !toc.querySelector("ul")) return "table of contents not yet copied";
  return true;
}"""


class PdfError(Exception):
    """The PDF cannot be made; the message says what is missing and what to do."""


@dataclass(frozen=True)
class Pdf:
    path: Path
    pages: int
    size: int  # bytes


def pdf_name(info: BuildInfo) -> str:
    """self-attention-visually-<version>.pdf (the version as the teacher pack names it)."""
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", info.version).strip("-") or "dev"
    return f"self-attention-visually-{version}.pdf"


def chromium() -> str:
    path = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise PdfError(f"Chromium is not installed at {path}: `make setup` installs Debian's chromium package "
                       "(or set CHROMIUM to a Chromium binary)")
    return path


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """The built site on 127.0.0.1 (a free port), for as long as the block runs; yields its base URL."""
    handler = functools.partial(_Handler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def check_site(site_dir: Path) -> Path:
    site_dir = Path(site_dir)
    page = site_dir / PRINT_PAGE / "index.html"
    if not page.is_file():
        raise PdfError(f"{page} is not there: build the site first (`make build`, or mkdocs build -d {site_dir})")
    return site_dir


def render_pdf(site_dir: str | os.PathLike, out: str | os.PathLike) -> Pdf:
    """Print the print page of the built site at `site_dir` to `out` (A4); its path, page count and size."""
    site_dir = check_site(Path(site_dir))
    binary = chromium()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError(f"Playwright is not installed ({exc}): run `make setup`") from None

    with serve(site_dir) as base, sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            raise PdfError(f"Chromium ({binary}) did not start: {exc}") from None
        try:
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            origin = urlsplit(base).netloc
            page.route("**/*", lambda r: r.continue_() if urlsplit(r.request.url).netloc in ("", origin)
                       else r.abort())
            page.emulate_media(media="print")
            page.goto(base + PRINT_PAGE, wait_until="load")
            _wait_until_ready(page)
            pdf = atomic_write(Path(out), b"", save=lambda tmp: page.pdf(
                path=str(tmp), format="A4", print_background=True, prefer_css_page_size=True))
        finally:
            browser.close()
    return Pdf(pdf, page_count(pdf), pdf.stat().st_size)


def _wait_until_ready(page) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.evaluate("() => document.fonts.ready.then(() => true)")
    try:
        # Ready, or broken for good (a broken image will not mend): either way, stop waiting.
        page.wait_for_function(f"() => {{ const r = ({READY_JS})(); return r === true || r.startsWith('broken'); }}",
                               timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        state = page.evaluate(f"({READY_JS})()")
        raise PdfError(f"the print page did not get ready to print in {TIMEOUT_MS // 1000} s: {state}") from None
    state = page.evaluate(f"({READY_JS})()")
    if state is not True:
        raise PdfError(f"the print page cannot be printed: {state}")


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
