"""Lighthouse scores of the built site: the home page and the heaviest page.

    .venv/bin/python benchmarks/lighthouse.py                 # build (draft figures), serve, measure
    .venv/bin/python benchmarks/lighthouse.py --site site     # measure a site already built
    .venv/bin/python benchmarks/lighthouse.py --runs 3        # median of 3 runs per page
    .venv/bin/python benchmarks/lighthouse.py --page masking/ # these pages instead (repeatable)

It builds the site with `mkdocs build --strict` into a temporary folder (or
takes --site), serves it on 127.0.0.1 at a free port, finds the heaviest page
(the most bytes a visit loads: its HTML and the images, video posters,
scripts and stylesheets it references, both palettes' images counted; videos
are left out, as they load only when played; ties go to the page with more
figures), and runs

    npx --yes lighthouse@LIGHTHOUSE_VERSION <url> \
        --only-categories=performance,accessibility,best-practices --output=json \
        --chrome-flags="--headless=new --no-sandbox"

with CHROME_PATH=/usr/bin/chromium (Lighthouse's defaults otherwise: a mobile
device with simulated throttling). It prints the scores and what keeps a
category under 100, and a Markdown table for benchmarks/README.md. With --page it measures the
pages named instead (e.g. the heaviest page with a widget, which benchmarks/interaction.py
finds) and writes its own section, lighthouse-pages, so the home/heaviest table stays. A script,
not a test: scores move with the machine's load, so it informs, it does not gate.
Targets: performance >= 95 and accessibility 100 on both pages.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from readme_section import write_section

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_VERSION = "13.5.0"
CHROME_PATH = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100}
PRINT_PAGE = "print_page/"
MIME_TYPES = {
    ".vtt": "text/vtt",
    ".woff2": "font/woff2",
    ".mp4": "video/mp4",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".js": "text/javascript",
}


# --------------------------------------------------------------------------- the site


def build_site(out: Path) -> Path:
    site = out / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("FIGURES_QUALITY", "draft")
    print(f"building the site (figures: {env['FIGURES_QUALITY']}) into {site} ...", file=sys.stderr)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    if subprocess.run(cmd, cwd=ROOT, env=env).returncode != 0:
        sys.exit("the site did not build (see above); nothing measured")
    return site


class _Host(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a static host does (GitHub Pages, Netlify...): text files gzip-compressed."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".vtt", ".xml", ".txt", ".ipynb", ".py")
    _gzipped: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if (
            path.suffix not in self.COMPRESSIBLE
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()  # directories without "/" (a redirect), binaries, 404s
        body = self._gzipped.get(path)
        if body is None:
            body = self._gzipped[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a browser that hangs up mid-file is not an error
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), functools.partial(_Host, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --------------------------------------------------------------------------- the heaviest page


class _Refs(HTMLParser):
    """The local files a visit loads (videos are preload="none": only their posters count), and the figures."""

    LOADED = {("img", "src"), ("video", "poster"), ("script", "src"), ("link", "href")}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.figures = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.figures += 1
        if tag == "link" and "stylesheet" not in (a.get("rel") or ""):
            return
        for attr in ("src", "href", "poster"):
            if (tag, attr) in self.LOADED and a.get(attr):
                self.urls.append(a[attr])


def page_weight(site: Path, page: str) -> tuple[int, int]:
    """(bytes of the page's HTML and of the local files a visit loads, number of figures)."""
    html_file = site / page / "index.html"
    parser = _Refs()
    parser.feed(html_file.read_text(encoding="utf-8"))
    total, seen = html_file.stat().st_size, set()
    for url in parser.urls:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = (html_file.parent / unquote(parts.path)).resolve()
        if target not in seen and target.is_file():
            seen.add(target)
            total += target.stat().st_size
    return total, parser.figures


def pages_of(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )


# --------------------------------------------------------------------------- Lighthouse


def lighthouse(url: str, out: Path, version: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROME_PATH)}
    cmd = [
        "npx",
        "--yes",
        f"lighthouse@{version}",
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def summary(report: dict) -> tuple[dict[str, int], list[str]]:
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    notes = []
    for c in CATEGORIES:
        for ref in report["categories"][c]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                notes.append(f"{c}: {ref['id']}{value}: {audit['title']}")
    metrics = report["audits"]
    for m in (
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
        "speed-index",
    ):
        if m in metrics:
            notes.append(f"metric {m}: {metrics[m].get('displayValue', '')} (score {metrics[m].get('score')})")
    return scores, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, help="a site already built (default: build one into a temporary folder)")
    ap.add_argument("--runs", type=int, default=1, help="runs per page; the median score is reported")
    ap.add_argument("--lighthouse", default=LIGHTHOUSE_VERSION, help="the Lighthouse version for npx")
    ap.add_argument("--json-dir", type=Path, help="keep Lighthouse's JSON reports here")
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the section of benchmarks/README.md")
    ap.add_argument("--page", action="append", metavar="PATH",
                    help="measure this page (a path of the site, e.g. masking/) instead of the home and the "
                         "heaviest pages; repeatable; the result goes to the section lighthouse-pages")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        tmp = Path(tmp)
        site = args.site.resolve() if args.site else build_site(tmp)
        weights = {p: page_weight(site, p) for p in pages_of(site)}
        heaviest = max(weights, key=lambda p: (weights[p][0], weights[p][1]))
        # The print page holds the whole explainer with every image eager (for paper): it is always the
        # heaviest. The heaviest page a reader reads on screen is measured too.
        reading = max((p for p in weights if p != PRINT_PAGE), key=lambda p: (weights[p][0], weights[p][1]))
        print("heaviest pages (bytes a visit loads, figures):")
        for p in sorted(weights, key=lambda p: weights[p], reverse=True)[:5]:
            print(f"  /{p:<40} {weights[p][0] / 1024:8.0f} KiB  {weights[p][1]:3d} figures")
        if args.page:
            unknown = [p for p in args.page if p not in weights]
            if unknown:
                sys.exit(f"no such page in the site: {', '.join(unknown)} (a path such as masking/)")
        server, base = serve(site)
        results = {}
        try:
            measured = [("home", ""), ("heaviest", heaviest)] + ([("heaviest reading page", reading)]
                                                                if reading != heaviest else [])
            if args.page:
                measured = [("home" if p == "" else "page", p) for p in args.page]
            for label, page in measured:
                runs = []
                for i in range(args.runs):
                    out = (args.json_dir or tmp) / f"lighthouse-{label.replace(' ', '-')}-{i + 1}.json"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    print(f"lighthouse {args.lighthouse}: {base}{page} (run {i + 1}/{args.runs}) ...", file=sys.stderr)
                    runs.append(summary(lighthouse(base + page, out, args.lighthouse)))
                scores = {c: int(statistics.median(r[0][c] for r in runs)) for c in CATEGORIES}
                results[label if not args.page else f"{label} {len(results) + 1}"] = (page, scores, runs[-1][1])
        finally:
            server.shutdown()

    section = "lighthouse-pages" if args.page else "lighthouse"
    lines = [
        "## Lighthouse" + (": chosen pages" if args.page else ""),
        "",
        f"`python benchmarks/lighthouse.py` (Lighthouse {args.lighthouse}, Debian's Chromium, mobile with simulated "
        f"throttling, median of {args.runs} run(s) per page). Targets: performance ≥ {TARGETS['performance']}, "
        f"accessibility {TARGETS['accessibility']}, on the home page and the heaviest page; the heaviest is the print "
        "page (the whole explainer, every image loaded at once so that a printer gets them all), so the heaviest "
        "page read on screen is measured too."
        if not args.page
        else f"`python benchmarks/lighthouse.py --page …` (Lighthouse {args.lighthouse}, Debian's Chromium, mobile "
        f"with simulated throttling, median of {args.runs} run(s) per page) on the pages chosen: the pages with the "
        "most script and data of benchmarks/interaction.py, and the home page measured in the same run for "
        "comparison (the scores move with the machine's load). Targets as above: performance ≥ "
        f"{TARGETS['performance']}, accessibility {TARGETS['accessibility']}.",
        "",
        f"| page | {' | '.join(CATEGORIES)} |",
        f"|---|{'---:|' * len(CATEGORIES)}",
    ]
    for label, (page, scores, _) in results.items():
        kib = weights.get(page, (0, 0))[0] / 1024
        lines.append(f"| {label} (`/{page}`, {kib:.0f} KiB) | {' | '.join(str(scores[c]) for c in CATEGORIES)} |")
    missed = False
    for label, (page, scores, notes) in results.items():
        below = [f"{c} {scores[c]} < {t}" for c, t in TARGETS.items() if scores[c] < t]
        missed |= bool(below)
        if notes or below:
            lines += ["", f"{label} (`/{page}`): " + "; ".join(below + list(notes))]
    load = os.getloadavg()
    lines += ["", f"Load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min)."]
    text = "\n".join(lines)
    print("\n" + text)
    if not args.no_write:
        print(f"\nwritten to {write_section(section, text)}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
