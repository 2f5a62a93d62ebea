"""The teacher pack: one zip with every figure, video and data table of a version.

    python -m figures_src pack [--out FILE] [--quality draft|publish] [--examples FILE]

Layout of the zip (deterministic: sorted entries, fixed timestamps, so the same
build gives a byte-identical zip):

    README.txt                   what is inside, what each figure is good for in a lecture,
                                 and the MANIFEST: every file of the zip with its size and SHA-256
    self-attention-visually-<version>.pdf
                                 the whole explainer on paper (A4), when made with `--pdf`
                                 (`make pack` makes it first with `make pdf`: figures_src.site.pdf)
    HOW-TO-CITE.txt              the citation of the version and of each figure
    LICENSE-CONTENT.md           CC BY 4.0 for the figures, videos and tables
    figures/<id>/...             SVG, PDF and PNG (light and dark); MP4, captions, chapters, poster, stills
                                 (and, made for the slides, each animation on the light theme: <id>.light.*)
    slides/<name>.pptx, .pdf     the slide deck: a 16:9 slide per figure and animation (teacher.slides)
    data/<id>.csv                every number the figure shows: one row per number (key, value)
    data/<id>/<key>.csv          each matrix among them once more as a grid, for a spreadsheet

The MkDocs hook serves the pack of the build at downloads/<name>.zip
(`cached_pack`: written once per distinct content into a cache outside docs/).
The data tables are made by `teacher.tables`, the "For teachers" page by
`teacher.page`.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
import zipfile
from pathlib import Path

from ..core.files import atomic_write, prune, touch
from ..core.identity import SITE_TITLE, BuildInfo
from ..core.paths import ROOT
from .tables import data_csv, matrices, matrix_csv

ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same build gives the same zip
FORMAT = "3"  # bump when the layout changes: part of the hook's cache key
SKIP = {"manifest.json"}
STORED = (".mp4", ".png", ".gif")  # already compressed
README, CITE, LICENCE = "README.txt", "HOW-TO-CITE.txt", "LICENSE-CONTENT.md"
# Of a scene's light-theme render (for slides), what the pack holds: the video, its poster and its tracks
# (its GIF and stills would double the animations' bytes; the site's dark ones are in the pack).
LIGHT_SCENE_FILES = (".mp4", ".poster.png", ".captions.vtt", ".chapters.vtt")

# What each kind of file is for, by the end of its name (the README's "What is inside").
FILE_KINDS = (
    (".narrow.svg", "vector laid out for a narrow screen (a phone): the same figure with larger text"),
    (".light.svg", "vector, light background: slides, web pages; scales to any size"),
    (".dark.svg", "vector, dark background: slides with a dark theme"),
    (".light.pdf", "vector, light background: LaTeX and Beamer (\\includegraphics)"),
    (".dark.pdf", "vector, dark background"),
    (".light.png", "bitmap at twice the screen size, light: PowerPoint, Keynote, Google Slides"),
    (".dark.png", "bitmap at twice the screen size, dark"),
    (".mp4", "the animation (H.264, silent); plays in every browser and slide program"),
    (".light.mp4", "the animation on a light background, for slides (with its poster and tracks: <id>.light.*)"),
    (".gif", "the animation as a looping GIF, for slides that cannot play video"),
    (".captions.vtt", "its captions (WebVTT): load them in your player (VLC: Subtitle > Add Subtitle File)"),
    (".chapters.vtt", "its chapters, one per step (WebVTT)"),
    (".poster.png", "its first step, finished (the video's poster): a still for a handout"),
    (".step-N.png", "the last frame of each chapter: one still per step (the last one ends the animation)"),
)


class PackError(Exception):
    """The pack cannot be made (a failed figure build); the message names the figures."""


def lectures(report) -> dict[str, str]:
    """Each figure's LECTURE line (what it is good for in a lecture), as the build recorded it; "" where none."""
    return {fig_id: meta.get("lecture", "") for fig_id, meta in report.figures.items()}


# --------------------------------------------------------------------------- the zip


def pack_name(info: BuildInfo) -> str:
    """The file name of the pack: self-attention-visually-<version>-teacher-pack.zip."""
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", info.version).strip("-") or "dev"
    return f"self-attention-visually-{version}-teacher-pack.zip"


def check_report(report) -> None:
    """Raise PackError naming every failed figure: a pack is all the figures or nothing.

    A false claim does not stop a pack: claims are about the pages' sentences, and the pack holds no prose.
    """
    errors = report.render_errors()
    if not errors:
        return
    failed = sorted({r.id for r in report.failed})
    lines = "\n  ".join(errors)
    named = f"figure(s) {', '.join(failed)}" if failed else "figure module(s)"
    raise PackError(f"the figure build failed, so no teacher pack was written: {named} failed:\n  {lines}")


