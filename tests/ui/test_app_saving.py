"""Saving, reloading, watching and exporting from the app (the writing itself is tested in
tests/save/). Saves run in a thread worker: tests wait for it with ``settle`` (until no save
worker runs; no sleeps), and hold it with the ``gate`` fixture (after save_backlog has written the
file) to act while a save is running.

Save writes only the edit; a conflict offers cancel, save as, overwrite and reload; a failed save
keeps the edits; the watcher reloads when clean, warns once when dirty, never reloads an invalid
file and runs in its own worker group. During a save, keys are handled and an edit lands; the file
holds the value captured when the save started; the app stays dirty until that later edit is
undone; the watcher says nothing about our own write; a second ctrl+s waits, then saves the later
edit; save and quit quits (and asks again after an edit during the save; after a conflict,
Overwrite still quits); an unexpected error keeps the app and the edits. Export to the backlog
(or a symlink to it) is refused and leaves it byte-identical; a normal export replaces an existing
plan, keeping its mode, with no temporary file left; the hint names the methods.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

import fulcrum.save
from fulcrum.backlog import load_backlog
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


def change_on_disk(path: Path) -> str:
    """Another program retitles item d (Big migration) in the file; the new text."""
    text = path.read_text().replace('title = "Big migration"', 'title = "Moved"')
    path.write_text(text)
    return text


def open_app(path: Path) -> FulcrumApp:
    backlog, snapshot = read_snapshot(path)
    return FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)


def edit_owner(app: FulcrumApp, item_id: str, owner: str) -> None:
    app._edited(item_id, "edited", apply_form(app.session.backlog, item_id, {"owner": owner}))


def messages(app: FulcrumApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settle(pilot: Any) -> None:
    """Wait until no save worker runs and its outcome (and any save it queued) is applied."""
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == "save" and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()


class Gate:
    """Holds every save worker once save_backlog has written the file, until opened."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.entered = threading.Event()
        self.calls: list[Any] = []

    def open(self) -> None:
        self.opened.set()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    g = Gate()
    real = fulcrum.save.save_backlog

    def held(snapshot: Any, original: Any, edited: Any, **kwargs: Any) -> Any:
        g.calls.append(edited)
        result = real(snapshot, original, edited, **kwargs)
        g.entered.set()
        g.opened.wait(timeout=30)  # a bound so a broken test fails instead of hanging
        return result

    monkeypatch.setattr(fulcrum.save, "save_backlog", held)
    yield g
    g.open()


async def test_save_writes_only_the_edit_and_clears_dirty(backlog_file: Path) -> None:
    before = backlog_file.read_text()
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        assert str(app.query_one(HeaderLine).render()).startswith("●")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.session.dirty
        assert not str(app.query_one(HeaderLine).render()).startswith("●")
        assert f"Saved {backlog_file}" in messages(app)
        assert "…/" + backlog_file.name in str(app.query_one(HeaderLine).render())  # no room for the folder
    after = backlog_file.read_text()
    assert load_backlog(backlog_file).item("b").owner == "Ana"
    # Only the edited item's block grew a line; every other line is unchanged.
    assert [line for line in after.splitlines() if line not in before.splitlines()] == ['owner = "Ana"']


