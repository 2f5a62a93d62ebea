"""The figure build: content-hash cache, parallel renders, atomic writes, claims checked.

    build(ids, force=False, quality="draft", jobs=None, examples=None) -> Report

For every figure and theme a cache key is computed from everything that can
change the pixels (`keys.render_key`). A key whose folder exists and whose
files match their recorded hashes is a hit: nothing renders. Otherwise the
figure renders in a worker process into a temporary folder that is renamed
into place only when complete (`cache`, `workers`).

A full build records a fingerprint of all its inputs (`keys.fingerprint`) in
its report; `up_to_date()` compares it without importing any figure, which is
how the MkDocs hook skips the build when nothing changed.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from attention_ref import load_examples
from attention_ref.examples import examples_path

from ..core.files import touch
from ..core.paths import FIGURE_CACHE, display
from . import cache as figure_cache
from . import claims, keys, registry
from .process import build_in_process
from .progress import Progress
from .report import BuildFailed, Report, Result, file_stats, read_report, write_report
from .signals import INTERRUPTS
from .workers import Task, describe_error, render_all

QUALITIES = ("draft", "publish")


def themes_for(fig: registry.Figure, scene_themes: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The themes a figure renders in: both site palettes for matplotlib; for a scene the video theme,
    or `scene_themes` (the slides ask for ("light",): the deck and the pack only, never the site build)."""
    from ..kit.style import MATPLOTLIB_THEMES, VIDEO_THEME

    return MATPLOTLIB_THEMES if fig.kind == "matplotlib" else tuple(scene_themes or (VIDEO_THEME,))


def report_path_for(quality: str, cache: Path | None = None) -> Path:
    return Path(cache or FIGURE_CACHE) / f"last-build-{quality}.json"


def up_to_date(quality: str = "draft", examples: str | os.PathLike | None = None,
               cache: Path | None = None) -> Report | None:
    """The last full build's report if a build now would render nothing and its files are in place, else None.

    Cheap (no figure is imported, no file hashed): compares `keys.fingerprint()`
    with the one the last successful full build recorded, and the size and
    mtime of every file it produced. `python -m figures_src build` checks
    more (every file's hash); this is the fast path of the MkDocs hook.
    """
    try:
        report = read_report(report_path_for(quality, cache))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not report.ok or report.fingerprint is None or report.fingerprint != keys.fingerprint(quality, examples):
        return None
    if file_stats(report) != report.file_stats:  # a file gone, grown or touched since
        return None
    return report


def build(
    ids: list[str] | None = None,
    *,
    force: bool = False,
    quality: str = "draft",
    jobs: int | None = None,
    examples: str | os.PathLike | None = None,
    cache: Path | None = None,
    progress: bool = True,
    check: bool = False,
    report_path: Path | None = None,
    scene_themes: tuple[str, ...] | None = None,
) -> Report:
    """Build the figures `ids` (all when None). See the module docstring.

    A full build (ids None) also writes `<cache>/last-build-<quality>.json`;
    `report_path` gets a copy of the report in any case. `scene_themes`
    renders the scenes in those themes instead of the video theme (the slides'
    light scenes); such a build must name its `ids`, so that the site's
    report never holds them.
    """
    if quality not in QUALITIES:
        raise ValueError(f"quality must be one of {QUALITIES}; got {quality!r}")
    if scene_themes is not None:
        from ..kit.style import THEMES

        unknown = [t for t in scene_themes if t not in THEMES]
        if unknown or not scene_themes:
            raise ValueError(f"scene_themes must name themes among {', '.join(THEMES)}; got {scene_themes!r}")
        if ids is None:
            raise ValueError("a build with scene_themes must name its figures (ids): the full build is the site's")
    cache = Path(cache or FIGURE_CACHE)
    jobs = max(1, jobs or os.cpu_count() or 1)
    if _stale_code():
        # This process runs older code than the files now say (a notebook or a test session that
        # edited the math or a helper since importing it): data() here would store old numbers under
        # the new sources' key. A fresh process computes them from the files as they are.
        report = build_in_process(ids, force=force, quality=quality, jobs=jobs, examples=examples, cache=cache,
                                  quiet=not progress, echo=progress, scene_themes=scene_themes)
    else:
        with INTERRUPTS.installed():
            report = _build_here(ids, force, quality, jobs, examples, cache, progress, scene_themes)
    if report_path is not None:
        write_report(report, Path(report_path))
    if check and not report.ok:
        raise BuildFailed("figure build failed:\n  " + "\n  ".join(report.errors()))
    return report


