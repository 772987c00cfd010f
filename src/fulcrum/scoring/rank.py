"""Scoring: PERT, value per year, feasibility, score methods, lenses and quadrants (pure).

The semantics are docs/FORMAT.md's "Scoring"; docs/DESIGN.md says why each was chosen.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fulcrum.backlog import Backlog, Item
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.quadrants import Quadrant, quadrant
from fulcrum.scoring.scores import ScoringError, effective_changes, scores

#: The lens that weighs every metric 1.
EVERYONE = "everyone"
#: Statuses that are not ranked (listed apart).
CLOSED = ("done", "dropped")
#: The least feasibility (and effort factor) there is: the smallest positive normal float. A huge
#: effort over a short half-life (10,000 weeks / 0.01) would underflow ``2 ** -x`` to exactly 0,
#: but the contract is (0, 1]; the clamp keeps the order of everything bigger.
MIN_FEASIBILITY = sys.float_info.min


@dataclass(frozen=True)
class Scored:
    """One ranked item with every number behind its place."""

    item: Item
    rank: int
    """1-based position, best first."""
    value: float
    """Money per year under the lens: confidence * sum(expected delta * price * weight)."""
    effort: float
    """Expected person-weeks (PERT mean)."""
    feasibility: float
    """In (0, 1]: the effort half-life factor times the coordination factor."""
    score: float | None
    """The method's score; None when it cannot be computed (see ``score_error``)."""
    quadrant: Quadrant
    score_error: str | None = None
    """Why the score is n/a (e.g. division by zero in a formula)."""

    @property
    def id(self) -> str:
        return self.item.id


@dataclass(frozen=True)
class Ranking:
    """A whole backlog scored under one lens and method."""

    backlog: Backlog
    lens: str
    method: str
    formula: str | None
    ranked: list[Scored]
    value_threshold: float
    feasibility_threshold: float
    closed: list[Item] = field(default_factory=list)
    """Items with status done or dropped, in file order: not ranked."""
    no_price_note: str | None = None
    """Set when no metric of the lens has a price, so every item is worth 0: what to do about it."""

    def get(self, item_id: str) -> Scored | None:
        """The scored item with this id, or None (closed or unknown)."""
        return self._by_id.get(item_id)

    @property
    def statuses(self) -> dict[str, str]:
        """Item id -> status, of every item (built once per ranking)."""
        cache = self.__dict__.get("_statuses")
        if cache is None:
            cache = {it.id: it.status for it in self.backlog.items}
            object.__setattr__(self, "_statuses", cache)
        return cache

    @property
    def _by_id(self) -> dict[str, Scored]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {s.id: s for s in self.ranked}
            object.__setattr__(self, "_cache", cache)
        return cache


def expected(estimate_low: float, likely: float, high: float) -> float:
    """PERT mean ``(low + 4 * likely + high) / 6``."""
    return (estimate_low + 4 * likely + high) / 6


def lens_weights(backlog: Backlog, lens: str | None = None) -> dict[str, float]:
    """Metric key -> weight: 1 for every metric in the default lens, the stakeholder's otherwise."""
    if lens is None or lens == EVERYONE:
        return {k: 1.0 for k in backlog.metrics}
    try:
        person = backlog.stakeholders[lens]
    except KeyError:
        raise ScoringError(
            [(None, f"unknown lens {lens!r}; use one of: {', '.join(lens_names(backlog))}")]
        ) from None
    return person.weights


def no_price_note(backlog: Backlog, lens: str | None = None) -> str | None:
    """None when some metric of the lens has a price; else a sentence saying which to price."""
    weights = lens_weights(backlog, lens)
    cared = [k for k, w in weights.items() if w and k in backlog.metrics]
    if any(backlog.metrics[k].value_per_unit for k in cared):
        return None
    whose = "the backlog's" if lens is None or lens == EVERYONE else f"{lens}'s"
    if not cared:
        return f"none of {whose} metrics has a price: there are no metrics to value items by"
    return f"none of {whose} metrics has a price: set value_per_unit on {', '.join(cared)}"


def lens_names(backlog: Backlog) -> list[str]:
    """Every lens: "everyone" then each stakeholder key."""
    return [EVERYONE, *backlog.stakeholders]