async def test_conflict_offers_reload_overwrite_save_as(backlog_file: Path, tmp_path: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        change_on_disk(backlog_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#choice-cancel")
        assert app.session.dirty  # nothing written, edits kept
        assert load_backlog(backlog_file).item("b").owner == ""

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#choice-saveas")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        prompt.query_one(Input).value = str(tmp_path / "mine.toml")
        await pilot.press("enter")
        await settle(pilot)
        assert load_backlog(tmp_path / "mine.toml").item("b").owner == "Ana"
        assert app.files.path == tmp_path / "mine.toml"
        assert not app.session.dirty


async def test_conflict_overwrite_and_reload(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        change_on_disk(backlog_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        on_disk = load_backlog(backlog_file)
        assert on_disk.item("b").owner == "Ana"
        assert on_disk.item("d").title == "Big migration"  # overwritten: our version wins

        edit_owner(app, "a", "Bo")
        change_on_disk(backlog_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#choice-reload")
        await pilot.click("#choice-drop")  # the second question: drop the edit
        await settle(pilot)
        assert not app.session.dirty
        assert app.session.backlog.item("d").title == "Moved"
        assert app.session.backlog.item("a").owner == ""  # the edit was dropped, as the dialog said


def focused_choice(app: FulcrumApp) -> str:
    assert isinstance(app.screen, ChoiceScreen)
    assert app.focused is not None and app.focused.id is not None
    return app.focused.id.removeprefix("choice-")


async def test_reload_with_edits_asks_again_and_undo_brings_them_back(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        edit_owner(app, "a", "Bo")
        moved = change_on_disk(backlog_file)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert focused_choice(app) == "cancel"
        await pilot.press("right", "enter")  # used to wrap around to Reload
        assert not isinstance(app.screen, ChoiceScreen)
        assert app.session.backlog.item("b").owner == "Ana"

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("left", "left", "left", "left")  # stops at Reload
        assert focused_choice(app) == "reload"
        await pilot.press("enter")
        confirm = app.screen
        assert isinstance(confirm, ChoiceScreen) and confirm.title_text == "Drop unsaved edits?"
        assert str(confirm.message).startswith("Drop 2 unsaved edits and reload from disk?\nIn: a, b")
        assert focused_choice(app) == "keep"  # default No
        await pilot.press("enter")
        assert not isinstance(app.screen, ChoiceScreen)
        assert app.session.dirty and app.session.backlog.item("b").owner == "Ana"
        assert backlog_file.read_text() == moved

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.click("#choice-reload")
        await pilot.press("right", "left")  # ← to Drop and reload (→ stays on No)
        assert focused_choice(app) == "drop"
        await pilot.press("enter")
        await pilot.pause()
        s = app.session
        assert not s.dirty and s.backlog.item("d").title == "Moved" and s.backlog.item("b").owner == ""
        assert any("2 unsaved edits dropped; u (undo) brings them back" in m for m in messages(app))
        await pilot.press("u")  # regretted: exactly what was shown before the reload
        assert (s.backlog.item("b").owner, s.backlog.item("a").owner) == ("Ana", "Bo")
        assert s.backlog.item("d").title == "Big migration" and s.dirty
        assert not s.undo()  # the history before the reload led to the old file: not kept
        await pilot.press("ctrl+r")
        assert not s.dirty and s.backlog.item("d").title == "Moved"
    assert backlog_file.read_text() == moved


async def test_failed_save_keeps_the_edits(backlog_file: Path, tmp_path: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        app.files.save(path=tmp_path / "no-such-dir" / "b.toml")
        await settle(pilot)
        assert app.session.dirty
        assert app.session.backlog.item("b").owner == "Ana"
        assert app.files.path == backlog_file
        assert any("Your edits are kept" in m for m in messages(app))


async def test_changed_on_disk_reloads_when_clean(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        assert not await app.files.check_disk()
        change_on_disk(backlog_file)
        assert await app.files.check_disk()
        await pilot.pause()
        assert app.session.backlog.item("d").title == "Moved"
        assert any(m.startswith("Reloaded") and "changed on disk" in m for m in messages(app))
        assert not await app.files.check_disk()  # the new snapshot is current


async def test_changed_on_disk_with_edits_warns_once_and_keeps_them(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        change_on_disk(backlog_file)
        assert await app.files.check_disk()
        await pilot.pause()
        assert app.session.backlog.item("b").owner == "Ana"
        assert app.session.backlog.item("d").title == "Big migration"
        warned = [m for m in messages(app) if "changed on disk" in m]
        assert len(warned) == 1 and "saving will ask" in warned[0]
        assert not await app.files.check_disk()  # told once, not every second


async def test_an_invalid_file_on_disk_is_not_reloaded(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        backlog_file.write_text("[backlog\n")
        assert await app.files.check_disk()
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


# -- saving in a worker ----------------------------------------------------------------------------


async def test_save_runs_in_a_thread_and_edits_made_meanwhile_stay_unsaved(
    backlog_file: Path, gate: Gate
) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        at_save = app.session.backlog
        await pilot.press("ctrl+s")
        assert gate.entered.wait(timeout=30)
        assert [w.group for w in app.workers if w.is_running] == ["save"]
        # The UI thread is free: keys are handled and an edit lands while the file is written.
        await pilot.press("down")
        edit_owner(app, "a", "Bo")
        assert load_backlog(backlog_file).item("b").owner == "Ana"  # written, not yet reported
        assert not await app.files.check_disk()  # the watcher keeps quiet about our own write
        gate.open()
        await settle(pilot)
        assert gate.calls == [at_save]  # the value captured when the save started
        on_disk = load_backlog(backlog_file)
        assert (on_disk.item("b").owner, on_disk.item("a").owner) == ("Ana", "")
        assert app.session.saved == at_save
        assert app.session.dirty  # Bo is not on disk
        assert str(app.query_one(HeaderLine).render()).startswith("●")
        await pilot.press("ctrl+z")  # undoing Bo gets back to exactly what was saved
        assert not app.session.dirty
        assert not await app.files.check_disk()  # the new snapshot is current: no reload, no warning
        assert not any("changed on disk" in m for m in messages(app))


async def test_saving_shows_in_the_header_while_the_worker_runs(backlog_file: Path, gate: Gate) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        header = app.query_one(HeaderLine)
        edit_owner(app, "b", "Ana")
        assert "saving…" not in str(header.render())
        await pilot.press("ctrl+s")
        assert gate.entered.wait(timeout=30)
        await pilot.pause()
        assert str(header.render()).startswith("● unsaved  saving…")
        edit_owner(app, "a", "Bo")  # a re-render meanwhile keeps it
        assert "saving…" in str(header.render())
        gate.open()
        await settle(pilot)
        assert "saving…" not in str(header.render())
        assert str(header.render()).startswith("●")  # Bo is not saved


async def test_a_second_save_waits_for_the_first(backlog_file: Path, gate: Gate) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        await pilot.press("ctrl+s")
        assert gate.entered.wait(timeout=30)
        edit_owner(app, "a", "Bo")
        await pilot.press("ctrl+s")  # queued: run now, it would see the first write as a conflict
        assert len([w for w in app.workers if w.group == "save"]) == 1
        gate.open()
        await settle(pilot)
        assert len(gate.calls) == 2 and gate.calls[1] == app.session.backlog
        on_disk = load_backlog(backlog_file)
        assert (on_disk.item("b").owner, on_disk.item("a").owner) == ("Ana", "Bo")
        assert not app.session.dirty
        assert not isinstance(app.screen, ChoiceScreen)  # no false conflict
        assert messages(app).count(f"Saved {backlog_file}") == 2


async def test_save_and_quit_quits_once_written(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        await pilot.press("q")
        await pilot.click("#choice-save")
        await settle(pilot)
        assert not app.is_running
    assert load_backlog(backlog_file).item("b").owner == "Ana"


async def test_save_and_quit_asks_again_after_an_edit_during_the_save(backlog_file: Path, gate: Gate) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        await pilot.press("q")
        await pilot.click("#choice-save")
        assert gate.entered.wait(timeout=30)
        edit_owner(app, "a", "Bo")
        gate.open()
        await settle(pilot)
        assert app.is_running  # quitting now would drop Bo
        assert isinstance(app.screen, ChoiceScreen)
        assert load_backlog(backlog_file).item("b").owner == "Ana"
        await pilot.click("#choice-save")
        await settle(pilot)
        assert not app.is_running
    assert load_backlog(backlog_file).item("a").owner == "Bo"


async def test_save_and_quit_on_a_conflict_keeps_quitting_after_overwrite(backlog_file: Path) -> None:
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        backlog_file.write_text(backlog_file.read_text().replace("Big migration", "Moved"))
        await pilot.press("q")
        await pilot.click("#choice-save")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        assert not app.is_running
    assert load_backlog(backlog_file).item("b").owner == "Ana"


async def test_an_unexpected_error_in_the_save_keeps_the_app_and_the_edits(
    backlog_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(fulcrum.save, "save_backlog", broken)
    before = backlog_file.read_bytes()
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.session.dirty
        assert any("boom" in m and "Your edits are kept" in m for m in messages(app))
        monkeypatch.undo()
        await pilot.press("ctrl+s")  # not stuck "saving"
        await settle(pilot)
        assert not app.session.dirty
    assert backlog_file.read_bytes() != before


# -- export ----------------------------------------------------------------------------------------


async def export(pilot: Any, target: Path) -> None:
    await pilot.press("x")
    prompt = pilot.app.screen
    assert isinstance(prompt, PromptScreen)
    prompt.query_one(Input).value = str(target)
    await pilot.press("enter")
    await exported(pilot)


async def exported(pilot: Any) -> None:
    """Wait until no export worker runs and its outcome is shown."""
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == "export" and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()


async def test_export_to_the_backlog_itself_is_refused(backlog_file: Path, tmp_path: Path) -> None:
    before = backlog_file.read_bytes()
    link = tmp_path / "link.toml"
    link.symlink_to(backlog_file)
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        for target in (backlog_file, link):
            await export(pilot, target)
            assert not isinstance(app.screen, PromptScreen)
            assert (
                messages(app)[-1]
                == f"cannot write {target}: it is the backlog itself; choose another file name"
            )
        assert [n.severity for n in app._notifications][-2:] == ["error", "error"]
    assert backlog_file.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([backlog_file.name, "link.toml"])


async def test_export_writes_the_plan_atomically(backlog_file: Path, tmp_path: Path) -> None:
    from fulcrum.output import render_markdown

    target = tmp_path / "out [x].md"
    target.write_text("old plan\n")
    target.chmod(0o640)
    app = open_app(backlog_file)
    async with app.run_test(size=SIZE) as pilot:
        edit_owner(app, "b", "Ana")  # the plan of what is shown, edits included
        await export(pilot, target)
        assert messages(app)[-1] == f"Exported the plan to {target}"
        assert target.read_text() == render_markdown(app.session.backlog, app.session.lens)
    assert "Ana" in target.read_text()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([backlog_file.name, target.name])


async def test_export_uses_the_method_picked_with_m(example_toml: Path, tmp_path: Path) -> None:
    from fulcrum.output import render_markdown

    path = tmp_path / "b.toml"
    shutil.copyfile(example_toml, path)
    target = tmp_path / "plan.md"
    app = open_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert "lens everyone, method value_density. " in app.files.export_hint(target).plain
        await pilot.press("m", "down", "enter")  # rice, the second method
        assert app.session.method == "rice"
        await pilot.press("x")
        assert isinstance(app.screen, PromptScreen)
        hint = app.screen.hint.plain
        assert "method rice (picked with m; the file says value_density)" in hint
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await exported(pilot)
    text = target.read_text()
    assert "- **Scoring:** rice: score = " in text
    assert "value density" not in text.split("\n## ")[0]  # the title block
    assert text == render_markdown(app.session.shown, app.session.lens)
    assert app.session.backlog.scoring.method == "value_density"  # the session's backlog is untouched
