"""A build stopped at any moment stops its workers, and leaves nothing half-written behind.

`python -m figures_src build` runs in a subprocess (through interrupt_driver.py)
with a figure whose render writes half a file and then waits. The build is
stopped:

- from outside, while that render is half-way (SIGKILL: no chance to clean up;
  SIGINT and SIGTERM: Ctrl-C and `kill`);
- by a signal the build sends itself at the moments where a signal used to be
  lost or to leave a worker running: before the pool starts, while a worker
  starts (the process runs, the pool has not recorded it), and while a render
  is being published.

Each time the test checks what a reader of the cache would see, that no worker
is left, and that the next build renders and cleans up. When a build does not
stop in time, the failure shows its stderr and every thread's stack.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from throwaway_figures import PYTHON, ROOT, assert_intact, key_dirs, statuses

from figures_src import build as figure_build

DRIVER = Path(__file__).with_name("interrupt_driver.py")
STOP_WITHIN = 30  # seconds: a stopped build terminates its workers at once; this only bounds a hang


def process_gone(pid: int) -> bool:
    """True once `pid` has exited (a zombie waiting for a parent that never reaps it counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def start_build(figures, cache: Path, request, moment: str = "none", sig: str = "SIGINT",
                sleep: bool = True) -> subprocess.Popen:
    figures.add("fig-quick")
    figures.add("fig-slow", render="half-sleep")
    env = figures.env(FIGURES_CACHE=str(cache), **({"THROWAWAY_SLEEP": "1"} if sleep else {}))
    proc = subprocess.Popen([PYTHON, str(DRIVER), moment, sig, "--quiet", "--jobs", "2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    request.addfinalizer(lambda: proc.poll() is None and proc.kill())  # whatever the test's outcome
    return proc


def finish(proc: subprocess.Popen) -> str:
    """The build's stderr once it has exited; if it does not stop in time, fail showing where it hangs."""
    try:
        _, err = proc.communicate(timeout=STOP_WITHIN)
        return err
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGUSR1)  # faulthandler: every thread's stack to stderr
        time.sleep(1)
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"the build did not stop within {STOP_WITHIN} s of the signal; its stderr, with "
                             f"every thread's stack:\n{err}") from None


def stalled_worker(figures, proc) -> tuple[int, Path]:
    """Wait until the slow figure's worker has written half its file; its pid and its temp dir."""
    try:
        pid_file = wait_for(lambda: next(figures.pids.glob("[!.]*"), None), 90, "the slow render to start writing")
    except AssertionError:
        proc.kill()
        raise AssertionError(f"the build did not reach the slow render: {proc.communicate()}") from None
    worker, tmp = int(pid_file.name), Path(pid_file.read_text())
    assert tmp.name.startswith(".tmp-") and tmp.parent.name == "fig-slow"
    assert "</svg>" not in next(tmp.glob("*.svg")).read_text()  # it really is half-written now
    return worker, tmp


def published_dirs(cache: Path) -> list[Path]:
    return [d for d in (cache / "render").glob("*/*") if d.is_dir() and not d.name.startswith(".")]


def assert_nothing_half_written_is_published(cache: Path) -> None:
    for d in published_dirs(cache):
        report_like = type("R", (), {})()
        report_like.dir = str(d)
        report_like.files = [str(p) for p in d.iterdir() if p.name != "manifest.json"]
        assert_intact(report_like)
        for svg in d.glob("*.svg"):
            assert svg.read_text().endswith("</svg>"), svg


def assert_stopped_cleanly(proc, err: str, cache: Path) -> None:
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err, err
    assert "children alive: 0" in err, err
    assert not [p for p in (cache / "render").glob("*/.*")], "the interrupted build left a temp dir behind"
    assert_nothing_half_written_is_published(cache)


def assert_next_build_renders_it_and_removes_the_leftovers(cache: Path) -> None:
    report = figure_build.build(cache=cache, progress=False, jobs=2)  # THROWAWAY_SLEEP unset: renders at once
    assert report.ok, report.errors()
    assert statuses(report)[("fig-slow", "light")] in ("rendered", "cached")
    for r in report.results:
        assert_intact(r)
    assert len(key_dirs(cache, "fig-slow")) == 2
    assert not [p for p in (cache / "render").glob("*/.*")], "an abandoned temp dir was left in the cache"


@pytest.mark.slow
def test_a_build_killed_mid_write_publishes_nothing_half_written(figures, tmp_path, request):
    cache = tmp_path / "cache"
    proc = start_build(figures, cache, request)
    worker, tmp = stalled_worker(figures, proc)

    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    assert key_dirs(cache, "fig-slow") == []
    assert_nothing_half_written_is_published(cache)
    wait_for(lambda: process_gone(worker), 10, f"the orphaned worker {worker} to exit after its build was killed")
    assert tmp.exists()  # a killed build cannot clean up: the next one must
    assert_next_build_renders_it_and_removes_the_leftovers(cache)
    assert not tmp.exists()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_interrupted_mid_render_stops_its_workers_and_cleans_up(figures, tmp_path, sig, request):
    cache = tmp_path / "cache"
    proc = start_build(figures, cache, request)
    worker, tmp = stalled_worker(figures, proc)

    proc.send_signal(sig)
    err = finish(proc)  # the render never ends by itself: a build that waited for it would hang

    assert_stopped_cleanly(proc, err, cache)
    assert process_gone(worker)
    assert key_dirs(cache, "fig-slow") == []
    assert not tmp.exists()  # cleaned by the interrupted build itself
    assert_next_build_renders_it_and_removes_the_leftovers(cache)


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("moment", ["before-pool", "worker-start", "publishing"])
def test_a_signal_at_any_moment_of_a_build_stops_it_cleanly(figures, tmp_path, moment, sig, request):
    cache = tmp_path / "cache"
    # Publishing needs a render that finishes; at the other moments the slow one must not finish by itself.
    proc = start_build(figures, cache, request, moment=moment, sig=sig, sleep=moment != "publishing")
    err = finish(proc)

    assert_stopped_cleanly(proc, err, cache)
    for pid_file in figures.pids.glob("[!.]*"):
        assert process_gone(int(pid_file.name)), f"worker {pid_file.name} outlived its build"
    assert_next_build_renders_it_and_removes_the_leftovers(cache)
