"""The app's file side: save (with conflicts), save as, reload, export, and watching the file.

:class:`BacklogFiles` is owned by :class:`fulcrum.ui.app.FulcrumApp` and gets everything it uses
when it is built: the app (only Textual's own API: notify, push_screen, run_worker, post_message,
exit), the session, the file, and the app's callbacks to re-render. Its workers post
``DiskChanged``, ``SaveDone`` and ``ExportDone`` to the app, whose handlers hand them back here. The writing
itself is ``fulcrum.save`` (targeted, atomic, verified); this module only decides what to ask the
user and what to tell them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from rich.text import Text
from textual.app import App
from textual.message import Message
from textual.worker import get_current_worker

from fulcrum.backlog import Backlog, BacklogError
from fulcrum.scoring import ScoringError
from fulcrum.ui.screens.choice import ChoiceScreen
from fulcrum.ui.screens.prompt import PromptScreen
from fulcrum.ui.state import Session

#: What ``fulcrum.save.read_snapshot`` returns with the backlog (``fulcrum.save`` does not export
#: its class, and the layer rule forbids importing its inner module).
Snapshot = Any


class DiskChanged(Message):
    """The file changed on disk since ``snapshot`` was read (posted by the watcher)."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


@dataclass(frozen=True)
class SaveRequest:
    """What the user asked for: quit once saved, overwrite a conflict, or save under ``path``."""

    then_quit: bool = False
    force: bool = False
    path: Path | None = None


class SaveDone(Message):
    """A save worker finished: ``snapshot`` is the new one, else ``conflict`` or ``error`` says why."""

    def __init__(self, request: SaveRequest, edited: Backlog) -> None:
        super().__init__()
        self.request = request
        self.edited = edited
        """The backlog that was written (edits made during the save are not in it)."""
        self.snapshot: Snapshot = None
        self.conflict: str | None = None
        self.error: str | None = None


class ExportDone(Message):
    """An export worker finished: the plan is in ``target``, else ``error`` says why."""

    def __init__(self, generation: int, target: Path, error: str | None) -> None:
        super().__init__()
        self.generation = generation
        self.target = target
        self.error = error