def _build_here(ids, force: bool, quality: str, jobs: int, examples, cache: Path, progress: bool,
                scene_themes: tuple[str, ...] | None = None) -> Report:
    started = time.perf_counter()
    # Taken before anything is read, so an edit made during the build shows next time.
    inputs = keys.fingerprint(quality, examples) if ids is None else None
    ex_path = examples_path(examples)
    ex = load_examples(ex_path)  # ExampleError names the file and entry
    ex_bytes = ex_path.read_bytes()

    figures, module_errors = registry.scan(ids)
    _stale_code()  # records the helpers the figure modules just imported, so that later edits show
    math, shared = keys.math_fingerprint(), keys.shared_fingerprint()
    shared_by_kind = {kind: keys.shared_fingerprint(kind) for kind in registry.KINDS}
    bar = Progress(sum(len(themes_for(f, scene_themes)) for f in figures.values()), enabled=progress)

    results: list[Result] = []
    todo: list[Task] = []
    meta: dict[str, dict] = {}
    for fig in figures.values():
        try:
            data = figure_cache.compute_data(fig, ex, ex_bytes, math, cache, shared)
            meta[fig.id] = {"kind": fig.kind, "caption": fig.caption, "description": fig.description,
                            "alt": fig.alt(data), "lecture": fig.lecture, "module": fig.module_name,
                            "source": display(fig.source_path), "data": data,
                            "claims": claims.evaluate(fig, data)}
        except Exception as exc:
            for theme in themes_for(fig, scene_themes):
                results.append(Result(fig.id, theme, "failed", error=describe_error(exc, fig)))
                bar.update(fig.id, theme, "failed")
            continue
        data_json = json.dumps(data, sort_keys=True)
        for theme in themes_for(fig, scene_themes):
            key = keys.render_key(fig, data_json, theme, quality, shared_by_kind[fig.kind])
            final = figure_cache.render_dir(cache, fig.id, theme, quality, key)
            files = None if force else figure_cache.verified(final)
            if files is not None:
                touch(final)  # in use: a concurrent build's prune leaves it alone
                results.append(Result(fig.id, theme, "cached", [str(p) for p in files], str(final), key))
                bar.update(fig.id, theme, "cached")
            else:
                if force and final.exists():
                    shutil.rmtree(final, ignore_errors=True)
                todo.append(Task(fig, theme, quality, data, final, key))

    try:
        results += render_all(todo, jobs, bar)
    finally:
        bar.close()
    for fig in figures.values():
        keep = {Path(r.dir).name for r in results if r.id == fig.id and r.dir}
        figure_cache.prune(cache / "render" / fig.id, keep, quality, themes_for(fig, scene_themes))

    order = {fid: i for i, fid in enumerate(figures)}
    results.sort(key=lambda r: (order.get(r.id, 0), r.theme))
    report = Report(quality, results, module_errors, time.perf_counter() - started, str(ex_path), meta,
                    fingerprint=inputs, claim_errors=claims.errors(meta))
    if ids is None:
        report.file_stats = file_stats(report)
        write_report(report, report_path_for(quality, cache))
    return report


def _stale_code() -> list[str]:
    """Modules of attention_ref, figures_src or the figure packages changed on disk since this process loaded them.

    Figure modules themselves are not counted: the registry re-imports those.
    """
    changed = registry.changed_since_loaded(keys.watched_dirs())
    if not changed:
        return []
    try:
        figures = set(registry.module_names())
    except registry.FigureModuleError:
        figures = set()
    return [name for name in changed if name not in figures]


def clean(cache: Path | None = None) -> int:
    """Remove the whole figure cache; returns the number of files removed."""
    return figure_cache.clean(Path(cache or FIGURE_CACHE))


_stale_code()  # records the stamps of the sources this process has loaded so far
