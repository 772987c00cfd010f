"""The sampling core: every estimate drawn from its PERT distribution, every confidence a coin.

An estimate with low < high is ``low + (high - low) * Beta(a, b)`` with
``a = 1 + 4 (likely - low) / (high - low)`` and ``b = 1 + 4 (high - likely) / (high - low)``, whose mean
is the PERT mean; a plain number is certain. An item's impacts materialise with probability
``confidence`` (one draw per item and sample; the effort is spent either way). Couplings are linear,
so each metric's price, weight and everything it drives fold into one number per metric (``gain``)
and a sample's value is a dot product. All draws are independent and come from one generator in a
fixed order: first every range (item by item in rank order: effort, then impacts in file order),
as one (samples x ranges) Beta array, then every confidence, as one uniform array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from fulcrum.backlog import Backlog
from fulcrum.scoring import Scored, couplings

Kind = Literal["impact", "effort", "confidence"]
Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Input:
    """One uncertain number of the backlog: an impact range, an effort range, or a confidence below 1."""

    item: int
    """The candidate's index (rank order)."""
    kind: Kind
    metric: str | None
    """The metric of an impact; None otherwise."""
    low: float
    likely: float
    high: float
    """For a confidence: 0, the confidence, 1."""

    @property
    def name(self) -> str:
        """``impact.METRIC``, ``effort`` or ``confidence``: how the JSON and the form name it."""
        return f"impact.{self.metric}" if self.kind == "impact" else self.kind


@dataclass(frozen=True)
class Samples:
    """The draws of every input and what they make of each candidate, sample by sample."""

    inputs: tuple[Input, ...]
    """Every uncertain input, item by item in rank order (effort, impacts, confidence)."""
    draws: Array
    """(samples, inputs): the value drawn for each input (a confidence: 1.0 materialised, 0.0 not)."""
    value: Array
    """(samples, candidates): money per year under the lens."""
    effort: Array
    """(samples, candidates): person-weeks."""
    materialised: npt.NDArray[np.bool_]
    """(samples, candidates): the impacts materialised."""

    @property
    def count(self) -> int:
        return int(self.value.shape[0])


def uncertain_inputs(candidates: Sequence[Scored]) -> list[Input]:
    """Every input of the candidates that is not certain, in draw order."""
    out: list[Input] = []
    for i, s in enumerate(candidates):
        it = s.item
        e = it.effort
        if e.low < e.high:
            out.append(Input(i, "effort", None, e.low, e.likely, e.high))
        for key, est in it.impact.items():
            if est.low < est.high:
                out.append(Input(i, "impact", key, est.low, est.likely, est.high))
        if it.confidence < 1.0:
            out.append(Input(i, "confidence", None, 0.0, it.confidence, 1.0))
    return out


def coupled_gains(backlog: Backlog, weights: dict[str, float]) -> dict[str, float]:
    """Metric -> money per year of one unit of its change, under the lens, couplings included."""
    coup = couplings(backlog)
    out: dict[str, float] = {}
    for key in backlog.metrics:
        total = 0.0
        for k, d in (coup.apply({key: 1.0}) if coup else {key: 1.0}).items():
            m = backlog.metrics.get(k)
            if m is not None and m.value_per_unit:
                total += d * m.value_per_unit * weights.get(k, 0.0)
        out[key] = total
    return out


def draw(
    backlog: Backlog,
    candidates: Sequence[Scored],
    weights: dict[str, float],
    count: int,
    rng: np.random.Generator,
) -> Samples:
    """``count`` samples of every candidate's value (under ``weights``, a lens) and effort."""
    inputs = uncertain_inputs(candidates)
    gains = coupled_gains(backlog, weights)
    n = len(candidates)
    ranges = [x for x in inputs if x.kind != "confidence"]
    coins = [x for x in inputs if x.kind == "confidence"]
    lo = np.array([x.low for x in ranges], dtype=np.float64)
    width = np.array([x.high - x.low for x in ranges], dtype=np.float64)
    likely = np.array([x.likely for x in ranges], dtype=np.float64)
    if ranges:
        a = 1.0 + 4.0 * (likely - lo) / width
        b = 1.0 + 4.0 * (lo + width - likely) / width
        ranged = lo + width * rng.beta(a, b, size=(count, len(ranges)))
    else:
        ranged = np.zeros((count, 0))
    conf = np.array([candidates[x.item].item.confidence for x in coins], dtype=np.float64)
    heads = rng.random((count, len(coins))) < conf if coins else np.zeros((count, 0), dtype=bool)

    effort = np.empty((count, n))
    certain = np.zeros(n)
    for i, s in enumerate(candidates):
        effort[:, i] = s.item.effort.expected
        certain[i] = sum(
            (est.likely * gains.get(k, 0.0) for k, est in s.item.impact.items() if est.low == est.high),
            0.0,
        )
    impact = np.tile(certain, (count, 1))
    for k, x in enumerate(ranges):
        if x.kind == "effort":
            effort[:, x.item] = ranged[:, k]
        else:
            g = gains.get(x.metric or "", 0.0)
            if g:
                impact[:, x.item] += ranged[:, k] * g
    materialised = np.ones((count, n), dtype=bool)
    for k, x in enumerate(coins):
        materialised[:, x.item] = heads[:, k]
    value = np.where(materialised, impact, 0.0) + 0.0

    draws = np.empty((count, len(inputs)))
    r = c = 0
    for k, x in enumerate(inputs):
        if x.kind == "confidence":
            draws[:, k] = heads[:, c]
            c += 1
        else:
            draws[:, k] = ranged[:, r]
            r += 1
    return Samples(tuple(inputs), draws, value, effort, materialised)
