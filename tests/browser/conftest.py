"""Fixtures of the browser tests: Chromium, the built site served on 127.0.0.1, attention.js alone, node.

`browser` is the one Chromium of the session; `site_url` serves the built site and `visit(path)`
opens a page of it (site_pages.Visit: clean of console errors and foreign requests at the end).
For attention.js alone: the module served on 127.0.0.1 and a Chromium page that imported it.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright from PyPI with the flags
tests/test_site_browser.py uses; Playwright's own browser download is never needed. The page is
an empty one served next to the module (ES modules do not load from file://), every request it
makes is routed, and anything not for that server is aborted and recorded, so a test can assert
that the module asks no other host for anything.
"""

from __future__ import annotations

import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jsharness
import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS
from site_pages import Visit, site_handler

NODE_TIMEOUT = 60  # seconds, for one node process running a few hundred cases


@dataclass
class JsPage:
    """A Chromium page that has imported attention.js; `run(cases)` calls the module for each case."""

    page: object
    module_url: str
    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def run(self, cases: list[dict]) -> dict:
        """{"exports": [...], "results": [...]}, one result per case, all in one page.evaluate."""
        text = self.page.evaluate(
            "async ([url, casesJson]) => {" + jsharness.RUNNER_JS + "return run(await import(url), casesJson); }",
            [self.module_url, jsharness.to_json(cases)],
        )
        return jsharness.decode(text)


@pytest.fixture(scope="session")
def js_server() -> Iterator[str]:
    with jsharness.serve_js() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module, closed at its end.

    Playwright refuses a second sync_playwright() while one is open, and while one is open the
    event loop it runs refuses asyncio.run() (tests/site/test_site_browser.py's async Playwright):
    so it never outlives the module that asked for it.
    """
    pytest.importorskip("playwright.sync_api", reason="Playwright is installed by scripts/setup.sh")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site (tests/conftest.py's built_site) served on 127.0.0.1 at a free port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), site_handler(built_site))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def visit(browser, site_url):
    """`visit(path, **context)` opens a page of the built site; at the end each must be clean (site_pages.Visit)."""
    opened: list[Visit] = []

    def open_(path: str, **context) -> Visit:
        v = Visit(browser, site_url, path, **context)
        opened.append(v)
        return v

    yield open_
    try:
        for v in opened:
            v.clean()
    finally:
        for v in opened:
            v.close()


@pytest.fixture(scope="module")
def js_page(js_server: str, browser) -> Iterator[JsPage]:
    page = browser.new_page()
    js = JsPage(page=page, module_url=f"{js_server}/attention.js", origin=js_server)

    def route(r):
        if r.request.url.startswith(js_server + "/"):
            r.continue_()
        else:
            js.foreign_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and js.console_errors.append(m.text))
    page.on("pageerror", lambda e: js.console_errors.append(str(e)))
    page.goto(js_server + "/")
    try:
        yield js
    finally:
        page.close()


@pytest.fixture(scope="session")
def run_in_node() -> Callable[[list[dict]], dict]:
    """`run(cases)` in one `node --input-type=module` process; skips when node is not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")

    script = (
        f"import * as A from {json.dumps(jsharness.MODULE.as_uri())};\n"
        + jsharness.RUNNER_JS
        + "let input = ''; for await (const chunk of process.stdin) input += chunk;\n"
        + "process.stdout.write(run(A, input));\n"
    )

    def run(cases: list[dict]) -> dict:
        proc = subprocess.run(
            [node, "--input-type=module", "-e", script],
            input=jsharness.to_json(cases), capture_output=True, text=True, timeout=NODE_TIMEOUT,
        )
        assert proc.returncode == 0, f"node failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}"
        return jsharness.decode(proc.stdout)

    return run
