"""Scoring over plain data: the one path every ranking takes, from a loaded backlog or the cache.

A :class:`ScoringTable` holds what scoring needs of a backlog as plain values (strings, floats,
tuples, dicts): the settings, each metric's price, each stakeholder's weights, and for each open
item its expected effective changes, expected effort, feasibility, confidence and ``fields``, with
the text the outputs print of it (pre-encoded for JSON). None of it depends on the lens or the
method, so one table answers every ``rank`` of the same file. It is built from a loaded backlog
(:func:`fulcrum.scoring.rank.table_of`) or read back from the cache (:meth:`ScoringTable.from_plain`);
:func:`rank_table` scores it the same way in both cases (docs/DESIGN.md "The cache and the fast
path"). This module imports only the standard library, so a cache hit never loads pydantic.
"""

from __future__ import annotations

import math

from fulcrum.scoring.methods import FIELD_EXAMPLES, METHOD_FIELDS
from fulcrum.scoring.quadrants import quadrants

TYPE_CHECKING = False  # not `typing`: it costs ~10 ms of a cached answer
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from fulcrum.scoring.quadrants import Quadrant

#: The lens that weighs every metric 1.
EVERYONE = "everyone"
#: Bump when what a table holds or means changes: a cached table of another layout is a miss.
LAYOUT = 3

# The fields of a row, by position (a row is a tuple: marshal keeps it as it is, and it is compact).
ID, TITLE, CONFIDENCE, REQUESTED_BY, DELTAS, EFFORT, FEASIBILITY, FIELDS, HEAD_JSON, MID_JSON, TAIL_JSON = (
    range(11)
)
#: One open item: (id, title, confidence, requested_by, ((metric, expected effective change), ...),
#: expected effort, feasibility, fields, its JSON '"id": ..., "title": ...', its JSON
#: '"confidence": ..., "requested_by": [...]').
Row = tuple  # the positions above name its fields


class ScoringError(Exception):
    """The backlog cannot be scored with this method; ``problems`` are (item id, message)."""

    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        super().__init__("\n".join(f"item {i!r}: {m}" if i else m for i, m in problems))
        self.problems = list(problems)


class ScoringTable:
    """What scoring needs of one backlog, as plain data (see the module's docstring)."""

    __slots__ = (
        "by_id",
        "closed",
        "currency",
        "field_names",
        "formula",
        "lenses",
        "method",
        "metrics",
        "min_feasibility",
        "min_value",
        "rows",
        "title",
    )

    def __init__(
        self,
        *,
        title: str,
        currency: str,
        method: str,
        formula: str | None,
        min_value: str | float,
        min_feasibility: float,
        metrics: tuple[tuple[str, float | None], ...],
        lenses: tuple[tuple[str, dict[str, float]], ...],
        rows: list[Row],
        closed: tuple[tuple[str, str], ...],
        by_id: list[int],
        field_names: tuple[str, ...],
    ) -> None:
        self.title = title
        """The backlog's title (``fulcrum matrix`` heads its chart with it)."""
        self.currency = currency
        self.method = method
        """The backlog's ``[scoring] method``."""
        self.formula = formula
        """The backlog's ``[scoring] formula`` (may be empty)."""
        self.min_value = min_value
        """``quick_win_min_value``: "median" or money per year."""
        self.min_feasibility = min_feasibility
        self.metrics = metrics
        """(metric key, value_per_unit or None), in the file's order."""
        self.lenses = lenses
        """(stakeholder key, metric -> weight), in the file's order."""
        self.rows = rows
        """The open items, in the file's order (see :data:`Row`)."""
        self.closed = closed
        """(id, status) of each done or dropped item, in the file's order."""
        self.by_id = by_id
        """Indexes of ``rows`` sorted by item id (the ranking's tie-break)."""
        self.field_names = field_names
        """Every ``fields`` key of any item (open or closed), first seen first: a formula's names."""

    def to_plain(self) -> tuple[Any, ...]:
        """The table as one tuple of plain values (what the cache keeps)."""
        return (LAYOUT, *(getattr(self, name) for name in _PLAIN))

    @classmethod
    def from_plain(cls, data: object) -> ScoringTable | None:
        """The table :meth:`to_plain` gave, or None when ``data`` is not one (another layout)."""
        if not (isinstance(data, tuple) and len(data) == len(_PLAIN) + 1 and data[0] == LAYOUT):
            return None
        fields = dict(zip(_PLAIN, data[1:], strict=True))
        if not all(isinstance(fields[k], t) for k, t in _PLAIN_TYPES.items()):
            return None
        return cls(**fields)

    def weights(self, lens: str | None) -> dict[str, float]:
        """Metric key -> weight: 1 for every metric in the default lens, the stakeholder's otherwise."""
        if lens is None or lens == EVERYONE:
            return {k: 1.0 for k, _ in self.metrics}
        for key, weights in self.lenses:
            if key == lens:
                return weights
        raise unknown_lens(lens, [k for k, _ in self.lenses])

    def no_price_note(self, lens: str | None) -> str | None:
        """None when some metric of the lens has a price; else a sentence saying which to price."""
        prices = dict(self.metrics)
        cared = [k for k, w in self.weights(lens).items() if w and k in prices]
        if any(prices[k] for k in cared):
            return None
        whose = "the backlog's" if lens is None or lens == EVERYONE else f"{lens}'s"
        if not cared:
            return f"none of {whose} metrics has a price: there are no metrics to value items by"
        return f"none of {whose} metrics has a price: set value_per_unit on {', '.join(cared)}"


