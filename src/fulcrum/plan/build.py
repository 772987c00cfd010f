"""The 30-60-90 day plan (docs/FORMAT.md, "The plan"): what to do in each phase, and why not the rest.

Day 1 is ``start``; phase 30 runs to day 30 (``start + 29 days``), phase 60 to day 60, phase 90 to
day 90. The plan maximises time-weighted value, ``value * (365 - end_day) / 365`` per item, within
the cumulative capacity, dependencies, pins, ``doing`` items and the early-wins rule; the
optimisation itself is :mod:`fulcrum.plan.milp`; docs/DESIGN.md says why.
"""

from __future__ import annotations

import heapq
import math
from datetime import date, timedelta

from fulcrum.backlog import MAX_DATE, MIN_DATE, PHASES, YOU, Backlog
from fulcrum.plan.history import DoneItem, accuracy, done_items
from fulcrum.plan.problem import AsOf, Frame, as_of
from fulcrum.plan.result import (
    Later,
    MissedDeadline,
    PhasePlan,
    PinCost,
    Plan,
    PlannedItem,
    PoolUse,
    TourStop,
)
from fulcrum.plan.strategy import solve_plan
from fulcrum.scoring import Ranking, Scored, ScoringError, score_backlog
from fulcrum.text import fmt

#: Each pin's cost is a whole re-plan without it: computed for this many pins at most.
MAX_PIN_COSTS = 10


def phase_end(start: date, phase: int) -> date:
    """The last day of a phase: ``start`` is day 1, so day N is ``start + N - 1`` days."""
    return start + timedelta(days=phase - 1)


def build_plan(
    backlog: Backlog, lens: str | None = None, start: date | None = None, today: date | None = None
) -> Plan:
    """The best 30-60-90 plan of this backlog (ScoringError if it cannot be scored).

    ``start`` overrides ``[backlog] start``; without either the plan starts today. A start outside
    1900-01-01 .. 9000-12-31 (the format's dates) is a ScoringError too, which every command prints.
    ``today``: the plan as of that date (None or before ``start``: as of day 1): phases that ended
    are history, the current one keeps the share of its capacity still to come, the rest is re-planned.
    """
    start = start or backlog.backlog.start or date.today()
    if not (MIN_DATE <= start <= MAX_DATE):
        # Phase ends are start + 89 days: near year 9999 they would run off the calendar.
        raise ScoringError(
            [
                (
                    None,
                    f"the plan cannot start on {start.isoformat()}: use a date between 1900 and 9000 "
                    f"({MIN_DATE.isoformat()} to {MAX_DATE.isoformat()})",
                )
            ]
        )
    ranking = score_backlog(backlog, lens)
    ends = {p: phase_end(start, p) for p in PHASES}
    asof = as_of(start, ends, today)
    frame = Frame(backlog, ranking, ends, asof=asof)
    outcome = solve_plan(frame.problem, backlog.plan.early_wins)
    sol = outcome.solution
    tour = listening_tour(backlog, ends[30])
    met = {s.key: s.met for s in tour}
    done = done_items(backlog, start, ends)
    phases = _phases(backlog, frame, sol.phase, start, ends, met, done)
    left = frame.lefts(sol.phase)
    cands = frame.cands
    later = [
        Later(s, s.item, frame.reason(i, sol.phase, left, backlog.backlog.currency))
        for i, s in enumerate(cands)
        if sol.phase[i] is None
    ]
    later += [Later(None, it, it.status) for it in ranking.closed]
    warnings = list(frame.warnings) + _over_capacity(frame, phases)
    planned_wins = sum(1 for i, c in enumerate(frame.problem.counts) if c and sol.phase[i] == 0)
    currency = backlog.backlog.currency
    missed = [
        MissedDeadline(s.item, s.item.due, why)
        for i, s in enumerate(cands)
        if s.item.due is not None and (why := frame.missed(i, sol.phase, left, currency)) is not None
    ]
    in_file = {it.id: n for n, it in enumerate(backlog.items)}
    missed.sort(key=lambda m: in_file[m.id])
    pins = [s for s in cands if s.item.phase is not None and s.item.status != "deferred"]
    pin_costs = [
        PinCost(s.item, s.item.phase, _pin_cost(backlog, ranking, ends, asof, s.id, sol.objective))
        for s in pins[:MAX_PIN_COSTS]
        if s.item.phase is not None
    ]
    return Plan(
        start=start,
        phases=phases,
        later=later,
        listening_tour=tour,
        objective=sol.objective,
        early_wins_required=backlog.plan.early_wins,
        early_wins_planned=planned_wins,
        early_wins_cost=max(0.0, outcome.free_objective - sol.objective),
        ranking=ranking,
        early_wins_possible=outcome.possible,
        bound=sol.bound,
        optimal=sol.optimal and outcome.levels_proven,
        warnings=warnings,
        deadlines_missed=missed,
        pin_costs=pin_costs,
        pins_not_costed=max(0, len(pins) - MAX_PIN_COSTS),
        today=asof.today,
        done=done,
        accuracy=accuracy(done),
    )


