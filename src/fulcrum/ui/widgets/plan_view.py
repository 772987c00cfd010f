"""The Plan tab: three phase columns with capacity bars, the listening tour, and what waits.

Interface used by the app (keep it): ``PlanView.show(backlog, lens)`` is called after every
change; the widget posts ``PlanView.PinRequested(item_id, phase)`` (phase None = unpin) and
the app applies it as an edit of the item's ``phase`` (undoable, saved like any edit).

Solving takes seconds on a large backlog, so ``show`` only asks: the plan is built in a thread
worker (group "plan", exclusive) and posted back as ``PlanSolved``; meanwhile the last plan stays
on screen under "solving…" and every key works. A large backlog (``fulcrum.output.large``) is
solved in a child process (``fulcrum.output.run_in_child``), which the worker only waits on, so the
solve never holds the app's GIL; a smaller one in the worker itself. Either way the view gets a
``PlanPicture`` (what it shows, plain data) and draws it with ``plan_parts``. Each request has a
generation number; a result of an older request than the latest is dropped, and a newer request
cancels the older worker, which kills its child (so does quitting).

Keys (when a list of the view has focus) avoid the app's own (1-4, l, s, m, e, n, d, u, x, c, q);
t focuses the listening tour (``widgets.tour_list``: Enter opens a brief, m marks met);
up/down (k/j) move through a list, left/right to the next list (30, 60, 90, later);
shift+right or ">" pins the highlighted item one phase later, shift+left or "<" one phase earlier
(from "later" into day 90), p pins it where it is, 0 / delete / backspace unpins it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from fulcrum.backlog import PHASES, Backlog
from fulcrum.output import Cancelled, ChildFailed, PlanRequest, large, run_in_child
from fulcrum.plan import Plan, PlanOutcome, PlanPicture, build_plan, plan_for_view
from fulcrum.ui.widgets.plan_parts import done_prompt, item_prompt, later_prompt, phase_head, summary
from fulcrum.ui.widgets.tour_list import TourList

#: The lists of the view, left to right: the three phases, then what waits.
LISTS: tuple[str, ...] = ("30", "60", "90", "later")
#: Items of the "Later" list shown (best first): a list of 10,000 options makes every redraw of
#: the tab slow, and nobody pins the 5,000th item from here.
MAX_LATER = 200


class ItemList(OptionList, can_focus=False):
    """One column of items; prompts are Text objects, never markup. The view keeps the focus
    (one stop in the focus chain) and drives the active list's highlight."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, markup=False)