_PLAIN = (
    "title",
    "currency",
    "method",
    "formula",
    "min_value",
    "min_feasibility",
    "metrics",
    "lenses",
    "rows",
    "closed",
    "by_id",
    "field_names",
)
_PLAIN_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "currency": str,
    "method": str,
    "min_value": (str, float, int),
    "min_feasibility": (float, int),
    "metrics": tuple,
    "lenses": tuple,
    "rows": list,
    "closed": tuple,
    "by_id": list,
    "field_names": tuple,
}


class TableRanking:
    """A table scored under one lens and method: plain numbers, positions into the table's rows."""

    __slots__ = (
        "feasibility_threshold",
        "formula",
        "lens",
        "method",
        "no_price_note",
        "order",
        "quadrants",
        "scores",
        "value_threshold",
        "values",
    )

    def __init__(
        self,
        lens: str,
        method: str,
        formula: str | None,
        order: list[int],
        values: list[float],
        scores: list[tuple[float | None, str | None]],
        quadrants: list[Quadrant],
        value_threshold: float,
        feasibility_threshold: float,
        no_price_note: str | None,
    ) -> None:
        self.lens = lens
        self.method = method
        self.formula = formula
        self.order = order
        """Row indexes, best first."""
        self.values = values
        """Each row's value under the lens (money per year), by row index."""
        self.scores = scores
        """Each row's (score, why it is n/a), by row index."""
        self.quadrants = quadrants
        """Each row's quadrant, by row index."""
        self.value_threshold = value_threshold
        self.feasibility_threshold = feasibility_threshold
        self.no_price_note = no_price_note


def unknown_lens(lens: str, stakeholders: Iterable[str]) -> ScoringError:
    """The error for a lens that is not "everyone" nor a stakeholder's key."""
    names = ", ".join([EVERYONE, *stakeholders])
    return ScoringError([(None, f"unknown lens {lens!r}; use one of: {names}")])


def resolve_method(table: ScoringTable, method: str | None, formula: str | None) -> tuple[str, str | None]:
    """(method, formula) as a command line asks: ``formula`` implies "formula"; else the backlog's."""
    if formula is not None:
        method = "formula"
    method = method or table.method
    if method != "formula":
        return method, None
    formula = formula if formula is not None else table.formula
    if not formula:
        raise ScoringError([(None, 'method "formula" needs a formula (--formula EXPR or [scoring] formula)')])
    return method, formula


