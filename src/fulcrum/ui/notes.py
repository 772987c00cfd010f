"""The notes the app shows about the backlog (not edits of items): a stakeholder's brief, what
changed since the file was loaded, and marking a stakeholder met (an edit of ``[stakeholders]``)."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from fulcrum.backlog import Backlog
from fulcrum.scoring import ScoringError
from fulcrum.ui.screens.text_view import TextScreen

if TYPE_CHECKING:
    from fulcrum.ui.app import FulcrumApp


def mark_met(backlog: Backlog, key: str, day: date) -> Backlog | None:
    """The backlog with stakeholder ``key`` met on ``day`` (None: they already are)."""
    person = backlog.stakeholders[key]
    if person.met == day:
        return None
    people = dict(backlog.stakeholders)
    people[key] = person.model_copy(update={"met": day})
    return backlog.model_copy(update={"stakeholders": people})


def _brief(backlog: Backlog, key: str, today: date) -> str:
    from fulcrum.output import render_brief

    return render_brief(backlog, key, today=today)


def brief_screen(backlog: Backlog, key: str, today: date, folder: Path, protect: Path | None) -> TextScreen:
    """The brief to ``key``, made in a worker; ``w`` offers FOLDER/brief-KEY.md."""
    person = backlog.stakeholders[key]
    who = f"{person.name} ({person.role})" if person.role else person.name
    return TextScreen(
        f"Brief for {who}",
        partial(_brief, backlog, key, today),
        write_to=folder / f"brief-{key}.md",
        protect=protect,
    )


def _changes(loaded: Backlog, current: Backlog, today: date) -> str:
    from fulcrum.changes import diff_backlogs, diff_lines

    return "\n".join(diff_lines(diff_backlogs(loaded, current, today=today)))


def diff_screen(loaded: Backlog, current: Backlog, today: date) -> TextScreen:
    """What changed between the backlog as loaded and now: inputs, ranks, the plan (a worker)."""
    return TextScreen("What changed since the file was loaded", partial(_changes, loaded, current, today))


class Notes:
    """What the app does for the listening tour's keys and ``D``: opens the screens, applies ``met``."""

    def __init__(self, app: FulcrumApp) -> None:
        self.app = app

    def brief(self, key: str) -> None:
        """Enter on the listening tour: that stakeholder's brief, made in a worker (w writes it)."""
        app = self.app
        path = app.files.path
        folder = path.parent if path is not None and not app.files.demo else Path.cwd()
        app.push_screen(brief_screen(app.session.shown, key, app.today(), folder, path))

    def met(self, key: str) -> None:
        """m on the listening tour: met today, an undoable edit saved like any other."""
        app = self.app
        day = app.today()
        name = app.session.backlog.stakeholders[key].name
        backlog = mark_met(app.session.backlog, key, day)
        if backlog is None:
            app.notify(name + " is marked met on " + day.isoformat() + " already.", markup=False)
            return
        try:
            app.session.edit(backlog)
        except ScoringError as exc:
            app.notify(str(exc), title="Not changed", severity="error", markup=False)
            return
        app.changed(f"{name} met {day.isoformat()} (u undoes)")

    def diff(self) -> None:
        """What changed since the file was loaded: inputs, ranks and the plan (in a worker)."""
        app = self.app
        app.push_screen(diff_screen(app.loaded, app.session.backlog, app.today()))
