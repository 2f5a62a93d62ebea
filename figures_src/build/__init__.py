"""The figure build: discover the figure modules, compute their data, check their claims, render what changed.

    registry   one module = one figure or scene; the naming rule and the contract
    keys       what can change a figure's pixels, hashed
    cache      data memos, published renders, pruning
    workers    the render processes, stopped at once when the build is interrupted
    signals    the few steps a Ctrl-C waits for
    claims     every claim of every figure, checked against its data
    report     what a build made, as a site generator reads it
    run        build() and up_to_date(): the orchestration
    process    the build in a fresh process (for long-lived callers)
    progress   the progress display
    snapshots  committed copies of every figure's data, compared and rewritten
"""

from .report import BuildFailed, Report, Result, read_report, write_report
from .run import QUALITIES, build, clean, report_path_for, themes_for, up_to_date

__all__ = ["QUALITIES", "BuildFailed", "Report", "Result", "build", "clean", "read_report", "report_path_for",
           "themes_for", "up_to_date", "write_report"]
