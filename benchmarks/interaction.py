"""The in-page widgets' budgets: script and data bytes per page, and the time of one update.

    .venv/bin/python benchmarks/interaction.py                # build (draft figures), serve, measure
    .venv/bin/python benchmarks/interaction.py --site site    # measure a site already built
    .venv/bin/python benchmarks/interaction.py --updates 50 --no-write

It builds the site with `mkdocs build --strict` into a temporary folder (or takes --site), serves
it on 127.0.0.1 at a free port as files (no compression: what is measured is the bytes, the
compression is computed here), opens every page in Debian's Chromium (Playwright) and keeps the
pages on which a widget appears (`[data-sav-widget]`, the attribute every widget sets on its root).
For each of those pages:

- script and data bytes: every JavaScript and JSON response of the visit (module imports, the
  figure's JSON fetched by its widget), its transfer size as Chromium reports it (body and headers)
  and its body gzip-compressed here (level 6, what a static host does), summed per page; and the
  part the widgets themselves bring (attention.js, widgets/*.js and the figures' JSON), apart
  from what every page loads (Material's bundle, KaTeX, the site's other scripts);
- the time of one update per widget: UPDATES updates, one per animation frame (as a hand moves),
  each timed with performance.now() around the event dispatch (a hover on the next word, a step
  of the slider, a press of the next toggle or head) and a forced layout (getBoundingClientRect on
  the widget), in the page itself; the median is reported. Each update must change the widget's
  live region at least once over the run, or the script says the update did nothing.

It prints a Markdown section and writes it into benchmarks/README.md between
<!-- interaction:begin --> and <!-- interaction:end --> (benchmarks/readme_section.py).
A script, not a test: times move with the machine's load; it informs, it does not gate.
Targets: <= TARGET_KB KB compressed script + data per page (what the widgets bring), <= TARGET_MS ms
median update.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import platform
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from lighthouse import MIME_TYPES, build_site, pages_of
from readme_section import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (tests/chromium.py: the browser every test drives)

TARGET_KB = 40
TARGET_MS = 16.0
UPDATES = 50
SKIP = ("print_page/",)  # the whole explainer on one page, for paper: widgets hide on print
WIDGET_FILES = ("/assets/javascripts/attention.js", "/assets/javascripts/decoding.js", "/assets/javascripts/widgets/")

# One update of a widget, by its data-sav-widget: what a reader does once, given the step k.
# Each returns nothing; the timing around it is in MEASURE_JS.
UPDATE_JS = {
    "explorer": """(root, k) => { const bs = root.querySelectorAll(".sav-explorer__word");
        bs[(k + 1) % bs.length].dispatchEvent(new PointerEvent("pointerenter", {pointerType: "mouse"})); }""",
    "dk-slider": """(root, k) => { const r = root.querySelector("input[type=range]");
        const n = Math.round((Number(r.max) - Number(r.min)) / Number(r.step));
        const i = k % (2 * n), at = i < n ? i + 1 : 2 * n - i - 1;  // up the track and back, a step each time
        r.value = String(Number(r.min) + at * Number(r.step));
        r.dispatchEvent(new Event("input", {bubbles: true})); }""",
    "mask-toggle": """(root, k) => { root.querySelectorAll(".sav-mask__toggle")[k % 2].click(); }""",
    "head-picker": """(root, k) => { const bs = root.querySelectorAll(".sav-heads__head");
        bs[(k + 1) % bs.length].click(); }""",
}
# The generating page: the temperature slider moves as the d_k slider does; the step button steps, then starts over.
UPDATE_JS["temperature"] = UPDATE_JS["dk-slider"]
UPDATE_JS["decode-steps"] = """(root, k) => { const s = root.querySelector(".sav-gen__step");
    if (s.disabled) root.querySelector(".sav-gen__restart").click();
    s.click(); }"""

MEASURE_JS = """async ([kind, index, updates, step]) => {
  const root = document.querySelectorAll(`[data-sav-widget="${kind}"]`)[index];
  const update = eval(step);
  const live = root.querySelector("[aria-live]");
  const times = [], texts = new Set();
  for (let k = 0; k < updates; k++) {
    await new Promise((frame) => requestAnimationFrame(frame));
    const t0 = performance.now();
    update(root, k);
    root.getBoundingClientRect();  // the layout the update causes, inside the timing
    times.push(performance.now() - t0);
    if (live) texts.add(live.textContent);
  }
  return {times, distinct: texts.size};
}"""


class _Files(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a browser that hangs up mid-file is not an error
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Files, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def is_script_or_data(response) -> bool:
    path = urlsplit(response.url).path
    kind = response.request.resource_type
    return kind == "script" or path.endswith((".js", ".mjs", ".json"))


def visit(browser, base: str, page_path: str, updates: int) -> dict | None:
    """One page: its script/data responses and, if it has widgets, the update times of each."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    origin = urlsplit(base).netloc
    responses, foreign, errors = [], [], []

    def route(r):
        if urlsplit(r.request.url).netloc == origin or urlsplit(r.request.url).scheme in ("data", "blob"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda r: is_script_or_data(r) and responses.append(r))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + page_path, wait_until="load")
        page.wait_for_load_state("networkidle")
        kinds = page.evaluate("() => [...document.querySelectorAll('[data-sav-widget]')].map(w => w.dataset.savWidget)")
        if not kinds:
            return None
        figures = page.evaluate(
            "() => [...document.querySelectorAll('[data-sav-widget]')].map(w => w.dataset.figure || '')")
        files = []
        for r in responses:
            try:
                body = r.body()
            except Exception:  # a redirect or an aborted response has no body
                continue
            sizes = r.request.sizes()
            files.append({
                "path": urlsplit(r.url).path,
                "transfer": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "bytes": len(body),
                "gzip": len(gzip.compress(body, compresslevel=6, mtime=0)),
            })
        page.wait_for_timeout(300)  # measure the widgets, not the page still settling
        widgets = []
        seen: dict[str, int] = {}
        for kind, fig in zip(kinds, figures, strict=True):
            index = seen.get(kind, 0)
            seen[kind] = index + 1
            if kind not in UPDATE_JS:
                widgets.append({"kind": kind, "figure": fig, "times": None, "distinct": 0})
                continue
            result = page.evaluate(MEASURE_JS, [kind, index, updates, UPDATE_JS[kind]])
            widgets.append({"kind": kind, "figure": fig, **result})
        return {"page": page_path, "files": files, "widgets": widgets, "foreign": foreign, "errors": errors}
    finally:
        context.close()


