"""The Manim scenes draw exactly the numbers of their data, readably, and look like their control frames.

For every scene (every module of KIND "manim"):

- Numbers. The scene runs once without writing video (`manim_kit.scene_texts`,
  on the data as the build passes it: `data()` through JSON). Every string of
  `labels(data)` must be shown, and every text the scene shows that contains a
  digit must be one of `labels(data)`: no number reaches the screen that data()
  does not hold. The numbers in the captions (the transcript) must be numbers
  of `labels(data)` too.
- Readability. At the end of every chapter (the frames the page shows as
  stills) every visible text is at least `MIN_FONT` at the default frame, lies
  inside the frame and above `CAPTION_BAND` (where the player draws the
  captions), and no two texts overlap.
- Captions and chapters. A caption starts at least every `MAX_CAPTION_GAP`
  seconds, and every chapter has a caption.
- Pixels. The last frame of the draft build (the last step's still), downscaled
  to a 160x90 grey image, matches the committed control frame
  `tests/kit/scenes/control/<id>.png` with a
  mean absolute difference below `CONTROL_TOLERANCE` grey levels (see there
  for why). Regenerate the control frames on purpose with
  `python tests/kit/scenes/make_control_frames.py` and review them as images.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from attention_ref import load_examples
from figures_src.build import registry
from figures_src.kit.jsonable import to_jsonable

ROOT = Path(__file__).resolve().parents[2]
CONTROL_DIR = ROOT / "tests" / "kit" / "scenes" / "control"

# Same commit, same machine: the decoded frames are identical, the difference
# is 0. Between machines, Cairo/Pango/x264 builds may move antialiased edges
# by a fraction of a pixel; at 160x90 that averages to well under one grey level
# (measured: a 480p poster against the 1080p poster of the same scene, downscaled
# the same way, differs by 0.3 to 1.3 levels). A real change of the picture (a
# layout shift of a quarter of a unit, a palette change, a missing group of
# labels) moves the mean by 2.5 levels or more (measured on deliberate edits,
# see make_control_frames.py --help). 2.0 separates the two.
CONTROL_TOLERANCE = 2.0
MAX_CAPTION_GAP = 8.0  # seconds: "a caption every few seconds"
NUMBER = re.compile(r"\d+(?:\.\d+)?")

SCENES = sorted(fid for fid, fig in registry.discover().items() if fig.kind == "manim")


# --------------------------------------------------------------------------- one dry run per scene


class DryRun:
    """What one run of a scene without video showed: texts, captions, chapters, and the layout at each chapter's end."""

    def __init__(self, fid: str):
        from figures_src.kit import scene as manim_kit

        fig = registry.discover()[fid]
        self.id = fid
        self.data = json.loads(json.dumps(to_jsonable(fig.module.data(load_examples()))))  # as the build passes it
        self.labels = list(fig.module.labels(self.data))
        holder = {}
        base = fig.module.scene(self.data)

        class Probe(base):
            def setup(self):
                super().setup()
                self.layouts = []
                holder["scene"] = self

            def chapter(self, title):
                if self.chapters:
                    self.layouts.append((self.chapters[-1][1], visible_texts(self)))
                super().chapter(title)

            def tear_down(self):
                self.layouts.append((self.chapters[-1][1] if self.chapters else "end", visible_texts(self)))
                super().tear_down()

        Probe.__name__ = base.__name__
        self.texts = manim_kit.scene_texts(Probe)
        scene = holder["scene"]
        self.cues, self.chapters, self.layouts = scene.cues, scene.chapters, scene.layouts
        self.duration = scene.renderer.time


def visible_texts(scene) -> list[tuple[str, float, tuple[float, float, float, float]]]:
    """(string, font size, (x0, y0, x1, y1)) of every text on screen with some opacity."""
    import manim as mn

    out = []

    def walk(m):
        if isinstance(m, (mn.Text, mn.MarkupText, mn.SingleStringMathTex)):
            if max((p.get_fill_opacity() for p in m.get_family()), default=0) > 0.05 and m.width > 0:
                s = getattr(m, "original_text", None) or getattr(m, "tex_string", None) or m.text
                x0, y0 = m.get_corner(mn.DL)[:2]
                x1, y1 = m.get_corner(mn.UR)[:2]
                out.append((s, float(m.font_size), (float(x0), float(y0), float(x1), float(y1))))
            return
        for sub in m.submobjects:
            walk(sub)

    for m in scene.mobjects:
        walk(m)
    return out


