"""Scoring: value, feasibility, methods, lenses, quadrants; the explanation and the value-case review."""

from __future__ import annotations

from fulcrum.scoring.couplings import Couplings, couplings
from fulcrum.scoring.explain import explain_item, rank_in_every_lens
from fulcrum.scoring.imported import PLACEHOLDER_EFFORT, POINTS_FIELD, effort_not_estimated, needs_value_case
from fulcrum.scoring.methods import METHOD_FORMULAS
from fulcrum.scoring.quadrants import (
    QUADRANT_INFO,
    QUADRANT_LABELS,
    QUADRANTS,
    Quadrant,
    QuadrantInfo,
    quadrant,
)
from fulcrum.scoring.rank import (
    CLOSED,
    EVERYONE,
    Ranking,
    Scored,
    ScoringError,
    item_value,
    lens_weights,
    no_price_note,
    score_backlog,
)
from fulcrum.scoring.rescore import rescore
from fulcrum.scoring.review import ReviewWarning, review, review_threshold

__all__ = [
    "CLOSED",
    "EVERYONE",
    "METHOD_FORMULAS",
    "PLACEHOLDER_EFFORT",
    "POINTS_FIELD",
    "QUADRANTS",
    "QUADRANT_INFO",
    "QUADRANT_LABELS",
    "Couplings",
    "Quadrant",
    "QuadrantInfo",
    "Ranking",
    "ReviewWarning",
    "Scored",
    "ScoringError",
    "couplings",
    "effort_not_estimated",
    "explain_item",
    "item_value",
    "lens_weights",
    "needs_value_case",
    "no_price_note",
    "quadrant",
    "rank_in_every_lens",
    "rescore",
    "review",
    "review_threshold",
    "score_backlog",
]
