"""The 30-60-90 day plan (docs/FORMAT.md, "The plan"): what to do in each phase, and why not the rest.

Day 1 is ``start``; phase 30 runs to day 30 (``start + 29 days``), phase 60 to day 60, phase 90 to
day 90. The plan maximises time-weighted value, ``value * (365 - end_day) / 365`` per item, within
the cumulative capacity, dependencies, pins, ``doing`` items and the early-wins rule; the
optimisation itself is :mod:`fulcrum.plan.milp`; docs/DESIGN.md says why.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fulcrum.backlog import MAX_DATE, MIN_DATE, PHASES, Backlog, Item
from fulcrum.plan.milp import EPS
from fulcrum.plan.problem import Frame
from fulcrum.plan.strategy import solve_plan
from fulcrum.scoring import Ranking, Scored, ScoringError, score_backlog
from fulcrum.text import fmt


@dataclass(frozen=True)
class PlannedItem:
    """An item in a phase, with its due date and what to watch."""

    scored: Scored
    phase: int
    """30, 60 or 90."""
    due: date
    """The phase end, or the item's own ``due`` when that is earlier."""
    due_flag: str | None
    """Why the item's own due date cannot be kept (it falls before its phase starts), or None."""
    quick_win: bool
    pinned: bool
    """The file pins it to this phase (``phase = 30|60|90``)."""
    unmet_stakeholders: list[str]
    """Keys of who asked for it that are not met by the end of its phase (listen before delivering)."""

    @property
    def id(self) -> str:
        return self.scored.id


@dataclass(frozen=True)
class PhasePlan:
    """One phase of the plan."""

    phase: int
    """30, 60 or 90."""
    end: date
    """Its last day (day 30, 60 or 90 counting ``start`` as day 1)."""
    capacity: float
    """Person-weeks of this phase (``[capacity] days_N``)."""
    available: float
    """Person-weeks it can use: everything up to its end minus what earlier phases used.

    Negative when earlier phases already used more than all capacity up to this phase's end
    (pinned or in-progress work); the JSON keeps the sign, the text shows 0 and says why.
    """
    used: float
    """Person-weeks of the items planned in it."""
    items: list[PlannedItem]
    """Best rank first."""

    @property
    def over_capacity(self) -> bool:
        """Pinned or in-progress work needs more than the phase has."""
        return self.used > self.available + EPS


@dataclass(frozen=True)
class Later:
    """An item that is not in the plan, and why."""

    scored: Scored | None
    """None for done and dropped items (they are not ranked)."""
    item: Item
    reason: str
    """Human text: does not fit, waits for X, worth nothing under this lens, done, dropped."""

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class MissedDeadline:
    """An item the plan cannot finish by its due date, and why."""

    item: Item
    due: date
    reason: str

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class PinCost:
    """What a pin costs: the plan's value without it, less the value with it (>= 0)."""

    item: Item
    phase: int
    cost: float


@dataclass(frozen=True)
class TourStop:
    """A stakeholder on the listening tour."""

    key: str
    name: str
    role: str
    influence: int
    met: date | None
    met_in_first_phase: bool
    """Met by the end of day 30 (a date before ``start`` counts)."""


