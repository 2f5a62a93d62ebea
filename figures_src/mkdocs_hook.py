"""The thin MkDocs hook: run the figure build, then place what it made.

- on_pre_build: unless nothing changed since the last full build (see below),
  run `python -m figures_src build` in a fresh process (so `mkdocs serve`
  always sees the current attention_ref and figure modules), then check every
  page's macros. Either failing stops the build with the figure id or page in
  the message, before MkDocs touches site/.
- on_files: add the rendered files and the generated figure pages with
  File.generated (nothing is ever written into docs/).
- on_page_markdown: expand {{ figure(...) }} and {{ value(...) }}, and the
  page macros of the "For teachers" page (teacher_pack, teacher_figures,
  teacher_exercises: see figures_src/pack.py).
- The teacher pack of the build (figures_src/pack.py) is served at
  downloads/<name>.zip; it is written into <figure cache>/pack/ only when its
  content changed, so a warm rebuild zips nothing.

Fast path: the last full build records a fingerprint of all its inputs
(figures_src/, attention_ref/, the figure packages, the examples file, the
quality, the tools' versions) and the size and mtime of every file it made.
When both still match, the hook uses that build's report without starting a
process or importing a figure (`figures_src.build.up_to_date`).

Settings (environment variables):
  FIGURES_QUALITY=draft|publish   the render quality (default draft)
  ATTENTION_EXAMPLES=FILE         the worked examples (default: the packaged file)
  FIGURES_JOBS=N                  worker processes of the figure build
  FIGURES_CACHE=DIR               the figure cache (default .cache/figures)
  FIGURES_PACKAGES=a,b            the packages searched for figure modules
  FIGURES_FAST_PATH=0             always run the build process (it still renders only what changed)
  FIGURES_SKIP_BUILD=1            do not build: place what the last full build of this quality made
                                  (its report in the cache); for measuring the site generator alone
  SITE_VERSION                    shown in citations (default from git)
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from figures_src import build as figure_build
from figures_src import embed, pack, pages, thumbs

_state: dict = {}


def on_pre_build(config) -> None:
    quality = os.environ.get("FIGURES_QUALITY", "draft")
    report = _skip_build(quality) if os.environ.get("FIGURES_SKIP_BUILD") == "1" else None
    if report is None and os.environ.get("FIGURES_FAST_PATH", "1") != "0":
        report = figure_build.up_to_date(quality)
    if report is None:
        report = _run_build(quality)
    if not report.ok:
        raise PluginError("figure build failed:\n  " + "\n  ".join(report.errors()))
    site = embed.load_site_figures(report)
    docs = Path(config.docs_dir)
    for md in sorted(docs.rglob("*.md")):
        try:
            embed.check(md.read_text(encoding="utf-8"), md.relative_to(docs).as_posix(), site)
        except embed.EmbedError as exc:
            raise PluginError(str(exc)) from None
    _state.update(site=site, info=pages.build_info(config.site_url, os.environ.get("SITE_VERSION")), report=report)


def _skip_build(quality: str) -> figure_build.Report:
    path = figure_build.DEFAULT_CACHE / f"last-build-{quality}.json"
    try:
        report = figure_build.read_report(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PluginError(f"FIGURES_SKIP_BUILD=1 but there is no usable last build report {path} ({exc}): "
                          "run `python -m figures_src build` first") from None
    missing = [f for r in report.results for f in r.files if not os.path.exists(f)]
    if missing:
        raise PluginError(f"FIGURES_SKIP_BUILD=1 but the last build's files are gone (e.g. {missing[0]}): "
                          "run `python -m figures_src build` first")
    return report


def _run_build(quality: str) -> figure_build.Report:
    """Run the figure build in a fresh process; its log lines (renders, failures) go to our stderr as they come."""
    with tempfile.TemporaryDirectory(prefix="figures-report-") as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "figures_src", "build", "--quality", quality, "--report", str(report_path)]
        if os.environ.get("FIGURES_JOBS"):
            cmd += ["--jobs", os.environ["FIGURES_JOBS"]]
        log = []
        with subprocess.Popen(cmd, cwd=figure_build.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8", errors="replace") as proc:
            for line in proc.stderr:
                log.append(line)
                sys.stderr.write(line)
        if not report_path.exists():
            raise PluginError(f"figure build failed (exit code {proc.returncode}) before it could report:\n"
                              + "".join(log).strip())
        return figure_build.read_report(report_path)


def on_files(files, config):
    site, info = _state["site"], _state["info"]
    thumbs.add_thumbnails(site, figure_build.DEFAULT_CACHE / "thumbs")  # gallery, step stills, WebP posters
    for fig in site.values():
        for name, path in sorted(fig.files.items()):
            files.append(File.generated(config, fig.site_path(name), abs_src_path=path))
        source = _state["report"].figures[fig.id]["source"]
        files.append(File.generated(config, f"figures/{fig.id}/index.md", content=pages.figure_page(fig, info, source)))
    files.append(File.generated(config, "figures/index.md", content=pages.gallery_page(site)))
    _add_pack(files, config)
    return files


def _add_pack(files, config) -> None:
    """The teacher pack of this build, at downloads/<name>.zip (zipped only when its content is new)."""
    report, info = _state["report"], _state["info"]
    lecture = pack.lectures(report)
    try:
        path = pack.cached_pack(report, info, figure_build.DEFAULT_CACHE / "pack", lecture)
    except (OSError, pack.PackError) as exc:
        raise PluginError(f"teacher pack: {exc}") from None
    count, size = pack.summary(path)
    uri = f"downloads/{pack.pack_name(info)}"
    files.append(File.generated(config, uri, abs_src_path=str(path)))
    _state.update(pack={"uri": uri, "count": count, "size": size}, lecture=lecture)


def on_nav(nav, config, files):
    _state["nav"] = [(p.file.src_uri, p.title) for p in nav.pages]
    return nav


def _doc_pages(files, current: str) -> list[pack.DocPage]:
    """The site's own Markdown pages (not generated ones), in reading order, for the teachers page."""
    order = [src for src, _ in _state.get("nav", [])]
    titles = dict(_state.get("nav", []))
    own = [f for f in files.documentation_pages()
           if f.src_uri.endswith(".md") and f.generated_by is None and f.src_uri != current]
    own.sort(key=lambda f: (order.index(f.src_uri) if f.src_uri in order else len(order), f.src_uri))
    out = []
    for f in own:
        text = f.content_string
        out.append(pack.DocPage(f.src_uri, titles.get(f.src_uri) or pack.page_title(text, f.src_uri), text))
    return out


def on_page_markdown(markdown, page, config, files):
    site = _state["site"]

    def relative(site_path: str) -> str:
        return get_relative_url(site_path, page.url)

    here = page.file.src_uri

    def teacher_pack(relative) -> str:
        p = _state["pack"]
        link = pack._link(p["uri"], here)
        return (f"**[Download the teacher pack]({link}){{ download }}** (ZIP, {pack.megabytes(p['size'])}, "
                f"{p['count']} files): `{posixpath.basename(p['uri'])}`")

    def teacher_figures(relative) -> str:
        figures = _state["report"].figures
        return pack.figure_table(figures, _state["lecture"], _doc_pages(files, here), here)

    def teacher_exercises(relative) -> str:
        def expand(text: str, src: str) -> str:
            return embed.expand(text, src, site, relative)

        return pack.exercise_list(_doc_pages(files, here), here, expand)

    macros = {"teacher_pack": teacher_pack, "teacher_figures": teacher_figures,
              "teacher_exercises": teacher_exercises}
    try:
        return embed.expand(markdown, here, site, relative, page_macros=macros)
    except embed.EmbedError as exc:
        raise PluginError(str(exc)) from None
