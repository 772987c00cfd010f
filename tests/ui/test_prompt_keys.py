"""Keys typed right after the key that opens a prompt land in it, in order (none dropped)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.screens.edit_item import EditItemScreen
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.widgets.filter_input import FilterInput

SIZE = (80, 24)


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


Burst = Callable[..., Awaitable[Any]]
"""``type_fast`` (tests/ui/conftest.py): keys queued all at once, as a terminal delivers a fast
typist's (``pilot.press`` waits for the app between keys: it never showed the lost key)."""


def make_app(backlog: Backlog) -> FulcrumApp:
    return FulcrumApp(backlog, watch_interval=None, today=date(2026, 12, 9))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_keys_typed_right_after_slash_all_reach_the_filter(
    golden: Backlog, size: tuple[int, int], type_fast: Burst
) -> None:
    app = make_app(golden)
    async with app.run_test(size=size) as pilot:
        await type_fast(pilot, "/", "p", "m", "x")
        await pilot.pause()
        filt = app.query_one(FilterInput)
        assert app.focused is filt
        assert filt.value == "pmx"
        assert app.query_text == "pmx"


async def test_a_burst_after_slash_and_enter_keeps_the_filter(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "/", "p", "m", "enter", "j")  # j: the table's down, after Enter
        filt = app.query_one(FilterInput)
        assert filt.value == "pm" and app.query_text == "pm"
        assert app.focused is app.table


async def test_slash_again_after_escape_takes_every_key_again(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "/", "z", "escape", "/", "g", "r")
        assert app.query_one(FilterInput).value == "gr"


async def test_slash_from_another_tab_reaches_the_filter(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "3", "/", "p", "m")
        assert app.query_one(FilterInput).value == "pm"


async def test_the_keys_right_after_x_reach_the_export_prompt(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "x", "ctrl+u", "a", "b")  # ctrl+u: clear the proposed path
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one("#prompt-input").value == "ab"


async def test_the_keys_typed_right_after_e_reach_the_edit_form(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "e", "Z")
        assert isinstance(app.screen, EditItemScreen)
        assert app.screen.focused is not None and app.screen.focused.value.startswith("Z")


async def test_the_keys_typed_right_after_d_reach_the_decision(golden: Backlog, type_fast: Burst) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await type_fast(pilot, "d", "tab", "w", "h", "y")
        assert "why" in [getattr(w, "value", None) for w in app.screen.query("Input")]
