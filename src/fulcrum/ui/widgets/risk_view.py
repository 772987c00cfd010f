"""The Risk tab: how sure the plan is, each item's ranges, and which number to check first.

Interface used by the app (keep it): ``RiskView.show(backlog, lens)`` is called when the tab is
shown and after every change while it is; the widget posts ``RiskView.Computed`` when new figures
arrive (the app hands ``RiskView.risk`` to the explanation pane) and ``RiskView.EditInput(item_id,
field)`` when Enter is pressed on a Verify-first row (the app opens the item's form on that field).

Sampling and re-solving take seconds, so ``show`` only asks: the analysis runs in a thread worker
(group "risk", exclusive), reporting progress as it goes; the figures shown stay on screen, marked
stale, until the new ones arrive, and every key works meanwhile. Each request has a generation
number: a result or a progress report of an older one is dropped, and an older worker stops at
its next progress report.
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
from fulcrum.plan import Plan, build_plan
from fulcrum.risk import (
    Progress,
    Question,
    Risk,
    analyse,
    ask,
    change_text,
    ends_text,
    percent,
    range_text,
)
from fulcrum.scoring import ScoringError
from fulcrum.text import fmt

BAR_WIDTH = 20
#: Verify-first rows shown (the CLI's JSON has every input).
SHOWN_QUESTIONS = 20
#: A progress report is posted at most every this many percent.
PROGRESS_STEP = 2


def _analyse(plan: Plan, progress: Progress) -> Risk:
    return analyse(plan, progress=progress)


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

        def __init__(self, generation: int, risk: Risk | None, error: str | None) -> None:
            super().__init__()
            self.generation = generation
            self.risk = risk
            self.error = error

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
        self.risk: Risk | None = None
        """The figures shown (None before the first arrive)."""
        self.stale = False
        """The figures shown are for an earlier backlog or lens than the one asked for last."""
        self.computing = False
        self.generation = 0
        self.error: str | None = None
        self._asked: tuple[Backlog, str | None, date | None] | None = None
        self._progress = (0, 1)
        self._questions: list[tuple[str, str]] = []
        self._details: list[Text] = []
        self.compute: Callable[[Plan, Progress], Risk] = lambda plan, progress: analyse(
            plan, progress=progress
        )
        """The analysis (tests put a slow or blocking one here)."""

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
        self.stale = self.risk is not None
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

        try:
            try:
                plan = build_plan(backlog, lens, today=today)
            except ScoringError:  # the plan needs values, not scores (as the Plan tab does)
                scoring = backlog.scoring.model_copy(update={"method": "value_density"})
                plan = build_plan(backlog.model_copy(update={"scoring": scoring}), lens, today=today)
            message = self.Computed(generation, self.compute(plan, progress), None)
        except _Stale:
            return
        except ScoringError as exc:
            message = self.Computed(generation, None, str(exc))
        except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
            message = self.Computed(generation, None, f"unexpected error: {exc!r}")
        self.post_message(message)

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
        self.error = event.error
        if event.risk is not None:
            self.risk = event.risk
            self.stale = False
            self._fill()
        self._render_summary()  # the message goes on up: the app updates the explanation pane

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
        risk = self.risk
        if risk is None:
            if not self.computing:
                text.append("The odds appear here once computed.", style="dim")
            self.query_one("#risk-summary", Static).update(text)
            return
        cur = risk.plan.ranking.backlog.backlog.currency
        v = risk.value
        text.append("Finishes by day 90 in ", style="bold")
        text.append(percent(risk.fits), style="bold green" if risk.fits >= 0.8 else "bold yellow")
        text.append(" of samples", style="bold")
        text.append(
            f" · first-year value P10 {fmt.money(v.p10, cur)} · P50 {fmt.money(v.p50, cur)} · "
            f"P90 {fmt.money(v.p90, cur)} (expected {fmt.money(risk.plan.objective, cur)})"
        )
        text.append(f"\nEVPI {fmt.money(risk.evpi, cur)}", style="bold")
        text.append(
            f" (what knowing every number would add) · {risk.samples:,} samples, "
            f"{risk.plan_samples:,} re-solves, seed {risk.seed} · "
            "draws independent: correlations not modelled",
            style="dim",
        )
        if risk.better:
            text.append(
                f"\nA re-solved plan does better on average (+{fmt.money(risk.better_by, cur)}): "
                + change_text(risk.better),
                style="yellow",
            )
        self.query_one("#risk-summary", Static).update(text)

    def _fill(self) -> None:
        risk = self.risk
        assert risk is not None
        b = risk.plan.ranking.backlog
        cur = b.backlog.currency
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
        if risk.items:
            items.move_cursor(row=min(at, len(risk.items) - 1))
        verify = self.query_one("#risk-verify", DataTable)
        at = verify.cursor_row
        verify.clear(columns=True)
        for label in ("#", "Item", "Input", "Worth", "Range", "Ask"):
            verify.add_column(Text(label), key=label)
        shown = [q for q in risk.verify_first if q.evppi > 0][:SHOWN_QUESTIONS]
        self._questions = [(q.id, q.input) for q in shown]
        self._details = [self._detail(q) for q in shown]
        for n, q in enumerate(shown, 1):
            verify.add_row(
                Text(str(n)),
                Text(q.id, style="bold"),
                Text(q.input),
                Text(fmt.money(q.evppi, cur), justify="right", style="bold"),
                Text(range_text(b, q)),
                Text("; ".join(ask(b, q)) or "-"),
                key=f"{q.id} {q.input}",
            )
        if not shown:
            nothing = Text("nothing to check: no single number would change the plan", style="dim")
            verify.add_row(Text(""), nothing, *[Text("")] * 4)
            self.query_one("#risk-detail", Static).update("")
        else:
            verify.move_cursor(row=min(at, len(shown) - 1))
            self._show_detail(verify.cursor_row)

    def _detail(self, q: Question) -> Text:
        """Whom to ask and what the plan does at each end, in full (the table cuts long cells)."""
        assert self.risk is not None
        b = self.risk.plan.ranking.backlog
        low, high = ends_text(q)
        text = Text()
        text.append(f"{q.id} {q.input}", style="bold")
        text.append(f": {range_text(b, q)}")
        text.append(f"\n{low}: ", style="bold")
        text.append(change_text(q.at_low))
        text.append(f" · {high}: ", style="bold")
        text.append(change_text(q.at_high))
        if self.risk.better:
            text.append(" (changes from the re-solved plan that does better on average)", style="dim")
        who = ask(b, q)
        if who:
            text.append("\nask: ", style="bold")
            text.append("; ".join(who))
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
