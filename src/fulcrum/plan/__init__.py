"""The 30-60-90 plan: the backlog as a planning problem, the strategy around the solver, the MILP."""

from __future__ import annotations

from fulcrum.plan.build import (
    Later,
    MissedDeadline,
    PhasePlan,
    PinCost,
    Plan,
    PlannedItem,
    build_plan,
    early_wins_text,
    optimality_text,
    phase_end,
    pin_cost_lines,
    plan_to_json,
)
from fulcrum.plan.milp import EPS
from fulcrum.plan.problem import WEIGHTS

__all__ = [
    "EPS",
    "WEIGHTS",
    "Later",
    "MissedDeadline",
    "PhasePlan",
    "PinCost",
    "Plan",
    "PlannedItem",
    "build_plan",
    "early_wins_text",
    "optimality_text",
    "phase_end",
    "pin_cost_lines",
    "plan_to_json",
]
