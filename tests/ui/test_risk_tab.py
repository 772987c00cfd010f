"""The Risk tab (5): the odds, the per-item table and the Verify-first list, computed in a worker.

Keys are acted on while the (deliberately held) analysis runs; after an edit the previous figures
stay, marked stale, until the new ones arrive; a result of an older request is dropped; Enter on a
Verify-first row opens the item's form with that input focused; the explanation pane shows the
item's value range and P(in plan) once known. Nothing here sleeps for a time: the analysis blocks
on a gate the test opens.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, TabbedContent

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.plan import Plan
from fulcrum.risk import Progress, Risk, analyse
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.edit_item import EditItemScreen
from fulcrum.ui.widgets.explain_pane import ExplainPane
from fulcrum.ui.widgets.risk_view import RiskView

BOUND = 30.0


class Held:
    """An analysis (few samples) whose n-th call blocks until gate n is opened."""

    def __init__(self) -> None:
        self.opened = [threading.Event() for _ in range(6)]
        self.started = [threading.Event() for _ in range(6)]
        self.returned = [threading.Event() for _ in range(6)]
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, plan: Plan, progress: Progress) -> Risk:
        with self.lock:
            n = self.calls
            self.calls += 1
        self.started[n].set()
        self.opened[n].wait(timeout=BOUND)
        try:
            return analyse(plan, samples=300, plan_samples=8, progress=progress)
        finally:
            self.returned[n].set()


@pytest.fixture
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


async def until(pilot: Any, event: threading.Event) -> None:
    for _ in range(300):
        if event.is_set():
            return
        await pilot.pause()
    raise AssertionError("the worker never got there")


async def finished(pilot: Any) -> None:
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == "risk" and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()
    await pilot.pause()


def summary(app: FulcrumApp) -> str:
    return str(app.query_one("#risk-summary").render())


def held_app(backlog: Backlog) -> tuple[FulcrumApp, Held]:
    app = FulcrumApp(backlog, watch_interval=None)
    held = Held()
    return app, held


async def start(pilot: Any, held: Held) -> RiskView:
    view = pilot.app.query_one(RiskView)
    view.compute = held
    await pilot.press("5")
    return view


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_keys_work_while_it_computes_then_the_figures_show(
    example: Backlog, size: tuple[int, int]
) -> None:
    app, held = held_app(example)
    async with app.run_test(size=size) as pilot:
        view = await start(pilot, held)
        await until(pilot, held.started[0])
        assert view.computing and summary(app).startswith("computing…")
        await pilot.press("1", "down", "down")  # acted on while the analysis is held in its thread
        assert not held.returned[0].is_set()
        assert app.query_one(TabbedContent).active == "backlog" and app.cursor_id is not None
        await pilot.press("5")
        held.opened[0].set()
        await finished(pilot)
        assert not view.computing and view.risk is not None and not view.stale
        text = summary(app)
        assert "Finishes by day 90 in" in text and "not modelled" in text
        items = app.query_one("#risk-items", DataTable)
        assert items.row_count == len(view.risk.items)
        assert view.questions and view.questions[0] == (
            view.risk.verify_first[0].id,
            view.risk.verify_first[0].input,
        )


async def test_after_an_edit_the_old_figures_stay_marked_stale(example: Backlog) -> None:
    app, held = held_app(example)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await start(pilot, held)
        held.opened[0].set()
        await finished(pilot)
        first = view.risk
        assert first is not None
        app._edited(
            "alert-noise", "edited", apply_form(app.session.backlog, "alert-noise", {"confidence": "0.3"})
        )
        await until(pilot, held.started[1])
        assert view.risk is first and view.stale and view.computing
        assert "STALE" in summary(app) and "Finishes by day 90" in summary(app)
        held.opened[1].set()
        await finished(pilot)
        assert view.risk is not first and not view.stale
        assert "STALE" not in summary(app)
        assert view.risk.plan.ranking.backlog.item("alert-noise").confidence == 0.3


async def test_a_stale_result_is_dropped(example: Backlog) -> None:
    app, held = held_app(example)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await start(pilot, held)
        await until(pilot, held.started[0])  # the file's analysis, held
        app._edited(
            "alert-noise", "edited", apply_form(app.session.backlog, "alert-noise", {"confidence": "0.3"})
        )
        await until(pilot, held.started[1])
        held.opened[1].set()
        await finished(pilot)
        newer = view.risk
        assert newer is not None and newer.plan.ranking.backlog is app.session.shown
        held.opened[0].set()  # the older one: stops at its first progress report, posts nothing
        await until(pilot, held.returned[0])
        await finished(pilot)
        assert view.risk is newer and not view.computing


async def test_enter_on_a_question_opens_the_form_on_that_input(example: Backlog) -> None:
    app, held = held_app(example)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await start(pilot, held)
        held.opened[0].set()
        await finished(pilot)
        verify = app.query_one("#risk-verify", DataTable)
        verify.focus()
        await pilot.press("down")
        item_id, field = view.questions[1]
        assert item_id in str(app.query_one("#risk-detail").render())
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditItemScreen) and form.item is not None and form.item.id == item_id
        assert form.focused is form.fields[field]
        assert app.cursor_id == item_id
        await pilot.press("escape")


async def test_the_explanation_pane_shows_the_range_once_known(example: Backlog) -> None:
    app, held = held_app(example)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.query_one(ExplainPane)
        assert "Uncertainty" not in str(pane.render_text(app.session.ranking, app.cursor_id))
        await start(pilot, held)
        held.opened[0].set()
        await finished(pilot)
        await pilot.press("1")
        text = str(pane.render_text(app.session.ranking, app.cursor_id))
        assert "Uncertainty" in text and "P(in plan)" in text and "value P10-P90" in text
        assert "before the last change" not in text
        app._edited(
            "alert-noise", "edited", apply_form(app.session.backlog, "alert-noise", {"confidence": "0.3"})
        )
        text = str(pane.render_text(app.session.ranking, app.cursor_id))
        assert "(from before the last change)" in text
