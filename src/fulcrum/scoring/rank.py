"""Scoring: PERT, value per year, feasibility, score methods, lenses and quadrants (pure).

The semantics are docs/FORMAT.md's "Scoring"; docs/DESIGN.md says why each was chosen.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain, compress
from typing import Any

from fulcrum.backlog import Backlog, Item
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.quadrants import Quadrant
from fulcrum.scoring.scores import effective_changes
from fulcrum.scoring.table import (
    EFFORT,
    EVERYONE,
    FEASIBILITY,
    ID,
    ScoringTable,
    _json_number,
    rank_table,
    unknown_lens,
)

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
        raise unknown_lens(lens, backlog.stakeholders) from None
    return person.weights


def no_price_note(backlog: Backlog, lens: str | None = None) -> str | None:
    """None when some metric of the lens has a price; else a sentence saying which to price."""
    return table_of(backlog, rows=False).no_price_note(lens)


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
    """Score and rank every open item. ``formula`` implies method "formula".

    The scoring is :func:`fulcrum.scoring.table.rank_table` over the backlog's plain-data table,
    the same that answers ``rank`` from the cache; this only puts the items beside the numbers.
    """
    prep = _prepare(backlog)
    r = rank_table(_table(backlog, prep), lens, method, formula)
    rows, items, values, scored, quads = prep.rows, prep.items_open, r.values, r.scores, r.quadrants
    ranked = [
        _scored(items[i], pos + 1, values[i], rows[i][EFFORT], rows[i][FEASIBILITY], scored[i], quads[i])
        for pos, i in enumerate(r.order)
    ]
    return Ranking(
        backlog=backlog,
        lens=r.lens,
        method=r.method,
        formula=r.formula,
        ranked=ranked,
        value_threshold=r.value_threshold,
        feasibility_threshold=r.feasibility_threshold,
        closed=list(prep.closed),
        no_price_note=r.no_price_note,
    )


def table_of(backlog: Backlog, rows: bool = True) -> ScoringTable:
    """The backlog's scoring table (:mod:`fulcrum.scoring.table`): what scoring needs, as plain data.

    The rows do not depend on the lens, the method or the stakeholders, so they are kept for the
    next call on the same items (the TUI re-ranks on every lens change and edit); the settings
    are read afresh each time. ``rows=False``: the settings alone (no row is made).
    """
    return _table(backlog, _prepare(backlog) if rows else None)


def _table(backlog: Backlog, prep: _Prepared | None) -> ScoringTable:
    """The table of ``prep``'s rows with the backlog's settings (no rows without ``prep``)."""
    s = backlog.scoring
    return ScoringTable(
        title=backlog.backlog.title,
        currency=backlog.backlog.currency,
        method=s.method,
        formula=s.formula,
        min_value=s.quick_win_min_value,
        min_feasibility=s.quick_win_min_feasibility,
        metrics=tuple((k, m.value_per_unit) for k, m in backlog.metrics.items()),
        lenses=tuple((k, p.weights) for k, p in backlog.stakeholders.items()),
        rows=prep.rows if prep else [],
        closed=tuple((it.id, it.status) for it in prep.closed) if prep else (),
        by_id=prep.by_id if prep else [],
        field_names=prep.field_names if prep else (),
    )


def row_of(backlog: Backlog, item: Item, status: Mapping[str, str], encode: Callable[[Any], str]) -> tuple:
    """One open item's row of the scoring table (:data:`fulcrum.scoring.table.Row`)."""
    return rows_of(backlog, [item], status, encode)[0]