@dataclass(frozen=True)
class Plan:
    """The 30-60-90 plan of a backlog under one lens."""

    start: date
    phases: list[PhasePlan]
    later: list[Later]
    """Open items not planned (best rank first), then done and dropped items (file order)."""
    listening_tour: list[TourStop]
    """Every stakeholder, most influential first (ties by name, then key)."""
    objective: float
    """Time-weighted first-year value of the plan."""
    early_wins_required: int
    """``[plan] early_wins``."""
    early_wins_planned: int
    """Quick wins (not ``doing``, worth something) in the first phase."""
    early_wins_cost: float
    """First-year value given up to honour the rule (0 when it costs nothing)."""
    ranking: Ranking
    early_wins_possible: int = 0
    """How many the rule asked for: ``early_wins``, or fewer when no more can fit."""
    bound: float = 0.0
    """No plan can beat this objective (equal to ``objective`` when proven optimal)."""
    optimal: bool = True
    """Proven optimal (to a ten-millionth); otherwise within ``gap`` of the optimum."""
    warnings: list[str] = field(default_factory=list)
    """Pins that contradict dependencies, phases over capacity: things to fix in the file."""
    deadlines_missed: list[MissedDeadline] = field(default_factory=list)
    """Items due within the plan that it cannot finish by then (as few as can be), file order."""
    pin_costs: list[PinCost] = field(default_factory=list)
    """What each pin costs in value (the first :data:`MAX_PIN_COSTS` pins)."""
    pins_not_costed: int = 0
    """Pins beyond :data:`MAX_PIN_COSTS`, whose cost was not computed."""

    @property
    def gap(self) -> float:
        """At most this fraction of value separates the plan from the best possible one."""
        if self.bound <= self.objective:
            return 0.0
        if math.isinf(self.bound):  # the solver stopped before proving any bound
            return math.inf
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)

    @property
    def planned(self) -> list[PlannedItem]:
        """Every planned item, phase by phase."""
        return [p for ph in self.phases for p in ph.items]

    @property
    def not_met(self) -> list[TourStop]:
        """Stakeholders not met by the end of the first 30 days."""
        return [s for s in self.listening_tour if not s.met_in_first_phase]


#: Each pin's cost is a whole re-plan without it: computed for this many pins at most.
MAX_PIN_COSTS = 10


def phase_end(start: date, phase: int) -> date:
    """The last day of a phase: ``start`` is day 1, so day N is ``start + N - 1`` days."""
    return start + timedelta(days=phase - 1)


