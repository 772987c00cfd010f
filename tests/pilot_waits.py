"""Waiting in Pilot tests for worker threads and child processes, without sleeping for a time.

A test holds a worker at a known point (a gate, or a child that never answers) and lets the app
run until the worker got there (:func:`until`) or until a group's workers are done
(:func:`finished`). :class:`Spawned` records every child process the app starts.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from typing import Any

#: Seconds a child or a worker may take at most (never reached when all works).
BOUND = 60.0
#: A child that never answers: it waits for more input than the request.
NEVER_ANSWERS = ("-c", "import sys; sys.stdin.buffer.read()")
#: A child that stops before it answers.
FAILS = ("-c", "import sys; sys.exit(1)")


class Spawned:
    """Every child process the app starts, and an event per start."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.started = [threading.Event() for _ in range(8)]
        self._real = subprocess.Popen

    def __call__(self, *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        proc = self._real(*args, **kwargs)
        self.procs.append(proc)
        self.started[len(self.procs) - 1].set()
        return proc

    def end_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


async def until(pilot: Any, condition: threading.Event | Callable[[], object]) -> None:
    """Let the app run until ``condition`` holds: a worker thread has set the event, or the
    callable returns something true."""
    holds = condition.is_set if isinstance(condition, threading.Event) else condition
    for _ in range(400):
        if holds():
            return
        await pilot.pause()
    raise AssertionError("the app never got there")


async def finished(pilot: Any, group: str) -> None:
    """Let the app run until every worker of ``group`` is done and its messages are handled."""
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == group and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()
    await pilot.pause()
