"""Pages embed figures by id, pull numbers from their data, and cite their claims, through three macros:

    {{ figure("softmax-pie-it") }}                     the figure: light/dark images or a video
    {{ value("softmax-pie-it", "weight.animal", "pct") }}   one number, formatted as on screen
    {{ claim("softmax-pie-it", "it_attends_most_to_animal") }}   the sentence before it is a claim
                                                       the build checks: a ✓ linking to the figure's list

The syntax is mkdocs-macros' (Jinja's call syntax), so a generator that runs
that plugin instead of hooks can call these same functions from a
`define_env` module.

`expand(markdown, page)` replaces them. An unknown id, key, format or macro
raises `EmbedError` naming the page and what was wrong. Fenced and inline code
is left alone, so a page can show the macros themselves.

A few page macros take no figure id: their text comes from the whole site
(the "For teachers" page lists every figure and exercise), so the site
generator supplies them to `expand(..., page_macros={name: function})`;
PAGE_MACROS names them, so that `check` accepts them without the site.

This module knows nothing about MkDocs: it needs only the figures' records
(`SiteFigure`) and a function that turns a site path into a URL relative to
the page, so another site generator can call it the same way.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..kit import svgtext, vtt
from ..kit.formats import FORMATS, fmt
from ..kit.jsonable import lookup
from .images import png_size

MACRO = re.compile(r"\{\{\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<args>.*?)\)\s*\}\}", re.S)
# Code the macros must not touch: fenced blocks (``` or ~~~, three or more, indented too, as inside
# lists and admonitions; an unclosed fence runs to the end) and inline code spans of any number of
# backticks (`x`, ``x``).
CODE = re.compile(
    r"^[ \t]*(?P<fence>`{3,}|~{3,})[^\n]*(?:\n.*?)??(?:\n[ \t]*(?P=fence)[`~]*[ \t]*$|\Z)"
    r"|(?<!`)(?P<ticks>`+)(?!`)(?-s:.+?)(?<!`)(?P=ticks)(?!`)",
    re.S | re.M,
)


class EmbedError(Exception):
    """A macro that names an unknown figure, key, format or macro."""


@dataclass
class SiteFigure:
    """What a page needs to show one figure."""

    id: str
    kind: str
    caption: str
    description: str
    alt: str
    data: dict
    files: dict[str, str] = field(default_factory=dict)  # file name -> absolute path
    claims: list[dict] = field(default_factory=list)  # {name, text, holds, error}, as the build checked them

    def site_path(self, name: str) -> str:
        return f"figures/{self.id}/{name}"

    @property
    def page_path(self) -> str:
        return f"figures/{self.id}/"

    def file(self, suffix: str) -> str | None:
        """The file name ending in `suffix` (e.g. ".light.svg", ".mp4"), if built."""
        for name in sorted(self.files):
            if name.endswith(suffix):
                return name
        return None


def references(markdown: str, page: str = "<page>") -> list[tuple[str, tuple]]:
    """The (macro name, args) calls in `markdown`, outside code."""
    calls = []
    for part in _outside_code(markdown):
        for m in MACRO.finditer(part):
            calls.append((m.group("name"), _args(m, page)))
    return calls


def check(markdown: str, page: str, figures: dict[str, SiteFigure]) -> None:
    """Raise EmbedError for the first bad macro in `markdown` (used before a build starts)."""
    for name, args in references(markdown, page):
        if name in PAGE_MACROS:
            _page_macro(name, args, page, None, relative=lambda p: p)
        else:
            _call(name, args, page, figures, relative=lambda p: p)


def expand(markdown: str, page: str, figures: dict[str, SiteFigure], relative, page_macros=None) -> str:
    """Replace the macros in `markdown`; `relative(site_path)` gives a URL relative to the page.

    `page_macros` maps the names in PAGE_MACROS to functions `f(relative=...) -> str` (Markdown).
    """

    def call(m: re.Match) -> str:
        name, args = m.group("name"), _args(m, page)
        if name in PAGE_MACROS:
            return _page_macro(name, args, page, page_macros or {}, relative)
        return _call(name, args, page, figures, relative)

    pieces = _split(markdown)
    for i in range(0, len(pieces), 2):  # even pieces are outside code
        pieces[i] = MACRO.sub(call, pieces[i])
    return "".join(pieces)


# Macros without a figure id, whose text the site generator makes from the whole site (see the module docstring).
PAGE_MACROS = {
    "teacher_pack": "the link to the teacher pack of this version (its size and what it holds)",
    "teacher_slides": "the links to the slide deck of this version (PowerPoint and PDF, with their sizes)",
    "teacher_figures": "the table of every figure: caption, page, what it is good for in a lecture",
    "teacher_exercises": "every \"Try it\" section of every page, with its questions",
}


def _page_macro(name: str, args: tuple, page: str, implementations, relative) -> str:
    if args:
        raise EmbedError(f"{page}: {name}() takes no arguments; got {args!r}")
    if implementations is None:  # check(): the name is enough
        return ""
    fn = implementations.get(name)
    if fn is None:
        raise EmbedError(f"{page}: {name}() is made by the site generator, which did not supply it here")
    return fn(relative=relative)


def _split(markdown: str) -> list[str]:
    """[outside, code, outside, code, ..., outside]: the text cut at every code block and code span."""
    pieces, pos = [], 0
    for m in CODE.finditer(markdown):
        pieces += [markdown[pos : m.start()], m.group(0)]
        pos = m.end()
    pieces.append(markdown[pos:])
    return pieces


def _outside_code(markdown: str) -> list[str]:
    return _split(markdown)[0::2]


def _args(m: re.Match, page: str) -> tuple:
    if not m.group("args").strip():
        return ()
    try:
        value = ast.literal_eval(f"({m.group('args')},)")
    except (SyntaxError, ValueError):
        raise EmbedError(f"{page}: cannot read the arguments of {m.group(0)!r}: use string literals") from None
    return value


def _call(name: str, args: tuple, page: str, figures: dict[str, SiteFigure], relative) -> str:
    macro = MACROS.get(name)
    if macro is None:
        raise EmbedError(f"{page}: unknown macro {name}() (known: {', '.join(MACROS)})")
    if not args or not isinstance(args[0], str):
        raise EmbedError(f"{page}: {name}() needs a figure id as its first argument; got {args!r}")
    fig = figures.get(args[0])
    if fig is None:
        known = ", ".join(sorted(figures))
        raise EmbedError(f"{page}: unknown figure id {args[0]!r} in {name}() (known: {known})")
    try:
        return macro(fig, *args[1:], relative=relative)
    except (KeyError, ValueError, TypeError) as exc:
        detail = exc.args[0] if exc.args else exc
        raise EmbedError(f"{page}: {name}({', '.join(map(repr, args))}): {detail}") from None


# --------------------------------------------------------------------------- macros


def value(fig: SiteFigure, key: str, style: str = "f2", *, relative=None) -> str:
    if style not in FORMATS:
        raise ValueError(f"unknown format {style!r} (known: {', '.join(FORMATS)})")
    v = lookup(fig.data, key)
    if isinstance(v, str):
        return html.escape(v)
    return fmt(v, style)


def claim(fig: SiteFigure, name: str, *, relative) -> str:
    """A small ✓ after a sentence the build checked: it links to the figure page's list of claims."""
    found = next((c for c in fig.claims if c["name"] == name), None)
    if found is None:
        known = ", ".join(c["name"] for c in fig.claims) or "none"
        raise KeyError(f"figure {fig.id} has no claim {name!r} (its claims: {known})")
    if not found["holds"]:  # only under FIGURES_FALSE_CLAIMS=warn: otherwise the build stopped before any page
        text = html.escape(f"Not true for these examples: {found['text']}", quote=True)
        return (f'<a class="sav-claim sav-claim-false" href="{relative(fig.page_path)}#claims" title="{text}">'
                f'✗ not true for these examples<span class="sav-sr">: {html.escape(found["text"])}</span></a>')
    text = html.escape(f"Checked at build time: {found['text']}", quote=True)
    return (f'<a class="sav-claim" href="{relative(fig.page_path)}#claims" title="{text}">'
            f'<span aria-hidden="true">✓</span><span class="sav-sr">{text}</span></a>')


