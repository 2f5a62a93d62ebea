"""Manim helpers shared by every scene: captions, chapters, rendering, posters.

A scene module defines its Scene class inside `render()` (so that listing
figures never imports Manim) on top of `CaptionedScene`:

    def render(data, out_dir, theme, quality):
        from figures_src.manim_kit import CaptionedScene, render_scene
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
"""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import av
import manim as mn
import numpy as np
from PIL import Image

from . import style

QUALITY = {
    "draft": {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15},
    "publish": {"pixel_width": 1920, "pixel_height": 1080, "frame_rate": 60},
}
CRF = {"draft": 28, "publish": 30}


class CaptionedScene(mn.Scene):
    """A Scene that records captions, chapters and every text it shows."""

    def setup(self):
        self.cues: list[tuple[float, str]] = []
        self.chapters: list[tuple[float, str]] = []
        self.shown: list = []

    def say(self, text: str) -> None:
        """Start a caption now; it lasts until the next caption or the end."""
        self.cues.append((self.renderer.time, text))

    def chapter(self, title: str) -> None:
        """Start a chapter (a step the page can jump to)."""
        self.chapters.append((self.renderer.time, title))

    def add(self, *mobjects):
        self.shown.extend(mobjects)
        return super().add(*mobjects)

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


def text(s: str, size: float = 28, color: str | None = None, weight=mn.NORMAL, **kw) -> mn.Text:
    """A Text in the site's font, colour of the video theme by default."""
    fg = style.theme(style.VIDEO_THEME)["foreground"]
    return mn.Text(s, font=style.FONT_FAMILY, font_size=size, color=color or fg, weight=weight, **kw)


def render_scene(scene_cls, out_dir: Path, fig_id: str, quality: str) -> CaptionedScene:
    """Render `scene_cls` and write the MP4, poster, captions, chapters and stills into `out_dir`."""
    out_dir = Path(out_dir)
    bg = style.theme(style.VIDEO_THEME)["background"]
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
        }
        with mn.tempconfig(options):
            scene = scene_cls()
            scene.render()
            movie = Path(scene.renderer.file_writer.movie_file_path)
            duration = scene.renderer.time
            reencode(movie, out_dir / f"{fig_id}.mp4", crf=CRF[quality])
    write_vtt(out_dir / f"{fig_id}.captions.vtt", scene.cues, duration)
    if scene.chapters:
        write_vtt(out_dir / f"{fig_id}.chapters.vtt", scene.chapters, duration)
    # Stills: the last frame of each chapter, and the last frame as the poster.
    ends = [t for t, _ in scene.chapters[1:]] + [duration]
    frames = frames_at(out_dir / f"{fig_id}.mp4", [max(0.0, t - 0.05) for t in ends])
    for i, frame in enumerate(frames[:-1] if scene.chapters else [], start=1):
        Image.fromarray(frame).save(out_dir / f"{fig_id}.step-{i}.png", optimize=True)
    if scene.chapters:
        Image.fromarray(frames[-1]).save(out_dir / f"{fig_id}.step-{len(frames)}.png", optimize=True)
    Image.fromarray(frames[-1]).save(out_dir / f"{fig_id}.poster.png", optimize=True)
    return scene


def reencode(src: Path, dst: Path, *, crf: int) -> None:
    """H.264, yuv420p, moov atom first (fast start), no encoder dates: a small web video."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", options={"movflags": "+faststart"}) as out:
        s_in = inp.streams.video[0]
        rate = Fraction(s_in.average_rate or 15)
        s_out = out.add_stream("libx264", rate=rate)
        s_out.codec_context.time_base = 1 / rate
        s_out.width, s_out.height = s_in.codec_context.width, s_in.codec_context.height
        s_out.pix_fmt = "yuv420p"
        # One thread and fixed options: the same input gives the same bytes.
        s_out.options = {"crf": str(crf), "preset": "slow", "tune": "animation", "threads": "1"}
        s_out.codec_context.thread_count = 1
        out.metadata.clear()
        for i, frame in enumerate(inp.decode(s_in)):
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = i, 1 / rate  # a clean timeline: frame i at i / rate
            for packet in s_out.encode(frame):
                out.mux(packet)
        for packet in s_out.encode():
            out.mux(packet)


def frames_at(movie: Path, times: list[float]) -> list[np.ndarray]:
    """RGB frames of `movie` nearest to each time in `times` (seconds)."""
    wanted = sorted(range(len(times)), key=lambda i: times[i])
    out: list = [None] * len(times)
    last = None
    with av.open(str(movie)) as inp:
        stream = inp.streams.video[0]
        j = 0
        for frame in inp.decode(stream):
            t = float(frame.pts * stream.time_base)
            last = frame
            while j < len(wanted) and t >= times[wanted[j]]:
                out[wanted[j]] = frame.to_ndarray(format="rgb24")
                j += 1
    for i in range(len(out)):
        if out[i] is None and last is not None:
            out[i] = last.to_ndarray(format="rgb24")
    return out


def write_vtt(path: Path, cues: list[tuple[float, str]], duration: float) -> None:
    lines = ["WEBVTT", ""]
    for n, (start, words) in enumerate(cues):
        end = cues[n + 1][0] if n + 1 < len(cues) else duration
        if end <= start:
            continue
        lines += [str(n + 1), f"{_ts(start)} --> {_ts(end)}", words, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def scene_texts(scene_cls) -> list[str]:
    """Run a scene without writing any video and return the texts it showed (for tests)."""
    with tempfile.TemporaryDirectory(prefix="manim-dry-") as media:
        with mn.tempconfig({"dry_run": True, "media_dir": media, "disable_caching": True, "progress_bar": "none",
                            "verbosity": "ERROR", **QUALITY["draft"]}):
            scene = scene_cls()
            scene.render()
    return scene.texts()
