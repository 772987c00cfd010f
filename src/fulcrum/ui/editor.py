"""Edits of items from the app's keys: the edit form (``e``, ``n``, Enter in the Risk tab's Verify
first), decide (``d``), a pin from the Plan tab, undo and redo. Each goes through the session and
is reported with the item's move in the ranking; a problem becomes a notification, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from fulcrum.backlog import Backlog
from fulcrum.scoring import ScoringError
from fulcrum.ui import edits
from fulcrum.ui.screens.decide import DecideScreen
from fulcrum.ui.screens.edit_item import EditItemScreen

if TYPE_CHECKING:
    from fulcrum.ui.app import FulcrumApp


class Editor:
    """What the app's edit keys do (composition: the app's actions and handlers call these)."""

    def __init__(self, app: FulcrumApp) -> None:
        self.app = app
        self._form: EditItemScreen | None = None

    def edit(self, item_id: str | None, field: str | None = None) -> None:
        """The form on ``item_id`` (``field`` has the focus when given); a warning for no item."""
        if item_id is None:
            self.app.notify("No item is highlighted.", severity="warning")
            return
        self._open_form(item_id, partial(self.edited, item_id, "edited"), field)

    def add(self) -> None:
        self._open_form(None, self._added)

    def _open_form(
        self, item_id: str | None, done: Callable[[Backlog | None], None], field: str | None = None
    ) -> None:
        """The edit form, reused while the metrics stay the same (building it is the slow part);
        ``field`` (``effort``, ``impact.mau`` ...) has the focus when given."""
        app = self.app
        s = app.session
        item = s.backlog.item(item_id) if item_id is not None else None
        submit = partial(
            edits.apply_form, s.backlog, item_id, lens=s.lens, method=s.method, ranking=s.ranking
        )
        form = self._form
        if form is None or form.metrics != tuple(s.backlog.metrics):
            if form is not None:
                app.uninstall_screen(form)
            form = self._form = EditItemScreen(s.backlog, item, lambda values: submit(values))
            app.install_screen(form, "edit-item")
        else:
            form.load(s.backlog, item, lambda values: submit(values))
        form.focus_field = field
        app.push_screen(form, done)

    def _added(self, backlog: Backlog | None) -> None:
        if backlog is not None:
            new_id = backlog.items[-1].id
            self.edited(new_id, "added", backlog)

    def decide(self, item_id: str | None) -> None:
        """Plan, defer, drop or mark done ``item_id``, dated with the app's today."""
        app = self.app
        if item_id is None:
            app.notify("No item is highlighted.", severity="warning")
            return
        s = app.session
        today = app.today()
        submit = partial(
            edits.decide, s.backlog, item_id, today=today, lens=s.lens, method=s.method, ranking=s.ranking
        )
        screen = DecideScreen(
            s.backlog.item(item_id),
            today,
            lambda verdict, reason, actual: submit(verdict, reason, actual_effort=actual),
        )
        app.push_screen(screen, partial(self.edited, item_id, "decided"))

    def pin(self, item_id: str, phase: int | None) -> None:
        """Pin ``item_id`` to a phase of the plan (None: unpin), an ordinary edit of ``phase``."""
        s = self.app.session
        pin = partial(
            edits.apply_form,
            original_id=item_id,
            values={"phase": "" if phase is None else str(phase)},
            lens=s.lens,
            method=s.method,
        )
        self.apply(lambda b: pin(b, ranking=s.ranking), item_id, "pinned")

    def apply(self, edit: Callable[[Backlog], Backlog], item_id: str, verb: str) -> None:
        """Apply an edit function of the backlog; its problems become a notification."""
        try:
            backlog = edit(self.app.session.backlog)
        except edits.FormError as exc:
            self.app.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        self.edited(item_id, verb, backlog)

    def edited(self, item_id: str, verb: str, backlog: Backlog | None) -> None:
        """Commit ``backlog`` (None: the dialog was cancelled) and say where the item went."""
        if backlog is None:
            return
        app = self.app
        before = app.session.ranking.get(item_id)
        try:
            app.session.edit(backlog)
        except ScoringError as exc:
            app.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        after = app.session.ranking.get(item_id)
        where = f"now #{after.rank}" if after else "not ranked (closed)"
        if before and after and before.rank != after.rank:
            where = f"#{before.rank} -> #{after.rank}"
        app.changed(f"{item_id} {verb}: {where}", item_id)

    def undo(self) -> None:
        self._history(self.app.session.undo, "Undone", "Nothing to undo")

    def redo(self) -> None:
        self._history(self.app.session.redo, "Redone", "Nothing to redo")

    def _history(self, step: Callable[[], bool], done: str, nothing: str) -> None:
        try:
            moved = step()
        except ScoringError as exc:
            self.app.notify(str(exc), title="Cannot re-rank", severity="error", markup=False)
            return
        if moved:
            self.app.changed(done)
        else:
            self.app.notify(nothing, severity="warning")