def build_plan(backlog: Backlog, lens: str | None = None, start: date | None = None) -> Plan:
    """The best 30-60-90 plan of this backlog (ScoringError if it cannot be scored).

    ``start`` overrides ``[backlog] start``; without either the plan starts today. A start outside
    1900-01-01 .. 9000-12-31 (the format's dates) is a ScoringError too, which every command prints.
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
    frame = Frame(backlog, ranking, ends)
    outcome = solve_plan(frame.problem, backlog.plan.early_wins)
    sol = outcome.solution
    tour = listening_tour(backlog, ends[30])
    met = {s.key: s.met for s in tour}

    cands = frame.cands
    phases: list[PhasePlan] = []
    used_before = 0.0
    cum_capacity = 0.0
    for k, p in enumerate(PHASES):
        begin = start if k == 0 else ends[PHASES[k - 1]] + timedelta(days=1)
        items = work_order(
            [
                _planned(cands[i], p, ends[p], begin, start, met)
                for i in range(len(cands))
                if sol.phase[i] == k
            ]
        )
        used = sum((x.scored.effort for x in items), 0.0)
        cum_capacity += backlog.capacity.of(p)
        available = cum_capacity - used_before
        phases.append(PhasePlan(p, ends[p], backlog.capacity.of(p), available, used, items))
        used_before += used

    left = cum_capacity - used_before
    later = [
        Later(s, s.item, frame.reason(i, sol.phase, left, backlog.backlog.currency))
        for i, s in enumerate(cands)
        if sol.phase[i] is None
    ]
    later += [Later(None, it, it.status) for it in ranking.closed]
    warnings = list(frame.warnings)
    planned_to_date = capacity_to_date = 0.0
    for ph in phases:
        # Capacity carries over, so "over" is cumulative: all planned by this day against all capacity
        # by then (the phase's own numbers can read "0 planned, 0 available" and still be over).
        planned_to_date += ph.used
        capacity_to_date += ph.capacity
        if ph.over_capacity:
            warnings.append(
                f"day {ph.phase} is over capacity: {fmt.weeks(planned_to_date)} planned by day {ph.phase}, "
                f"{fmt.weeks(capacity_to_date)} of capacity by then "
                f"({fmt.weeks(planned_to_date - capacity_to_date)} over; pinned or in-progress work)"
            )
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
        PinCost(s.item, s.item.phase, _pin_cost(backlog, ranking, ends, s.id, sol.objective))
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
    )


def _pin_cost(backlog: Backlog, ranking: Ranking, ends: dict[int, date], item_id: str, value: float) -> float:
    """The value the plan gives up to keep ``item_id`` where it is pinned (a re-plan without the pin)."""
    free = solve_plan(Frame(backlog, ranking, ends, unpin=item_id).problem, backlog.plan.early_wins)
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
    s: Scored, phase: int, end: date, begin: date, start: date, met: dict[str, date | None]
) -> PlannedItem:
    own = s.item.due
    due = end if own is None or own > end else own
    flag = None
    if own is not None and own < begin:
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
    )


def optimality_text(plan: Plan) -> str:
    """How close to the best possible plan this one is proven to be."""
    if plan.optimal and plan.gap < 1e-6:
        return "proven optimal"
    if math.isinf(plan.gap):
        return "the best found; not proven optimal"
    return f"proven within {plan.gap:.2%} of the optimum"


def early_wins_text(plan: Plan) -> str:
    """How many quick wins the first phase delivers, and what the rule costs."""
    cur = plan.ranking.backlog.backlog.currency
    req = plan.early_wins_required
    if req == 0:
        return "Early wins: none required ([plan] early_wins = 0)."
    line = f"Early wins: {plan.early_wins_planned} quick win(s) in the first 30 days ({req} required"
    if plan.early_wins_possible < req:
        line += f", {plan.early_wins_possible} fit"
    line += ")"
    if plan.early_wins_cost > 0:
        return line + f"; the rule costs {fmt.money(plan.early_wins_cost, cur)} of first-year value."
    return line + "; the rule costs nothing."


def pin_cost_lines(plan: Plan) -> list[str]:
    """What each pin costs in first-year value, one sentence each ("pinning X to day 30 costs $12k")."""
    cur = plan.ranking.backlog.backlog.currency
    out = []
    for c in plan.pin_costs:
        cost = f"costs {fmt.money(c.cost, cur)} of first-year value" if c.cost > 0 else "costs nothing"
        out.append(f"Pinning {c.item.id} to day {c.phase} {cost}.")
    if plan.pins_not_costed:
        out.append(f"The cost of {plan.pins_not_costed} more pin(s) was not computed (one re-plan each).")
    return out


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The ``plan --format json`` object (numbers unrounded), the contract scripts rely on."""
    return {
        "start": plan.start.isoformat(),
        "lens": plan.ranking.lens,
        "objective": plan.objective,
        "optimal": plan.optimal,
        "gap": plan.gap if math.isfinite(plan.gap) else None,
        "bound": plan.bound if math.isfinite(plan.bound) else None,
        "phases": [
            {
                "phase": ph.phase,
                "end": ph.end.isoformat(),
                "capacity": ph.capacity,
                "available": ph.available,
                "used": ph.used,
                "items": [p.id for p in ph.items],
            }
            for ph in plan.phases
        ],
        "later": [{"id": lt.id, "reason": lt.reason} for lt in plan.later],
        "deadlines_missed": [
            {"id": m.id, "due": m.due.isoformat(), "reason": m.reason} for m in plan.deadlines_missed
        ],
        "pin_costs": [{"id": c.item.id, "phase": c.phase, "cost": c.cost} for c in plan.pin_costs],
        "listening_tour": [
            {
                "stakeholder": s.key,
                "name": s.name,
                "role": s.role,
                "influence": s.influence,
                "met": s.met.isoformat() if s.met else None,
                "met_in_first_phase": s.met_in_first_phase,
            }
            for s in plan.listening_tour
        ],
        "items": [
            {
                "id": p.id,
                "phase": p.phase,
                "due": p.due.isoformat(),
                "due_flag": p.due_flag,
                "value": p.scored.value,
                "effort": p.scored.effort,
                "quick_win": p.quick_win,
                "pinned": p.pinned,
                "unmet_stakeholders": p.unmet_stakeholders,
            }
            for p in plan.planned
        ],
        "early_wins": {
            "required": plan.early_wins_required,
            "possible": plan.early_wins_possible,
            "planned": plan.early_wins_planned,
            "cost": plan.early_wins_cost,
        },
        "warnings": plan.warnings,
    }
