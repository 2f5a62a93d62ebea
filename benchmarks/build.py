"""Benchmark of the site build with its figure build: cold, warm, one figure changed, and plain MkDocs.

    python benchmarks/build.py [--runs 3] [--change FIGURE_ID] [--skip-cold] [--no-write]

Every scenario is the full `mkdocs build --strict` of the site into a
temporary directory, timed from outside (the median of --runs runs):

  cold           empty figure cache: every figure and scene renders
  warm           nothing changed since the last build
  warm, no fast path   the same with FIGURES_FAST_PATH=0: the figure build process runs (and finds all cached)
  one changed    a comment appended to one figure module: only that figure renders (asserted from the report)
  plain MkDocs   FIGURES_SKIP_BUILD=1: the hook places the last build's files and builds no figure

The project is copied to a temporary directory first (sources, docs,
mkdocs.yml) and run from there with PYTHONPATH pointing at the copy: the
measurements cannot be disturbed by edits made meanwhile, and the "one
changed" edits never touch the repository. The result goes to stdout as a
Markdown table and, unless --no-write, to benchmarks/README.md.
Target: warm <= 1.1 x plain.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from readme_section import write_section

ROOT = Path(__file__).resolve().parent.parent
IGNORE = shutil.ignore_patterns(".git", ".venv", ".cache", "site", "__pycache__", ".hypothesis", ".pytest_cache",
                                ".ruff_cache", "node_modules", "*.egg-info", "media")
TARGET = 1.1
QUIET_WAIT = 240  # seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--change", metavar="ID", help="the figure whose module is edited (default: a matplotlib one)")
    parser.add_argument("--skip-cold", action="store_true", help="one cold build only (to fill the cache), not timed")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite benchmarks/README.md")
    args = parser.parse_args(argv)

    # The builds load both cores themselves (the load at the end says so); what runs beside them
    # before they start is what would skew them. The 1-minute load trails by a minute or two: wait
    # (up to QUIET_WAIT seconds) for the machine to settle after whatever ran before.
    load_before = wait_for_quiet() if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="figures-bench-") as tmp:
        bench = Bench(Path(tmp))
        rows = bench.run(args.runs, args.change, timed_cold=not args.skip_cold)
        table = render_table(rows, bench, load_before)
    print(table)
    if not args.no_write:
        print(f"\nwritten to {write_section('build', readme(table))}", file=sys.stderr)
    warm, plain = rows["warm"], rows["plain"]
    ratio = statistics.median(warm) / statistics.median(plain)
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"\nwarm / plain = {ratio:.2f} (target <= {TARGET}): {verdict}", file=sys.stderr)
    return 0


class Bench:
    def __init__(self, tmp: Path):
        self.project = tmp / "project"
        shutil.copytree(ROOT, self.project, ignore=IGNORE)
        self.cache = tmp / "cache"
        self.sites = tmp / "sites"
        self.env = {k: v for k, v in os.environ.items() if k not in ("FIGURES_PACKAGES", "ATTENTION_EXAMPLES")}
        self.env.update(PYTHONPATH=str(self.project), FIGURES_CACHE=str(self.cache), NO_MKDOCS_2_WARNING="1",
                        NOTEBOOKS_CACHE=str(tmp / "notebooks-cache"))
        self.count = 0
        where = subprocess.run([sys.executable, "-c", "import figures_src, attention_ref; "
                                "print(figures_src.__file__); print(attention_ref.__file__)"],
                               env=self.env, cwd=tmp, capture_output=True, text=True, check=True).stdout.split()
        assert all(Path(w).is_relative_to(self.project) for w in where), f"not running the copy: {where}"
        self.figures = json.loads(subprocess.run(
            [sys.executable, "-c", "import json; from figures_src.build import registry; "
             "print(json.dumps({f.id: [f.kind, str(f.source_path)] for f in registry.discover().values()}))"],
            env=self.env, cwd=self.project, capture_output=True, text=True, check=True).stdout)

    def mkdocs(self, **env) -> float:
        self.count += 1
        site = self.sites / f"site-{self.count}"
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                              cwd=self.project, env={**self.env, **env}, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if proc.returncode:
            raise SystemExit(f"mkdocs build failed:\n{proc.stderr[-4000:]}")
        shutil.rmtree(site, ignore_errors=True)
        return seconds

    def report(self) -> dict:
        return json.loads((self.cache / "last-build-draft.json").read_text(encoding="utf-8"))

    def run(self, runs: int, change: str | None, *, timed_cold: bool) -> dict[str, list[float]]:
        rows: dict[str, list[float]] = {"cold": []}
        for i in range(runs if timed_cold else 1):
            shutil.rmtree(self.cache, ignore_errors=True)
            seconds = self.mkdocs()
            if timed_cold:
                rows["cold"].append(seconds)
            say(f"cold {i + 1}: {seconds:.2f} s")
        if not timed_cold:
            del rows["cold"]
        for name, env in (("warm", {}), ("warm-no-fast-path", {"FIGURES_FAST_PATH": "0"}),
                          ("plain", {"FIGURES_SKIP_BUILD": "1"})):
            self.mkdocs(**env)  # once untimed: the page caches of the OS and of Python are warm for all three
            rows[name] = [self.mkdocs(**env) for _ in range(runs)]
            say(f"{name}: {', '.join(f'{s:.2f}' for s in rows[name])} s")

        fig_id = change or next(fid for fid, (kind, _) in sorted(self.figures.items()) if kind == "matplotlib")
        source = Path(self.figures[fig_id][1])
        original = source.read_bytes()
        rows["one-changed"] = []
        try:
            for i in range(runs):
                source.write_bytes(original + f"\n# benchmark edit {i}: changes the source, not the picture\n".encode())
                rows["one-changed"].append(self.mkdocs())
                rendered = sorted({(r["id"], r["status"]) for r in self.report()["results"] if r["status"] != "cached"})
                assert rendered == [(fig_id, "rendered")], f"one changed figure rendered {rendered}"
            say(f"one-changed ({fig_id}): {', '.join(f'{s:.2f}' for s in rows['one-changed'])} s")
        finally:
            source.write_bytes(original)
        self.changed = fig_id
        return rows


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


LABELS = {
    "cold": "cold: empty figure cache",
    "warm": "warm: nothing changed",
    "warm-no-fast-path": "warm, FIGURES_FAST_PATH=0 (build process runs)",
    "one-changed": "one figure module changed",
    "plain": "plain MkDocs (FIGURES_SKIP_BUILD=1)",
}


def render_table(rows: dict[str, list[float]], bench: Bench, load_before: float | None = None) -> str:
    plain = statistics.median(rows["plain"])
    kinds = [k for k, _ in bench.figures.values()]
    lines = [
        f"Site build (`mkdocs build --strict`), draft quality, {kinds.count('matplotlib')} matplotlib figures "
        f"and {kinds.count('manim')} Manim scenes; the changed figure is `{bench.changed}`.",
        "",
        "| scenario | median (s) | runs (s) | × plain |",
        "|---|---:|---|---:|",
    ]
    for key in ("cold", "warm", "warm-no-fast-path", "one-changed", "plain"):
        if key in rows:
            med = statistics.median(rows[key])
            runs = ", ".join(f"{s:.2f}" for s in rows[key])
            lines.append(f"| {LABELS[key]} | {med:.2f} | {runs} | {med / plain:.2f} |")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    lines += [
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; load average before the first build {_load(load_before)}, at the end "
        f"{_load(load[0])} / {_load(load[1])} / {_load(load[2])} (1 / 5 / 15 min; the builds themselves keep both "
        "cores busy).",
    ]
    if load_before is not None and load_before > 1.0:
        lines.append("Other work was running when this started (1-minute load above 1): every time is inflated "
                     "and noisy; the ratios to the plain build, measured in the same minutes, are the result.")
    return "\n".join(lines)


def wait_for_quiet(limit: float = 1.0) -> float:
    """Wait until the 1-minute load average is at most `limit` (QUIET_WAIT seconds at most); return it."""
    deadline = time.monotonic() + QUIET_WAIT
    while (load := os.getloadavg()[0]) > limit and time.monotonic() < deadline:
        say(f"waiting for a quiet machine: 1-minute load {load:.1f} > {limit:.1f}")
        time.sleep(15)
    return load


def _load(x) -> str:
    return "?" if x is None or x == "?" else f"{x:.1f}"


def readme(table: str) -> str:
    return f"""## Site build

`make bench` (`python benchmarks/build.py`) times the full site build with its
figure build, each scenario the median of three runs, on a frozen copy of the
project (see the script's docstring). The target: a warm rebuild with nothing
changed costs at most {TARGET}× a plain MkDocs build of the same pages with the
figures already in place, and a change to one figure module renders only that
figure (the script asserts it from the build report).

How the warm rebuild stays cheap: the last full figure build records a
fingerprint of all its inputs (every file of figures_src/, attention_ref/ and
the figure packages, the examples file, the quality, the versions of Python,
numpy, matplotlib, Manim and PyAV) and the size and mtime of every file it
produced. The MkDocs hook compares both in-process before anything else and,
when they match, places that build's files without starting the figure build
process (`FIGURES_FAST_PATH=0` turns this off; `python -m figures_src build`
always verifies every file's hash).

{table}
"""


if __name__ == "__main__":
    sys.exit(main())
