"""What the Plan tab draws: the summary, a phase's head (one capacity bar per pool, or "ended"),
its items (each with its pool), the done items of an ended phase, and what waits.

Pure functions from a :class:`~fulcrum.plan.PlanPicture` (the plan as the tab shows it, made in
the app's process or in a child process) to ``rich.text.Text`` (user text is never markup);
:mod:`fulcrum.ui.widgets.plan_view` lays them out. A phase column of an 80-column terminal is 24
cells wide, so every line of a head fits in 24 cells.
"""

from __future__ import annotations

from rich.text import Text

from fulcrum.plan import DonePicture, ItemPicture, LaterPicture, PhasePicture, PlanPicture, PoolPicture
from fulcrum.text import fmt

_DAYS = {30: "Days 1-30", 60: "Days 31-60", 90: "Days 61-90"}
#: The bar of a phase's one pool, and of each pool when there are several (with a name beside it:
#: the bar gives way to the figures, never the other way round).
BAR_WIDTH = 10
POOL_BAR_WIDTH = 6
POOL_LABEL = 7
#: A phase column of an 80-column terminal holds 22 cells inside its border and padding.
HEAD_WIDTH = 22


def summary(pic: PlanPicture, note: str = "") -> Text:
    """The value and how close to optimal, lens, start; as-of, early wins, pin costs, missed
    deadlines, warnings and ``note``."""
    text = Text()
    text.append("First-year value ", style="bold")
    text.append(fmt.money(pic.objective, pic.currency), style="bold green")
    text.append(f" ({pic.optimality})", style="dim")
    text.append(f" · lens {pic.lens} · from {pic.start.isoformat()}", style="dim")
    if pic.as_of:
        text.append("\n" + pic.as_of, style="bold")
    text.append("\n" + pic.early_wins)
    for line in pic.pin_costs:
        text.append("\n" + line, style="dim")
    for iid, due, reason in pic.missed:
        text.append(f"\n! deadline missed: {iid} (due {due.isoformat()}): {reason}", style="red")
    for w in pic.warnings:
        text.append("\n! " + w, style="yellow")
    if note:
        text.append("\n" + note, style="yellow")
    return text


def phase_head(pic: PlanPicture, ph: PhasePicture, k: int) -> Text:
    """The title, then the capacity: one bar (yours only) or one per pool, or "ended" for history."""
    head = Text(f"{_DAYS[ph.phase]}", style="bold")
    head.append(f" → {ph.end.isoformat()}", style="dim")
    if ph.past:
        done = len(ph.history)
        head.append("\nENDED", style="bold reverse")
        head.append(f" · {done} done" if done else " · history", style="dim")
        return head
    if pic.teams:
        for use in ph.pools:
            head.append("\n")
            head.append_text(_pool_bar(use))
    else:
        head.append("\n")
        head.append_text(_bar(max(ph.available, 0.0), ph.used, BAR_WIDTH))
        head.append(f" {fmt.weeks(ph.used).removesuffix(' wk')}/{fmt.weeks(max(ph.available, 0.0))}")
    if ph.over_capacity:
        head.append("\nOVER capacity", style="bold red")
        if not pic.teams and ph.available < ph.capacity - 1e-9:  # why a phase can read 0/0 and be over
            head.append(f"\nearlier: {fmt.weeks(ph.capacity - ph.available)} over", style="red")
    elif pic.teams:  # the bars say what is left; a line less for the items
        pass
    elif ph.share < 1:
        head.append(f"\n{ph.share:.0%} of it still to come", style="dim")
    elif k > 0 and ph.available > ph.capacity:
        head.append(f"\n+{fmt.weeks(ph.available - ph.capacity)} carried over", style="dim")
    return head


def _pool_bar(use: PoolPicture) -> Text:
    """``Paymen… ███░░░ 4/10``: the pool's name cut to fit, its bar, used/available (no unit)."""
    name = use.name
    label = name if len(name) <= POOL_LABEL else name[: POOL_LABEL - 1] + "…"
    line = Text(f"{label:<{POOL_LABEL}} ", style="bold red" if use.over_capacity else "")
    room = max(use.available, 0.0)
    figures = f" {fmt.weeks(use.used).removesuffix(' wk')}/{fmt.weeks(room).removesuffix(' wk')}"
    width = max(2, min(POOL_BAR_WIDTH, HEAD_WIDTH - line.cell_len - len(figures)))
    line.append_text(_bar(room, use.used, width))
    line.append(figures)
    return line


def _bar(room: float, used: float, width: int) -> Text:
    full = max(room, used)
    filled = 0 if full <= 0 else round(width * min(used, room) / full)
    over = 0 if full <= 0 else round(width * max(used - room, 0.0) / full)
    bar = Text()
    bar.append("█" * filled, style="green")
    bar.append("█" * over, style="red")
    bar.append("░" * max(width - filled - over, 0), style="dim")
    return bar


def item_prompt(pic: PlanPicture, p: ItemPicture) -> Text:
    """A planned item: title; value, effort, due; quadrant, tags, owner, pool, id; who is not met."""
    text = Text(p.title, style="bold")
    text.append(f"\n{fmt.money(p.value, pic.currency)}/yr · {fmt.weeks(p.effort)} · due {p.due.isoformat()}")
    tags = [p.quadrant]
    if p.doing:
        tags.append("in progress")
    elif p.early_win:
        tags.append("early win")
    if p.pin is not None:
        tags.append(f"pinned {p.pin}" + ("" if p.pin == p.phase else " (ended)"))
    if p.owner:
        tags.append(p.owner)
    text.append("\n" + " · ".join(tags), style="cyan")
    if pic.teams:
        text.append(" · " + p.pool, style="magenta")
    text.append(" · " + p.id, style="dim")
    if p.unmet:
        text.append("\nnot met yet: " + ", ".join(p.unmet), style="yellow")
    if p.due_flag:
        text.append("\n! " + p.due_flag, style="red")
    return text


def done_prompt(pic: PlanPicture, d: DonePicture) -> Text:
    """A done item of an ended phase: title, when, estimate against what it took."""
    text = Text("✓ ", style="green")
    text.append(d.title, style="dim bold")
    when = d.done_on.isoformat() if d.done_on else "no date"
    line = f"\ndone {when} · est. {fmt.weeks(d.expected)}"
    if d.actual is not None and d.accuracy is not None:
        line += f" · took {fmt.weeks(d.actual)} ({d.accuracy:.2f}x)"
    text.append(line, style="dim")
    if pic.teams:
        text.append(" · " + d.pool, style="dim magenta")
    return text


def later_prompt(lt: LaterPicture) -> Text:
    """An item that waits: id and title; why; its pin when it waits anyway."""
    text = Text(lt.id, style="bold" if lt.scored else "dim")
    text.append(" " + lt.title, style="" if lt.scored else "dim")
    text.append("\n  " + lt.reason, style="dim")
    if lt.pin is not None:
        text.append(f" (pinned {lt.pin})", style="yellow")
    return text
