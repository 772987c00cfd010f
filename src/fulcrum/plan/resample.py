"""The plan as the risk sampler needs it: the same planning problem re-solved with other numbers.

:class:`Replanner` builds the backlog's planning problem once (candidates in rank order, pools,
pins, deadlines, alternatives, the quick wins counted by the early-wins rule: all from expected
values) and re-solves it with a sample's values and efforts in place of the expected ones, by the
same rules as :func:`fulcrum.plan.build_plan`. It also gives any assignment of phases its work
order per capacity pool, so a plan can be executed sample by sample (docs/DESIGN.md, "Uncertainty
and the value of information").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from fulcrum.backlog import PHASES
from fulcrum.plan.build import phase_end, work_order
from fulcrum.plan.milp import solve
from fulcrum.plan.model import Problem, feasible_start
from fulcrum.plan.problem import Frame, as_of
from fulcrum.plan.result import Plan, PlannedItem
from fulcrum.plan.strategy import greedy, polish, solve_plan
from fulcrum.scoring import Scored


@dataclass(frozen=True)
class Schedule:
    """One plan as phases and work order: what executing it per sample needs."""

    phase: tuple[int | None, ...]
    """Per candidate (rank order): the phase index 0, 1, 2, or None (not planned)."""
    sequence: tuple[tuple[int, ...], ...]
    """Per pool (yours first): its planned candidates in the order they are worked, phase by phase."""
    order: tuple[int, ...] = ()
    """Every planned candidate, phase by phase, each phase in work order (dependencies first)."""

    @property
    def planned(self) -> tuple[int, ...]:
        """Indexes of the planned candidates, in rank order."""
        return tuple(i for i, p in enumerate(self.phase) if p is not None)


def _when_every_level_is_reached(problem: Problem, early_wins: int) -> list[int | None] | None:
    """The lexicographic optimum in one solve, when a greedy plan already meets every deadline and
    has ``early_wins`` quick wins in the first phase; None otherwise (then :func:`solve_plan`).

    Then levels (1) and (2) are at their caps, so the optimum is the best value among the plans
    that reach them: one value solve with both as constraints, where :func:`solve_plan` needs up
    to three (it also works out what the rule costs, which a re-solve does not report).
    """
    dated = sum(1 for d in problem.deadline if d is not None)
    ruled = replace(problem, min_count=early_wins, min_deadlines=dated)
    start = greedy(ruled)
    if not feasible_start(ruled, start):
        return None
    sol = solve(ruled, start=start)
    return None if sol is None else polish(ruled, sol.phase)


class Replanner:
    """A plan's problem, ready to be re-solved with sampled values and efforts."""

    def __init__(self, plan: Plan) -> None:
        ranking = plan.ranking
        backlog = ranking.backlog
        ends = {p: phase_end(plan.start, p) for p in PHASES}
        self.frame = frame = Frame(backlog, ranking, ends, asof=as_of(plan.start, ends, plan.today))
        self.early_wins = backlog.plan.early_wins
        self.candidates: list[Scored] = list(frame.cands)
        pb = frame.problem
        self.pool: list[int] = list(pb.pool)
        """Each candidate's capacity pool (an index of ``pools``)."""
        self.pools: list[str] = list(frame.pools)
        self.deps: list[list[int]] = [list(d) for d in pb.deps]
        self.capacity: list[tuple[float, float, float]] = [tuple(c) for c in frame.cumulative]  # type: ignore[misc]
        """Per pool: the real capacity still to come by the end of each phase (no forced raise)."""
        self.first: int = frame.asof.first
        """The first phase not ended (where the plan starts as of today)."""
        index = {s.id: i for i, s in enumerate(self.candidates)}
        phase: list[int | None] = [None] * len(self.candidates)
        for k, ph in enumerate(plan.phases):
            for p in ph.items:
                if p.id in index:
                    phase[index[p.id]] = k
        self.base = self.schedule(phase)
        """The plan itself (from expected values)."""

    def resolve(self, gain: Sequence[float], effort: Sequence[float]) -> tuple[int | None, ...]:
        """The optimal plan (phase index per candidate) with these values and efforts.

        Forced work (pins, ``doing``, what they need) raises a pool's limits only as far as its
        sampled effort needs, as in the plan itself.
        """
        pb = self.frame.problem
        limit = []
        forced = [[0.0, 0.0, 0.0] for _ in self.capacity]
        for i in range(len(gain)):
            p = pb.fixed[i] if pb.fixed[i] is not None else (pb.hi[i] if pb.mandatory[i] else None)
            if p is not None:
                for q in range(p, 3):
                    forced[pb.pool[i]][q] += effort[i]
        for c, f in zip(self.capacity, forced, strict=True):
            limit.append((max(c[0], f[0]), max(c[1], f[1]), max(c[2], f[2])))
        problem = replace(pb, gain=list(gain), effort=list(effort), capacity=limit)
        quick = _when_every_level_is_reached(problem, self.early_wins)
        if quick is not None:
            return tuple(quick)
        return tuple(solve_plan(problem, self.early_wins).solution.phase)

    def schedule(self, phase: Sequence[int | None]) -> Schedule:
        """The work order of an assignment: per pool, phase by phase, as the plan lists items."""
        cands = self.candidates
        seq: list[list[int]] = [[] for _ in self.pools]
        order: list[int] = []
        index = {s.id: i for i, s in enumerate(cands)}
        for k in range(3):
            here = [
                PlannedItem(cands[i], PHASES[k], date.max, None, False, False, [])
                for i, p in enumerate(phase)
                if p == k
            ]
            for p in work_order(here):
                i = index[p.id]
                seq[self.pool[i]].append(i)
                order.append(i)
        return Schedule(tuple(phase), tuple(tuple(s) for s in seq), tuple(order))
