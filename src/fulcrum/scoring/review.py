"""The value-case review ("who told you that?"): the warnings of `fulcrum check` (pure).

A warning is not an error: the backlog is valid and can be scored, but a number in it deserves a
second look before anyone relies on the ranking. Every warning names the item it is about (so the
TUI's Review tab can jump to it), the field, a plain-English message and a stable ``kind`` code.
Only open items (idea, planned, doing) are reviewed: done and dropped items no longer drive a decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fulcrum.backlog import Backlog, Item, Locator, format_loc, shown_path
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.imported import effort_not_estimated, needs_value_case
from fulcrum.scoring.rank import CLOSED, item_value, lens_weights
from fulcrum.scoring.scores import effective_changes
from fulcrum.text import fmt

#: Kinds of warning, in the order `check` prints them for one item.
KINDS: dict[str, str] = {
    "no_evidence": "a big impact with no evidence for it",
    "below_zero": "a change that would take a metric below zero",
    "below_zero_total": "the open items together would take a metric below zero",
    "certain_big": "confidence 1.0 on a large item",
    "no_value_case": "an imported item with no impact yet",
    "effort_not_estimated": "an imported item whose effort is a placeholder",
    "unrequested": "an item nobody requested",
    "depends_on_dropped": "a dependency on a dropped item",
    "team_no_capacity": "an item of a team that has no capacity in any phase",
    "actual_not_done": "an actual effort on an item that is not done",
    "metric_unpriced": "a metric with no value_per_unit (priced at 0)",
    "metric_no_source": "a priced metric with no source",
}

#: The quantile of open items' values above which an impact needs evidence, without [review] min_value.
DEFAULT_QUANTILE = 0.75

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class ReviewWarning:
    """One thing in the value case to look at again."""

    kind: str
    """A code from :data:`KINDS` (stable: tests and filters rely on it)."""
    message: str
    """Plain English, one line."""
    item: str | None = None
    """The id of the item it is about (jump target), or None for a metric-level warning."""
    field: str = ""
    """Where, relative to the item (``impact.mau``, ``depends_on (the 1st entry)``) or absolute for
    metrics (``metrics.mau.source``)."""
    loc: Loc = ()
    """The path in the document, e.g. ``("items", 3, "impact", "mau")``."""
    line: int | None = None
    """The line in the file, when the text was given to :func:`review`."""

    def headline(self, file: str = "") -> str:
        """``FILE:LINE: warning: item 'x' field: message``."""
        where = (file or "<input>") + (f":{self.line}" if self.line is not None else "")
        parts = [where + ":", "warning:"]
        if self.item:
            parts.append(f"item {self.item!r}")
        if self.field:
            parts.append(self.field + ":")
        parts.append(self.message)
        return " ".join(parts)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile with linear interpolation between order statistics (numpy's default); 0 if empty."""
    if not values:
        return 0.0
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def review_threshold(backlog: Backlog) -> tuple[float, str]:
    """(threshold, how it was set): impacts worth more than it per year need evidence.

    ``[review] min_value`` when given; otherwise the 75th percentile of the absolute values of the
    open items under the default lens (the "top quarter of item values").
    """
    if backlog.review.min_value is not None:
        return backlog.review.min_value, "[review] min_value"
    weights = lens_weights(backlog)
    values = [abs(item_value(backlog, it, weights)) for it in _open(backlog)]
    return percentile(values, DEFAULT_QUANTILE), "75th percentile of the open items' values"


def review(backlog: Backlog, text: str | None = None) -> list[ReviewWarning]:
    """Every warning of the value-case review, item by item in file order, then metric-level ones.

    With ``text`` (the file's TOML), each warning carries its line.
    """
    out: list[ReviewWarning] = []
    threshold, _ = review_threshold(backlog)
    status = {it.id: it.status for it in backlog.items}
    for i, it in enumerate(backlog.items):
        if it.status in CLOSED:
            continue
        out.extend(_item_warnings(backlog, i, it, threshold, status))
    out.extend(_total_below_zero(backlog, out))
    out.extend(_metric_warnings(backlog))
    if text is not None:
        locator = Locator(text, len(backlog.items))
        out = [_with_line(w, locator) for w in out]
    return out


def _open(backlog: Backlog) -> list[Item]:
    return [it for it in backlog.items if it.status not in CLOSED]


