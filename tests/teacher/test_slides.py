"""The slide deck opens in python-pptx with a slide, a title, a citation and notes for every figure and scene.

The site's figures come from one build per session into the repository's figure
cache (as tests/teacher/test_pack.py: with a warm cache nothing renders). The
deck is written from the dark scene renders here; the light-theme deck (which
renders every scene once more, on the light theme) is the test marked slow.
The PDF is checked on a few slides (one of each layout), so this file stays fast.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from real_figures import real_figures, render_real  # noqa: E402

from figures_src.core.identity import BuildInfo
from figures_src.core.paths import FIGURE_CACHE
from figures_src.teacher import pack, slides, slides_pdf

INFO = BuildInfo(version="v-test", commit="0123456789ab", date="2026-01-02", site_url="https://example.org/sav/")


@pytest.fixture(scope="session")
def site_report():
    report = render_real(list(real_figures()), FIGURE_CACHE)
    assert report.ok, report.errors()
    return report


@pytest.fixture(scope="session")
def deck(site_report) -> slides.Deck:
    return slides.plan(site_report, INFO)


@pytest.fixture(scope="session")
def pptx_path(deck, tmp_path_factory) -> Path:
    return slides.write_pptx(deck, INFO, tmp_path_factory.mktemp("deck") / "deck.pptx")


@pytest.fixture(scope="session")
def presentation(pptx_path):
    from pptx import Presentation

    return Presentation(str(pptx_path))


def texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def files_of(report, fid: str, theme: str) -> dict[str, Path]:
    return {Path(p).name: Path(p) for r in report.results if r.id == fid and r.theme == theme for p in r.files}


def test_a_slide_per_figure_and_scene_after_the_title_slide(site_report, presentation):
    assert len(presentation.slides) == len(site_report.figures) + 1
    assert "Self-Attention, Visually" in texts(presentation.slides[0])[0]


def test_the_deck_is_16_to_9(presentation):
    assert abs(presentation.slide_width / presentation.slide_height - 16 / 9) < 0.01


def test_the_slides_are_in_reading_order(site_report, deck):
    order = slides.reading_order(site_report.figures, slides.nav_pages())
    assert [s.id for s in deck.slides] == order
    home = slides.nav_pages()[0][1]
    first_on_home = re.search(r"""figure\(\s*["']([\w-]+)["']""", home).group(1)
    assert order[0] == first_on_home
    assert order != sorted(order)  # not by id: the pages' order
    assert set(order) == set(site_report.figures)


def test_each_slide_has_its_caption_as_title_and_its_citation_under_it(site_report, deck, presentation):
    for s, slide in zip(deck.slides, list(presentation.slides)[1:], strict=True):
        meta = site_report.figures[s.id]
        shown = texts(slide)
        assert shown[0] == meta["caption"], s.id
        assert shown[1].startswith(f"{INFO.authors_line}. Figure {s.id} in Self-Attention, Visually, version v-test"), \
            shown[1]
        assert f"{INFO.site_url}figures/{s.id}/" in shown[1]


def test_the_speaker_notes_are_the_lecture_line_and_the_alt_text(site_report, deck, presentation):
    for s, slide in zip(deck.slides, list(presentation.slides)[1:], strict=True):
        meta = site_report.figures[s.id]
        said = slide.notes_slide.notes_text_frame.text
        assert meta["lecture"], f"{s.id} has no LECTURE line"
        assert meta["lecture"] in said, s.id
        assert meta["alt"] in said, s.id


def test_every_figure_is_its_own_png_and_every_animation_its_video_with_its_poster(site_report, deck,
                                                                                    presentation):
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    videos = 0
    for s, slide in zip(deck.slides, list(presentation.slides)[1:], strict=True):
        if site_report.figures[s.id]["kind"] == "manim":
            files = files_of(site_report, s.id, "dark")
            movies = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.MEDIA]
            assert len(movies) == 1, s.id
            assert movies[0].poster_frame.blob == files[f"{s.id}.poster.png"].read_bytes(), s.id
            parts = [r.target_part for r in slide.part.rels.values()
                     if not r.is_external and r.target_part.content_type == "video/mp4"]
            assert parts, f"{s.id}: no video part"
            assert {p.blob for p in parts} == {files[f"{s.id}.mp4"].read_bytes()}, s.id
            videos += 1
        else:
            pictures = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
            assert len(pictures) == 1, s.id
            png = files_of(site_report, s.id, "light")[f"{s.id}.light.png"]
            assert pictures[0].image.blob == png.read_bytes(), s.id
    assert videos == sum(1 for m in site_report.figures.values() if m["kind"] == "manim") > 0


def test_a_portrait_figure_shares_its_slide_with_its_checked_sentences(site_report, deck, presentation):
    portrait = {s.id: (s, slide) for s, slide in zip(deck.slides, list(presentation.slides)[1:], strict=True)
                if s.portrait}
    assert "multi-head-grid" in portrait and "three-spotlights" in portrait  # aspect 0.52 and 0.75
    for fid, (s, slide) in portrait.items():
        assert s.key, fid
        held = [c["text"] for c in site_report.figures[fid]["claims"] if c["holds"]]
        if held:
            assert s.key[0] == held[0]
        assert any(s.key[0] in t for t in texts(slide)), fid
        left, top, width, height = slides.picture_box(s)
        assert left + width <= slides.key_box()[0], f"{fid}: the picture runs into its sentences"


def test_the_same_deck_gives_the_same_bytes(deck, pptx_path, tmp_path):
    again = slides.write_pptx(deck, INFO, tmp_path / "again.pptx")
    assert again.read_bytes() == pptx_path.read_bytes()
    with zipfile.ZipFile(pptx_path) as z:
        assert {zi.date_time for zi in z.infolist()} == {slides.ZIP_DATE}
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


def few(deck: slides.Deck) -> slides.Deck:
    """One slide of each layout: a landscape figure, a portrait one, an animation."""
    picks = [next(s for s in deck.slides if s.video is None and not s.portrait),
             next(s for s in deck.slides if s.portrait), next(s for s in deck.slides if s.video is not None)]
    return slides.Deck(deck.title, deck.subtitle, picks)


def test_the_pdf_has_one_16_to_9_page_per_slide_and_the_same_bytes_again(deck, tmp_path):
    small = few(deck)
    first = slides_pdf.write_pdf(small, INFO, tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF-")
    pages = re.findall(rb"/Type /Page\b(?!s)", first)
    assert len(pages) == len(small.slides) + 1
    boxes = {tuple(float(x) for x in m) for m in re.findall(rb"/MediaBox \[ ?([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ?\]",
                                                              first)}
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes.pop()
    assert abs((x1 - x0) / (y1 - y0) - 16 / 9) < 0.01
    assert b"/CreationDate" not in first
    assert slides_pdf.write_pdf(small, INFO, tmp_path / "b.pdf").read_bytes() == first


def test_the_pack_holds_the_deck_and_its_readme_says_so(site_report, tmp_path):
    made = (slides.write_pptx(few(slides.plan(site_report, INFO)), INFO, tmp_path / f"{slides.deck_name(INFO)}.pptx"),)
    out = pack.write_pack(site_report, INFO, tmp_path / "pack.zip", deck=made)
    with zipfile.ZipFile(out) as z:
        name = f"slides/{slides.deck_name(INFO)}.pptx"
        assert z.read(name) == made[0].read_bytes()
        assert name in pack.parse_manifest(z.read("README.txt").decode())
        assert "the slide deck (16:9)" in z.read("README.txt").decode()


def test_a_scene_without_its_video_is_named():
    report = type("R", (), {"figures": {"x-scene": {"kind": "manim", "caption": "c", "alt": "a", "lecture": "l"}},
                            "results": []})()
    with pytest.raises(slides.DeckError, match="x-scene"):
        slides.plan(report, INFO, pages=[])


@pytest.mark.slow
def test_the_light_deck_shows_every_animation_rendered_on_the_light_theme(site_report, tmp_path):
    from PIL import Image

    from figures_src.kit.style import THEMES

    light = slides.light_scenes(site_report)
    assert light is not None and light.ok, light.errors() if light else None
    assert {r.theme for r in light.results} == {"light"}
    deck = slides.plan(site_report, INFO, light)
    white = tuple(int(THEMES["light"]["background"][i:i + 2], 16) for i in (1, 3, 5))
    for s in deck.slides:
        if s.video is None:
            continue
        assert s.image == files_of(light, s.id, "light")[f"{s.id}.poster.png"]
        with Image.open(s.image) as im:
            corner = im.convert("RGB").getpixel((2, 2))
        assert max(abs(a - b) for a, b in zip(corner, white, strict=True)) <= 3, f"{s.id}: corner {corner}"
    names = set(pack.entries(site_report, INFO, light=light))
    for fid in (s.id for s in deck.slides if s.video is not None):
        assert {f"figures/{fid}/{fid}.light.mp4", f"figures/{fid}/{fid}.light.poster.png",
                f"figures/{fid}/{fid}.mp4"} <= names, fid
        assert f"figures/{fid}/{fid}.light.gif" not in names  # the dark GIF is there; one is enough
    pptx, pdf = slides.cached_deck(deck, INFO, tmp_path / "cache")
    assert pptx.suffix == ".pptx" and pdf.suffix == ".pdf"
    assert slides.cached_deck(deck, INFO, tmp_path / "cache") == (pptx, pdf)  # found, not written again


def test_every_title_stays_on_two_lines_above_its_citation(deck):
    """A caption longer than LONG_TITLE gets the smaller title size; measured in the PDF's font (the widest)."""
    width = 0.94 * slides.TITLE_BOX[2] * slides_pdf.PT_PER_INCH
    for s in deck.slides:
        lines = slides_pdf._wrap(s.title, width, s.title_pt, True)
        assert len(lines) <= 2, f"{s.id}: its title takes {len(lines)} lines at {s.title_pt} pt"
