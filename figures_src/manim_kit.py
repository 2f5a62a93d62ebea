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

from . import style, vtt

QUALITY = {
    "draft": {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15},
    # 30 frames a second, not 60: every cost of a render (drawing, the lossless intermediate, its decoding,
    # the final encode) is per frame, and at 60 the site's scenes (about five minutes of video) took more
    # than the 15 minutes allowed on two cores; the scenes move slowly enough that 30 looks the same.
    "publish": {"pixel_width": 1920, "pixel_height": 1080, "frame_rate": 30},
}
CRF = {"draft": 28, "publish": 30}
# The GIF download, for slides that cannot play video. A GIF stores every changed pixel of every frame,
# so it costs 3-5x the MP4 even at these settings (walkthrough-scene, 112 s: 8.1 MB at 640 px, 6 fps,
# 64 colours; 6.4 MB at 480 px, 5 fps, 255 colours); 64 colours keep text and flat fills exact.
GIF = {"draft": {"fps": 4, "width": 480, "colors": 64}, "publish": {"fps": 5, "width": 640, "colors": 64}}
# x264 presets: at publish "slow" cost 20% more time than "medium" for the same size (softmax-scene, 1080p60);
# drafts are for looking and testing, so they take the fast one.
PRESET = {"draft": "veryfast", "publish": "medium"}
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
        new = text(words, 26, color=MUTED).to_corner(mn.UL, buff=0.3)
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


def text(s: str, size: float = 28, color: str | None = None, weight=mn.NORMAL, **kw) -> mn.Text:
    """A Text in the site's font, colour of the video theme by default."""
    fg = style.theme(style.VIDEO_THEME)["foreground"]
    return _light(mn.Text(s, font=style.FONT_FAMILY, font_size=size, color=color or fg, weight=weight, **kw))


def _light(m):
    """Drop the parsed SVG path each glyph keeps after its points are made: every copy an animation makes
    (FadeIn, Transform, .animate) deep-copies it, which made copying a number ~8 times slower."""
    for part in m.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
    return m


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
    # Stills: the last frame of each chapter, and the last frame as the poster.
    ends = [t for t, _ in scene.chapters[1:]] + [duration]
    frames = frames_at(out_dir / f"{fig_id}.mp4", [max(0.0, t - 0.05) for t in ends])
    for i, frame in enumerate(frames[:-1] if scene.chapters else [], start=1):
        Image.fromarray(frame).save(out_dir / f"{fig_id}.step-{i}.png", optimize=True)
    if scene.chapters:
        Image.fromarray(frames[-1]).save(out_dir / f"{fig_id}.step-{len(frames)}.png", optimize=True)
    Image.fromarray(frames[-1]).save(out_dir / f"{fig_id}.poster.png", optimize=True)
    write_gif(out_dir / f"{fig_id}.mp4", out_dir / f"{fig_id}.gif", **GIF[quality])
    return scene


