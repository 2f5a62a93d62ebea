"""A progress display for the figure build: a live bar on a terminal, one line per figure otherwise."""

from __future__ import annotations

import sys
import time

SYMBOL = {"cached": "·", "rendered": "✓", "failed": "✗"}


class Progress:
    def __init__(self, total: int, *, enabled: bool = True, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = self.enabled and self.stream.isatty()
        self.started = time.perf_counter()
        self.counts = {"cached": 0, "rendered": 0, "failed": 0}

    def update(self, fig_id: str, theme: str, status: str) -> None:
        self.done += 1
        self.counts[status] += 1
        if not self.enabled:
            return
        line = f"{SYMBOL[status]} {status:8} {fig_id} ({theme})"
        if self.tty:
            width = 24
            filled = round(width * self.done / self.total)
            bar = "█" * filled + "░" * (width - filled)
            self.stream.write(f"\r\033[K{bar} {self.done}/{self.total}  {line}")
            if status != "cached":
                self.stream.write("\n")
        elif status != "cached":  # a log stays short: it names only what rendered or failed
            self.stream.write(f"[{self.done}/{self.total}] {line}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
