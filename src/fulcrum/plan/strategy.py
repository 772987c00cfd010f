"""Planning around the solver: the early-wins rule, a greedy start, and a canonical polish.

:func:`solve_plan` is what :mod:`fulcrum.plan.build` calls; :mod:`fulcrum.plan.milp` does the
optimisation proper. Indexes are candidates in rank order, which is also the tie-break order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from fulcrum.plan.milp import EPS, Problem, Solution, objective, phase_count, solve


@dataclass(frozen=True)
class Outcome:
    """The plan chosen under the early-wins rule, and what the rule cost."""

    solution: Solution
    free_objective: float
    """The best objective without the rule (>= the solution's objective)."""
    possible: int
    """How many counting items the rule asked for: ``min(early_wins, how many can fit)``."""


def solve_plan(problem: Problem, early_wins: int) -> Outcome:
    """Plan with the early-wins rule: at least ``early_wins`` counting items in phase 0, or as many as fit.

    Up to three solves: without the rule (enough when its plan already has the wins, and the
    reference for the rule's cost), the most counting items that fit (capped at ``early_wins``),
    and with the rule at that count. The result is polished (see :func:`polish`).
    """
    free_pb = replace(problem, min_count=0)
    free = solve(free_pb, start=greedy(free_pb)) or _fallback(free_pb)
    free = _polished(free_pb, free)
    have = phase_count(problem, free.phase)
    if have >= early_wins:
        return Outcome(free, free.objective, early_wins)
    most = solve(replace(problem, min_count=early_wins), count_only=True)
    possible = max(have, min(early_wins, phase_count(problem, most.phase) if most else 0))
    if possible <= have:
        return Outcome(free, free.objective, possible)
    ruled_pb = replace(problem, min_count=possible)
    ruled = solve(ruled_pb, start=greedy(ruled_pb))
    if ruled is None:  # cannot happen (the count solve found such a plan); keep the free plan
        return Outcome(free, free.objective, have)
    ruled = _polished(ruled_pb, ruled)
    return Outcome(ruled, max(free.objective, ruled.objective), possible)


def _fallback(pb: Problem) -> Solution:
    """Fixed items where they are, mandatory ones at their latest phase: always within capacity."""
    phase: list[int | None] = [
        f if f is not None else (pb.hi[i] if pb.mandatory[i] else None) for i, f in enumerate(pb.fixed)
    ]
    value = objective(pb, phase)
    return Solution(phase, value, value, False)


def _polished(pb: Problem, sol: Solution) -> Solution:
    phase = polish(pb, sol.phase)
    value = objective(pb, phase)
    return Solution(phase, value, max(sol.bound, value), sol.optimal)


def polish(pb: Problem, phase: Sequence[int | None]) -> list[int | None]:
    """A canonical, never worse version of a feasible plan (indexes are the tie-break order).

    1. Drop optional items worth nothing themselves that no planned item needs (a zero-value
       item is then never planned for nothing; a negative one never is in an optimal plan anyway).
    2. Add, best index first, any optional item worth something whose dependencies are planned
       and that still fits, as early as it fits (a no-op on a proven optimum, a gain otherwise).
    3. Give interchangeable items (same gain, effort and role, no dependency links) their phases
       in index order, so equal plans come out the same whatever order the solver found them in.
    """
    out = list(phase)
    n = len(out)
    optional = [pb.fixed[i] is None and not pb.mandatory[i] for i in range(n)]
    dependents: list[list[int]] = [[] for _ in range(n)]
    for i, ds in enumerate(pb.deps):
        for j in ds:
            dependents[j].append(i)
    changed = True
    while changed:
        changed = False
        for i in range(n):
            unneeded = all(out[k] is None for k in dependents[i])
            if optional[i] and out[i] is not None and pb.gain[i] <= 0 and unneeded:
                out[i] = None
                changed = True
    _fill(pb, out, [i for i in range(n) if optional[i]])
    groups: dict[tuple[float, float, bool], list[int]] = {}
    for i in range(n):
        if optional[i] and not pb.deps[i] and not dependents[i] and not pb.blocked[i]:
            groups.setdefault((pb.gain[i], pb.effort[i], pb.counts[i]), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            phases = sorted((out[i] for i in members), key=lambda p: 3 if p is None else p)
            for i, got in zip(members, phases, strict=True):
                out[i] = got
    return out


def greedy(pb: Problem) -> list[int | None]:
    """A quick feasible plan to start the solver from: fixed and required items; then the quick
    wins the rule asks for, smallest first; then the rest by the value density of each item
    together with the dependencies it still needs, each as early as it fits."""
    out = _fallback(pb).phase
    n = len(out)
    load = [0.0, 0.0, 0.0]
    for i, p in enumerate(out):
        for q in range(3 if p is None else p, 3):
            load[q] += pb.effort[i]

    def chain(i: int) -> list[int]:
        """i and its unplanned dependencies, dependencies first."""
        seen: set[int] = set()
        order: list[int] = []
        stack = [(i, False)]
        while stack:
            k, done = stack.pop()
            if done:
                order.append(k)
            elif k not in seen:
                seen.add(k)
                stack.append((k, True))
                stack.extend((j, False) for j in pb.deps[k] if out[j] is None and j not in seen)
        return order

    def place(i: int, last: int) -> None:
        todo = chain(i)
        if any(pb.blocked[k] or pb.fixed[k] is not None or pb.mandatory[k] for k in todo):
            return
        placed: list[int] = []
        for k in todo:
            lo = max((p for j in pb.deps[k] if (p := out[j]) is not None), default=0)
            e = pb.effort[k]
            ph = next(
                (
                    p
                    for p in range(lo, last + 1)
                    if all(load[q] + e <= pb.capacity[q] + EPS for q in range(p, 3))
                ),
                None,
            )
            if ph is None:
                for k2 in placed:  # roll back: the chain goes in whole or not at all
                    for q in range(out[k2] or 0, 3):
                        load[q] -= pb.effort[k2]
                    out[k2] = None
                return
            out[k] = ph
            placed.append(k)
            for q in range(ph, 3):
                load[q] += e

    free = [i for i in range(n) if out[i] is None and not pb.blocked[i]]
    if pb.min_count > 0:
        wins = [i for i in free if pb.counts[i]]
        for i in sorted(wins, key=lambda i: (sum(pb.effort[k] for k in chain(i)), i)):
            if phase_count(pb, out) >= pb.min_count:
                break
            if out[i] is None:
                place(i, 0)

    def density(i: int) -> float:
        todo = chain(i)
        return sum(pb.gain[k] for k in todo) / sum(pb.effort[k] for k in todo)

    for i in sorted((i for i in free if pb.gain[i] > 0), key=lambda i: (-density(i), i)):
        if out[i] is None:
            place(i, 2)
    return out


def _fill(pb: Problem, out: list[int | None], order: Sequence[int]) -> None:
    """Add items worth something, in ``order``, each as early as it fits after its dependencies
    (in place; passes repeat while something was added, as an item may unlock another)."""
    load = [0.0, 0.0, 0.0]
    for i, p in enumerate(out):
        for q in range(3 if p is None else p, 3):
            load[q] += pb.effort[i]
    changed = True
    while changed:
        changed = False
        for i in order:
            if out[i] is not None or pb.gain[i] <= 0 or pb.blocked[i]:
                continue
            dep_phases = [out[j] for j in pb.deps[i]]
            if None in dep_phases:
                continue
            lo = max((dp for dp in dep_phases if dp is not None), default=0)
            e = pb.effort[i]
            for ph in range(lo, 3):
                if all(load[q] + e <= pb.capacity[q] + EPS for q in range(ph, 3)):
                    out[i] = ph
                    for q in range(ph, 3):
                        load[q] += e
                    changed = True
                    break
