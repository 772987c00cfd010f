"""The 30-60-90 plan: the backlog as a planning problem, the strategy around the solver, the MILP."""

from __future__ import annotations

from fulcrum.plan.build import (
    Later,
    MissedDeadline,
    PhasePlan,
    PinCost,
    Plan,
    PlannedItem,
    PoolUse,
    build_plan,
    phase_end,
)
from fulcrum.plan.history import Accuracy, DoneItem, current_date, ratio_words
from fulcrum.plan.model import EPS
from fulcrum.plan.picture import (
    DonePicture,
    ItemPicture,
    LaterPicture,
    PhasePicture,
    PlanOutcome,
    PlanPicture,
    PoolPicture,
    picture_of,
    plan_for_view,
)
from fulcrum.plan.problem import WEIGHTS
from fulcrum.plan.report import (
    day_text,
    early_wins_text,
    optimality_text,
    owner_of,
    pin_cost_lines,
    plan_to_json,
    pool_name,
)
from fulcrum.plan.resample import Replanner, Schedule
from fulcrum.plan.result import TourStop

__all__ = [
    "EPS",
    "WEIGHTS",
    "Accuracy",
    "DoneItem",
    "DonePicture",
    "ItemPicture",
    "Later",
    "LaterPicture",
    "MissedDeadline",
    "PhasePicture",
    "PhasePlan",
    "PinCost",
    "Plan",
    "PlanOutcome",
    "PlanPicture",
    "PlannedItem",
    "PoolPicture",
    "PoolUse",
    "Replanner",
    "Schedule",
    "TourStop",
    "build_plan",
    "current_date",
    "day_text",
    "early_wins_text",
    "optimality_text",
    "owner_of",
    "phase_end",
    "picture_of",
    "pin_cost_lines",
    "plan_for_view",
    "plan_to_json",
    "pool_name",
    "ratio_words",
]
