"""A backlog seen as a planning :class:`~fulcrum.plan.milp.Problem`, and why items stay out.

Candidates are the ranked open items in rank order (which is the solver's tie-break order).
Pinned and ``doing`` items are fixed; the open dependencies they need are required by the
earliest phase that needs them; capacity limits rise to whatever that forced work needs. An item
due on or before the plan's last day has a deadline: the phase that contains its due date (the
first one when it is overdue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fulcrum.backlog import PHASES, Backlog, Item
from fulcrum.plan.model import EPS, Problem
from fulcrum.scoring import Ranking
from fulcrum.text import fmt

#: What a unit of value per year is worth when it arrives at the end of each phase, in its first year.
WEIGHTS: tuple[float, float, float] = ((365 - 30) / 365, (365 - 60) / 365, (365 - 90) / 365)


#: Statuses of ranked or closed items that the plan never schedules and that block what needs them.
SHELVED = ("dropped", "deferred")


@dataclass(frozen=True)
class AsOf:
    """Where today falls in the plan: the phases that ended, and the share left of the current one."""

    today: date
    """The date the plan is made on (``start`` when earlier)."""
    first: int
    """The first phase index not ended (the current one); 2 when the whole plan has ended."""
    share: tuple[float, float, float]
    """The fraction of each phase's capacity still to come: 0 ended, pro rata by days for the
    current phase (today included), 1 later."""

    @property
    def ended(self) -> list[bool]:
        """Each phase ended before today."""
        return [s == 0.0 for s in self.share]


def as_of(start: date, ends: dict[int, date], today: date | None) -> AsOf:
    """Phases ended by ``today`` (None or before ``start``: ``start``, nothing ended)."""
    day = start if today is None or today < start else today
    share: list[float] = []
    first = None
    begin = start
    for k, p in enumerate(PHASES):
        end = ends[p]
        if day > end:
            share.append(0.0)
        elif day <= begin:
            share.append(1.0)
        else:
            share.append(((end - day).days + 1) / ((end - begin).days + 1))
        if first is None and day <= end:
            first = k
        begin = end + timedelta(days=1)
    return AsOf(day, 2 if first is None else first, (share[0], share[1], share[2]))


class Frame:
    """The backlog seen as a :class:`Problem`: candidates in rank order (the tie-break order)."""

    def __init__(
        self,
        backlog: Backlog,
        ranking: Ranking,
        ends: dict[int, date],
        unpin: str | None = None,
        asof: AsOf | None = None,
    ) -> None:
        """``ends``: the last day of each phase; ``unpin``: plan this item as if it had no pin;
        ``asof``: today in the plan (None: day 1)."""
        asof = asof or AsOf(ends[PHASES[0]] - timedelta(days=PHASES[0] - 1), 0, (1.0, 1.0, 1.0))
        self.asof = asof
        first = asof.first
        self.cands = ranking.ranked
        self.status = {it.id: it.status for it in backlog.items}
        self.index = {s.id: i for i, s in enumerate(self.cands)}
        self.warnings: list[str] = []
        self.pools = backlog.pools
        """Pool keys, yours first; a candidate's pool is an index of it."""
        self.teams = bool(backlog.teams)
        self.pool_words = ["your"] + [f"{t.name}'s" for t in backlog.teams.values()]
        """Whose capacity each pool is, for sentences ("waits for Payments team's capacity")."""
        at = {k: n for n, k in enumerate(self.pools)}
        n = len(self.cands)
        pool = [at[backlog.pool_of(s.item)] for s in self.cands]
        deps = [[self.index[d] for d in s.item.depends_on if d in self.index] for s in self.cands]
        fixed: list[int | None] = [None] * n
        self.over = all(x == 0.0 for x in asof.share)
        """Today is past the plan's last day: everything is history, nothing is planned."""
        for i, s in enumerate(self.cands):
            if s.item.status == "deferred" or self.over:  # never planned, a pin notwithstanding
                continue
            if s.item.phase is not None and s.id != unpin:
                pinned = PHASES.index(s.item.phase)
                if pinned < first:
                    self.warnings.append(
                        f"{s.id} is pinned to day {s.item.phase}, which has ended: "
                        f"planned by day {PHASES[first]} instead (mark it done, or move the pin)"
                    )
                fixed[i] = max(pinned, first)
            elif s.item.status == "doing":
                fixed[i] = first
        hi = self._deadlines(deps, fixed)
        mandatory = [fixed[i] is None and hi[i] is not None for i in range(n)]
        blocked = self._blocked()
        cum = [
            tuple(
                sum(asof.share[k] * backlog.pool_capacity(key, PHASES[k]) for k in range(q + 1))
                for q in range(3)
            )
            for key in self.pools
        ]
        # Pinned and in-progress work is planned even beyond capacity: what it needs of its pool by
        # the end of each phase (required dependencies as late as they may be) raises that pool's limit.
        forced = [[0.0, 0.0, 0.0] for _ in self.pools]
        for i, s in enumerate(self.cands):
            p = fixed[i] if fixed[i] is not None else hi[i]
            if p is not None:
                for q in range(p, 3):
                    forced[pool[i]][q] += s.effort
        limit = [
            (max(c[0], f[0]), max(c[1], f[1]), max(c[2], f[2])) for c, f in zip(cum, forced, strict=True)
        ]
        self.cumulative = cum
        """Per pool: the capacity still to come by the end of each phase (as of today)."""
        self.total_capacity = [c[2] for c in cum]
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
            deadline=[None if (d := _deadline(s.item, ends)) is None else max(d, first) for s in self.cands],
            pool=pool,
            groups=self._groups(fixed, mandatory),
            first=first,
        )

    def _groups(self, fixed: list[int | None], mandatory: list[bool]) -> list[list[int]]:
        """Each item with alternatives, with them: at most one of the group is planned."""
        seen: set[tuple[int, ...]] = set()
        out: list[list[int]] = []
        for i, s in enumerate(self.cands):
            if not s.item.excludes:
                continue
            group = tuple(sorted({i, *(self.index[e] for e in s.item.excludes if e in self.index)}))
            if len(group) < 2 or group in seen:
                continue
            seen.add(group)
            out.append(list(group))
            forced = [self.cands[j].id for j in group if fixed[j] is not None or mandatory[j]]
            if len(forced) > 1:
                self.warnings.append(
                    f"{' and '.join(forced)} are alternatives (excludes) but all are pinned, in progress "
                    "or needed by such work: all are kept"
                )
        return out

    def lefts(self, phase: list[int | None]) -> list[float]:
        """Per pool: the capacity left by day 90 once ``phase``'s items are done."""
        left = list(self.total_capacity)
        for i, p in enumerate(phase):
            if p is not None:
                left[self.problem.pool[i]] -= self.cands[i].effort
        return left

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

    def reason(self, i: int, phase: list[int | None], left: list[float], currency: str) -> str:
        """Why candidate ``i`` is not planned (the first that applies); ``left``: :meth:`lefts`."""
        s = self.cands[i]
        if s.item.status == "deferred":
            return "deferred"
        for shelved in SHELVED:
            off = [d for d in s.item.depends_on if self.status.get(d) == shelved]
            if off:
                return f"waits for {', '.join(off)}, which {'is' if len(off) == 1 else 'are'} {shelved}"
        if self.over:
            return "the plan's 90 days have ended"
        if s.value <= 0:
            kind = "zero" if s.value == 0 else "negative"
            return f"{kind} value ({fmt.money(s.value, currency)}/yr): not worth doing for itself"
        chosen = [self.cands[r].id for r in self.problem.rivals[i] if phase[r] is not None]
        if chosen:
            names = ", ".join(f"'{c}'" for c in chosen)
            return f"alternative {names} {'is' if len(chosen) == 1 else 'are'} planned instead"
        waiting = [d for d in s.item.depends_on if d in self.index and phase[self.index[d]] is None]
        if waiting:
            return f"waits for {', '.join(waiting)}, which {'is' if len(waiting) == 1 else 'are'} not planned"
        p = self.problem.pool[i]
        total = self.total_capacity[p]
        if s.effort > total + EPS:
            whose = f" {self.pool_words[p]} capacity" if self.teams else ""
            return (
                f"does not fit{whose}: needs {fmt.weeks(s.effort)}, "
                f"more than the {fmt.weeks(total)} {self._as_of_words()}"
            )
        need = f"needs {fmt.weeks(s.effort)}, {fmt.weeks(max(left[p], 0.0))} left by day 90"
        if self.teams:
            return f"waits for {self.pool_words[p]} capacity: {need}"
        return f"does not fit the remaining capacity: {need}"

    def _as_of_words(self) -> str:
        fresh = self.asof.first == 0 and self.asof.share[0] == 1.0
        return "of all 90 days" if fresh else "left of the 90 days"

    def missed(self, i: int, phase: list[int | None], left: list[float], currency: str) -> str | None:
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
        chosen = [self.cands[r].id for r in pb.rivals[i] if phase[r] is not None]
        if p is None and chosen:
            return f"{where}: {self.reason(i, phase, left, currency)}"
        by = PHASES[d]
        own = pb.pool[i]
        forced = sum(
            pb.effort[k] for k, f in enumerate(pb.fixed) if f is not None and f <= d and pb.pool[k] == own
        )
        free = max(0.0, pb.capacity[own][d] - forced)
        if pb.effort[i] > free + EPS:
            taken = " (pinned and in-progress work take the rest)" if forced > EPS else ""
            whose = f" of {self.pool_words[own]} capacity" if self.teams else ""
            return (
                f"{where}: it cannot be done by day {by}: it needs {fmt.weeks(pb.effort[i])}, "
                f"and {fmt.weeks(free)}{whose} are free by then{taken}"
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
