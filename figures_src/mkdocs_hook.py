"""The thin MkDocs hook: run the figure build, then place what it made.

- on_pre_build: run `python -m figures_src build` in a fresh process (so
  `mkdocs serve` always sees the current attention_ref and figure modules),
  then check every page's macros. Either failing stops the build with the
  figure id or page in the message, before MkDocs touches site/.
- on_files: add the rendered files and the generated figure pages with
  File.generated (nothing is ever written into docs/).
- on_page_markdown: expand {{ figure(...) }} and {{ value(...) }}.

Settings: FIGURES_QUALITY=draft|publish (default draft), ATTENTION_EXAMPLES=FILE,
FIGURES_JOBS=N, SITE_VERSION (shown in citations; default from git).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from figures_src import build as figure_build
from figures_src import embed, pages

_state: dict = {}


def on_pre_build(config) -> None:
    quality = os.environ.get("FIGURES_QUALITY", "draft")
    with tempfile.TemporaryDirectory(prefix="figures-report-") as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "figures_src", "build", "--quality", quality, "--report", str(report_path)]
        if os.environ.get("FIGURES_JOBS"):
            cmd += ["--jobs", os.environ["FIGURES_JOBS"]]
        if not sys.stderr.isatty():
            cmd.append("--quiet")
        proc = subprocess.run(cmd, cwd=figure_build.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(proc.stderr if proc.returncode else "")
        if not report_path.exists():
            raise PluginError(f"figure build failed before it could report:\n{proc.stderr.strip()}")
        report = figure_build.read_report(report_path)
    if not report.ok:
        raise PluginError("figure build failed:\n  " + "\n  ".join(report.errors()))
    site = embed.load_site_figures(report)
    docs = Path(config.docs_dir)
    for md in sorted(docs.rglob("*.md")):
        try:
            embed.check(md.read_text(encoding="utf-8"), str(md.relative_to(docs)), site)
        except embed.EmbedError as exc:
            raise PluginError(str(exc)) from None
    _state.update(site=site, info=pages.build_info(config.site_url, os.environ.get("SITE_VERSION")), report=report)


def on_files(files, config):
    site, info = _state["site"], _state["info"]
    for fig in site.values():
        for name, path in sorted(fig.files.items()):
            files.append(File.generated(config, fig.site_path(name), abs_src_path=path))
        source = _state["report"].figures[fig.id]["source"]
        files.append(File.generated(config, f"figures/{fig.id}/index.md", content=pages.figure_page(fig, info, source)))
    files.append(File.generated(config, "figures/index.md", content=pages.gallery_page(site)))
    return files


def on_page_markdown(markdown, page, config, files):
    site = _state["site"]

    def relative(site_path: str) -> str:
        return get_relative_url(site_path, page.url)

    try:
        return embed.expand(markdown, page.file.src_uri, site, relative)
    except embed.EmbedError as exc:
        raise PluginError(str(exc)) from None
