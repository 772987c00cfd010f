"""What the TUI's Plan tab shows of a plan, as small plain data: a :class:`PlanPicture`.

A :class:`~fulcrum.plan.Plan` holds the whole ranking (every item of the backlog); the tab shows a
few hundred rows of it. The picture keeps only those, each field already resolved (pool and
stakeholder names, owners, the words of :mod:`fulcrum.plan.report`), so it is the same whether it
was made in the app's process or in a child process (:mod:`fulcrum.output.remote`) and sent back:
tuples of strings, numbers and dates, a few kilobytes where the plan is megabytes.
``fulcrum.ui.widgets.plan_parts`` turns it into text; nothing here knows about styles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fulcrum.backlog import Backlog
from fulcrum.plan.build import Plan, build_plan
from fulcrum.plan.report import (
    day_text,
    early_wins_text,
    optimality_text,
    owner_of,
    pin_cost_lines,
    pool_name,
)
from fulcrum.plan.result import TourStop
from fulcrum.scoring import QUADRANT_LABELS, ScoringError


@dataclass(frozen=True)
class PoolPicture:
    """One capacity pool in one phase."""

    name: str
    """"you", or the team's name."""
    capacity: float
    available: float
    used: float
    over_capacity: bool


@dataclass(frozen=True)
class ItemPicture:
    """A planned item, as its row shows it."""

    id: str
    title: str
    value: float
    effort: float
    due: date
    quadrant: str
    """The quadrant's label ("Quick win" ...)."""
    doing: bool
    early_win: bool
    """A quick win worth something, in the first phase."""
    pin: int | None
    """The phase the file pins it to, when it is pinned (it may differ from ``phase``: ended)."""
    phase: int
    owner: str
    """Who answers for it ("" when nobody does)."""
    pool: str
    """The name of the pool its effort uses."""
    unmet: tuple[str, ...]
    """The names of who asked for it and is not met by the end of its phase."""
    due_flag: str | None


@dataclass(frozen=True)
class DonePicture:
    """A done item of an ended phase."""

    title: str
    done_on: date | None
    expected: float
    actual: float | None
    accuracy: float | None
    pool: str


@dataclass(frozen=True)
class PhasePicture:
    """One phase: its capacity (over every pool and per pool), its items or, ended, its history."""

    phase: int
    end: date
    past: bool
    capacity: float
    available: float
    used: float
    share: float
    over_capacity: bool
    pools: tuple[PoolPicture, ...]
    items: tuple[ItemPicture, ...]
    history: tuple[DonePicture, ...]


@dataclass(frozen=True)
class LaterPicture:
    """An item that waits, and why."""

    id: str
    title: str
    reason: str
    scored: bool
    """Ranked (False: done or dropped, shown dimmed and not selectable)."""
    pin: int | None
    """The file's pin of a ranked item that waits anyway."""


@dataclass(frozen=True)
class PlanPicture:
    """Everything the Plan tab shows of one plan."""

    currency: str
    objective: float
    optimality: str
    lens: str
    start: date
    teams: bool
    as_of: str
    """The as-of and estimate-accuracy line ("" when there is nothing to say)."""
    early_wins: str
    pin_costs: tuple[str, ...]
    missed: tuple[tuple[str, date, str], ...]
    """(id, due, reason) of each deadline the plan misses."""
    warnings: tuple[str, ...]
    phases: tuple[PhasePicture, ...]
    later: tuple[LaterPicture, ...]
    """The first ``max_later`` items that wait (best first)."""
    later_total: int
    """How many wait in all."""
    tour: tuple[TourStop, ...]
    tour_end: date
    """The day the listening tour should be done by (the first phase's end)."""


@dataclass(frozen=True)
class PlanOutcome:
    """What a solve for the Plan tab gives: the picture and a note, or why there is none."""

    picture: PlanPicture | None
    note: str = ""
    """Said under the plan (e.g. it was ranked by value density as the method cannot score)."""
    error: str | None = None


