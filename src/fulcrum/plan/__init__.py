"""The 30-60-90 plan: the backlog as a planning problem, the strategy around the solver, the MILP."""

from __future__ import annotations

from fulcrum.plan.build import (
    Later,
    PhasePlan,
    Plan,
    PlannedItem,
    build_plan,
    early_wins_text,
    optimality_text,
    plan_to_json,
)
from fulcrum.plan.milp import EPS

__all__ = [
    "EPS",
    "Later",
    "PhasePlan",
    "Plan",
    "PlannedItem",
    "build_plan",
    "early_wins_text",
    "optimality_text",
    "plan_to_json",
]
