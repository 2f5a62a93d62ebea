"""The generated pages: one page per figure (figures/<id>/) and the gallery (figures/).

Each figure page shows the figure large, its caption and long description,
the numbers it shows as tables, its downloads, its source module, the version
and commit it was built from, and a "Cite this figure" block.
"""

from __future__ import annotations

import html

from ..core.identity import SITE_TITLE, BuildInfo, bibtex_authors
from ..kit.formats import fmt
from .embed import SiteFigure
from .images import png_size
DOWNLOADS = (
    (".light.svg", "SVG, light"), (".dark.svg", "SVG, dark"),
    (".light.png", "PNG 2×, light"), (".dark.png", "PNG 2×, dark"),
    (".light.pdf", "PDF, light"), (".dark.pdf", "PDF, dark"),
    (".mp4", "MP4 video"), (".gif", "GIF"), (".poster.png", "Poster (PNG)"),
    (".captions.vtt", "Captions (WebVTT)"), (".chapters.vtt", "Chapters (WebVTT)"),
)


def figure_page(fig: SiteFigure, info: BuildInfo, module_path: str) -> str:
    url = info.url(fig.page_path)  # "" for a local build: then no address is cited, and the citation says why
    lines = [
        "---",
        f"title: {_yaml(fig.caption)}",
        f"description: {_yaml(fig.alt[:300])}",
        "---",
        "",
        f"# {html.escape(fig.caption)}",
        "",
        f'{{{{ figure("{fig.id}") }}}}',
        "",
        fig.description,
        "",
        f"**Figure id:** `{fig.id}` · **built from** version {info.version}, commit `{info.commit}` ({info.date})",
        "",
        *claims_section(fig),
        "## The numbers it shows",
        "",
        data_tables(fig.data),
        "",
        "## Downloads",
        "",
    ]
    for suffix, label in DOWNLOADS:
        name = fig.file(suffix)
        if name:
            lines.append(f"- [{label}]({name}){{ download }}")
    lines.append(f"- [The numbers (JSON)]({fig.id}.json){{ download }}")
    lines += [
        "",
        f"Source: `{module_path}`, computed by `attention_ref` from the worked examples.",
        "",
        "## Cite this figure",
        "",
        *citation(fig, info, url),
        "",
        "Text, figures and videos: [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/); code: MIT.",
        "",
    ]
    return "\n".join(lines)


def citation(fig: SiteFigure, info: BuildInfo, url: str) -> list[str]:
    """The "Cite this figure" block: as text and as BibTeX, with the authors and the figure's address (or, for a
    local build, that it is one)."""
    local = "" if url else "; a local build, not published"
    return [
        "```text",
        f"{info.authors_line}. “{fig.caption}” Figure {fig.id} in {SITE_TITLE}, version {info.version} "
        f"(commit {info.commit}, {info.date}). {info.where(fig.page_path)}. Licence CC BY 4.0.",
        "```",
        "",
        "```bibtex",
        f"@misc{{sav-{fig.id},",
        f"  author       = {{{bibtex_authors(info.authors)}}},",
        f"  title        = {{{fig.caption}}},",
        *([f"  howpublished = {{\\url{{{url}}}}},"] if url else []),
        f"  note         = {{Figure {fig.id} in {SITE_TITLE}, version {info.version}, commit {info.commit}{local}}},",
        f"  year         = {{{info.date[:4]}}},",
        "}",
        "```",
    ]


def claims_section(fig: SiteFigure) -> list[str]:
    """The figure's claims, each checked against these numbers when this page was built (none: no section)."""
    if not fig.claims:
        return []
    lines = ["## What this figure shows, checked at build time { #claims }", "",
             "Each sentence below is a check over the numbers in the table that follows; the site is not "
             "built when one of them is false.", ""]
    for c in fig.claims:
        mark = "✓" if c["holds"] else "✗ false:"
        lines.append(f"- {mark} {html.escape(c['text'])} <small>(`{c['name']}`)</small>")
    return [*lines, ""]


def gallery_page(figures: dict[str, SiteFigure]) -> str:
    lines = ["---", "title: Gallery of figures", "---", "", "# Gallery of figures", "",
             "Every figure and animation of the site, each with its own page: the numbers it shows, "
             "downloads, and how to cite it.", "", '<div class="sav-gallery">']
    for k, fig in enumerate(figures.values()):
        first = k < 3
        if fig.file(".light.png") and fig.file(".dark.png"):
            imgs = _thumb(fig, ".light.png", "#only-light", first) + _thumb(fig, ".dark.png", "#only-dark", first)
        else:
            imgs = _thumb(fig, ".light.png", "", first) or _thumb(fig, ".poster.png", "", first)
        lines.append(f'<a class="sav-gallery__item" href="{fig.id}/">{imgs}<span>{html.escape(fig.caption)}</span></a>')
    lines += ["</div>", ""]
    return "\n".join(lines)


def _thumb(fig: SiteFigure, suffix: str, palette: str, first_row: bool) -> str:
    """The gallery's <img> of one variant: its thumbnail when there is one (see site/thumbs.py)."""
    name = fig.file(suffix.replace(".png", ".thumb.png")) or fig.file(suffix)
    if not name:
        return ""
    w, h = png_size(fig.files[name])
    # The first row is in view at once: fetched first; the rest when scrolled near. A lazy image that
    # the palette hides is never fetched, so the dark variants are always lazy.
    loading = 'fetchpriority="high"' if first_row and palette != "#only-dark" else 'loading="lazy"'
    alt = html.escape(fig.alt, quote=True)
    return f'<img src="{fig.id}/{name}{palette}" alt="{alt}" width="{w}" height="{h}" {loading}>'


def data_tables(data: dict) -> str:
    """The data as Markdown tables: scalars in one table, each list of numbers as a row or matrix."""
    scalars, blocks = [], []
    for key, v in data.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            scalars.append(f"| `{key}` | {fmt(v, 'f3') if isinstance(v, float) else v} |")
        elif isinstance(v, str):
            scalars.append(f"| `{key}` | {html.escape(v)} |")
        elif isinstance(v, dict) and v and all(isinstance(x, (int, float)) for x in v.values()):
            head = "| " + " | ".join(f"`{k}`" for k in v) + " |"
            row = "| " + " | ".join(_num(x) for x in v.values()) + " |"
            blocks.append(f"**`{key}`**\n\n{head}\n|{'---|' * len(v)}\n{row}")
        elif isinstance(v, list) and v and all(isinstance(x, (int, float)) for x in v):
            blocks.append(f"**`{key}`**: " + ", ".join(_num(x) for x in v))
        elif isinstance(v, list) and v and all(_numbers(r) for r in v):
            # a matrix: rows and columns numbered from 1, so that no header cell is empty
            rows = "\n".join(f"| {i} | " + " | ".join(_num(x) for x in r) + " |" for i, r in enumerate(v, 1))
            width = max(len(r) for r in v)
            head = "| row | " + " | ".join(str(j) for j in range(1, width + 1)) + " |"
            blocks.append(f"**`{key}`** ({len(v)} × {width})\n\n{head}\n|---|{'---|' * width}\n{rows}")
    out = []
    if scalars:
        out.append("| key | value |\n|---|---|\n" + "\n".join(scalars))
    out += blocks
    return "\n\n".join(out) or "_This figure shows no numbers._"


def _numbers(row) -> bool:
    return isinstance(row, list) and all(isinstance(x, (int, float)) for x in row)


def _num(x) -> str:
    return fmt(x, "f3") if isinstance(x, float) else str(x)


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
