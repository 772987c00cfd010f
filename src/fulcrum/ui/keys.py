"""Keys at any speed: one key at a time, each one acted on before the next is routed.

Textual routes a key to the widget focused when the key is *dequeued*, and runs a binding only
once the key has bubbled up through the widgets' queues to the app. Keys typed in a burst (a fast
typist, keys pasted into the terminal) were therefore all routed before the first one's binding
ran: ``Tab 1.5`` typed in Effort put ``1.5`` in Effort rather than in the next field, and the
keys typed right after ``e`` went to the table instead of the form (or to nothing while the form
was being built).

:class:`KeyQueue` (owned by :class:`KeyedApp`, which FulcrumApp is, and fed by its ``on_event``) routes
a key only when the previous one is done: it follows the key up the widget tree with
``call_later`` on the widget it was sent to, then on each parent, so the last callback reaches
the app after the key itself could have (a binding runs there), and only then routes the next.
While the screen on top is a dialog that is not ready for keys (still being built, or not yet
focused), keys wait for it (``ReadyScreen.keys_ready``, :class:`KeysReady`).
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.message import Message

from fulcrum.ui.collect import Collector

#: A key not done after this many seconds (a widget closed before its callback ran) stops
#: holding the next ones. Long enough that a busy machine (a 10,000-item plan solving, a loaded
#: CI box) never lets the next key overtake one still on its way: at 0.5 s one sometimes did.
STUCK_AFTER = 2.0
#: Seconds between the interpreter's thread switches while the app runs (Python's default: 0.005).
SWITCH_INTERVAL = 0.001


class KeysReady(Message):
    """Keys may go on: a dialog focused its first field, or a key was acted on (``key`` its number)."""

    def __init__(self, key: int | None = None) -> None:
        super().__init__()
        self.key = key


class KeyQueue:
    """Keys the app has received but not routed yet, and the one in flight."""

    def __init__(self, app: App[Any], route: Callable[[events.Key], Awaitable[None]]) -> None:
        """``route`` is Textual's own handling of a key (priority bindings, then the focus)."""
        self.app = app
        self.route = route
        self.waiting: deque[events.Key] = deque()
        self.in_flight: int | None = None
        """The number of the key being acted on (None: none)."""
        self._count = 0

    def has_screen(self) -> bool:
        """False once the app is closing (its screens are gone)."""
        try:
            return bool(self.app.screen_stack)
        except KeyError:
            return False

    def ready(self) -> bool:
        """The screen on top takes keys now (a dialog that is still opening does not)."""
        return self.has_screen() and bool(getattr(self.app.screen, "keys_ready", True))

    def idle(self) -> bool:
        """No key waits and none is in flight."""
        return not self.waiting and self.in_flight is None

    async def arrived(self, key: events.Key) -> None:
        """A key from the terminal: queue it behind the others, route it when its turn comes."""
        self.waiting.append(key)
        await self.route_next()

    async def done(self, message: KeysReady) -> None:
        """A KeysReady: the key in flight is done (its number), or a dialog is ready (None)."""
        if message.key is not None:
            if message.key != self.in_flight:
                return  # a late report of a key already given up on
            self.in_flight = None
        await self.route_next()

    async def route_next(self) -> None:
        while self.waiting and self.in_flight is None and self.ready():
            key = self.waiting.popleft()
            self._count += 1
            number = self.in_flight = self._count
            target: DOMNode = self.app.focused or self.app.screen
            await self.route(key)
            if target.screen is not self.app.screen:  # it opened or closed a dialog: acted on
                self.in_flight = None
                continue
            self._follow(target, number)
            self.app.set_timer(STUCK_AFTER, partial(self._give_up, number))

    def _follow(self, node: DOMNode | None, number: int) -> None:
        """Once ``node`` has handled what it was sent, do the same at its parent; at the app,
        the key is done (a key that bubbled is in the app's queue before this report)."""
        if node is None or node is self.app or not node.call_later(self._follow, node.parent, number):
            self.app.post_message(KeysReady(number))

    def _give_up(self, number: int) -> None:
        if self.in_flight == number:
            self.app.post_message(KeysReady(number))


class KeyedApp(App[None]):
    """An app whose keys go through a :class:`KeyQueue`: one at a time, each acted on before the
    next is routed. It owns the queue and the routing; a subclass adds nothing for it."""

    def __init__(self) -> None:
        super().__init__()
        self.keys = KeyQueue(self, self._route_key)
        self.collector = Collector(self)
        """When cyclic garbage is collected: never in the middle of typing (``ui.collect``)."""
        self._switch_interval = sys.getswitchinterval()

    def switch_threads_often(self) -> None:
        """A thread switch every 1 ms instead of 5 while the app runs: a key waits less behind a
        worker thread (a plan being solved) for the GIL. Restored when the app unmounts."""
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval)
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not self.keys.has_screen():
                return  # the app is closing: a key still bubbling up has nothing to act on
            if not event.is_forwarded:
                self.collector.busy()
                await self.keys.arrived(event)  # routed by super().on_event when its turn comes
                return
        await super().on_event(event)

    async def _route_key(self, key: events.Key) -> None:
        await super().on_event(key)

    async def on_keys_ready(self, message: KeysReady) -> None:
        await self.keys.done(message)