def _with_line(w: ReviewWarning, locator: Locator) -> ReviewWarning:
    line, _ = locator.find(w.loc)
    return ReviewWarning(w.kind, w.message, w.item, w.field, w.loc, line)


def _warn(kind: str, message: str, item: str | None, loc: Loc, field_from: int) -> ReviewWarning:
    # Within an item, the path as messages show it ("depends_on (the 1st entry)"); a metric's in full.
    field = shown_path(loc[field_from:]) if item is not None else format_loc(loc[field_from:])
    return ReviewWarning(kind, message, item, field, loc)


def _item_warnings(
    b: Backlog, i: int, it: Item, threshold: float, status: Mapping[str, str]
) -> list[ReviewWarning]:
    cur = b.backlog.currency
    out: list[ReviewWarning] = []
    for key, est in it.impact.items():
        metric = b.metrics.get(key)
        if metric is None:
            continue
        price = metric.value_per_unit or 0.0
        # The claim itself: this impact's expected change at its price, before confidence (which
        # only discounts it) and under no lens. A cost counts as much as a gain.
        signed = est.expected * price
        worth = abs(signed)
        if worth > threshold and not it.evidence.get(key, "").strip():
            claim = "worth" if signed >= 0 else "a cost of"
            out.append(
                _warn(
                    "no_evidence",
                    f"{claim} {fmt.money(worth, cur)}/yr before confidence (above the review threshold of "
                    f"{fmt.money(threshold, cur)}/yr) but there is no evidence: "
                    f"who told you that? add evidence.{key}",
                    it.id,
                    ("items", i, "impact", key),
                    2,
                )
            )
        if metric.baseline is not None and metric.baseline >= 0 and metric.baseline + est.low < 0:
            # The likely value is the claim; the low end alone going below zero is a wide range.
            end, word = (
                (est.likely, "the likely change")
                if metric.baseline + est.likely < 0
                else (est.low, "the low end")
            )
            unit = f" {metric.unit}" if metric.unit else ""
            out.append(
                _warn(
                    "below_zero",
                    f"{word} of {fmt.number(end)}{unit} would take {key} below zero "
                    f"(baseline {fmt.number(metric.baseline)}): check the sign and the size",
                    it.id,
                    ("items", i, "impact", key),
                    2,
                )
            )
    out.extend(_coupled_below_zero(b, i, it, {w.loc[-1] for w in out if w.kind == "below_zero"}))
    effort = it.effort.expected
    if it.confidence >= 1.0 and effort >= b.scoring.effort_half_life_weeks:
        out.append(
            _warn(
                "certain_big",
                f"confidence 1.0 on {'' if it.effort.is_point else 'an expected '}{fmt.weeks(effort)} of "
                f"work (at least the effort half-life of {b.scoring.effort_half_life_weeks:g} wk): "
                "is nothing uncertain about it?",
                it.id,
                ("items", i, "confidence"),
                2,
            )
        )
    out.extend(_imported_warnings(i, it))
    if not it.requested_by and not needs_value_case(it):  # the value case asks who wants it
        out.append(
            _warn(
                "unrequested",
                "nobody requested it: who wants this? (requested_by is empty)",
                it.id,
                ("items", i, "requested_by"),
                2,
            )
        )
    team = b.teams.get(it.team) if it.team else None
    if team is not None and not any(team.capacity.of(p) for p in (30, 60, 90)):
        out.append(
            _warn(
                "team_no_capacity",
                f"team {it.team!r} has no capacity in any phase, so the plan cannot schedule it: "
                f"give [teams.{it.team}] a capacity, or move the item to another team",
                it.id,
                ("items", i, "team"),
                2,
            )
        )
    if it.actual_effort is not None and it.status != "done":
        out.append(
            _warn(
                "actual_not_done",
                f"actual_effort is {fmt.weeks(it.actual_effort)} but the status is {it.status!r}: "
                'is it done (status = "done", done_on = ...)?',
                it.id,
                ("items", i, "actual_effort"),
                2,
            )
        )
    for j, dep in enumerate(it.depends_on):
        if status.get(dep) == "dropped":
            out.append(
                _warn(
                    "depends_on_dropped",
                    f"depends on {dep!r}, which was dropped: drop this too, or remove the dependency",
                    it.id,
                    ("items", i, "depends_on", j),
                    2,
                )
            )
    return out