def pages_relying_on(texts: dict[str, str], fig_id: str, name: str) -> list[str]:
    """The pages (of {source path: Markdown}) that cite the claim `name` of `fig_id` with {{ claim() }}."""
    return [src for src, text in texts.items()
            if any(m == "claim" and args[:2] == (fig_id, name) for m, args in references(text, src))]


def figure(fig: SiteFigure, *, relative) -> str:
    """The HTML of one figure, with a link to its own page."""
    caption = html.escape(fig.caption)
    alt = html.escape(fig.alt, quote=True)
    page = relative(fig.page_path)
    if fig.kind == "manim":
        body = video_html(fig, relative)
    else:
        imgs = []
        for theme in ("light", "dark"):
            name = fig.file(f".{theme}.svg")
            if name is None:
                raise ValueError(f"figure {fig.id} has no {theme} SVG (was the figure build run?)")
            w, h = png_size(fig.files.get(name.replace(".svg", ".png"), ""))
            size = f' width="{w // 2}" height="{h // 2}"' if w else ""
            img = (f'<img src="{relative(fig.site_path(name))}#only-{theme}" alt="{alt}"{size} '
                   f'loading="lazy" decoding="async">')
            imgs.append(_with_narrow(fig, theme, img, relative))
        body = f'<a class="sav-figure__link" href="{page}">{"".join(imgs)}</a>'
    return (
        f'<figure class="sav-figure sav-figure--{fig.kind}" id="fig-{fig.id}">{body}'
        f'<figcaption>{caption} <a class="sav-figure__more" href="{page}">Figure page, numbers and downloads</a>'
        f"</figcaption></figure>"
    )


