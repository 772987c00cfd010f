"""When the cyclic garbage collector runs while the app is open: never in the middle of typing.

A 10,000-item backlog is about a million objects that live as long as the app (the items, the
first ranking, the rankings under every lens, the widgets). A full collection walks every tracked
object and its references; left to Python, one ran about every third edit and held the UI
50-300 ms. The policy (one :class:`Collector`, owned by the app):

1. :meth:`Collector.settled` ``gc.freeze()``\\ s once, when the load has settled: the backlog read,
   its ranking built and painted, and the explanation pane's rankings under every lens made (they
   come a moment later, ``explain_pane.LENS_DELAY``). From then on collections skip all that.
   Never again: a frozen object is still freed by reference counting, but a frozen *cycle* never,
   so freezing after each edit kept every toast, timer and message of that moment forever.
2. An edit still makes long-lived objects (its rankings, their lists and indexes), and a full
   collection over them cost 50-120 ms. Full collections are left to quiet moments:
   ``gc.set_threshold`` makes Python's own ones 20 times rarer (``FULL_EVERY`` middle collections
   instead of 10: a safety net for hundreds of edits without a pause, so the garbage, ~1,500
   objects of Textual's caches per edit, is never held unbounded), and :meth:`Collector.busy`
   (every key, every change) restarts a timer that runs one ``QUIET`` seconds after the last.
   Young collections (a millisecond or so) run as usual.

Restored (thresholds) when the app unmounts; the frozen objects stay frozen (they are the app's,
and the process ends with it).
"""

from __future__ import annotations

import gc
from typing import Any

from textual.app import App
from textual.timer import Timer

#: Seconds without a key or a change before the full collection runs.
QUIET = 1.0
#: Generation-1 collections before Python may run a full one itself (its default: 10).
FULL_EVERY = 200


class Collector:
    """The app's garbage collection policy (see the module)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.frozen = False
        self._timer: Timer | None = None
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        """The app is mounted: Python's own full collections become rare."""
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, FULL_EVERY)

    def stop(self) -> None:
        """The app unmounts: Python's thresholds back, no timer left."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def settled(self) -> None:
        """The load has settled (see the module): what lives now lives for the session. Once."""
        if not self.frozen:
            self.frozen = True
            gc.freeze()

    def busy(self) -> None:
        """A key or a change: the full collection waits for QUIET seconds without one."""
        if self._thresholds is None:
            return
        if self._timer is None:
            self._timer = self.app.set_timer(QUIET, self.collect, name="collect")
        else:
            self._timer.reset()

    def collect(self) -> None:
        """The full collection, at a quiet moment (what was frozen is skipped)."""
        self._timer = None
        gc.collect()