@dataclass(frozen=True)
class Contribution:
    """One metric's part of an item's value."""

    metric: str
    expected_delta: float
    """The expected effective change: the item's own impact plus what couplings add."""
    price: float
    """value_per_unit (0 when the metric has none)."""
    weight: float
    """Lens weight."""
    value: float
    """expected_delta * price * weight (before confidence)."""


def contributions(backlog: Backlog, item: Item, weights: Mapping[str, float]) -> list[Contribution]:
    """Each effective change of the item priced and weighted: its impacts in its order, then the
    metrics it moves only through couplings."""
    out = []
    for key, d in effective_changes(backlog, item).items():
        metric = backlog.metrics.get(key)
        price = metric.value_per_unit if metric and metric.value_per_unit is not None else 0.0
        w = weights.get(key, 0.0)
        out.append(Contribution(key, d, price, w, d * price * w))
    return out


def item_value(backlog: Backlog, item: Item, weights: Mapping[str, float]) -> float:
    """Money per year: confidence * sum over metrics of expected effective change * price * weight.

    Always finite for a backlog without couplings: each term is at most 1e15 (delta) * 1e9 (price)
    * 1000 (weight) = 1e27 in magnitude (the bounds are in fulcrum.backlog.values). Couplings can
    multiply a change; a value that overflows is caught where scores are made (n/a).
    """
    total = 0.0
    metrics = backlog.metrics
    for key, d in effective_changes(backlog, item).items():
        w = weights.get(key, 0.0)
        if w:
            metric = metrics.get(key)
            if metric is not None and metric.value_per_unit:
                total += d * metric.value_per_unit * w
    return item.confidence * total + 0.0  # + 0.0 turns -0.0 into 0.0


def unfinished_dependencies(
    backlog: Backlog, item: Item, status: Mapping[str, str] | None = None
) -> list[str]:
    """Ids this item depends on that are not done."""
    if status is None:
        status = {it.id: it.status for it in backlog.items}
    return [d for d in item.depends_on if status.get(d) != "done"]


def feasibility_factors(
    backlog: Backlog, item: Item, status: Mapping[str, str] | None = None
) -> tuple[float, float, int]:
    """(effort factor, coordination factor, number of coordination points)."""
    s = backlog.scoring
    effort = item.effort.expected
    effort_factor = max(2.0 ** (-effort / s.effort_half_life_weeks), MIN_FEASIBILITY)
    n = len(item.needs) + len(unfinished_dependencies(backlog, item, status))
    return effort_factor, max((1.0 - s.coordination_penalty) ** n, MIN_FEASIBILITY), n


def feasibility(backlog: Backlog, item: Item, status: Mapping[str, str] | None = None) -> float:
    """``2 ** (-effort / half_life) * (1 - penalty) ** (len(needs) + unfinished depends_on)``.

    Each factor, and the product, is at least :data:`MIN_FEASIBILITY`, so it never underflows to 0.
    """
    e, c, _ = feasibility_factors(backlog, item, status)
    return max(e * c, MIN_FEASIBILITY)


def score_backlog(
    backlog: Backlog,
    lens: str | None = None,
    method: str | None = None,
    formula: str | None = None,
) -> Ranking:
    """Score and rank every open item. ``formula`` implies method "formula"."""
    weights = lens_weights(backlog, lens)
    if formula is not None:
        method = "formula"
    method = method or backlog.scoring.method
    if method == "formula":
        formula = formula if formula is not None else backlog.scoring.formula
        if not formula:
            raise ScoringError(
                [(None, 'method "formula" needs a formula (--formula EXPR or [scoring] formula)')]
            )
    else:
        formula = None
    rows, closed, by_id = _rows(backlog, weights)
    scored = scores(backlog, method, formula, rows)
    s = backlog.scoring
    vt = _value_threshold(s.quick_win_min_value, [r[1] for r in rows])
    ft = s.quick_win_min_feasibility
    # Best score first, n/a last, ties by id: from id order, a stable sort by score (n/a as +inf).
    order = list(by_id)
    neg = [math.inf if sc is None else -sc for sc, _ in scored]
    order.sort(key=neg.__getitem__)
    ranked = [
        _scored(rows[i], pos + 1, scored[i], quadrant(rows[i][1], rows[i][3], vt, ft))
        for pos, i in enumerate(order)
    ]
    return Ranking(
        backlog=backlog,
        lens=lens or EVERYONE,
        method=method,
        formula=formula,
        ranked=ranked,
        value_threshold=vt,
        feasibility_threshold=ft,
        closed=closed,
        no_price_note=no_price_note(backlog, lens),
    )


