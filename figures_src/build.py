"""The figure build: content-hash cache, parallel renders, atomic writes.

    build(ids, force=False, quality="draft", jobs=None, examples=None) -> Report

For every figure and theme a cache key is computed from everything that can
change the pixels: the figure's data (as JSON), its module's source, the
shared style and helper sources, the renderer's version, the quality and the
theme. A key whose directory exists and whose files match their recorded
hashes is a hit: nothing renders. Otherwise the figure renders into a
temporary directory that is renamed into place only when complete, so a build
killed half way leaves no half-written file, and two builds running at once
never see each other's partial output.

Layout of the cache (outside docs/, ignored by git):

    .cache/figures/data/<id>-<hash>.json              data() memo
    .cache/figures/render/<id>/<theme>-<quality>-<key>/  the files + manifest.json
    .cache/figures/last-build-<quality>.json          what the last build produced
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from attention_ref import load_examples
from attention_ref.examples import examples_path

from . import registry
from .jsonable import to_jsonable
from .progress import Progress

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path(os.environ.get("FIGURES_CACHE", ROOT / ".cache" / "figures"))
QUALITIES = ("draft", "publish")
PROTOCOL = "1"  # bump to invalidate every cached render
_PACKAGE = Path(__file__).resolve().parent
_SHARED_SOURCES = ("style.py", "formats.py", "mpl.py", "manim_kit.py", "jsonable.py", "common.py")


@dataclass
class Result:
    id: str
    theme: str
    status: str  # "cached" | "rendered" | "failed"
    files: list[str] = field(default_factory=list)  # absolute paths
    dir: str | None = None
    key: str | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class Report:
    quality: str
    results: list[Result]
    module_errors: list[str]
    seconds: float
    examples: str
    figures: dict[str, dict] = field(default_factory=dict)  # id -> kind, caption, description, alt, data

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.module_errors

    def counts(self) -> dict[str, int]:
        out = {"cached": 0, "rendered": 0, "failed": 0}
        for r in self.results:
            out[r.status] += 1
        out["failed"] += len(self.module_errors)
        return out

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{len(self.results)} renders: {c['rendered']} rendered, {c['cached']} cached, "
            f"{c['failed']} failed in {self.seconds:.1f} s"
        )

    def errors(self) -> list[str]:
        lines = list(self.module_errors)
        lines += [f"{r.id} ({r.theme}): {r.error}" for r in self.failed]
        return lines


class BuildFailed(Exception):
    """Raised by `build(..., check=True)`; the message lists each failed id and its error."""


# --------------------------------------------------------------------------- keys


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def _math_fingerprint() -> str:
    """Hash of attention_ref's sources: a change in the math invalidates every data memo."""
    import attention_ref

    pkg = Path(attention_ref.__file__).parent
    return _sha(*(p.read_bytes() for p in sorted(pkg.glob("*.py"))))


def _shared_fingerprint() -> str:
    return _sha(*((_PACKAGE / n).read_bytes() if (_PACKAGE / n).exists() else b"" for n in _SHARED_SOURCES))


def renderer_version(kind: str) -> str:
    """The versions of the tools that turn data into pixels (part of the key)."""
    from importlib.metadata import version

    if kind == "matplotlib":
        return f"matplotlib-{version('matplotlib')}"
    return f"manim-{version('manim')}-av-{version('av')}"


def render_key(fig: registry.Figure, data_json: str, theme: str, quality: str, shared: str) -> str:
    return _sha(PROTOCOL, data_json, fig.source, shared, renderer_version(fig.kind), quality, theme)[:20]


def themes_for(fig: registry.Figure) -> tuple[str, ...]:
    from .style import MATPLOTLIB_THEMES, VIDEO_THEME

    return MATPLOTLIB_THEMES if fig.kind == "matplotlib" else (VIDEO_THEME,)


# --------------------------------------------------------------------------- data


