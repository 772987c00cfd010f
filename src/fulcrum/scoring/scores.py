"""What scoring reads of a loaded item: its effective changes, and the variables of a formula.

The scores themselves are computed over plain data, in :mod:`fulcrum.scoring.table` (docs/FORMAT.md
"Scoring"); these are the same rules read from the models, for the explanation and the review.
"""

from __future__ import annotations

from fulcrum.backlog import Backlog, Item
from fulcrum.formula import FORMULA_BUILTINS
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.table import ScoringError
from fulcrum.scoring.table import formula_env as _formula_env

__all__ = ["ScoringError", "effective_changes", "formula_env", "formula_names"]


def effective_changes(backlog: Backlog, item: Item) -> dict[str, float]:
    """Metric -> expected effective change: the item's impacts, then what couplings add."""
    own = {key: est.expected for key, est in item.impact.items()}
    coup = couplings(backlog)
    return coup.apply(own) if coup else own


def formula_names(backlog: Backlog) -> set[str]:
    """Every name a formula may use in this backlog."""
    names = {*FORMULA_BUILTINS, *backlog.metrics}
    for it in backlog.items:
        names.update(it.fields)
    return names


def formula_env(backlog: Backlog, item: Item, value: float, effort: float, feas: float) -> dict[str, float]:
    """The variables of a formula for one item (:func:`fulcrum.scoring.table.formula_env`)."""
    deltas = effective_changes(backlog, item).items()
    return _formula_env(list(backlog.metrics), deltas, item.fields, value, effort, feas, item.confidence)
