"""What the Plan tab draws for a phase: its head (one capacity bar per pool, or "ended"), its items
(each with its pool), the done items of an ended phase, and the as-of and accuracy lines.

Pure functions from a :class:`~fulcrum.plan.Plan` to ``rich.text.Text`` (user text is never markup);
:mod:`fulcrum.ui.widgets.plan_view` lays them out. A phase column of an 80-column terminal is 24
cells wide, so every line of a head fits in 24 cells.
"""

from __future__ import annotations

from rich.text import Text

from fulcrum.plan import DoneItem, PhasePlan, Plan, PlannedItem, PoolUse, day_text, owner_of, pool_name
from fulcrum.scoring import QUADRANT_LABELS
from fulcrum.text import fmt

_DAYS = {30: "Days 1-30", 60: "Days 31-60", 90: "Days 61-90"}
#: The bar of a phase's one pool, and of each pool when there are several (with a name beside it:
#: the bar gives way to the figures, never the other way round).
BAR_WIDTH = 10
POOL_BAR_WIDTH = 6
POOL_LABEL = 7
#: A phase column of an 80-column terminal holds 22 cells inside its border and padding.
HEAD_WIDTH = 22


def phase_head(plan: Plan, ph: PhasePlan, k: int) -> Text:
    """The title, then the capacity: one bar (yours only) or one per pool, or "ended" for history."""
    head = Text(f"{_DAYS[ph.phase]}", style="bold")
    head.append(f" → {ph.end.isoformat()}", style="dim")
    if ph.past:
        done = len(ph.history)
        head.append("\nENDED", style="bold reverse")
        head.append(f" · {done} done" if done else " · history", style="dim")
        return head
    if plan.teams:
        for use in ph.pools.values():
            head.append("\n")
            head.append_text(_pool_bar(use, plan))
    else:
        head.append("\n")
        head.append_text(_bar(max(ph.available, 0.0), ph.used, BAR_WIDTH))
        head.append(f" {fmt.weeks(ph.used).removesuffix(' wk')}/{fmt.weeks(max(ph.available, 0.0))}")
    if ph.over_capacity:
        head.append("\nOVER capacity", style="bold red")
    elif plan.teams:  # the bars say what is left; a line less for the items
        pass
    elif ph.share < 1:
        head.append(f"\n{ph.share:.0%} of it still to come", style="dim")
    elif k > 0 and ph.available > ph.capacity:
        head.append(f"\n+{fmt.weeks(ph.available - ph.capacity)} carried over", style="dim")
    return head


def _pool_bar(use: PoolUse, plan: Plan) -> Text:
    """``Paymen… ███░░░ 4/10``: the pool's name cut to fit, its bar, used/available (no unit)."""
    name = pool_name(plan, use.pool)
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


def item_prompt(plan: Plan, p: PlannedItem) -> Text:
    """A planned item: title; value, effort, due; quadrant, tags, owner, pool, id; who is not met."""
    s = p.scored
    cur = plan.ranking.backlog.backlog.currency
    text = Text(s.item.title, style="bold")
    text.append(f"\n{fmt.money(s.value, cur)}/yr · {fmt.weeks(s.effort)} · due {p.due.isoformat()}")
    tags = [QUADRANT_LABELS[s.quadrant]]
    if s.item.status == "doing":
        tags.append("in progress")
    elif p.quick_win and p.phase == 30 and s.value > 0:
        tags.append("early win")
    if p.pinned:
        tags.append(f"pinned {s.item.phase}" + ("" if s.item.phase == p.phase else " (ended)"))
    owner = owner_of(plan.ranking.backlog, s.item)
    if owner:
        tags.append(owner)
    text.append("\n" + " · ".join(tags), style="cyan")
    if plan.teams:
        text.append(" · " + pool_name(plan, p.pool), style="magenta")
    text.append(" · " + s.id, style="dim")
    if p.unmet_stakeholders:
        people = plan.ranking.backlog.stakeholders
        names = ", ".join(people[k].name if k in people else k for k in p.unmet_stakeholders)
        text.append("\nnot met yet: " + names, style="yellow")
    if p.due_flag:
        text.append("\n! " + p.due_flag, style="red")
    return text


def done_prompt(plan: Plan, d: DoneItem) -> Text:
    """A done item of an ended phase: title, when, estimate against what it took."""
    text = Text("✓ ", style="green")
    text.append(d.item.title, style="dim bold")
    when = d.item.done_on.isoformat() if d.item.done_on else "no date"
    line = f"\ndone {when} · est. {fmt.weeks(d.expected)}"
    if d.actual is not None and d.accuracy is not None:
        line += f" · took {fmt.weeks(d.actual)} ({d.accuracy:.2f}x)"
    text.append(line, style="dim")
    if plan.teams:
        text.append(" · " + pool_name(plan, d.pool), style="dim magenta")
    return text


def summary_lines(plan: Plan) -> list[tuple[str, str]]:
    """(line, style) for the summary, one short line: as of which day, the estimate accuracy so far."""
    parts = []
    day = day_text(plan)
    if day and plan.today is not None:
        parts.append(f"As of {plan.today.isoformat()} ({day})")
    acc = plan.accuracy
    if acc.overall is not None:
        n = len(acc.items)
        parts.append(f"estimates took {acc.overall:.2f}x ({n} done; shown only)")
    return [(" · ".join(parts), "bold")] if parts else []
