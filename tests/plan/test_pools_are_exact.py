"""The planner with capacity pools, alternatives and a date "as of today", against exhaustive search.

The reference below reads PRODUCT.md "The 30-60-90 plan" afresh, with no code of the planner:
every pool (yours, each team's) has cumulative capacity; of an item and its `excludes` at most one
is planned (forced work kept regardless); phases that ended before today take nothing, the current
one keeps the share of its capacity from today to its end (pro rata by days), pins to an ended
phase and `doing` items land in the current phase; an overdue item is due in the current phase.
Every assignment of each small random backlog is tried, and the planner must reach the same
levels (deadlines met, early wins) and the same value.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.plan import Plan, build_plan
from fulcrum.scoring import Ranking, score_backlog

START = date(2027, 1, 4)
WEIGHT = {30: (365 - 30) / 365, 60: (365 - 60) / 365, 90: (365 - 90) / 365}
TOL = 1e-9
SHELVED = ("dropped", "deferred")


@dataclass
class Rules:
    ranking: Ranking
    status: dict[str, str]
    pool: dict[str, str]
    fixed: dict[str, int]
    required: dict[str, int]
    limit: dict[tuple[str, int], float]
    groups: list[set[str]]
    counting: set[str]
    due_phase: dict[str, int]
    first: int
    """The first phase (30, 60, 90) that has not ended."""


def as_of(today: date | None) -> tuple[int, dict[int, float]]:
    """(the current phase, the share of each phase's capacity still to come)."""
    day = START if today is None or today < START else today
    share, current = {}, None
    for p in (30, 60, 90):
        begin, end = START + timedelta(days=p - 30), START + timedelta(days=p - 1)
        if day > end:
            share[p] = 0.0
        else:
            share[p] = 1.0 if day <= begin else ((end - day).days + 1) / 30
            current = current or p
    return current or 90, share


def rules(backlog: Backlog, today: date | None) -> Rules:
    ranking = score_backlog(backlog)
    first, share = as_of(today)
    status = {it.id: it.status for it in backlog.items}
    pool = {s.id: s.item.team or "you" for s in ranking.ranked}
    fixed: dict[str, int] = {}
    for s in ranking.ranked:
        if s.item.status == "deferred":
            continue
        if s.item.phase is not None:
            fixed[s.id] = max(s.item.phase, first)
        elif s.item.status == "doing":
            fixed[s.id] = first
    required: dict[str, int] = {}
    changed = True
    while changed:
        changed = False
        for s in ranking.ranked:
            need = fixed.get(s.id, required.get(s.id))
            if need is None:
                continue
            for d in s.item.depends_on:
                if status[d] in ("done", *SHELVED) or d in fixed:
                    continue
                if required.get(d, 99) > need:
                    required[d] = need
                    changed = True
    effort = {s.id: s.effort for s in ranking.ranked}
    limit = {}
    for key in backlog.pools:
        for q in (30, 60, 90):
            cum = sum(share[p] * backlog.pool_capacity(key, p) for p in (30, 60, 90) if p <= q)
            forced = sum(effort[i] for i, p in {**required, **fixed}.items() if p <= q and pool[i] == key)
            limit[key, q] = max(cum, forced)
    ids = set(pool)
    groups = [{s.id} | (set(s.item.excludes) & ids) for s in ranking.ranked if s.item.excludes]
    counting = {
        s.id
        for s in ranking.ranked
        if s.quadrant == "quick_win" and s.item.status not in ("doing", "deferred") and s.value > 0
    }
    due_phase = {}
    for s in ranking.ranked:
        due = s.item.due
        if due is not None and (due - START).days <= 89:
            d = (due - START).days
            due_phase[s.id] = max(first, 30 if d <= 29 else 60 if d <= 59 else 90)
    return Rules(ranking, status, pool, fixed, required, limit, groups, counting, due_phase, first)


def valid(r: Rules, phase: dict[str, int | None]) -> bool:
    for iid, p in r.fixed.items():
        if phase[iid] != p:
            return False
    for iid, need in r.required.items():
        if phase[iid] is None or phase[iid] > need:
            return False
    forced = set(r.fixed) | set(r.required)
    for s in r.ranking.ranked:
        p = phase[s.id]
        if p is not None and s.item.status == "deferred":
            return False
        if p is None or s.id in r.fixed:
            continue
        if p < r.first:
            return False
        for d in s.item.depends_on:
            if r.status[d] == "done":
                continue
            if r.status[d] in SHELVED:
                if s.id not in r.required:
                    return False
                continue
            pd = phase[d]
            if pd is None:
                return False
            floor = min(pd, r.required[s.id]) if s.id in r.required and d in r.fixed else pd
            if p < floor:
                return False
    for group in r.groups:
        kept = len(group & forced)
        chosen = sum(1 for i in group - forced if phase[i] is not None)
        if chosen > max(0, 1 - kept):
            return False
    effort = {s.id: s.effort for s in r.ranking.ranked}
    for (key, q), cap in r.limit.items():
        used = sum(effort[i] for i, p in phase.items() if p is not None and p <= q and r.pool[i] == key)
        if used > cap + TOL:
            return False
    return True


def value_of(r: Rules, phase: dict[str, int | None]) -> float:
    values = {s.id: s.value for s in r.ranking.ranked}
    return sum(values[i] * WEIGHT[p] for i, p in phase.items() if p is not None)


def levels(r: Rules, phase: dict[str, int | None]) -> tuple[int, int]:
    """(deadlines met, quick wins in the first phase)."""
    met = sum(1 for i, d in r.due_phase.items() if (p := phase[i]) is not None and p <= d)
    return met, sum(1 for i in r.counting if phase[i] == 30)


def exact(backlog: Backlog, today: date | None) -> tuple[float, int, int]:
    """(the best value under the rules, the quick wins the rule asks for, the most deadlines met)."""
    r = rules(backlog, today)
    free = [s.id for s in r.ranking.ranked if s.id not in r.fixed]
    feasible = []
    for combo in itertools.product((None, 30, 60, 90), repeat=len(free)):
        phase: dict[str, int | None] = {**r.fixed, **dict(zip(free, combo, strict=True))}
        if valid(r, phase):
            feasible.append((value_of(r, phase), *levels(r, phase)))
    assert feasible, "the semantics always allow a plan"
    most = max(m for _, m, _ in feasible)
    feasible = [(v, c) for v, m, c in feasible if m == most]
    need = min(backlog.plan.early_wins, max(c for _, c in feasible))
    return max(v for v, c in feasible if c >= need), need, most


def plan_phases(plan: Plan, r: Rules) -> dict[str, int | None]:
    phase: dict[str, int | None] = {s.id: None for s in r.ranking.ranked}
    for ph in plan.phases:
        for p in ph.items:
            phase[p.id] = ph.phase
    return phase


EFFORTS = [0.5, 1, 2, 3, {"low": 1, "likely": 2, "high": 6}]


@st.composite
def pooled(draw: Any, max_items: int = 6) -> tuple[Backlog, date | None]:
    n = draw(st.integers(1, max_items))
    caps = st.sampled_from([0, 0.5, 1, 2, 3])
    teams = {
        f"t{k}": {"name": f"Team {k}", "capacity": {p: draw(caps) for p in ("days_30", "days_60", "days_90")}}
        for k in range(draw(st.integers(0, 2)))
    }
    items = []
    for i in range(n):
        it: dict[str, Any] = {
            "id": f"i{i}",
            "title": f"Item {i}",
            "effort": draw(st.sampled_from(EFFORTS)),
            "impact": {"revenue": draw(st.sampled_from([-20_000, 0, 5_000, 12_000, 30_000, 90_000]))},
            "status": draw(st.sampled_from(["idea"] * 7 + ["doing", "done", "deferred"])),
        }
        team = draw(st.sampled_from([None, *teams]))
        if team is not None:
            it["team"] = team
        due = draw(st.sampled_from([None] * 4 + [-3, 29, 45, 89]))
        if due is not None:
            it["due"] = START + timedelta(days=due)
        deps = [f"i{j}" for j in range(i) if draw(st.integers(0, 4)) == 0]
        if deps:
            it["depends_on"] = deps
        rivals = [f"i{j}" for j in range(i) if draw(st.integers(0, 3)) == 0]
        if rivals:
            it["excludes"] = rivals
        pin = draw(st.sampled_from([None] * 6 + [30, 60, 90]))
        if pin is not None:
            it["phase"] = pin
        if it["status"] == "done":
            it["done_on"] = START + timedelta(days=draw(st.integers(0, 60)))
            it["actual_effort"] = draw(st.sampled_from([0.5, 1, 4]))
        items.append(it)
    doc = {
        "backlog": {"title": "pools", "start": START},
        "scoring": {
            "effort_half_life_weeks": 4,
            "quick_win_min_value": draw(st.sampled_from(["median", 10_000])),
        },
        "capacity": {k: draw(caps) for k in ("days_30", "days_60", "days_90")},
        "plan": {"early_wins": draw(st.integers(0, 2))},
        "teams": teams,
        "metrics": {"revenue": {"label": "Revenue", "value_per_unit": 1.0}},
        "items": items,
    }
    today = draw(st.sampled_from([None, None, START + timedelta(days=10), START + timedelta(days=44)]))
    return parse_backlog(tomli_w.dumps(doc), "pools.toml"), today


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pooled())
def test_planner_is_exact_with_pools_alternatives_and_today(case: tuple[Backlog, date | None]) -> None:
    backlog, today = case
    best, need, most = exact(backlog, today)
    plan = build_plan(backlog, today=today)
    r = rules(backlog, today)
    phase = plan_phases(plan, r)
    assert valid(r, phase)
    met, wins = levels(r, phase)
    assert met == most
    assert len(r.due_phase) - len(plan.deadlines_missed) == most
    assert plan.early_wins_possible == need and wins >= need
    assert abs(plan.objective - best) <= 1e-7 * max(1.0, abs(best))
    assert abs(plan.objective - value_of(r, phase)) <= 1e-9 * max(1.0, abs(best))
    # Every phase adds up per pool, and nothing lands in a phase that ended.
    for ph in plan.phases:
        assert not (ph.past and ph.items)
        for key, use in ph.pools.items():
            assert abs(use.used - sum(p.scored.effort for p in ph.items if p.pool == key)) <= TOL or ph.past
    assert sorted([p.id for p in plan.planned] + [lt.id for lt in plan.later]) == sorted(
        it.id for it in backlog.items
    )
    assert all(lt.reason for lt in plan.later)