def compute_data(fig: registry.Figure, examples, ex_bytes: bytes, math: str, cache: Path) -> dict:
    """data() of a figure, memoised by (module source, attention_ref source, examples file)."""
    memo = cache / "data" / f"{fig.id}-{_sha(fig.source, math, ex_bytes)[:20]}.json"
    if memo.exists():
        try:
            return json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # damaged memo: compute again
    data = to_jsonable(fig.data(examples))
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)
    _atomic_write(memo, text)
    return json.loads(text)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- cache dirs


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _verified(out_dir: Path) -> list[Path] | None:
    """The files of a cached render if all are present and unchanged, else None."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
        files = [out_dir / name for name in manifest["files"]]
        if all(p.is_file() and _file_hash(p) == manifest["files"][p.name] for p in files):
            return files
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _render_in_worker(module_name: str, theme: str, quality: str, data: dict, tmp_dir: str) -> list[str]:
    """Runs in a worker process: import the module, render into tmp_dir."""
    fig = registry.load_figure(module_name)
    out = Path(tmp_dir)
    fig.module.render(data, out, theme, quality)
    return sorted(p.name for p in out.iterdir() if p.is_file())


def _finish(tmp: Path, final: Path, fig_id: str, data: dict, names: list[str]) -> list[Path]:
    """Record hashes, write data JSON beside the files, and rename into place atomically."""
    if not names:
        raise RuntimeError("render() wrote no files")
    (tmp / f"{fig_id}.json").write_text(json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n")
    names = sorted(set(names) | {f"{fig_id}.json"})
    manifest = {"files": {n: _file_hash(tmp / n) for n in names}}
    (tmp / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1))
    try:
        os.rename(tmp, final)  # atomic; fails if another build got there first
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        files = _verified(final)
        if files is None:
            raise
        return files
    return [final / n for n in names]


def _prune(fig_dir: Path, keep: set[str]) -> None:
    """Remove other keys' renders and abandoned temp dirs (not those of live builds)."""
    now = time.time()
    for d in fig_dir.iterdir() if fig_dir.exists() else ():
        if d.name in keep or not d.is_dir():
            continue
        if d.name.startswith(".tmp-"):
            pid = int(d.name.split("-")[1]) if d.name.split("-")[1].isdigit() else 0
            if _pid_alive(pid):
                continue
        elif now - d.stat().st_mtime < 60:
            continue  # may belong to a concurrent build with other inputs
        shutil.rmtree(d, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- build


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
) -> Report:
    """Build the figures `ids` (all when None). See the module docstring."""
    if quality not in QUALITIES:
        raise ValueError(f"quality must be one of {QUALITIES}; got {quality!r}")
    started = time.perf_counter()
    cache = Path(cache or DEFAULT_CACHE)
    jobs = max(1, jobs or os.cpu_count() or 1)
    ex_path = examples_path(examples)
    ex = load_examples(ex_path)  # ExampleError names the file and entry
    ex_bytes = ex_path.read_bytes()

    figures, module_errors = _discover(ids)
    math, shared = _math_fingerprint(), _shared_fingerprint()
    bar = Progress(sum(len(themes_for(f)) for f in figures.values()), enabled=progress)

    results: list[Result] = []
    todo: list[_Task] = []
    meta: dict[str, dict] = {}
    for fig in figures.values():
        try:
            data = compute_data(fig, ex, ex_bytes, math, cache)
            data_json = json.dumps(data, sort_keys=True)
            meta[fig.id] = {"kind": fig.kind, "caption": fig.caption, "description": fig.description,
                            "alt": fig.alt(data), "module": fig.module_name,
                            "source": str(fig.source_path.relative_to(ROOT)), "data": data}
        except Exception as exc:
            for theme in themes_for(fig):
                results.append(Result(fig.id, theme, "failed", error=_describe_error(exc, fig)))
                bar.update(fig.id, theme, "failed")
            continue
        for theme in themes_for(fig):
            key = render_key(fig, data_json, theme, quality, shared)
            final = cache / "render" / fig.id / f"{theme}-{quality}-{key}"
            files = None if force else _verified(final)
            if files is not None:
                results.append(Result(fig.id, theme, "cached", [str(p) for p in files], str(final), key))
                bar.update(fig.id, theme, "cached")
            else:
                if force and final.exists():
                    shutil.rmtree(final, ignore_errors=True)
                todo.append(_Task(fig, theme, quality, data, final, key))

    results += _render_all(todo, jobs, bar)
    for fig in figures.values():
        keep = {Path(r.dir).name for r in results if r.id == fig.id and r.dir}
        _prune(cache / "render" / fig.id, keep)
    bar.close()

    order = {fid: i for i, fid in enumerate(figures)}
    results.sort(key=lambda r: (order.get(r.id, 0), r.theme))
    report = Report(quality, results, module_errors, time.perf_counter() - started, str(ex_path), meta)
    write_report(report, report_path or cache / f"last-build-{quality}.json")
    if check and not report.ok:
        raise BuildFailed("figure build failed:\n  " + "\n  ".join(report.errors()))
    return report


