"""Helpers of the Pilot tests: typing as fast as a terminal delivers keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

#: Characters whose key names differ from them (as the terminal driver names them).
_KEY_NAMES = {".": "full_stop", " ": "space", ",": "comma", "-": "minus", "/": "slash", ":": "colon"}


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Send keys the way a terminal delivers a fast typist's (or a pasted) keystrokes: all of them
    queued at once, before the app has handled the first.

    ``pilot.press`` waits for the app to be idle after every key, so it never types faster than
    the app handles keys; the defects of keys typed in a burst (sent to the field the focus was
    leaving, or to the screen below a dialog that is still being built) need this. Then waits
    until every key is handled (every key routed, dialogs built): no sleeping for a time.
    """
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        name = _KEY_NAMES.get(key, key)
        char = key if len(key) == 1 else None
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(100):
        await pilot.pause()
        keys = getattr(app, "keys", None)
        if (keys is None or keys.idle()) and getattr(app.screen, "keys_ready", True):
            break
    await pilot.pause()


@pytest.fixture
def type_fast() -> Callable[..., Awaitable[None]]:
    return burst
