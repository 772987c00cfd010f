"""A plan executed in every sample (docs/FORMAT.md, "Uncertainty, briefly").

Each pool works its planned items in the plan's order. An item finishes in the first phase whose
cumulative capacity for its pool covers the pool's cumulative sampled effort up to and including
it, but never before the phase in which each of its dependencies finishes; an item that cannot
finish by day 90 is not done in the window. Its realised value is the sum over finished items of
``value * (365 - finish phase end) / 365``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from fulcrum.plan import EPS, WEIGHTS, Schedule

#: The finish phase of an item not done by day 90 (and of one that is not planned).
NOT_DONE = 3
Array = npt.NDArray[np.float64]
Phases = npt.NDArray[np.int8]


def finish_phases(
    schedule: Schedule,
    deps: Sequence[Sequence[int]],
    capacity: Sequence[tuple[float, float, float]],
    effort: Array,
) -> Phases:
    """(samples, candidates): the phase index (0, 1, 2) each planned item finishes in, or NOT_DONE."""
    count, n = effort.shape
    out = np.full((count, n), NOT_DONE, dtype=np.int8)
    for pool, seq in enumerate(schedule.sequence):
        if not seq:
            continue
        cum = np.cumsum(effort[:, list(seq)], axis=1)
        cap = capacity[pool]
        phase = np.zeros(cum.shape, dtype=np.int8)
        for q in range(3):
            phase += cum > cap[q] + EPS
        out[:, list(seq)] = phase
    # An unplanned dependency never finishes, so neither does what needs it (forced work aside,
    # the plan never schedules such an item). The order puts dependencies first.
    for i in schedule.order:
        for j in deps[i]:
            np.maximum(out[:, i], out[:, j], out=out[:, i])
    return out


def realised_value(value: Array, finish: Phases) -> Array:
    """(samples,): first-year value of what each sample finishes."""
    weights = np.array([*WEIGHTS, 0.0])
    return np.asarray((value * weights[finish]).sum(axis=1), dtype=np.float64)
