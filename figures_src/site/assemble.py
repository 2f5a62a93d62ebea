"""The site build's steps, as plain functions a thin MkDocs hook (or any other generator) calls.

    prepare(docs_dir, site_url)   the figure build's report (fast path when nothing changed), every page's
                                  macros checked, the teacher pack: a SiteBuild
    outputs(site)                 every generated file: (site path, source file or None, content or None)
    render_page(markdown, ...)    a page's macros expanded

Errors are SiteError, whose message names the page, the figure, the key or the claim.

Settings (environment variables):
  FIGURES_QUALITY=draft|publish   the render quality (default draft)
  ATTENTION_EXAMPLES=FILE         the worked examples (default: the packaged file)
  FIGURES_JOBS=N                  worker processes of the figure build
  FIGURES_CACHE=DIR               the figure cache (default .cache/figures)
  FIGURES_PACKAGES=a,b            the packages searched for figure modules
  FIGURES_FAST_PATH=0             always run the build process (it still renders only what changed)
  FIGURES_SKIP_BUILD=1            do not build: place what the last full build of this quality made
                                  (its report in the cache); for measuring the site generator alone
  FIGURES_FALSE_CLAIMS=warn       a false claim does not stop the build: each page that relies on it shows
                                  "✗ not true for these examples" instead of the ✓, and the log lists them
                                  (for a teacher's own examples file; the site's own build always stops)
  SITE_VERSION                    shown in citations (default from git)
  FIGURES_SLIDE_SCENES=light      the slides show the animations rendered on the light theme (rendered
                                  for them, cached); by default they show the site's dark renders, so the
                                  ordinary build renders nothing more. `make deploy` sets it.
"""

from __future__ import annotations

import os
import posixpath
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Report, read_report, report_path_for, up_to_date
from ..build import claims as build_claims
from ..build.process import BuildProcessError, build_in_process
from ..core.identity import BuildInfo, build_info, site_version, unversioned
from ..core.paths import PACK_CACHE, SLIDES_CACHE, THUMB_CACHE
from ..teacher import pack, slides
from ..teacher import page as teacher_page
from . import embed, pages, thumbs
from .model_export import export_tiny_model


class SiteError(Exception):
    """The site cannot be built as it stands; the message says where and why."""


@dataclass
class SiteBuild:
    report: Report
    figures: dict[str, embed.SiteFigure]
    info: BuildInfo
    nav: list[tuple[str, str]] = field(default_factory=list)  # (source path, title) in reading order
    pack: dict = field(default_factory=dict)  # uri, path, count, size
    docs: str = ""  # the docs folder (its mkdocs.yml beside it gives the slides their reading order)
    deck: list[dict] = field(default_factory=list)  # the slide deck's files: uri, path, size
    texts: dict[str, str] = field(default_factory=dict)  # source path -> Markdown, of docs/**/*.md


def figure_report(quality: str) -> Report:
    """The figure build's report: the last one when nothing changed, else a fresh build's."""
    if os.environ.get("FIGURES_SKIP_BUILD") == "1":
        return _last_report(quality)
    report = up_to_date(quality) if os.environ.get("FIGURES_FAST_PATH", "1") != "0" else None
    if report is None:
        jobs = int(os.environ["FIGURES_JOBS"]) if os.environ.get("FIGURES_JOBS") else None
        try:
            report = build_in_process(quality=quality, jobs=jobs)
        except BuildProcessError as exc:
            raise SiteError(str(exc)) from None
    return report


