"""The top of the public plan: one paragraph ("In the next 90 days I will ... I will not ... because
...") and the value headline that keeps cash (metric ``kind = "cash"``, money that reaches the P&L)
apart from other priced value (``kind = "other"``). Both return escaped Markdown."""

from __future__ import annotations

from dataclasses import dataclass

from fulcrum.backlog import Backlog, Item
from fulcrum.output.markdown_escape import md
from fulcrum.plan import Later, Plan
from fulcrum.scoring import item_value, lens_weights
from fulcrum.text import fmt

#: Items named in the summary's "I will" and "I will not" (the most valuable ones).
NAMED = 3


@dataclass(frozen=True)
class ValueSplit:
    """Value per year of a set of items under a lens: what is cash and what is other priced value."""

    cash: float
    other: float

    @property
    def total(self) -> float:
        return self.cash + self.other


def value_split(backlog: Backlog, items: list[Item], lens: str | None = None) -> ValueSplit:
    """The items' value per year, split by the kind of the metrics it comes from."""
    weights = lens_weights(backlog, lens)
    cash_weights = {
        k: w for k, w in weights.items() if k in backlog.metrics and backlog.metrics[k].kind == "cash"
    }
    total = sum((item_value(backlog, it, weights) for it in items), 0.0)
    cash = sum((item_value(backlog, it, cash_weights) for it in items), 0.0)
    return ValueSplit(cash, total - cash)


def value_headline(plan: Plan) -> str:
    """ "Value once the plan is done: $1.2M/yr: $900k/yr cash ..., $300k/yr other priced value ..."."""
    backlog = plan.ranking.backlog
    cur = backlog.backlog.currency
    split = value_split(backlog, [p.scored.item for p in plan.planned], plan.ranking.lens)
    head = f"**Value of the planned work once done:** {md(fmt.money(split.total, cur))}/yr"
    others = [m.label for m in backlog.metrics.values() if m.kind == "other" and m.value_per_unit]
    if not others:
        return head + " (all of it cash: money that reaches the P&L)."
    kinds = md(", ".join(others))
    return (
        f"{head}: {md(fmt.money(split.cash, cur))}/yr cash (money that reaches the P&L) and "
        f"{md(fmt.money(split.other, cur))}/yr other priced value ({kinds}: worth money, not cash)."
    )


def summary_paragraph(plan: Plan) -> str:
    """In the next 90 days I will ...; I will not ... because ...: the most valuable of each."""
    backlog = plan.ranking.backlog
    cur = backlog.backlog.currency
    planned = sorted(plan.planned, key=lambda p: (-p.scored.value, p.id))
    if planned:
        names = [f"{p.scored.item.title} (by {p.due.isoformat()})" for p in planned[:NAMED]]
        more = len(planned) - NAMED
        if more > 0:
            names.append(f"{more} more item" + ("" if more == 1 else "s"))
        value = fmt.money(sum(p.scored.value for p in planned), cur)
        will = f"In the next 90 days I will deliver {_join(names)}: {value}/yr once done."
    else:
        will = "In the next 90 days I will not start any item of this backlog."
    skipped = sorted(
        (lt for lt in plan.later if lt.scored is not None and lt.scored.value > 0),
        key=lambda lt: (-(lt.scored.value if lt.scored else 0.0), lt.id),
    )
    if skipped:
        reasons = [f"{lt.item.title}, because {_because(lt)}" for lt in skipped[:NAMED]]
        wont = f" I will not do {_join(reasons, 'or')}."
    elif planned:
        wont = " Everything of value in the backlog fits in these 90 days."
    else:
        wont = " Nothing in the backlog has a value yet: its impacts need prices first."
    return md(will + wont)


def _because(lt: Later) -> str:
    """The planner's reason as the end of a "because" clause."""
    head, _, need = lt.reason.partition(": ")
    if lt.short_of_time == "bigger":
        return "it is bigger than all the time there is in 90 days"
    if lt.short_of_time == "waits":
        # Not "higher-value work": what takes the time may be worth less (a deadline, a pin, work in
        # progress, or several items worth more together).
        return "the time left goes to the work planned" + (f" ({need})" if need else "")
    if head.startswith("alternative"):
        return head.replace("alternative", "the alternative", 1)
    if head == "deferred":
        return "it is deferred"
    return "it " + head if head.startswith("waits") else head


def _join(words: list[str], last: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return "; ".join(words[:-1]) + f"; {last} " + words[-1]
