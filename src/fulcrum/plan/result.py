"""What a plan is, as every surface reads it: phases with their pools and items, what waits and
why, missed deadlines, pin costs, the listening tour, and what was done so far."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from fulcrum.backlog import PHASES, YOU, Item
from fulcrum.plan.history import Accuracy, DoneItem
from fulcrum.plan.model import EPS
from fulcrum.scoring import Ranking, Scored


@dataclass(frozen=True)
class PlannedItem:
    """An item in a phase, with its due date and what to watch."""

    scored: Scored
    phase: int
    """30, 60 or 90."""
    due: date
    """The phase end, or the item's own ``due`` when that is earlier."""
    due_flag: str | None
    """Why the item's own due date cannot be kept (it falls before its phase starts), or None."""
    quick_win: bool
    pinned: bool
    """The file pins it to this phase (``phase = 30|60|90``)."""
    unmet_stakeholders: list[str]
    """Keys of who asked for it that are not met by the end of its phase (listen before delivering)."""
    pool: str = YOU
    """The capacity pool its effort uses: "you" or a key of ``[teams]``."""

    @property
    def id(self) -> str:
        return self.scored.id


@dataclass(frozen=True)
class PoolUse:
    """One capacity pool in one phase (the same three numbers as :class:`PhasePlan`, for its items)."""

    pool: str
    """"you" or a key of ``[teams]``."""
    name: str
    """"you", or the team's name."""
    capacity: float
    available: float
    used: float

    @property
    def over_capacity(self) -> bool:
        return self.used > self.available + EPS


@dataclass(frozen=True)
class PhasePlan:
    """One phase of the plan."""

    phase: int
    """30, 60 or 90."""
    end: date
    """Its last day (day 30, 60 or 90 counting ``start`` as day 1)."""
    capacity: float
    """Person-weeks of this phase over every pool (``[capacity] days_N`` and each team's): as of
    today, the share still to come (the whole phase when it has not begun; for an ended phase,
    what it had)."""
    available: float
    """Person-weeks it can use: everything up to its end minus what earlier phases used.

    Negative when earlier phases already used more than all capacity up to this phase's end
    (pinned or in-progress work); the JSON keeps the sign, the text shows 0 and says why.
    For an ended phase: its capacity (nothing carries over from the past).
    """
    used: float
    """Person-weeks of the items planned in it (an ended phase: what its done items took)."""
    items: list[PlannedItem]
    """Best rank first."""
    pools: dict[str, PoolUse] = field(default_factory=dict)
    """The same per capacity pool, yours ("you") first."""
    past: bool = False
    """The phase ended before today: history, nothing is planned in it."""
    share: float = 1.0
    """The fraction of its capacity still to come: 1 before it begins, pro rata by days while it
    runs (today included), 0 once it ended."""
    history: list[DoneItem] = field(default_factory=list)
    """Done items finished in it (by ``done_on``), file order."""

    @property
    def over_capacity(self) -> bool:
        """Pinned or in-progress work needs more than the phase (or one of its pools) has."""
        if self.past:
            return False
        return any(u.over_capacity for u in self.pools.values()) or self.used > self.available + EPS


@dataclass(frozen=True)
class Later:
    """An item that is not in the plan, and why."""

    scored: Scored | None
    """None for done and dropped items (they are not ranked)."""
    item: Item
    reason: str
    """Human text: does not fit, waits for X, worth nothing under this lens, done, dropped."""

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def short_of_time(self) -> str | None:
        """How capacity keeps it out, read from the words ``problem.Frame.reason`` writes: "bigger"
        (it needs more than all the time there is), "waits" (more than the time left), else None."""
        head, _, detail = self.reason.partition(": ")
        if head.startswith("does not fit") and "more than" in detail:
            return "bigger"
        return "waits" if "capacity" in head else None


@dataclass(frozen=True)
class MissedDeadline:
    """An item the plan cannot finish by its due date, and why."""

    item: Item
    due: date
    reason: str

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def short_of_time(self) -> str | None:
        """How capacity keeps it out, read from the words ``problem.Frame.reason`` writes: "bigger"
        (it needs more than all the time there is), "waits" (more than the time left), else None."""
        head, _, detail = self.reason.partition(": ")
        if head.startswith("does not fit") and "more than" in detail:
            return "bigger"
        return "waits" if "capacity" in head else None


@dataclass(frozen=True)
class PinCost:
    """What a pin costs: the plan's value without it, less the value with it (>= 0)."""

    item: Item
    phase: int
    cost: float


@dataclass(frozen=True)
class TourStop:
    """A stakeholder on the listening tour."""

    key: str
    name: str
    role: str
    influence: int
    met: date | None
    met_in_first_phase: bool
    """Met by the end of day 30 (a date before ``start`` counts)."""


@dataclass(frozen=True)
class Plan:
    """The 30-60-90 plan of a backlog under one lens."""

    start: date
    phases: list[PhasePlan]
    later: list[Later]
    """Open items not planned (best rank first), then done and dropped items (file order)."""
    listening_tour: list[TourStop]
    """Every stakeholder, most influential first (ties by name, then key)."""
    objective: float
    """Time-weighted first-year value of the plan."""
    early_wins_required: int
    """``[plan] early_wins``."""
    early_wins_planned: int
    """Quick wins (not ``doing``, worth something) in the first phase."""
    early_wins_cost: float
    """First-year value given up to honour the rule (0 when it costs nothing)."""
    ranking: Ranking
    early_wins_possible: int = 0
    """How many the rule asked for: ``early_wins``, or fewer when no more can fit."""
    bound: float = 0.0
    """No plan can beat this objective (equal to ``objective`` when proven optimal)."""
    optimal: bool = True
    """Proven optimal (to a ten-millionth); otherwise within ``gap`` of the optimum."""
    warnings: list[str] = field(default_factory=list)
    """Pins that contradict dependencies, phases over capacity: things to fix in the file."""
    deadlines_missed: list[MissedDeadline] = field(default_factory=list)
    """Items due within the plan that it cannot finish by then (as few as can be), file order."""
    pin_costs: list[PinCost] = field(default_factory=list)
    """What each pin costs in value (the first :data:`MAX_PIN_COSTS` pins)."""
    pins_not_costed: int = 0
    """Pins beyond :data:`MAX_PIN_COSTS`, whose cost was not computed."""
    today: date | None = None
    """The date the plan is made as of (``start`` when earlier; None: ``start``)."""
    done: list[DoneItem] = field(default_factory=list)
    """Every done item, file order, with the phase it was finished in."""
    accuracy: Accuracy = field(default_factory=lambda: Accuracy([]))
    """How the estimates held up so far (done items with ``actual_effort``)."""

    @property
    def day(self) -> int | None:
        """Today's day of the plan (1..90), or None when today is not inside it."""
        if self.today is None:
            return 1
        n = (self.today - self.start).days + 1
        return n if 1 <= n <= PHASES[-1] else None

    @property
    def teams(self) -> bool:
        """The backlog has teams: capacity comes in pools."""
        return bool(self.ranking.backlog.teams)

    @property
    def gap(self) -> float:
        """At most this fraction of value separates the plan from the best possible one."""
        if self.bound <= self.objective:
            return 0.0
        if math.isinf(self.bound):  # the solver stopped before proving any bound
            return math.inf
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)

    @property
    def planned(self) -> list[PlannedItem]:
        """Every planned item, phase by phase."""
        return [p for ph in self.phases for p in ph.items]

    @property
    def not_met(self) -> list[TourStop]:
        """Stakeholders not met by the end of the first 30 days."""
        return [s for s in self.listening_tour if not s.met_in_first_phase]