def rows_of(
    backlog: Backlog, items: Iterable[Item], status: Mapping[str, str], encode: Callable[[Any], str]
) -> list[tuple]:
    """The rows of open items: :func:`fulcrum.scoring.table.new_row` of each item's effective
    changes (:func:`effective_changes`), expected effort and :func:`feasibility`, with the same
    operations in the same order (so the same floats), but with the settings read once and no call
    per item or estimate: a 10,000-item file makes its rows in a third of the time."""
    from json.encoder import encode_basestring_ascii as text

    s = backlog.scoring
    half_life = s.effort_half_life_weeks
    coordination = 1.0 - s.coordination_penalty
    coup = couplings(backlog)
    apply = coup.apply if coup else None
    least = MIN_FEASIBILITY
    rows: list[tuple] = []
    append = rows.append
    # Equal inputs, equal results: (effort, coordination points) -> (feasibility, its JSON piece),
    # a positive confidence -> its JSON (floats' shortest repr is the costly part of a row).
    mids: dict[tuple[float, int], tuple[float, str]] = {}
    confidences: dict[float, str] = {}
    for item in items:
        own = {}
        for key, est in item.impact.items():  # Estimate.expected, inline
            low, likely, high = est.low, est.likely, est.high
            own[key] = likely if low == likely == high else (low + 4 * likely + high) / 6
        deltas = tuple((apply(own) if apply is not None else own).items())
        est = item.effort
        low, likely, high = est.low, est.likely, est.high
        effort = likely if low == likely == high else (low + 4 * likely + high) / 6
        n = len(item.needs)
        for d in item.depends_on:  # unfinished_dependencies, counted
            if status.get(d) != "done":
                n += 1
        known = mids.get((effort, n))  # an effort is at least 0.01: no -0.0 to tell from 0.0
        if known is None:
            effort_factor = max(2.0 ** (-effort / half_life), least)
            feas = max(effort_factor * max(coordination**n, least), least)
            mid = f'"effort": {_json_number(effort, encode)}, "feasibility": {_json_number(feas, encode)}'
            known = mids[effort, n] = (feas, mid)
        feas, mid = known
        item_id, title, confidence, asked = item.id, item.title, item.confidence, tuple(item.requested_by)
        confidence_json = confidences.get(confidence) if confidence > 0 else None  # 0.0 or -0.0: as is
        if confidence_json is None:
            confidence_json = _json_number(confidence, encode)
            if confidence > 0:
                confidences[confidence] = confidence_json
        asked_json = ", ".join(map(text, asked))
        # new_row's JSON pieces, inline (``tests/commands/test_rank_json.py`` holds them equal)
        append(
            (
                item_id,
                title,
                confidence,
                asked,
                deltas,
                effort,
                feas,
                item.fields,  # the frozen item's own dict: read, never changed
                f'"id": {text(item_id)}, "title": {text(title)}',
                mid,
                f'"confidence": {confidence_json}, "requested_by": [{asked_json}]',
            )
        )
    return rows


@dataclass(frozen=True)
class _Prepared:
    """The rows of a backlog's items: kept for the next call on the same items."""

    items: tuple[Item, ...]
    metrics: object
    """The metrics table the rows were made with (couplings change the deltas)."""
    half_life: float
    penalty: float
    rows: list[tuple[Any, ...]]
    items_open: tuple[Item, ...]
    closed: tuple[Item, ...]
    by_id: list[int]
    field_names: tuple[str, ...]


_last: list[_Prepared] = []
_ID = operator.attrgetter("id")
_STATUS = operator.attrgetter("status")
_FIELDS = operator.attrgetter("fields")
_ROW_ID = operator.itemgetter(ID)
_CLOSED = frozenset(CLOSED)


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
    import json

    encode = json.JSONEncoder(allow_nan=False).encode
    statuses = list(map(_STATUS, items))
    status = dict(zip(map(_ID, items), statuses, strict=True))  # a later item of an id wins
    is_closed = list(map(_CLOSED.__contains__, statuses))
    open_items = list(compress(items, map(operator.not_, is_closed)))
    closed = list(compress(items, is_closed))
    names = dict.fromkeys(chain.from_iterable(map(_FIELDS, items)))  # in file order, each once
    rows = rows_of(backlog, open_items, status, encode)
    by_id = sorted(range(len(rows)), key=list(map(_ROW_ID, rows)).__getitem__)
    prep = _Prepared(
        tuple(items),
        backlog.metrics,
        s.effort_half_life_weeks,
        s.coordination_penalty,
        rows,
        tuple(open_items),
        tuple(closed),
        by_id,
        tuple(names),
    )
    _last[:] = [prep]  # one entry: the backlog being worked on
    return prep


_new = object.__new__


def _scored(
    item: Item,
    rank: int,
    value: float,
    effort: float,
    feas: float,
    score: tuple[float | None, str | None],
    quad: Quadrant,
) -> Scored:
    """A Scored without the frozen dataclass's field-by-field __init__ (3x faster for big backlogs)."""
    out = _new(Scored)
    out.__dict__.update(
        item=item,
        rank=rank,
        value=value,
        effort=effort,
        feasibility=feas,
        score=score[0],
        quadrant=quad,
        score_error=score[1],
    )
    return out
