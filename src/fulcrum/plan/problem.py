"""A backlog seen as a planning :class:`~fulcrum.plan.milp.Problem`, and why items stay out.

Candidates are the ranked open items in rank order (which is the solver's tie-break order).
Pinned and ``doing`` items are fixed; the open dependencies they need are required by the
earliest phase that needs them; capacity limits rise to whatever that forced work needs. An item
due on or before the plan's last day has a deadline: the phase that contains its due date (the
first one when it is overdue).
"""

from __future__ import annotations

from datetime import date

from fulcrum.backlog import PHASES, Backlog, Item
from fulcrum.plan.milp import EPS, Problem
from fulcrum.scoring import Ranking
from fulcrum.text import fmt

#: What a unit of value per year is worth when it arrives at the end of each phase, in its first year.
WEIGHTS: tuple[float, float, float] = ((365 - 30) / 365, (365 - 60) / 365, (365 - 90) / 365)


#: Statuses of ranked or closed items that the plan never schedules and that block what needs them.
SHELVED = ("dropped", "deferred")


class Frame:
    """The backlog seen as a :class:`Problem`: candidates in rank order (the tie-break order)."""

    def __init__(
        self, backlog: Backlog, ranking: Ranking, ends: dict[int, date], unpin: str | None = None
    ) -> None:
        """``ends``: the last day of each phase; ``unpin``: plan this item as if it had no pin."""
        self.cands = ranking.ranked
        self.status = {it.id: it.status for it in backlog.items}
        self.index = {s.id: i for i, s in enumerate(self.cands)}
        self.warnings: list[str] = []
        n = len(self.cands)
        deps = [[self.index[d] for d in s.item.depends_on if d in self.index] for s in self.cands]
        fixed: list[int | None] = [None] * n
        for i, s in enumerate(self.cands):
            if s.item.status == "deferred":  # never planned, a pin notwithstanding
                continue
            if s.item.phase is not None and s.id != unpin:
                fixed[i] = PHASES.index(s.item.phase)
            elif s.item.status == "doing":
                fixed[i] = 0
        hi = self._deadlines(deps, fixed)
        mandatory = [fixed[i] is None and hi[i] is not None for i in range(n)]
        blocked = self._blocked()
        cap = [backlog.capacity.of(p) for p in PHASES]
        cum = [sum(cap[: q + 1]) for q in range(3)]
        # Pinned and in-progress work is planned even beyond capacity: what it needs by the end of
        # each phase (required dependencies as late as they may be) raises that phase's limit.
        forced = [0.0, 0.0, 0.0]
        for i, s in enumerate(self.cands):
            p = fixed[i] if fixed[i] is not None else hi[i]
            if p is not None:
                for q in range(p, 3):
                    forced[q] += s.effort
        limit = (max(cum[0], forced[0]), max(cum[1], forced[1]), max(cum[2], forced[2]))
        self.total_capacity = cum[2]
        self.problem = Problem(
            gain=[s.value for s in self.cands],
            effort=[s.effort for s in self.cands],
            deps=deps,
            capacity=limit,
            weights=WEIGHTS,
            fixed=fixed,
            mandatory=mandatory,
            hi=[h if h is not None else 2 for h in hi],
            counts=[
                s.quadrant == "quick_win" and s.item.status not in ("doing", "deferred") and s.value > 0
                for s in self.cands
            ],
            blocked=blocked,
            deadline=[_deadline(s.item, ends) for s in self.cands],
        )

    def _deadlines(self, deps: list[list[int]], fixed: list[int | None]) -> list[int | None]:
        """The latest phase of each open dependency of pinned or in-progress work (None: optional).

        Contradictions (a pin later than what needs it, a dropped dependency) become warnings;
        the pinned work stays where it is.
        """
        cands = self.cands
        hi: list[int | None] = [None] * len(cands)
        stack = [i for i, f in enumerate(fixed) if f is not None]
        while stack:
            i = stack.pop()
            limit = fixed[i] if fixed[i] is not None else hi[i]
            assert limit is not None
            item = cands[i].item
            what = _why_fixed(item) if fixed[i] is not None else f"needed by day {PHASES[limit]}"
            for d in item.depends_on:
                if self.status.get(d) in SHELVED:
                    self.warnings.append(f"{item.id} is {what} but depends on {d}, which is {self.status[d]}")
            for j in deps[i]:
                if cands[j].item.status in SHELVED:
                    continue
                fj = fixed[j]
                if fj is not None:
                    if fj > limit:
                        self.warnings.append(
                            f"{item.id} is {what} but depends on {cands[j].id}, "
                            f"which is {_why_fixed(cands[j].item)}"
                        )
                    continue
                hj = hi[j]
                if hj is None or limit < hj:
                    hi[j] = limit
                    stack.append(j)
        self.warnings = list(dict.fromkeys(self.warnings))
        return hi

    def _blocked(self) -> list[bool]:
        """Deferred items, and items that depend on something dropped or deferred: never planned
        unless pinned work needs them (a deferred item never is).

        What depends on a blocked item waits for it in turn (the solver leaves it out).
        """
        status = self.status
        return [
            s.item.status == "deferred" or any(status.get(d) in SHELVED for d in s.item.depends_on)
            for s in self.cands
        ]

    def reason(self, i: int, phase: list[int | None], left: float, currency: str) -> str:
        """Why candidate ``i`` is not planned (the first that applies)."""
        s = self.cands[i]
        if s.item.status == "deferred":
            return "deferred"
        for shelved in SHELVED:
            off = [d for d in s.item.depends_on if self.status.get(d) == shelved]
            if off:
                return f"waits for {', '.join(off)}, which {'is' if len(off) == 1 else 'are'} {shelved}"
        if s.value <= 0:
            kind = "zero" if s.value == 0 else "negative"
            return f"{kind} value ({fmt.money(s.value, currency)}/yr): not worth doing for itself"
        waiting = [d for d in s.item.depends_on if d in self.index and phase[self.index[d]] is None]
        if waiting:
            return f"waits for {', '.join(waiting)}, which {'is' if len(waiting) == 1 else 'are'} not planned"
        total = self.total_capacity
        if s.effort > total + EPS:
            return (
                f"does not fit: needs {fmt.weeks(s.effort)}, more than the {fmt.weeks(total)} of all 90 days"
            )
        return (
            f"does not fit the remaining capacity: needs {fmt.weeks(s.effort)}, "
            f"{fmt.weeks(max(left, 0.0))} left by day 90"
        )

    def missed(self, i: int, phase: list[int | None], left: float, currency: str) -> str | None:
        """Why candidate ``i`` misses its deadline, or None when it has none or meets it."""
        pb = self.problem
        d = pb.deadline[i]
        p = phase[i]
        if d is None or (p is not None and p <= d):
            return None
        item = self.cands[i].item
        if item.status == "deferred":
            return "deferred"
        where = "not planned" if p is None else f"planned by day {PHASES[p]}"
        if pb.fixed[i] is not None:
            return f"{_why_fixed(item)}, after its due date"
        if pb.blocked[i]:
            return f"{where}: {self.reason(i, phase, left, currency)}"
        by = PHASES[d]
        forced = sum(pb.effort[k] for k, f in enumerate(pb.fixed) if f is not None and f <= d)
        free = max(0.0, pb.capacity[d] - forced)
        if pb.effort[i] > free + EPS:
            taken = " (pinned and in-progress work take the rest)" if forced > EPS else ""
            return (
                f"{where}: it cannot be done by day {by}: it needs {fmt.weeks(pb.effort[i])}, "
                f"and {fmt.weeks(free)} are free by then{taken}"
            )
        return f"{where}: with the deadlines the plan meets, it does not fit by day {by} too"


def _deadline(item: Item, ends: dict[int, date]) -> int | None:
    """The phase index an item is due in (0 when overdue), or None: no due date within the plan."""
    due = item.due
    if due is None or due > ends[PHASES[-1]]:
        return None
    return next(k for k, p in enumerate(PHASES) if due <= ends[p])


def _why_fixed(item: Item) -> str:
    if item.phase is not None:
        return f"pinned to day {item.phase}"
    return "in progress"
