"""The teacher pack: one zip with every figure, video and data table of a version.

    python -m figures_src pack [--out FILE] [--quality draft|publish] [--examples FILE]

Layout of the zip (deterministic: sorted entries, fixed timestamps, so the same
build gives a byte-identical zip):

    README.txt                   what is inside, what each figure is good for in a lecture,
                                 and the MANIFEST: every file of the zip with its size and SHA-256
    HOW-TO-CITE.txt              the citation of the version and of each figure
    LICENSE-CONTENT.md           CC BY 4.0 for the figures, videos and tables
    figures/<id>/...             SVG, PDF and PNG (light and dark); MP4, captions, chapters, poster, stills
    data/<id>.csv                every number the figure shows: one row per number (key, value)
    data/<id>/<key>.csv          each matrix among them once more as a grid, for a spreadsheet

The MkDocs hook serves the pack of the build at downloads/<name>.zip
(`cached_pack`: written once per distinct content into a cache outside docs/),
and the "For teachers" page (docs/teachers.md) lists every figure with its
LECTURE line and every "Try it" section of the site (`figure_table`,
`exercise_list`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import posixpath
import re
import textwrap
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .pages import SITE_TITLE, BuildInfo

ROOT = Path(__file__).resolve().parent.parent
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same build gives the same zip
FORMAT = "2"  # bump when the layout changes: part of the hook's cache key
SKIP = {"manifest.json"}
STORED = (".mp4", ".png", ".gif")  # already compressed
README, CITE, LICENCE = "README.txt", "HOW-TO-CITE.txt", "LICENSE-CONTENT.md"

# What each kind of file is for, by the end of its name (the README's "What is inside").
FILE_KINDS = (
    (".light.svg", "vector, light background: slides, web pages; scales to any size"),
    (".dark.svg", "vector, dark background: slides with a dark theme"),
    (".light.pdf", "vector, light background: LaTeX and Beamer (\\includegraphics)"),
    (".dark.pdf", "vector, dark background"),
    (".light.png", "bitmap at twice the screen size, light: PowerPoint, Keynote, Google Slides"),
    (".dark.png", "bitmap at twice the screen size, dark"),
    (".mp4", "the animation (H.264, silent); plays in every browser and slide program"),
    (".gif", "the animation as a looping GIF, for slides that cannot play video"),
    (".captions.vtt", "its captions (WebVTT): load them in your player (VLC: Subtitle > Add Subtitle File)"),
    (".chapters.vtt", "its chapters, one per step (WebVTT)"),
    (".poster.png", "its last frame: a still for a handout, or for rooms where video will not play"),
    (".step-N.png", "the last frame of each chapter: one still per step"),
)


class PackError(Exception):
    """The pack cannot be made (a failed figure build); the message names the figures."""


# --------------------------------------------------------------------------- data tables


def flatten(data, path: str = "") -> list[tuple[str, object]]:
    """(dotted path, value) for every leaf of the data: the long format a spreadsheet reads.

    List items are numbered from 0 ("weights.3.5" is row 3, column 5); an empty
    list or mapping is a leaf of its own ([] or {}), so no key goes missing.
    """
    if isinstance(data, dict) and data:
        rows = []
        for key, value in data.items():
            rows += flatten(value, f"{path}.{key}" if path else str(key))
        return rows
    if isinstance(data, list) and data:
        rows = []
        for i, value in enumerate(data):
            rows += flatten(value, f"{path}.{i}" if path else str(i))
        return rows
    return [(path, data)]


def cell(value) -> str:
    """A value as the CSV shows it: floats in full (repr round-trips), None empty, empty containers as [] / {}."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, dict)):
        return "[]" if isinstance(value, list) else "{}"
    return str(value)


def data_csv(data: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["key", "value"])
    for key, value in flatten(data):
        writer.writerow([key, cell(value)])
    return buf.getvalue()


def _is_scalar(x) -> bool:
    return isinstance(x, (int, float, bool)) or x is None


def matrices(data, path: str = "") -> list[tuple[str, list[list]]]:
    """(dotted path, rows) for every matrix in the data: a list of two or more equal, non-empty rows of numbers."""
    if isinstance(data, list) and len(data) > 1 and all(isinstance(r, list) and r for r in data):
        if len({len(r) for r in data}) == 1 and all(_is_scalar(x) for r in data for x in r):
            return [(path, data)]
    out = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += matrices(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += matrices(value, f"{path}.{i}" if path else str(i))
    return out


def matrix_csv(rows: list[list]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(x) for x in row])
    return buf.getvalue()


# --------------------------------------------------------------------------- the lecture lines


def lectures(report) -> dict[str, str]:
    """Each figure's LECTURE line (what it is good for in a lecture), "" where its module has none."""
    from . import registry

    out = {}
    for fig_id, meta in report.figures.items():
        try:
            out[fig_id] = registry.load_figure(meta["module"]).lecture
        except (registry.FigureModuleError, KeyError):
            out[fig_id] = ""
    return out


# --------------------------------------------------------------------------- the zip