def _phases(
    backlog: Backlog,
    frame: Frame,
    phase: list[int | None],
    start: date,
    ends: dict[int, date],
    met: dict[str, date | None],
    done: list[DoneItem],
) -> list[PhasePlan]:
    """Each phase with its items and, per pool, capacity, what it can use and what it uses."""
    cands, pool = frame.cands, frame.problem.pool
    share = frame.asof.share
    names = {YOU: YOU, **{k: t.name for k, t in backlog.teams.items()}}
    out: list[PhasePlan] = []
    used_before = dict.fromkeys(frame.pools, 0.0)
    cum = dict.fromkeys(frame.pools, 0.0)
    for k, p in enumerate(PHASES):
        begin = start if k == 0 else ends[PHASES[k - 1]] + timedelta(days=1)
        history = [d for d in done if d.phase == p]
        past = share[k] == 0.0
        items = work_order(
            [
                _planned(cands[i], p, ends[p], begin, start, met, frame.pools[pool[i]], frame.asof.today)
                for i in range(len(cands))
                if phase[i] == k
            ]
        )
        uses: dict[str, PoolUse] = {}
        for key in frame.pools:
            full = backlog.pool_capacity(key, p)
            if past:
                spent = sum((d.spent for d in history if d.pool == key), 0.0)
                uses[key] = PoolUse(key, names[key], full, full, spent)
                continue
            used = sum((x.scored.effort for x in items if x.pool == key), 0.0)
            capacity = share[k] * full
            cum[key] += capacity
            uses[key] = PoolUse(key, names[key], capacity, cum[key] - used_before[key], used)
            used_before[key] += used
        pools = list(uses.values())
        out.append(
            PhasePlan(
                p,
                ends[p],
                sum((u.capacity for u in pools), 0.0),
                sum((u.available for u in pools), 0.0),
                sum((u.used for u in pools), 0.0),
                items,
                uses,
                past,
                share[k],
                history,
            )
        )
    return out


def _over_capacity(frame: Frame, phases: list[PhasePlan]) -> list[str]:
    """A warning per pool and phase that forced work takes over capacity (judged cumulatively)."""
    out = []
    for key, words in zip(frame.pools, frame.pool_words, strict=True):
        planned_to_date = capacity_to_date = 0.0
        for ph in phases:
            # Capacity carries over, so "over" is cumulative: all planned by this day against all
            # capacity by then (the phase's own numbers can read "0 planned, 0 available" and still be over).
            if ph.past:
                continue
            use = ph.pools[key]
            planned_to_date += use.used
            capacity_to_date += use.capacity
            if use.over_capacity:
                whose = f"{words} capacity" if frame.teams else "capacity"
                out.append(
                    f"day {ph.phase} is over {whose}: "
                    f"{fmt.weeks(planned_to_date)} planned by day {ph.phase}, "
                    f"{fmt.weeks(capacity_to_date)} of capacity by then "
                    f"({fmt.weeks(planned_to_date - capacity_to_date)} over; pinned or in-progress work)"
                )
    return out


def _pin_cost(
    backlog: Backlog, ranking: Ranking, ends: dict[int, date], asof: AsOf, item_id: str, value: float
) -> float:
    """The value the plan gives up to keep ``item_id`` where it is pinned (a re-plan without the pin)."""
    free = solve_plan(
        Frame(backlog, ranking, ends, unpin=item_id, asof=asof).problem, backlog.plan.early_wins
    )
    return max(0.0, free.solution.objective - value)


def work_order(items: list[PlannedItem]) -> list[PlannedItem]:
    """A phase's items in the order they are worked: dependencies first, then earlier ``due``,
    then higher score, then id."""
    here = {p.id: p for p in items}
    waiting = {p.id: sum(1 for d in p.scored.item.depends_on if d in here) for p in items}
    needed_by: dict[str, list[str]] = {}
    for p in items:
        for d in p.scored.item.depends_on:
            if d in here:
                needed_by.setdefault(d, []).append(p.id)

    def key(p: PlannedItem) -> tuple[date, float, str]:
        score = p.scored.score
        return (p.scored.item.due or date.max, -score if score is not None else math.inf, p.id)

    ready = [(key(p), p.id) for p in items if waiting[p.id] == 0]
    heapq.heapify(ready)
    out: list[PlannedItem] = []
    while ready:
        _, pid = heapq.heappop(ready)
        out.append(here[pid])
        for k in needed_by.get(pid, []):
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(ready, (key(here[k]), k))
    return out


def listening_tour(backlog: Backlog, first_end: date) -> list[TourStop]:
    """Every stakeholder, most influential first (ties by name, then key)."""
    people = sorted(
        backlog.stakeholders.items(), key=lambda kv: (-kv[1].influence, kv[1].name.casefold(), kv[0])
    )
    return [
        TourStop(key, s.name, s.role, s.influence, s.met, s.met is not None and s.met <= first_end)
        for key, s in people
    ]


def _planned(
    s: Scored,
    phase: int,
    end: date,
    begin: date,
    start: date,
    met: dict[str, date | None],
    pool: str,
    today: date,
) -> PlannedItem:
    own = s.item.due
    due = end if own is None or own > end else own
    flag = None
    if own is not None and own < today and today > begin:  # as of today, it is late already
        flag = f"its own due date {own.isoformat()} is before today ({today.isoformat()}): overdue"
    elif own is not None and own < begin:
        when = "the plan starts" if begin == start else f"this phase starts ({begin.isoformat()})"
        flag = f"its own due date {own.isoformat()} is before {when}"
    unmet = [k for k in s.item.requested_by if (m := met.get(k)) is None or m > end]
    return PlannedItem(
        scored=s,
        phase=phase,
        due=due,
        due_flag=flag,
        quick_win=s.quadrant == "quick_win",
        pinned=s.item.phase is not None,
        unmet_stakeholders=unmet,
        pool=pool,
    )
