"""The Risk tab: how sure the plan is, each item's ranges, and which number to check first.

Interface used by the app (keep it): ``RiskView.show(backlog, lens)`` is called when the tab is
shown and after every change while it is; the widget posts ``RiskView.Computed`` when new figures
arrive (the app hands ``RiskView.risk`` to the explanation pane) and ``RiskView.EditInput(item_id,
field)`` when Enter is pressed on a Verify-first row (the app opens the item's form on that field).

Sampling and re-solving take seconds, so ``show`` only asks: the analysis runs in a thread worker
(group "risk", exclusive), reporting progress as it goes; the figures shown stay on screen, marked
stale, until the new ones arrive, and every key works meanwhile. A large backlog
(``remote.large_for_risk``) is analysed in a child process (``remote.run_in_child``), which the
worker only waits on, so the analysis never holds the app's GIL; the child reports its progress
too. Either way the view draws a ``RiskPicture`` (what it shows, plain data); ``risk`` is the whole
analysis only when it was made in this process. Each request has a generation number: a result or
a progress report of an older one is dropped, an older worker stops at its next progress report,
and a newer request cancels the older worker, which kills its child (so does quitting).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from fulcrum.backlog import Backlog
from fulcrum.output import Cancelled, ChildFailed, RiskRequest, large_for_risk, run_in_child
from fulcrum.plan import Plan
from fulcrum.risk import (
    PLAN_SAMPLES,
    SAMPLES,
    SEED,
    TOP,
    ItemRanges,
    Progress,
    QuestionPicture,
    Risk,
    RiskOutcome,
    RiskPicture,
    analyse,
    analyse_for_view,
    failure_text,
    item_ranges,
    percent,
    picture_of,
)
from fulcrum.text import fmt

BAR_WIDTH = 20
#: Verify-first rows shown (the CLI's JSON has every input).
SHOWN_QUESTIONS = 20
#: Item rows shown (best first): a DataTable lays out every row it is given, which takes the UI
#: thread most of a second at 1,000 rows; the CLI's JSON has every item.
SHOWN_ITEMS = 200
#: A progress report is posted at most every this many percent.
PROGRESS_STEP = 2


class _Stale(Exception):
    """A newer request replaced the one this worker computes."""


class RiskView(Vertical):
    """The plan's odds, the per-item table and the Verify-first list."""

    SCOPED_CSS = False  # every rule names RiskView; the small-screen ones start at the Screen
    DEFAULT_CSS = """
    RiskView { height: 1fr; }
    RiskView #risk-summary { height: auto; max-height: 7; padding: 0 1; }
    RiskView #risk-items { height: 1fr; }
    RiskView #risk-verify-head { height: 1; padding: 0 1; }
    RiskView #risk-verify { height: 1fr; }
    RiskView #risk-detail { height: auto; max-height: 5; padding: 0 1; border-top: solid $primary-muted; }
    Screen.-short RiskView #risk-summary { max-height: 4; }
    Screen.-short RiskView #risk-detail { max-height: 3; }
    """

    class Computed(Message):
        """The analysis of the latest request arrived (or failed: ``error``)."""

        def __init__(self, generation: int, risk: Risk | None, outcome: RiskOutcome) -> None:
            super().__init__()
            self.generation = generation
            self.risk = risk
            """The whole analysis, when it was made in this process (None when in a child)."""
            self.outcome = outcome

    class Progressed(Message):
        """How far the worker of request ``generation`` is."""

        def __init__(self, generation: int, done: int, total: int) -> None:
            super().__init__()
            self.generation = generation
            self.done = done
            self.total = total

    class EditInput(Message):
        """The user asked to edit this input of this item (``effort``, ``confidence``, ``impact.M``)."""

        def __init__(self, item_id: str, field: str) -> None:
            super().__init__()
            self.item_id = item_id
            self.field = field

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.picture: RiskPicture | None = None
        """The figures shown (None before the first arrive)."""
        self.risk: Risk | None = None
        """The analysis shown, when it was made in this process (a small backlog); None otherwise."""
        self.stale = False
        """The figures shown are for an earlier backlog or lens than the one asked for last."""
        self.computing = False
        self.generation = 0
        self.error: str | None = None
        self._asked: tuple[Backlog, str | None, date | None] | None = None
        self._analysed: tuple[Backlog, str | None] | None = None
        self._progress = (0, 1)
        self._questions: list[tuple[str, str]] = []
        self._details: list[Text] = []
        self.compute: Callable[[Plan, Progress], Risk] = lambda plan, progress: analyse(
            plan, progress=progress
        )
        """The analysis in this process (tests put a slow or blocking one here)."""

    def compose(self) -> ComposeResult:
        yield Static(id="risk-summary")
        items: DataTable[Text] = DataTable(id="risk-items", cursor_type="row", zebra_stripes=True)
        yield items
        head = Text(" Verify first: what checking each number is worth (Enter: edit it)", style="bold")
        yield Static(head, id="risk-verify-head")
        verify: DataTable[Text] = DataTable(id="risk-verify", cursor_type="row", zebra_stripes=True)
        yield verify
        yield Static(id="risk-detail")

    def on_mount(self) -> None:
        self._render_summary()

    # -- asking --------------------------------------------------------------------------------

    def show(self, backlog: Backlog, lens: str | None, today: date | None = None) -> None:
        """Ask for the figures of this backlog under this lens, as of ``today`` (the plan's rule;
        nothing to do when none changed)."""
        if self._asked is not None and self._asked[0] is backlog and self._asked[1:] == (lens, today):
            return
        self._asked = (backlog, lens, today)
        self.generation += 1
        self.computing = True
        self.stale = self.picture is not None
        self._progress = (0, 1)
        self._render_summary()
        self._compute(self.generation, backlog, lens, today)

    @work(thread=True, exclusive=True, group="risk", exit_on_error=False, description="risk")
    def _compute(self, generation: int, backlog: Backlog, lens: str | None, today: date | None) -> None:
        """Off the UI thread: frozen values in, messages out, no widget touched."""
        worker = get_current_worker()
        last = [-PROGRESS_STEP]

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled or generation != self.generation:
                raise _Stale
            pct = 100 * done // max(total, 1)
            if pct - last[0] >= PROGRESS_STEP or done == total:
                last[0] = pct
                self.post_message(self.Progressed(generation, done, total))

        risk: Risk | None = None
        try:
            if large_for_risk(backlog):
                request = RiskRequest(
                    backlog, lens, today, SHOWN_ITEMS, SHOWN_QUESTIONS, SAMPLES, PLAN_SAMPLES, SEED, TOP
                )
                got = run_in_child(request, worker.cancelled_event, progress)
                outcome = got if isinstance(got, RiskOutcome) else RiskOutcome(None, "no figures")
            else:
                risk = analyse_for_view(backlog, lens, today, progress, self.compute)
                outcome = RiskOutcome(picture_of(risk, SHOWN_ITEMS, SHOWN_QUESTIONS))
        except (_Stale, Cancelled):
            return  # replaced by a newer request, or the app is closing
        except ChildFailed as exc:
            outcome = RiskOutcome(None, str(exc))
        except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
            outcome = RiskOutcome(None, failure_text(exc))
        self.post_message(self.Computed(generation, risk, outcome))

    def on_risk_view_progressed(self, event: Progressed) -> None:
        event.stop()
        if event.generation == self.generation and self.computing:
            self._progress = (event.done, event.total)
            self._render_summary()

    def on_risk_view_computed(self, event: Computed) -> None:
        if event.generation != self.generation:
            event.stop()  # a newer request replaced it
            return
        self.computing = False
        self.error = event.outcome.error
        if event.outcome.picture is not None:
            self.picture = event.outcome.picture
            self.risk = event.risk
            self._analysed = self._asked[:2] if self._asked is not None else None
            self.stale = False
            self._fill()
        self._render_summary()  # the message goes on up: the app updates the explanation pane

    def ranges(self) -> ItemRanges | None:
        """The shown items' ranges for the explanation pane (either path: a child sends them too)."""
        if self.picture is None or self._analysed is None:
            return None
        return item_ranges(self.picture, *self._analysed)

    # -- drawing -------------------------------------------------------------------------------

    def _render_summary(self) -> None:
        text = Text()
        if self.computing:
            done, total = self._progress
            filled = BAR_WIDTH * done // max(total, 1)
            text.append("computing… ", style="bold reverse")
            text.append("█" * filled + "░" * (BAR_WIDTH - filled))
            text.append(f" {100 * done // max(total, 1)}%", style="bold")
            text.append(" · every key works meanwhile", style="dim")
            if self.stale:
                text.append("\nSTALE: the figures below are from before the last change", style="bold yellow")
            text.append("\n")
        if self.error:
            text.append("Cannot analyse: " + self.error + "\n", style="bold red")
        risk = self.picture
        if risk is None:
            if not self.computing:
                text.append("The odds appear here once computed.", style="dim")
            self.query_one("#risk-summary", Static).update(text)
            return
        cur = risk.currency
        v = risk.value
        text.append("Finishes by day 90 in ", style="bold")
        text.append(percent(risk.fits), style="bold green" if risk.fits >= 0.8 else "bold yellow")
        text.append(" of samples", style="bold")
        text.append(
            f" · first-year value P10 {fmt.money(v.p10, cur)} · P50 {fmt.money(v.p50, cur)} · "
            f"P90 {fmt.money(v.p90, cur)} (expected {fmt.money(risk.objective, cur)})"
        )
        text.append(f"\nEVPI {fmt.money(risk.evpi, cur)}", style="bold")
        text.append(
            f" (what knowing every number would add) · {risk.samples:,} samples, "
            f"{risk.plan_samples:,} re-solves, seed {risk.seed} · "
            "draws independent: correlations not modelled",
            style="dim",
        )
        if risk.better is not None:
            text.append(
                f"\nA re-solved plan does better on average (+{fmt.money(risk.better_by, cur)}): "
                + risk.better,
                style="yellow",
            )
        self.query_one("#risk-summary", Static).update(text)

    def _fill(self) -> None:
        risk = self.picture
        assert risk is not None
        cur = risk.currency
        items = self.query_one("#risk-items", DataTable)
        at = items.cursor_row
        items.clear(columns=True)
        for label in (
            "Item",
            "Value P10",
            "P50",
            "P90",
            "Rank P10-P90",
            f"P(top {risk.top})",
            "P(in plan)",
            "P(first)",
            "On time",
        ):
            items.add_column(Text(label), key=label)
        for it in risk.items:
            on_time = "-" if it.p_on_time is None else f"{percent(it.p_on_time)} by {it.planned_phase}"
            items.add_row(
                Text(it.id, style="bold"),
                Text(fmt.money(it.value.p10, cur), justify="right"),
                Text(fmt.money(it.value.p50, cur), justify="right"),
                Text(fmt.money(it.value.p90, cur), justify="right"),
                Text(f"{int(it.rank.p10)}-{int(it.rank.p90)}", justify="right"),
                Text(percent(it.p_top), justify="right"),
                Text(percent(it.p_in_plan), justify="right"),
                Text(percent(it.p_first_phase), justify="right"),
                Text(on_time),
                key=it.id,
            )
        if risk.items_total > len(risk.items):  # short: the first column is as wide as its cells
            more = Text(f"+{risk.items_total - len(risk.items):,} more", style="dim")
            items.add_row(more, *[Text("")] * 7, Text("fulcrum risk lists all", style="dim"))
        if risk.items:
            items.move_cursor(row=min(at, len(risk.items) - 1))
        verify = self.query_one("#risk-verify", DataTable)
        at = verify.cursor_row
        verify.clear(columns=True)
        for label in ("#", "Item", "Input", "Worth", "Range", "Ask"):
            verify.add_column(Text(label), key=label)
        shown = risk.questions
        self._questions = [(q.id, q.input) for q in shown]
        self._details = [self._detail(q) for q in shown]
        for n, q in enumerate(shown, 1):
            verify.add_row(
                Text(str(n)),
                Text(q.id, style="bold"),
                Text(q.input),
                Text(fmt.money(q.evppi, cur), justify="right", style="bold"),
                Text(q.range),
                Text("; ".join(q.ask) or "-"),
                key=f"{q.id} {q.input}",
            )
        if not shown:
            nothing = Text("nothing to check: no single number would change the plan", style="dim")
            verify.add_row(Text(""), nothing, *[Text("")] * 4)
            self.query_one("#risk-detail", Static).update("")
        else:
            verify.move_cursor(row=min(at, len(shown) - 1))
            self._show_detail(verify.cursor_row)

    def _detail(self, q: QuestionPicture) -> Text:
        """Whom to ask and what the plan does at each end, in full (the table cuts long cells)."""
        assert self.picture is not None
        text = Text()
        text.append(f"{q.id} {q.input}", style="bold")
        text.append(f": {q.range}")
        text.append(f"\n{q.low_end}: ", style="bold")
        text.append(q.at_low)
        text.append(f" · {q.high_end}: ", style="bold")
        text.append(q.at_high)
        if self.picture.better is not None:
            text.append(" (changes from the re-solved plan that does better on average)", style="dim")
        if q.ask:
            text.append("\nask: ", style="bold")
            text.append("; ".join(q.ask))
        return text

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self._details):
            self.query_one("#risk-detail", Static).update(self._details[row])

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.data_table.id == "risk-verify":
            self._show_detail(event.cursor_row)

    @property
    def questions(self) -> list[tuple[str, str]]:
        """(item id, input) of each Verify-first row shown."""
        return list(self._questions)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.data_table.id == "risk-verify" and event.cursor_row < len(self._questions):
            item_id, field = self._questions[event.cursor_row]
            self.post_message(self.EditInput(item_id, field))