def _last_report(quality: str) -> Report:
    path = report_path_for(quality)
    try:
        report = read_report(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SiteError(f"FIGURES_SKIP_BUILD=1 but there is no usable last build report {path} ({exc}): "
                        "run `python -m figures_src build` first") from None
    missing = [f for r in report.results for f in r.files if not os.path.exists(f)]
    if missing:
        raise SiteError(f"FIGURES_SKIP_BUILD=1 but the last build's files are gone (e.g. {missing[0]}): "
                        "run `python -m figures_src build` first")
    return report


def prepare(docs_dir: str | os.PathLike, site_url: str | None, repo_url: str | None = None) -> SiteBuild:
    """Everything the pages need, checked before any page is rendered (see the module docstring)."""
    report = figure_report(os.environ.get("FIGURES_QUALITY", "draft"))
    figures = embed.load_site_figures(report)
    docs = Path(docs_dir)
    texts = {md.relative_to(docs).as_posix(): md.read_text(encoding="utf-8") for md in sorted(docs.rglob("*.md"))}
    false = build_claims.false_claims(report.figures)
    lines = [build_claims.describe(fid, c, embed.pages_relying_on(texts, fid, c["name"])) for fid, c in false]
    if lines and os.environ.get("FIGURES_FALSE_CLAIMS") != "warn":
        raise SiteError("false claims: the pages would say what their figures do not show:\n  " + "\n  ".join(lines)
                        + "\n(for your own examples file, FIGURES_FALSE_CLAIMS=warn marks them on the pages instead)")
    for line in lines:
        print(f"WARNING: {line} (marked on its pages: FIGURES_FALSE_CLAIMS=warn)", file=sys.stderr)
    if report.render_errors():
        raise SiteError("figure build failed:\n  " + "\n  ".join(report.render_errors()))
    for src, text in texts.items():
        try:
            embed.check(text, src, figures)
        except embed.EmbedError as exc:
            raise SiteError(str(exc)) from None
    version = site_version()  # deployed: site_url already names the version's folder (the build_info hook)
    return SiteBuild(report, figures, build_info(unversioned(site_url, version), version, repo_url=repo_url or ""),
                     docs=str(docs), texts=texts)


def nav_pages(nav) -> list[tuple[str, str]]:
    """(source path, title) of every page of a MkDocs `nav` setting (mkdocs.yml), in reading order."""
    out: list[tuple[str, str]] = []

    def walk(item, title: str = "") -> None:
        if isinstance(item, str):
            out.append((item, title or item))
        elif isinstance(item, dict):
            for t, sub in item.items():
                walk(sub, str(t))
        elif isinstance(item, list):
            for sub in item:
                walk(sub)

    walk(nav or [])
    return out


def reading_order(nav: list[tuple[str, str]], texts: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(page title, the figure ids it embeds, in the order they appear) for each page of `nav` with figures."""
    out = []
    for src, title in nav:
        ids = []
        for name, args in embed.references(texts.get(src, ""), src):
            if name == "figure" and args and args[0] not in ids:
                ids.append(args[0])
        if ids:
            out.append((title, ids))
    return out


def outputs(site: SiteBuild) -> list[tuple[str, str | None, str | bytes | None]]:
    """(site path, source file, content) of every file the site adds: figures, figure pages, gallery, the tiny
    model's weights for the browser, the teacher pack."""
    thumbs.add_thumbnails(site.figures, THUMB_CACHE)  # gallery, step stills, WebP posters
    out: list[tuple[str, str | None, str | bytes | None]] = []
    for fig in site.figures.values():
        for name, path in sorted(fig.files.items()):
            out.append((fig.site_path(name), path, None))
        meta = site.report.figures[fig.id]
        out.append((f"figures/{fig.id}/index.md", None, pages.figure_page(fig, site.info, meta["source"])))
    out.append(("figures/index.md", None, pages.gallery_page(site.figures, reading_order(site.nav, site.texts))))
    # The trained model for the browser ("Try your own sentence"), from attention_ref's committed weights.
    out += [(uri, None, blob) for uri, blob in sorted(export_tiny_model().items())]
    try:
        light = None
        if os.environ.get("FIGURES_SLIDE_SCENES", "dark") == "light":
            light = slides.light_scenes(site.report, fresh_process=True)
            if light is not None:
                pack.check_report(light)
        deck = slides.cached_deck(slides.plan(site.report, site.info, light, pages=_nav_pages(site.docs)),
                                  site.info, SLIDES_CACHE)
    except (OSError, BuildProcessError, pack.PackError, slides.DeckError) as exc:
        raise SiteError(f"slide deck: {exc}") from None
    for made in deck:
        uri = f"downloads/{slides.deck_name(site.info)}{made.suffix}"
        site.deck.append({"uri": uri, "path": str(made), "size": made.stat().st_size})
        out.append((uri, str(made), None))
    try:
        path = pack.cached_pack(site.report, site.info, PACK_CACHE, pack.lectures(site.report), light=light,
                                deck=deck)
    except (OSError, pack.PackError) as exc:
        raise SiteError(f"teacher pack: {exc}") from None
    count, size = pack.summary(path)
    site.pack = {"uri": f"downloads/{pack.pack_name(site.info)}", "path": str(path), "count": count, "size": size}
    out.append((site.pack["uri"], str(path), None))
    return out


def _nav_pages(docs: str) -> list[tuple[str, str]] | None:
    """The pages of the nav of the mkdocs.yml beside `docs`, for the slides' order (None: the repository's)."""
    config = Path(docs).parent / "mkdocs.yml" if docs else None
    return slides.nav_pages(config, Path(docs)) if config is not None and config.is_file() else None


def render_page(markdown: str, src: str, relative, site: SiteBuild, own_pages: list[tuple[str, str]]) -> str:
    """`markdown` of the page `src` with its macros expanded; `relative(site_path)` links from the page.

    `own_pages` are the site's hand-written Markdown pages as (source path, text), for the teachers page.
    """

    def doc_pages() -> list[teacher_page.DocPage]:
        order = [s for s, _ in site.nav]
        titles = dict(site.nav)
        chosen = sorted((p for p in own_pages if p[0].endswith(".md") and p[0] != src),
                        key=lambda p: (order.index(p[0]) if p[0] in order else len(order), p[0]))
        return [teacher_page.DocPage(s, titles.get(s) or teacher_page.page_title(t, s), t) for s, t in chosen]

    def teacher_pack(relative) -> str:
        p = site.pack
        link = teacher_page._link(p["uri"], src)
        return (f"**[Download the teacher pack]({link}){{ download }}** (ZIP, {pack.megabytes(p['size'])}, "
                f"{p['count']} files): `{posixpath.basename(p['uri'])}`")

    def teacher_slides(relative) -> str:
        links = [f"[{'PowerPoint' if d['uri'].endswith('.pptx') else 'PDF'}]({teacher_page._link(d['uri'], src)})"
                 f"{{ download }} ({pack.megabytes(d['size'])})" for d in site.deck]
        count = len(site.report.figures)
        return (f"**The slide deck:** {' · '.join(links)}: a title slide, then {count} slides, one per figure "
                "and animation.")

    def teacher_figures(relative) -> str:
        return teacher_page.figure_table(site.report.figures, pack.lectures(site.report), doc_pages(), src)

    def teacher_exercises(relative) -> str:
        return teacher_page.exercise_list(doc_pages(), src,
                                          lambda text, page: embed.expand(text, page, site.figures, relative))

    macros = {"teacher_pack": teacher_pack, "teacher_slides": teacher_slides, "teacher_figures": teacher_figures,
              "teacher_exercises": teacher_exercises}
    try:
        return embed.expand(markdown, src, site.figures, relative, page_macros=macros)
    except embed.EmbedError as exc:
        raise SiteError(str(exc)) from None
