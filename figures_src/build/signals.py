"""Ctrl-C and SIGTERM during a build: honoured at once, except inside the few steps that must not be cut.

A signal that interrupts the standard library's process pool while it starts a
worker (the process is running but not yet recorded in the pool), or a publish
between its rename and its bookkeeping, leaves a worker nobody stops or a
render nobody accounts for: the build then waits for that worker's render,
which may never end. Inside `deferred()` a signal is only recorded, and it is
raised as KeyboardInterrupt when the outermost deferred section ends; outside,
the handler raises at once, as Python's default does.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    def __init__(self) -> None:
        self.depth = 0
        self.pending: int | None = None

    def _handler(self, signum, frame) -> None:
        if self.depth:
            self.pending = signum
            return
        raise KeyboardInterrupt

    @contextmanager
    def installed(self):
        """Route SIGINT and SIGTERM through this object while the block runs (main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {s: signal.signal(s, self._handler) for s in SIGNALS}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    @contextmanager
    def deferred(self):
        """A section no signal may cut: one that arrives meanwhile is raised when the section ends."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if self.depth == 0 and self.pending is not None:
                self.pending = None
                raise KeyboardInterrupt


INTERRUPTS = Interrupts()