def picture_of(plan: Plan, max_later: int) -> PlanPicture:
    """The Plan tab's view of ``plan``, with at most ``max_later`` of the items that wait."""
    backlog = plan.ranking.backlog
    people = backlog.stakeholders
    pools = {key: pool_name(plan, key) for key in (p.pool for ph in plan.phases for p in ph.items)}
    phases = []
    for ph in plan.phases:
        items = tuple(
            ItemPicture(
                id=p.id,
                title=p.scored.item.title,
                value=p.scored.value,
                effort=p.scored.effort,
                due=p.due,
                quadrant=QUADRANT_LABELS[p.scored.quadrant],
                doing=p.scored.item.status == "doing",
                early_win=p.quick_win and p.phase == 30 and p.scored.value > 0,
                pin=p.scored.item.phase if p.pinned else None,
                phase=p.phase,
                owner=owner_of(backlog, p.scored.item),
                pool=pools[p.pool],
                unmet=tuple(people[k].name if k in people else k for k in p.unmet_stakeholders),
                due_flag=p.due_flag,
            )
            for p in ph.items
        )
        history = tuple(
            DonePicture(
                d.item.title, d.item.done_on, d.expected, d.actual, d.accuracy, pool_name(plan, d.pool)
            )
            for d in ph.history
        )
        uses = tuple(
            PoolPicture(pool_name(plan, u.pool), u.capacity, u.available, u.used, u.over_capacity)
            for u in ph.pools.values()
        )
        phases.append(
            PhasePicture(
                ph.phase,
                ph.end,
                ph.past,
                ph.capacity,
                ph.available,
                ph.used,
                ph.share,
                ph.over_capacity,
                uses,
                items,
                history,
            )
        )
    later = tuple(
        LaterPicture(
            lt.id,
            lt.item.title,
            lt.reason,
            lt.scored is not None,
            lt.item.phase if lt.scored is not None else None,
        )
        for lt in plan.later[:max_later]
    )
    return PlanPicture(
        currency=backlog.backlog.currency,
        objective=plan.objective,
        optimality=optimality_text(plan),
        lens=plan.ranking.lens,
        start=plan.start,
        teams=plan.teams,
        as_of=_as_of(plan),
        early_wins=early_wins_text(plan),
        pin_costs=tuple(pin_cost_lines(plan)),
        missed=tuple((m.id, m.due, m.reason) for m in plan.deadlines_missed),
        warnings=tuple(plan.warnings),
        phases=tuple(phases),
        later=later,
        later_total=len(plan.later),
        tour=tuple(plan.listening_tour),
        tour_end=plan.phases[0].end if plan.phases else plan.start,
    )


def _as_of(plan: Plan) -> str:
    """As of which day, and the estimate accuracy so far, in one short line ("" when neither)."""
    parts = []
    day = day_text(plan)
    if day and plan.today is not None:
        parts.append(f"As of {plan.today.isoformat()} ({day})")
    acc = plan.accuracy
    if acc.overall is not None:
        parts.append(f"estimates took {acc.overall:.2f}x ({len(acc.items)} done; shown only)")
    return " · ".join(parts)


def plan_for_view(
    backlog: Backlog,
    lens: str | None,
    today: date | None,
    max_later: int,
    build: Callable[..., Plan] = build_plan,
) -> tuple[Plan | None, PlanOutcome]:
    """The plan the Plan tab shows, and its picture; never raises.

    The plan needs values, not scores: when the backlog's method cannot score it, the plan ranks
    by value density and says so (an unknown lens is still an error). ``build`` is
    :func:`~fulcrum.plan.build_plan` (the app's tests hold it in its thread).
    """
    try:
        try:
            plan = build(backlog, lens, today=today)
            note = ""
        except ScoringError as exc:
            scoring = backlog.scoring.model_copy(update={"method": "value_density"})
            plan = build(backlog.model_copy(update={"scoring": scoring}), lens, today=today)
            note = f"Ranked by value density: {exc}"
        return plan, PlanOutcome(picture_of(plan, max_later), note)
    except ScoringError as exc:
        return None, PlanOutcome(None, error=str(exc))
    except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
        return None, PlanOutcome(None, error=f"unexpected error: {exc!r}")
