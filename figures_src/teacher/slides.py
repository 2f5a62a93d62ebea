"""The slide deck: one 16:9 slide per figure and animation, in reading order, as .pptx (python-pptx).

    deck = slides.plan(report, info, light=light_report)   # what goes on each slide
    slides.write_pptx(deck, info, out)                      # the PowerPoint file
    slides_pdf.write_pdf(deck, info, out)                   # the same slides as a PDF, one page each

Each slide's title is the figure's caption, and a small line under it its
citation. A figure is its light PNG; a figure drawn in portrait (narrower than
`SIDE_BY_SIDE`) stands on the left, with the checked sentences about it (its
claims, else the first sentences of its description) in large type on the
right. An animation is its video (MP4) with its poster as the poster frame:
the light-theme render when the build made one (`light`), else the site's.
The speaker notes are the figure's LECTURE line and its alt text. The first
slide names the site, the version and the licence.

The order is the reading order: the pages of the nav, each figure where a page
first embeds it; figures no page shows come last, by id.

The file is deterministic (sorted zip entries, fixed timestamps and document
dates), so the same build gives the same bytes; `cached_deck` writes it once
per distinct content.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import atomic_write, prune, touch
from ..core.identity import SITE_TITLE, BuildInfo
from ..core.paths import ROOT

FORMAT = "1"  # bump when the slides' layout changes: part of the cached deck's key
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
DOC_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
STORED = (".mp4", ".png", ".jpeg", ".jpg", ".gif")  # already compressed

# The slide, in inches (16:9), and its boxes: (left, top, width, height).
WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.45
TITLE_BOX = (MARGIN, 0.3, WIDTH - 2 * MARGIN, 1.05)
CITATION_BOX = (MARGIN, 1.35, WIDTH - 2 * MARGIN, 0.4)
CONTENT_BOX = (MARGIN, 1.85, WIDTH - 2 * MARGIN, HEIGHT - 1.85 - 0.3)
SIDE_BY_SIDE = 1.25  # a picture narrower than this (width / height) shares the slide with its key sentences
TITLE_PT, CITATION_PT, KEY_PT, COVER_PT = 26, 11, 20, 40
LONG_TITLE = 104  # characters: a longer caption takes three lines at TITLE_PT in bold DejaVu Sans, two at 22
KEY_LINES = 4  # at most this many key sentences beside a portrait figure
FOREGROUND, MUTED = "1F2328", "5B6470"  # the light theme's (kit.style); the slides are light


@dataclass(frozen=True)
class Slide:
    id: str
    kind: str  # "matplotlib" or "manim"
    title: str  # the caption
    citation: str
    image: Path  # the PNG shown (a scene's poster)
    size: tuple[int, int]  # its pixels
    notes: str
    key: tuple[str, ...] = ()  # sentences beside a portrait figure
    video: Path | None = None

    @property
    def portrait(self) -> bool:
        return self.size[0] / self.size[1] < SIDE_BY_SIDE

    @property
    def title_pt(self) -> int:
        """The title's size: smaller for a long caption, so that it stays on two lines above the citation."""
        return TITLE_PT if len(self.title) <= LONG_TITLE else TITLE_PT - 4


@dataclass(frozen=True)
class Deck:
    title: str
    subtitle: str
    slides: list[Slide] = field(default_factory=list)


class DeckError(Exception):
    """The deck cannot be made (a figure without its PNG, a scene without its video); the message names it."""


# --------------------------------------------------------------------------- what goes on the slides


def nav_pages(mkdocs_yml: Path | None = None, docs: Path | None = None) -> list[tuple[str, str]]:
    """(source path, Markdown) of every Markdown page of the nav of mkdocs.yml, in its order."""
    mkdocs_yml = mkdocs_yml or ROOT / "mkdocs.yml"
    docs = docs or mkdocs_yml.parent / "docs"
    text = mkdocs_yml.read_text(encoding="utf-8")
    _, _, nav = text.partition("\nnav:\n")
    srcs = []
    for line in nav.splitlines():
        if line.strip() and not line.startswith((" ", "\t", "-")):
            break  # the next top-level key
        m = re.search(r"(?:^\s*-\s*|:\s*)([\w./-]+\.md)\s*$", line)
        if m and m.group(1) not in srcs:
            srcs.append(m.group(1))
    return [(s, (docs / s).read_text(encoding="utf-8")) for s in srcs if (docs / s).is_file()]


def reading_order(figure_ids, pages: list[tuple[str, str]]) -> list[str]:
    """The ids in the order the pages first embed them ({{ figure(...) }}); the others last, by id."""
    from ..site.embed import references

    known, order = set(figure_ids), []
    for src, markdown in pages:
        for name, args in references(markdown, src):
            if name == "figure" and args and args[0] in known and args[0] not in order:
                order.append(args[0])
    return order + sorted(known - set(order))


def citation(fig_id: str, info: BuildInfo) -> str:
    """The figure's citation as its page gives it, without the caption (the slide's title says it)."""
    return (f"{info.authors_line}. Figure {fig_id} in {SITE_TITLE}, version {info.version} "
            f"(commit {info.commit}, {info.date}). {info.where(f'figures/{fig_id}/')}. CC BY 4.0.")


