"""Rendering in worker processes: matplotlib figures share a pool; every Manim scene gets its own process.

A worker that dies (a crash in a native library, the OOM killer) breaks its
whole pool; the renders it took down with it are run again one per process,
so only the figure that really crashes is reported as failed. An interrupted
build (Ctrl-C, SIGTERM) stops every worker at once instead of waiting for its
render, and removes the temporary folders; see `signals` for the moments a
signal waits for.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from . import cache, registry
from .progress import Progress
from .report import Result
from .signals import INTERRUPTS


@dataclass
class Task:
    fig: registry.Figure
    theme: str
    quality: str
    data: dict
    final: Path
    key: str
    tmp: Path | None = None
    started: float = 0.0


def _worker_init(parent: int) -> None:
    """Runs once in each worker: leave Ctrl-C to the build, and exit when the build process is gone.

    A terminal's Ctrl-C reaches the whole process group; the build stops its
    workers itself. Without the watch a killed build would leave its workers
    rendering for nobody, Manim scenes included, for minutes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

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


def render_all(todo: list[Task], jobs: int, bar: Progress) -> list[Result]:
    """Render every task; the results in completion order."""
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


def _run_pools(groups, bar: Progress, *, retry_broken: bool) -> tuple[list[Result], list[Task]]:
    ctx = multiprocessing.get_context("spawn")
    results: list[Result] = []
    broken: list[Task] = []
    pools: list[cf.ProcessPoolExecutor] = []
    futures: dict[cf.Future, Task] = {}
    try:
        for tasks, workers, per_child in groups:
            # Starting a worker must not be cut: a process started but not yet recorded by the pool
            # would never be stopped.
            with INTERRUPTS.deferred():
                pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, max_tasks_per_child=per_child,
                                              initializer=_worker_init, initargs=(os.getpid(),))
                pools.append(pool)
            for t in tasks:
                with INTERRUPTS.deferred():
                    t.tmp = cache.new_temp_dir(t.final)
                    t.started = time.perf_counter()
                    futures[pool.submit(_render_in_worker, t.fig.module_name, t.theme, t.quality, t.data,
                                        str(t.tmp))] = t
        for fut in cf.as_completed(futures):
            t = futures[fut]
            with INTERRUPTS.deferred():  # a publish is renamed into place and accounted for, or not at all
                result = _collect(fut, t, retry_broken)
            if result is None:
                broken.append(t)
                continue
            results.append(result)
            bar.update(t.fig.id, t.theme, result.status)
    except BaseException:
        with INTERRUPTS.deferred():
            _stop(pools)
        raise
    finally:
        with INTERRUPTS.deferred():
            for pool in pools:
                pool.shutdown(wait=True, cancel_futures=True)
            for t in futures.values():  # an interrupted build leaves no temp dir behind
                if t.tmp is not None and t.tmp.exists():
                    shutil.rmtree(t.tmp, ignore_errors=True)
    return results, broken


def _collect(fut: cf.Future, t: Task, retry_broken: bool) -> Result | None:
    """The Result of a finished render (published when it succeeded); None for one to retry alone."""
    try:
        names = fut.result()
        files = cache.publish(t.tmp, t.final, t.fig.id, t.data, names)
    except cf.process.BrokenProcessPool as exc:
        shutil.rmtree(t.tmp, ignore_errors=True)
        if retry_broken:
            return None
        return Result(t.fig.id, t.theme, "failed", error=f"the process rendering it died ({exc})")
    except Exception as exc:
        shutil.rmtree(t.tmp, ignore_errors=True)
        return Result(t.fig.id, t.theme, "failed", error=describe_error(exc, t.fig))
    return Result(t.fig.id, t.theme, "rendered", [str(p) for p in files], str(t.final), t.key,
                  seconds=time.perf_counter() - t.started)


def _stop(pools: list[cf.ProcessPoolExecutor], grace: float = 5.0) -> None:
    """Stop every worker now: SIGTERM, then SIGKILL for any still there after `grace` seconds."""
    procs = [p for pool in pools for p in list((getattr(pool, "_processes", None) or {}).values())]
    for p in procs:
        p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)


def describe_error(exc: BaseException, fig: registry.Figure) -> str:
    """One line for the summary: the error and where in the figure module it happened."""
    where = ""
    tb = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    remote = getattr(exc, "__cause__", None)
    if remote is not None and type(remote).__name__ == "_RemoteTraceback":
        lines = [ln.strip() for ln in str(remote).splitlines() if fig.source_path.name in ln]
        where = f" [{lines[-1]}]" if lines else ""
    else:
        frames = [f for f in tb if f.filename == str(fig.source_path)]
        if frames:
            where = f" [{fig.source_path.name}, line {frames[-1].lineno}]"
    return f"{type(exc).__name__}: {exc}{where}"