def entries(report, info: BuildInfo, lecture: dict[str, str] | None = None, *, light=None,
            deck: tuple[Path, ...] = (), pdf: Path | None = None) -> dict[str, bytes | Path]:
    """Every file of the zip by its name in the zip: bytes (made here) or the Path of a rendered file.

    `light` is the report of the scenes' light-theme build (their files go in as <id>.light.*), `deck` the
    slide deck's files (teacher.slides.cached_deck), which go under slides/; `pdf`, if given, is the print
    page as a PDF (figures_src.site.pdf), put at the top of the zip.
    """
    check_report(report)
    if light is not None:
        check_report(light)
    lecture = lecture if lecture is not None else lectures(report)
    out: dict[str, bytes | Path] = {
        CITE: how_to_cite(report, info).encode(),
        LICENCE: (ROOT / LICENCE).read_bytes(),
    }
    if pdf is not None:
        if not Path(pdf).is_file():
            raise PackError(f"{pdf}: no such PDF (make it with `make pdf`)")
        out[Path(pdf).name] = Path(pdf)
    for r in report.results:
        for p in r.files:
            name = Path(p).name
            if name not in SKIP and not name.endswith(".json"):
                out[f"figures/{r.id}/{name}"] = Path(p)
    for r in light.results if light is not None else ():
        if r.theme != "light" or report.figures.get(r.id, {}).get("kind") != "manim":
            continue
        for p in r.files:
            name = Path(p).name
            if name.startswith(r.id) and name.endswith(LIGHT_SCENE_FILES):
                out[f"figures/{r.id}/{r.id}.light{name[len(r.id):]}"] = Path(p)
    for p in deck:  # a cached deck's name holds its content key: <name>.<key>.pptx, in the zip <name>.pptx
        out["slides/" + re.sub(r"\.[0-9a-f]{20}(?=\.\w+$)", "", Path(p).name)] = Path(p)
    for fig_id, meta in report.figures.items():
        out[f"data/{fig_id}.csv"] = data_csv(meta["data"]).encode()
        for key, rows in matrices(meta["data"]):
            out[f"data/{fig_id}/{key}.csv"] = matrix_csv(rows).encode()
    out[README] = readme(report, info, lecture, _manifest(report, out)).encode()
    return dict(sorted(out.items()))


def _manifest(report, files: dict[str, bytes | Path]) -> list[tuple[str, int, str]]:
    """(name, size, sha256) of every file; rendered files' hashes come from their render's manifest.json."""
    known: dict[str, str] = {}
    for r in report.results:
        if r.dir:
            try:
                recorded = json.loads((Path(r.dir) / "manifest.json").read_text(encoding="utf-8"))["files"]
                known.update({str(Path(r.dir) / n): h for n, h in recorded.items()})
            except (OSError, ValueError, KeyError, TypeError):
                pass
    rows = []
    for name, content in sorted(files.items()):
        if isinstance(content, Path):
            sha = known.get(str(content)) or hashlib.sha256(content.read_bytes()).hexdigest()
            size = content.stat().st_size
        else:
            sha, size = hashlib.sha256(content).hexdigest(), len(content)
        rows.append((name, size, sha))
    return rows


def write_pack(report, info: BuildInfo, out: Path, lecture: dict[str, str] | None = None, *, light=None,
               deck: tuple[Path, ...] = (), pdf: Path | None = None) -> Path:
    """Write the zip atomically (temp file, then rename) and return its path; PackError if a figure failed."""
    return _write_zip(entries(report, info, lecture, light=light, deck=deck, pdf=pdf), Path(out))


def _write_zip(files: dict[str, bytes | Path], out: Path) -> Path:
    def save(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as z:
            for name in sorted(files):
                content = files[name]
                blob = content.read_bytes() if isinstance(content, Path) else content
                zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                zi.create_system = 3  # Unix, on every platform
                zi.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, blob)

    return atomic_write(out, b"", save=save)


def cached_pack(report, info: BuildInfo, cache: Path, lecture: dict[str, str] | None = None, *, light=None,
                deck: tuple[Path, ...] = ()) -> Path:
    """The pack of this build, written into `cache` only when its content is new.

    The README lists every file with its SHA-256, so its hash (with FORMAT)
    names the content: an unchanged build finds its zip and writes nothing.
    Packs unused for an hour are removed.
    """
    files = entries(report, info, lecture, light=light, deck=deck)
    key = hashlib.sha256(FORMAT.encode() + b"\0" + files[README]).hexdigest()[:20]
    out = Path(cache) / f"{Path(pack_name(info)).stem}.{key}.zip"
    if out.is_file():
        touch(out)
    else:
        _write_zip(files, out)
    prune(Path(cache).glob("*.zip"), keep=[out])
    return out


def summary(path: Path) -> tuple[int, int]:
    """(number of files, size in bytes) of a pack."""
    with zipfile.ZipFile(path) as z:
        return len(z.infolist()), Path(path).stat().st_size


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


# --------------------------------------------------------------------------- the texts


def _examples_line(report) -> str:
    from attention_ref.examples import DEFAULT_PATH

    path = Path(report.examples)
    if path.resolve() == Path(DEFAULT_PATH).resolve():
        return "the worked examples of the site (attention_ref/examples.toml)"
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        digest = "unreadable"
    return f"your own examples file {path.name} (SHA-256 {digest}...), not the site's"


