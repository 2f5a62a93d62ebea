"""Gallery thumbnails: small, cached by content, and what the gallery shows."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import numpy as np
from PIL import Image

from figures_src.core.files import UNUSED_FOR
from figures_src.site import pages, thumbs
from figures_src.site.embed import SiteFigure


def png(path, width=1600, height=1200, seed=0):
    rng = np.random.default_rng(seed)
    pixels = np.repeat(rng.integers(0, 255, (height // 100, width // 100, 3), dtype=np.uint8), 100, axis=0)
    Image.fromarray(np.repeat(pixels, 100, axis=1)).save(path)
    return path


def test_a_thumbnail_is_small_and_made_once_per_content(tmp_path):
    src = png(tmp_path / "fig.light.png")
    first = thumbs.thumbnail(src, tmp_path / "cache")
    with Image.open(first) as im:
        assert im.size == (thumbs.WIDTH, 360)
        assert len(im.getcolors(maxcolors=1 << 16)) <= thumbs.COLOURS
    assert first.stat().st_size < src.stat().st_size / 3
    inode = first.stat().st_ino  # a rewrite would replace the file (a new inode)
    assert thumbs.thumbnail(src, tmp_path / "cache") == first and first.stat().st_ino == inode
    other = thumbs.thumbnail(png(tmp_path / "other.png", seed=1), tmp_path / "cache")
    assert other != first
    assert not list((tmp_path / "cache").glob(".*"))  # no temp file left


def test_the_gallery_shows_thumbnails_with_their_size_first_row_eager(tmp_path):
    figs = {}
    for k in range(5):
        fid = f"fig-{k}"
        files = {f"{fid}.light.png": str(png(tmp_path / f"{fid}.light.png", seed=k)),
                 f"{fid}.dark.png": str(png(tmp_path / f"{fid}.dark.png", seed=k + 10))}
        figs[fid] = SiteFigure(fid, "matplotlib", f"Caption {k}.", "", f"Alt {k}.", {}, files)
    thumbs.add_thumbnails(figs, tmp_path / "cache")

    page = pages.gallery_page(figs)

    imgs = re.findall(r"<img [^>]*>", page)
    assert len(imgs) == 10
    for tag in imgs:
        assert ".thumb.png#only-" in tag and f'width="{thumbs.WIDTH}" height="360"' in tag, tag
    eager = [t for t in imgs if 'fetchpriority="high"' in t]
    assert [re.search(r'src="([^"]+)"', t).group(1) for t in eager] == [
        f"fig-{k}/fig-{k}.light.thumb.png#only-light" for k in range(3)]
    assert all('loading="lazy"' in t for t in imgs if t not in eager)


def test_thumbnails_of_figures_gone_are_pruned_only_an_hour_after_their_last_use(tmp_path):
    cache = tmp_path / "cache"
    figs = {}
    for k in range(2):
        files = {f"f{k}.light.png": str(png(tmp_path / f"f{k}.light.png", seed=k))}
        figs[f"f{k}"] = SiteFigure(f"f{k}", "matplotlib", "C.", "", "A.", {}, files)
    thumbs.add_thumbnails(figs, cache)
    old, kept = (Path(figs[f"f{k}"].files[f"f{k}.light.thumb.png"]) for k in range(2))
    del figs["f0"]  # the figure changed: its old thumbnail is used by no figure now
    thumbs.add_thumbnails(figs, cache)
    assert old.exists(), "removed at once: a concurrent build with other inputs may still need it"
    hour_ago = time.time() - UNUSED_FOR - 1
    os.utime(old, (hour_ago, hour_ago))
    os.utime(kept, (hour_ago, hour_ago))  # old but in use: stays, and is marked used again
    thumbs.add_thumbnails(figs, cache)
    assert not old.exists() and kept.exists()
    assert time.time() - kept.stat().st_mtime < 60


def test_a_scenes_step_stills_get_thumbnails_and_the_page_shows_those(tmp_path):
    from figures_src.kit import vtt
    from figures_src.site import embed

    fid = "scene-x"
    vtt.write(tmp_path / f"{fid}.captions.vtt", [(0.0, "One."), (1.0, "Two.")], 2.0)
    vtt.write(tmp_path / f"{fid}.chapters.vtt", [(0.0, "First"), (1.0, "Second")], 2.0)
    files = {f"{fid}.captions.vtt": str(tmp_path / f"{fid}.captions.vtt"),
             f"{fid}.chapters.vtt": str(tmp_path / f"{fid}.chapters.vtt"),
             f"{fid}.mp4": str(tmp_path / f"{fid}.mp4")}
    for name in (".poster.png", ".step-1.png", ".step-2.png"):
        files[fid + name] = str(png(tmp_path / f"{fid}{name}", seed=len(files)))
    figs = {fid: SiteFigure(fid, "manim", "Scene: x.", "", "Alt.", {}, files)}
    thumbs.add_thumbnails(figs, tmp_path / "cache")
    assert {f"{fid}.step-1.thumb.png", f"{fid}.step-2.thumb.png", f"{fid}.poster.thumb.png"} <= set(files)
    assert thumbs.thumb_name(f"{fid}.step-12.png") == f"{fid}.step-12.thumb.png"
    assert thumbs.thumb_name(f"{fid}.mp4") is None

    out = embed.expand('{{ figure("scene-x") }}', "index.md", figs, relative=lambda p: p)
    stills = re.findall(r'<img src="([^"]+)" alt="Step[^"]*" width="(\d+)" height="(\d+)"', out)
    assert stills == [(f"figures/{fid}/{fid}.step-{k}.thumb.png", str(thumbs.WIDTH), "360") for k in (1, 2)]
    # the page shows the poster as WebP, at full size, smaller than the PNG that stays the download
    web = f"{fid}.poster.web.webp"
    assert f'poster="figures/{fid}/{web}"' in out and f'class="sav-video__still" src="figures/{fid}/{web}"' in out
    with Image.open(files[web]) as im:
        assert im.format == "WEBP" and im.size == (1280, 960)  # 1600 x 1200 made 1280 wide
