"""The figure build in a fresh Python process: `python -m figures_src build ... --report FILE`.

Used where the calling process may hold older code than the files now say (a
notebook or a test session that edited the math; `mkdocs serve` after an
edit): the fresh process computes data() from the files as they are. Its log
lines (renders, failures) are passed on to our stderr as they come. If the
caller is interrupted, the build is interrupted too (SIGINT, so it stops its
workers and cleans up) and waited for.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core.paths import ROOT
from .report import Report, read_report


class BuildProcessError(RuntimeError):
    """The build process ended before it could write its report; the message holds its log."""


def build_in_process(ids=None, *, quality: str = "draft", jobs: int | None = None, force: bool = False,
                     examples=None, cache: Path | None = None, quiet: bool = False, echo: bool = True,
                     scene_themes: tuple[str, ...] | None = None) -> Report:
    """Run the build in a fresh process and return its report (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="figures-report-") as tmp:
        path = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "figures_src", "build", *(ids or []), "--quality", quality, "--report", str(path)]
        cmd += ["--jobs", str(jobs)] if jobs else []
        cmd += ["--force"] if force else []
        cmd += ["--examples", str(examples)] if examples is not None else []
        cmd += ["--quiet"] if quiet else []
        cmd += ["--scene-themes", ",".join(scene_themes)] if scene_themes else []
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in [str(ROOT), *sys.path] if p))
        if cache is not None:
            env["FIGURES_CACHE"] = str(cache)
        log: list[str] = []
        with subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8", errors="replace") as proc:
            try:
                for line in proc.stderr:
                    log.append(line)
                    if echo:
                        sys.stderr.write(line)
            except BaseException:
                proc.send_signal(signal.SIGINT)  # it stops its workers and removes its temp dirs
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                raise
        if not path.exists():
            raise BuildProcessError(f"the figure build failed (exit code {proc.returncode}) before it could report:\n"
                                    + "".join(log).strip())
        return read_report(path)
