"""Planning around the solver: the lexicographic levels (deadlines, early wins, value), a greedy
start, and a canonical polish.

:func:`solve_plan` is what :mod:`fulcrum.plan.build` calls; :mod:`fulcrum.plan.milp` does the
optimisation proper. Indexes are candidates in rank order, which is also the tie-break order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fulcrum.plan.milp import solve
from fulcrum.plan.model import (
    EPS,
    Problem,
    Solution,
    deadlines_met,
    dependents,
    feasible_start,
    fill,
    loads,
    objective,
    phase_count,
    topological,
)


@dataclass(frozen=True)
class Outcome:
    """The plan chosen under the early-wins rule, and what the rule cost."""

    solution: Solution
    free_objective: float
    """The best objective without the rule (>= the solution's objective)."""
    possible: int
    """How many counting items the rule asked for: ``min(early_wins, how many can fit)``."""
    problem: Problem
    """The problem as solved: ``min_deadlines`` and ``min_count`` set to the levels reached."""
    levels_proven: bool = True
    """The deadline and early-win counts are proven the most that fit (not cut short by a limit)."""


def solve_plan(problem: Problem, early_wins: int) -> Outcome:
    """The plan by the objective of docs/FORMAT.md, in this order: (1) meet as many deadlines as possible,
    (2) at least ``early_wins`` counting items in phase 0, or as many as fit, (3) the most value.

    Each level is a solve only when the one below it does not already reach it: the value solve
    without the rule comes first (enough when its plan meets every deadline and has the wins, and
    the reference for the rule's cost); then the most deadlines that can be met, fixed as a
    constraint; then the most counting items that fit (capped at ``early_wins``), and the value
    solve with that count. The result is polished (see :func:`polish`).
    """
    proven = True
    problem = replace(problem, min_count=0, min_deadlines=0)
    free = solve(problem, start=greedy(problem)) or _fallback(problem)
    dated = sum(1 for d in problem.deadline if d is not None)
    if deadlines_met(problem, free.phase) < dated:
        best = solve(problem, goal="deadlines")
        if best is not None and deadlines_met(problem, best.phase) > deadlines_met(problem, free.phase):
            proven = best.optimal
            problem = replace(problem, min_deadlines=deadlines_met(problem, best.phase))
            starts = [s for s in (greedy(problem), best.phase) if feasible_start(problem, s)]
            start = max(starts, key=lambda s: objective(problem, s))
            free = solve(problem, start=start) or Solution(start, objective(problem, start), math.inf, False)
    # The deadlines met are a level above the early wins: the wins solve below must keep them too,
    # whether the value solve met them on its own or the deadlines solve had to.
    problem = replace(problem, min_deadlines=deadlines_met(problem, free.phase))
    free = _polished(problem, free)
    have = phase_count(problem, free.phase)
    if have >= early_wins:
        return Outcome(free, free.objective, early_wins, problem, proven)
    most = solve(replace(problem, min_count=early_wins), goal="wins")
    possible = max(have, min(early_wins, phase_count(problem, most.phase) if most else 0))
    proven = proven and (most is None or most.optimal or possible == early_wins)
    if possible <= have:
        return Outcome(free, free.objective, possible, problem, proven)
    ruled_pb = replace(problem, min_count=possible)
    ruled = solve(ruled_pb, start=greedy(ruled_pb))
    if ruled is None:  # cannot happen (the count solve found such a plan); keep the free plan
        return Outcome(free, free.objective, have, problem, proven)
    ruled = _polished(ruled_pb, ruled)
    return Outcome(ruled, max(free.objective, ruled.objective), possible, ruled_pb, proven)


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
    # Items with a deadline stay: the deadlines a plan meets are a level above its value.
    optional = [pb.fixed[i] is None and not pb.mandatory[i] and pb.deadline[i] is None for i in range(n)]
    rivals = pb.rivals
    needs = dependents(pb)
    for i in reversed(topological(pb.deps)):  # dependents first: one pass settles every chain
        unneeded = all(out[k] is None for k in needs[i])
        if optional[i] and out[i] is not None and pb.gain[i] <= 0 and unneeded:
            out[i] = None
    fill(pb, out, [i for i in range(n) if optional[i]], needs)
    groups: dict[tuple[float, float, bool, int], list[int]] = {}
    for i in range(n):
        if optional[i] and not pb.deps[i] and not needs[i] and not pb.blocked[i] and not rivals[i]:
            groups.setdefault((pb.gain[i], pb.effort[i], pb.counts[i], pb.pool[i]), []).append(i)
    for members in groups.values():
        if len(members) > 1:
            phases = sorted((out[i] for i in members), key=lambda p: 3 if p is None else p)
            for i, got in zip(members, phases, strict=True):
                out[i] = got
    return out


#: A dependency closure walked for the greedy order's value density stops after this many items
#: (beyond, the density of what was walked stands in for it): keeps the start linear on long chains.
DENSITY_WALK = 64


def greedy(pb: Problem) -> list[int | None]:
    """A quick feasible plan to start the solver from: fixed and required items; then the items
    with a deadline, by their deadline; then the quick wins the rule asks for, smallest first; then
    the rest by the value density of each item together with the dependencies it still needs,
    each as early as it fits.

    Linear on long dependency chains: an item that cannot fit is marked dead with everything that
    needs it (loads only grow, so it never will), and no walk goes through a dead item again.
    """
    out = _fallback(pb).phase
    n = len(out)
    load = loads(pb, out)
    cap, pool, rivals = pb.capacity, pb.pool, pb.rivals
    needs = dependents(pb)
    dead = [pb.blocked[i] or pb.fixed[i] is not None or pb.mandatory[i] for i in range(n)]
    dead = [d and out[i] is None for i, d in enumerate(dead)]
    for i in range(n):
        if dead[i]:
            _bury(i, dead, needs, out)

    def chain(i: int, limit: int | None = None) -> list[int] | None:
        """i and its unplanned dependencies, dependencies first; None when one is dead."""
        seen: set[int] = set()
        order: list[int] = []
        stack = [(i, False)]
        while stack:
            k, done = stack.pop()
            if done:
                order.append(k)
            elif k not in seen:
                if dead[k]:
                    return None
                seen.add(k)
                if limit is not None and len(seen) > limit:
                    return order or [k]
                stack.append((k, True))
                stack.extend((j, False) for j in pb.deps[k] if out[j] is None and j not in seen)
        return order

    def place(i: int, last: int) -> None:
        todo = chain(i)
        if todo is None:
            return
        placed: list[int] = []
        for k in todo:
            lo = max((p for j in pb.deps[k] if (p := out[j]) is not None), default=pb.first)
            e = pb.effort[k]
            own, room = load[pool[k]], cap[pool[k]]
            taken = any(out[r] is not None for r in rivals[k])  # an alternative is planned
            ph = None
            if not taken:
                ph = next(
                    (
                        p
                        for p in range(max(lo, pb.first), last + 1)
                        if all(own[q] + e <= room[q] + EPS for q in range(p, 3))
                    ),
                    None,
                )
            if ph is None:
                for k2 in placed:  # roll back: the chain goes in whole or not at all
                    for q in range(out[k2] or 0, 3):
                        load[pool[k2]][q] -= pb.effort[k2]
                    out[k2] = None
                if last == 2 and not taken:  # not even by day 90: it never will fit
                    _bury(k, dead, needs, out)
                return
            out[k] = ph
            placed.append(k)
            for q in range(ph, 3):
                own[q] += e

    free = [i for i in range(n) if out[i] is None and not dead[i]]
    dated = [i for i in free if pb.deadline[i] is not None]
    for i in sorted(dated, key=lambda i: (pb.deadline[i], i)):
        if out[i] is None and not dead[i]:
            place(i, pb.deadline[i] or 0)
    if pb.min_count > 0:
        wins = [i for i in free if pb.counts[i] and out[i] is None]
        size = {i: sum(pb.effort[k] for k in (chain(i, DENSITY_WALK) or [i])) for i in wins}
        for i in sorted(wins, key=lambda i: (size[i], i)):
            if phase_count(pb, out) >= pb.min_count:
                break
            if out[i] is None and not dead[i]:
                place(i, 0)

    def density(i: int) -> float:
        todo = chain(i, DENSITY_WALK) or [i]
        return sum(pb.gain[k] for k in todo) / sum(pb.effort[k] for k in todo)

    for i in sorted((i for i in free if pb.gain[i] > 0 and out[i] is None), key=lambda i: (-density(i), i)):
        if out[i] is None and not dead[i]:
            place(i, 2)
    return out


def _bury(i: int, dead: list[bool], dependents: list[list[int]], out: list[int | None]) -> None:
    """Mark ``i`` and every unplanned item that needs it, directly or not, as never placeable."""
    stack = [i]
    dead[i] = True
    while stack:
        k = stack.pop()
        for d in dependents[k]:
            if not dead[d] and out[d] is None:
                dead[d] = True
                stack.append(d)
