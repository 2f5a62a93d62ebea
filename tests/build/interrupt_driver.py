"""Run `python -m figures_src build` in this process, sending ourselves a signal at one chosen moment.

    python interrupt_driver.py MOMENT SIGNAL [build arguments...]

MOMENT is where the signal arrives: "before-pool" (the figures' data is done,
no worker started yet), "worker-start" (a worker process has just been started,
inside the pool's submit), "publishing" (a finished render is about to be
renamed into place), or "none" (the test sends it from outside). The signal is
sent once, the first time the moment comes. At exit the driver says how many
of its worker processes are still alive, and SIGUSR1 dumps every thread's
stack to stderr (the test sends it when the build does not stop in time).
"""

import faulthandler
import multiprocessing
import os
import signal
import sys

sent = []


def fire() -> None:
    if not sent:
        sent.append(True)
        os.kill(os.getpid(), getattr(signal, sys.argv[2]))


def fire_before(fn):
    def wrapped(*args, **kwargs):
        fire()
        return fn(*args, **kwargs)

    return wrapped


def run_build() -> int:
    # Spawned workers import this file as their __main__: only the build process patches and builds.
    from figures_src.__main__ import main
    from figures_src.build import cache, run

    faulthandler.register(signal.SIGUSR1, all_threads=True)
    moment = sys.argv[1]

    if moment == "before-pool":
        run.render_all = fire_before(run.render_all)
    elif moment == "publishing":
        cache.publish = fire_before(cache.publish)
    elif moment == "worker-start":
        start = multiprocessing.context.SpawnProcess.start

        def start_then_fire(self):
            start(self)
            fire()  # the process runs; the pool has not recorded it yet

        multiprocessing.context.SpawnProcess.start = start_then_fire

    try:
        code = main(["build", *sys.argv[3:]])
    finally:
        print(f"children alive: {len(multiprocessing.active_children())}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(run_build())
