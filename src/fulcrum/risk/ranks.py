"""Scores and ranks per sample, by the backlog's method (docs/FORMAT.md "Scoring").

``value_density`` and ``rice`` read the sampled value and effort; ``ice`` and ``wsjf`` read only
``fields`` and the confidence, which are not sampled, so their ranks do not move; a ``formula`` is
evaluated per sample and item with the sampled value, effort, feasibility and effective changes.
A score that is not a finite number is n/a and ranks after every number; ties rank by id.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fulcrum.backlog import Backlog
from fulcrum.formula import FORMULA_BUILTINS, FormulaError, compile_formula
from fulcrum.risk.sampling import Samples
from fulcrum.scoring import Ranking, Scored, couplings

Array = npt.NDArray[np.float64]


def sample_scores(ranking: Ranking, samples: Samples) -> Array:
    """(samples, candidates): each candidate's score in each sample; NaN where it is n/a."""
    cands = ranking.ranked
    value, effort = samples.value, samples.effort
    method = ranking.method
    with np.errstate(all="ignore"):
        if method == "value_density":
            out = value / effort
        elif method == "rice":
            k = np.array([_rice_top(c) for c in cands])
            out = k / effort
        elif method == "formula" and ranking.formula is not None:
            out = _formula_scores(ranking.backlog, ranking.formula, cands, samples)
        else:
            fixed = np.array([np.nan if c.score is None else c.score for c in cands], dtype=np.float64)
            out = np.tile(fixed, (samples.count, 1))
    out = np.where(np.isfinite(out), out, np.nan)
    return np.asarray(out, dtype=np.float64)


def _rice_top(c: Scored) -> float:
    """RICE's numerator, ``reach * impact * confidence`` (the ranking checked the fields exist)."""
    return float(c.item.fields["reach"] * c.item.fields["impact"] * c.item.confidence)


def sample_ranks(ranking: Ranking, scores: Array) -> npt.NDArray[np.int32]:
    """(samples, candidates): 1-based rank in each sample (best score first, n/a last, ties by id)."""
    count, n = scores.shape
    by_id = sorted(range(n), key=lambda i: ranking.ranked[i].id)
    neg = -scores[:, by_id]
    neg = np.where(np.isnan(neg), np.inf, neg)
    order = np.argsort(neg, axis=1, kind="stable")  # positions in id order, best first
    ranks = np.empty((count, n), dtype=np.int32)
    rows = np.arange(count)[:, None]
    ids = np.asarray(by_id, dtype=np.int64)
    ranks[rows, ids[order]] = np.arange(1, n + 1, dtype=np.int32)[None, :]
    return ranks


def _formula_scores(backlog: Backlog, formula: str, cands: Sequence[Scored], samples: Samples) -> Array:
    """A formula per sample and item (plain Python: the evaluator works on numbers, one at a time)."""
    names = {*FORMULA_BUILTINS, *backlog.metrics}
    for it in backlog.items:
        names.update(it.fields)
    compiled = compile_formula(formula, names)
    coup = couplings(backlog)
    s = backlog.scoring
    count, n = samples.value.shape
    out = np.full((count, n), np.nan)
    own = _sampled_impacts(cands, samples)
    for i, c in enumerate(cands):
        it = c.item
        base: dict[str, float] = {k: 0.0 for k in backlog.metrics}
        base.update(it.fields)
        coordination = c.feasibility / max(2.0 ** (-c.effort / s.effort_half_life_weeks), 1e-300)
        for r in range(count):
            deltas = {k: float(v[r]) for k, v in own[i].items()}
            if not samples.materialised[r, i]:
                deltas = dict.fromkeys(deltas, 0.0)
            env = dict(base)
            env.update(coup.apply(deltas) if coup else deltas)
            env.update(it.fields)
            e = float(samples.effort[r, i])
            feas = max(2.0 ** (-e / s.effort_half_life_weeks) * coordination, 2.2250738585072014e-308)
            env.update(value=float(samples.value[r, i]), effort=e, feasibility=feas, confidence=it.confidence)
            with contextlib.suppress(FormulaError):  # n/a, as in the ranking
                out[r, i] = compiled.evaluate(env)
    return out


def _sampled_impacts(cands: Sequence[Scored], samples: Samples) -> list[dict[str, Array]]:
    """Per candidate: metric -> (samples,) drawn own change (certain ones repeated)."""
    count = samples.count
    out: list[dict[str, Array]] = [
        {k: np.full(count, est.likely) for k, est in c.item.impact.items()} for c in cands
    ]
    for k, x in enumerate(samples.inputs):
        if x.kind == "impact" and x.metric is not None:
            out[x.item][x.metric] = samples.draws[:, k]
    return out