@cache
def dry_run(fid: str) -> DryRun:
    return DryRun(fid)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("fid", SCENES)
def test_every_label_is_drawn(fid):
    run = dry_run(fid)
    missing = [s for s in run.labels if s not in run.texts]
    assert not missing, f"{fid}: labels() lists numbers the scene never shows: {missing[:10]}"


@pytest.mark.parametrize("fid", SCENES)
def test_no_number_is_drawn_that_data_does_not_hold(fid):
    run = dry_run(fid)
    labels = set(run.labels)
    stray = [s for s in run.texts if re.search(r"\d", s) and s not in labels]
    assert not stray, f"{fid}: texts with digits that labels(data) does not list: {stray[:10]}"


@pytest.mark.parametrize("fid", SCENES)
def test_caption_numbers_come_from_data(fid):
    run = dry_run(fid)
    known = {n for s in run.labels for n in NUMBER.findall(s)}
    stray = [(words, n) for _, words in run.cues for n in NUMBER.findall(words) if n not in known]
    assert not stray, f"{fid}: numbers in captions that labels(data) does not hold: {stray[:5]}"


# --------------------------------------------------------------------------- readability


@pytest.mark.parametrize("fid", SCENES)
def test_texts_are_large_enough_inside_the_frame_and_above_the_captions(fid):
    from figures_src.kit.pieces import CAPTION_BAND, MIN_FONT

    run = dry_run(fid)
    problems = []
    for chapter, texts in run.layouts:
        for s, size, (x0, y0, x1, y1) in texts:
            if size < MIN_FONT - 0.5:
                problems.append(f"[{chapter}] {s!r} is {size:.1f} < {MIN_FONT}")
            if x0 < -7.0 or x1 > 7.0 or y1 > 3.95 or y0 < CAPTION_BAND:  # 0.1 unit from the frame's edges
                problems.append(f"[{chapter}] {s!r} at x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f} leaves the frame "
                                f"or enters the caption band (y < {CAPTION_BAND})")
    assert not problems, f"{fid}:\n  " + "\n  ".join(problems[:15])


@pytest.mark.parametrize("fid", SCENES)
def test_no_two_texts_overlap(fid):
    run = dry_run(fid)
    problems = []
    for chapter, texts in run.layouts:
        for a in range(len(texts)):
            for b in range(a + 1, len(texts)):
                (sa, _, ba), (sb, _, bb) = texts[a], texts[b]
                dx = min(ba[2], bb[2]) - max(ba[0], bb[0])
                dy = min(ba[3], bb[3]) - max(ba[1], bb[1])
                if dx > 0.02 and dy > 0.02:
                    problems.append(f"[{chapter}] {sa!r} overlaps {sb!r}")
    assert not problems, f"{fid}:\n  " + "\n  ".join(problems[:15])


@pytest.mark.parametrize("fid", SCENES)
def test_captions_run_throughout_stay_up_long_enough_and_every_chapter_has_one(fid):
    from figures_src.kit.scene import CAPTION_CPS

    run = dry_run(fid)
    assert run.cues and run.chapters, f"{fid}: a scene needs captions and chapters"
    starts = [t for t, _ in run.cues] + [run.duration]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert max(gaps) <= MAX_CAPTION_GAP, f"{fid}: {max(gaps):.1f} s without a new caption"
    short = [(words, round(gap, 2)) for (_, words), gap in zip(run.cues, gaps, strict=True)
             if gap < len(words) / CAPTION_CPS - 0.01]
    assert not short, f"{fid}: captions up for less than their reading time: {short[:3]}"
    for k, (t0, title) in enumerate(run.chapters):
        t1 = run.chapters[k + 1][0] if k + 1 < len(run.chapters) else run.duration
        assert any(t0 - 1e-6 <= t < t1 for t, _ in run.cues), f"{fid}: chapter {title!r} has no caption"


def test_the_walkthrough_has_one_chapter_per_step_and_lasts_about_two_minutes():
    run = dry_run("walkthrough-scene")
    titles = [t for _, t in run.chapters]
    assert len(titles) == 9, titles
    assert 95 <= run.duration <= 125, run.duration