def priced(table: ScoringTable, weights: Mapping[str, float]) -> dict[str, tuple[float, float]]:
    """Metric -> (price, weight) of every metric that has both (the others add nothing)."""
    return {k: (p, weights[k]) for k, p in table.metrics if p and weights.get(k)}


def row_value(row: Row, prices: Mapping[str, tuple[float, float]]) -> float:
    """Money per year: confidence * sum over the row's metrics of effective change * price * weight."""
    return row_values([row], prices)[0]


def row_values(rows: Iterable[Row], prices: Mapping[str, tuple[float, float]]) -> list[float]:
    """:func:`row_value` of each row, in one loop (a re-rank makes 10,000)."""
    get = prices.get
    out = []
    for row in rows:
        total = 0.0
        for key, delta in row[DELTAS]:
            pw = get(key)
            if pw is not None:
                total += delta * pw[0] * pw[1]
        out.append(row[CONFIDENCE] * total + 0.0)  # + 0.0 turns -0.0 into 0.0
    return out


def rank_table(
    table: ScoringTable, lens: str | None = None, method: str | None = None, formula: str | None = None
) -> TableRanking:
    """Score and rank every open row. Best score first, n/a last, ties by id."""
    weights = table.weights(lens)
    method, formula = resolve_method(table, method, formula)
    prices = priced(table, weights)
    rows = table.rows
    values = row_values(rows, prices)
    scored = row_scores(method, formula, lambda: formula_names(table), table, rows, values)
    vt = value_threshold(table.min_value, values)
    ft = table.min_feasibility
    order = list(table.by_id)
    neg = [math.inf if sc is None else -sc for sc, _ in scored]
    order.sort(key=neg.__getitem__)
    quads = quadrants(values, [row[FEASIBILITY] for row in rows], vt, ft)
    return TableRanking(
        lens or EVERYONE, method, formula, order, values, scored, quads, vt, ft, table.no_price_note(lens)
    )


def formula_names(table: ScoringTable) -> set[str]:
    """Every name a formula may use in this backlog: the built-ins, the metrics, every field."""
    from fulcrum.formula import FORMULA_BUILTINS

    return {*FORMULA_BUILTINS, *(k for k, _ in table.metrics), *table.field_names}


def row_scores(
    method: str,
    formula: str | None,
    names: Callable[[], set[str]],
    table: ScoringTable,
    rows: Sequence[Row],
    values: Sequence[float],
) -> list[tuple[float | None, str | None]]:
    """Each row's (score, why it is n/a); a score that is not a finite number is n/a too.

    ``names`` gives the names a formula may use (asked only for method "formula").
    """
    out = _raw_scores(method, formula, names, table, rows, values)
    isfinite = math.isfinite
    for i, (sc, _) in enumerate(out):
        if sc is not None and not isfinite(sc):
            out[i] = (None, _not_finite(method, sc))
    return out


def _not_finite(method: str, score: float) -> str:
    if math.isnan(score):
        return f"the {method} score is not a number (nan): check the item's numbers"
    return f"the {method} score is too large to compute (it overflows to infinity): check the item's numbers"