def _discover(ids: list[str] | None) -> tuple[dict[str, registry.Figure], list[str]]:
    figures: dict[str, registry.Figure] = {}
    errors: list[str] = []
    for name in registry.module_names():
        try:
            fig = registry.load_figure(name)
        except registry.FigureModuleError as exc:
            errors.append(str(exc))
            continue
        if fig.id in figures:
            errors.append(f"{fig.id}: declared twice, by {figures[fig.id].module_name} and {name}")
            continue
        figures[fig.id] = fig
    if ids:
        unknown = [i for i in ids if i not in figures]
        if unknown:
            raise KeyError(f"unknown figure id(s): {', '.join(unknown)} (known: {', '.join(sorted(figures))})")
        figures = {i: figures[i] for i in ids}
        errors = []  # only the figures asked for count
    return dict(sorted(figures.items())), errors


def _render_all(todo, jobs: int, bar: Progress) -> list[Result]:
    """Render in worker processes: matplotlib figures share a pool; every Manim scene gets its own process."""
    results: list[Result] = []
    if not todo:
        return results
    ctx = multiprocessing.get_context("spawn")
    mpl = [t for t in todo if t.fig.kind == "matplotlib"]
    manim = [t for t in todo if t.fig.kind == "manim"]
    pools = []
    futures = {}
    try:
        if mpl:
            pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(mpl)), mp_context=ctx)
            pools.append(pool)
            for t in mpl:
                futures[_submit(pool, t)] = t
        if manim:
            pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(manim)), mp_context=ctx, max_tasks_per_child=1)
            pools.append(pool)
            for t in manim:
                futures[_submit(pool, t)] = t
        for fut in cf.as_completed(futures):
            t = futures[fut]
            try:
                names = fut.result()
                files = _finish(t.tmp, t.final, t.fig.id, t.data, names)
                results.append(Result(t.fig.id, t.theme, "rendered", [str(p) for p in files], str(t.final), t.key,
                                      seconds=time.perf_counter() - t.started))
                bar.update(t.fig.id, t.theme, "rendered")
            except Exception as exc:
                shutil.rmtree(t.tmp, ignore_errors=True)
                results.append(Result(t.fig.id, t.theme, "failed", error=_describe_error(exc, t.fig)))
                bar.update(t.fig.id, t.theme, "failed")
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        for t in futures.values():  # an interrupted build leaves no temp dir behind
            if t.tmp is not None and t.tmp.exists():
                shutil.rmtree(t.tmp, ignore_errors=True)
    return results


@dataclass
class _Task:
    fig: registry.Figure
    theme: str
    quality: str
    data: dict
    final: Path
    key: str
    tmp: Path | None = None
    started: float = 0.0


def _submit(pool, t: _Task):
    t.final.parent.mkdir(parents=True, exist_ok=True)
    t.tmp = t.final.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    t.tmp.mkdir()
    t.started = time.perf_counter()
    return pool.submit(_render_in_worker, t.fig.module_name, t.theme, t.quality, t.data, str(t.tmp))


def _describe_error(exc: BaseException, fig: registry.Figure) -> str:
    """One line for the summary: the error and where in the figure module it happened."""
    where = ""
    tb = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    remote = getattr(exc, "__cause__", None)
    if remote is not None and type(remote).__name__ == "_RemoteTraceback":
        text = str(remote)
        lines = [ln.strip() for ln in text.splitlines() if fig.source_path.name in ln]
        where = f" [{lines[-1]}]" if lines else ""
    else:
        frames = [f for f in tb if f.filename == str(fig.source_path)]
        if frames:
            where = f" [{fig.source_path.name}, line {frames[-1].lineno}]"
    return f"{type(exc).__name__}: {exc}{where}"


def write_report(report: Report, path: Path) -> None:
    """The report as JSON: what a site generator needs to place the figures."""
    state = asdict(report)
    try:
        _atomic_write(Path(path), json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False))
    except OSError as exc:  # the build itself succeeded; say so and go on
        print(f"warning: could not write the build report {path}: {exc}", file=sys.stderr)


def read_report(path: Path) -> Report:
    state = json.loads(Path(path).read_text(encoding="utf-8"))
    state["results"] = [Result(**r) for r in state["results"]]
    return Report(**state)


def clean(cache: Path | None = None) -> int:
    """Remove the whole figure cache; returns the number of files removed."""
    cache = Path(cache or DEFAULT_CACHE)
    count = sum(1 for p in cache.rglob("*") if p.is_file()) if cache.exists() else 0
    shutil.rmtree(cache, ignore_errors=True)
    return count
