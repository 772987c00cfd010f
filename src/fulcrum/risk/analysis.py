"""How sure a plan is: :func:`analyse` samples the estimates, ranks and executes per sample,
re-solves the plan on some samples, and values each uncertain input (docs/DESIGN.md, "Uncertainty and
the value of information").

Everything is drawn from one ``numpy.random.Generator(PCG64(seed))`` in a fixed order, so the
same backlog, options and seed give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from fulcrum.backlog import PHASES
from fulcrum.plan import Plan, Replanner, Schedule
from fulcrum.risk.execute import NOT_DONE, finish_phases, realised_value
from fulcrum.risk.ranks import sample_ranks, sample_scores
from fulcrum.risk.sampling import Input, Samples, coupled_gains, draw
from fulcrum.risk.voi import Partial, evpi, evppi
from fulcrum.scoring import lens_weights

#: Defaults of ``fulcrum risk`` (docs/DESIGN.md says why these).
SAMPLES = 2000
PLAN_SAMPLES = 200
SEED = 0
TOP = 5
#: Called with (steps done, steps in all) as the work goes on; raising from it stops the analysis.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Spread:
    """A sampled number: its mean and its 10th, 50th and 90th percentiles (sample quantiles)."""

    mean: float
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class ItemRisk:
    """One candidate under uncertainty."""

    id: str
    value: Spread
    """Money per year under the lens."""
    rank: Spread
    p_top: float
    """P(rank <= top)."""
    p_in_plan: float
    """Share of the re-solved plans that include it."""
    p_first_phase: float
    """Share of the re-solved plans that put it in the first phase still to come."""
    planned_phase: int | None
    """Its phase in the plan (30, 60, 90), or None."""
    p_on_time: float | None
    """Planned items: P(it finishes within its planned phase)."""


@dataclass(frozen=True)
class Question:
    """One uncertain input, with what checking it is worth (EVPPI) and whom to ask."""

    id: str
    input: str
    """``impact.METRIC``, ``effort`` or ``confidence``."""
    low: float
    likely: float
    high: float
    evppi: float
    """Money (first-year value) that knowing this number before planning would add, on average."""
    evidence: str | None
    """The evidence the file gives for it (a confidence: the evidence of the item's impacts)."""
    source: str | None
    """The metric's source (impacts)."""
    requesters: tuple[str, ...]
    """Stakeholder keys of who asked for the item."""
    at_low: tuple[tuple[str, int | None, int | None], ...]
    """What the best plan at the low end does differently from the plan best on average
    (:attr:`Risk.better`, the plan itself unless a re-solved plan beats it): (id, phase, phase then)."""
    at_high: tuple[tuple[str, int | None, int | None], ...]


@dataclass(frozen=True)
class Risk:
    """Everything ``fulcrum risk`` reports."""

    plan: Plan
    samples: int
    plan_samples: int
    seed: int
    top: int
    fits: float
    """P(every planned item finishes by day 90)."""
    value: Spread
    """The plan's realised first-year value."""
    items: list[ItemRisk]
    """Every candidate, in the plan's rank order."""
    evpi: float
    verify_first: list[Question]
    """Every uncertain input, by EVPPI, largest first (ties: item id, then input)."""
    candidates: int
    """Candidate plans compared: the plan and each distinct re-solved plan."""
    better: tuple[tuple[str, int | None, int | None], ...] = ()
    """How the candidate plan best on average differs from the plan: (id, phase in the plan, in it)."""
    better_by: float = 0.0
    """How much more that plan realises on average (0 when the plan is the best candidate)."""


def analyse(
    plan: Plan,
    samples: int = SAMPLES,
    plan_samples: int = PLAN_SAMPLES,
    seed: int = SEED,
    top: int = TOP,
    progress: Progress | None = None,
) -> Risk:
    """Sample the plan's backlog ``samples`` times; re-solve the plan on the first ``plan_samples``."""
    plan_samples = min(plan_samples, samples)
    ranking = plan.ranking
    backlog = ranking.backlog
    cands = ranking.ranked
    steps = plan_samples + 2
    tick = progress or (lambda done, total: None)
    tick(0, steps)
    rng = np.random.Generator(np.random.PCG64(seed))
    smp = draw(backlog, cands, lens_weights(backlog, ranking.lens), samples, rng)
    ranks = sample_ranks(ranking, sample_scores(ranking, smp))
    tick(1, steps)

    planner = Replanner(plan)
    base = planner.base
    finish = finish_phases(base, planner.deps, planner.capacity, smp.effort)
    realised = realised_value(smp.value, finish)
    n = len(cands)
    in_plan = np.zeros(n)
    first = np.zeros(n)
    found: dict[tuple[int | None, ...], None] = {base.phase: None}
    for s in range(plan_samples):
        phase = planner.resolve(smp.value[s].tolist(), smp.effort[s].tolist())
        found.setdefault(phase, None)
        for i, p in enumerate(phase):
            if p is not None:
                in_plan[i] += 1
                if p == planner.first:
                    first[i] += 1
        tick(2 + s, steps)
    schedules = [base] + [planner.schedule(ph) for ph in list(found)[1:]]
    others = [finish_phases(sc, planner.deps, planner.capacity, smp.effort) for sc in schedules[1:]]
    values = np.column_stack([realised] + [realised_value(smp.value, f) for f in others])
    denom = max(plan_samples, 1)
    items = []
    for i, c in enumerate(cands):
        ph = base.phase[i]
        items.append(
            ItemRisk(
                id=c.id,
                value=spread(smp.value[:, i]),
                rank=spread(ranks[:, i].astype(np.float64)),
                p_top=float(np.mean(ranks[:, i] <= top)),
                p_in_plan=float(in_plan[i] / denom) if plan_samples else float(ph is not None),
                p_first_phase=float(first[i] / denom) if plan_samples else float(ph == planner.first),
                planned_phase=None if ph is None else PHASES[ph],
                p_on_time=None if ph is None else float(np.mean(finish[:, i] <= ph)),
            )
        )
    planned = list(base.planned)
    fits = float(np.mean((finish[:, planned] < NOT_DONE).all(axis=1))) if planned else 1.0
    means = values.mean(axis=0)
    best = int(np.argmax(means))  # the first of equals: the plan itself when it is as good
    questions = _questions(plan, smp, values, schedules, best)
    tick(steps, steps)
    return Risk(
        plan=plan,
        samples=samples,
        plan_samples=plan_samples,
        seed=seed,
        top=top,
        fits=fits,
        value=spread(realised),
        items=items,
        evpi=evpi(values),
        verify_first=questions,
        candidates=len(schedules),
        better=_changes(plan, base, schedules[best]),
        better_by=float(means[best] - means[0]),
    )


def spread(x: npt.NDArray[np.float64]) -> Spread:
    """Mean and P10/P50/P90 (the sample quantiles: values that were drawn)."""
    q = np.quantile(x, [0.1, 0.5, 0.9], method="inverted_cdf")
    return Spread(float(x.mean()) + 0.0, float(q[0]) + 0.0, float(q[1]) + 0.0, float(q[2]) + 0.0)


def _questions(
    plan: Plan, smp: Samples, values: npt.NDArray[np.float64], schedules: list[Schedule], best: int
) -> list[Question]:
    """Every input with its EVPPI; what the best plan at each end changes from the best on average.

    An input no candidate plan's value depends on has an EVPPI of exactly 0 (the draws are
    independent), whatever the bins of a finite sample would show by chance: one of an item no
    candidate plans (deferred, say), or an impact on a metric worth nothing under the lens.
    """
    cands = plan.ranking.ranked
    backlog = plan.ranking.backlog
    planned = {i for sc in schedules for i in sc.planned}
    gains = coupled_gains(backlog, lens_weights(backlog, plan.ranking.lens))
    out = []
    for k, x in enumerate(smp.inputs):
        inert = x.item not in planned or (x.kind == "impact" and not gains.get(x.metric or "", 0.0))
        part = Partial(0.0, best, best) if inert else evppi(values, smp.draws[:, k], x)
        it = cands[x.item].item
        metric = backlog.metrics.get(x.metric) if x.metric else None
        out.append(
            Question(
                id=it.id,
                input=x.name,
                low=x.low,
                likely=x.likely,
                high=x.high,
                evppi=part.evppi,
                evidence=_evidence(it.evidence, x),
                source=metric.source if metric is not None and metric.source else None,
                requesters=tuple(it.requested_by),
                at_low=_changes(plan, schedules[best], schedules[part.best_low]),
                at_high=_changes(plan, schedules[best], schedules[part.best_high]),
            )
        )
    out.sort(key=lambda q: (-q.evppi, q.id, q.input))
    return out


def _evidence(evidence: dict[str, str], x: Input) -> str | None:
    """What the file says the number comes from (``[items.evidence]``, by metric or "effort")."""
    if x.kind == "confidence":  # whether the impacts materialise: what they rest on
        parts = [f"{key}: {text}" for key, text in evidence.items() if key != "effort" and text]
        return "; ".join(parts) or None
    return evidence.get(x.metric if x.kind == "impact" and x.metric else "effort") or None


def _changes(plan: Plan, base: Schedule, other: Schedule) -> tuple[tuple[str, int | None, int | None], ...]:
    cands = plan.ranking.ranked
    out = []
    for i, (a, b) in enumerate(zip(base.phase, other.phase, strict=True)):
        if a != b:
            out.append((cands[i].id, None if a is None else PHASES[a], None if b is None else PHASES[b]))
    return tuple(out)