def write_gif(movie: Path, dst: Path, *, fps: int, width: int, colors: int) -> None:
    """A silent, looping GIF of `movie`: `fps` frames a second, `width` px wide, `colors` colours.

    One palette for all frames, taken from a dozen frames spread over the movie, and no dithering:
    the scenes are flat colours and text, so that keeps text crisp, the file small and the bytes the
    same on every machine.
    """
    frames = _gif_frames(movie, fps, width)
    if not frames:
        raise ValueError(f"{movie}: no frames to make a GIF from")
    picks = frames[:: max(1, len(frames) // 12)]
    mosaic = Image.new("RGB", (width, sum(f.height for f in picks)))
    y = 0
    for f in picks:
        mosaic.paste(f, (0, y))
        y += f.height
    palette = mosaic.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    indexed[0].save(dst, format="GIF", save_all=True, append_images=indexed[1:], duration=round(1000 / fps),
                    loop=0, optimize=False, disposal=1)


def _gif_frames(movie: Path, fps: int, width: int) -> list[Image.Image]:
    """Frames of `movie` every 1/fps seconds, resized to `width` (aspect kept)."""
    out: list[Image.Image] = []
    with av.open(str(movie)) as inp:
        stream = inp.streams.video[0]
        for frame in inp.decode(stream):
            t = float(frame.pts * stream.time_base)
            if t + 1e-6 >= len(out) / fps:
                height = round(frame.height * width / frame.width / 2) * 2
                out.append(frame.to_image().resize((width, height), Image.Resampling.LANCZOS))
    return out


def reencode(src: Path, dst: Path, *, crf: int, preset: str = "medium") -> None:
    """H.264, yuv420p, moov atom first (fast start), no encoder dates: a small web video."""
    with av.open(str(src)) as inp, av.open(str(dst), "w", options={"movflags": "+faststart"}) as out:
        s_in = inp.streams.video[0]
        rate = Fraction(s_in.average_rate or 15)
        s_out = out.add_stream("libx264", rate=rate)
        s_out.codec_context.time_base = 1 / rate
        s_out.width, s_out.height = s_in.codec_context.width, s_in.codec_context.height
        s_out.pix_fmt = "yuv420p"
        # One thread and fixed options: the same input gives the same bytes.
        s_out.options = {"crf": str(crf), "preset": preset, "tune": "animation", "threads": "1"}
        s_out.codec_context.thread_count = 1
        out.metadata.clear()
        for i, frame in enumerate(inp.decode(s_in)):
            frame = frame.reformat(format="yuv420p")
            frame.pts, frame.time_base = i, 1 / rate  # a clean timeline: frame i at i / rate
            # Manim starts a segment (and so a keyframe) at every play() and wait(); left on the frame, that
            # picture type would force x264 to make each of them a keyframe again: two thirds of the bytes.
            frame.pict_type = av.video.frame.PictureType.NONE
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


def scene_texts(scene_cls) -> list[str]:
    """Run a scene without writing any video and return the texts it showed (for tests)."""
    with tempfile.TemporaryDirectory(prefix="manim-dry-") as media:
        with mn.tempconfig({"dry_run": True, "media_dir": media, "disable_caching": True, "progress_bar": "none",
                            "verbosity": "ERROR", **QUALITY["draft"]}):
            scene = scene_cls(skip_animations=True)  # no frames drawn: only what the scene adds
            scene.render()
    return scene.texts()


# --------------------------------------------------------------------------- pieces shared by the scenes
#
# Layout rules every scene follows (tests/test_scenes.py checks them at the end
# of every chapter): text is at least MIN_FONT at the default frame (readable
# at 480p), no two texts overlap, and nothing is drawn below CAPTION_BAND,
# where the player shows the captions.

FG = style.theme(style.VIDEO_THEME)["foreground"]
MUTED = style.theme(style.VIDEO_THEME)["muted"]
BG = style.theme(style.VIDEO_THEME)["background"]
GRID = style.theme(style.VIDEO_THEME)["grid"]
MIN_FONT = 18
CAPTION_BAND = -3.0


def math(tex: str, size: float = 34, color: str | None = None) -> mn.MathTex:
    """A formula (LaTeX, about 2 s each: use few, and never for data numbers)."""
    return _light(mn.MathTex(tex, font_size=size, color=color or FG))


def chip(word: str, size: float = 22, height: float = 0.46) -> mn.VGroup:
    """A token: the word on a rounded tag in the word's colour."""
    c = style.token_color(word)
    label = text(word, size)
    box = mn.RoundedRectangle(corner_radius=0.08, width=label.width + 0.24, height=height, stroke_color=c,
                              stroke_width=2.5, fill_color=c, fill_opacity=0.22)
    label.move_to(box)
    group = mn.VGroup(box, label)
    group.box, group.label = box, label
    return group


def token_row(tokens, xs, y: float, size: float = 22) -> mn.VGroup:
    """One chip per token, chip j centred at (xs[j], y)."""
    return mn.VGroup(*(chip(t, size).move_to([x, y, 0]) for t, x in zip(tokens, xs, strict=True)))


def slots(n: int, left: float, right: float) -> list[float]:
    """n evenly spaced x positions, the first at `left`, the last at `right`."""
    if n == 1:
        return [(left + right) / 2]
    return [left + (right - left) * j / (n - 1) for j in range(n)]


def vector(strings, color: str, *, vertical: bool = True, size: float = 20, step: float | None = None,
           pad: float = 0.12, fill_opacity: float = 0.12) -> mn.VGroup:
    """A vector drawn as its entries in a rounded box; `.nums` are the Texts, `.box` the frame.

    `strings` are already formatted (figures_src.formats.fmt), so what is drawn
    is exactly what labels() lists.
    """
    nums = mn.VGroup(*(text(s, size) for s in strings))
    if vertical:
        step = step or 0.38
        for i, n in enumerate(nums):
            n.move_to([0, -i * step, 0])
        w, h = max(n.width for n in nums) + 2 * pad, step * (len(nums) - 1) + 0.24 + 2 * pad
    else:
        step = step or 0.78
        for i, n in enumerate(nums):
            n.move_to([i * step, 0, 0])
        w, h = step * (len(nums) - 1) + max(n.width for n in nums) + 2 * pad, 0.24 + 2 * pad
    box = mn.RoundedRectangle(corner_radius=0.08, width=w, height=h, stroke_color=color, stroke_width=2.5,
                              fill_color=color, fill_opacity=fill_opacity).move_to(nums.get_center())
    group = mn.VGroup(box, nums)
    group.box, group.nums = box, nums
    return group


def heat_color(value: float, vmax: float) -> str:
    """The theme's sequential colour map at value / vmax (kept off the darkest end, which is the background)."""
    import matplotlib
    from matplotlib.colors import to_hex

    cmap = matplotlib.colormaps[style.theme(style.VIDEO_THEME)["cmap"]]
    return to_hex(cmap(0.12 + 0.83 * float(value) / float(vmax)))


def grid(strings, values, *, cell_w: float, cell_h: float, vmax: float, size: float = 18) -> mn.VGroup:
    """A matrix as coloured cells with their numbers; `.cells[i][j]`, `.nums[i][j]`."""
    cells, nums = mn.VGroup(), mn.VGroup()
    for i, (srow, vrow) in enumerate(zip(strings, values, strict=True)):
        crow, nrow = mn.VGroup(), mn.VGroup()
        for j, (s, v) in enumerate(zip(srow, vrow, strict=True)):
            fill = heat_color(v, vmax)
            cell = mn.Rectangle(width=cell_w, height=cell_h, stroke_color=BG, stroke_width=1.5, fill_color=fill,
                                fill_opacity=1.0).move_to([j * cell_w, -i * cell_h, 0])
            crow.add(cell)
            nrow.add(text(s, size, color=style.text_on(fill)).move_to(cell))
        cells.add(crow)
        nums.add(nrow)
    group = mn.VGroup(cells, nums)
    group.cells, group.nums = cells, nums
    return group


def pie(weights, colors, *, radius: float = 2.0, inner: float = 0.9) -> mn.VGroup:
    """Slices clockwise from twelve o'clock, centred at the origin; `.mids` holds each slice's mid angle."""
    group = mn.VGroup()
    angle, mids = mn.PI / 2, []
    for w, c in zip(weights, colors, strict=True):
        sweep = -float(w) * mn.TAU
        group.add(mn.AnnularSector(inner_radius=inner, outer_radius=radius, angle=sweep, start_angle=angle,
                                   fill_color=c, fill_opacity=1.0, stroke_width=2, stroke_color=BG))
        mids.append(angle + sweep / 2)
        angle += sweep
    group.mids = mids
    return group


def spread(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Positions as close as possible to `wanted` (any order), at least `gap` apart, within [lo, hi]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    ys = [min(max(wanted[i], lo), hi) for i in order]
    for k in range(1, len(ys)):  # push up from the bottom
        ys[k] = max(ys[k], ys[k - 1] + gap)
    if ys and ys[-1] > hi:  # then down from the top
        ys[-1] = hi
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - gap)
    out = [0.0] * len(wanted)
    for k, i in enumerate(order):
        out[i] = ys[k]
    return out


def pie_labels(slices: mn.VGroup, strings, *, size: float = 20, gap: float = 0.36, reach: float = 0.45,
               lo: float | None = None, hi: float | None = None) -> mn.VGroup:
    """Labels beside a `pie()` (already placed): right of the pie for slices on the right, left for the
    others, spread vertically so that none overlap, each tied to its slice by a thin leader line."""
    center = slices.get_center()
    radius = slices.width / 2
    lo = center[1] - radius - 0.4 if lo is None else lo
    hi = center[1] + radius + 0.4 if hi is None else hi
    sides = {+1: [], -1: []}
    for j, mid in enumerate(slices.mids):
        sides[+1 if np.cos(mid) >= 0 else -1].append(j)
    by_slice, leaders = {}, mn.VGroup()
    for side, idx in sides.items():
        wanted = [center[1] + (radius + reach) * np.sin(slices.mids[j]) for j in idx]
        ys = spread(wanted, gap, lo, hi)
        for j, y in zip(idx, ys, strict=True):
            mid = slices.mids[j]
            edge = center + radius * np.array([np.cos(mid), np.sin(mid), 0])
            x = center[0] + side * (radius + reach)
            label = text(strings[j], size)
            label.move_to([x, y, 0], aligned_edge=mn.LEFT if side > 0 else mn.RIGHT)
            elbow = np.array([x - side * 0.12, y, 0])
            leaders.add(mn.VMobject(stroke_color=MUTED, stroke_width=1.5).set_points_as_corners([edge, elbow]))
            by_slice[j] = label
    labels = mn.VGroup(*(by_slice[j] for j in range(len(strings))))  # labels[j] belongs to slice j
    group = mn.VGroup(leaders, labels)
    group.labels, group.leaders = labels, leaders
    return group


def spaced(widths, *, min_width: float, gap: float, center: float = 0.0) -> list[float]:
    """Centres for items of these widths side by side, each given at least `min_width`, `gap` apart."""
    slots_ = [max(w, min_width) for w in widths]
    total = sum(slots_) + gap * (len(slots_) - 1)
    x, out = center - total / 2, []
    for s in slots_:
        out.append(x + s / 2)
        x += s + gap
    return out


def sub(name: str, index: str, size: float = 24, color: str | None = None) -> mn.MarkupText:
    """A name with a subscript, such as W_Q, in the site's font (no LaTeX)."""
    fg = color or FG
    return _light(mn.MarkupText(f"{name}<sub>{index}</sub>", font=style.FONT_FAMILY, font_size=size, color=fg))


def lit(vec: mn.VGroup, brightness: float, fill: float = 0.12) -> mn.Animation:
    """Animate a `vector()` to `brightness` (0..1): its numbers and frame at that opacity, its fill fainter."""
    return mn.AnimationGroup(vec.nums.animate.set_opacity(brightness),
                             vec.box.animate.set_stroke(opacity=brightness).set_fill(opacity=fill * brightness))


def attention_table(tokens, strings, values, *, cell_w: float = 0.98, cell_h: float = 0.4, size: float = 18,
                    name_size: float = 20) -> mn.VGroup:
    """An attention matrix: `grid()` with the query words down the left and the key words across the top.

    The key words alternate between two lines, so long neighbours never touch.
    `.table` (with `.cells`, `.nums`), `.row_names`, `.col_names`.
    """
    vmax = max(max(r) for r in values)
    table = grid(strings, values, cell_w=cell_w, cell_h=cell_h, vmax=vmax, size=size)
    rows = mn.VGroup(*(text(t, name_size, color=word_color(t)).next_to(table.cells[r][0], mn.LEFT, buff=0.15)
                       for r, t in enumerate(tokens)))
    cols = mn.VGroup(*(text(t, name_size, color=word_color(t))
                       .next_to(table.cells[0][c], mn.UP, buff=0.1 + (0.34 if c % 2 else 0))
                       for c, t in enumerate(tokens)))
    group = mn.VGroup(table, rows, cols)
    group.table, group.row_names, group.col_names = table, rows, cols
    return group


def _luminance(color: str) -> float:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def readable(color: str, min_ratio: float = 4.5) -> str:
    """`color`, lightened toward white just enough for text on the video background (WCAG contrast >= min_ratio).

    Some token colours (the blue of "animal", the green of "because") are
    too dark for text on the dark theme; the lighter shade keeps their hue.
    """
    bg = _luminance(BG)
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    for step in range(11):
        t = step / 10
        mixed = "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * t) for c in (r, g, b)))
        if (_luminance(mixed) + 0.05) / (bg + 0.05) >= min_ratio:
            return mixed
    return "#ffffff"


def word_color(word: str) -> str:
    """The colour for writing `word` as text: its token colour, made readable on the video background."""
    return readable(style.token_color(word))
