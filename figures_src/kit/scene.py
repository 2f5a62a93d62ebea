"""The scene framework every Manim scene builds on: captions, chapters, rendering, stills.

A scene module defines its Scene class inside `render()` (so that listing
figures never imports Manim) on top of `CaptionedScene`:

    def render(data, out_dir, theme, quality):
        from figures_src.kit.scene import CaptionedScene, render_scene
        import manim as mn

        class Softmax(CaptionedScene):
            def construct(self):
                self.chapter("Scores")
                self.say("The query of “it” scored every key.")
                ...
        render_scene(Softmax, out_dir, ID, quality)

`render_scene` writes `<id>.mp4` (H.264, yuv420p, fast start), `<id>.poster.png`,
`<id>.captions.vtt`, `<id>.chapters.vtt` (when the scene has chapters) and one
still per chapter, `<id>.step-N.png`, for readers who prefer reduced motion.
The poster is the still of the first step (the frame the label "Step 1 of N"
under the video names); without chapters, the last frame.

A scene module whose class is made by a function `scene(data)` renders with
`render_themed(scene, data, out_dir, ID, quality, theme)`: the class is made
with the theme's palette (`kit.pieces.use_theme`), dark for the site, light for
the slides (the build renders the light one only for the deck and the pack).
The drawing pieces live in `kit.pieces`, the video encoding in `kit.video`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import manim as mn
from PIL import Image

from . import pieces, vtt
from .pieces import text
from .video import CRF, GIF, PRESET, QUALITY, frames_at, reencode, write_gif

CAPTION_CPS = 20  # a caption stays up at least len(text) / CAPTION_CPS seconds (subtitle guides: 15 to 20)


class CaptionedScene(mn.Scene):
    """A Scene that records captions, chapters and every text it shows."""

    def setup(self):
        self.cues: list[tuple[float, str]] = []
        self.chapters: list[tuple[float, str]] = []
        self.shown: list = []

    def say(self, text: str) -> None:
        """Start a caption now; it lasts until the next caption or the end.

        If the previous caption has not been up long enough to be read
        (CAPTION_CPS), the scene first waits for it, so no caption flashes by.
        """
        self.hold_caption()
        self.cues.append((self.renderer.time, text))

    def hold_caption(self) -> None:
        """Wait until the current caption has been up long enough to read."""
        if self.cues:
            start, words = self.cues[-1]
            missing = start + len(words) / CAPTION_CPS - self.renderer.time
            if missing > 1e-3:
                self.wait(missing)

    def tear_down(self):
        self.hold_caption()  # the last caption too
        super().tear_down()

    def chapter(self, title: str) -> None:
        """Start a chapter (a step the page can jump to), once the last caption has been read."""
        self.hold_caption()
        self.chapters.append((self.renderer.time, title))

    def add(self, *mobjects):
        self.shown.extend(mobjects)
        return super().add(*mobjects)

    def get_moving_mobjects(self, *animations):
        """Redraw only the on-screen groups that an animation touches (plus foreground and updated ones).

        Manim redraws every mobject added after the first moving one, so
        animating one early, small thing (a token's chip) redraws the whole
        screen on every frame. Here a static group stays in the cached
        background; the cost is that a moving group is drawn above static ones
        while it moves (the scenes bring such groups to the foreground, or do
        not overlap them).
        """
        touched = set()
        stack = list(animations)
        while stack:
            anim = stack.pop()
            touched.update(id(m) for m in anim.mobject.get_family())
            stack.extend(getattr(anim, "animations", ()))
        fore = {id(m) for m in self.foreground_mobjects}
        return [m for m in self.mobjects
                if id(m) in fore or any(id(p) in touched or p.updaters for p in m.get_family())]

    def heading(self, words: str, run_time: float = 0.5) -> None:
        """Show the step's heading at the top left, replacing the previous one."""
        new = text(words, 26, color=pieces.MUTED).to_corner(mn.UL, buff=0.3)
        old = getattr(self, "_heading", None)
        self.play(*([Fade(old, out=True)] if old is not None else []), Fade(new), run_time=run_time)
        self._heading = new

    def clear_stage(self, *keep, run_time: float = 0.6) -> None:
        """Fade out everything on screen but `keep` (and the heading)."""
        keep = set(keep) | {getattr(self, "_heading", None)}
        gone = [m for m in self.mobjects if m not in keep]
        if gone:
            self.play(*(Fade(m, out=True) for m in gone), run_time=run_time)

    def texts(self) -> list[str]:
        """Every string the scene has shown in a Text, MarkupText or Tex object."""
        out = []
        for m in self.shown:
            for part in m.get_family():
                if isinstance(part, (mn.Text, mn.MarkupText)):
                    out.append(part.original_text if hasattr(part, "original_text") else part.text)
                elif isinstance(part, mn.SingleStringMathTex):
                    out.append(part.tex_string)
        return list(dict.fromkeys(out))


class Fade(mn.Animation):
    """Fade a mobject in (or out, `out=True`) by scaling its opacities.

    Does what FadeIn/FadeOut do without their deep copies of the mobject, which
    for a group of a hundred numbers cost seconds per call; use it for big groups.
    """

    def __init__(self, mobject, *, out: bool = False, **kwargs):
        super().__init__(mobject, introducer=not out, remover=out, **kwargs)
        self.out = out

    def begin(self) -> None:
        self.parts = [m for m in self.mobject.get_family() if isinstance(m, mn.VMobject)]
        self.parts = [m for m in self.parts if all(hasattr(m, a) for a in self._RGBAS)]
        self.alphas = [tuple(getattr(m, a)[:, 3].copy() for a in self._RGBAS) for m in self.parts]
        self.interpolate(0)

    _RGBAS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.rate_func(alpha)
        k = 1.0 - k if self.out else k
        for m, alphas in zip(self.parts, self.alphas, strict=True):
            for attr, a in zip(self._RGBAS, alphas, strict=True):
                getattr(m, attr)[:, 3] = a * k

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        if self.out:  # gone from the scene: give it back its opacities in case it is shown again
            for m, alphas in zip(self.parts, self.alphas, strict=True):
                for attr, a in zip(self._RGBAS, alphas, strict=True):
                    getattr(m, attr)[:, 3] = a


class FadeTo(Fade):
    """Dim a mobject to `level` (0..1) of its own opacities, or bring it back with level=1.

    The first FadeTo records the mobject's full opacities, so dimming and
    restoring never flattens a chip's faint fill into a solid one (as
    set_opacity(1) would).
    """

    def __init__(self, mobject, level: float, **kwargs):
        super().__init__(mobject, **kwargs)
        self.level = level
        self.introducer = False

    def begin(self) -> None:
        self.parts = [m for m in self.mobject.get_family()
                      if isinstance(m, mn.VMobject) and all(hasattr(m, a) for a in self._RGBAS)]
        for m in self.parts:
            if not hasattr(m, "_full_alphas"):
                m._full_alphas = tuple(getattr(m, a)[:, 3].copy() for a in self._RGBAS)
        self.starts = [tuple(getattr(m, a)[:, 3].copy() for a in self._RGBAS) for m in self.parts]
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        k = self.rate_func(alpha)
        for m, start in zip(self.parts, self.starts, strict=True):
            for attr, a0, full in zip(self._RGBAS, start, m._full_alphas, strict=True):
                target = full * self.level
                if a0.shape == target.shape:
                    getattr(m, attr)[:, 3] = a0 + (target - a0) * k

    def clean_up_from_scene(self, scene) -> None:
        mn.Animation.clean_up_from_scene(self, scene)


def render_scene(scene_cls, out_dir: Path, fig_id: str, quality: str) -> CaptionedScene:
    """Render `scene_cls` and write the MP4, poster, captions, chapters and stills into `out_dir`."""
    out_dir = Path(out_dir)
    bg = pieces.BG
    with tempfile.TemporaryDirectory(prefix="manim-") as media:
        options = {
            **QUALITY[quality],
            "media_dir": media,
            "output_file": fig_id,
            "disable_caching": True,
            "progress_bar": "none",
            "verbosity": "ERROR",
            "background_color": bg,
            "format": "mp4",
            "write_to_movie": True,
            # Manim's own segments are only an intermediate: lossless and fast, so the one lossy encode is
            # reencode()'s (single-threaded, deterministic) and the frames it reads are exactly Cairo's,
            # whatever x264's thread count on this machine. Cheaper too than the default crf 23 medium.
            "video_encoder_options": {"preset": "ultrafast", "qp": "0"},
        }
        with mn.tempconfig(options):
            scene = scene_cls()
            scene.render()
            movie = Path(scene.renderer.file_writer.movie_file_path)
            duration = scene.renderer.time
            reencode(movie, out_dir / f"{fig_id}.mp4", crf=CRF[quality], preset=PRESET[quality])
    vtt.write(out_dir / f"{fig_id}.captions.vtt", scene.cues, duration)
    if scene.chapters:
        vtt.write(out_dir / f"{fig_id}.chapters.vtt", scene.chapters, duration)
    # Stills: the last frame of each chapter (its finished state). The poster is the first step's still:
    # the page's label under the video reads "Step 1 of N" before it plays. Without chapters, the last frame.
    ends = [t for t, _ in scene.chapters[1:]] + [duration]
    frames = frames_at(out_dir / f"{fig_id}.mp4", [max(0.0, t - 0.05) for t in ends])
    if scene.chapters:
        for i, frame in enumerate(frames, start=1):
            Image.fromarray(frame).save(out_dir / f"{fig_id}.step-{i}.png", optimize=True)
    Image.fromarray(frames[0] if scene.chapters else frames[-1]).save(out_dir / f"{fig_id}.poster.png",
                                                                      optimize=True)
    write_gif(out_dir / f"{fig_id}.mp4", out_dir / f"{fig_id}.gif", **GIF[quality])
    return scene


def render_themed(make_scene, data, out_dir: Path, fig_id: str, quality: str, theme: str) -> CaptionedScene:
    """Make the scene's class with `make_scene(data)` in the palette of `theme`, then `render_scene` it."""
    previous = pieces.THEME
    pieces.use_theme(theme)
    try:
        return render_scene(make_scene(data), out_dir, fig_id, quality)
    finally:
        pieces.use_theme(previous)


def scene_texts(scene_cls) -> list[str]:
    """Run a scene without writing any video and return the texts it showed (for tests)."""
    with tempfile.TemporaryDirectory(prefix="manim-dry-") as media:
        with mn.tempconfig({"dry_run": True, "media_dir": media, "disable_caching": True, "progress_bar": "none",
                            "verbosity": "ERROR", **QUALITY["draft"]}):
            scene = scene_cls(skip_animations=True)  # no frames drawn: only what the scene adds
            scene.render()
    return scene.texts()
