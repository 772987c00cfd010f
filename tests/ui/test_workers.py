"""No freeze: the plan solve and the Markdown export run in thread workers. Keys are acted on while
a (deliberately held) solve or export runs, and a result of an older request is dropped.

The slow work is replaced by a gated version that blocks its thread until the test opens its gate
(bounded, so a broken app fails instead of hanging); nothing here sleeps for a time."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TabbedContent

import fulcrum.output
from fulcrum.backlog import Backlog, load_backlog
from fulcrum.plan import Plan
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.widgets import plan_view, review_view
from fulcrum.ui.widgets.plan_view import ItemList, PlanView
from fulcrum.ui.widgets.review_view import ReviewView
from pilot_waits import finished, until

SIZE = (120, 40)
BOUND = 30.0  # seconds a gate waits at most


class Gates:
    """Each call of the wrapped function blocks until its gate (by call number) is opened."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.opened: list[threading.Event] = [threading.Event() for _ in range(8)]
        self.started: list[threading.Event] = [threading.Event() for _ in range(8)]
        self.returned: list[threading.Event] = [threading.Event() for _ in range(8)]
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            n = self.calls
            self.calls += 1
        self.started[n].set()
        self.opened[n].wait(timeout=BOUND)
        try:
            return self.real(*args, **kwargs)
        finally:
            self.returned[n].set()

    def open_all(self) -> None:
        for gate in self.opened:
            gate.set()


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


@pytest.fixture
def held_plan(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gates]:
    gates = Gates(plan_view.build_plan)
    monkeypatch.setattr(plan_view, "build_plan", gates)
    yield gates
    gates.open_all()


@pytest.fixture
def held_review(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gates]:
    gates = Gates(review_view.review)
    monkeypatch.setattr(review_view, "review", gates)
    yield gates
    gates.open_all()


@pytest.fixture
def held_export(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gates]:
    gates = Gates(fulcrum.output.render_markdown)
    monkeypatch.setattr(fulcrum.output, "render_markdown", gates)
    yield gates
    gates.open_all()


def summary(app: FulcrumApp) -> str:
    return str(app.query_one("#plan-summary").render())


def shown_backlog(app: FulcrumApp) -> Backlog:
    plan = app.query_one(PlanView).plan
    assert isinstance(plan, Plan)
    return plan.ranking.backlog


async def test_keys_are_acted_on_while_the_plan_solves(golden: Backlog, held_plan: Gates) -> None:
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, held_plan.started[0])
        await pilot.press("1", "down")  # acted on while the solve is held in its thread
        assert not held_plan.returned[0].is_set()
        assert app.query_one(TabbedContent).active == "backlog" and app.cursor_id == "c"
        await pilot.press("3")
        assert app.query_one(PlanView).solving and summary(app).startswith("solving…")
        await pilot.press("1", "c", "u", "3")  # closed items shown: a new backlog view, same plan
        assert not held_plan.returned[0].is_set()
        assert app.show_closed and app.query_one(PlanView).solving
        held_plan.opened[0].set()
        await finished(pilot, "plan")
        view = app.query_one(PlanView)
        assert not view.solving and view.plan is not None
        assert summary(app).startswith("First-year value")


async def test_a_stale_plan_is_dropped(golden: Backlog, held_plan: Gates) -> None:
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, held_plan.started[0])  # the plan of the file, held
        app.query_one(PlanView).post_message(PlanView.PinRequested("b", 60))  # a pin: a newer request
        await until(pilot, held_plan.started[1])
        pinned = app.session.shown
        assert pinned.item("b").phase == 60 and not held_plan.returned[0].is_set()
        held_plan.opened[1].set()  # the newer plan comes first ...
        await until(pilot, held_plan.returned[1])
        await finished(pilot, "plan")
        assert shown_backlog(app) is pinned
        held_plan.opened[0].set()  # ... then the older one: dropped
        await until(pilot, held_plan.returned[0])
        await finished(pilot, "plan")
        await pilot.pause()
        assert shown_backlog(app) is pinned and not app.query_one(PlanView).solving


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


async def test_keys_are_acted_on_while_the_export_renders(
    golden_toml: Path, tmp_path: Path, held_export: Gates
) -> None:
    app = open_app(golden_toml, tmp_path)
    target = tmp_path / "plan.md"
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, target)
        await until(pilot, held_export.started[0])
        await pilot.press("down", "2")
        assert not held_export.returned[0].is_set()
        assert app.cursor_id == "c" and app.query_one(TabbedContent).active == "matrix"
        assert "exporting…" in str(app.query_one("#header").render())
        held_export.opened[0].set()
        await finished(pilot, "export")
        assert "exporting…" not in str(app.query_one("#header").render())
        assert [n.message for n in app._notifications][-1] == f"Exported the plan to {target}"
    assert target.read_text().startswith("# ")


async def test_a_stale_export_writes_nothing(golden_toml: Path, tmp_path: Path, held_export: Gates) -> None:
    app = open_app(golden_toml, tmp_path)
    target = tmp_path / "plan.md"
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, target)
        await until(pilot, held_export.started[0])  # the plan before the edit, held
        app._edited("b", "edited", apply_form(app.session.backlog, "b", {"owner": "Ana Newer"}))
        assert not held_export.returned[0].is_set()
        await export_to(pilot, target)
        await until(pilot, held_export.started[1])
        held_export.opened[1].set()
        await until(pilot, held_export.returned[1])
        await finished(pilot, "export")
        assert "Ana Newer" in target.read_text()
        held_export.opened[0].set()  # the older export finishes last: it must not write
        await until(pilot, held_export.returned[0])
        await finished(pilot, "export")
        await pilot.pause()
        assert "Ana Newer" in target.read_text()
        exported = [n.message for n in app._notifications if n.message.startswith("Exported")]
        assert exported == [f"Exported the plan to {target}"]  # one, for the newer


async def test_keys_are_acted_on_while_the_review_runs(golden: Backlog, held_review: Gates) -> None:
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await until(pilot, held_review.started[0])
        await pilot.press("1", "down")
        assert not held_review.returned[0].is_set()
        assert app.query_one(TabbedContent).active == "backlog" and app.cursor_id == "c"
        held_review.opened[0].set()
        await finished(pilot, "review")
        assert app.query_one(ReviewView).item_ids == ["c", "d", "g"]


async def test_the_later_list_is_capped(golden: Backlog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_view, "MAX_LATER", 1)  # 200 in the app: a list of 10,000 is slow
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await finished(pilot, "plan")
        options = app.query_one("#list-later", ItemList).options
        assert [o.id for o in options] == ["c", None]
        assert str(options[1].prompt) == "… and 3 more wait (the export lists every one)"


async def test_the_export_is_as_of_the_day_the_plan_tab_shows(golden_toml: Path, tmp_path: Path) -> None:
    """`x` writes the plan the Plan tab shows: as of the app's today (`fulcrum --today`), not day 1."""
    from datetime import date, timedelta

    from fulcrum.output import render_markdown

    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    backlog, snapshot = read_snapshot(path)
    start = backlog.backlog.start or date(2026, 12, 1)
    today = start + timedelta(days=45)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None, today=today)
    target = tmp_path / "plan.md"
    async with app.run_test(size=SIZE) as pilot:
        await export_to(pilot, target)
        await finished(pilot, "export")
        shown = app.session.shown
    written = target.read_text(encoding="utf-8")
    assert written == render_markdown(shown, "everyone", today=today)
    assert written != render_markdown(shown, "everyone")  # day 1: what it wrote before
