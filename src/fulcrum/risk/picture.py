"""What the TUI's Risk tab shows of an analysis, as small plain data: a :class:`RiskPicture`.

A :class:`~fulcrum.risk.Risk` holds the whole plan (and through it the ranking and the backlog);
the tab shows the odds, a table of the first items and the first Verify-first rows. The picture
keeps only those, each text already resolved (ranges in their units, whom to ask, what the plan
does at each end), so it is the same whether it was made in the app's process or in a child
process (:mod:`fulcrum.output.remote`) and sent back: strings, numbers and the analysis's own
plain :class:`~fulcrum.risk.ItemRisk` rows. Nothing here knows about styles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from fulcrum.backlog import Backlog, Item
from fulcrum.plan import Plan, build_plan
from fulcrum.risk.analysis import ItemRisk, Progress, Risk, Spread, analyse
from fulcrum.risk.report import ask, change_text, ends_text, range_text
from fulcrum.scoring import ScoringError

#: The analysis the tab runs on a plan: ``analyse`` with its defaults (tests pass fewer samples).
Analysis = Callable[[Plan, Progress], Risk]


@dataclass(frozen=True)
class QuestionPicture:
    """One Verify-first row: an input worth checking, and what checking it would change."""

    id: str
    input: str
    """``impact.METRIC``, ``effort`` or ``confidence``."""
    evppi: float
    range: str
    """The input's range in its own unit (``report.range_text``)."""
    ask: tuple[str, ...]
    """Whom to ask and what to check (``report.ask``)."""
    low_end: str
    """The name of the low end ("at the low end", "if it does not pay off")."""
    at_low: str
    """What the plan does there ("the same plan", "add x by day 60; ...")."""
    high_end: str
    at_high: str


@dataclass(frozen=True)
class RiskPicture:
    """Everything the Risk tab shows of one analysis."""

    currency: str
    objective: float
    """The plan's expected first-year value."""
    samples: int
    plan_samples: int
    seed: int
    top: int
    fits: float
    value: Spread
    evpi: float
    better: str | None
    """What the re-solved plan best on average does differently (None: the plan is the best)."""
    better_by: float
    items: tuple[ItemRisk, ...]
    """The first ``max_items`` candidates, in the plan's rank order."""
    items_total: int
    """How many candidates there are in all."""
    questions: tuple[QuestionPicture, ...]
    """The first ``max_questions`` inputs worth something (EVPPI > 0), largest first."""


@dataclass(frozen=True)
class ItemRanges:
    """Each shown item's ranges, for the explanation pane, and what was analysed: the backlog's
    items (compared by identity: an edit since makes the figures "from before the last change")
    and the lens."""

    items: Mapping[str, ItemRisk]
    analysed: Sequence[Item]
    lens: str | None
    currency: str


def item_ranges(picture: RiskPicture, backlog: Backlog, lens: str | None) -> ItemRanges:
    """The pane's view of a picture of ``backlog`` under ``lens``."""
    return ItemRanges({it.id: it for it in picture.items}, backlog.items, lens, picture.currency)


@dataclass(frozen=True)
class RiskOutcome:
    """What an analysis for the Risk tab gives: the picture, or why there is none."""

    picture: RiskPicture | None
    error: str | None = None


def picture_of(risk: Risk, max_items: int, max_questions: int) -> RiskPicture:
    """The Risk tab's view of ``risk``: at most ``max_items`` item rows and ``max_questions``
    Verify-first rows."""
    backlog = risk.plan.ranking.backlog
    questions = []
    for q in [q for q in risk.verify_first if q.evppi > 0][:max_questions]:
        low, high = ends_text(q)
        questions.append(
            QuestionPicture(
                id=q.id,
                input=q.input,
                evppi=q.evppi,
                range=range_text(backlog, q),
                ask=tuple(ask(backlog, q)),
                low_end=low,
                at_low=change_text(q.at_low),
                high_end=high,
                at_high=change_text(q.at_high),
            )
        )
    return RiskPicture(
        currency=backlog.backlog.currency,
        objective=risk.plan.objective,
        samples=risk.samples,
        plan_samples=risk.plan_samples,
        seed=risk.seed,
        top=risk.top,
        fits=risk.fits,
        value=risk.value,
        evpi=risk.evpi,
        better=change_text(risk.better) if risk.better else None,
        better_by=risk.better_by,
        items=tuple(risk.items[:max_items]),
        items_total=len(risk.items),
        questions=tuple(questions),
    )


def _default(plan: Plan, progress: Progress) -> Risk:
    return analyse(plan, progress=progress)


def analyse_for_view(
    backlog: Backlog,
    lens: str | None,
    today: date | None,
    progress: Progress,
    analysis: Analysis = _default,
) -> Risk:
    """The analysis the Risk tab shows: of the plan the Plan tab shows (ranked by value density
    when the backlog's method cannot score it). Raises what the plan and the analysis raise,
    and what ``progress`` raises (which is how a caller stops it)."""
    try:
        plan = build_plan(backlog, lens, today=today)
    except ScoringError:  # the plan needs values, not scores
        scoring = backlog.scoring.model_copy(update={"method": "value_density"})
        plan = build_plan(backlog.model_copy(update={"scoring": scoring}), lens, today=today)
    return analysis(plan, progress)


def failure_text(exc: Exception) -> str:
    """Why there are no figures, in the words both paths use."""
    if isinstance(exc, ScoringError):
        return str(exc)
    return f"unexpected error: {exc!r}"


def risk_outcome(
    backlog: Backlog,
    lens: str | None,
    today: date | None,
    max_items: int,
    max_questions: int,
    progress: Progress,
    analysis: Analysis = _default,
) -> RiskOutcome:
    """:func:`analyse_for_view` as a picture, or its failure in words; never raises (but what
    ``progress`` raises goes through)."""
    try:
        risk = analyse_for_view(backlog, lens, today, _Guarded(progress), analysis)
    except _Interrupted as stop:
        raise stop.cause from None
    except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
        return RiskOutcome(None, failure_text(exc))
    return RiskOutcome(picture_of(risk, max_items, max_questions))


class _Interrupted(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__()
        self.cause = cause


class _Guarded:
    """A progress callback whose exceptions are told apart from the analysis's own."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def __call__(self, done: int, total: int) -> None:
        try:
            self.progress(done, total)
        except Exception as exc:
            raise _Interrupted(exc) from None
