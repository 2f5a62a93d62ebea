"""The generated pages: one page per figure (figures/<id>/) and the gallery (figures/).

Each figure page shows the figure large, its caption and long description,
the numbers it shows as tables, its downloads, its source module, the version
and commit it was built from, and a "Cite this figure" block.
"""

from __future__ import annotations

import html

from ..core.identity import SITE_TITLE, BuildInfo, bibtex_authors
from .data_tables import data_tables
from .embed import SiteFigure
from .images import png_size

DOWNLOADS = (
    (".light.svg", "SVG, light"), (".dark.svg", "SVG, dark"),
    (".light.narrow.svg", "SVG for narrow screens, light"), (".dark.narrow.svg", "SVG for narrow screens, dark"),
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


GALLERY_REST = "Only in the gallery"


def gallery_page(figures: dict[str, SiteFigure], sections: list[tuple[str, list[str]]] | None = None) -> str:
    """The gallery: a heading per page, in reading order, with its figures in the order they appear there.

    `sections` are (page title, figure ids) in reading order (assemble.reading_order); a figure shown on
    several pages is listed under the first; the figures on no page come last. Each item says whether it
    is a still or an animation.
    """
    lines = ["---", "title: Gallery of figures", "---", "", "# Gallery of figures", "",
             "Every figure and animation of the site, page by page in reading order, each with its own page: "
             "the numbers it shows, downloads, and how to cite it.", ""]
    placed: set[str] = set()
    groups = []
    for title, ids in sections or []:
        ids = [i for i in ids if i in figures and i not in placed]
        placed.update(ids)
        if ids:
            groups.append((title, ids))
    rest = [i for i in figures if i not in placed]
    if rest:
        groups.append((GALLERY_REST if groups else "All figures", rest))
    k = 0
    for title, ids in groups:
        lines += [f"## {html.escape(title)}", "", '<div class="sav-gallery">']
        for fig_id in ids:
            lines.append(_gallery_item(figures[fig_id], first=k < 3))
            k += 1
        lines += ["</div>", ""]
    return "\n".join(lines)


def _gallery_item(fig: SiteFigure, first: bool) -> str:
    if fig.file(".light.png") and fig.file(".dark.png"):
        imgs = _thumb(fig, ".light.png", "#only-light", first) + _thumb(fig, ".dark.png", "#only-dark", first)
    else:
        imgs = _thumb(fig, ".light.png", "", first) or _thumb(fig, ".poster.png", "", first)
    kind = "animation" if fig.kind == "manim" else "still"
    label = "▶ Animation" if kind == "animation" else "Still"
    badge = f'<span class="sav-gallery__badge sav-gallery__badge--{kind}">{label}</span>'
    return (f'<a class="sav-gallery__item sav-gallery__item--{kind}" href="{fig.id}/">{imgs}{badge}'
            f'<span>{html.escape(fig.caption)}</span></a>')


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


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
