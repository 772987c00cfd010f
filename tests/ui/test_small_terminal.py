"""The app in an 80x24 terminal: what matters stays in view and every dialog stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.ui.actions import bindings
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.choice import ChoiceScreen
from fulcrum.ui.screens.edit_item import EditItemScreen
from fulcrum.ui.screens.help import HelpScreen
from fulcrum.ui.widgets.backlog_table import BacklogTable, layout
from fulcrum.ui.widgets.header import HeaderLine
from fulcrum.ui.widgets.review_view import ReviewView

SMALL = (80, 24)


@pytest.fixture
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


def test_layout_drops_columns_the_pane_repeats_and_never_overflows() -> None:
    assert [k for k, _ in layout(118)] == list(range(10))  # every column at 120 columns
    for width in range(60, 130):
        cols = layout(width)
        assert sum(w + 2 for _, w in cols) + 1 <= width
    # 78 cells (80 less the scrollbar): requested by and quadrant go, score and feasibility stay.
    assert [i for i, _ in layout(78)] == [0, 1, 2, 3, 5, 6, 7, 8]


async def test_the_table_header_and_footer_at_80x24(example: Backlog) -> None:
    long = example.model_copy(
        update={"backlog": example.backlog.model_copy(update={"title": "A very long backlog title " * 3})}
    )
    app = FulcrumApp(long, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        table = app.query_one(BacklogTable)
        assert table.shown_columns == [
            "rank",
            "move",
            "id",
            "title",
            "value",
            "effort",
            "feasibility",
            "score",
        ]
        assert not table.scrollbars_enabled[1]  # fitted: no horizontal scrollbar hiding the last row
        heading = table.render_line(0).text
        assert "Score" in heading and "Feas." in heading and "Requested" not in heading
        await pilot.press("l", "down", "down", "enter")  # cpo: a long lens name
        header = str(app.query_one(HeaderLine).render())
        assert header.rstrip().endswith("method value_density")  # the title was cut, not the method
        assert "A very long" in header and "…" in header


async def test_help_wraps_and_scrolls_at_80x24(example: Backlog) -> None:
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        keys, what = table.columns.values()
        assert table.region.right <= 80 and table.region.bottom <= 24  # inside the screen
        assert keys.width + what.width + 6 <= table.size.width
        assert any(row.height > 1 for row in table.rows.values())  # long descriptions wrap
        await pilot.press(*["pagedown"] * 4)
        await pilot.wait_for_scheduled_animations()
        assert table.cursor_row == table.row_count - 1
        assert table.max_scroll_y > 0 and table.scroll_y == table.max_scroll_y  # the last row is reachable


async def test_edit_form_and_review_fit_80x24(example: Backlog) -> None:
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditItemScreen)
        assert form.has_class("-narrow") and form.has_class("-short")
        for key in ("evidence.effort", "evidence.revenue"):
            field = form.fields[key]
            assert isinstance(field, Input)
            assert field.size.width >= 20  # room to read what was typed
        await pilot.press("escape")
        await pilot.press("4")
        await pilot.pause()
        review = app.query_one(ReviewView)
        warning = list(review.columns.values())[2]
        assert warning.width >= 36


async def test_dialog_arrows_do_not_lose_quick_presses(example: Backlog) -> None:
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=SMALL) as pilot:
        app._edited("alert-noise", "edited", apply_form(example, "alert-noise", {"owner": "someone else"}))
        await pilot.press("q")
        screen = app.screen
        assert isinstance(screen, ChoiceScreen)
        # Two presses handled before any refresh (typed quickly): both count.
        screen.action_move_button(-1)
        screen.action_move_button(-1)
        assert app.focused is not None and app.focused.id == "choice-save"
        assert isinstance(screen.query_one(".dialog-message"), Static)


def test_help_is_the_first_footer_key() -> None:
    shown = [b for b in bindings() if b.show]
    assert shown[0].action == "help"
    assert "redo" not in [b.action for b in shown]  # paired with undo in the help
