"""Decisions (`d`): plan, defer and drop store their status and a dated reason; a deferred item
stays ranked, is never planned, and is listed with its reason under "Not doing now"."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.output import render_markdown
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.screens.decide import DecideScreen
from fulcrum.ui.widgets.plan_view import PlanView

SIZE = (120, 40)
TODAY = date(2026, 12, 9)


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


async def goto(pilot: Any, app: FulcrumApp, item_id: str) -> None:
    await pilot.press("home")
    while app.cursor_id != item_id:
        await pilot.press("down")


def planned_ids(app: FulcrumApp) -> set[str]:
    plan = app.query_one(PlanView).plan
    assert plan is not None
    return {p.id for ph in plan.phases for p in ph.items}


async def test_defer_sets_status_deferred_ranked_never_planned(golden: Backlog) -> None:
    app = FulcrumApp(golden, watch_interval=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        assert "a" in planned_ids(app)  # the best quick win, planned in days 1-30
        await pilot.press("1")
        await goto(pilot, app, "a")
        await pilot.press("d")
        assert isinstance(app.screen, DecideScreen)
        # the reason, Enter (to Plan), Tab (to Defer), Enter
        await pilot.press(*"CFO wants a cheaper option first", "enter", "tab", "enter")
        item = app.session.backlog.item("a")
        assert (item.status, item.decision) == ("deferred", "2026-12-09: CFO wants a cheaper option first")
        assert "a" in app.table.row_keys and app.session.ranking.get("a") is not None  # still ranked
        assert app.table.cell("a", "title").plain == "deferred · Cheap cloud saving"
        await pilot.press("3")
        assert "a" not in planned_ids(app)
        plan = app.query_one(PlanView).plan
        assert plan is not None
        assert [lt.reason for lt in plan.later if lt.id == "a"] == ["deferred"]
    markdown = render_markdown(app.session.shown, app.session.lens)
    not_doing = markdown[markdown.index("Not doing now") :]
    assert "2026-12-09: CFO wants a cheaper option first" in not_doing


@pytest.mark.parametrize(("button", "status"), [("plan", "planned"), ("drop", "dropped")])
async def test_plan_and_drop_carry_the_date_too(golden: Backlog, button: str, status: str) -> None:
    app = FulcrumApp(golden, watch_interval=None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "c")
        await pilot.press("d", *"pricing is next quarter's bet", "enter")  # Enter: to the Plan button
        if button == "drop":
            await pilot.press("tab", "tab")
        await pilot.press("enter")
        item = app.session.backlog.item("c")
        assert (item.status, item.decision) == (status, "2026-12-09: pricing is next quarter's bet")
