"""The "For teachers" page: every figure with what it is good for in a lecture, and every "Try it" section.

docs/teachers.md holds page macros that the MkDocs hook expands with these
functions: `figure_table` (each figure, the pages that show it, its LECTURE
line) and `exercise_list` (the exercises of every page's "Try it" section,
collected at build time so the list never goes stale).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass


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

    from ..site.embed import _split

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
    from ..site.embed import references

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
