"""Scores by method (value_density, rice, ice, wsjf, formula) and the variables of a formula.

A score that is not a finite number is n/a, with the reason; missing ``fields`` for a method are one
error naming every item (docs/FORMAT.md "Scoring").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fulcrum.backlog import FORMULA_BUILTINS, Backlog, Item
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.methods import FIELD_EXAMPLES, METHOD_FIELDS


class ScoringError(Exception):
    """The backlog cannot be scored with this method; ``problems`` are (item id, message)."""

    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        super().__init__("\n".join(f"item {i!r}: {m}" if i else m for i, m in problems))
        self.problems = list(problems)


def effective_changes(backlog: Backlog, item: Item) -> dict[str, float]:
    """Metric -> expected effective change: the item's impacts, then what couplings add."""
    own = {key: est.expected for key, est in item.impact.items()}
    coup = couplings(backlog)
    return coup.apply(own) if coup else own


def scores(
    backlog: Backlog,
    method: str,
    formula: str | None,
    rows: list[tuple[Item, float, float, float]],
) -> list[tuple[float | None, str | None]]:
    """Each row's (score, why it is n/a): a score that is not a finite number is n/a too."""
    out = _raw_scores(backlog, method, formula, rows)
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
    backlog: Backlog,
    method: str,
    formula: str | None,
    rows: list[tuple[Item, float, float, float]],
) -> list[tuple[float | None, str | None]]:
    if method == "value_density":
        return [(value / effort, None) for _, value, effort, _ in rows]
    if method in METHOD_FIELDS:
        needed = METHOD_FIELDS[method]
        missing: list[tuple[str | None, str]] = [
            (it.id, f"missing {', '.join(k for k in needed if k not in it.fields)}")
            for it, *_ in rows
            if any(k not in it.fields for k in needed)
        ]
        if missing:
            example = ", ".join(f"{k} = {FIELD_EXAMPLES[k]}" for k in needed)
            summary = (
                f"method {method!r} needs fields {', '.join(needed)} on every item; {len(missing)} of "
                f"{len(rows)} item(s) lack some: add them to each, e.g. fields = {{ {example} }}"
            )
            raise ScoringError([(None, summary), *missing])
        out: list[tuple[float | None, str | None]] = []
        for it, _value, effort, _f in rows:
            f = it.fields
            if method == "rice":
                out.append((f["reach"] * f["impact"] * it.confidence / effort, None))
            elif method == "ice":
                out.append((f["impact"] * it.confidence * f["ease"], None))
            elif f["job_size"] == 0:
                out.append((None, "job_size is 0: WSJF divides by it"))
            else:
                out.append(
                    (
                        (f["business_value"] + f["time_criticality"] + f["risk_reduction"]) / f["job_size"],
                        None,
                    )
                )
        return out
    if method == "formula":
        from fulcrum.backlog import FormulaError, compile_formula

        assert formula is not None
        names = formula_names(backlog)
        try:
            compiled = compile_formula(formula, names)
        except FormulaError as exc:
            raise ScoringError([(None, f"formula {formula!r}: {exc}")]) from None
        out = []
        for it, value, effort, feas in rows:
            env = formula_env(backlog, it, value, effort, feas)
            try:
                out.append((compiled.evaluate(env), None))
            except FormulaError as exc:
                out.append((None, str(exc)))
        return out
    raise ScoringError([(None, f"unknown method {method!r}")])


def formula_names(backlog: Backlog) -> set[str]:
    """Every name a formula may use in this backlog."""
    names = {*FORMULA_BUILTINS, *backlog.metrics}
    for it in backlog.items:
        names.update(it.fields)
    return names


def formula_env(backlog: Backlog, item: Item, value: float, effort: float, feas: float) -> dict[str, float]:
    """The variables of a formula for one item: built-ins, each metric's expected effective change, fields.

    A metric the item does not move is 0. A ``fields`` key another item has but this one lacks is
    absent, so evaluating a formula that uses it gives that item an n/a score, never a silent 0.
    """
    env: dict[str, float] = {k: 0.0 for k in backlog.metrics}
    env.update(effective_changes(backlog, item))
    env.update(item.fields)
    env.update(value=value, effort=effort, feasibility=feas, confidence=item.confidence)
    return env
