"""The edit form and `d` with format v1.1: team, excludes, done_on, actual_effort; Done records the
date and the actual effort; the targeted save writes exactly those keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from backlogs import HEAD, item
from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.save.backlog_file import render_edits
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import FormError, apply_form, decide, form_values
from fulcrum.ui.screens.decide import DecideScreen
from fulcrum.ui.screens.edit_item import EditItemScreen

TODAY = date(2026, 12, 9)
TEAMS = '\n[teams.payments]\nname = "Payments"\ncapacity = { days_30 = 4 }\n'
TEXT = HEAD + TEAMS + item("a", "impact = { revenue = 1000 }") + item("b", "impact = { revenue = 500 }")


@pytest.fixture
def backlog() -> Backlog:
    return parse_backlog(TEXT)


def test_the_form_edits_team_excludes_done_on_and_actual_effort(backlog: Backlog) -> None:
    values = {"team": "payments", "excludes": "b", "done_on": "2026-12-08", "actual_effort": "1.5"}
    edited = apply_form(backlog, "a", values)
    a = edited.item("a")
    assert (a.team, a.excludes, a.done_on, a.actual_effort) == ("payments", ["b"], date(2026, 12, 8), 1.5)
    assert {k: form_values(a)[k] for k in values} == values
    out = render_edits(TEXT, backlog, edited)
    added = [ln for ln in out.splitlines() if ln not in TEXT.splitlines()]
    assert added == ['excludes = ["b"]', 'team = "payments"', "done_on = 2026-12-08", "actual_effort = 1.5"]
    assert parse_backlog(out) == edited
    # Blank clears each (no silent value): back to the original file, byte for byte.
    cleared = apply_form(edited, "a", dict.fromkeys(values, ""))
    assert cleared.item("a") == backlog.item("a")
    assert render_edits(out, edited, cleared) == TEXT


@pytest.mark.parametrize(
    ("values", "row", "words"),
    [
        ({"team": "paymnts"}, "team", "unknown team 'paymnts'; did you mean 'payments'?"),
        ({"excludes": "a"}, "excludes", "an item cannot exclude itself"),
        ({"done_on": "yesterday"}, "done_on", "'yesterday' is not a date"),
        ({"actual_effort": "-2"}, "actual_effort", "actual_effort is -2; it must be at least 0"),
    ],
)
def test_bad_v11_values_are_refused_under_their_row(
    backlog: Backlog, values: dict[str, str], row: str, words: str
) -> None:
    with pytest.raises(FormError) as err:
        apply_form(backlog, "a", values)
    assert any(words in m for m in err.value.problems[row])


def test_done_sets_done_on_today_and_the_actual_effort(backlog: Backlog) -> None:
    a = decide(backlog, "a", "done", "", today=TODAY, actual_effort="2.5").item("a")
    assert (a.status, a.done_on, a.actual_effort, a.decision) == ("done", TODAY, 2.5, "")
    b = decide(backlog, "b", "done", "shipped early", today=TODAY).item("b")
    assert (b.status, b.actual_effort, b.decision) == ("done", None, "2026-12-09: shipped early")
    with pytest.raises(FormError) as err:
        decide(backlog, "a", "done", "", today=TODAY, actual_effort="lots")
    assert list(err.value.problems) == ["actual_effort"]
    with pytest.raises(FormError):
        decide(backlog, "a", "drop", "", today=TODAY)  # the others still need a reason


async def goto(pilot: Any, app: FulcrumApp, item_id: str) -> None:
    await pilot.press("home")
    while app.cursor_id != item_id:
        await pilot.press("down")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_d_then_done_asks_for_the_actual_effort(backlog: Backlog, type_fast, size) -> None:
    app = FulcrumApp(backlog, watch_interval=None, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await goto(pilot, app, "a")
        await pilot.press("d")
        assert isinstance(app.screen, DecideScreen)
        await type_fast(pilot, "tab", *"1.5", "enter")  # past the reason, the effort, Enter: on Done
        assert app.focused is not None and app.focused.id == "verdict-done"
        await pilot.press("enter")
        a = app.session.backlog.item("a")
        assert (a.status, a.done_on, a.actual_effort) == ("done", TODAY, 1.5)
        assert app.session.ranking.get("a") is None  # done: no longer ranked
        await pilot.press("u")
        assert app.session.backlog.item("a").status == "idea"


async def test_the_form_has_the_team_row_with_the_teams_as_hint(backlog: Backlog, type_fast) -> None:
    app = FulcrumApp(backlog, watch_interval=None, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto(pilot, app, "b")
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, EditItemScreen)
        team = screen.fields["team"]
        assert getattr(team, "placeholder", "") == "payments (blank: yours)"
        screen.set_focus(team)
        await type_fast(pilot, *"payments", "ctrl+s")
        assert app.session.backlog.item("b").team == "payments"
