"""The listening tour of the Plan tab (t, Enter: the stakeholder's brief, w writes it; m: met today,
undoable and saved like any edit) and D, what changed since the file was loaded."""

from __future__ import annotations

import html
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Input

from backlogs import HEAD, item
from fulcrum.backlog import load_backlog
from fulcrum.output import render_brief
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.screens.text_view import TextScreen
from fulcrum.ui.widgets.tour_list import TourList

TODAY = date(2026, 12, 9)


def make_app(path: Path) -> FulcrumApp:
    backlog, snapshot = read_snapshot(path)
    return FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None, today=TODAY)


async def settle(pilot: Any) -> None:
    """Until every worker has finished (the plan solve, a brief, a diff, a write)."""
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()


def copy_golden(golden_toml: Path, tmp_path: Path) -> Path:
    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    return path


async def to_tour(pilot: Any, key: str) -> TourList:
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("t")
    tour = pilot.app.query_one(TourList)
    assert pilot.app.focused is tour
    for _ in range(tour.option_count):
        if tour.key == key:
            return tour
        await pilot.press("down")
    raise AssertionError(f"{key} not on the tour")


async def test_enter_opens_the_brief_and_w_writes_it(golden_toml: Path, tmp_path: Path) -> None:
    path = copy_golden(golden_toml, tmp_path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_tour(pilot, "pm")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TextScreen)
        expected = render_brief(load_backlog(path), "pm", today=TODAY)
        assert screen.text == expected
        await pilot.press("w")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        target = tmp_path / "note.md"
        prompt.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == expected
        assert app.screen is screen
        await pilot.press("escape")
        assert not isinstance(app.screen, TextScreen)


async def test_m_marks_met_today_undo_and_save(golden_toml: Path, tmp_path: Path) -> None:
    path = copy_golden(golden_toml, tmp_path)
    before = path.read_text(encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        tour = await to_tour(pilot, "pm")
        assert app.session.backlog.stakeholders["pm"].met is None
        await pilot.press("m")
        assert app.session.backlog.stakeholders["pm"].met == TODAY and app.session.dirty
        await settle(pilot)  # the plan is solved again: the tour says so
        assert tour.key == "pm"
        assert f"met {TODAY.isoformat()}" in str(tour.highlighted_option.prompt)  # type: ignore[union-attr]
        await pilot.press("u")
        assert app.session.backlog.stakeholders["pm"].met is None and not app.session.dirty
        await pilot.press("ctrl+r", "ctrl+s")
        await settle(pilot)
        assert not app.session.dirty
    after = path.read_text(encoding="utf-8")
    assert load_backlog(path).stakeholders["pm"].met == TODAY
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == [f"met = {TODAY.isoformat()}"]
    assert len(after.splitlines()) == len(before.splitlines()) + 1


async def test_d_shows_what_changed_since_loading(golden_toml: Path, tmp_path: Path) -> None:
    app = make_app(copy_golden(golden_toml, tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        assert app.screen.text == "No changes: every input is the same."
        await pilot.press("escape")
        await to_tour(pilot, "pm")
        await pilot.press("m", "1", "D")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TextScreen) and screen.text is not None
        assert f"stakeholders.pm.met (none) -> {TODAY.isoformat()}" in screen.text
        assert "Plan value:" in screen.text


async def test_the_brief_shows_markup_as_text(tmp_path: Path) -> None:
    name = "[@click=app.quit]Mallory[/]"
    text = HEAD.replace('name = "C"', f'name = "{name}"') + item("a", "impact = { revenue = 1000 }\n")
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_tour(pilot, "cfo")
        await pilot.press("enter")
        await settle(pilot)
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Brief for [@click=app.quit]Mallory[/]" in shown
        assert app.is_running


async def test_pin_keys_do_nothing_on_the_tour(golden_toml: Path, tmp_path: Path) -> None:
    app = make_app(copy_golden(golden_toml, tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await to_tour(pilot, "cfo")
        await pilot.press("greater_than_sign", "p")
        assert not app.session.dirty
        await pilot.press("escape")
        assert app.focused is not app.query_one(TourList)
