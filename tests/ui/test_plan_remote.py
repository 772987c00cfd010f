"""A large backlog is planned and exported in a child process (``fulcrum.output.remote``): keys
keep working meanwhile, a stale request's child is killed and its result dropped, quitting kills
the child, a child that fails is a message in plain words, and the exported file and the plan
shown are the ones the app's own process makes.

``REMOTE_FROM`` is set to 0, so the small golden backlog goes to a child too. A child that must
still be running while keys are pressed is one that never answers (it waits for more input than
the request), so nothing here depends on how fast anything runs.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TabbedContent

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.output import remote, render_markdown
from fulcrum.plan import plan_for_view
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.widgets import plan_view
from fulcrum.ui.widgets.plan_view import PlanView
from pilot_waits import BOUND, FAILS, NEVER_ANSWERS, Spawned, finished, until

SIZE = (80, 24)
REAL_CHILD = remote.CHILD


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spawned]:
    monkeypatch.setattr(remote, "REMOTE_FROM", 0)
    spawn = Spawned()
    monkeypatch.setattr(subprocess, "Popen", spawn)
    yield spawn
    spawn.end_all()


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


def summary(app: FulcrumApp) -> str:
    return str(app.query_one("#plan-summary").render())


def in_process(app: FulcrumApp) -> Any:
    """The picture the app's own process makes of what the Plan tab shows."""
    s = app.session
    return plan_for_view(s.shown, s.lens, app.today(), plan_view.MAX_LATER)[1].picture


async def test_keys_work_while_a_child_solves_and_quitting_kills_it(
    golden: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", NEVER_ANSWERS)
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, spawned.started[0])
        assert summary(app).startswith("solving…")
        await pilot.press("1", "down")  # acted on while the child works
        assert app.query_one(TabbedContent).active == "backlog" and app.cursor_id == "c"
        await pilot.press("3")
        view = app.query_one(PlanView)
        assert view.solving and summary(app).startswith("solving…") and view.picture is None
        assert spawned.procs[0].poll() is None  # still working
    # The app has quit: the worker was cancelled and killed its child.
    assert spawned.procs[0].wait(BOUND) < 0


async def test_a_stale_childs_result_is_dropped_and_the_child_killed(
    golden: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", NEVER_ANSWERS)
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, spawned.started[0])  # the plan of the file: its child never answers
        monkeypatch.setattr(remote, "CHILD", REAL_CHILD)  # the next child is a real one
        app.query_one(PlanView).post_message(PlanView.PinRequested("b", 60))  # a newer request
        await until(pilot, spawned.started[1])
        assert app.session.shown.item("b").phase == 60
        assert spawned.procs[0].wait(BOUND) < 0  # the stale request's child is killed
        await finished(pilot, "plan")
        view = app.query_one(PlanView)
        assert not view.solving and view.plan is None  # built in the child
        assert view.picture is not None and view.picture == in_process(app)
        pinned = [o for o in app.query_one("#list-60", plan_view.ItemList).options if o.id == "b"]
        assert len(pinned) == 1 and "pinned 60" in str(pinned[0].prompt)
        assert summary(app).startswith("First-year value")
    assert spawned.procs[1].wait(BOUND) == 0


async def test_a_failing_child_is_a_message_and_keys_still_work(
    golden: Backlog, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", FAILS)
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, spawned.started[0])
        await finished(pilot, "plan")
        assert summary(app) == "Cannot plan: the worker process stopped before it answered (exit code 1)"
        assert not app.query_one(PlanView).solving
        await pilot.press("1", "down")
        assert app.cursor_id == "c"


def open_app(golden_toml: Path, tmp_path: Path) -> FulcrumApp:
    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    backlog, snapshot = read_snapshot(path)
    return FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)


async def export_to(pilot: Any, target: Path) -> None:
    await pilot.press("x")
    prompt = pilot.app.screen
    assert isinstance(prompt, PromptScreen)
    prompt.query_one(Input).value = str(target)
    await pilot.press("enter")
    await finished(pilot, "export")


async def test_an_export_in_a_child_writes_the_same_file(
    golden_toml: Path, tmp_path: Path, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(golden_toml, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # through a stakeholder's eyes: the export follows what is shown
        await pilot.press("down", "enter")
        lens = app.session.lens
        assert lens != "everyone"
        await export_to(pilot, tmp_path / "child.md")
        assert len(spawned.procs) == 1 and spawned.procs[0].wait(BOUND) == 0
        monkeypatch.setattr(remote, "REMOTE_FROM", 10**9)  # now in the app's own thread
        await export_to(pilot, tmp_path / "here.md")
        assert len(spawned.procs) == 1
        messages = [n.message for n in app._notifications]
        assert f"Exported the plan to {tmp_path / 'child.md'}" in messages
    child = (tmp_path / "child.md").read_bytes()
    assert child == (tmp_path / "here.md").read_bytes()
    assert child == render_markdown(app.session.shown, lens).encode("utf-8")


async def test_a_failing_export_child_is_a_message(
    golden_toml: Path, tmp_path: Path, spawned: Spawned, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "CHILD", FAILS)
    app = open_app(golden_toml, tmp_path)
    target = tmp_path / "plan.md"
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, target)
        assert [n.message for n in app._notifications][-1] == (
            "cannot export: the worker process stopped before it answered (exit code 1)"
        )
        assert "exporting…" not in str(app.query_one("#header").render())
    assert not target.exists()
