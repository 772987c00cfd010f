"""Pilot tests of the triage app (120x40): one per action, keys pressed and state asserted."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, TabbedContent
from textual.widgets._toast import Toast

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.ui.actions import ACTIONS, key_display
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.choice import ChoiceScreen
from fulcrum.ui.screens.decide import DecideScreen
from fulcrum.ui.screens.edit_item import EditItemScreen
from fulcrum.ui.screens.help import HelpScreen
from fulcrum.ui.screens.picker import PickerScreen
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.widgets.backlog_table import BacklogTable
from fulcrum.ui.widgets.explain_pane import ExplainPane
from fulcrum.ui.widgets.filter_input import FilterInput
from fulcrum.ui.widgets.header import HeaderLine
from fulcrum.ui.widgets.matrix import MatrixView
from fulcrum.ui.widgets.plan_view import PlanView
from fulcrum.ui.widgets.review_view import ReviewView

SIZE = (120, 40)


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


TODAY = date(2026, 12, 9)


def make_app(backlog: Backlog) -> FulcrumApp:
    return FulcrumApp(backlog, watch_interval=None, today=TODAY)


def row_ids(app: FulcrumApp) -> list[str]:
    return app.table.row_keys


def plain(widget) -> str:
    """The text a Static-like widget shows."""
    return str(widget.render())


def screen_text(app: FulcrumApp) -> str:
    """What is on the screen, as plain text."""
    return html.unescape(app.export_screenshot()).replace("\xa0", " ")


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def goto(pilot, app: FulcrumApp, item_id: str) -> None:
    """Move the highlight to an item with the arrow keys."""
    await pilot.press("home")
    for _ in range(app.table.row_count):
        if app.cursor_id == item_id:
            return
        await pilot.press("down")
    assert app.cursor_id == item_id


async def test_first_paint(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row_ids(app) == ["a", "c", "d", "g", "b"]
        assert app.cursor_id == "a"
        assert "Golden example" in plain(app.query_one(HeaderLine))
        pane = app.query_one(ExplainPane).render_text(app.session.ranking, "a").plain
        assert pane.startswith("a: Cheap cloud saving")
        assert "Cheap cloud saving" in screen_text(app)


async def test_edit_an_estimate_moves_the_item_and_keeps_the_cursor(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "b")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditItemScreen)
        effort = form.fields["effort"]
        assert isinstance(effort, Input) and effort.value == "2 / 4 / 12"
        effort.value = ""
        effort.focus()
        await type_text(pilot, "0.5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EditItemScreen)
        assert app.session.backlog.item("b").effort.expected == 0.5
        assert row_ids(app) == ["a", "b", "c", "d", "g"]
        assert app.cursor_id == "b" and app.table.cursor_row == 1
        assert app.table.cell("b", "move").plain == "▲3"
        assert app.table.cell("c", "move").plain == "▼1"
        assert plain(app.query_one(HeaderLine)).startswith("●")
        assert "0.5" in app.query_one(ExplainPane).render_text(app.session.ranking, "b").plain


async def test_invalid_edit_is_refused_inline_with_checks_words(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditItemScreen)
        conf = form.fields["confidence"]
        conf.value = ""
        conf.focus()
        await type_text(pilot, "[/bad]")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        error = form.errors["confidence"]
        assert error.display
        assert plain(error).startswith("expected a number, got the string '[/bad]'")
        await pilot.press("escape")
        assert not app.session.dirty
        assert app.session.backlog is golden


async def test_new_item(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, EditItemScreen)
        await type_text(pilot, "a")  # the id field has the focus; "a" is taken
        form.fields["title"].value = "Quick thing"
        form.fields["effort"].value = "0.25"
        form.fields["impact.revenue"].value = "50000"
        form.fields["confidence"].value = "1"  # blank is refused, never taken as 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert plain(form.errors["id"]) == "duplicate id 'a': the 1st [[items]] has it already"
        form.fields["id"].value = "quick"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.backlog.items[-1].id == "quick"
        assert app.cursor_id == "quick"
        assert row_ids(app)[0] == "quick"  # 50k / 0.25 wk beats everything
        assert app.table.cell("quick", "move").plain == "new"


async def test_undo_and_redo(golden: Backlog) -> None:
    app = make_app(golden)
    edited = apply_form(golden, "b", {"effort": "0.5"})
    async with app.run_test(size=SIZE) as pilot:
        app._edited("b", "edited", edited)
        await pilot.pause()
        assert row_ids(app)[1] == "b"
        await pilot.press("u")
        assert app.session.backlog is golden
        assert row_ids(app)[4] == "b"
        assert not app.session.dirty
        await pilot.press("ctrl+r")
        assert app.session.backlog is edited
        await pilot.press("ctrl+z")
        assert app.session.backlog is golden
        await pilot.press("ctrl+y")
        assert app.session.backlog is edited
        assert app.cursor_id == "b"  # the cursor follows the item worked on as it moves
        assert app.table.cursor_row == 1


async def test_decide_with_a_reason(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "d")
        await pilot.press("d")
        assert isinstance(app.screen, DecideScreen)
        await type_text(pilot, "Too big for now [TODO] Q3")
        await pilot.press("enter", "tab", "tab", "enter")  # Enter -> Plan; Tab Tab -> Drop
        await pilot.pause()
        item = app.session.backlog.item("d")
        assert (item.status, item.decision) == ("dropped", "2026-12-09: Too big for now [TODO] Q3")
        assert "d" not in row_ids(app)  # dropped: no longer ranked, hidden with the closed items
        assert app.cursor_id == "g"  # the next item took its place
        await pilot.press("c")
        assert row_ids(app)[-3:] == ["d", "e", "f"]  # closed items, in file order


async def test_decide_refuses_an_empty_reason(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DecideScreen)
        await pilot.press("enter", "enter")  # Plan with no reason
        await pilot.pause()
        assert app.screen is screen
        assert "reason is required" in plain(screen.query_one("#reason-error"))
        await type_text(pilot, "CFO wants it")
        await pilot.press("enter", "tab", "enter")  # Defer
        await pilot.pause()
        item = app.session.backlog.item("a")
        assert (item.status, item.decision) == ("deferred", "2026-12-09: CFO wants it")


async def test_quit_with_unsaved_edits_asks(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        app._edited("a", "edited", apply_form(golden, "a", {"owner": "me"}))
        await pilot.press("q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # cancel
        assert not isinstance(app.screen, ChoiceScreen)
        assert app.is_running
        await pilot.press("q")
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not app.is_running


async def test_arrows_in_dialogs_stop_at_the_ends(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        app._edited("a", "edited", apply_form(golden, "a", {"owner": "me"}))
        await pilot.press("q")

        def focused() -> str | None:
            return app.focused.id if app.focused is not None else None

        assert focused() == "choice-cancel"
        await pilot.press("right")
        assert focused() == "choice-cancel"  # no wrap-around to "Save and quit"
        await pilot.press("left", "left", "left", "left")
        assert focused() == "choice-save"
        await pilot.press("escape")
        await pilot.press("d")
        assert isinstance(app.screen, DecideScreen)
        await type_text(pilot, "why")
        await pilot.press("enter")  # to the buttons, on Plan
        assert focused() == "verdict-plan"
        await pilot.press("left")
        assert focused() == "verdict-plan"
        await pilot.press("right", "right", "right", "right")
        assert focused() == "verdict-cancel"  # not around to the reason or Plan


async def test_quit_without_edits_exits_at_once(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_filter_as_you_type_and_escape_clears(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, FilterInput)
        await type_text(pilot, "pm")
        assert row_ids(app) == ["c", "b"]
        await type_text(pilot, " grow")
        assert row_ids(app) == ["b"]
        assert app.cursor_id == "b"
        await pilot.press("escape")
        assert row_ids(app) == ["a", "c", "d", "g", "b"]
        assert app.focused is app.table
        assert app.cursor_id == "b"  # still on the item found


async def test_the_filter_stays_readable_on_the_status_line_at_80_columns(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "a much longer filter text")
        await pilot.press("enter")
        await pilot.pause()
        line = app.query_one("#status-line")
        shown = "".join(s.text for s in line.render_line(0)).strip()  # what fits the terminal
        assert shown.startswith("filter: a much longer filter text · 0 of 5 ranked shown"), shown


async def test_sort_picker_and_header_click(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "down", "down", "enter")  # rank, moved, id
        assert app.order.column == "id"
        assert row_ids(app) == ["a", "b", "c", "d", "g"]
        x = app.table.column_x("value") + 2
        await pilot.click(BacklogTable, offset=(x, 0))  # the Value/yr header
        assert app.order.column == "value" and app.order.descending
        assert row_ids(app) == ["d", "c", "a", "b", "g"]
        await pilot.click(BacklogTable, offset=(x, 0))
        assert not app.order.descending
        assert row_ids(app) == ["g", "b", "a", "c", "d"]


async def test_lens_picker(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("down", "down", "enter")  # everyone, cfo, pm
        assert app.session.lens == "pm"
        assert row_ids(app) == ["c", "b", "g", "a", "d"]
        assert app.table.cell("b", "move").plain == "▲3"
        assert "lens pm (P)" in plain(app.query_one(HeaderLine))
        assert not app.session.dirty


async def test_method_picker_and_a_method_that_cannot_score(golden: Backlog) -> None:
    with_fields = golden
    for item_id, ease in (("a", 1), ("b", 9), ("c", 5), ("d", 3), ("g", 2)):
        with_fields = apply_form(with_fields, item_id, {"fields": f"impact=2, ease={ease}"})
    app = make_app(with_fields)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        while any(w.group == "methods" and not w.is_finished for w in app.workers):
            await app.workers.wait_for_complete()
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        rice = dict(picker.options)["rice"].plain
        assert "rice: needs fields reach on 5 items" in rice  # which nobody has
        await pilot.press("down", "enter")  # rice cannot be highlighted: ice = impact * confidence * ease
        assert app.session.method == "ice"
        assert row_ids(app) == ["b", "c", "d", "g", "a"]  # 2*0.5*9=9, 2*0.8*5=8, 4.2, 4, 1.8
        assert "method ice" in plain(app.query_one(HeaderLine))


async def test_help_lists_every_binding(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        keys = " ".join(str(table.get_row_at(i)[0]) for i in range(table.row_count))
        for binding in app.BINDINGS:
            assert key_display(binding.key) in keys.split(" / ") or key_display(binding.key) in keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_every_action_is_in_the_command_palette(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {a.label for a in ACTIONS} <= titles
        await pilot.press("ctrl+p")
        await type_text(pilot, "Closed")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.show_closed


async def test_closed_items_toggle_and_tab_keys(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert row_ids(app)[-2:] == ["e", "f"]
        tabs = app.query_one(TabbedContent)
        for key, tab in (("2", "matrix"), ("3", "plan"), ("4", "review"), ("1", "backlog")):
            await pilot.press(key)
            await pilot.pause()
            assert tabs.active == tab
        assert app.focused is app.table


async def test_review_tab_jumps_to_the_item(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        review = app.query_one(ReviewView)
        assert review.item_ids == ["c", "d", "g"]
        review.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.query_one(TabbedContent).active == "backlog"
        assert app.cursor_id == "d"
        assert app.focused is app.table


async def test_export_writes_markdown(golden: Backlog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        assert prompt.query_one(Input).value == str(tmp_path / "plan.md")
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the export runs in a worker thread
        await pilot.pause()
        text = (tmp_path / "plan.md").read_text()
        assert text.startswith("#") and "Golden example" in text
        assert any(str(tmp_path / "plan.md") in n.message for n in app._notifications)


HOSTILE = ("[/bad] x", "[@click=app.quit]quit[/]", "[TODO] Q3")


async def test_hostile_text_is_shown_literally_everywhere(golden: Backlog) -> None:
    b = golden
    for item_id, title in zip("acd", HOSTILE, strict=False):
        b = apply_form(b, item_id, {"title": title})
    meta = b.backlog.model_copy(update={"title": "[b]Plan[/b] [@click=app.quit]x[/]"})
    metric = b.metrics["revenue"].model_copy(update={"label": "[red]Rev[/red]"})
    b = b.model_copy(update={"backlog": meta, "metrics": {**b.metrics, "revenue": metric}})
    app = make_app(b)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for title in HOSTILE:
            assert title in text
        assert "[b]Plan[/b] [@click=app.quit]x[/]" in plain(app.query_one(HeaderLine))
        pane = app.query_one(ExplainPane).render_text(app.session.ranking, "a").plain
        assert "[/bad] x" in pane
        await goto(pilot, app, "c")
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditItemScreen)
        assert form.fields["title"].value == "[@click=app.quit]quit[/]"
        assert "[red]Rev[/red]" in screen_text(app)
        await pilot.press("escape", "d")
        await type_text(pilot, "[/x] [@click=app.quit]q[/]")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert app.session.backlog.item("c").decision == "2026-12-09: [/x] [@click=app.quit]q[/]"
        assert (
            "[/x] [@click=app.quit]q[/]"
            in app.query_one(ExplainPane).render_text(app.session.ranking, "c").plain
        )
        await pilot.press("4")
        review = app.query_one(ReviewView)
        assert "c" in review.item_ids
        # Review messages name items and fields by key (slugs cannot hold markup); it renders:
        assert "evidence" in screen_text(app)
        app.notify("[/bad] x", markup=False)
        await pilot.pause()
        await pilot.pause()
        assert any("[/bad] x" in str(t.render()) for t in app.screen.query(Toast))
        await pilot.pause()
        assert app.is_running


async def test_plan_pin_is_an_undoable_edit_and_matrix_selects(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(PlanView).post_message(PlanView.PinRequested("b", 60))
        await pilot.pause()
        assert app.session.backlog.item("b").phase == 60
        assert app.session.dirty
        await pilot.press("u")
        assert app.session.backlog.item("b").phase is None
        app.query_one(MatrixView).post_message(MatrixView.Selected("d"))
        await pilot.pause()
        assert app.cursor_id == "d" and app.table.highlighted_id == "d"


async def test_enter_keeps_the_filter_and_escape_on_the_table_clears_it(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "[/bad]")  # markup-like text is just text to match
        assert row_ids(app) == []
        await pilot.press(*["backspace"] * 6)
        await type_text(pilot, "big")
        await pilot.press("enter")
        assert row_ids(app) == ["d"]
        assert app.focused is app.table
        await pilot.press("escape")
        assert row_ids(app) == ["a", "c", "d", "g", "b"]
        assert app.cursor_id == "d"


async def test_closed_items_are_explained_as_not_ranked(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "end")
        assert app.cursor_id == "f"
        pane = app.query_one(ExplainPane).render_text(app.session.ranking, "f").plain
        assert "Not ranked: it was dropped (Not worth it.)" in pane


async def test_a_method_the_file_cannot_use_falls_back_with_a_warning(golden: Backlog) -> None:
    rice = golden.model_copy(update={"scoring": golden.scoring.model_copy(update={"method": "rice"})})
    app = make_app(rice)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.method == "value_density"
        assert any("Cannot score with rice" in n.message for n in app._notifications)
        assert row_ids(app) == ["a", "c", "d", "g", "b"]


async def test_the_form_is_reused_and_refilled_for_each_item(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditItemScreen)
        form.fields["confidence"].value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form.errors["confidence"].display
        await pilot.press("escape")
        await goto(pilot, app, "b")
        await pilot.press("e")
        assert app.screen is form
        assert form.fields["effort"].value == "2 / 4 / 12"
        assert form.fields["confidence"].value == "0.5"
        assert not form.errors["confidence"].display  # the last item's problems are gone
        assert not form.rows["id"].display
        assert app.focused is form.fields["title"]
        await pilot.press("escape", "n")
        assert app.screen is form
        assert form.rows["id"].display and form.fields["title"].value == ""
        assert app.focused is form.fields["id"]


async def test_every_notification_is_terminal_safe(golden: Backlog) -> None:
    """A path or a name in a notification (the app's or a widget's) never reaches the terminal with
    its control or invisible characters: they are shown as escapes."""
    from fulcrum.ui.widgets.matrix import MatrixView

    app = make_app(golden)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.notify("Exported the plan to /tmp/\u202eevil\x1b[2J.md", title="T\u200bitle", markup=False)
        app.query_one(MatrixView).notify("No big bets\u2066 on the chart.", markup=False)
        await pilot.pause()
        shown = [(n.message, n.title) for n in app._notifications][-2:]
    assert shown == [
        ("Exported the plan to /tmp/\\u202eevil\\u001b[2J.md", "T\\u200bitle"),
        ("No big bets\\u2066 on the chart.", ""),
    ]