def readme(report, info: BuildInfo, lecture: dict[str, str], manifest: list[tuple[str, int, str]]) -> str:
    wrap = textwrap.TextWrapper(width=88, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False,
                                break_long_words=False)
    present = {name for name, _, _ in manifest}
    lines = [
        f"{SITE_TITLE}: teacher pack, version {info.version} (commit {info.commit}, {info.date})",
        f"By {info.authors_line}. {info.where()}",
        "",
        "Every figure and animation of the site, computed by the reference implementation",
        f"attention_ref from {_examples_line(report)}, at {report.quality} quality.",
        "Free to use in lectures, slides and handouts under CC BY 4.0: see LICENSE-CONTENT.md",
        "and HOW-TO-CITE.txt.",
        "",
        "WHAT IS INSIDE",
        "",
        "figures/<id>/   the files of one figure or animation:",
    ]
    for suffix, what in FILE_KINDS:
        pattern = re.escape(suffix).replace("N", r"\d+") + "$"
        if any(re.search(pattern, n) for n in present if n.startswith("figures/")):
            lines.append(f"    <id>{suffix:15} {what}")
    for name in sorted(n for n in present if "/" not in n and n.endswith(".pdf")):
        lines += [name, "                the whole explainer on paper (A4), as the site's print page prints it"]
    lines += [
        "data/<id>.csv   every number the figure shows, one row per number: key,value. The key",
        "                is the path in the figure's data: weights.3.5 is row 3, column 5 of",
        "                \"weights\" (counting from 0).",
        "data/<id>/<key>.csv   each matrix of those numbers once more as a grid (no labels:",
        "                row i of the file is row i of the matrix), to paste into a spreadsheet.",
    ]
    deck = sorted(n for n in present if n.startswith("slides/"))
    if deck:
        lines += [
            f"{' and '.join(deck)}",
            "                the slide deck (16:9): a slide per figure and animation, in the order of",
            "                the pages; the title is the caption, the small line under it the citation,",
            "                the speaker notes what it is good for in a lecture and what it shows. Each",
            "                animation plays on its slide (the PDF shows its poster).",
        ]
    lines += [
        "",
        "Each figure also has its own page on the site, with the numbers as tables:",
        f"{info.url('figures/<id>/') or 'figures/<id>/ (in the site of this local build)'}",
        "",
        "THE FIGURES, AND WHAT EACH IS GOOD FOR IN A LECTURE",
        "",
    ]
    for fig_id, meta in report.figures.items():
        kind = "animation" if meta["kind"] == "manim" else "figure"
        lines.append(f"{fig_id} ({kind})")
        lines += wrap.wrap(meta["caption"])
        if lecture.get(fig_id):
            lines += wrap.wrap("In a lecture: " + lecture[fig_id])
        lines += [f"    {info.url(f'figures/{fig_id}/')}" if info.published else f"    figures/{fig_id}/", ""]
    lines += [
        "LICENCE",
        "",
        "Text, figures, animations and data tables: CC BY 4.0 (LICENSE-CONTENT.md): share and",
        f"adapt them for any purpose, crediting {info.authors_line}, \"Self-Attention, Visually\",",
        "the version and the page or figure (HOW-TO-CITE.txt has each citation ready). Code: MIT.",
        "",
        "MANIFEST",
        "",
        "Every file in this zip: path, size in bytes, SHA-256 (README.txt is this file).",
        "",
        README,
    ]
    lines += [f"{name}  {size}  {sha}" for name, size, sha in manifest]
    return "\n".join(lines) + "\n"


def how_to_cite(report, info: BuildInfo) -> str:
    lines = [
        f"The site: {info.authors_line}. {SITE_TITLE}, version {info.version} (commit {info.commit}, {info.date}). "
        f"{info.where()}.",
        "Licence: CC BY 4.0 (text, figures, animations, tables); code MIT.",
        "",
        "A figure:",
    ]
    for fig_id, meta in report.figures.items():
        lines.append(
            f"- {info.authors_line}. “{meta['caption']}” Figure {fig_id} in {SITE_TITLE}, version {info.version}. "
            f"{info.where(f'figures/{fig_id}/')}. CC BY 4.0."
        )
    return "\n".join(lines) + "\n"


def parse_manifest(text: str) -> dict[str, tuple[int, str] | None]:
    """The MANIFEST section of a README.txt: path -> (size, sha256), None for README.txt itself."""
    _, found, rest = text.partition("\nMANIFEST\n")
    if not found:
        raise ValueError("README.txt has no MANIFEST section")
    out: dict[str, tuple[int, str] | None] = {}
    for line in rest.splitlines():
        parts = line.split("  ")
        if line == README:
            out[README] = None
        elif len(parts) == 3 and parts[1].isdigit() and len(parts[2]) == 64:
            out[parts[0]] = (int(parts[1]), parts[2])
    return out
