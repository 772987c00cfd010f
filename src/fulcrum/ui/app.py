"""The Textual app: wiring between the edit session, the widgets and the screens.

State lives in :class:`fulcrum.ui.state.Session` (pure); widgets get it pushed down through
``show(...)`` and post messages up. The cursor (the highlighted item) is the Backlog table's: every
other view reads ``cursor_id`` and moves it with ``BacklogTable.select``/``show``. File I/O is the
:class:`fulcrum.ui.files.BacklogFiles` the app owns; the loading steps are its
:class:`fulcrum.ui.loading.Opening`, the edits its :class:`fulcrum.ui.editor.Editor`, the header
and status line are made by ``ui.status``. All user text is passed as ``rich.text.Text``
or with ``markup=False``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Static

from fulcrum.ui import actions, loading
from fulcrum.ui.keys import KeyedApp
from fulcrum.ui.loading import Loader, Opened, open_session
from fulcrum.ui.widgets.header import HeaderLine
from fulcrum.ui.widgets.key_bar import KeyBar

if TYPE_CHECKING:  # imported only once a backlog is open, for the first frame's sake (_import_views)
    from textual.widgets import Input, TabbedContent, TabPane

    from fulcrum.backlog import Backlog
    from fulcrum.plan import current_date
    from fulcrum.ui.editor import Editor
    from fulcrum.ui.files import BacklogFiles, DiskChanged, ExportDone, SaveDone, Snapshot
    from fulcrum.ui.methods import MethodsChecked
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
    from fulcrum.ui.widgets.tour_list import TourList


def _import_views() -> None:
    """Bind what the app needs once a backlog is open (``loading.views``) as this module's names."""
    globals().update(loading.views())


