"""The plan section of the Markdown export: value, early wins, estimate accuracy, the listening
tour, and each phase with its capacity per pool, what was done in it and its items.

Every user string goes through :func:`fulcrum.output.markdown_escape.md`, and our own numbers too.
"""

from __future__ import annotations

import math

from fulcrum.backlog import Backlog
from fulcrum.output.markdown_escape import md, table
from fulcrum.plan import (
    DoneItem,
    PhasePlan,
    Plan,
    PlannedItem,
    day_text,
    owner_of,
    pin_cost_lines,
    pool_name,
    ratio_words,
)
from fulcrum.scoring import QUADRANT_LABELS
from fulcrum.text import fmt

_PHASE_DAYS = {30: "Days 1-30", 60: "Days 31-60", 90: "Days 61-90"}


def _money(backlog: Backlog, x: float) -> str:
    return md(fmt.money(x, backlog.backlog.currency))


def plan_section(plan: Plan, internal: bool = False) -> str:
    """The "## The 30-60-90 plan" section; ``internal`` adds the author's notes (estimate accuracy,
    what to fix in the backlog, whom the work serves that is not met yet, influence and met dates)."""
    backlog = plan.ranking.backlog
    m = lambda x: _money(backlog, x)  # noqa: E731
    out = ["## The 30-60-90 plan", ""]
    out.append(f"Value in the first year, each item counted from the end of its phase: {m(plan.objective)}.")
    if not plan.optimal:
        out.append(
            "The search stopped before it proved how close this plan is to the best."
            if math.isinf(plan.gap)
            else f"No plan is worth more than {md(f'{plan.gap:.2%}')} above this one (search stopped early)."
        )
    out.append("")
    out.append(_early_wins_line(plan))
    if internal:
        out += _accuracy_lines(plan)
    if plan.pin_costs:
        out += ["", *(md(line) for line in pin_cost_lines(plan))]
    if plan.deadlines_missed:
        out += ["", "Deadlines the plan cannot meet (it meets as many as it can):", ""]
        out += [
            f"- {md(m.item.title)} (due {m.due.isoformat()}): {md(m.reason)}" for m in plan.deadlines_missed
        ]
    if plan.warnings and internal:
        out += ["", "To fix in the backlog:", ""]
        out += [f"- {md(w)}" for w in plan.warnings]
    out += ["", "### Listening tour", "", _tour_table(plan) if internal else _public_tour(plan)]
    for phase in plan.phases:
        out += ["", *_phase_block(plan, phase, internal)]
    return "\n".join(out)


def _phase_block(plan: Plan, phase: PhasePlan, internal: bool = False) -> list[str]:
    """A phase's heading, its capacity (per pool where teams exist), what was done in it, its items."""
    backlog = plan.ranking.backlog
    days = _PHASE_DAYS.get(phase.phase, f"Day {phase.phase}")
    if phase.past:
        out = [f"### {days} (until {phase.end.isoformat()}): ended", ""]
        out.append(
            "History, not re-planned. Done in this phase:" if phase.history else "Nothing recorded as done."
        )
        if phase.history:
            out += ["", _history_table(plan, phase.history, internal)]
        return out
    out = [f"### {days} (until {phase.end.isoformat()})", ""]
    carried = phase.available - phase.capacity  # > 0 left over earlier, < 0 earlier phases ran over
    note = "."
    if phase.share < 1:
        note = f" (the {phase.share:.0%} of this phase still to come)."
    if carried > 1e-9:
        note = f" ({_weeks(carried)} carried over from earlier phases)."
    elif carried < -1e-9:
        ran_over = _weeks(-carried)
        note = f" ({_weeks(phase.capacity)} in this phase, less the {ran_over} earlier phases ran over)."
    over = " **Over capacity**: pinned or in-progress work does not fit." if phase.over_capacity else ""
    out.append(f"Capacity used: {_weeks(phase.used)} of {_weeks(max(phase.available, 0.0))}{note}{over}")
    if plan.teams:
        rows = [
            [
                md(pool_name(plan, k)),
                _weeks(u.used),
                _weeks(max(u.available, 0.0)),
                "**over**" if u.over_capacity else "",
            ]
            for k, u in phase.pools.items()
        ]
        out += ["", table(["Capacity pool", "Used", "Available", ""], rows, ["l", "r", "r", "l"])]
    if phase.history:
        out += ["", "Done so far in this phase:", "", _history_table(plan, phase.history, internal)]
    out.append("")
    if phase.items:
        out.append(_phase_table(backlog, phase.items, plan.teams, internal))
    else:
        out.append("Nothing planned in this phase.")
    return out


def _history_table(plan: Plan, done: list[DoneItem], internal: bool = True) -> str:
    rows = [
        [
            md(d.item.title),
            d.item.done_on.isoformat() if d.item.done_on else "",
            md(pool_name(plan, d.pool)),
            _weeks(d.expected),
            "not recorded" if d.actual is None else _weeks(d.actual),
            "" if d.accuracy is None else md(ratio_words(d.accuracy)),
        ]
        for d in done
    ]
    head = ["Done", "On", "Pool", "Estimated", "Actual", "Accuracy"]
    if not internal:  # estimate accuracy is the author's note
        return table(head[:3], [r[:3] for r in rows], ["l", "l", "l"])
    return table(head, rows, ["l", "l", "l", "r", "r", "l"])


