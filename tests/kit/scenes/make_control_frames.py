"""Render every Manim scene at draft through the figure build and store its poster as a small control frame.

    python tests/kit/scenes/make_control_frames.py            # every scene
    python tests/kit/scenes/make_control_frames.py ID [ID]    # some scenes

Each control frame is the scene's last frame (the still of its last step, where
the animation ends) reduced to a 160x90 grey PNG of a few kilobytes:
tests/kit/scenes/control/<id>.png. tests/kit/test_scenes.py compares the last
frame of the current draft build with it. Run this on purpose after changing how a
scene looks, and look at the new control frames before committing them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
CONTROL_DIR = ROOT / "tests" / "kit" / "scenes" / "control"
SIZE = (160, 90)


def downscale(poster) -> np.ndarray:
    """A poster as a SIZE grey image (uint8): each pixel the mean of its block, so edges average out."""
    from PIL import Image

    with Image.open(poster) as im:
        return np.asarray(im.convert("L").resize(SIZE, Image.Resampling.BOX))


def scene_ids() -> list[str]:
    from figures_src.build import registry

    return sorted(fid for fid, fig in registry.discover().items() if fig.kind == "manim")


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from figures_src.build import build

    ids = argv or scene_ids()
    report = build(ids, quality="draft")
    if not report.ok:
        print("\n".join(report.errors()), file=sys.stderr)
        return 1
    CONTROL_DIR.mkdir(parents=True, exist_ok=True)
    for r in report.results:
        stills = [p for p in r.files if re.search(r"\.step-\d+\.png$", p)]
        last = max(stills, key=lambda p: int(re.search(r"\.step-(\d+)\.png$", p).group(1)))
        out = CONTROL_DIR / f"{r.id}.png"
        Image.fromarray(downscale(last)).save(out, optimize=True)
        print(f"{out.relative_to(ROOT)}  ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
