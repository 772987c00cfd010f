"""The plan in words and as JSON: how close to optimal, the early-wins line, pin costs, the
``plan --format json`` object (the contract of docs/FORMAT.md, "Machine-readable output")."""

from __future__ import annotations

import math
from typing import Any

from fulcrum.backlog import Backlog, Item
from fulcrum.plan.build import PhasePlan, Plan
from fulcrum.plan.history import DoneItem
from fulcrum.text import fmt


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
    if plan.phases and plan.phases[0].past:
        return "Early wins: days 1-30 have ended (history, not re-planned)."
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
        "today": (plan.today or plan.start).isoformat(),
        "day": plan.day,
        "lens": plan.ranking.lens,
        "objective": plan.objective,
        "optimal": plan.optimal,
        "gap": plan.gap if math.isfinite(plan.gap) else None,
        "bound": plan.bound if math.isfinite(plan.bound) else None,
        "phases": [_phase_json(plan, ph) for ph in plan.phases],
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
                "pool": p.pool,
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
        "accuracy": {
            "overall": plan.accuracy.overall,
            "items": [_done_json(d) for d in plan.accuracy.items],
        },
        "warnings": plan.warnings,
    }


def _phase_json(plan: Plan, ph: PhasePlan) -> dict[str, Any]:
    out: dict[str, Any] = {
        "phase": ph.phase,
        "end": ph.end.isoformat(),
        "capacity": ph.capacity,
        "available": ph.available,
        "used": ph.used,
        "items": [p.id for p in ph.items],
        "past": ph.past,
        "share": ph.share,
        "history": [_done_json(d) for d in ph.history],
    }
    if plan.teams:
        out["pools"] = {
            key: {"capacity": u.capacity, "available": u.available, "used": u.used}
            for key, u in ph.pools.items()
        }
    return out


def _done_json(d: DoneItem) -> dict[str, Any]:
    return {
        "id": d.id,
        "pool": d.pool,
        "done_on": d.item.done_on.isoformat() if d.item.done_on else None,
        "expected": d.expected,
        "actual": d.actual,
        "accuracy": d.accuracy,
    }


def owner_of(backlog: Backlog, item: Item) -> str:
    """Who answers for an item: its ``owner``, else the lead of its team ("Lena (Payments team
    lead)"), else ""."""
    if item.owner:
        return item.owner
    team = backlog.teams.get(item.team or "")
    if team is None or team.lead is None:
        return ""
    person = backlog.stakeholders.get(team.lead)
    return f"{person.name if person else team.lead} ({team.name} lead)"


def pool_name(plan: Plan, pool: str) -> str:
    """ "you", or the team's name."""
    team = plan.ranking.backlog.teams.get(pool)
    return team.name if team is not None else pool


def day_text(plan: Plan) -> str | None:
    """ "day 40 of 90" when today is inside the plan and past its first day; else None."""
    day = plan.day
    if day is None or plan.today is None or plan.today <= plan.start:
        return None
    return f"day {day} of 90"