# --------------------------------------------------------------------------- pixels


def control_frames():
    """tests/scenes/make_control_frames.py as a module: the same downscaling for the stored and the new frame."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_control_frames", CONTROL_DIR.parent / "make_control_frames.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def draft_build():
    from figures_src.build import build

    report = build(SCENES, quality="draft", progress=False)
    assert report.ok, report.errors()
    return {r.id: r for r in report.results}


def last_still(files: list[str]) -> str:
    """The still of the last step: the animation's last frame."""
    stills = [p for p in files if re.search(r"\.step-\d+\.png$", p)]
    return max(stills, key=lambda p: int(re.search(r"\.step-(\d+)\.png$", p).group(1)))


@pytest.mark.parametrize("fid", SCENES)
def test_last_frame_matches_its_control_frame(fid, draft_build):
    from PIL import Image

    control = CONTROL_DIR / f"{fid}.png"
    assert control.exists(), f"no control frame for {fid}: run python tests/kit/scenes/make_control_frames.py"
    got = control_frames().downscale(last_still(draft_build[fid].files)).astype(float)
    with Image.open(control) as im:
        want = np.asarray(im.convert("L")).astype(float)
    assert got.shape == want.shape
    mad = float(np.abs(got - want).mean())
    assert mad < CONTROL_TOLERANCE, f"{fid}: last frame differs from its control frame by {mad:.2f} grey levels"


@pytest.mark.parametrize("fid", SCENES)
def test_the_poster_is_the_frame_its_label_names_the_first_step(fid, draft_build):
    """Before it plays, the page reads "Step 1 of N: <first chapter>" under the video (site/embed.py): the
    poster is the finished first step, pixel for pixel, and not the end of the animation."""
    from PIL import Image

    from figures_src.kit import vtt
    from figures_src.site.embed import SiteFigure, video_html

    files = {Path(p).name: p for p in draft_build[fid].files}
    chapters = vtt.read(files[f"{fid}.chapters.vtt"])
    fig = SiteFigure(fid, "manim", "Caption", "", "alt", {}, files=dict(files))
    label = re.search(r'<p class="sav-steps__now"[^>]*>([^<]*)</p>', video_html(fig, lambda p: p)).group(1)
    assert label == html.escape(f"Step 1 of {len(chapters)}: {chapters[0].text}")

    def pixels(name):
        with Image.open(files[name]) as im:
            return np.asarray(im.convert("RGB"))

    poster = pixels(f"{fid}.poster.png")
    assert np.array_equal(poster, pixels(f"{fid}.step-1.png")), f"{fid}: the poster is not step 1's still"
    assert not np.array_equal(poster, pixels(Path(last_still(draft_build[fid].files)).name)), \
        f"{fid}: the poster is the last frame, while its label names step 1"


@pytest.mark.parametrize("fid", SCENES)
def test_gif_loops_through_the_whole_scene_and_ends_on_its_last_frame(fid, draft_build):
    from PIL import Image

    from figures_src.kit.video import GIF

    files = draft_build[fid].files
    gif = next(p for p in files if p.endswith(".gif"))
    ending = last_still(files)
    import av

    with av.open(next(p for p in files if p.endswith(".mp4"))) as movie:
        stream = movie.streams.video[0]
        duration = stream.frames / float(stream.average_rate)
    spec = GIF["draft"]
    with Image.open(gif) as im:
        assert im.size[0] == spec["width"]
        assert im.info.get("loop") == 0, f"{fid}: the GIF plays once"
        shown = 0.0  # ms; Pillow merges a still stretch into one frame with a longer duration
        for k in range(im.n_frames):
            im.seek(k)
            assert im.info["duration"] % (1000 / spec["fps"]) == 0, im.info["duration"]
            shown += im.info["duration"]
        lasts = shown / 1000
        assert abs(lasts - duration) <= 2 / spec["fps"], f"{fid}: the GIF lasts {lasts:.1f} s, not {duration:.1f}"
        last = np.asarray(im.convert("L"), dtype=float)
    with Image.open(ending) as p:
        want = np.asarray(p.convert("L").resize((last.shape[1], last.shape[0])), dtype=float)
    mad = float(np.abs(last - want).mean())
    assert mad < 6, f"{fid}: the GIF's last frame differs from the last still by {mad:.1f} grey levels on average"
