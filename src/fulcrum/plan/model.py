"""The planning problem as numbers (no backlog, no solver): candidates, pools, capacities,
dependencies, alternatives and the phases each may take, and how an assignment scores.

:mod:`fulcrum.plan.problem` builds it from a backlog; :mod:`fulcrum.plan.milp` and
:mod:`fulcrum.plan.strategy` solve it.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

#: Capacity comparisons forgive this much (person-weeks), so that 0.1 + 0.2 fits in 0.3.
EPS = 1e-9


@dataclass
class Problem:
    """One planning problem; list indexes are candidates (fixed ones included)."""

    gain: list[float]
    """Value of each candidate (may be negative: then only worth planning for what it unlocks)."""
    effort: list[float]
    """Person-weeks, > 0."""
    deps: list[list[int]]
    """Indexes of the candidates each one depends on (dependencies outside the problem are met)."""
    capacity: Sequence[tuple[float, float, float]]
    """Per capacity pool: cumulative person-weeks available by the end of phase 0, 1 and 2
    (non-decreasing). A bare ``(c0, c1, c2)`` is one pool."""
    weights: tuple[float, float, float]
    """What one unit of gain is worth when finished in phase 0, 1, 2 (non-increasing, >= 0)."""
    fixed: list[int | None] = field(default_factory=list)
    """The phase of each pinned candidate: placed as is, its dependencies are not checked."""
    mandatory: list[bool] = field(default_factory=list)
    """Must be planned, no later than ``hi``."""
    hi: list[int] = field(default_factory=list)
    """The latest phase allowed."""
    counts: list[bool] = field(default_factory=list)
    """Counts towards ``min_count`` when in phase 0."""
    blocked: list[bool] = field(default_factory=list)
    """Can never be planned (it needs something that will not be done); ignored when mandatory."""
    deadline: list[int | None] = field(default_factory=list)
    """The phase each candidate with a due date should be done by (None: no deadline)."""
    pool: list[int] = field(default_factory=list)
    """The capacity pool (an index of ``capacity``) each candidate's effort uses (default 0)."""
    groups: list[list[int]] = field(default_factory=list)
    """Alternatives: of each group at most one candidate is planned (fixed and mandatory ones are
    kept regardless, and take the group's place)."""
    first: int = 0
    """The earliest phase anything may be planned in (earlier ones ended: fixed work is moved by
    the caller)."""
    min_count: int = 0
    min_deadlines: int = 0

    def __post_init__(self) -> None:
        n = len(self.gain)
        cap: Any = self.capacity
        if len(cap) == 3 and not isinstance(cap[0], tuple | list):
            self.capacity = [(float(cap[0]), float(cap[1]), float(cap[2]))]
        self.pool = self.pool or [0] * n
        rivals: dict[int, set[int]] = {}
        for g in self.groups:
            for i in g:
                rivals.setdefault(i, set()).update(j for j in g if j != i)
        none: tuple[int, ...] = ()  # shared: most candidates have no alternative
        self.rivals: list[tuple[int, ...]] = [none] * n
        """The candidates each one cannot be planned with (its groups' other members)."""
        for i, r in rivals.items():
            self.rivals[i] = tuple(sorted(r))
        self.fixed = self.fixed or [None] * n
        self.mandatory = self.mandatory or [False] * n
        self.hi = self.hi or [2] * n
        self.counts = self.counts or [False] * n
        self.blocked = self.blocked or [False] * n
        self.deadline = self.deadline or [None] * n


@dataclass(frozen=True)
class Solution:
    """The best plan found: ``phase[i]`` is 0, 1, 2 or None."""

    phase: list[int | None]
    objective: float
    bound: float
    """An upper bound on the objective of every feasible plan (``objective`` when proven optimal)."""
    optimal: bool
    """Proven optimal within the relative gap allowed for its size (see :data:`REL_GAPS`)."""


def objective(problem: Problem, phase: Sequence[int | None]) -> float:
    """The objective of an assignment (feasible or not)."""
    w = problem.weights
    return sum(g * w[p] for g, p in zip(problem.gain, phase, strict=True) if p is not None) + 0.0


def phase_count(problem: Problem, phase: Sequence[int | None]) -> int:
    """How many counting candidates an assignment puts in phase 0."""
    return sum(1 for c, p in zip(problem.counts, phase, strict=True) if c and p == 0)


def deadlines_met(problem: Problem, phase: Sequence[int | None]) -> int:
    """How many candidates with a deadline an assignment finishes by it."""
    return sum(
        1 for d, p in zip(problem.deadline, phase, strict=True) if d is not None and p is not None and p <= d
    )


def feasible_start(problem: Problem, phase: Sequence[int | None]) -> bool:
    """The assignment meets the counts a solve of ``problem`` requires (the rest holds by construction)."""
    return (
        phase_count(problem, phase) >= problem.min_count
        and deadlines_met(problem, phase) >= problem.min_deadlines
    )


def topological(deps: list[list[int]]) -> list[int]:
    """Indexes with every dependency before its dependents (the graph has no cycle)."""
    n = len(deps)
    seen = [False] * n
    out: list[int] = []
    for root in range(n):
        if seen[root]:
            continue
        stack = [(root, False)]
        while stack:
            i, done = stack.pop()
            if done:
                out.append(i)
                continue
            if seen[i]:
                continue
            seen[i] = True
            stack.append((i, True))
            stack.extend((j, False) for j in deps[i] if not seen[j])
    return out


def loads(problem: Problem, phase: Sequence[int | None]) -> list[list[float]]:
    """Per pool: the cumulative effort an assignment finishes by the end of each phase."""
    load = [[0.0, 0.0, 0.0] for _ in problem.capacity]
    for i, p in enumerate(phase):
        if p is not None:
            own = load[problem.pool[i]]
            for q in range(p, 3):
                own[q] += problem.effort[i]
    return load


def dependents(problem: Problem) -> list[list[int]]:
    """The candidates that depend on each one."""
    out: list[list[int]] = [[] for _ in problem.deps]
    for i, ds in enumerate(problem.deps):
        for j in ds:
            out[j].append(i)
    return out


def fill(problem: Problem, out: list[int | None], order: Sequence[int], needs: list[list[int]]) -> None:
    """Add items of ``order`` worth something, best index first among those whose dependencies
    are planned, each as early as it fits after them (in place; ``needs``: :func:`dependents`).
    Adding one can unlock its dependents, which join the queue; loads only grow, so an item that
    does not fit when its turn comes never will."""
    pb = problem
    load = loads(pb, out)
    allowed = set(order)
    waiting = [sum(1 for j in pb.deps[i] if out[j] is None) for i in range(len(out))]
    ready = [i for i in order if waiting[i] == 0]
    heapq.heapify(ready)
    while ready:
        i = heapq.heappop(ready)
        if out[i] is not None or pb.gain[i] <= 0 or pb.blocked[i]:
            continue
        if any(out[r] is not None for r in pb.rivals[i]):  # an alternative is planned
            continue
        lo = max((dp for j in pb.deps[i] if (dp := out[j]) is not None), default=pb.first)
        e = pb.effort[i]
        own, room = load[pb.pool[i]], pb.capacity[pb.pool[i]]
        ph = next(
            (p for p in range(max(lo, pb.first), 3) if all(own[q] + e <= room[q] + EPS for q in range(p, 3))),
            None,
        )
        if ph is None:
            continue
        out[i] = ph
        for q in range(ph, 3):
            own[q] += e
        for k in needs[i]:
            waiting[k] -= 1
            if waiting[k] == 0 and k in allowed and out[k] is None:
                heapq.heappush(ready, k)
