"""The optimisation behind the 30-60-90 plan, as a mixed-integer program solved by HiGHS.

The problem (indexes are candidates): choose for each a phase 0, 1, 2 (days 30, 60, 90) or none so that

- for every capacity pool, the effort of its candidates finished by the end of phase q never
  exceeds its cumulative capacity ``capacity[pool][q]`` (unused capacity carries over, so only
  cumulative sums matter),
- of each group of alternatives (``groups``) at most one is planned, forced ones aside,
- nothing is planned before phase ``first`` (the phases that ended are history),
- an item is in the same or a later phase than each of its dependencies,
- fixed items stay in their phase, mandatory items are planned no later than ``hi``,
- at least ``min_deadlines`` items with a ``deadline`` phase are done by it,
- at least ``min_count`` "counting" items (quick wins) are in phase 0,

maximising ``sum(gain[i] * weights[phase[i]])`` (or, for the lexicographic levels above it, how many
deadlines are met or how many counting items land in phase 0: see :func:`solve`). The model uses one
binary per item and phase, ``y[i][q]`` = "done by the end of phase q" (so ``y[i][0] <= y[i][1] <=
y[i][2]``), which makes the capacities and the dependencies (``y[i][q] <= y[j][q]``) plain linear
rows, and the objective ``sum_q c[q] * gain * y[q]`` with ``c = (w0 - w1, w1 - w2, w2)``; a
deadline met is ``y[i][deadline]``. docs/DESIGN.md says why HiGHS.

This module knows nothing of backlogs: :mod:`fulcrum.plan.build` builds the :class:`Problem`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any, Literal

from fulcrum.plan.model import (
    EPS,
    Problem,
    Solution,
    deadlines_met,
    dependents,
    feasible_start,
    fill,
    objective,
    phase_count,
    topological,
)

#: Relative optimality gap the solver may stop at, by how many items are still open to choice
#: (on models of more than 100 items, after reduced-cost fixing): exact to a ten-millionth up to
#: 100, a ten-thousandth up to 250, half a percent beyond (where closing the last fraction of a
#: percent costs seconds). The gap actually proven is always reported.
REL_GAPS: tuple[tuple[int, float], ...] = ((100, 1e-7), (250, 1e-4))
LARGE_GAP = 5e-3
#: Deterministic work limit; past it the best plan found is used and its proven gap reported.
MAX_NODES = 20_000
#: A safety net for pathological inputs only (results past it may depend on the machine).
TIME_LIMIT = 30.0


#: What a solve maximises: the plan's value, or one of the lexicographic levels above it.
Goal = Literal["value", "wins", "deadlines"]


def solve(
    problem: Problem, goal: Goal = "value", start: Sequence[int | None] | None = None
) -> Solution | None:
    """The best plan, or None when none meets the mandatory items, ``min_deadlines`` and ``min_count``.

    ``goal="deadlines"`` maximises how many deadlines are met; ``goal="wins"`` how many counting
    items land in phase 0 (at most ``min_count`` of them: the search stops there), which is how
    many quick wins can fit. ``start``: a feasible plan to beat (:func:`fulcrum.plan.strategy.greedy`).
    """
    model = _Model(problem, goal)
    return model.run(list(start) if start is not None else None)


class _Model:
    """Columns, rows and bounds of the MILP, built only for candidates that can matter."""

    def __init__(self, pb: Problem, goal: Goal) -> None:
        self.pb = pb
        self.goal = goal
        self.count_only = goal != "value"
        n = len(pb.gain)
        self.phase: list[int | None] = [None] * n
        load = [[0.0, 0.0, 0.0] for _ in pb.capacity]
        for i, p in enumerate(pb.fixed):
            if p is not None:
                self.phase[i] = p
                for q in range(p, 3):
                    load[pb.pool[i]][q] += pb.effort[i]
        self.fixed_count = phase_count(pb, self.phase)
        self.fixed_deadlines = deadlines_met(pb, self.phase)
        self.room = [
            [cap[q] - used[q] + EPS for q in range(3)] for cap, used in zip(pb.capacity, load, strict=True)
        ]
        """Per pool and phase: what the fixed work leaves."""
        self.cols = self._columns()
        self.col_of = {i: k for k, i in enumerate(self.cols)}
        self.leaders: list[list[int]] = []
        """Per pool: the items that may dominate others (see :meth:`_dominated`)."""
        self.dominated = self._dominated() if goal == "value" else set()
        """Columns (``3 * k + q``) fixed to 0 because a dominating item must come first (exact)."""
        self._arrays: dict[tuple[int, int], tuple[list[Any], ...]] = {}
        self.open_items: int | None = None
        """How many items the gap is chosen by, once :meth:`_tighten` has counted them."""
        self.lp_bound: float | None = None
        """The LP relaxation's optimum (of the columns), once :meth:`_tighten` has solved it."""

    def _worth(self, i: int) -> bool:
        pb = self.pb
        due = pb.deadline[i] is not None
        if self.goal == "deadlines":
            return due
        if self.goal == "wins":
            return pb.counts[i] or (due and pb.min_deadlines > 0)
        return pb.gain[i] > 0 or (pb.counts[i] and pb.min_count > 0) or (due and pb.min_deadlines > 0)

    def _columns(self) -> list[int]:
        """Open candidates that are mandatory, worth something, or unlock one that is."""
        pb = self.pb
        n = len(pb.gain)
        free = [pb.fixed[i] is None for i in range(n)]
        # The least effort of i's pool done by the time i is done: its own and that of its heaviest
        # chain of open dependencies in the same pool (a lower bound of that pool's share of its
        # closure, linear to compute). What exceeds the room its pool has left by a phase cannot be
        # done by then; by day 90, never, nor what needs it.
        pool = pb.pool
        lb = self.least_effort = [0.0] * n
        for i in topological(pb.deps):
            if free[i]:
                lb[i] = pb.effort[i] + max(
                    (lb[j] for j in pb.deps[i] if free[j] and pool[j] == pool[i]), default=0.0
                )
        room = self.room
        fits = [
            free[i] and (pb.mandatory[i] or (lb[i] <= room[pool[i]][2] and not pb.blocked[i]))
            for i in range(n)
        ]
        for i in topological(pb.deps):
            if fits[i] and any(not fits[j] and free[j] for j in pb.deps[i]) and not pb.mandatory[i]:
                fits[i] = False
        keep = [fits[i] and (pb.mandatory[i] or self._worth(i)) for i in range(n)]
        stack = [i for i in range(n) if keep[i]]
        while stack:
            i = stack.pop()
            for j in pb.deps[i]:
                if fits[j] and not keep[j]:
                    keep[j] = True
                    stack.append(j)
        return [i for i in range(n) if keep[i]]

    def _dominated(self) -> set[int]:
        """Columns no plan needs: ``b`` done by phase q would need every item that dominates it
        done by q too, and together they exceed the pool's room by then.

        ``a`` dominates ``b`` when both are optional columns of one pool without a deadline, ``a``
        has no dependency and no alternative, no column depends on ``b``, ``a`` is a quick win if
        ``b`` is, ``gain[a] >= gain[b]`` and ``effort[a] <= effort[b]`` (both equal: the
        better-ranked one dominates). In a plan with ``b`` earlier than ``a`` (or ``a`` not
        planned), swapping their phases keeps every row and loses no value; repeated, that gives
        an optimal plan in which every dominator of a planned item is planned by its phase, so
        fixing these columns keeps an optimum (and the tie-break of :func:`~fulcrum.plan.strategy.polish`).
        """
        pb = self.pb
        needed = [False] * len(pb.gain)
        for i in self.cols:
            for j in pb.deps[i]:
                needed[j] = True
        plain = [not pb.mandatory[i] and pb.deadline[i] is None for i in range(len(pb.gain))]
        out: set[int] = set()
        self.leaders = [[] for _ in self.room]
        for p, room in enumerate(self.room):
            members = [i for i in self.cols if pb.pool[i] == p and plain[i]]
            self.leaders[p] = [i for i in members if not pb.deps[i] and not pb.rivals[i]]
            efforts = sorted({pb.effort[i] for i in members})
            # Fenwick trees over effort ranks: the effort of the dominators seen so far (all, and quick wins).
            trees = ([0.0] * (len(efforts) + 1), [0.0] * (len(efforts) + 1))
            for i in sorted(members, key=lambda i: (-pb.gain[i], pb.effort[i], i)):
                rank = bisect.bisect_right(efforts, pb.effort[i])
                if not needed[i]:
                    tree, r, ahead = trees[pb.counts[i]], rank, 0.0
                    while r > 0:
                        ahead += tree[r]
                        r -= r & -r
                    k = self.col_of[i]
                    out.update(3 * k + q for q in range(3) if ahead + pb.effort[i] > room[q] + EPS)
                if not pb.deps[i] and not pb.rivals[i]:
                    for tree in trees if pb.counts[i] else trees[:1]:
                        r = rank
                        while r < len(tree):
                            tree[r] += pb.effort[i]
                            r += r & -r
        return out

    def _undominated(self, phase: list[int | None]) -> list[int | None]:
        """A feasible plan made to respect :attr:`dominated` (HiGHS ignores a start that breaks a
        bound): a dominated item done too early swaps phases with a dominator planned later or not
        at all, which keeps the plan feasible and loses nothing (:meth:`_dominated`); each swap
        moves an earlier item of the dominance order earlier, so the loop ends."""
        pb = self.pb
        out = list(phase)
        late = [3 if p is None else p for p in out]
        moved = True
        while moved:
            moved = False
            for k, b in enumerate(self.cols):
                q = out[b]
                if q is None or 3 * k + q not in self.dominated:
                    continue
                a = next(
                    (
                        a
                        for a in self.leaders[pb.pool[b]]
                        if late[a] > q
                        and a != b
                        and pb.gain[a] >= pb.gain[b]
                        and pb.effort[a] <= pb.effort[b]
                        and pb.counts[a] >= pb.counts[b]
                        and ((pb.gain[a], pb.effort[a]) != (pb.gain[b], pb.effort[b]) or a < b)
                    ),
                    None,
                )
                if a is None:  # only at a rounding hair from the limit: HiGHS decides
                    continue
                out[a], out[b] = q, out[a]
                late[a], late[b] = q, late[a]
                moved = True
        return out

    def run(self, start: list[int | None] | None) -> Solution | None:
        pb = self.pb
        base = objective(pb, self.phase)
        need = max(0, pb.min_count - self.fixed_count)
        need_dl = max(0, pb.min_deadlines - self.fixed_deadlines)
        if not self.cols:
            if (need > 0 and self.goal != "wins") or need_dl > 0:
                return None
            return Solution(list(self.phase), base, base, True)
        lp = self._lp(need, need_dl)
        if self.count_only or (start is not None and not feasible_start(pb, start)):
            start = None
        if not self.count_only and len(self.cols) > REL_GAPS[0][0]:
            start = self._tighten(lp, need, need_dl, start, base)
        # The gap allowed depends on how many items are still open to choice (the bounds are read
        # once: each access to a highspy vector copies all of it).
        lower, upper = list(lp.col_lower_), list(lp.col_upper_)
        free = self.open_items
        if free is None:
            free = sum(
                1 for k in range(len(self.cols)) if any(lower[3 * k + q] < upper[3 * k + q] for q in range(3))
            )
        if start is not None and self.lp_bound is not None:
            # The LP relaxation already proves the start close enough: no branch and bound (on
            # several contested pools, HiGHS's root work alone took seconds to reach the same).
            value, bound = objective(pb, start), base + self.lp_bound
            if bound - value <= _gap(free) * max(abs(bound), 1e-9):
                return Solution(list(start), value, max(value, bound), True)
        if self.dominated:
            # After the gap is chosen: dominance spares the search, it does not make the choice smaller.
            for k in self.dominated:
                if lower[k] == 0.0:  # never otherwise: the reduced-cost fixing keeps an optimum too
                    upper[k] = 0.0
            lp.col_upper_ = upper
        highs = _highs(_gap(free))
        highs.passModel(lp)
        if start is not None:
            self._start_from(highs, self._undominated(start) if self.dominated else start)
        _run(highs)
        status = highs.getModelStatus().name
        info = highs.getInfo()
        if info.primal_solution_status != 2:  # no feasible solution
            return None
        phase = self._phases(highs.getSolution().col_value)
        value = objective(pb, phase)
        if self.count_only:
            return Solution(phase, value, value, status == "kOptimal")
        dual = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else math.inf
        return Solution(phase, value, max(value, base + dual), status == "kOptimal")

    def _phases(self, y: Sequence[float]) -> list[int | None]:
        phase = list(self.phase)
        for k, i in enumerate(self.cols):
            phase[i] = next((q for q in range(3) if y[3 * k + q] > 0.5), None)
        return phase

    def _tighten(
        self, lp: Any, need: int, need_dl: int, start: list[int | None] | None, base: float
    ) -> list[int | None] | None:
        """Use the LP relaxation of a large model twice before the full solve.

        1. A better start (RENS-like): keep every variable the LP sets to 0 or 1 and solve the
           small MILP left over its fractional ones, then add what still fits (:func:`fill`).
           These knapsack LPs have few fractional variables, so the start is usually within a
           hair of the bound and the full solve stops at its root.
        2. Reduced-cost fixing: a variable at a bound of the LP optimum whose reduced cost exceeds
           the LP bound minus the start's value cannot move in any plan at least as good as the
           start, so it is fixed (exact; it spares HiGHS a slow presolve of hopeless columns).

        Returns the best start found; narrows ``lp``'s bounds in place.
        """
        import highspy

        sizing_plan = start
        relaxed = self._lp(need, need_dl)
        relaxed.integrality_ = [highspy.HighsVarType.kContinuous] * relaxed.num_col_
        solver = _highs(LARGE_GAP)
        solver.passModel(relaxed)
        _run(solver)
        if solver.getModelStatus().name != "kOptimal":
            return start
        solution = solver.getSolution()
        x, d = list(solution.col_value), list(solution.col_dual)
        z = solver.getInfo().objective_function_value
        self.lp_bound = z
        rest = self._lp(need, need_dl)
        lower, upper = list(rest.col_lower_), list(rest.col_upper_)
        for k, v in enumerate(x):
            if v <= 1e-9:
                upper[k] = 0.0
            elif v >= 1 - 1e-9:
                lower[k] = 1.0
        rest.col_lower_, rest.col_upper_ = lower, upper
        small = _highs(LARGE_GAP)
        small.passModel(rest)
        _run(small)
        if small.getInfo().primal_solution_status == 2:
            rounded = self._phases(small.getSolution().col_value)
            if sizing_plan is None or objective(self.pb, rounded) > objective(self.pb, sizing_plan):
                sizing_plan = list(rounded)
            # What the LP left out and still fits (the rounding leaves room in every pool).
            fill(self.pb, rounded, [k for k in self.cols if not self.pb.mandatory[k]], dependents(self.pb))
            if start is None or objective(self.pb, rounded) > objective(self.pb, start):
                start = rounded
        if start is None:
            return None

        def floor_of(plan: list[int | None]) -> float:
            floor = objective(self.pb, plan) - base
            return floor - 1e-6 * max(1.0, abs(floor))  # numerical margin: never cut the plan itself

        floor = floor_of(start)
        # The size that picks the gap: the items left open against the caller's start or the bare
        # rounding, so that filling it speeds the solve up without tightening the target it must reach.
        sizing = floor_of(sizing_plan) if sizing_plan is not None else floor
        lower, upper = list(lp.col_lower_), list(lp.col_upper_)
        open_items: set[int] = set()
        for k, v in enumerate(x):
            if lower[k] < upper[k]:
                at_bound = v <= 1e-9 or v >= 1 - 1e-9
                if not (at_bound and z - abs(d[k]) < sizing):
                    open_items.add(k // 3)
                if at_bound and z - abs(d[k]) < floor:
                    if v <= 1e-9:
                        upper[k] = 0.0
                    else:
                        lower[k] = 1.0
        lp.col_lower_, lp.col_upper_ = lower, upper
        self.open_items = len(open_items)
        return start

    def _start_from(self, highs: Any, phase: list[int | None]) -> None:
        """Give the solver a feasible plan to beat (it checks it, and ignores it if infeasible)."""
        import highspy

        start = highspy.HighsSolution()
        start.col_value = [
            1.0 if (p := phase[i]) is not None and p <= q else 0.0 for i in self.cols for q in range(3)
        ]
        start.value_valid = True
        highs.setSolution(start)

    def _lp(self, need: int, need_dl: int) -> Any:
        """A fresh HighsLp of the model (callers narrow its bounds in place); the arrays are built once."""
        import highspy

        key = (need, need_dl)
        if key not in self._arrays:
            self._arrays[key] = self._build(need, need_dl)
        cost, lower, upper, starts, index, value, row_lo, row_hi = self._arrays[key]
        lp = highspy.HighsLp()
        lp.num_col_ = len(cost)
        lp.num_row_ = len(row_lo)
        lp.col_cost_ = cost
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = row_lo
        lp.row_upper_ = row_hi
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(cost)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = [*starts, len(index)]
        lp.a_matrix_.index_ = index
        lp.a_matrix_.value_ = value
        lp.a_matrix_.num_col_ = len(cost)
        lp.a_matrix_.num_row_ = len(row_lo)
        return lp

    def _build(self, need: int, need_dl: int) -> tuple[list[Any], ...]:
        import highspy

        pb = self.pb
        cols = self.cols
        w = pb.weights
        c = (w[0] - w[1], w[1] - w[2], w[2])
        cost: list[float] = []
        lower: list[float] = []
        upper: list[float] = []
        for i in cols:
            lo_phase = max((p for j in pb.deps[i] if (p := self.phase[j]) is not None), default=pb.first)
            lo_phase = max(lo_phase, pb.first)
            if pb.mandatory[i]:  # a pin later than what needs it: kept, and reported by the caller
                lo_phase = min(lo_phase, pb.hi[i])
            for q in range(3):
                if self.goal == "wins":
                    cost.append(1.0 if q == 0 and pb.counts[i] else 0.0)
                elif self.goal == "deadlines":
                    cost.append(1.0 if q == pb.deadline[i] else 0.0)
                else:
                    cost.append(pb.gain[i] * c[q])
                lower.append(1.0 if pb.mandatory[i] and q >= pb.hi[i] else 0.0)
                late = q < lo_phase or (
                    not pb.mandatory[i] and self.least_effort[i] > self.room[pb.pool[i]][q]
                )
                upper.append(0.0 if late else 1.0)
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        row_lo: list[float] = []
        row_hi: list[float] = []
        inf = highspy.kHighsInf

        def row(coefs: list[tuple[int, float]], lo: float, hi: float) -> None:
            starts.append(len(index))
            for col, v in coefs:
                index.append(col)
                value.append(v)
            row_lo.append(lo)
            row_hi.append(hi)

        for k, i in enumerate(cols):
            row([(3 * k, 1.0), (3 * k + 1, -1.0)], -inf, 0.0)
            row([(3 * k + 1, 1.0), (3 * k + 2, -1.0)], -inf, 0.0)
            for j in pb.deps[i]:
                kj = self.col_of.get(j)
                if kj is not None:
                    for q in range(3):
                        row([(3 * k + q, 1.0), (3 * kj + q, -1.0)], -inf, 0.0)
        for p, room in enumerate(self.room):
            members = [(k, i) for k, i in enumerate(cols) if pb.pool[i] == p]
            if members:
                for q in range(3):
                    row([(3 * k + q, pb.effort[i]) for k, i in members], -inf, room[q])
        for group in pb.groups:
            # Forced members (fixed or mandatory) are kept whatever the group says and take its place.
            forced = sum(1 for i in group if self.phase[i] is not None or pb.mandatory[i])
            chosen = [
                (3 * self.col_of[i] + 2, 1.0) for i in group if i in self.col_of and not pb.mandatory[i]
            ]
            rhs = max(0, 1 - forced)
            if len(chosen) > rhs:
                row(chosen, -inf, float(rhs))
        counting = [(3 * k, 1.0) for k, i in enumerate(cols) if pb.counts[i]]
        if self.goal == "wins":
            # Stop as soon as enough quick wins fit: the objective cannot beat the cap.
            row(counting, -inf, float(need))
        elif need > 0:
            row(counting, float(need), inf)
        if need_dl > 0 and self.goal != "deadlines":
            dated = [(3 * k + d, 1.0) for k, i in enumerate(cols) if (d := pb.deadline[i]) is not None]
            row(dated, float(need_dl), inf)
        return cost, lower, upper, starts, index, value, row_lo, row_hi


def _gap(items: int) -> float:
    return next((gap for size, gap in REL_GAPS if items <= size), LARGE_GAP)


def _highs(rel_gap: float) -> Any:
    """A silent HiGHS instance.

    highspy's ``Highs`` wrapper installs a logging callback in its constructor, which prints a
    banner to the process's stdout before any option can be set (it would corrupt
    ``plan --format json``); the binding class underneath it has the same solver without that.
    """
    import highspy

    cls: Any = next((k for k in highspy.Highs.__mro__ if k.__name__ == "_Highs"), highspy.Highs)
    h = cls()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", rel_gap)
    h.setOptionValue("mip_max_nodes", MAX_NODES)
    # The root reduced-cost heuristic solves sub-MIPs within sub-MIPs at every restart: most of the
    # root's time on several contested pools, for an incumbent the other heuristics find anyway.
    h.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
    h.setOptionValue("time_limit", TIME_LIMIT)
    # One thread whatever the machine, so nothing in a solve depends on its cores (two gave the
    # same plans for the same CPU time). HiGHS's thread pool is per process and fixed by its first
    # run: every instance here asks for the same count, or later runs would fail (see :func:`_run`).
    h.setOptionValue("threads", 1)
    return h


def _run(h: Any) -> None:
    """Run HiGHS; an error (limits are warnings, infeasibility a status) is a bug, never a plan."""
    import highspy

    if h.run() == highspy.HighsStatus.kError:
        raise RuntimeError(f"HiGHS failed: {h.getModelStatus().name}")