def _imported_warnings(i: int, it: Item) -> list[ReviewWarning]:
    """An imported item (``source``) arrives with no value case, and perhaps no estimate."""
    out = []
    if needs_value_case(it):
        out.append(
            _warn(
                "no_value_case",
                "needs a value case: no impact yet (which metric does it move, by how much, who says so?)"
                + ("; nobody requested it yet (requested_by is empty)" if not it.requested_by else ""),
                it.id,
                ("items", i, "impact"),
                2,
            )
        )
    if effort_not_estimated(it):
        out.append(
            _warn(
                "effort_not_estimated",
                "effort not estimated: the tracker had no story points, so 1 person-week stands in; "
                "estimate it (or write evidence.effort if 1 is right)",
                it.id,
                ("items", i, "effort"),
                2,
            )
        )
    return out


def _coupled_below_zero(b: Backlog, i: int, it: Item, flagged: set[object]) -> list[ReviewWarning]:
    """The likely changes with couplings: a metric a coupling takes below zero (not already flagged)."""
    coup = couplings(b)
    if not coup:
        return []
    own = {k: e.likely for k, e in it.impact.items()}
    parts = coup.parts(own)
    out = []
    for key, total in coup.apply(own).items():
        metric = b.metrics.get(key)
        if key not in parts or key in flagged or metric is None or metric.baseline is None:
            continue
        if metric.baseline >= 0 and metric.baseline + total < 0:
            drivers = [d for d, _, _ in parts[key]]
            root = next((d for d in drivers if d in it.impact), next(iter(it.impact), key))
            unit = f" {metric.unit}" if metric.unit else ""
            out.append(
                _warn(
                    "below_zero",
                    f"with couplings (via {', '.join(drivers)}) the likely change of {key} is "
                    f"{fmt.number(total)}{unit}, which would take it below zero (baseline "
                    f"{fmt.number(metric.baseline)}): check the sizes and the drives factors",
                    it.id,
                    ("items", i, "impact", root),
                    2,
                )
            )
    return out


def _total_below_zero(b: Backlog, found: list[ReviewWarning]) -> list[ReviewWarning]:
    """Items that are each plausible can still, together, save more than the whole bill."""
    flagged = {w.loc[-1] for w in found if w.kind == "below_zero"}
    coup = couplings(b)
    if coup:  # a metric one item alone takes below zero through couplings is flagged already
        for it in _open(b):
            for key, d in coup.apply({k: e.likely for k, e in it.impact.items()}).items():
                base = b.metrics[key].baseline if key in b.metrics else None
                if base is not None and base >= 0 and base + d < 0:
                    flagged.add(key)
    out = []
    for key, metric in b.metrics.items():
        if metric.baseline is None or metric.baseline < 0 or key in flagged:
            continue
        total = sum(effective_changes(b, it).get(key, 0.0) for it in _open(b))
        if metric.baseline + total < 0:
            out.append(
                _warn(
                    "below_zero_total",
                    f"the open items together change it by {fmt.number(total)} (the sum of their "
                    f"expected effective changes, before confidence), below zero from a baseline of "
                    f"{fmt.number(metric.baseline)}: some of them count the same saving twice?",
                    None,
                    ("metrics", key, "baseline"),
                    0,
                )
            )
    return out


def _metric_warnings(b: Backlog) -> list[ReviewWarning]:
    out = []
    for key, metric in b.metrics.items():
        if metric.value_per_unit is None:
            movers = [it.id for it in _open(b) if key in it.impact]
            who = f"{len(movers)} open item(s) moving it are" if movers else "items moving it would be"
            out.append(
                _warn(
                    "metric_unpriced",
                    f"no value_per_unit: {who} priced at 0 for it; "
                    "give it a price in money per year per unit, if it has one",
                    None,
                    ("metrics", key, "value_per_unit"),
                    0,
                )
            )
        elif not metric.source.strip():
            out.append(
                _warn(
                    "metric_no_source",
                    f"priced at {fmt.money(metric.value_per_unit, b.backlog.currency)}/yr per unit "
                    "with no source: who told you that?",
                    None,
                    ("metrics", key, "source"),
                    0,
                )
            )
    return out
