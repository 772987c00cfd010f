"""Scoring: value, feasibility, methods, lenses, quadrants; the explanation and the value-case review.

The names are imported when first used (PEP 562), so a module that needs only the plain-data part
(``fulcrum.scoring.table``, ``methods``, ``quadrants``: a cached ``rank``) loads no models.
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fulcrum.scoring.couplings import Couplings, couplings
    from fulcrum.scoring.explain import explain_item, rank_in_every_lens
    from fulcrum.scoring.imported import (
        PLACEHOLDER_EFFORT,
        POINTS_FIELD,
        effort_not_estimated,
        needs_value_case,
    )
    from fulcrum.scoring.methods import METHOD_FORMULAS, METHODS
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
        item_value,
        lens_weights,
        no_price_note,
        score_backlog,
        table_of,
    )
    from fulcrum.scoring.rescore import rescore
    from fulcrum.scoring.review import ReviewWarning, review, review_threshold
    from fulcrum.scoring.table import ScoringError, ScoringTable, TableRanking, rank_table

#: Each public name -> the module that defines it.
_HOME = {
    "Couplings": "couplings",
    "couplings": "couplings",
    "explain_item": "explain",
    "rank_in_every_lens": "explain",
    "PLACEHOLDER_EFFORT": "imported",
    "POINTS_FIELD": "imported",
    "effort_not_estimated": "imported",
    "needs_value_case": "imported",
    "METHOD_FORMULAS": "methods",
    "METHODS": "methods",
    "QUADRANT_INFO": "quadrants",
    "QUADRANT_LABELS": "quadrants",
    "QUADRANTS": "quadrants",
    "Quadrant": "quadrants",
    "QuadrantInfo": "quadrants",
    "quadrant": "quadrants",
    "CLOSED": "rank",
    "EVERYONE": "rank",
    "Ranking": "rank",
    "Scored": "rank",
    "item_value": "rank",
    "lens_weights": "rank",
    "no_price_note": "rank",
    "score_backlog": "rank",
    "table_of": "rank",
    "rescore": "rescore",
    "ReviewWarning": "review",
    "review": "review",
    "review_threshold": "review",
    "ScoringError": "table",
    "ScoringTable": "table",
    "TableRanking": "table",
    "rank_table": "table",
}


class _Package(types.ModuleType):
    """This package: a name of ``_HOME`` always means what it exports. Three are also the names of
    submodules (``couplings``, ``review``, ``rescore``), and importing a submodule sets its name on
    the package; the function stays (as when the names were imported eagerly)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'fulcrum.scoring' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"fulcrum.scoring.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CLOSED",
    "EVERYONE",
    "METHODS",
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
    "ScoringTable",
    "TableRanking",
    "couplings",
    "effort_not_estimated",
    "explain_item",
    "item_value",
    "lens_weights",
    "needs_value_case",
    "no_price_note",
    "quadrant",
    "rank_in_every_lens",
    "rank_table",
    "rescore",
    "review",
    "review_threshold",
    "score_backlog",
    "table_of",
]
