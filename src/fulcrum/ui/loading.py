"""Opening the app on a file: the first frame at once, the backlog read, checked and scored in a
thread worker, the result posted to the app as :class:`Loaded`.

``FulcrumApp(load=...)`` shows its header and "loading FILE…" (q and ? work; the app's
:class:`Opening` runs these steps) and calls :func:`start` once that frame is displayed
(``events.Ready``). The worker imports what the open
app needs (the models, scoring, the tabs' modules: as long again as Textual), runs the loader
(``fulcrum.save.read_snapshot``: the backlog and the snapshot a conflict-checked save compares
with), scores the backlog with :func:`open_session`, and posts :class:`Loaded`. A file that cannot
be used is posted as the error, and the app exits with it; ``commands.tui`` prints it as ``check``
does, once the terminal is restored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from fulcrum.errors import EXIT_INVALID
from fulcrum.ui.widgets.header import HeaderLine, HeaderState

if TYPE_CHECKING:  # the models, scoring and pydantic are imported by the worker, after the first frame
    from fulcrum.backlog import Backlog
    from fulcrum.ui.app import FulcrumApp
    from fulcrum.ui.state import Session

#: Seconds from the first frame composed (``events.Ready``) to the worker's start: the terminal
#: driver's writer thread needs the GIL to send the frame, and the worker's imports and the TOML
#: parser (compiled code) keep it for long stretches.
FRAME_OUT = 0.1
#: The app's actions that work while the file loads (every other key waits for the table).
ACTIONS = frozenset({"quit", "help", "help_quit"})
#: What ``fulcrum.save.read_snapshot`` returns beside the backlog (see ``ui.files.Snapshot``).
Snapshot = Any
#: Reads and checks the file: (backlog, snapshot), or BacklogError naming every problem.
Loader = Callable[[], "tuple[Backlog, Snapshot]"]


def placeholder(path: Path | None, demo: bool) -> Static:
    """What the app shows where the tabs will be, until they are."""
    line = Static(Text(f"Loading {_where(path, demo)}…", style="bold"), id="loading")
    line.styles.height = "1fr"
    line.styles.padding = (1, 2)
    return line


def step_lines(path: Path | None, demo: bool, step: str) -> tuple[HeaderState, Text]:
    """The header and the status line while loading: the file and what the worker is doing."""
    return HeaderState(_where(path, demo), "…", "…", False, busy="loading…"), Text(step)


def _where(path: Path | None, demo: bool) -> str:
    return "the demo backlog" if demo else str(path or "the backlog")


def views() -> dict[str, Any]:
    """What the app needs once a backlog is open, by the names ``ui.app`` uses (it binds them).

    The first frame needs only Textual and the light modules (the header, the key bar); these
    (the models and pydantic, scoring, numpy for risk, plotext, HiGHS, the tabs and Textual's
    TabbedContent; the help's DataTable is imported when the help opens) take
    about as long again to import, so the worker imports them after the first frame, and an app
    given a backlog when it is built.
    """
    from textual.widgets import TabbedContent, TabPane

    from fulcrum.plan import current_date
    from fulcrum.ui.editor import Editor
    from fulcrum.ui.files import BacklogFiles
    from fulcrum.ui.notes import Notes
    from fulcrum.ui.rows import SortOrder, cells, sort_options, visible_rows
    from fulcrum.ui.screens.choice import ChoiceScreen
    from fulcrum.ui.screens.picker import PickerScreen
    from fulcrum.ui.status import header_state, status_line
    from fulcrum.ui.view_choice import ViewChoice
    from fulcrum.ui.widgets.backlog_table import BacklogTable
    from fulcrum.ui.widgets.explain_pane import ExplainPane
    from fulcrum.ui.widgets.filter_input import FilterInput
    from fulcrum.ui.widgets.matrix import MatrixView
    from fulcrum.ui.widgets.plan_view import PlanView
    from fulcrum.ui.widgets.review_view import ReviewView
    from fulcrum.ui.widgets.risk_view import RiskView

    return {
        "current_date": current_date,
        "Editor": Editor,
        "BacklogFiles": BacklogFiles,
        "Notes": Notes,
        "SortOrder": SortOrder,
        "cells": cells,
        "sort_options": sort_options,
        "visible_rows": visible_rows,
        "ChoiceScreen": ChoiceScreen,
        "PickerScreen": PickerScreen,
        "header_state": header_state,
        "status_line": status_line,
        "ViewChoice": ViewChoice,
        "BacklogTable": BacklogTable,
        "ExplainPane": ExplainPane,
        "FilterInput": FilterInput,
        "MatrixView": MatrixView,
        "PlanView": PlanView,
        "ReviewView": ReviewView,
        "RiskView": RiskView,
        "TabbedContent": TabbedContent,
        "TabPane": TabPane,
    }


def open_session(backlog: Backlog) -> tuple[Session, str]:
    """The session scored with the file's method, else with value_density and a warning to show."""
    from fulcrum.scoring import ScoringError
    from fulcrum.ui.state import Session

    try:
        return Session(backlog), ""
    except ScoringError as exc:  # e.g. method = "rice" but an item lacks its fields
        warning = f"Cannot score with {backlog.scoring.method}: {exc}; using value_density."
        return Session(backlog, method="value_density"), warning


@dataclass(frozen=True)
class Opened:
    """A file read, checked and scored: all the app needs to show it."""

    session: Session
    snapshot: Snapshot
    warning: str
    """The startup warning (the file's method cannot score it), or ""."""


class Loading(Message):
    """The worker moved on to the next step (what the loading line says now)."""

    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step


class Loaded(Message):
    """The worker is done: ``opened``, else ``error`` (a BacklogError, or a bug of ours)."""

    def __init__(self, opened: Opened | None, error: BaseException | None = None) -> None:
        super().__init__()
        self.opened = opened
        self.error = error


def load(
    loader: Loader, step: Callable[[str], None], cancelled: Callable[[], bool], prepare: Callable[[], None]
) -> Opened | None:
    """Import what the open app needs (``prepare``), read, check and score (in the worker);
    ``step`` is told when the scoring starts. None when ``cancelled`` (the user quit while the file
    was read): the scoring is not worth waiting for."""
    prepare()
    backlog, snapshot = loader()
    if cancelled():
        return None
    step(f"ranking {len(backlog.items):,} items…")
    session, warning = open_session(backlog)
    return Opened(session, snapshot, warning)


def start(app: App[Any], loader: Loader, prepare: Callable[[], None]) -> None:
    """Run :func:`load` in the app's exclusive "load" thread worker; it posts Loading and Loaded."""

    def work() -> None:
        worker = get_current_worker()

        def step(text: str) -> None:
            app.post_message(Loading(text))

        try:
            opened = load(loader, step, lambda: worker.is_cancelled, prepare)
        except BaseException as exc:  # every outcome is posted: the app decides what to do
            app.post_message(Loaded(None, exc))
        else:
            if opened is not None:
                app.post_message(Loaded(opened))

    app.run_worker(work, name="load", group="load", thread=True, exclusive=True, exit_on_error=False)


class Opening:
    """The app's side of loading (composition: the app's handlers call these): the loading lines
    while the worker runs, then the tabs, mounted once the file is open and the help (the one
    dialog while loading) is closed."""

    def __init__(
        self,
        app: FulcrumApp,
        path: Path | None,
        demo: bool,
        loader: Loader | None,
        *,
        prepare: Callable[[], None],
        opened: Callable[[Opened], None],
        tabs: Callable[[], ComposeResult],
        shown: Callable[[], None],
    ) -> None:
        """``prepare`` imports what the open app needs (in the worker), ``opened`` takes the
        session, ``tabs`` composes the tabs and ``shown`` is called once they are mounted."""
        self.app = app
        self.path = path
        self.demo = demo
        self.loader = loader
        self._prepare = prepare
        self._opened = opened
        self._tabs = tabs
        self._shown = shown
        self.pending: Opened | None = None
        """Opened, the tabs not mounted yet (the help is open)."""

    def placeholder(self) -> Static:
        return placeholder(self.path, self.demo)

    def step(self, step: str) -> None:
        header, status = step_lines(self.path, self.demo, step)
        self.app.query_one(HeaderLine).show(header)
        self.app.query_one("#status-line", Static).update(status, layout=False)

    def mounted(self) -> None:
        """The app is mounted without a backlog: say what the worker will do."""
        if self.loader is not None:
            self.step("reading and checking the file…")
            # The worker starts on Ready (the first frame is out; see ready).

    def ready(self) -> None:
        """The first frame is composed: the worker starts once the driver's thread has written it."""
        if not self.app.ready and self.loader is not None:
            self.app.set_timer(FRAME_OUT, partial(start, self.app, self.loader, self._prepare))

    def loading(self, message: Loading) -> None:
        if not self.app.ready:
            self.step(message.step)

    async def loaded(self, message: Loaded) -> None:
        app = self.app
        if message.opened is None:
            app.load_error = message.error
            app.exit(return_code=EXIT_INVALID)
            return
        self._opened(message.opened)
        self.pending = message.opened
        if app.screen is app.screen_stack[0]:
            await self.mount()
        else:
            self.step("ready: close the help to see the table")

    async def mount(self) -> None:
        """The tabs, once loaded and the help (the one dialog while loading) is closed."""
        if self.pending is None:
            return
        self.pending = None
        app = self.app
        await app.query_one("#loading").remove()
        await app.screen.mount_compose(self._tabs(), before="#status-line")
        self._shown()

    def allows(self, action: str) -> bool:
        """While loading, only quit and help (and Textual's own keys) do anything."""
        return (self.app.ready and self.pending is None) or action in ACTIONS
