"""Render time and size of every Manim scene, at draft and publish quality, from an empty cache.

    python benchmarks/scenes.py [--quality draft publish] [--jobs N] [--no-write]

For each quality it runs the figure build of the scenes alone into a fresh
temporary cache (so everything renders), with the build's own worker pool
(`--jobs`, default: the number of cores), and reports:

  - the wall time of the whole set (targets: draft <= 2 min, publish <= 15 min
    on the 2-core machine);
  - per scene: the worker's render time (Manim, the re-encode, stills, GIF),
    the video's length, resolution, MP4 size and bytes per second of video
    (target: <= 60 KB/s at 1080p), and the GIF's size.

The table goes to stdout and, unless --no-write, to its section of
benchmarks/README.md. A script, not a test: the times depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import av  # noqa: E402
from readme_section import write_section  # noqa: E402

from figures_src import build as figure_build  # noqa: E402
from figures_src.build import registry  # noqa: E402

TARGET_SECONDS = {"draft": 120, "publish": 900}
TARGET_KB_PER_S = 60  # at 1080p


def video_info(path: Path) -> tuple[float, int, int]:
    """(seconds, width, height) of an MP4."""
    with av.open(str(path)) as movie:
        s = movie.streams.video[0]
        return s.frames / float(s.average_rate), s.codec_context.width, s.codec_context.height


def measure(quality: str, jobs: int) -> tuple[float, list[dict]]:
    scenes = sorted(fid for fid, fig in registry.discover().items() if fig.kind == "manim")
    with tempfile.TemporaryDirectory(prefix=f"scenes-bench-{quality}-") as cache:
        started = time.perf_counter()
        report = figure_build.build(scenes, quality=quality, jobs=jobs, cache=Path(cache), progress=True)
        wall = time.perf_counter() - started
        if not report.ok:
            raise SystemExit("scene build failed:\n  " + "\n  ".join(report.errors()))
        rows = []
        for r in report.results:
            files = {Path(f).name.removeprefix(r.id): Path(f) for f in r.files}
            seconds, w, h = video_info(files[".mp4"])
            mp4 = files[".mp4"].stat().st_size
            rows.append({"id": r.id, "render": r.seconds, "length": seconds, "size": f"{w}×{h}", "height": h,
                         "mp4": mp4, "rate": mp4 / 1000 / seconds, "gif": files[".gif"].stat().st_size})
    return wall, rows


def table(quality: str, wall: float, rows: list[dict], jobs: int) -> str:
    total_len = sum(r["length"] for r in rows)
    total_mp4 = sum(r["mp4"] for r in rows)
    lines = [
        f"### {quality.capitalize()} quality",
        "",
        f"All {len(rows)} scenes: **{wall / 60:.1f} min** wall time with {jobs} workers "
        f"(target ≤ {TARGET_SECONDS[quality] / 60:.0f} min: {'met' if wall <= TARGET_SECONDS[quality] else 'MISSED'}); "
        f"{total_len:.0f} s of video, {total_mp4 / 1e6:.1f} MB of MP4, "
        f"{sum(r['gif'] for r in rows) / 1e6:.1f} MB of GIF.",
        "",
        "| scene | render (s) | length (s) | frame | MP4 (KB) | KB per s | GIF (KB) |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        flag = " ✗" if r["height"] >= 1080 and r["rate"] > TARGET_KB_PER_S else ""
        lines.append(f"| {r['id']} | {r['render']:.0f} | {r['length']:.1f} | {r['size']} | {r['mp4'] / 1000:.0f} | "
                     f"{r['rate']:.1f}{flag} | {r['gif'] / 1000:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quality", nargs="+", choices=figure_build.QUALITIES, default=["draft", "publish"])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-write", action="store_true", help="do not rewrite the section of benchmarks/README.md")
    args = ap.parse_args(argv)

    parts, missed = [], False
    for quality in args.quality:
        wall, rows = measure(quality, args.jobs)
        parts.append(table(quality, wall, rows, args.jobs))
        missed |= wall > TARGET_SECONDS[quality]
        missed |= any(r["height"] >= 1080 and r["rate"] > TARGET_KB_PER_S for r in rows)
    load = os.getloadavg()
    text = "\n\n".join([
        "## Manim scenes",
        "`python benchmarks/scenes.py` renders every scene from an empty cache at each quality. "
        f"Targets: draft ≤ 2 min and publish ≤ 15 min for the set, "
        f"≤ {TARGET_KB_PER_S} KB per second of video at 1080p.",
        *parts,
        f"Machine: {os.cpu_count()} cores, {platform.machine()}; Python {platform.python_version()}, "
        f"Manim {_version('manim')}, PyAV {av.__version__}; load average at the end {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1 / 5 / 15 min).",
    ])
    print(text)
    if not args.no_write:
        print(f"\nwritten to {write_section('scenes', text)}", file=sys.stderr)
    return 1 if missed else 0


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    sys.exit(main())