def _with_narrow(fig: SiteFigure, theme: str, img: str, relative) -> str:
    """The <img>, in a <picture> that shows the figure's narrow variant on a narrow screen, if it has one.

    The <img> keeps its src (and its #only-light / #only-dark, which the palette's CSS reads); the
    <source> gives its own size, so the page keeps the narrow variant's proportions before it loads.
    Only a screen uses it: paper (the print page, `make pdf`) gets the wide figure.
    """
    narrow = fig.file(f".{theme}.narrow.svg")
    if narrow is None:
        return img
    wide = fig.file(f".{theme}.svg")
    try:
        w, h = svgtext.css_size(Path(fig.files[narrow]).read_bytes())
        below = svgtext.narrow_below_px(Path(fig.files[wide]).read_bytes())
    except OSError as exc:
        raise ValueError(f"figure {fig.id}: cannot read {exc.filename}: {exc.strerror}") from None
    except svgtext.SvgTextError as exc:
        raise ValueError(f"figure {fig.id}: {narrow} or {wide}: {exc}") from None
    return (f'<picture><source media="screen and (max-width: {below - 1}px)" '
            f'srcset="{relative(fig.site_path(narrow))}" width="{w}" height="{h}">{img}</picture>')


def video_html(fig: SiteFigure, relative) -> str:
    """A scene: the video, its step navigation, its stills (for reduced motion and paper) and its transcript.

    The steps come from the chapters track: a "Step k of N" line and a button
    per step that jumps there (docs/assets/javascripts/scene-steps.js shows
    them; without scripts they stay hidden). Under prefers-reduced-motion the
    video gives way to its poster and one still per step, each captioned with
    its step. The transcript is the captions track, grouped by step.
    """
    alt = html.escape(fig.alt, quote=True)
    mp4, poster = fig.file(".mp4"), fig.file(".poster.png")
    captions, chapters = fig.file(".captions.vtt"), fig.file(".chapters.vtt")
    if not (mp4 and poster and captions):
        raise ValueError(f"scene {fig.id} lacks its MP4, poster or captions (was the figure build run?)")
    w, h = png_size(fig.files[poster])
    # the page shows the poster's WebP where the site made one (thumbs.py); the PNG stays the download
    shown = fig.file(".poster.web.webp") or poster
    try:
        cues = vtt.read(fig.files[captions])
        steps = vtt.read(fig.files[chapters]) if chapters else []
    except OSError as exc:
        raise ValueError(f"scene {fig.id}: cannot read {exc.filename}: {exc.strerror}") from None
    # Captions are off until the reader turns them on (the player's captions button): shown by default,
    # a browser draws them over the lower part of the picture, where some scenes have labels.
    tracks = f'<track kind="captions" src="{relative(fig.site_path(captions))}" srclang="en" label="English">'
    if chapters:
        tracks += f'<track kind="chapters" src="{relative(fig.site_path(chapters))}" srclang="en" label="Steps">'
    poster_url = relative(fig.site_path(shown))
    out = (
        f'<div class="sav-scene">'
        f'<video class="sav-video" id="video-{fig.id}" controls muted playsinline preload="none" '
        f'poster="{poster_url}" width="{w}" height="{h}" aria-label="{alt}">'
        f'<source src="{relative(fig.site_path(mp4))}" type="video/mp4">{tracks}</video>'
        f'<img class="sav-video__still" src="{poster_url}" alt="{alt}" width="{w}" height="{h}" loading="lazy">'
    )
    if steps:
        out += _step_nav(fig, steps) + _step_stills(fig, steps, cues, relative, w, h)
    return out + "</div>" + _transcript(steps, cues)