def _accuracy_lines(plan: Plan) -> list[str]:
    """The estimate accuracy so far, per item and overall (shown, never applied)."""
    acc = plan.accuracy
    if not acc.items:
        return []
    out = ["", md(acc.text())]
    if any(d.phase is None for d in acc.items):  # the rest show in their phases
        out += ["", _history_table(plan, acc.items)]
    return out


def as_of_line(plan: Plan) -> str:
    """The title block's "As of" line when today is past day 1 ("" otherwise)."""
    day = day_text(plan)
    if plan.today is None or (day is None and plan.today <= plan.start):
        return ""
    when = day or "after the plan's last day"
    return (
        f"\n- **As of:** {plan.today.isoformat()} ({md(when)}): "
        "ended phases are history, the rest is re-planned"
    )


def _weeks(x: float) -> str:
    return md(f"{fmt.number(x)} person-week" + ("" if x == 1 else "s"))


def _early_wins_line(plan: Plan) -> str:
    backlog = plan.ranking.backlog
    req, got = plan.early_wins_required, plan.early_wins_planned
    if req == 0:
        return "Early wins: none required (`[plan] early_wins = 0`): value alone decides the first phase."
    if plan.phases and plan.phases[0].past:
        return "Early wins: the first 30 days have ended; their history is shown below, not re-planned."
    wins = f"{req} quick win" + ("" if req == 1 else "s")
    line = f"Early wins: the first 30 days must deliver {wins} to build trust; the plan has {got}"
    line += "." if got >= req else f" (only {plan.early_wins_possible} can fit)."
    if plan.early_wins_cost > 0:
        line += f" Honouring this costs {_money(backlog, plan.early_wins_cost)} of first-year value."
    else:
        line += " It costs no value."
    return line


def _tour_table(plan: Plan) -> str:
    if not plan.listening_tour:
        return "No stakeholders recorded."
    first_end = plan.phases[0].end if plan.phases else plan.start
    rows = []
    for i, stop in enumerate(plan.listening_tour, 1):
        if stop.met is None:
            met = "**to meet**"
        elif stop.met_in_first_phase:
            met = f"met {stop.met.isoformat()}"
        else:
            met = f"met {stop.met.isoformat()}, after day 30 ({first_end.isoformat()})"
        rows.append([str(i), md(stop.name), md(stop.role), str(stop.influence), met])
    return table(["#", "Stakeholder", "Role", "Influence", "Met"], rows, ["r", "l", "l", "r", "l"])


def _public_tour(plan: Plan) -> str:
    """Whom I meet, in order: names and roles only (influence and met dates are internal)."""
    if not plan.listening_tour:
        return "No stakeholders recorded."
    end = plan.phases[0].end.isoformat() if plan.phases else plan.start.isoformat()
    people = [f"{md(s.name)} ({md(s.role)})" if s.role else md(s.name) for s in plan.listening_tour]
    return f"In the first 30 days (by {end}) I meet: " + "; ".join(people) + "."


def _phase_table(
    backlog: Backlog, items: list[PlannedItem], teams: bool = False, internal: bool = True
) -> str:
    rows = []
    for p in items:
        s = p.scored
        it = s.item
        rows.append(
            [
                md(it.title),
                md(owner_of(backlog, it)) or "unassigned",
                _due(p),
                _money(backlog, s.value),
                md(fmt.weeks(s.effort)),
                _why(backlog, p, internal),
            ]
        )
    head, align = ["Item", "Owner", "Due", "Value/yr", "Effort", "Why"], ["l", "l", "l", "r", "r", "l"]
    if teams:  # whose capacity each item uses, after its owner
        names = {k: t.name for k, t in backlog.teams.items()}
        head.insert(2, "Pool")
        align.insert(2, "l")
        for row, p in zip(rows, items, strict=True):
            row.insert(2, md(names.get(p.pool, p.pool)))
    return table(head, rows, align)


def _due(p: PlannedItem) -> str:
    due = p.due.isoformat()
    if p.due_flag:
        return f"{due} (**{md(p.due_flag)}**)"
    return due


def _why(backlog: Backlog, p: PlannedItem, internal: bool = True) -> str:
    s = p.scored
    parts = [QUADRANT_LABELS[s.quadrant]]
    if s.item.requested_by:
        parts.append("asked by " + ", ".join(_names(backlog, s.item.requested_by)))
    if s.item.status == "doing":
        parts.append("already in progress")
    if p.pinned:
        pin = s.item.phase
        parts.append(f"pinned to day {pin}" + ("" if pin == p.phase else ", which has ended"))
    if p.quick_win and p.phase == 30 and s.item.status != "doing":
        parts.append("early win")
    if p.unmet_stakeholders and internal:
        parts.append("serves people not met yet: " + ", ".join(_names(backlog, list(p.unmet_stakeholders))))
    return md("; ".join(parts))


def _names(backlog: Backlog, keys: list[str]) -> list[str]:
    return [backlog.stakeholders[k].name if k in backlog.stakeholders else k for k in keys]