class FulcrumApp(KeyedApp):
    """Interactive triage of one backlog: rank, explain, edit, decide, save."""

    CSS_PATH = "app.tcss"
    TITLE = "fulcrum"
    BINDINGS: ClassVar[list[BindingType]] = list(actions.bindings())
    # Screen classes for small terminals (app.tcss tightens dialogs and the form with them).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (a ClassVar in App)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        backlog: Backlog | None = None,
        path: Path | None = None,
        snapshot: Snapshot | None = None,
        *,
        demo: bool = False,
        watch_interval: float | None = 1.0,
        today: date | None = None,
        load: Loader | None = None,
    ) -> None:
        """``path``/``snapshot`` come from ``fulcrum.save.read_snapshot``; ``demo``: save asks where;
        ``today``: the date decisions carry (None: the current date, read when each is made).
        Without ``backlog``, ``load`` reads it (and the snapshot) in a worker after the first frame
        (``ui.loading``); a file it cannot use ends the app with ``load_error`` set."""
        super().__init__()
        self._today = today
        self._file = (path, demo, watch_interval)
        self.load_error: BaseException | None = None
        """Why the file could not be opened (the app exited with code 2)."""
        self.opening = loading.Opening(
            self,
            path,
            demo,
            load,
            prepare=_import_views,
            opened=self._open,
            tabs=self._compose_tabs,
            shown=self._show_loaded,
        )
        self.query_text = ""
        self.show_closed = False
        self.ready = backlog is not None
        """The backlog is loaded and scored (before that only quit and help work)."""
        if backlog is not None:
            _import_views()
            session, warning = open_session(backlog)
            self._open(Opened(session, snapshot, warning))

    def _open(self, opened: Opened) -> None:
        """Take the loaded session: the backlog as loaded, the file side."""
        path, demo, watch_interval = self._file
        self.session = opened.session
        self.loaded = opened.session.backlog
        """The backlog as loaded: what ``D`` (what changed) compares with (``ui.notes``)."""
        self.startup_warning = opened.warning
        self.notes = Notes(self)
        self.editor = Editor(self)
        self.order = SortOrder()
        self.views = ViewChoice(self)
        """(backlog, lens, method) -> what the method picker says of the other methods."""
        self.files = BacklogFiles(
            self,
            self.session,
            path,
            opened.snapshot,
            demo=demo,
            watch_interval=watch_interval,
            refresh=self.refresh_all,
            refresh_header=self.refresh_header,
            ask_quit=self.action_quit,
            today=self.today,
        )
        self.ready = True

    def compose(self) -> ComposeResult:
        yield HeaderLine(id="header")
        if self.ready:
            yield from self._compose_tabs()
        else:
            yield self.opening.placeholder()
        yield Static(id="status-line")
        yield KeyBar(id="footer")

    def _compose_tabs(self) -> ComposeResult:
        with TabbedContent(id="tabs", initial="backlog"):
            with TabPane("Backlog", id="backlog"):
                yield FilterInput("#backlog-table", id="filter")
                yield BacklogTable(id="backlog-table")
                yield ExplainPane(id="explain")
            with TabPane("Matrix", id="matrix"):
                yield MatrixView(id="matrix-view")
            with TabPane("Plan", id="plan"):
                yield PlanView(id="plan-view")
            with TabPane("Review", id="review"):
                yield ReviewView(id="review-view")
            with TabPane("Risk", id="risk"):
                yield RiskView(id="risk-view")

    def on_mount(self) -> None:
        # Workers (load, plan, export, save) are threads: keep the UI thread's share of the GIL.
        self.switch_threads_often()
        self.collector.start()
        if self.ready:
            self._show_loaded()
        else:
            self.opening.mounted()

    def _show_loaded(self) -> None:
        self.refresh_all()  # the cursor starts on the first row: the best-ranked item
        self.table.focus()
        if self.startup_warning:
            self.notify(self.startup_warning, severity="warning", markup=False)
        self.files.start_watching()
        # The objects of the loaded session are frozen once the pane's lens rankings are made
        # (on_explain_pane_lenses_ranked): ui.collect.

    # -- loading (ui.loading) --------------------------------------------------------------------

    def on_ready(self) -> None:
        self.opening.ready()

    def on_loading(self, message: loading.Loading) -> None:
        self.opening.loading(message)

    async def on_loaded(self, message: loading.Loaded) -> None:
        await self.opening.loaded(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While loading, only quit and help (and Textual's own keys) do anything."""
        return self.opening.allows(action)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (widgets' too: theirs come here) is terminal-safe: a path or a name
        in it never reaches the terminal with its control or invisible characters."""
        from fulcrum.text import terminal_safe

        message, title = terminal_safe(message), terminal_safe(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def today(self) -> date:
        """Today: the date given to the app (tests, ``fulcrum --today``), else the current date.
        Decisions carry it, and the Plan tab plans as of it."""
        return self._today or current_date()

    # -- pushing state down --------------------------------------------------------------------

    @property
    def table(self) -> BacklogTable:
        return self.query_one(BacklogTable)

    @property
    def cursor_id(self) -> str | None:
        """The highlighted item: the Backlog table's cursor, whichever tab is shown."""
        return self.table.highlighted_id

    def refresh_all(self, cursor_id: str | None = None) -> None:
        """Re-render everything from the session, moving the cursor to ``cursor_id`` (else keeping it)."""
        self.collector.busy()  # no full collection right after a change (ui.collect)
        s = self.session
        rows = visible_rows(s, self.query_text, self.order, self.show_closed)
        self.table.show(rows, partial(cells, s), cursor_id)
        self.query_one(ExplainPane).show(s.ranking, self.cursor_id)
        self.refresh_header()
        status = status_line(s, rows, self.order, self.show_closed, self.query_text)
        self.query_one("#status-line", Static).update(status, layout=False)
        self.refresh_tab()

    def refresh_header(self) -> None:
        self.query_one(HeaderLine).show(header_state(self.session, self.files, self.today()))

    def refresh_tab(self) -> None:
        """Redraw the active tab when it is not the Backlog (hidden tabs redraw when shown)."""
        active = self.query_one(TabbedContent).active
        s = self.session
        if active == "matrix":
            self.query_one(MatrixView).show(s.ranking, self.cursor_id)
        elif active == "plan":
            self.query_one(PlanView).show(s.shown, s.lens, self.today())  # the picked method, like the table
        elif active == "review":
            self.query_one(ReviewView).check(s.backlog)
        elif active == "risk":
            self.query_one(RiskView).show(s.shown, s.lens, self.today())

    def changed(self, message: Text | str, cursor_id: str | None = None) -> None:
        """After a change: re-render and tell the user what happened."""
        self.refresh_all(cursor_id)
        self.notify(str(message), markup=False)

    # -- messages up ---------------------------------------------------------------------------

    def on_explain_pane_lenses_ranked(self, _: ExplainPane.LensesRanked) -> None:
        self.collector.settled()  # the first time: the load has settled (ui.collect)

    def on_backlog_table_highlighted(self, event: BacklogTable.Highlighted) -> None:
        self.query_one(ExplainPane).show(self.session.ranking, event.item_id)

    def on_backlog_table_header_clicked(self, event: BacklogTable.HeaderClicked) -> None:
        self.order = self.order.clicked(event.column)
        self.refresh_all()

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FilterInput):
            self.query_text = event.value
            self.refresh_all()

    def on_tabbed_content_tab_activated(self, _: TabbedContent.TabActivated) -> None:
        self.refresh_tab()

    def on_review_view_jump_to(self, event: ReviewView.JumpTo) -> None:
        self.show_item(event.item_id)

    def on_matrix_view_selected(self, event: MatrixView.Selected) -> None:
        if self.table.select(event.item_id):
            self.query_one(ExplainPane).show(self.session.ranking, event.item_id)
        else:  # hidden by the filter: the chart plots every ranked item, the cursor needs a row
            self.query_one(FilterInput).clear()
            self.query_text = ""
            self.refresh_all(event.item_id)

    def on_risk_view_computed(self, _: RiskView.Computed) -> None:
        self.query_one(ExplainPane).risk = self.query_one(RiskView).ranges()
        self.query_one(ExplainPane).show(self.session.ranking, self.cursor_id)

    def on_risk_view_edit_input(self, event: RiskView.EditInput) -> None:
        self.show_item(event.item_id)
        self.editor.edit(event.item_id, event.field)

    def on_disk_changed(self, event: DiskChanged) -> None:
        self.files.disk_changed(event)

    async def on_save_done(self, done: SaveDone) -> None:
        await self.files.save_done(done)

    def on_export_done(self, done: ExportDone) -> None:
        self.files.export_done(done)

    def on_plan_view_pin_requested(self, event: PlanView.PinRequested) -> None:
        self.editor.pin(event.item_id, event.phase)

    def on_tour_list_brief_requested(self, event: TourList.BriefRequested) -> None:
        self.notes.brief(event.key)

    def on_tour_list_met_requested(self, event: TourList.MetRequested) -> None:
        self.notes.met(event.key)

    def action_diff(self) -> None:
        self.notes.diff()

    def show_item(self, item_id: str) -> None:
        """Go to the Backlog tab with the cursor on this item (clearing a filter that hides it)."""
        if self.session.ranking.get(item_id) is None:
            self.show_closed = True
        self.query_one(FilterInput).action_clear_filter()
        self.query_text = ""
        self.query_one(TabbedContent).active = "backlog"
        self.refresh_all(item_id)
        self.table.focus()

    # -- actions -------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for a in actions.ACTIONS:
            yield SystemCommand(a.label, a.description, partial(self.run_action, a.action))

    def action_filter(self) -> None:
        # Opened and focused now, not after a refresh: the keys typed right after `/` are routed
        # as soon as this returns (``ui.keys``), to the focus of that moment.
        self.action_tab("backlog")
        self.query_one(FilterInput).open()

    def action_clear_filter(self) -> None:
        if self.query_text:
            self.query_one(FilterInput).action_clear_filter()

    def action_sort(self) -> None:
        """The sort picker: every column, the current one marked; picking it again reverses it."""
        picker = PickerScreen("Sort by", sort_options(self.order), self.order.column, kind="sort")
        self.push_screen(picker, self._sort_by)

    def _sort_by(self, column: str | None) -> None:
        if column is not None:
            self.order = self.order.clicked(column)
            self.refresh_all()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.refresh_all()

    def action_tab(self, name: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active == name:
            return
        # Focus left in the hidden pane would pull the tabs back to it: move it first. The new
        # pane is shown at once, so its widget takes the focus now: keys typed next go to it.
        self.screen.set_focus(None)
        tabs.active = name
        self._focus_tab(name)

    def _focus_tab(self, name: str) -> None:
        """Focus the first widget of the tab that takes keys (the table, the chart, a list)."""
        pane = self.query_one(TabbedContent).get_pane(name)
        target = next((w for w in pane.query("*") if w.focusable and w.display), None)
        if target is not None:
            self.screen.set_focus(target)

    def action_save(self) -> None:
        self.files.save()

    def action_export(self) -> None:
        self.files.ask_export()

    async def action_help(self) -> None:
        from fulcrum.ui.screens.help import HelpScreen  # a DataTable: not for the first frame's sake

        self.push_screen(HelpScreen(actions.help_rows()), self._help_closed)

    async def _help_closed(self, _: None) -> None:
        await self.opening.mount()  # the file finished loading while the help was open

    def action_lens(self) -> None:
        self.views.pick_lens()

    def action_method(self) -> None:
        self.views.pick_method()

    def on_methods_checked(self, checked: MethodsChecked) -> None:
        self.views.checked(checked)

    def action_edit(self) -> None:
        self.editor.edit(self.cursor_id)

    def action_new(self) -> None:
        self.editor.add()

    def action_decide(self) -> None:
        self.editor.decide(self.cursor_id)

    def _edited(self, item_id: str, verb: str, backlog: Backlog | None) -> None:
        """Commit an edited backlog (None: cancelled) and say where the item went (``ui.editor``)."""
        self.editor.edited(item_id, verb, backlog)

    def action_undo(self) -> None:
        self.editor.undo()

    def action_redo(self) -> None:
        self.editor.redo()

    async def action_quit(self) -> None:
        if not self.ready or not self.session.dirty:
            self.exit()
            return
        message = Text("You have edits that are not saved to the file. Save them before quitting?")
        choices = [("save", "Save and quit"), ("discard", "Quit without saving"), ("cancel", "Cancel")]
        self.push_screen(ChoiceScreen("Unsaved edits", message, choices, default="cancel"), self._quit_answer)

    def _quit_answer(self, answer: str | None) -> None:
        if answer == "discard":
            self.exit()
        elif answer == "save":
            self.files.save(then_quit=True)
