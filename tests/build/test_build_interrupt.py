"""A build stopped in the middle of writing a figure leaves nothing half-written behind.

`python -m figures_src build` runs in a subprocess with a figure whose render
writes half a file and then waits; the test stops the build at that moment
(SIGKILL: no chance to clean up; SIGINT and SIGTERM: Ctrl-C and `kill`) and
checks what a reader of the cache would see.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from throwaway_figures import PYTHON, ROOT, assert_intact, key_dirs, statuses  # noqa: E402

from figures_src import build as figure_build  # noqa: E402


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


def start_stalled_build(figures, cache: Path, request) -> tuple[subprocess.Popen, int, Path]:
    """Start a build and wait until the slow figure's worker has written half its file; returns (proc, worker, tmp)."""
    figures.add("fig-quick")
    figures.add("fig-slow", render="half-sleep")
    proc = subprocess.Popen([PYTHON, "-m", "figures_src", "build", "--quiet", "--jobs", "2"], cwd=ROOT,
                            env=figures.env(FIGURES_CACHE=str(cache), THROWAWAY_SLEEP="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    request.addfinalizer(lambda: proc.poll() is None and proc.kill())  # whatever the test's outcome
    try:
        pid_file = wait_for(lambda: next(figures.pids.glob("[!.]*"), None), 90, "the slow render to start writing")
    except AssertionError:
        proc.kill()
        raise AssertionError(f"the build did not reach the slow render: {proc.communicate()}") from None
    worker, tmp = int(pid_file.name), Path(pid_file.read_text())
    assert tmp.name.startswith(".tmp-") and tmp.parent.name == "fig-slow"
    assert "</svg>" not in next(tmp.glob("*.svg")).read_text()  # it really is half-written now
    return proc, worker, tmp


def published_dirs(cache: Path) -> list[Path]:
    return [d for d in (cache / "render").glob("*/*") if d.is_dir() and not d.name.startswith(".")]


def assert_nothing_half_written_is_published(cache: Path) -> None:
    assert key_dirs(cache, "fig-slow") == []
    for d in published_dirs(cache):
        report_like = type("R", (), {})()
        report_like.dir = str(d)
        report_like.files = [str(p) for p in d.iterdir() if p.name != "manifest.json"]
        assert_intact(report_like)
        for svg in d.glob("*.svg"):
            assert svg.read_text().endswith("</svg>"), svg


def assert_next_build_renders_it_and_removes_the_leftovers(figures, cache: Path, tmp: Path) -> None:
    report = figure_build.build(cache=cache, progress=False, jobs=2)  # THROWAWAY_SLEEP unset: renders at once
    assert report.ok, report.errors()
    assert "rendered" in (statuses(report)[("fig-slow", "light")], statuses(report)[("fig-slow", "dark")])
    for r in report.results:
        assert_intact(r)
    assert len(key_dirs(cache, "fig-slow")) == 2
    assert not tmp.exists()
    assert not [p for p in (cache / "render").glob("*/.*")], "an abandoned temp dir was left in the cache"


@pytest.mark.slow
def test_a_build_killed_mid_write_publishes_nothing_half_written(figures, tmp_path, request):
    cache = tmp_path / "cache"
    proc, worker, tmp = start_stalled_build(figures, cache, request)

    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    assert_nothing_half_written_is_published(cache)
    wait_for(lambda: process_gone(worker), 10, f"the orphaned worker {worker} to exit after its build was killed")
    assert tmp.exists()  # a killed build cannot clean up: the next one must
    assert_next_build_renders_it_and_removes_the_leftovers(figures, cache, tmp)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_stops_its_workers_and_cleans_up(figures, tmp_path, sig, request):
    cache = tmp_path / "cache"
    proc, worker, tmp = start_stalled_build(figures, cache, request)

    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=20)  # the render never ends by itself: waiting for it would hang
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("the interrupted build waited for its running render instead of stopping it") from None

    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
    assert process_gone(worker)
    assert not tmp.exists()  # cleaned by the interrupted build itself
    assert_nothing_half_written_is_published(cache)
    assert_next_build_renders_it_and_removes_the_leftovers(figures, cache, tmp)
