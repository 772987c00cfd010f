"""The value of information (docs/FORMAT.md, "Uncertainty, briefly"): what knowing a number would be worth.

``V[s, c]`` is the realised value of executing candidate plan ``c`` in sample ``s``.
``EVPI = mean_s max_c V[s, c] - max_c mean_s V[s, c]``; for one input X, the samples are split into
bins by X's drawn value (10 of equal count; a confidence: materialised or not) and
``EVPPI(X) = sum_b (n_b / N) max_c mean_{s in b} V[s, c] - max_c mean_s V[s, c]``.
Both are at least 0 by construction (a max of sums is at least the sum of maxes' counterpart).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fulcrum.risk.sampling import Input

#: Bins of equal count a range input's samples are split into.
BINS = 10
Array = npt.NDArray[np.float64]


def evpi(values: Array) -> float:
    """Expected value of perfect information over the candidate plans (columns of ``values``)."""
    if values.shape[1] < 2:
        return 0.0
    gain = float(values.max(axis=1).mean() - values.mean(axis=0).max())
    return gain if gain > 1e-9 * max(1.0, float(np.abs(values).mean())) else 0.0


@dataclass(frozen=True)
class Partial:
    """EVPPI of one input, and which candidate plan is best at each end of its range."""

    evppi: float
    best_low: int
    """The best candidate (column) among the samples with the input's lowest draws (or: not materialised)."""
    best_high: int
    """The same at the highest draws (or: materialised)."""


def evppi(values: Array, draws: npt.NDArray[np.float64], x: Input) -> Partial:
    """EVPPI of input ``x`` whose drawn values, sample by sample, are ``draws``."""
    count, n = values.shape
    if x.kind == "confidence":
        groups = [np.flatnonzero(draws < 0.5), np.flatnonzero(draws >= 0.5)]
        groups = [g for g in groups if g.size]
        sums = np.stack([values[g].sum(axis=0) for g in groups])
    else:
        order = np.argsort(draws, kind="stable")
        bins = min(BINS, count)
        starts = np.array([b * count // bins for b in range(bins)])
        sums = np.add.reduceat(values[order], starts, axis=0)
        sizes = np.diff(np.append(starts, count))
        groups = [order[s : s + z] for s, z in zip(starts, sizes, strict=True)]
    sizes = np.array([g.size for g in groups], dtype=np.float64)
    means = sums / sizes[:, None]
    best_each = sums.max(axis=1).sum() / count
    overall = values.mean(axis=0).max()
    gain = float(best_each - overall) if n > 1 else 0.0
    # Below a billionth of the values at stake it is rounding, not information.
    if gain <= 1e-9 * max(1.0, float(np.abs(values).mean())):
        gain = 0.0
    return Partial(gain, int(np.argmax(means[0])), int(np.argmax(means[-1])))