def _raw_scores(
    method: str,
    formula: str | None,
    names: Callable[[], set[str]],
    table: ScoringTable,
    rows: Sequence[Row],
    values: Sequence[float],
) -> list[tuple[float | None, str | None]]:
    if method == "value_density":
        return [(value / row[EFFORT], None) for row, value in zip(rows, values, strict=True)]
    if method in METHOD_FIELDS:
        needed = METHOD_FIELDS[method]
        missing: list[tuple[str | None, str]] = [
            (row[ID], f"missing {', '.join(k for k in needed if k not in row[FIELDS])}")
            for row in rows
            if any(k not in row[FIELDS] for k in needed)
        ]
        if missing:
            example = ", ".join(f"{k} = {FIELD_EXAMPLES[k]}" for k in needed)
            summary = (
                f"method {method!r} needs fields {', '.join(needed)} on every item; {len(missing)} of "
                f"{len(rows)} item(s) lack some: add them to each, e.g. fields = {{ {example} }}"
            )
            raise ScoringError([(None, summary), *missing])
        out: list[tuple[float | None, str | None]] = []
        for row in rows:
            f = row[FIELDS]
            if method == "rice":
                out.append((f["reach"] * f["impact"] * row[CONFIDENCE] / row[EFFORT], None))
            elif method == "ice":
                out.append((f["impact"] * row[CONFIDENCE] * f["ease"], None))
            elif f["job_size"] == 0:
                out.append((None, "job_size is 0: WSJF divides by it"))
            else:
                total = f["business_value"] + f["time_criticality"] + f["risk_reduction"]
                out.append((total / f["job_size"], None))
        return out
    if method == "formula":
        from fulcrum.formula import FormulaError, compile_formula

        assert formula is not None
        try:
            compiled = compile_formula(formula, names())
        except FormulaError as exc:
            raise ScoringError([(None, f"formula {formula!r}: {exc}")]) from None
        metrics = [k for k, _ in table.metrics]
        out = []
        for row, value in zip(rows, values, strict=True):
            env = formula_env(
                metrics, row[DELTAS], row[FIELDS], value, row[EFFORT], row[FEASIBILITY], row[CONFIDENCE]
            )
            try:
                out.append((compiled.evaluate(env), None))
            except FormulaError as exc:
                out.append((None, str(exc)))
        return out
    raise ScoringError([(None, f"unknown method {method!r}")])


def formula_env(
    metrics: Sequence[str],
    deltas: Iterable[tuple[str, float]],
    fields: Mapping[str, float],
    value: float,
    effort: float,
    feas: float,
    confidence: float,
) -> dict[str, float]:
    """The variables of a formula for one item: each metric's expected effective change (0 when the
    item does not move it), its fields, then value, effort, feasibility and confidence.

    A ``fields`` key another item has but this one lacks is absent, so a formula that uses it gives
    this item an n/a score, never a silent 0.
    """
    env: dict[str, float] = dict.fromkeys(metrics, 0.0)
    env.update(deltas)
    env.update(fields)
    env.update(value=value, effort=effort, feasibility=feas, confidence=confidence)
    return env


def value_threshold(setting: str | float, values: Sequence[float]) -> float:
    """``quick_win_min_value``: the median of the values, or the number itself."""
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


def new_row(
    item_id: str,
    title: str,
    confidence: float,
    requested_by: tuple[str, ...],
    deltas: tuple[tuple[str, float], ...],
    effort: float,
    feasibility: float,
    fields: dict[str, float],
    encode: Callable[[Any], str],
) -> Row:
    """A row, with its JSON pieces as ``encode`` (``json.JSONEncoder(allow_nan=False).encode``, what
    the outputs use) writes them: strings and finite floats the encoder's own way without a call
    per value (``tests/commands/test_rank_json.py`` holds them equal), anything else by ``encode``."""
    from json.encoder import encode_basestring_ascii as text

    head = f'"id": {text(item_id)}, "title": {text(title)}'
    mid = f'"effort": {_json_number(effort, encode)}, "feasibility": {_json_number(feasibility, encode)}'
    asked = ", ".join(map(text, requested_by))
    tail = f'"confidence": {_json_number(confidence, encode)}, "requested_by": [{asked}]'
    return (item_id, title, confidence, requested_by, deltas, effort, feasibility, fields, head, mid, tail)


def _json_number(x: float, encode: Callable[[Any], str]) -> str:
    """What the JSON encoder writes for a number: a finite float is its repr; the rest (an int, a
    float that is not finite, which the encoder refuses) goes to ``encode``."""
    return float.__repr__(x) if type(x) is float and x - x == 0.0 else encode(x)
