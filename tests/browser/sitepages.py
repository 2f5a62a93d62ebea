"""What the widget tests share besides their fixtures (tests/browser/conftest.py): a phone, a visit, a figure's data."""

from __future__ import annotations

import http.server
import json
from pathlib import Path
from urllib.parse import urlsplit

from chromium import MIME_TYPES

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


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
    """A figure's published numbers, figures/<id>/<id>.json of the built site."""
    return json.loads((site / "figures" / fig_id / f"{fig_id}.json").read_text())
