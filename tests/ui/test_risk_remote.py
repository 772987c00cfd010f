"""A large backlog's risk analysis runs in a child process (``fulcrum.output.remote``): keys keep
working meanwhile, the child's progress is shown, a stale request's child is killed and its
result dropped, quitting kills the child, a child that fails is a message in plain words, and the
figures shown are the ones the app's own process makes.

``RISK_REMOTE_FROM`` is set to 0, so the bundled example goes to a child too, with few samples. A
child that must still be running while keys are pressed is one that never answers (it waits for
more input than the request), so nothing here depends on how fast anything runs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, TabbedContent

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.output import remote
from fulcrum.output.remote import RiskRequest, answer
from fulcrum.risk import analyse, percent
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.widgets import risk_view
from fulcrum.ui.widgets.explain_pane import ExplainPane
from fulcrum.ui.widgets.risk_view import RiskView
from pilot_waits import BOUND, FAILS, NEVER_ANSWERS, Spawned, finished, until

SIZE = (80, 24)
# Half way, then nothing more until killed.
HALF_WAY = (
    "-c",
    "import sys; o = sys.stdout.buffer; o.write(b'%' + (5).to_bytes(8, 'big') + (10).to_bytes(8, 'big'));"
    " o.flush(); sys.stdin.buffer.read()",
)
REAL_CHILD = remote.CHILD


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spawned]:
    monkeypatch.setattr(remote, "RISK_REMOTE_FROM", 0)
    monkeypatch.setattr(risk_view, "SAMPLES", 300)  # what the view asks the child for
    monkeypatch.setattr(risk_view, "PLAN_SAMPLES", 12)
    spawn = Spawned()
    monkeypatch.setattr(subprocess, "Popen", spawn)
    yield spawn
    spawn.end_all()


@pytest.fixture
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


def summary(app: FulcrumApp) -> str:
    return str(app.query_one("#risk-summary").render())


def in_process(app: FulcrumApp) -> Any:
    """The picture the app's own process makes of what the Risk tab shows."""
    s = app.session
    request = RiskRequest(
        s.shown, s.lens, app.today(), risk_view.SHOWN_ITEMS, risk_view.SHOWN_QUESTIONS, 300, 12, 0, 5
    )
    return answer(request)


async def test_keys_work_while_a_child_computes_and_quitting_kills_it(
    example: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", NEVER_ANSWERS)
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await until(pilot, spawned.started[0])
        view = app.query_one(RiskView)
        assert view.computing and summary(app).startswith("computing…")
        first = app.cursor_id
        await pilot.press("1", "down", "down")  # acted on while the child works
        assert app.query_one(TabbedContent).active == "backlog" and app.cursor_id != first
        await pilot.press("5")
        assert view.computing and view.picture is None and summary(app).startswith("computing…")
        assert spawned.procs[0].poll() is None  # still working
    # The app has quit: the worker was cancelled and killed its child.
    assert spawned.procs[0].wait(BOUND) < 0


async def test_the_childs_progress_is_shown(
    example: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", HALF_WAY)
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await until(pilot, spawned.started[0])
        for _ in range(400):
            if " 50%" in summary(app):
                break
            await pilot.pause()
        assert summary(app).startswith("computing… ██████████░░░░░░░░░░ 50%")
        assert spawned.procs[0].poll() is None
    assert spawned.procs[0].wait(BOUND) < 0


async def test_a_stale_childs_result_is_dropped_and_the_child_killed(
    example: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", NEVER_ANSWERS)
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await until(pilot, spawned.started[0])  # the file's analysis: its child never answers
        monkeypatch.setattr(remote, "CHILD", REAL_CHILD)  # the next child is a real one
        edit = apply_form(app.session.backlog, "alert-noise", {"confidence": "0.3"})
        app._edited("alert-noise", "edited", edit)  # a newer request
        await until(pilot, spawned.started[1])
        assert spawned.procs[0].wait(BOUND) < 0  # the stale request's child is killed
        await finished(pilot, "risk")
        view = app.query_one(RiskView)
        assert not view.computing and not view.stale and view.error is None
        assert view.risk is None  # computed in the child: only the picture came back
        expected = in_process(app)
        assert expected.picture is not None and app.session.shown.item("alert-noise").confidence == 0.3
        assert view.picture == expected.picture
        assert "Finishes by day 90 in" in summary(app) and "300 samples, 12 re-solves" in summary(app)
        items = app.query_one("#risk-items", DataTable)
        assert items.row_count == len(expected.picture.items)
        assert view.questions == [(q.id, q.input) for q in expected.picture.questions]
        # The explanation pane reads the picture's ranges, from a child as from the thread.
        await pilot.press("1")
        pane = app.query_one(ExplainPane)
        text = str(pane.render_text(app.session.ranking, app.cursor_id))
        assert "Uncertainty" in text and "P(in plan)" in text and "before the last change" not in text
        here = next(it for it in expected.picture.items if it.id == app.cursor_id)
        assert f"P(in plan) {percent(here.p_in_plan)}" in text
    assert spawned.procs[1].wait(BOUND) == 0


async def test_a_failing_child_is_a_message_and_keys_still_work(
    example: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", FAILS)
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await until(pilot, spawned.started[0])
        await finished(pilot, "risk")
        view = app.query_one(RiskView)
        assert not view.computing
        assert summary(app).startswith(
            "Cannot analyse: the worker process stopped before it answered (exit code 1)"
        )
        assert "Traceback" not in summary(app)
        first = app.cursor_id
        await pilot.press("1", "down")
        assert app.cursor_id != first


async def test_the_table_shows_the_first_items_and_how_many_more(
    example: Backlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the app's own thread (a small backlog) as in a child: the picture caps the rows."""
    monkeypatch.setattr(risk_view, "SHOWN_ITEMS", 3)
    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(RiskView)
        view.compute = lambda plan, progress: analyse(plan, samples=300, plan_samples=8, progress=progress)
        await pilot.press("5")
        await finished(pilot, "risk")
        assert view.picture is not None and view.risk is not None  # the whole analysis, for the pane
        total = view.picture.items_total
        assert total == len(view.risk.items) > 3 and len(view.picture.items) == 3
        items = app.query_one("#risk-items", DataTable)
        assert items.row_count == 4
        assert str(items.get_row_at(3)[0]) == f"+{total - 3} more"