class PlanView(Vertical, can_focus=True):
    """Three phase columns, the listening tour, and what waits; the active list has a bright border."""

    DEFAULT_CSS = """
    PlanView { height: 1fr; }
    PlanView #plan-summary { height: auto; max-height: 8; padding: 0 1; }
    PlanView #plan-phases { height: 3fr; }
    PlanView .phase { width: 1fr; height: 1fr; border: round $primary-muted; }
    PlanView:focus .-active { border: round $accent; }
    PlanView .phase-head { height: auto; padding: 0 1; }
    PlanView ItemList { height: 1fr; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis; }
    PlanView #plan-bottom { height: 2fr; }
    PlanView #plan-tour-box { width: 1fr; height: 1fr; border: round $primary-muted; padding: 0 1; }
    PlanView #plan-tour-box:focus { border: round $accent; }
    PlanView #plan-later-box { width: 2fr; height: 1fr; border: round $primary-muted; }
    PlanView:focus #plan-later-box.-active { border: round $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "column(-1)", "Previous list", show=False),
        Binding("right", "column(1)", "Next list", show=False),
        Binding("up,k", "cursor('cursor_up')", "Up", show=False),
        Binding("down,j", "cursor('cursor_down')", "Down", show=False),
        Binding("home", "cursor('first')", "First", show=False),
        Binding("end", "cursor('last')", "Last", show=False),
        Binding("pageup", "cursor('page_up')", "Page up", show=False),
        Binding("pagedown", "cursor('page_down')", "Page down", show=False),
        Binding("shift+left,less_than_sign", "pin_step(-1)", "Pin earlier", key_display="<"),
        Binding("shift+right,greater_than_sign", "pin_step(1)", "Pin later", key_display=">"),
        Binding("p", "pin_here", "Pin here"),
        Binding("0,delete,backspace", "unpin", "Unpin", key_display="0"),
        Binding("t", "tour", "Tour"),
    ]

    class PlanSolved(Message):
        """A solve finished (in its worker): what to show, or why there is none; ``plan`` is the
        whole plan when it was built in this process (None when in a child)."""

        def __init__(self, generation: int, plan: Plan | None, outcome: PlanOutcome) -> None:
            super().__init__()
            self.generation = generation
            self.plan = plan
            self.outcome = outcome

    class PinRequested(Message):
        """The user asked to pin an item to a phase (None: unpin)."""

        def __init__(self, item_id: str, phase: int | None) -> None:
            super().__init__()
            self.item_id = item_id
            self.phase = phase

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.picture: PlanPicture | None = None
        """What is shown of the plan (None before the first show, or when it cannot be built)."""
        self.plan: Plan | None = None
        """The plan shown, when it was built in this process (a small backlog); None otherwise."""
        self._shown: tuple[Backlog, str | None, date | None] | None = None
        """What was asked for last: (backlog, lens, today)."""
        self.generation = 0
        """The number of the latest request; a PlanSolved of another is stale."""
        self.solving = False
        """A solve of the latest request is running."""
        self._note = ""
        self._drawn: dict[str, object] = {}
        """What each head and list shows (a part of the picture): the same is not drawn again."""
        self._active = "30"
        self._selected: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="plan-summary")
        with Horizontal(id="plan-phases"):
            for p in PHASES:
                with Vertical(classes="phase", id=f"phase-{p}"):
                    yield Static(classes="phase-head", id=f"head-{p}")
                    yield ItemList(id=f"list-{p}")
        with Horizontal(id="plan-bottom"):
            yield TourList(id="plan-tour-box")  # focusable (t): Enter opens a brief, m marks met
            with Vertical(id="plan-later-box"):
                yield Static(Text(" Later, and why", style="bold"), classes="phase-head")
                yield ItemList(id="list-later")

    # -- showing -------------------------------------------------------------------------------

    def show(self, backlog: Backlog, lens: str | None, today: date | None = None) -> None:
        """Ask for the plan of this backlog under this lens as of ``today`` (None: day 1; nothing
        to do when none changed): "solving…" at once, the plan when its worker posts it."""
        shown = self._shown
        if shown is not None and shown[0] is backlog and shown[1] == lens and shown[2] == today:
            return
        self._shown = (backlog, lens, today)
        self.generation += 1
        self.solving = True
        self._render_summary()
        # Started once the screen is painted: a solve in this process would compete for the GIL
        # with the repaint of the change that asked for it (a pin's re-ranked table).
        self.call_after_refresh(self._start_solve, self.generation)

    def _start_solve(self, generation: int) -> None:
        if generation != self.generation or self._shown is None:
            return  # a newer request came meanwhile: its own call starts it
        self._solve(generation, *self._shown)

    # A description: Textual's default is the repr of the arguments, the whole backlog (0.8 s
    # of the UI thread at 10,000 items).
    @work(thread=True, exclusive=True, group="plan", exit_on_error=False, description="solve the plan")
    def _solve(self, generation: int, backlog: Backlog, lens: str | None, today: date | None) -> None:
        """Off the UI thread: gets frozen values, posts the outcome, changes no widget. A large
        backlog is solved in a child process that this thread waits on (killed if the worker is
        cancelled: a newer request, or the app closing)."""
        plan: Plan | None = None
        if large(backlog):
            try:
                request = PlanRequest(backlog, lens, today, MAX_LATER)
                got = run_in_child(request, get_current_worker().cancelled_event)
                outcome = got if isinstance(got, PlanOutcome) else PlanOutcome(None, error="no plan")
            except Cancelled:
                return  # replaced by a newer request, or the app is closing
            except ChildFailed as exc:
                outcome = PlanOutcome(None, error=str(exc))
            except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
                outcome = PlanOutcome(None, error=f"unexpected error: {exc!r}")
        else:
            plan, outcome = plan_for_view(backlog, lens, today, MAX_LATER, build_plan)
        self.post_message(self.PlanSolved(generation, plan, outcome))

    def on_plan_view_plan_solved(self, solved: PlanSolved) -> None:
        solved.stop()
        if solved.generation != self.generation:
            return  # a newer request replaced it
        self.solving = False
        outcome = solved.outcome
        if outcome.picture is None:
            self._show_error(outcome.error or "no plan")
            return
        self.plan = solved.plan
        pic = self.picture = outcome.picture
        self._note = outcome.note
        self._render_summary()
        # Only what changed is drawn again (an update lays the tab out): after a pin, most lists
        # are as they were.
        for k, ph in enumerate(pic.phases):
            if self._changed(f"head-{ph.phase}", (ph, pic.teams, k)):
                self.query_one(f"#head-{ph.phase}", Static).update(phase_head(pic, ph, k))
            name = str(ph.phase)
            if ph.past:  # history: its done items, shown, not selectable
                if self._changed(name, (ph.history, pic.teams)):
                    rows: list[tuple[str | None, Text]] = [(None, done_prompt(pic, d)) for d in ph.history]
                    self._fill(name, rows, "ended: nothing recorded as done in it")
            elif self._changed(name, (ph.items, pic.teams, pic.currency)):
                self._fill(name, [(p.id, item_prompt(pic, p)) for p in ph.items], "nothing planned")
        if self._changed("tour", (pic.tour, pic.tour_end)):
            self.query_one(TourList).show_tour(pic.tour, pic.tour_end)
        if self._changed("later", (pic.later, pic.later_total)):
            self._fill("later", self._later_rows(pic), "nothing waits: every open item is planned")
        self._follow_selection()

    def _changed(self, name: str, key: object) -> bool:
        """True (and remembered) when the part ``name`` is to show ``key`` and shows something else."""
        if self._drawn.get(name) == key:
            return False
        self._drawn[name] = key
        return True

    @staticmethod
    def _later_rows(pic: PlanPicture) -> list[tuple[str | None, Text]]:
        later = [(lt.id if lt.scored else None, later_prompt(lt)) for lt in pic.later]
        if pic.later_total > len(pic.later):
            more = f"… and {pic.later_total - len(pic.later):,} more wait (the export lists every one)"
            later.append((None, Text(more, style="dim")))
        return later

    def _show_error(self, message: str) -> None:
        self.plan = self.picture = None
        self._drawn.clear()
        self.query_one("#plan-summary", Static).update(Text("Cannot plan: " + message, style="bold red"))
        for name in LISTS:
            self._fill(name, [], "")

    def _render_summary(self) -> None:
        """The summary of the plan shown, under "solving…" while a newer one is being built."""
        text = Text()
        pic = self.picture
        if self.solving:
            text.append("solving…", style="bold reverse")
            shown = "the plan below is the last one" if pic is not None else "the 30-60-90 plan"
            text.append(f" {shown}; every key works meanwhile" + ("\n" if pic else ""), style="dim")
        if pic is not None:
            text.append_text(summary(pic, self._note))
        self.query_one("#plan-summary", Static).update(text)

    def _fill(self, name: str, rows: list[tuple[str | None, Text]], empty: str) -> None:
        lst = self.query_one(f"#list-{name}", ItemList)
        before = lst.highlighted or 0
        options: list[Option | None] = []
        for iid, prompt in rows:
            options += [Option(prompt, id=iid, disabled=iid is None), None]  # None: a divider
        if not rows and empty:
            options = [Option(Text(empty, style="dim"), disabled=True)]
        lst.set_options(options[:-1] if rows else options)
        # Keep the highlight where it was (the nearest selectable row), so a key always has a target.
        enabled = [i for i, o in enumerate(lst.options) if not o.disabled]
        if enabled:
            lst.highlighted = min(enabled, key=lambda i: (abs(i - before), i))

    def _follow_selection(self) -> None:
        """Keep the highlight on the same item, in whichever list it is now."""
        target = self._selected
        for name in LISTS:
            lst = self.query_one(f"#list-{name}", ItemList)
            if target is not None and _index(lst, target) is not None:
                lst.highlighted = _index(lst, target)
                self._activate(name)
                return

    # -- navigation ----------------------------------------------------------------------------

    def _list(self, name: str) -> ItemList:
        return self.query_one(f"#list-{name}", ItemList)

    def _activate(self, name: str) -> None:
        self._active = name
        for other in LISTS:
            box = self.query_one("#plan-later-box" if other == "later" else f"#phase-{other}")
            box.set_class(other == name, "-active")

    def on_mount(self) -> None:
        self._activate(self._active)

    def on_click(self, event: events.Click) -> None:
        """A click in a list makes it the active one (the list itself moves its highlight)."""
        widget: DOMNode | None = event.widget
        while widget is not None and widget is not self:
            if isinstance(widget, ItemList) and widget.id:
                self._activate(widget.id.removeprefix("list-"))
                self._remember(widget)
                break
            widget = widget.parent
        self.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_list.id == f"list-{self._active}":
            self._remember(event.option_list)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    def _remember(self, lst: OptionList) -> None:
        option = lst.highlighted_option
        if option is not None and option.id is not None:
            self._selected = option.id

    def action_column(self, step: int) -> None:
        i = (LISTS.index(self._active) + step) % len(LISTS)
        self._activate(LISTS[i])
        self._remember(self._list(LISTS[i]))

    def action_tour(self) -> None:
        """The focus to the listening tour (Enter: a stakeholder's brief, m: met today)."""
        self.screen.set_focus(self.query_one(TourList))

    def action_cursor(self, action: str) -> None:
        getattr(self._list(self._active), f"action_{action}")()

    # -- pinning -------------------------------------------------------------------------------

    def highlighted(self) -> tuple[str, int | None, int | None] | None:
        """(item id, the phase it is planned in or None, its pin or None) of the highlight; the
        pin is the backlog's as asked for last (the plan shown may be of an older one)."""
        if self.picture is None or self._shown is None:
            return None
        option = self._list(self._active).highlighted_option
        if option is None or option.id is None:
            return None
        try:
            item = self._shown[0].item(option.id)
        except KeyError:
            return None
        phase = None if self._active == "later" else int(self._active)
        return option.id, phase, item.phase

    def action_pin_step(self, step: int) -> None:
        """Pin one phase earlier (-1) or later (+1); an item that waits comes in at day 90."""
        got = self.highlighted()
        if got is None:
            return
        iid, phase, pin = got
        if phase is None:
            target = 90 if step < 0 else None
        else:
            k = min(max(PHASES.index(phase) + step, 0), len(PHASES) - 1)
            target = PHASES[k]
        self._request(iid, pin, target)

    def action_pin_here(self) -> None:
        got = self.highlighted()
        if got is not None:
            self._request(got[0], got[2], got[1])

    def action_unpin(self) -> None:
        got = self.highlighted()
        if got is None or got[2] is None:
            self.app.bell()
            return
        self._selected = got[0]
        self.post_message(self.PinRequested(got[0], None))

    def _request(self, iid: str, pin: int | None, target: int | None) -> None:
        if target is None or target == pin:
            self.app.bell()
            return
        self._selected = iid
        self.post_message(self.PinRequested(iid, target))


def _index(lst: OptionList, item_id: str) -> int | None:
    for i, option in enumerate(lst.options):
        if option.id == item_id:
            return i
    return None