def pack_name(info: BuildInfo) -> str:
    """The file name of the pack: self-attention-visually-<version>-teacher-pack.zip."""
    version = re.sub(r"[^A-Za-z0-9._-]+", "-", info.version).strip("-") or "dev"
    return f"self-attention-visually-{version}-teacher-pack.zip"


def check_report(report) -> None:
    """Raise PackError naming every failed figure: a pack is all the figures or nothing."""
    if report.ok:
        return
    failed = sorted({r.id for r in report.failed})
    lines = "\n  ".join(report.errors())
    named = f"figure(s) {', '.join(failed)}" if failed else "figure module(s)"
    raise PackError(f"the figure build failed, so no teacher pack was written: {named} failed:\n  {lines}")


def entries(report, info: BuildInfo, lecture: dict[str, str] | None = None) -> dict[str, bytes | Path]:
    """Every file of the zip by its name in the zip: bytes (made here) or the Path of a rendered file."""
    check_report(report)
    lecture = lecture if lecture is not None else lectures(report)
    out: dict[str, bytes | Path] = {
        CITE: how_to_cite(report, info).encode(),
        LICENCE: (ROOT / LICENCE).read_bytes(),
    }
    for r in report.results:
        for p in r.files:
            name = Path(p).name
            if name not in SKIP and not name.endswith(".json"):
                out[f"figures/{r.id}/{name}"] = Path(p)
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


def write_pack(report, info: BuildInfo, out: Path, lecture: dict[str, str] | None = None) -> Path:
    """Write the zip atomically (temp file, then rename) and return its path; PackError if a figure failed."""
    return _write_zip(entries(report, info, lecture), Path(out))


