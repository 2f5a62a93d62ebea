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
    .cache/figures/last-build-<quality>.json          what the last full build produced

A full build records a fingerprint of all its inputs (`fingerprint()`: every
source under figures_src/ and attention_ref/, the figure packages, the
examples file, the quality and the tools' versions) in that report;
`up_to_date()` compares it without importing any figure, which is how the
MkDocs hook skips the build subprocess when nothing changed.
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
_SHARED_SOURCES = ("style.py", "formats.py", "mpl.py", "manim_kit.py", "vtt.py", "jsonable.py", "common.py")


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
    fingerprint: str | None = None  # of all inputs (see fingerprint()); set by full builds only
    file_stats: dict[str, list[int]] = field(default_factory=dict)  # path -> [size, mtime_ns], for up_to_date()

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
    """Hash of attention_ref's sources and numpy's version: a change in the math invalidates every data memo."""
    import numpy

    import attention_ref

    pkg = Path(attention_ref.__file__).parent
    return _sha(numpy.__version__, *(p.read_bytes() for p in sorted(pkg.glob("*.py"))))


def _shared_fingerprint() -> str:
    """Hash of the code every figure shares: the style and helpers, and the figure packages' own helpers."""
    parts: list[bytes | str] = []
    for n in _SHARED_SOURCES:
        parts += [n, (_PACKAGE / n).read_bytes() if (_PACKAGE / n).exists() else b""]
    for path in registry.helper_paths():
        parts += [path.name, path.read_bytes()]
    return _sha(*parts)


def renderer_version(kind: str) -> str:
    """The versions of the tools that turn data into pixels (part of the key)."""
    from importlib.metadata import version

    if kind == "matplotlib":
        return f"matplotlib-{version('matplotlib')}"
    return f"manim-{version('manim')}-av-{version('av')}"


def render_key(fig: registry.Figure, data_json: str, theme: str, quality: str, shared: str) -> str:
    return _sha(PROTOCOL, data_json, fig.source, shared, renderer_version(fig.kind), quality, theme)[:20]


def fingerprint(quality: str, examples: str | os.PathLike | None = None) -> str:
    """A hash of everything a full build reads, computed without importing any figure or renderer.

    Every file under figures_src/ and attention_ref/ (the framework, the
    figures, the scenes, the math), every file of the figure packages (they may
    live elsewhere, see registry.packages()), the examples file's path and
    bytes, the quality, and the versions of Python, numpy and the renderers.
    Equal fingerprints mean a full build would render nothing.
    """
    from importlib.metadata import PackageNotFoundError, version

    parts: list[bytes | str] = [PROTOCOL, quality, sys.version, ",".join(registry.packages())]
    for dist in ("numpy", "matplotlib", "manim", "av"):
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=none")
    ex_path = examples_path(examples)
    parts.append(str(ex_path.resolve()))
    try:
        parts.append(ex_path.read_bytes())
    except OSError:
        parts.append("missing")
    import attention_ref

    dirs = {_PACKAGE, Path(attention_ref.__file__).resolve().parent}
    for package in registry.packages():
        dirs.update(_package_dirs(package))
    seen: set[Path] = set()
    for d in sorted(dirs):
        for path in sorted(d.rglob("*")):
            if path in seen or "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
                continue
            seen.add(path)
            parts += [str(path), path.read_bytes()]
    return _sha(*parts)


def _package_dirs(package: str) -> list[Path]:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return []
    return [Path(d) for d in (spec.submodule_search_locations or [])] if spec else []


def _stats(report: Report) -> dict[str, list[int]]:
    out = {}
    for r in report.results:
        for f in r.files:
            try:
                st = os.stat(f)
            except OSError:
                continue
            out[f] = [st.st_size, st.st_mtime_ns]
    return out


def up_to_date(quality: str = "draft", examples: str | os.PathLike | None = None,
               cache: Path | None = None) -> Report | None:
    """The last full build's report if a build now would render nothing and its files are in place, else None.

    Cheap (no figure is imported, no file hashed): compares `fingerprint()`
    with the one the last successful full build recorded, and the size and
    mtime of every file it produced. `python -m figures_src build` checks
    more (every file's hash); this is the fast path of the MkDocs hook.
    """
    path = Path(cache or DEFAULT_CACHE) / f"last-build-{quality}.json"
    try:
        report = read_report(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not report.ok or report.fingerprint is None or report.fingerprint != fingerprint(quality, examples):
        return None
    wanted = [f for r in report.results for f in r.files]
    for f in wanted:
        try:
            st = os.stat(f)
        except OSError:
            return None
        if report.file_stats.get(f) != [st.st_size, st.st_mtime_ns]:
            return None
    return report


def themes_for(fig: registry.Figure) -> tuple[str, ...]:
    from .style import MATPLOTLIB_THEMES, VIDEO_THEME

    return MATPLOTLIB_THEMES if fig.kind == "matplotlib" else (VIDEO_THEME,)


# --------------------------------------------------------------------------- data


def compute_data(fig: registry.Figure, examples, ex_bytes: bytes, math: str, cache: Path, shared: str = "") -> dict:
    """data() of a figure, memoised by (module source, shared helpers, attention_ref source, examples file)."""
    # "v2": memos keep data()'s own key order (a figure's tables follow it); v1 memos were sorted.
    memo = cache / "data" / f"{fig.id}-{_sha('memo-v2', fig.source, shared, math, ex_bytes)[:20]}.json"
    if memo.exists():
        try:
            return json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # damaged memo: compute again
    data = to_jsonable(fig.data(examples))
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)  # sorted only where hashed (render_key)
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


def _worker_init(parent: int) -> None:
    """Runs once in each worker: exit when the build process is gone (killed, or stopped by Ctrl-C).

    Without this a killed build leaves its workers rendering for nobody,
    Manim scenes included, for minutes.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(70)

    threading.Thread(target=watch, name="figures-parent-watch", daemon=True).start()


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
    for _attempt in range(3):
        try:
            os.rename(tmp, final)  # atomic; fails if the directory exists (another build got there first)
            return [final / n for n in names]
        except OSError:
            files = _verified(final)
            if files is not None:  # the same render, published by a concurrent build
                shutil.rmtree(tmp, ignore_errors=True)
                return files
            # A damaged render of this key (a file deleted or edited in the cache): move it aside, then retry.
            trash = final.with_name(f".trash-{os.getpid()}-{uuid.uuid4().hex[:8]}")
            try:
                os.rename(final, trash)
            except FileNotFoundError:
                pass
            shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(tmp, ignore_errors=True)
    raise RuntimeError(f"could not publish the render into {final}")


PRUNE_AFTER = 3600.0  # seconds a render dir of other inputs is kept after its last use


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def _prune(fig_dir: Path, keep: set[str], quality: str) -> None:
    """Remove other keys' renders of this quality and abandoned temp dirs (not those of live builds).

    Renders of the other quality stay: a draft build must not throw away the
    publish renders (and the other way round).
    """
    now = time.time()
    for d in fig_dir.iterdir() if fig_dir.exists() else ():
        if d.name in keep or not d.is_dir():
            continue
        if d.name.startswith((".tmp-", ".trash-")):
            pid = d.name.split("-")[1]
            if _pid_alive(int(pid) if pid.isdigit() else 0):
                continue
        elif not d.name.split("-")[1:2] == [quality]:
            continue
        else:
            try:
                if now - d.stat().st_mtime < PRUNE_AFTER:
                    continue  # used lately, maybe by a concurrent build with other inputs (a teacher's example)
            except FileNotFoundError:
                continue
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
    """Build the figures `ids` (all when None). See the module docstring.

    A full build (ids None) also writes `<cache>/last-build-<quality>.json`;
    `report_path` gets a copy of the report in any case.
    """
    if quality not in QUALITIES:
        raise ValueError(f"quality must be one of {QUALITIES}; got {quality!r}")
    started = time.perf_counter()
    cache = Path(cache or DEFAULT_CACHE)
    jobs = max(1, jobs or os.cpu_count() or 1)
    stale = _stale_code()
    if stale:
        # This process runs older code than the files now say (a notebook or a test session that
        # edited the math or a helper since importing it): data() here would store old numbers under
        # the new sources' key. A fresh process computes them from the files as they are.
        return _build_in_fresh_process(ids, force=force, quality=quality, jobs=jobs, examples=examples,
                                       cache=cache, progress=progress, check=check, report_path=report_path)
    # Taken before anything is read, so an edit made during the build shows next time.
    inputs = fingerprint(quality, examples) if ids is None else None
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
            data = compute_data(fig, ex, ex_bytes, math, cache, shared)
            data_json = json.dumps(data, sort_keys=True)
            meta[fig.id] = {"kind": fig.kind, "caption": fig.caption, "description": fig.description,
                            "alt": fig.alt(data), "module": fig.module_name,
                            "source": _display_path(fig.source_path), "data": data}
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
                _touch(final)  # in use: a concurrent build's _prune leaves it alone
                results.append(Result(fig.id, theme, "cached", [str(p) for p in files], str(final), key))
                bar.update(fig.id, theme, "cached")
            else:
                if force and final.exists():
                    shutil.rmtree(final, ignore_errors=True)
                todo.append(_Task(fig, theme, quality, data, final, key))

    try:
        results += _render_all(todo, jobs, bar)
    finally:
        bar.close()
    for fig in figures.values():
        keep = {Path(r.dir).name for r in results if r.id == fig.id and r.dir}
        _prune(cache / "render" / fig.id, keep, quality)

    order = {fid: i for i, fid in enumerate(figures)}
    results.sort(key=lambda r: (order.get(r.id, 0), r.theme))
    report = Report(quality, results, module_errors, time.perf_counter() - started, str(ex_path), meta,
                    fingerprint=inputs)
    if ids is None:
        report.file_stats = _stats(report)
        write_report(report, cache / f"last-build-{quality}.json")
    if report_path is not None:
        write_report(report, Path(report_path))
    if check and not report.ok:
        raise BuildFailed("figure build failed:\n  " + "\n  ".join(report.errors()))
    return report


def _watched_dirs() -> list[Path]:
    import attention_ref

    dirs = [_PACKAGE, Path(attention_ref.__file__).resolve().parent]
    for package in registry.packages():
        dirs += _package_dirs(package)
    return dirs


def _stale_code() -> list[str]:
    """Modules of attention_ref, figures_src or the figure packages changed on disk since this process loaded them.

    Figure modules themselves are not counted: the registry re-imports those.
    """
    changed = registry.changed_since_loaded(_watched_dirs())
    if not changed:
        return []
    try:
        figures = set(registry.module_names())
    except registry.FigureModuleError:
        figures = set()
    return [name for name in changed if name not in figures]


def _build_in_fresh_process(ids, *, force, quality, jobs, examples, cache, progress, check, report_path) -> Report:
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="figures-report-") as tmp:
        path = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "figures_src", "build", *(ids or []), "--quality", quality,
               "--jobs", str(jobs), "--report", str(path)]
        cmd += ["--force"] if force else []
        cmd += ["--examples", str(examples)] if examples is not None else []
        cmd += [] if progress else ["--quiet"]
        env = dict(os.environ, FIGURES_CACHE=str(cache),
                   PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        sys.stderr.write(proc.stderr if progress or proc.returncode else "")
        if not path.exists():
            raise RuntimeError(f"the figure build (in a fresh process) failed before it could report:\n{proc.stderr}")
        report = read_report(path)
    if report_path is not None:
        write_report(report, Path(report_path))
    if check and not report.ok:
        raise BuildFailed("figure build failed:\n  " + "\n  ".join(report.errors()))
    return report


def _display_path(path: Path) -> str:
    """The module's path as the figure page shows it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:  # a figure package outside the repository (a teacher's own, or a test's)
        return str(path)


def _discover(ids: list[str] | None) -> tuple[dict[str, registry.Figure], list[str]]:
    figures: dict[str, registry.Figure] = {}
    errors: list[str] = []
    try:
        names = registry.module_names()
    except registry.FigureModuleError as exc:
        return {}, [str(exc)]
    for name in names:
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
    _stale_code()  # records the helpers the figure modules just imported, so that later edits show
    return dict(sorted(figures.items())), errors


# --------------------------------------------------------------------------- rendering


def _render_all(todo: list[_Task], jobs: int, bar: Progress) -> list[Result]:
    """Render in worker processes: matplotlib figures share a pool; every Manim scene gets its own process.

    A worker that dies (a crash in a native library, the OOM killer) breaks
    its whole pool; the renders it took down with it are run again one per
    process, so only the figure that really crashes is reported as failed.
    """
    if not todo:
        return []
    mpl = [t for t in todo if t.fig.kind == "matplotlib"]
    manim = [t for t in todo if t.fig.kind == "manim"]
    groups = []
    if mpl:
        groups.append((mpl, min(jobs, len(mpl)), None))
    if manim:
        groups.append((manim, min(jobs, len(manim)), 1))
    results, broken = _run_pools(groups, bar, retry_broken=True)
    for i in range(0, len(broken), jobs):  # rare: isolate each render in its own process
        more, _ = _run_pools([([t], 1, 1) for t in broken[i : i + jobs]], bar, retry_broken=False)
        results += more
    return results


def _run_pools(groups, bar: Progress, *, retry_broken: bool) -> tuple[list[Result], list[_Task]]:
    ctx = multiprocessing.get_context("spawn")
    results: list[Result] = []
    broken: list[_Task] = []
    pools: list[cf.ProcessPoolExecutor] = []
    futures: dict[cf.Future, _Task] = {}
    try:
        for tasks, workers, per_child in groups:
            pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, max_tasks_per_child=per_child,
                                          initializer=_worker_init, initargs=(os.getpid(),))
            pools.append(pool)
            for t in tasks:
                futures[_submit(pool, t)] = t
        for fut in cf.as_completed(futures):
            t = futures[fut]
            try:
                names = fut.result()
                files = _finish(t.tmp, t.final, t.fig.id, t.data, names)
            except cf.process.BrokenProcessPool as exc:
                shutil.rmtree(t.tmp, ignore_errors=True)
                if retry_broken:
                    broken.append(t)
                    continue
                error = f"the process rendering it died ({exc})"
                results.append(Result(t.fig.id, t.theme, "failed", error=error))
                bar.update(t.fig.id, t.theme, "failed")
            except Exception as exc:
                shutil.rmtree(t.tmp, ignore_errors=True)
                results.append(Result(t.fig.id, t.theme, "failed", error=_describe_error(exc, t.fig)))
                bar.update(t.fig.id, t.theme, "failed")
            else:
                results.append(Result(t.fig.id, t.theme, "rendered", [str(p) for p in files], str(t.final), t.key,
                                      seconds=time.perf_counter() - t.started))
                bar.update(t.fig.id, t.theme, "rendered")
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): stop the workers now instead of waiting for their renders.
        for pool in pools:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
        raise
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        for t in futures.values():  # an interrupted build leaves no temp dir behind
            if t.tmp is not None and t.tmp.exists():
                shutil.rmtree(t.tmp, ignore_errors=True)
    return results, broken


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


_stale_code()  # records the stamps of the sources this process has loaded so far
