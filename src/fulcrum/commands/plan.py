"""`fulcrum plan FILE [--lens KEY] [--start DATE] [--today DATE] [--format table|json]`: the 30-60-90 plan.

The table is for people: the value it delivers, the early-wins line, the estimate accuracy so far,
the listening tour, each phase with its capacity per pool, what was done in it and its items
(owner, pool, due, value, effort, why), what waits and why, and warnings.
The JSON is a contract scripts rely on (ASCII only, so no byte of user text reaches the terminal raw).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from fulcrum.backlog import Backlog
from fulcrum.commands._args import add_file, add_lens, add_start, add_today, keep_table, today_of
from fulcrum.errors import EXIT_OK
from fulcrum.plan import (
    EPS,
    DoneItem,
    PhasePlan,
    Plan,
    PlannedItem,
    PoolUse,
    day_text,
    early_wins_text,
    optimality_text,
    owner_of,
    pin_cost_lines,
    pool_name,
    ratio_words,
)
from fulcrum.scoring import QUADRANT_LABELS
from fulcrum.text import clip, columns, fmt, one_line

#: The widest a title may be in the table (terminal cells); longer ones end in "…".
TITLE_WIDTH = 36
_DAYS = {30: "Days 1-30", 60: "Days 31-60", 90: "Days 61-90"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum plan`."""
    add_file(parser)
    add_lens(parser)
    add_start(parser)
    add_today(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def run(args: argparse.Namespace) -> int:
    """Print the plan; exit 2 on bad input."""
    from fulcrum.backlog import BacklogError, load_backlog, paused_gc
    from fulcrum.errors import report
    from fulcrum.plan import build_plan, plan_to_json
    from fulcrum.scoring import ScoringError

    # No cyclic collection: the command makes many long-lived objects and no garbage cycles worth
    # collecting before it exits (~30% of a 10,000-item plan was the collector walking them).
    started = time.time_ns()
    with paused_gc():
        try:
            backlog = load_backlog(args.file)
            plan = build_plan(backlog, lens=args.lens, start=args.start, today=today_of(args))
        except (BacklogError, ScoringError) as exc:
            return report(exc, args.file)
        keep_table(args.file, backlog, started, args)
        if args.format == "json":
            sys.stdout.write(json.dumps(plan_to_json(plan), indent=2, allow_nan=False) + "\n")
        else:
            sys.stdout.write("\n".join(table_lines(plan)) + "\n")
    return EXIT_OK


def table_lines(plan: Plan) -> list[str]:
    """The plan for a terminal; every piece of user text is terminal-safe."""
    b = plan.ranking.backlog
    cur = b.backlog.currency
    title = one_line(b.backlog.title)
    day = day_text(plan)
    as_of = f", as of {plan.today.isoformat()}, {day}" if day and plan.today else ""
    out = [
        f"{title}: the 30-60-90 plan from {plan.start.isoformat()}{as_of}"
        f" (lens {one_line(plan.ranking.lens)})",
        f"First-year value, counted from the end of each phase: {fmt.money(plan.objective, cur)}"
        + f" ({optimality_text(plan)})",
        early_wins_text(plan),
        *pin_cost_lines(plan),
        *accuracy_lines(plan),
        "",
        "Listening tour, most influential first:",
    ]
    out += tour_lines(plan) or ["  no stakeholders recorded"]
    planned = capacity = 0.0
    for ph in plan.phases:
        if ph.past:
            out += ["", f"{_DAYS[ph.phase]} (until {ph.end.isoformat()}): ended; history, not re-planned"]
            out += history_lines(plan, ph.history) or ["  nothing recorded as done in it (done_on)"]
            continue
        planned += ph.used
        capacity += ph.capacity
        out += ["", *phase_head(ph, planned, capacity)]
        if plan.teams:
            out += pool_lines(plan, ph)
        if ph.history:
            out += ["  done so far:", *history_lines(plan, ph.history, indent="    ")]
        out += _table(plan, ph.items) if ph.items else ["  nothing planned"]
    if plan.deadlines_missed:
        out += ["", "Deadlines missed (as few as can be):"]
        out += [
            f"  {one_line(m.id)} (due {m.due.isoformat()}): {one_line(m.reason)}"
            for m in plan.deadlines_missed
        ]
    out += ["", "Later, and why:"]
    later = [f"  {one_line(lt.id)}: {one_line(lt.reason)}" for lt in plan.later]
    out += later or ["  nothing: every open item is planned"]
    if plan.warnings:
        out += ["", "Warnings:"]
        out += [f"  ! {one_line(w)}" for w in plan.warnings]
    return out


def phase_head(ph: PhasePlan, planned: float, capacity: float) -> list[str]:
    """A phase's capacity line, then an OVER CAPACITY line when it is over: over all its pools, or in
    the pools that are over when the phase as a whole has room.

    ``planned`` and ``capacity`` are the totals from day 1 to the phase's end (capacity carries over,
    so being over is cumulative).

    Never shows a negative amount: when earlier phases ran over by more than this phase has,
    the JSON's ``available`` is negative and this says 0 available and by how much they ran over.
    """
    carried = ph.available - ph.capacity  # > 0 left over by earlier phases, < 0 they ran over
    room = f"{fmt.weeks(ph.capacity)} in this phase"
    if ph.share < 1:
        room = f"{fmt.weeks(ph.capacity)}, the {ph.share:.0%} of this phase still to come"
    if carried > EPS:
        room += f" + {fmt.weeks(carried)} carried over"
    elif carried < -EPS:
        room += f", less the {fmt.weeks(-carried)} earlier phases ran over"
    head = (
        f"{_DAYS[ph.phase]} (until {ph.end.isoformat()}): {fmt.weeks(ph.used)} used of "
        f"{fmt.weeks(max(ph.available, 0.0))} available ({room})"
    )
    if not ph.over_capacity:
        return [head]
    if ph.used > ph.available + EPS:
        by_then = f"{fmt.weeks(planned)} planned by day {ph.phase}, {fmt.weeks(capacity)} of capacity by then"
        return [head, f"  OVER CAPACITY: {by_then}"]
    # The phase as a whole has room: a pool is over (its own work cannot move to another's capacity).
    over = [u for u in ph.pools.values() if u.over_capacity]
    pools = ", ".join(
        f"{one_line(u.name)} ({fmt.weeks(u.used)} used of {fmt.weeks(max(u.available, 0.0))} available)"
        for u in over
    )
    return [head, f"  OVER CAPACITY in {'one pool' if len(over) == 1 else f'{len(over)} pools'}: {pools}"]


def pool_lines(plan: Plan, ph: PhasePlan) -> list[str]:
    """Per capacity pool: used of available, aligned, the over-capacity ones called out."""
    rows = [[one_line(pool_name(plan, key)), *_use(u)] for key, u in ph.pools.items()]
    return [f"  {line}".rstrip() for line in columns(["pool", "used", "available", ""], rows, {1, 2})]


def _use(u: PoolUse) -> list[str]:
    over = "OVER CAPACITY" if u.over_capacity else ""
    return [fmt.weeks(u.used), fmt.weeks(max(u.available, 0.0)), over]


def history_lines(plan: Plan, done: list[DoneItem], indent: str = "  ") -> list[str]:
    """One line per done item: when, its estimate, what it took, and the ratio."""
    out = []
    for d in done:
        when = d.item.done_on.isoformat() if d.item.done_on else "no date"
        took = (
            f", took {fmt.weeks(d.actual)}: {ratio_words(d.spent / d.expected)}"
            if d.actual is not None
            else " (actual effort not recorded)"
        )
        who = f" [{one_line(pool_name(plan, d.pool))}]" if plan.teams else ""
        out.append(f"{indent}done {when}: {one_line(d.id)}{who}, estimated {fmt.weeks(d.expected)}{took}")
    return out


def accuracy_lines(plan: Plan) -> list[str]:
    """The estimate accuracy so far, when any done item records its actual effort."""
    if not plan.accuracy.items:
        return []
    return [plan.accuracy.text()]


def tour_lines(plan: Plan) -> list[str]:
    """One line per stakeholder, those not met by day 30 called out."""
    end = plan.phases[0].end.isoformat()
    out = []
    for n, s in enumerate(plan.listening_tour, 1):
        who = (
            f"{s.name} ({s.role}, influence {s.influence})"
            if s.role
            else f"{s.name} (influence {s.influence})"
        )
        if s.met_in_first_phase and s.met is not None:
            met = f"met {s.met.isoformat()}"
        elif s.met is not None:
            met = f"met {s.met.isoformat()}: after day 30 ({end})"
        else:
            met = f"NOT MET yet: meet by {end}"
        out.append(one_line(f"  {n}. {who}  {met}"))
    return out


def why(plan: Plan, p: PlannedItem) -> str:
    """Why an item is where it is, in a few words."""
    b = plan.ranking.backlog
    it = p.scored.item
    parts = [QUADRANT_LABELS[p.scored.quadrant]]
    if it.status == "doing":
        parts.append("in progress")
    elif p.quick_win and p.phase == 30 and p.scored.value > 0:
        parts.append("early win")
    if p.pinned:
        parts.append(f"pinned to {it.phase}" + ("" if it.phase == p.phase else ", which has ended"))
    if it.requested_by:
        parts.append("for " + ", ".join(_name(b, k) for k in it.requested_by))
    if p.unmet_stakeholders:
        parts.append("not met yet: " + ", ".join(_name(b, k) for k in p.unmet_stakeholders))
    if p.due_flag:
        parts.append("! " + p.due_flag)
    return "; ".join(parts)


def _name(backlog: Backlog, key: str) -> str:
    person = backlog.stakeholders.get(key)
    return person.name if person else key


def _table(plan: Plan, items: list[PlannedItem]) -> list[str]:
    cur = plan.ranking.backlog.backlog.currency
    head = ["id", "title", "owner", "due", "value/yr", "effort", "why"]
    right = {4, 5}
    body = [
        [
            one_line(p.id),
            clip(one_line(p.scored.item.title), TITLE_WIDTH),
            clip(one_line(owner_of(plan.ranking.backlog, p.scored.item)), 30) or "-",
            p.due.isoformat(),
            fmt.money(p.scored.value, cur),
            fmt.weeks(p.scored.effort),
            one_line(why(plan, p)),
        ]
        for p in items
    ]
    if plan.teams:  # whose capacity each item uses, after its owner
        head.insert(3, "pool")
        right = {5, 6}
        for row, p in zip(body, items, strict=True):
            row.insert(3, clip(one_line(pool_name(plan, p.pool)), 20))
    return [f"  {line}" for line in columns(head, body, right)]