def _step_title(k: int, n: int, step: vtt.Cue) -> str:
    return f"Step {k} of {n}: {step.text}"


def _step_nav(fig: SiteFigure, steps: list[vtt.Cue]) -> str:
    n = len(steps)
    buttons = "".join(
        f'<li><button type="button" class="sav-steps__go" data-start="{s.start:.3f}">'
        f'<span class="sav-steps__n">{k}</span> {html.escape(s.text)}</button></li>'
        for k, s in enumerate(steps, 1)
    )
    first = html.escape(_step_title(1, n, steps[0]))
    return (
        f'<nav class="sav-steps" data-video="video-{fig.id}" aria-label="{_steps_label(fig)}" hidden>'
        f'<p class="sav-steps__now" aria-live="polite">{first}</p><ol>{buttons}</ol></nav>'
    )


def _steps_label(fig: SiteFigure) -> str:
    """The name of a scene's step list, unique on a page with two scenes: "Steps of: <caption's first part>"."""
    return html.escape(f"Steps of: {fig.caption.split(':')[0].strip()}", quote=True)


def _step_stills(fig: SiteFigure, steps, cues, relative, w: int, h: int) -> str:
    n = len(steps)
    items = []
    for k, step in enumerate(steps, 1):
        if fig.file(f".step-{k}.png") is None:
            raise ValueError(f"scene {fig.id} has {n} chapters but no still of step {k} (was the figure build run?)")
        # the thumbnail where the site made one (thumbs.py): the stills are shown small, several to a row
        still = fig.file(f".step-{k}.thumb.png") or fig.file(f".step-{k}.png")
        size = png_size(fig.files[still])
        sw, sh = size if size[0] else (w, h)
        title = html.escape(_step_title(k, n, step))
        said = html.escape(" ".join(c.text for c in _cues_of(step, cues)), quote=True)
        items.append(
            f'<li><img src="{relative(fig.site_path(still))}" alt="{title}. {said}" width="{sw}" height="{sh}" '
            f'loading="lazy" decoding="async"><span>{title}</span></li>'
        )
    return f'<ol class="sav-stills" aria-label="The animation, one still per step">{"".join(items)}</ol>'


def _transcript(steps: list[vtt.Cue], cues: list[vtt.Cue]) -> str:
    """Every caption, in paragraphs: one per step (its title and start time first), or one in all."""
    def said(cs) -> str:
        return " ".join(html.escape(c.text) for c in cs)

    if steps:
        parts = [
            f"<p><strong>{html.escape(_step_title(k, len(steps), step))}</strong> ({vtt.clock(step.start)}) "
            f"{said(_cues_of(step, cues))}</p>"
            for k, step in enumerate(steps, 1)
        ]
    else:
        parts = [f"<p>{said(cues)}</p>"]
    return f'<details class="sav-transcript"><summary>Transcript of the animation</summary>{"".join(parts)}</details>'


def _cues_of(step: vtt.Cue, cues: list[vtt.Cue]) -> list[vtt.Cue]:
    """The captions that start within a step (a caption belongs to the step it begins in)."""
    return [c for c in cues if step.start - 1e-3 <= c.start < step.end - 1e-3]


MACROS = {"figure": figure, "value": value, "claim": claim}


def load_site_figures(report) -> dict[str, SiteFigure]:
    """SiteFigure records from a build report (figures.build.Report)."""
    out: dict[str, SiteFigure] = {}
    for fig_id, meta in report.figures.items():
        out[fig_id] = SiteFigure(fig_id, meta["kind"], meta["caption"], meta["description"], meta["alt"], meta["data"],
                                 claims=meta.get("claims", []))
    for r in report.results:
        if r.id in out:
            for p in r.files:
                if not p.endswith("manifest.json"):
                    out[r.id].files[Path(p).name] = p
    return out
