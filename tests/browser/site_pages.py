"""Helpers for the tests of the in-page widgets over the built site (fixtures in conftest.py).

`Visit` opens one page in a fresh browser context, routes every request, aborts and records any
for another host, and records console errors; `clean()` asserts there were none. The others
read a figure's published JSON and the parts every widget shares (the frame, the live region,
pct.js's bars).
"""

from __future__ import annotations

import functools
import http.server
import json
from pathlib import Path
from urllib.parse import urlsplit

from chromium import MIME_TYPES

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """The built site as a static host serves it, with the types a real host gives."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


def site_handler(directory: Path):
    return functools.partial(SiteHandler, directory=str(directory))


class Visit:
    """One page in a fresh context; console errors and requests to other hosts are recorded."""

    def __init__(self, browser, site_url: str, path: str, **context):
        self.context = browser.new_context(**context)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        origin = urlsplit(site_url).netloc

        def route(r):
            parts = urlsplit(r.request.url)
            if parts.scheme in ("data", "blob") or parts.netloc == origin:
                r.continue_()
            else:
                self.foreign.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(site_url + path, wait_until="load")

    def clean(self) -> None:
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.foreign, f"requests to other hosts: {self.foreign}"

    def close(self) -> None:
        self.context.close()


def figure_data(site: Path, fig_id: str) -> dict:
    """The figure's published numbers, figures/<id>/<id>.json of the built site."""
    return json.loads((site / "figures" / fig_id / f"{fig_id}.json").read_text())


def widget(page, fig_id: str, kind: str | None = None):
    """The widget that enhances figure `fig_id` (of `kind`, its data-sav-widget, if given), once shown."""
    sel = f'[data-sav-widget="{kind}"]' if kind else "[data-sav-widget]"
    w = page.locator(f'{sel}[data-figure="{fig_id}"]')
    w.wait_for(state="visible")
    return w


def readout(w) -> str:
    return w.locator(".sav-widget__readout").inner_text().strip()


def bar_texts(w) -> tuple[list[str], list[str]]:
    """pct.js's bars: the words (without the ▶ of the top one) and the percentages."""
    words = [x.removeprefix("▶ ") for x in w.locator(".sav-bars__word").all_inner_texts()]
    return words, w.locator(".sav-bars__pct").all_inner_texts()


def scroll_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")
