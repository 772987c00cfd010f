"""Uncertainty: sampling the estimates, the plan executed per sample, the value of information.

The model and its assumptions: docs/DESIGN.md, "Uncertainty and the value of information";
the semantics: docs/FORMAT.md, "Uncertainty, briefly".
"""

from __future__ import annotations

from fulcrum.risk.analysis import (
    PLAN_SAMPLES,
    SAMPLES,
    SEED,
    TOP,
    ItemRisk,
    Progress,
    Question,
    Risk,
    Spread,
    analyse,
    spread,
)
from fulcrum.risk.execute import NOT_DONE, finish_phases, realised_value
from fulcrum.risk.picture import (
    Analysis,
    ItemRanges,
    QuestionPicture,
    RiskOutcome,
    RiskPicture,
    analyse_for_view,
    failure_text,
    item_ranges,
    picture_of,
    risk_outcome,
)
from fulcrum.risk.ranks import sample_ranks, sample_scores
from fulcrum.risk.report import INDEPENDENCE, ask, change_text, ends_text, percent, range_text, risk_to_json
from fulcrum.risk.sampling import Input, Samples, coupled_gains, draw, uncertain_inputs
from fulcrum.risk.voi import BINS, Partial, evpi, evppi

__all__ = [
    "BINS",
    "INDEPENDENCE",
    "NOT_DONE",
    "PLAN_SAMPLES",
    "SAMPLES",
    "SEED",
    "TOP",
    "Analysis",
    "Input",
    "ItemRanges",
    "ItemRisk",
    "Partial",
    "Progress",
    "Question",
    "QuestionPicture",
    "Risk",
    "RiskOutcome",
    "RiskPicture",
    "Samples",
    "Spread",
    "analyse",
    "analyse_for_view",
    "ask",
    "change_text",
    "coupled_gains",
    "draw",
    "ends_text",
    "evpi",
    "evppi",
    "failure_text",
    "finish_phases",
    "item_ranges",
    "percent",
    "picture_of",
    "range_text",
    "realised_value",
    "risk_outcome",
    "risk_to_json",
    "sample_ranks",
    "sample_scores",
    "spread",
    "uncertain_inputs",
]
