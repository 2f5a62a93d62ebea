"""What a figure build made: one Result per figure and theme, and the Report that a site generator reads."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.files import atomic_write


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
    # id -> kind, caption, description, alt, lecture, module, source, data, claims
    figures: dict[str, dict] = field(default_factory=dict)
    fingerprint: str | None = None  # of all inputs (see keys.fingerprint); set by full builds only
    file_stats: dict[str, list[int]] = field(default_factory=dict)  # path -> [size, mtime_ns], for up_to_date()
    claim_errors: list[str] = field(default_factory=list)  # false claims: figure, claim, pages (see claims.py)

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.module_errors and not self.claim_errors

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

    def render_errors(self) -> list[str]:
        """The modules that broke the contract and the renders that failed: the figures that are not there."""
        return [*self.module_errors, *(f"{r.id} ({r.theme}): {r.error}" for r in self.failed)]

    def errors(self) -> list[str]:
        return [*self.render_errors(), *self.claim_errors]


class BuildFailed(Exception):
    """Raised by `build(..., check=True)`; the message lists each failed id and its error."""


def file_stats(report: Report) -> dict[str, list[int]]:
    """[size, mtime_ns] of every file the report names, for a cheap "still in place" check."""
    out = {}
    for r in report.results:
        for f in r.files:
            try:
                st = os.stat(f)
            except OSError:
                continue
            out[f] = [st.st_size, st.st_mtime_ns]
    return out


def write_report(report: Report, path: Path) -> None:
    """The report as JSON: what a site generator needs to place the figures."""
    state = asdict(report)
    try:
        atomic_write(Path(path), json.dumps(state, indent=1, sort_keys=True, ensure_ascii=False))
    except OSError as exc:  # the build itself succeeded; say so and go on
        print(f"warning: could not write the build report {path}: {exc}", file=sys.stderr)


def read_report(path: Path) -> Report:
    state = json.loads(Path(path).read_text(encoding="utf-8"))
    state["results"] = [Result(**r) for r in state["results"]]
    return Report(**state)
