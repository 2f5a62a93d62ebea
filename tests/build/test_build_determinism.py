"""Two cold builds of the real figures give the same files, byte for byte.

The figure sources (attention_ref/, figures_src/) are copied once, so both
builds see the same commit even if the working tree is edited meanwhile; then
`python -m figures_src build` runs twice from the copy, each into its own
empty cache, and every file is compared. SVG, PNG, PDF, JSON, WebVTT:
identical bytes. MP4: identical decoded frames (PyAV); their bytes are
compared too, and a difference there only warns. The failure names every file
that differs.

Every matplotlib figure is built, and one Manim scene (softmax-scene, or the
first): scenes take far longer, and one is enough to catch an encoder or
renderer that is not deterministic. DETERMINISM_SCENES=all (or a
comma-separated list of ids) builds more.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from figures_src import build as figure_build

ROOT = Path(__file__).resolve().parents[2]


def frozen_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "src"
    for name in ("attention_ref", "figures_src"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def chosen_ids(copy: Path, env: dict) -> list[str]:
    listing = subprocess.run([sys.executable, "-m", "figures_src", "list"], cwd=copy, env=env,
                             capture_output=True, text=True, check=True).stdout
    kinds = dict(line.split()[:2] for line in listing.splitlines() if line.strip())
    scenes = sorted(i for i, k in kinds.items() if k == "manim")
    wanted = os.environ.get("DETERMINISM_SCENES", "")
    if wanted == "all":
        chosen = scenes
    elif wanted:
        chosen = [i for i in wanted.split(",") if i in scenes]
    else:
        chosen = ["softmax-scene"] if "softmax-scene" in scenes else scenes[:1]
    return sorted(i for i, k in kinds.items() if k == "matplotlib") + chosen


def build_env(copy: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FIGURES_PACKAGES", "ATTENTION_EXAMPLES")}
    env.update(PYTHONPATH=str(copy))
    return env


def cold_build(copy: Path, cache: Path, ids: list[str]) -> figure_build.Report:
    env = {**build_env(copy), "FIGURES_CACHE": str(cache)}
    report_path = cache.parent / f"{cache.name}-report.json"
    proc = subprocess.run([sys.executable, "-m", "figures_src", "build", *ids, "--quiet", "--report", str(report_path)],
                          cwd=copy, env=env, capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = figure_build.read_report(report_path)
    assert all(Path(r.dir).is_relative_to(cache) for r in report.results)
    assert {r.status for r in report.results} == {"rendered"}, "not a cold build"
    return report


def files_of(report, cache: Path) -> dict[str, Path]:
    """Every file of the report, by its path relative to the cache (render/<id>/<theme>-<quality>-<key>/<name>)."""
    out = {}
    for r in report.results:
        for f in [*r.files, str(Path(r.dir) / "manifest.json")]:
            out[str(Path(f).relative_to(cache))] = Path(f)
    return out


def frames(path: Path) -> list[str]:
    """The sha256 of every decoded frame of a video (RGB), in order."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [hashlib.sha256(fr.to_ndarray(format="rgb24").tobytes()).hexdigest() for fr in container.decode(stream)]


@pytest.mark.slow
def test_two_cold_builds_are_byte_identical(tmp_path):
    copy = frozen_copy(tmp_path)
    ids = chosen_ids(copy, build_env(copy))
    first = cold_build(copy, tmp_path / "cache-a", ids)
    second = cold_build(copy, tmp_path / "cache-b", ids)

    a, b = files_of(first, tmp_path / "cache-a"), files_of(second, tmp_path / "cache-b")
    assert sorted(a) == sorted(b), f"the two builds made different files or keys: {sorted(set(a) ^ set(b))}"
    assert any(p.suffix == ".svg" for p in a.values())
    differ, video_bytes = [], []
    for rel in sorted(a):
        if a[rel].read_bytes() == b[rel].read_bytes():
            continue
        if rel.endswith(".mp4"):
            fa, fb = frames(a[rel]), frames(b[rel])
            if fa == fb:
                video_bytes.append(rel)  # same pictures, different container bytes
                continue
            diff = [i for i, (x, y) in enumerate(zip(fa, fb, strict=False)) if x != y]
            rel += f" (frames: {len(fa)} vs {len(fb)}; {len(diff)} differ, first {diff[:5]})"
        differ.append(rel)
    assert not differ, "these files differ between two cold builds:\n  " + "\n  ".join(differ)
    if video_bytes:  # the promise for videos is the frames; say so if the container bytes drift
        warnings.warn("same frames, different MP4 bytes:\n  " + "\n  ".join(video_bytes), stacklevel=1)