class BacklogFiles:
    """Save, reload, export and watch the file of one app's session."""

    def __init__(
        self,
        app: App[None],
        session: Session,
        path: Path | None,
        snapshot: Snapshot | None,
        *,
        demo: bool,
        watch_interval: float | None,
        refresh: Callable[[], None],
        refresh_header: Callable[[], None],
        ask_quit: Callable[[], Awaitable[None]],
        today: Callable[[], date] | None = None,
    ) -> None:
        """``refresh`` re-renders everything (after a reload), ``refresh_header`` redraws the
        header (``saving``, the dirty marker), ``ask_quit`` asks again before quitting (edits
        were made while a save-and-quit was writing), ``today`` the date the export is as of (the
        Plan tab's; None: day 1)."""
        self.app = app
        self.session = session
        self.path = path
        self.snapshot = snapshot
        self.demo = demo
        """The bundled example: save asks where, and the file is not watched."""
        self.watch_interval = watch_interval
        self._refresh = refresh
        self._refresh_header = refresh_header
        self._ask_quit = ask_quit
        self._today = today
        self.saving = False
        """A save worker is running (the file is being replaced: the watcher keeps quiet)."""
        self._save_queued: SaveRequest | None = None
        self._notified_for: Snapshot = None
        self.exporting = False
        """An export worker of the latest request is running."""
        self._export_generation = 0
        self._export_lock = threading.Lock()

    @property
    def where(self) -> str:
        """The file, as the header shows it."""
        return "demo (save asks where)" if self.demo else (str(self.path) if self.path else "")

    # -- watching --------------------------------------------------------------------------------

    def start_watching(self) -> None:
        """Watch the file (not the bundled example) in the app's "watch" worker group."""
        interval = self.watch_interval
        if self.path is not None and self.snapshot is not None and interval and not self.demo:
            watch = partial(self._watch, interval)
            self.app.run_worker(watch, name="watch_file", group="watch", exclusive=True)

    async def _watch(self, interval: float) -> NoReturn:
        """Poll the file about once a second until cancelled; the handler, not the worker,
        changes state."""
        while True:
            await asyncio.sleep(interval)
            await self.check_disk()

    async def check_disk(self) -> bool:
        """Post DiskChanged when the file changed since it was read; True if it did."""
        from fulcrum.save import disk_changed

        snapshot = self.snapshot
        if snapshot is None or snapshot is self._notified_for or self.saving:
            return False
        changed = await asyncio.to_thread(disk_changed, snapshot)
        if changed:
            self.app.post_message(DiskChanged(snapshot))
        return bool(changed)

    def disk_changed(self, event: DiskChanged) -> None:
        """The watcher's DiskChanged (handled by the app): reload when clean, else warn once."""
        if event.snapshot is not self.snapshot or event.snapshot is self._notified_for or self.saving:
            return  # already handled (saved or reloaded since), or our own save is replacing it
        self._notified_for = event.snapshot
        if self.session.dirty:
            msg = "The file changed on disk. Your edits are kept; saving will ask what to do."
            self.app.notify(msg, title="Changed on disk", severity="warning", timeout=10)
        else:
            self.reload(quiet=False)

    def reload(self, quiet: bool = True) -> bool:
        """Read the file again and make it current (edits and undo history are dropped)."""
        from fulcrum.save import read_snapshot

        assert self.path is not None
        if self.saving:
            self.app.notify("A save is running; reload when it is done.", severity="warning")
            return False
        try:
            backlog, snapshot = read_snapshot(self.path)
        except BacklogError as exc:
            msg = f"The file on disk is not valid now; keeping what is shown.\n{exc}"
            self.app.notify(msg, title="Not reloaded", severity="error", markup=False, timeout=15)
            return False
        dropped = self.session.unsaved_edits()[0] if self.session.dirty else 0
        try:
            kept_for_undo = self.session.reload(backlog)
        except ScoringError as exc:
            self.app.notify(str(exc), title="Not reloaded", severity="error", markup=False)
            return False
        self.snapshot = snapshot
        self._notified_for = None
        self._refresh()
        msg = "Reloaded " + str(self.path) + (" (it changed on disk)" if not quiet else "")
        if kept_for_undo:
            msg += f"\n{_edits(dropped)} dropped; u (undo) brings them back."
        self.app.notify(msg, markup=False, timeout=10 if kept_for_undo else 5)
        return True

    def confirm_reload(self) -> None:
        """Reload, asking first (default No) when that drops unsaved edits."""
        if not self.session.dirty:
            self.reload()
            return
        count, ids = self.session.unsaved_edits()
        message = Text(f"Drop {_edits(count)} and reload from disk?", style="bold")
        if ids:
            message.append("\nIn: ")
            message.append(", ".join(ids[:8]) + (" …" if len(ids) > 8 else ""))
        message.append(
            "\n\nThe file's version replaces yours. Undo (u) right after the reload brings yours back."
        )

        def answer(choice: str | None) -> None:
            if choice == "drop":
                self.reload()

        choices = [("drop", "Drop and reload"), ("keep", "No, keep my edits")]
        self.app.push_screen(ChoiceScreen("Drop unsaved edits?", message, choices, default="keep"), answer)

    # -- saving ----------------------------------------------------------------------------------

    def save(self, then_quit: bool = False, force: bool = False, path: Path | None = None) -> None:
        """Write the edits (in a worker); conflicts ask reload / overwrite / save as; errors keep
        the edits. ``then_quit``: quit once saved."""
        if self.snapshot is None:
            msg = "This backlog was not read from a file, so it cannot be saved."
            self.app.notify(msg, severity="error")
            return
        if path is None and (self.demo or self.path is None):
            self.ask_save_as(then_quit)
            return
        if self.saving:
            # One save at a time: a second one would check the file against the snapshot the
            # first is replacing and see a conflict. It runs when the first is done.
            queued = self._save_queued
            self._save_queued = SaveRequest(then_quit or bool(queued and queued.then_quit), force, path)
            return
        s = self.session
        if not s.dirty and path is None and not force:
            self.app.notify("Nothing to save.")
            if then_quit:
                self.app.exit()
            return
        self.saving = True
        self._refresh_header()  # "saving…" until save_done
        request = SaveRequest(then_quit, force, path)
        work = partial(self._save_in_thread, request, self.snapshot, s.saved, s.backlog)
        # A description: Textual's default is the repr of the work (the backlogs), slow when big.
        self.app.run_worker(
            work, name="save_in_thread", group="save", description="save", exclusive=True, thread=True
        )

    def _save_in_thread(
        self, request: SaveRequest, snapshot: Snapshot, original: Backlog, edited: Backlog
    ) -> None:
        """Render, verify and write off the UI thread (~0.3 s for 1,000 items). It gets frozen
        values and posts the outcome; ``save_done`` applies it on the UI thread."""
        from fulcrum.save import SaveConflict, SaveError, save_backlog

        done = SaveDone(request, edited)
        try:
            done.snapshot = save_backlog(snapshot, original, edited, force=request.force, path=request.path)
        except SaveConflict as exc:
            done.conflict = str(exc)
        except SaveError as exc:
            done.error = str(exc)
        except Exception as exc:  # a bug must not end the app: that would lose the unsaved edits
            done.error = f"cannot save: unexpected error: {exc!r}"
        self.app.post_message(done)

    async def save_done(self, done: SaveDone) -> None:
        """A save worker's SaveDone (handled by the app): the new snapshot, or what went wrong."""
        self.saving = False
        self._refresh_header()
        queued, self._save_queued = self._save_queued, None
        then_quit = done.request.then_quit or bool(queued and queued.then_quit)
        if done.conflict is not None:
            self.ask_conflict(done.conflict, then_quit)
            return
        if done.error is not None or done.snapshot is None:
            msg = f"{done.error or 'cannot save'}\nYour edits are kept in the app."
            self.app.notify(msg, title="Not saved", severity="error", markup=False, timeout=15)
            return
        self.snapshot = done.snapshot
        self._notified_for = None
        if done.request.path is not None:
            self.path, self.demo = Path(done.request.path), False
            self.start_watching()
        # What was written is the backlog as it was when the save started; edits made since
        # keep the app dirty.
        self.session.mark_saved(done.edited)
        self._refresh_header()  # the ● goes (unless edited meanwhile)
        self.app.notify("Saved " + str(self.path), markup=False)
        if queued is not None and (self.session.dirty or queued.then_quit or queued.path is not None):
            self.save(queued.then_quit, queued.force, queued.path)
        elif then_quit:
            if self.session.dirty:
                await self._ask_quit()  # edited while saving: ask again rather than drop them
            else:
                self.app.exit()

    def ask_conflict(self, reason: str, then_quit: bool = False) -> None:
        message = Text(reason.rstrip(".") + ".\n\n")
        message.append(
            "Reload the file (your edits are dropped), overwrite it with your version, "
            "or save your version under another name?"
        )
        choices = [
            ("reload", "Reload"),
            ("overwrite", "Overwrite"),
            ("saveas", "Save as…"),
            ("cancel", "Cancel"),
        ]

        def answer(choice: str | None) -> None:
            if choice == "reload":
                self.confirm_reload()  # asks again: a reload drops the unsaved edits
            elif choice == "overwrite":
                self.save(then_quit, force=True)
            elif choice == "saveas":
                self.ask_save_as(then_quit)

        self.app.push_screen(ChoiceScreen("Changed on disk", message, choices, default="cancel"), answer)

    def ask_save_as(self, then_quit: bool = False) -> None:
        default = str(Path.cwd() / "backlog.toml") if self.demo or self.path is None else str(self.path)

        def answer(text: str | None) -> None:
            if text:
                target = Path(text).expanduser()
                if target.exists() and target.resolve() != (self.path.resolve() if self.path else None):
                    self.confirm_overwrite(target, then_quit)
                else:
                    self.save(then_quit, path=target)

        self.app.push_screen(PromptScreen("Save as", default), answer)

    def confirm_overwrite(self, target: Path, then_quit: bool) -> None:
        message = Text("This file exists: ")
        message.append(str(target), style="bold")
        message.append(". Replace it?")

        def answer(choice: str | None) -> None:
            if choice == "replace":
                self.save(then_quit, force=True, path=target)

        choices = [("replace", "Replace"), ("cancel", "Cancel")]
        self.app.push_screen(ChoiceScreen("Replace file?", message, choices, default="cancel"), answer)

    # -- export ----------------------------------------------------------------------------------

    def ask_export(self) -> None:
        """Ask where to write the Markdown plan (plan.md next to the backlog), then write it."""
        base = self.path.parent if self.path is not None and not self.demo else Path.cwd()
        target = base / "plan.md"
        self.app.push_screen(
            PromptScreen("Export the plan to", str(target), self.export_hint(target)), self.export_to
        )

    def export_hint(self, target: Path) -> Text:
        """Says what will be exported: what is shown, with the current lens and method (also one
        picked with ``m``: the export scores ``Session.shown``, whose ``[scoring] method`` is it)."""
        s = self.session
        file_method = s.backlog.scoring.method
        hint = Text("The Markdown plan of what is shown now: lens ", style="dim")
        hint.append(s.lens)
        hint.append(", method ")
        hint.append(s.method)
        if s.method != file_method:
            hint.append(" (picked with m; the file says ")
            hint.append(file_method)
            hint.append(")")
        hint.append(". Enter writes, Esc cancels.")
        if target.exists():
            hint.append(" That file exists and will be replaced.", style="yellow")
        return hint

    def export_to(self, text: str | None) -> None:
        """Write the plan to ``text`` (in a worker: rendering 10,000 items takes seconds); the
        backlog file itself is refused as a target. A newer export replaces a running one: the
        older one writes nothing and says nothing."""
        if not text:
            return
        with self._export_lock:
            self._export_generation += 1
            generation = self._export_generation
        self.exporting = True
        self._refresh_header()  # "exporting…" until export_done
        s = self.session
        target = Path(text).expanduser()
        today = self._today() if self._today is not None else None
        work = partial(self._export_in_thread, generation, target, s.shown, s.lens, today, self.path)
        # A description: Textual's default is the repr of the work, here the whole backlog
        # (half a second of the UI thread at 10,000 items).
        self.app.run_worker(
            work,
            name="export_in_thread",
            group="export",
            description="export the plan",
            exclusive=True,
            thread=True,
            exit_on_error=False,
        )

    def _export_in_thread(
        self,
        generation: int,
        target: Path,
        backlog: Backlog,
        lens: str,
        today: date | None,
        protect: Path | None,
    ) -> None:
        """Render off the UI thread from frozen values (a large backlog in a child process this
        thread waits on, killed when the worker is cancelled: a newer export, or the app closing),
        write here; posts ExportDone."""
        from fulcrum.output import (
            Cancelled,
            ChildFailed,
            Markdown,
            MarkdownRequest,
            large,
            render_markdown,
            run_in_child,
        )
        from fulcrum.save import WriteError, write_atomic

        error: str | None = None
        try:
            if large(backlog):
                request = MarkdownRequest(backlog, lens, today)
                got = run_in_child(request, get_current_worker().cancelled_event)
                if not isinstance(got, Markdown):
                    raise ChildFailed("the worker process answered something else")
                markdown = got.text
                error = got.error or ("the worker process sent no document" if markdown is None else None)
            else:
                markdown = render_markdown(backlog, lens, today=today)
            if markdown is not None:
                with self._export_lock:  # a stale export must not write over a newer one
                    if generation != self._export_generation:
                        return
                    write_atomic(target, markdown.encode("utf-8"), protect=protect)
        except Cancelled:
            return  # a newer export replaced it, or the app is closing
        except ChildFailed as exc:
            error = f"cannot export: {exc}"
        except (ScoringError, WriteError) as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not end the app: that would lose the unsaved edits
            error = f"cannot export: unexpected error: {exc!r}"
        self.app.post_message(ExportDone(generation, target, error))

    def export_done(self, done: ExportDone) -> None:
        """An export worker's ExportDone (handled by the app); a stale one is dropped."""
        if done.generation != self._export_generation:
            return
        self.exporting = False
        self._refresh_header()
        if done.error is not None:
            self.app.notify(done.error, title="Not exported", severity="error", markup=False, timeout=15)
        else:
            self.app.notify("Exported the plan to " + str(done.target), markup=False)


def _edits(count: int) -> str:
    return f"{count} unsaved edit" + ("" if count == 1 else "s")