_Row = tuple[Item, float, float, float]


def _rows(backlog: Backlog, weights: Mapping[str, float]) -> tuple[list[_Row], list[Item], list[int]]:
    """(item, value, effort, feasibility) of each open item, the closed items, rows' order by id.

    The same arithmetic as :func:`item_value` and :func:`feasibility`, in the same order of
    operations (so the numbers are identical), inlined because re-scoring 10,000 items after a
    lens change should take a few tens of milliseconds.
    """
    prep = _prepare(backlog)
    priced = {
        k: (m.value_per_unit, weights[k])
        for k, m in backlog.metrics.items()
        if m.value_per_unit and weights.get(k)
    }
    rows: list[_Row] = []
    for it, deltas, effort, feas in prep.rows:
        total = 0.0
        for key, delta in deltas:
            pw = priced.get(key)
            if pw is not None:
                total += delta * pw[0] * pw[1]
        rows.append((it, it.confidence * total + 0.0, effort, feas))
    return rows, prep.closed, prep.by_id


@dataclass(frozen=True)
class _Prepared:
    """What does not depend on the lens or the prices: kept for the next call on the same items."""

    items: tuple[Item, ...]
    metrics: object
    """The metrics table the rows were made with (couplings change the deltas)."""
    half_life: float
    penalty: float
    rows: list[tuple[Item, tuple[tuple[str, float], ...], float, float]]
    """(item, (metric, expected delta) pairs, expected effort, feasibility) of each open item."""
    closed: list[Item]
    by_id: list[int]
    """Indexes of ``rows`` sorted by item id (the tie-break)."""


_last: list[_Prepared] = []


def _prepare(backlog: Backlog) -> _Prepared:
    s = backlog.scoring
    items = backlog.items
    for p in _last:
        # Items are frozen: the same objects, in the same order, with the same settings give the
        # same rows. Identity (not equality) is checked, so an edited item is always re-read.
        if (
            (p.metrics is backlog.metrics or p.metrics == backlog.metrics)
            and p.half_life == s.effort_half_life_weeks
            and p.penalty == s.coordination_penalty
            and len(p.items) == len(items)
            and all(map(operator.is_, p.items, items))
        ):
            return p
    status = {it.id: it.status for it in items}
    coup = couplings(backlog)
    rows = []
    closed = []
    for it in items:
        if it.status in CLOSED:
            closed.append(it)
            continue
        deltas = tuple((key, est.expected) for key, est in it.impact.items())
        if coup:
            deltas = tuple(coup.apply(dict(deltas)).items())
        rows.append((it, deltas, it.effort.expected, feasibility(backlog, it, status)))
    by_id = sorted(range(len(rows)), key=lambda i: rows[i][0].id)
    prep = _Prepared(
        tuple(items), backlog.metrics, s.effort_half_life_weeks, s.coordination_penalty, rows, closed, by_id
    )
    _last[:] = [prep]  # one entry: the backlog being worked on
    return prep


_new = object.__new__


def _scored(row: _Row, rank: int, score: tuple[float | None, str | None], quad: Quadrant) -> Scored:
    """A Scored without the frozen dataclass's field-by-field __init__ (3x faster for big backlogs)."""
    out = _new(Scored)
    out.__dict__.update(
        item=row[0],
        rank=rank,
        value=row[1],
        effort=row[2],
        feasibility=row[3],
        score=score[0],
        quadrant=quad,
        score_error=score[1],
    )
    return out


def _value_threshold(setting: str | float, values: Sequence[float]) -> float:
    if setting == "median":
        return median(values)
    return float(setting)


def median(values: Sequence[float]) -> float:
    """The median (the mean of the middle two of an even count), 0 when empty: what
    ``statistics.median`` gives, without importing it (~20 ms of every command's start)."""
    if not values:
        return 0.0
    data = sorted(values)
    mid = len(data) // 2
    return data[mid] if len(data) % 2 else (data[mid - 1] + data[mid]) / 2