def notes(meta: dict) -> str:
    """The speaker notes: what the figure is good for in a lecture, then its alt text."""
    parts = []
    if meta.get("lecture"):
        parts.append(f"In a lecture: {meta['lecture']}")
    parts.append(f"What it shows: {meta['alt']}")
    return "\n\n".join(parts)


def key_sentences(meta: dict) -> tuple[str, ...]:
    """What to read beside a portrait figure: its claims that hold (checked on every build), else the first
    sentences of its description."""
    held = [c["text"] for c in meta.get("claims", []) if c.get("holds")]
    if held:
        return tuple(held[:KEY_LINES])
    text = " ".join(meta.get("description", "").split())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", text)
    return tuple(s for s in sentences if s)[:KEY_LINES]


def png_size(path: Path) -> tuple[int, int]:
    with Path(path).open("rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise DeckError(f"{path}: not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _files(report) -> dict[tuple[str, str], dict[str, Path]]:
    """(figure id, theme) -> file name -> path, from a build report."""
    out: dict[tuple[str, str], dict[str, Path]] = {}
    for r in report.results:
        for p in r.files:
            out.setdefault((r.id, r.theme), {})[Path(p).name] = Path(p)
    return out


def plan(report, info: BuildInfo, light=None, pages: list[tuple[str, str]] | None = None) -> Deck:
    """The deck of a build: a slide per figure of `report`, in reading order.

    `light` is the report of the light-theme scene build (`scene_themes=("light",)`); without it,
    or for a scene it lacks, the scene's slide shows the site's render.
    """
    files = _files(report)
    if light is not None:
        files.update({k: v for k, v in _files(light).items() if k[1] == "light"})
    pages = nav_pages() if pages is None else pages
    slides = []
    for fid in reading_order(report.figures, pages):
        meta = report.figures[fid]
        if meta["kind"] == "manim":
            theme = "light" if (fid, "light") in files else next((t for i, t in files if i == fid), None)
            got = files.get((fid, theme), {})
            video, image = got.get(f"{fid}.mp4"), got.get(f"{fid}.poster.png")
            if video is None or image is None:
                raise DeckError(f"scene {fid} has no MP4 or poster in the build (was it built?)")
        else:
            video, image = None, files.get((fid, "light"), {}).get(f"{fid}.light.png")
            if image is None:
                raise DeckError(f"figure {fid} has no light PNG in the build (was it built?)")
        slides.append(Slide(fid, meta["kind"], meta["caption"], citation(fid, info), image, png_size(image),
                            notes(meta), key_sentences(meta), video))
    subtitle = f"Every figure and animation, version {info.version} (commit {info.commit}, {info.date})"
    return Deck(SITE_TITLE, subtitle, slides)


def cover_lines(deck: Deck, info: BuildInfo) -> list[str]:
    """The small print of the first slide."""
    where = info.site_url if info.site_url.strip("/") else "a local build"
    return [f"Then {len(deck.slides)} slides, one per figure and animation, in reading order · {where}",
            "Text, figures and animations: CC BY 4.0 (credit “Self-Attention, Visually” and the version).",
            "Speaker notes: what each figure is good for in a lecture, and what it shows."]


# --------------------------------------------------------------------------- layout (shared with the PDF)


def picture_box(slide: Slide) -> tuple[float, float, float, float]:
    """Where the picture goes (inches): as large as fits, centred; a portrait one on the left half."""
    left, top, width, height = CONTENT_BOX
    if slide.portrait:
        width = width * 0.5
    w, h = slide.size
    scale = min(width / w, height / h)
    pw, ph = w * scale, h * scale
    return left + (width - pw) / 2, top + (height - ph) / 2, pw, ph


def key_box() -> tuple[float, float, float, float]:
    """Where a portrait figure's key sentences go (inches): the right half of the content."""
    left, top, width, height = CONTENT_BOX
    return left + width * 0.52, top + 0.2, width * 0.48, height - 0.4


# --------------------------------------------------------------------------- the .pptx


def write_pptx(deck: Deck, info: BuildInfo, out: Path) -> Path:
    """Write the deck as a .pptx, atomically; the same deck gives the same bytes."""
    from pptx import Presentation

    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(WIDTH), _emu(HEIGHT)
    blank = prs.slide_layouts[6]
    _cover(prs.slides.add_slide(blank), deck, info)
    for s in deck.slides:
        slide = prs.slides.add_slide(blank)
        _text(slide, TITLE_BOX, [s.title], s.title_pt, FOREGROUND, bold=True)
        _text(slide, CITATION_BOX, [s.citation], CITATION_PT, MUTED)
        left, top, width, height = (_emu(x) for x in picture_box(s))
        if s.video is not None:
            slide.shapes.add_movie(str(s.video), left, top, width, height, poster_frame_image=str(s.image),
                                   mime_type="video/mp4")
        else:
            slide.shapes.add_picture(str(s.image), left, top, width, height)
        if s.portrait and s.key:
            _text(slide, key_box(), list(s.key), KEY_PT, FOREGROUND, bullets=True)
        slide.notes_slide.notes_text_frame.text = s.notes
    core = prs.core_properties
    core.title, core.author, core.subject = deck.title, SITE_TITLE, deck.subtitle
    core.created = core.modified = core.last_printed = DOC_DATE
    core.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return atomic_write(Path(out), _deterministic_zip(buf.getvalue()))


def _emu(inches: float) -> int:
    return round(inches * 914400)


def _cover(slide, deck: Deck, info: BuildInfo) -> None:
    _text(slide, (MARGIN, 2.0, WIDTH - 2 * MARGIN, 1.4), [deck.title], COVER_PT, FOREGROUND, bold=True)
    _text(slide, (MARGIN, 3.4, WIDTH - 2 * MARGIN, 0.8), [deck.subtitle], TITLE_PT - 6, FOREGROUND)
    _text(slide, (MARGIN, 4.6, WIDTH - 2 * MARGIN, 1.6), cover_lines(deck, info), CITATION_PT + 3, MUTED)


def _text(slide, box, paragraphs: list[str], size: int, color: str, *, bold: bool = False,
          bullets: bool = False) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    shape = slide.shapes.add_textbox(*(_emu(x) for x in box))
    frame = shape.text_frame
    frame.word_wrap = True
    for i, words in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = ("• " if bullets else "") + words
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = RGBColor.from_string(color)
        if bullets:
            para.space_after = Pt(size * 0.6)


def _deterministic_zip(blob: bytes) -> bytes:
    """The .pptx zip again with fixed timestamps, [Content_Types].xml first and the rest sorted."""
    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        parts = {n: src.read(n) for n in names}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            zi.create_system = 3
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
            z.writestr(zi, parts[name])
    return buf.getvalue()


# --------------------------------------------------------------------------- the files of a build


def deck_name(info: BuildInfo) -> str:
    """The file name of the deck without its suffix: self-attention-visually-<version>-slides."""
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", info.version).strip("-") or "dev"
    return f"self-attention-visually-{version}-slides"


def deck_key(deck: Deck, info: BuildInfo) -> str:
    """A hash of everything on the slides: the texts, and every picture's and video's bytes."""
    h = hashlib.sha256(FORMAT.encode())
    state = {"title": deck.title, "subtitle": deck.subtitle, "info": [info.version, info.commit, info.date,
                                                                       info.site_url]}
    h.update(json.dumps(state, sort_keys=True).encode())
    for s in deck.slides:
        h.update(json.dumps([s.id, s.kind, s.title, s.citation, s.notes, list(s.key)]).encode())
        for p in (s.image, s.video):
            if p is not None:
                h.update(_file_hash(p).encode())
    return h.hexdigest()[:20]


def _file_hash(path: Path) -> str:
    """A render's file hash from its manifest.json where it has one (no re-reading of big videos)."""
    try:
        recorded = json.loads((path.parent / "manifest.json").read_text(encoding="utf-8"))["files"]
        return recorded[path.name]
    except (OSError, ValueError, KeyError, TypeError):
        return hashlib.sha256(path.read_bytes()).hexdigest()


def cached_deck(deck: Deck, info: BuildInfo, cache: Path) -> tuple[Path, Path]:
    """(the .pptx, the .pdf) of this deck in `cache`, written only when its content is new; decks unused for
    an hour are removed."""
    from .slides_pdf import write_pdf

    key = deck_key(deck, info)
    stem = f"{deck_name(info)}.{key}"
    pptx, pdf = Path(cache) / f"{stem}.pptx", Path(cache) / f"{stem}.pdf"
    for path, write in ((pptx, write_pptx), (pdf, write_pdf)):
        if path.is_file():
            touch(path)
        else:
            write(deck, info, path)
    prune([*Path(cache).glob("*.pptx"), *Path(cache).glob("*.pdf")], keep=[pptx, pdf])
    return pptx, pdf


def light_scenes(report, *, jobs: int | None = None, progress: bool = False, fresh_process: bool = False):
    """The report of the scenes of `report` rendered on the light theme, for the slides (and the pack).

    Only the deck and the pack ask for it: the site's build renders the scenes once, dark. Renders are
    cached like every other, so a second deck renders nothing. None when the build has no scene.
    """
    ids = sorted(fid for fid, meta in report.figures.items() if meta["kind"] == "manim")
    if not ids:
        return None
    options = {"quality": report.quality, "jobs": jobs, "examples": report.examples, "scene_themes": ("light",)}
    if fresh_process:
        from ..build.process import build_in_process

        return build_in_process(ids, quiet=not progress, echo=progress, **options)
    from ..build import build

    return build(ids, progress=progress, **options)


def copy_out(path: Path, out: Path) -> Path:
    """Copy a cached deck file to `out` (atomically)."""
    return atomic_write(Path(out), b"", save=lambda tmp: shutil.copyfile(path, tmp))
