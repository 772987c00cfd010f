"""Saving, reloading and watching from the app (the writing itself is tested with fulcrum.save)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input

from fulcrum.load import load_backlog
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.screens.choice import ChoiceScreen
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.widgets.header import HeaderLine

SIZE = (120, 40)


@pytest.fixture
def backlog_file(golden_toml: Path, tmp_path: Path) -> Path:
    # Brackets in the name: the path is shown in the header and in notifications, literally.
    path = tmp_path / "[bold]plan [@click=app.quit]q.toml"
    shutil.copyfile(golden_toml, path)
    return path


def open_app(path: Path) -> FulcrumApp:
    backlog, snapshot = read_snapshot(path)
    return FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)


def edit_owner(app: FulcrumApp, item_id: str, owner: str) -> None:
    app._edited(item_id, "edited", apply_form(app.session.backlog, item_id, {"owner": owner}))


def messages(app: FulcrumApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_save_writes_only_the_edit_and_clears_dirty(backlog_file: Path) -> None:
    before = backlog_file.read_text()
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        assert str(app.query_one(HeaderLine).render()).startswith("●")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.session.dirty
        assert not str(app.query_one(HeaderLine).render()).startswith("●")
        assert f"Saved {backlog_file}" in messages(app)
        assert str(backlog_file) in str(app.query_one(HeaderLine).render())
    after = backlog_file.read_text()
    assert load_backlog(backlog_file).item("b").owner == "Ana"
    # Only the edited item's block grew a line; every other line is unchanged.
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ['owner = "Ana"']


async def test_conflict_offers_reload_overwrite_save_as(backlog_file: Path, tmp_path: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        backlog_file.write_text(
            backlog_file.read_text().replace('title = "Big migration"', 'title = "Moved"')
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#choice-cancel")
        assert app.session.dirty  # nothing written, edits kept
        assert load_backlog(backlog_file).item("b").owner == ""

        await pilot.press("ctrl+s")
        await pilot.click("#choice-saveas")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = str(tmp_path / "mine.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert load_backlog(tmp_path / "mine.toml").item("b").owner == "Ana"
        assert app.path == tmp_path / "mine.toml"
        assert not app.session.dirty


async def test_conflict_overwrite_and_reload(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        backlog_file.write_text(
            backlog_file.read_text().replace('title = "Big migration"', 'title = "Moved"')
        )
        await pilot.press("ctrl+s")
        await pilot.click("#choice-overwrite")
        await pilot.pause()
        on_disk = load_backlog(backlog_file)
        assert on_disk.item("b").owner == "Ana"
        assert on_disk.item("d").title == "Big migration"  # overwritten: our version wins

        edit_owner(app, "a", "Bo")
        backlog_file.write_text(
            backlog_file.read_text().replace('title = "Big migration"', 'title = "Moved"')
        )
        await pilot.press("ctrl+s")
        await pilot.click("#choice-reload")
        await pilot.pause()
        assert not app.session.dirty
        assert app.session.backlog.item("d").title == "Moved"
        assert app.session.backlog.item("a").owner == ""  # the edit was dropped, as the dialog said


async def test_failed_save_keeps_the_edits(backlog_file: Path, tmp_path: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        app.save(path=tmp_path / "no-such-dir" / "b.toml")
        await pilot.pause()
        assert app.session.dirty
        assert app.session.backlog.item("b").owner == "Ana"
        assert app.path == backlog_file
        assert any("Your edits are kept" in m for m in messages(app))


async def test_changed_on_disk_reloads_when_clean(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        assert not await app.check_disk()
        backlog_file.write_text(
            backlog_file.read_text().replace('title = "Big migration"', 'title = "Moved"')
        )
        assert await app.check_disk()
        await pilot.pause()
        assert app.session.backlog.item("d").title == "Moved"
        assert any(m.startswith("Reloaded") and "changed on disk" in m for m in messages(app))
        assert not await app.check_disk()  # the new snapshot is current


async def test_changed_on_disk_with_edits_warns_once_and_keeps_them(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        backlog_file.write_text(
            backlog_file.read_text().replace('title = "Big migration"', 'title = "Moved"')
        )
        assert await app.check_disk()
        await pilot.pause()
        assert app.session.backlog.item("b").owner == "Ana"
        assert app.session.backlog.item("d").title == "Big migration"
        warned = [m for m in messages(app) if "changed on disk" in m]
        assert len(warned) == 1 and "saving will ask" in warned[0]
        assert not await app.check_disk()  # told once, not every second


async def test_an_invalid_file_on_disk_is_not_reloaded(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        backlog_file.write_text("[backlog\n")
        assert await app.check_disk()
        await pilot.pause()
        assert app.session.backlog.item("d").title == "Big migration"
        assert any("not valid" in m for m in messages(app))


async def test_the_watcher_runs_in_its_own_worker_group(backlog_file: Path) -> None:
    backlog, snapshot = read_snapshot(backlog_file)
    app = FulcrumApp(backlog, path=backlog_file, snapshot=snapshot, watch_interval=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [w.group for w in app.workers if w.is_running] == ["watch"]
    demo = FulcrumApp(backlog, path=backlog_file, snapshot=snapshot, demo=True, watch_interval=30)
    async with demo.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not [w for w in demo.workers if w.group == "watch"]  # the bundled example never changes
