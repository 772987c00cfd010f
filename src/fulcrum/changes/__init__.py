"""What changed between two versions of a backlog: inputs, ranks, the plan."""

from __future__ import annotations

from fulcrum.changes.diff import (
    BIG_MOVE,
    TOP,
    Diff,
    InputChange,
    PlanChange,
    RankMove,
    diff_backlogs,
)
from fulcrum.changes.report import diff_lines, diff_to_json
from fulcrum.changes.revisions import RevisionError, is_revision, load_version, show

__all__ = [
    "BIG_MOVE",
    "TOP",
    "Diff",
    "InputChange",
    "PlanChange",
    "RankMove",
    "RevisionError",
    "diff_backlogs",
    "diff_lines",
    "diff_to_json",
    "is_revision",
    "load_version",
    "show",
]
