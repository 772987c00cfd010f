"""What was done, as of today: done items by the phase they were finished in, and how their
estimates held up (actual / expected effort). Shown beside the plan, never applied to estimates."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime

from fulcrum.backlog import PHASES, Backlog, Item
from fulcrum.text import fmt


@dataclass(frozen=True)
class DoneItem:
    """A ``done`` item: when it was finished, what it was expected to take and what it took."""

    item: Item
    pool: str
    """The capacity pool its effort used."""
    phase: int | None
    """The phase (30, 60, 90) containing ``done_on``; None without a date or outside the plan."""
    expected: float
    """The estimate's expected person-weeks (PERT mean)."""

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def actual(self) -> float | None:
        """``actual_effort``: person-weeks it really took (None: not recorded)."""
        return self.item.actual_effort

    @property
    def spent(self) -> float:
        """What it took: the actual effort when recorded, else the estimate."""
        return self.expected if self.actual is None else self.actual

    @property
    def accuracy(self) -> float | None:
        """actual / expected (1.0: as estimated; 2.0: took twice as long); None when not recorded."""
        return None if self.actual is None else self.actual / self.expected


@dataclass(frozen=True)
class Accuracy:
    """The estimate accuracy so far: every done item with ``actual_effort``, and all of them together."""

    items: list[DoneItem]
    """File order."""

    @property
    def overall(self) -> float | None:
        """Total actual over total expected effort; None when no done item records its actual effort."""
        if not self.items:
            return None
        return sum(d.spent for d in self.items) / sum(d.expected for d in self.items)

    def text(self) -> str:
        """One sentence: the overall ratio and how many items it rests on (or that none record it)."""
        overall = self.overall
        if overall is None:
            return "Estimate accuracy: no done item records its actual_effort yet."
        n = len(self.items)
        actual = sum(d.spent for d in self.items)
        expected = sum(d.expected for d in self.items)
        return (
            f"Estimate accuracy so far: {ratio_words(overall)}: {fmt.weeks(actual)} actual against "
            f"{fmt.weeks(expected)} estimated over {n} done item{'s' if n != 1 else ''} "
            "(shown only, never applied to other estimates)."
        )


def ratio_words(ratio: float) -> str:
    """``1.25`` -> "1.25x the estimate (25% over)"."""
    if abs(ratio - 1) < 0.005:
        return f"{ratio:.2f}x the estimate (as estimated)"
    side = "over" if ratio > 1 else "under"
    return f"{ratio:.2f}x the estimate ({abs(ratio - 1):.0%} {side})"


def done_items(backlog: Backlog, start: date, ends: dict[int, date]) -> list[DoneItem]:
    """Every ``done`` item, file order, with the phase its ``done_on`` falls in."""
    out = []
    for it in backlog.items:
        if it.status != "done":
            continue
        phase = None
        if it.done_on is not None and start <= it.done_on <= ends[PHASES[-1]]:
            phase = next(p for p in PHASES if it.done_on <= ends[p])
        out.append(DoneItem(it, backlog.pool_of(it), phase, it.effort.expected))
    return out


def accuracy(done: list[DoneItem]) -> Accuracy:
    """The accuracy over the done items that record their actual effort."""
    return Accuracy([d for d in done if d.actual is not None])


def current_date() -> date:
    """Today's date: the UTC day of ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when
    it holds a whole number of seconds, else the local date. What `plan`, `export` and the TUI
    take as today unless told (``--today``)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            pass
    return date.today()
