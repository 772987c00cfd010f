"""The smaller things a user hit: `s` opens a column picker; the header and footer fit the terminal
without stray characters and never cut the unsaved marker; the method picker says which methods
the file cannot use yet and why; the header says when the lens has no priced metric."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.picker import PickerScreen
from fulcrum.ui.widgets.header import HeaderState, header_text
from fulcrum.ui.widgets.key_bar import KeyBar, render_keys

NOTE = "none of support's metrics has a price: set value_per_unit on ticket_minutes"

SIZES = [(80, 24), (120, 40)]
LONG = "Payments platform and merchant experience: the first ninety days of a long-titled plan"


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


@pytest.fixture
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


def screen_lines(app: FulcrumApp) -> list[str]:
    """Every line of the screen as the terminal shows it (the compositor's full frame)."""
    update = app.screen._compositor.render_full_update(simplify=True)
    return ["".join(strip.text for strip in line) for line in update.strips]


async def finished(pilot: Any, group: str) -> None:
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == group and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()


# -- sort ----------------------------------------------------------------------------------------


async def test_s_opens_a_column_picker_and_picking_the_column_again_reverses(golden: Backlog) -> None:
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.kind == "sort"
        assert [key for key, _ in picker.options][:3] == ["rank", "move", "id"]
        await pilot.press(*["down"] * 5, "enter")  # rank, moved, id, title, quadrant, value
        assert (app.order.column, app.order.descending) == ("value", True)
        assert app.table.row_keys == ["d", "c", "a", "b", "g"]
        await pilot.press("s", "enter")  # the picker opens on the current column: reversed
        assert (app.order.column, app.order.descending) == ("value", False)
        assert app.table.row_keys == ["g", "b", "a", "c", "d"]
        assert "sorted by Value/yr ↑" in str(app.query_one("#status-line").render())


# -- header and footer ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_header_and_footer_fit_without_stray_characters(
    example: Backlog, tmp_path: Path, size: tuple[int, int]
) -> None:
    long = example.model_copy(update={"backlog": example.backlog.model_copy(update={"title": LONG})})
    app = FulcrumApp(long, watch_interval=None)
    async with app.run_test(size=size) as pilot:
        app._edited(
            "reserved-instances",
            "edited",
            apply_form(app.session.backlog, "reserved-instances", {"owner": "Lena"}),
        )
        await pilot.pause()
        lines = screen_lines(app)
        header, footer = lines[0], lines[-1]
        assert len(header) == len(footer) == size[0]
        assert header.startswith(" ● unsaved  Payments platform")  # the marker first, never cut
        assert header.rstrip().endswith("method value_density")  # the title was cut, not the view
        assert "…" in header and LONG not in header
        # The footer: whole keys only, "? Help" first, the palette key at the right edge, nothing else.
        keys = app.query_one("#footer", KeyBar).shown_keys()
        expected = render_keys(keys, size[0]).plain
        assert footer == expected.ljust(size[0])
        assert footer.startswith(" ? Help  / Filter") and footer.endswith("^p palette")
        shown = footer.removesuffix("^p palette").split("  ")
        labels = {f"{k} {label}" for k, label in keys}
        assert all(part.strip() in labels for part in shown if part.strip())


# -- method picker ------------------------------------------------------------------------------


async def test_the_method_picker_says_which_methods_the_file_cannot_use_and_why(golden: Backlog) -> None:
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await finished(pilot, "methods")
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.kind == "method"
        labels = {key: label.plain for key, label in picker.options}
        assert "cannot use it yet: rice: needs fields reach, impact on 5 items" in labels["rice"]
        assert "cannot use it yet: ice: needs fields impact, ease on 5 items" in labels["ice"]
        assert (
            "wsjf: needs fields business_value, time_criticality, risk_reduction, job_size" in labels["wsjf"]
        )
        assert 'formula: method "formula" needs a formula' in labels["formula"]
        assert "cannot" not in labels["value_density"]
        assert picker.unpickable == {"rice", "ice", "wsjf", "formula"}
        await pilot.press("down", "down", "enter")  # the others cannot be highlighted
        assert app.session.method == "value_density" and not isinstance(app.screen, PickerScreen)


async def test_the_method_picker_offers_what_the_file_can_use(example: Backlog) -> None:
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await finished(pilot, "methods")
        picker = app.screen
        assert isinstance(picker, PickerScreen) and not picker.unpickable
        await pilot.press("down", "enter")
        assert app.session.method == "rice"


# -- no priced metric ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_the_header_says_when_the_lens_has_no_priced_metric(
    example: Backlog, size: tuple[int, int]
) -> None:
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=size, notifications=True) as pilot:
        downs = 1 + list(example.stakeholders).index("support")
        await pilot.press("l", *["down"] * downs, "enter")
        assert app.session.lens == "support"
        header = screen_lines(app)[0]
        # "lens support (Tom Eriksen)" leaves no room for the sentence even at 120 columns.
        assert header.rstrip().endswith("value_density  ·  no priced metric")
        assert ("Payments platform" in header) == (size[0] >= 120)  # at 80, the title gives way
        messages = [n.message for n in app._notifications]
        assert "None of support's metrics has a price: set value_per_unit on ticket_minutes." in messages


def test_the_no_price_sentence_is_whole_where_it_fits() -> None:
    state = HeaderState("Plan", "support", "value_density", dirty=True, no_price=NOTE, where="b.toml")
    view = "● unsaved  Plan  ·  lens support  ·  method value_density  ·  "
    assert header_text(state, 160).plain == view + NOTE + "  ·  b.toml"
    assert header_text(state, 140).plain == view + NOTE  # the file goes first
    assert header_text(state, 100).plain == view + "no priced metric  ·  b.toml"
    assert header_text(state, 80).plain == view + "no priced metric"
    longer = HeaderState("Plan", "support (Tom Eriksen)", "value_density", dirty=True, no_price=NOTE)
    # Too long with the words: the title goes, then the words and wide separators.
    assert (
        header_text(longer, 80).plain == "● unsaved  support (Tom Eriksen) · value_density · no priced metric"
    )
