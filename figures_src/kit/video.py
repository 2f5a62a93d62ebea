"""Video encoding for the scenes: the web MP4, the GIF download, frames read back as stills.

Every encode is single-threaded with fixed options, so the same frames give the same bytes.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

QUALITY = {
    "draft": {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15},
    # 30 frames a second: every cost of a render is per frame, and the scenes move slowly enough
    # that 60 would look the same at twice the price.
    "publish": {"pixel_width": 1920, "pixel_height": 1080, "frame_rate": 30},
}
CRF = {"draft": 28, "publish": 30}
# The GIF download, for slides that cannot play video. A GIF stores every changed pixel of every
# frame, so it stays small only at a low frame rate; 64 colours keep text and flat fills exact.
GIF = {"draft": {"fps": 4, "width": 480, "colors": 64}, "publish": {"fps": 5, "width": 640, "colors": 64}}
# x264 presets: drafts are for looking and testing, so they take the fast one.
PRESET = {"draft": "veryfast", "publish": "medium"}


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