def widget_part(path: str) -> bool:
    """attention.js, a widget module or a figure's JSON (not, say, the search index Material's worker loads)."""
    figure_json = "/figures/" in path and path.endswith(".json")
    return figure_json or any(w in path for w in WIDGET_FILES)


def report(results: list[dict], updates: int, site_label: str) -> tuple[str, bool]:
    lines = [
        "## Interaction budgets",
        "",
        f"`python benchmarks/interaction.py` ({site_label}): every page with a widget, opened in Debian's Chromium "
        "(Playwright, 1280 px). Bytes: the JavaScript and JSON responses of the visit, their transfer size as "
        "Chromium reports it (served uncompressed, body and headers) and their bodies gzip-compressed (level 6, "
        "as a static host does). \"Widgets\" is what the widgets bring: attention.js, widgets/*.js and the "
        "figures' JSON; \"every page\" is the rest, loaded whether the page has a widget or not (Material's "
        "bundle and its search worker's index, KaTeX on the chapters, the site's small scripts). "
        f"Update: the median of {updates} updates "
        "per widget, one per animation frame, each timed with performance.now() around the event (a hover on "
        "the next word, a slider step, a toggle or head pressed) and the layout it forces. "
        f"Targets: widgets' script + data ≤ {TARGET_KB} KB compressed per page, median update ≤ {TARGET_MS:.0f} ms.",
        "",
        "| page | widget(s) | widgets: transfer / gzip (KB) | every page: transfer / gzip (KB) | "
        "all JS + JSON, gzip (KB) | median update (ms) | max (ms) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for r in results:
        mine = [f for f in r["files"] if widget_part(f["path"])]
        rest = [f for f in r["files"] if not widget_part(f["path"])]
        kb = lambda fs, key: sum(f[key] for f in fs) / 1000  # noqa: E731
        w_gzip = kb(mine, "gzip")
        ok &= w_gzip <= TARGET_KB
        for k, w in enumerate(r["widgets"]):
            name = f"{w['kind']} ({w['figure']})"
            if w["times"] is None:
                timing = ("not measured (no per-frame update: a form that runs the model)", "")
            else:
                median = statistics.median(w["times"])
                ok &= median <= TARGET_MS and w["distinct"] > 1
                timing = (f"{median:.2f}" + ("" if w["distinct"] > 1 else " (the live region never changed!)"),
                          f"{max(w['times']):.2f}")
            first = k == 0
            lines.append(
                f"| {'`/' + r['page'] + '`' if first else ''} | {name} | "
                + (f"{kb(mine, 'transfer'):.1f} / {w_gzip:.1f} | {kb(rest, 'transfer'):.1f} / {kb(rest, 'gzip'):.1f} | "
                   f"{kb(r['files'], 'gzip'):.1f}" if first else " | | ")
                + f" | {timing[0]} | {timing[1]} |"
            )
    heaviest = max(results, key=lambda r: sum(f["gzip"] for f in r["files"] if widget_part(f["path"])))
    lines += ["", "Widget files of the heaviest page (`/" + heaviest["page"] + "`), gzip bytes: "
              + ", ".join(f"`{Path(f['path']).name}` {f['gzip']}" for f in heaviest["files"] if widget_part(f["path"]))
              + "."]
    fullest = max(results, key=lambda r: sum(f["gzip"] for f in r["files"]))
    rest = sorted((f for f in fullest["files"] if not widget_part(f["path"])), key=lambda f: -f["gzip"])
    whole = sum(f["gzip"] for f in fullest["files"]) / 1000
    lines += ["", f"All of a page's JavaScript and JSON together is at most {whole:.0f} KB compressed "
              f"(`/{fullest['page']}`), {'over' if whole > TARGET_KB else 'within'} the {TARGET_KB} KB: most of it "
              "is what every page loads, not the widgets; the largest there (gzip bytes): "
              + ", ".join(f"`{Path(f['path']).name}` {f['gzip']}" for f in rest[:4]) + "."]
    problems = [f"/{r['page']}: {x}" for r in results for x in r["errors"] + [f"request to {u}" for u in r["foreign"]]]
    if problems:
        ok = False
        lines += ["", "Problems: " + "; ".join(problems)]
    load = os.getloadavg()
    lines += ["", f"Targets {'met' if ok else 'NOT met'}. Machine: {os.cpu_count()} cores, {platform.machine()}; "
              f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)."]
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a site already built (default: build one into a temporary folder)")
    ap.add_argument("--updates", type=int, default=UPDATES, help="updates per widget; the median is reported")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the section of benchmarks/README.md")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="interaction-") as tmp:
        site = args.site.resolve() if args.site else build_site(Path(tmp))
        server, base = serve(site)
        results = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for p in pages_of(site):
                        if p in SKIP:
                            continue
                        r = visit(browser, base, p, args.updates)
                        if r is not None:
                            print(f"  /{p}: {', '.join(w['kind'] for w in r['widgets'])}", file=sys.stderr)
                            results.append(r)
                finally:
                    browser.close()
        finally:
            server.shutdown()
    if not results:
        sys.exit("no page has a widget ([data-sav-widget]); nothing measured")
    label = "the site given with --site" if args.site else "the site built with draft figures"
    text, ok = report(results, args.updates, label)
    print("\n" + text)
    if not args.no_write:
        print(f"\nwritten to {write_section('interaction', text)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