def _write_zip(files: dict[str, bytes | Path], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w") as z:
            for name in sorted(files):
                content = files[name]
                blob = content.read_bytes() if isinstance(content, Path) else content
                zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                zi.create_system = 3  # Unix, on every platform
                zi.compress_type = zipfile.ZIP_STORED if name.endswith(STORED) else zipfile.ZIP_DEFLATED
                zi.external_attr = 0o644 << 16
                z.writestr(zi, blob)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


KEEP_FOR = 3600.0  # seconds an older pack stays in the cache after its last use (a concurrent build may serve it)


def cached_pack(report, info: BuildInfo, cache: Path, lecture: dict[str, str] | None = None) -> Path:
    """The pack of this build, written into `cache` only when its content is new.

    The README lists every file with its SHA-256, so its hash (with FORMAT)
    names the content: an unchanged build finds its zip and writes nothing.
    Packs unused for an hour are removed.
    """
    files = entries(report, info, lecture)
    key = hashlib.sha256(FORMAT.encode() + b"\0" + files[README]).hexdigest()[:20]
    out = Path(cache) / f"{Path(pack_name(info)).stem}.{key}.zip"
    if out.is_file():
        os.utime(out)
    else:
        _write_zip(files, out)
    now = time.time()
    for old in Path(cache).glob("*.zip"):
        try:
            if old != out and now - old.stat().st_mtime > KEEP_FOR:
                old.unlink()
        except OSError:
            pass
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
        info.site_url,
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
    lines += [
        "data/<id>.csv   every number the figure shows, one row per number: key,value. The key",
        "                is the path in the figure's data: weights.3.5 is row 3, column 5 of",
        "                \"weights\" (counting from 0).",
        "data/<id>/<key>.csv   each matrix of those numbers once more as a grid (no labels:",
        "                row i of the file is row i of the matrix), to paste into a spreadsheet.",
        "",
        "Each figure also has its own page on the site, with the numbers as tables:",
        f"{info.site_url}figures/<id>/",
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
        lines += [f"    {info.site_url}figures/{fig_id}/", ""]
    lines += [
        "LICENCE",
        "",
        "Text, figures, animations and data tables: CC BY 4.0 (LICENSE-CONTENT.md): share and",
        "adapt them for any purpose, crediting \"Self-Attention, Visually\", the version and the",
        "page or figure (HOW-TO-CITE.txt has each citation ready). Code: MIT.",
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
        f"The site: {SITE_TITLE}, version {info.version} (commit {info.commit}, {info.date}). {info.site_url}",
        "Licence: CC BY 4.0 (text, figures, animations, tables); code MIT.",
        "",
        "A figure:",
    ]
    for fig_id, meta in report.figures.items():
        lines.append(
            f"- “{meta['caption']}” Figure {fig_id} in {SITE_TITLE}, version {info.version}. "
            f"{info.site_url}figures/{fig_id}/. CC BY 4.0."
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


# --------------------------------------------------------------------------- the "For teachers" page


@dataclass(frozen=True)
class DocPage:
    """A page of the site as the teachers page needs it: where its source is, its title, its Markdown."""

    src: str  # the source's path under docs/, e.g. "steps/scores.md"
    title: str
    markdown: str


@dataclass(frozen=True)
class TryIt:
    """One "## Try it" section: its page, its anchor on that page, and the first paragraph of each exercise."""

    page: DocPage
    anchor: str
    questions: tuple[str, ...]


HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
ATTR_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
TRY_IT = re.compile(r"^try it\b", re.I)
ITEM = re.compile(r"^(\d+)[.)][ \t]+(.*)$")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def try_it_sections(page: DocPage) -> list[TryIt]:
    """The level-2 "Try it" sections of a page, with the anchors the toc extension gives them."""
    from markdown.extensions.toc import slugify, unique

    from .embed import _split

    # Headings are looked for outside code only: code is blanked out, keeping every offset.
    masked = "".join(p if i % 2 == 0 else re.sub(r"[^\n]", " ", p) for i, p in enumerate(_split(page.markdown)))
    ids: set[str] = set()
    heads = []  # (level, title, anchor, where the heading starts, where its body starts)
    for m in HEADING.finditer(masked):
        title = m.group(2)
        custom = ATTR_ID.search(title)
        title = ATTR_ID.sub("", title)
        anchor = unique(custom.group(1) if custom else slugify(title, "-"), ids)
        heads.append((len(m.group(1)), title, anchor, m.start(), m.end()))
    out = []
    for i, (level, title, anchor, _, start) in enumerate(heads):
        if level == 2 and TRY_IT.match(title):
            end = next((h[3] for h in heads[i + 1 :] if h[0] <= 2), len(masked))
            out.append(TryIt(page, anchor, tuple(_questions(page.markdown[start:end]))))
    return out


def _questions(body: str) -> list[str]:
    """The first paragraph of each top-level numbered item; without a list, the first paragraph."""
    questions: list[str] = []
    current: list[str] | None = None
    for line in body.splitlines():
        m = ITEM.match(line)
        if m:
            if current:
                questions.append(" ".join(current))
            current = [m.group(2).strip()]
        elif current is not None:
            if line.strip() and line.startswith((" ", "\t")) and current[-1] != "":
                current.append(line.strip())
            else:
                current.append("")  # the first paragraph ended: the rest of the item is the answer
    if current:
        questions.append(" ".join(x for x in current if x))
    if not questions:
        first = body.strip().split("\n\n")[0].strip()
        questions = [" ".join(first.split())] if first else []
    return [LINK.sub(r"\1", " ".join(q.split())) for q in questions]


def figure_uses(pages: list[DocPage]) -> dict[str, list[DocPage]]:
    """Figure id -> the pages that embed it with {{ figure(...) }}, in the pages' order."""
    from .embed import references

    uses: dict[str, list[DocPage]] = {}
    for page in pages:
        for name, args in references(page.markdown, page.src):
            if name == "figure" and args and page not in uses.setdefault(args[0], []):
                uses[args[0]].append(page)
    return uses


def _link(target: str, here: str, anchor: str = "") -> str:
    """A Markdown link target from the page `here` to the source `target` (both paths under docs/)."""
    rel = posixpath.relpath(target, posixpath.dirname(here) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def figure_table(figures: dict[str, dict], lecture: dict[str, str], pages: list[DocPage], here: str) -> str:
    """The Markdown table of every figure, in reading order: caption (linked to its page), where it is, lecture use."""
    uses = figure_uses(pages)  # in reading order: the first page's figures first, each in its order there
    ids = [fid for fid in uses if fid in figures] + sorted(fid for fid in figures if fid not in uses)
    lines = ["| Figure | On the page | Good in a lecture for |", "|---|---|---|"]
    for fid in ids:
        meta = figures[fid]
        kind = " · animation" if meta["kind"] == "manim" else ""
        fig = f"[{_cell(meta['caption'])}]({_link(f'figures/{fid}/index.md', here)})<br>`{fid}`{kind}"
        where = ", ".join(f"[{_cell(p.title)}]({_link(p.src, here)})" for p in uses.get(fid, [])) or "the gallery only"
        lines.append(f"| {fig} | {where} | {_cell(lecture.get(fid, '')) or '—'} |")
    return "\n".join(lines) + "\n"


def exercise_list(pages: list[DocPage], here: str, expand=lambda text, page: text) -> str:
    """Every "Try it" section in reading order: a link to it, then its exercises (macros expanded by `expand`)."""
    blocks = []
    for page in pages:
        for section in try_it_sections(page):
            head = f"**[{_cell(page.title)}]({_link(page.src, here, section.anchor)})**"
            items = [f"{i}. {expand(q, page.src)}" for i, q in enumerate(section.questions, start=1)]
            blocks.append(head + "\n\n" + "\n".join(items))
    return "\n\n".join(blocks) + "\n" if blocks else "_No page has a \"Try it\" section yet._\n"


def page_title(markdown: str, fallback: str) -> str:
    """A page's title: its front matter's title, else its first level-1 heading, else `fallback`."""
    m = re.match(r"^---\n(.*?)\n---\n", markdown, re.S)
    if m:
        t = re.search(r"^title:\s*(.+?)\s*$", m.group(1), re.M)
        if t:
            return t.group(1).strip("\"'")
    h = re.search(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", markdown, re.M)
    return ATTR_ID.sub("", h.group(1)) if h else fallback
