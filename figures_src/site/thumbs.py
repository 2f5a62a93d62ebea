"""Small PNG thumbnails for the gallery, made from each figure's PNGs (or a scene's poster and step stills).

The gallery shows every figure at once, so it must not load each figure's
full 2x PNG. A thumbnail is 480 px wide (sharp in a 240 px gallery cell on a 2x screen) in at most 128
colours: figures are flat colours and text, so it stays crisp at a fraction of
the bytes. Thumbnails are a matter of the site, not of the figure: they are
made when the site is built, cached by the bytes of their source under
`.cache/figures/thumbs/`, and never land in the figure cache or the teacher pack.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from PIL import Image

from ..core import files
from ..core.files import atomic_write, touch

WIDTH = 480
COLOURS = 128
# source suffix -> thumbnail suffix; the thumbnail names never end like a download (".light.png", ".poster.png")
SOURCES = {".light.png": ".light.thumb.png", ".dark.png": ".dark.thumb.png", ".poster.png": ".poster.thumb.png"}
# A scene's still of each step, shown small beside the others (reduced motion, the print page): ".step-3.png"
STEP = re.compile(r"\.step-(\d+)\.png$")


def thumb_name(name: str) -> str | None:
    """The name of the thumbnail of the file `name`, or None if it has none."""
    for suffix, thumb_suffix in SOURCES.items():
        if name.endswith(suffix):
            return name.removesuffix(suffix) + thumb_suffix
    m = STEP.search(name)
    return f"{name[:m.start()]}.step-{m.group(1)}.thumb.png" if m else None


# A scene's poster as the page shows it (the video's poster, the still under reduced motion and on paper):
# WebP at most WEB_POSTER_WIDTH wide, a fifth of the PNG's bytes; the PNG stays the download.
WEB_POSTER = (".poster.png", ".poster.web.webp")
WEB_POSTER_WIDTH = 1280
WEB_POSTER_QUALITY = 88


def thumbnail(src: Path, cache: Path) -> Path:
    """The thumbnail of `src`: WIDTH wide, in at most COLOURS colours, as PNG."""

    def make(im: Image.Image) -> Image.Image:
        return _narrow(im, WIDTH).quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)

    return _made_once(src, cache, f"{WIDTH}-{COLOURS}.png", make, format="PNG", optimize=True)


def web_poster(src: Path, cache: Path) -> Path:
    """The page's WebP of a scene's poster `src`."""
    return _made_once(src, cache, f"poster-{WEB_POSTER_WIDTH}-{WEB_POSTER_QUALITY}.webp",
                      lambda im: _narrow(im, WEB_POSTER_WIDTH), format="WEBP", quality=WEB_POSTER_QUALITY, method=6)


def _narrow(im: Image.Image, width: int) -> Image.Image:
    """`im` at most `width` pixels wide, its proportions kept."""
    if im.width <= width:
        return im
    return im.resize((width, round(im.height * width / im.width)), Image.Resampling.LANCZOS)


def _made_once(src: Path, cache: Path, kind: str, make, **save) -> Path:
    """`make(the RGB image of src)` saved as cache/<hash of src>-<kind>, once per distinct content of `src`.

    The write is atomic (a temporary name, then a rename), so concurrent builds are safe.
    """
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:24]
    out = cache / f"{digest}-{kind}"
    if out.is_file():
        touch(out)  # marks it used, for prune()
        return out
    with Image.open(src) as im:
        made = make(im.convert("RGB"))
    return atomic_write(out, b"", save=lambda tmp: made.save(tmp, **save))


def add_thumbnails(figures, cache: Path) -> None:
    """Add a thumbnail beside each PNG source of every figure (`fig.files`: name -> absolute path);
    then drop the thumbnails of older figures (see prune)."""
    used = set()
    for fig in figures.values():
        for name, path in list(fig.files.items()):
            small = thumb_name(name)
            if small is not None:
                thumb = thumbnail(Path(path), cache)
                fig.files[small] = str(thumb)
                used.add(thumb.name)
            if name.endswith(WEB_POSTER[0]):
                web = web_poster(Path(path), cache)
                fig.files[name.removesuffix(WEB_POSTER[0]) + WEB_POSTER[1]] = str(web)
                used.add(web.name)
    prune(cache, used)


def prune(cache: Path, keep: set[str]) -> int:
    """Remove the thumbnails not in `keep` once unused (core.files.prune); return how many went."""
    return files.prune([*cache.glob("*.png"), *cache.glob("*.webp")] if cache.is_dir() else [], keep)
