"""Why an item scores what it scores: the whole calculation, as data and as plain text.

"Who told you that? Show me the calculation." :func:`explain_item` returns an
:class:`Explanation` holding every number behind one item's place in a :class:`Ranking`, with
the arithmetic spelled out. ``fulcrum explain`` prints its :meth:`Explanation.lines`; the TUI's
detail pane and the Markdown export read the same object.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from fulcrum.backlog import Backlog, Estimate, Item
from fulcrum.scoring.couplings import couplings
from fulcrum.scoring.methods import METHOD_FORMULAS
from fulcrum.scoring.quadrants import QUADRANT_LABELS
from fulcrum.scoring.rank import (
    CLOSED,
    EVERYONE,
    Contribution,
    Ranking,
    contributions,
    feasibility_factors,
    lens_names,
    lens_weights,
    score_backlog,
    unfinished_dependencies,
)
from fulcrum.scoring.relative import relative_text
from fulcrum.scoring.scores import ScoringError, formula_env, formula_names
from fulcrum.text import fmt


@dataclass(frozen=True)
class CoupledPart:
    """What a coupling adds to a metric: ``amount = driver_change * per_unit``."""

    driver: str
    driver_change: float
    """The driver's effective change."""
    per_unit: float
    """Units of this metric per unit of the driver (its ``drives``)."""
    amount: float

    def text(self, key: str) -> str:
        """ "infra_cost: +8,000 via mau 20,000 x 0.4"."""
        sign = "+" if self.amount > 0 else ""
        via = f"{self.driver} {num(self.driver_change)} x {num(self.per_unit)}"
        return f"{key}: {sign}{num(self.amount)} via {via}"


@dataclass(frozen=True)
class MetricPart:
    """One metric's share of the value."""

    key: str
    label: str
    unit: str
    estimate: Estimate | None
    """The item's own estimate; None when the item moves this metric only through couplings."""
    expected: float
    """The expected effective change: the PERT mean of the estimate plus the coupled parts."""
    arithmetic: str
    """How the own expected change was computed, e.g. ``(5,000 + 4 * 20,000 + 50,000) / 6 = 22,500``."""
    coupled: tuple[CoupledPart, ...]
    """What couplings add, in coupling order."""
    relative: str
    """The change against the metric's baseline ("+50% of 2,000,000"); "" without a baseline."""
    price: float
    """Money per year per unit (0 when the metric has no value_per_unit)."""
    priced: bool
    weight: float
    """The lens weight."""
    contribution: float
    """expected * price * weight, before confidence."""
    evidence: str
    """Where the number comes from ("" when the item gives none)."""


@dataclass(frozen=True)
class Factor:
    """One factor of feasibility."""

    kind: str
    """"effort", "need" (a team in needs), "dependency" or "coordination" (their product)."""
    subject: str
    """The team or dependency id ("" for effort and coordination)."""
    factor: float
    """What it multiplies feasibility by (1.0 for a dependency that is done)."""
    detail: str
    """The arithmetic or the reason, in words."""


@dataclass(frozen=True)
class Dependency:
    """An item this one depends on."""

    id: str
    title: str
    status: str
    done: bool


@dataclass(frozen=True)
class LensRank:
    """This item's place under one lens."""

    lens: str
    rank: int | None
    score: float | None
    value: float


@dataclass(frozen=True)
class Explanation:
    """The structured calculation behind one item's value, feasibility, score, rank and quadrant."""

    item_id: str
    title: str
    status: str
    decision: str
    currency: str
    lens: str
    lens_label: str
    method: str
    method_formula: str
    """The method's score formula in words."""
    metrics: tuple[MetricPart, ...]
    value_sum: float
    """Sum of the contributions, before confidence."""
    confidence: float
    value: float
    effort: Estimate
    effort_expected: float
    effort_arithmetic: str
    effort_evidence: str
    half_life: float
    coordination_penalty: float
    factors: tuple[Factor, ...]
    feasibility: float
    requested_by: tuple[tuple[str, str, str], ...]
    """(stakeholder key, name, role) of each requester."""
    needs: tuple[str, ...]
    depends_on: tuple[Dependency, ...]
    not_ranked: str | None = None
    """Why the item is not ranked (done or dropped); None when it is."""
    score: float | None = None
    score_error: str | None = None
    score_arithmetic: str = ""
    """The score formula with the numbers put in."""
    rank: int | None = None
    ranked_count: int = 0
    quadrant: str | None = None
    quadrant_reason: str = ""
    """Value and feasibility against the thresholds, in words."""
    value_threshold: float = 0.0
    feasibility_threshold: float = 0.0
    lens_ranks: tuple[LensRank, ...] = ()

    def lines(self) -> list[str]:
        """The explanation as plain text lines (no markup; user text is not yet terminal-safe)."""
        m = lambda x: fmt.money(x, self.currency)  # noqa: E731
        out = [f"{self.item_id}: {self.title}"]
        out.append(f"status {self.status} · lens {self.lens_label} · method {self.method}")
        if self.not_ranked:
            out.append(f"Not ranked: {self.not_ranked}")
        else:
            score = "n/a" if self.score is None else num(self.score)
            label = QUADRANT_LABELS.get(self.quadrant or "", "")
            out.append(f"Rank {self.rank} of {self.ranked_count} · score {score} · {label}")
        out += ["", f"Value per year ({self.currency})"]
        if not self.metrics:
            out.append("  no impact on any metric")
        for p in self.metrics:
            unit = f" {p.unit}" if p.unit else ""
            out.append(f"  {p.key} ({p.label})")
            if p.estimate is not None:
                out.append(f"    expected change: {p.arithmetic}{unit}")
            out += [f"    {c.text(p.key)}" for c in p.coupled]
            if p.coupled:
                out.append(f"    effective change: {num(p.expected)}{unit}")
            if p.relative:
                out.append(f"    relative: {p.relative}")
            price = f"{num(p.price)} per unit" if p.priced else "0 (the metric has no value_per_unit)"
            weight = f"lens weight {num(p.weight)}" if p.weight else "not in this lens (weight 0)"
            out.append(f"    price {price} · {weight} -> {num(p.contribution)}")
            out.append(f"    evidence: {p.evidence or '(none given)'}")
        out.append(
            f"  sum {num(self.value_sum)} * confidence {num(self.confidence)} = {num(self.value)}"
            f" ({m(self.value)}/yr)"
        )
        out += ["", "Effort (person-weeks)", f"  {self.effort_arithmetic}"]
        out.append(f"  evidence: {self.effort_evidence or '(none given)'}")
        out += ["", "Feasibility"]
        out += [f"  {f.detail}" for f in self.factors]
        parts = " * ".join(num(f.factor) for f in self.factors if f.kind in ("effort", "coordination"))
        out.append(f"  feasibility = {parts} = {num(self.feasibility)}")
        if not self.not_ranked:
            out += ["", f"Score ({self.method}: {self.method_formula})", f"  {self.score_arithmetic}"]
            out += ["", f"Quadrant: {QUADRANT_LABELS.get(self.quadrant or '', '')}: {self.quadrant_reason}"]
        out.append("")
        who = ", ".join(f"{k} ({n}, {r})" if r else f"{k} ({n})" for k, n, r in self.requested_by)
        out.append(f"Requested by: {who or 'nobody recorded'}")
        out.append(f"Needs: {', '.join(self.needs) or 'no other team'}")
        deps = ", ".join(f"{d.id} ({d.status})" for d in self.depends_on)
        out.append(f"Depends on: {deps or 'nothing'}")
        if self.lens_ranks:
            ranks = " · ".join(
                f"{r.lens} {'-' if r.rank is None else f'#{r.rank}'} ({m(r.value)}/yr)"
                for r in self.lens_ranks
            )
            out.append(f"Rank under each lens: {ranks}")
        return out


#: A number for arithmetic lines (thousands separators, at most 4 decimals).
num = fmt.exact


def pert_arithmetic(e: Estimate) -> str:
    """``(low + 4 * likely + high) / 6 = mean``, or the number itself for a point estimate."""
    if e.is_point:
        return num(e.expected)
    return f"({num(e.low)} + 4 * {num(e.likely)} + {num(e.high)}) / 6 = {num(e.expected)}"


def rank_in_every_lens(ranking: Ranking) -> dict[str, Ranking]:
    """The same method under every lens (callers that explain many items can cache this)."""
    out = {}
    for lens in lens_names(ranking.backlog):
        if lens == ranking.lens:
            out[lens] = ranking
        else:
            out[lens] = score_backlog(ranking.backlog, lens, ranking.method, ranking.formula)
    return out


def explain_item(
    ranking: Ranking, item_id: str, lens_rankings: Mapping[str, Ranking] | None = None
) -> Explanation:
    """The whole calculation for one item; ScoringError (with a did-you-mean) if there is no such item."""
    b = ranking.backlog
    try:
        item = b.item(item_id)
    except KeyError:
        ids = [it.id for it in b.items]
        hint = difflib.get_close_matches(item_id, ids, n=1, cutoff=0.5)
        msg = f"no item {item_id!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
        raise ScoringError([(None, msg)]) from None
    weights = lens_weights(b, ranking.lens)
    coupled = couplings(b).parts({k: e.expected for k, e in item.impact.items()})
    parts = tuple(
        _metric_part(b, item, c, coupled.get(c.metric, [])) for c in contributions(b, item, weights)
    )
    value_sum = sum(p.contribution for p in parts)
    value = item.confidence * value_sum + 0.0
    status = ranking.statuses
    effort_f, coord_f, _ = feasibility_factors(b, item, status)
    base = Explanation(
        item_id=item.id,
        title=item.title,
        status=item.status,
        decision=item.decision,
        currency=b.backlog.currency,
        lens=ranking.lens,
        lens_label=_lens_label(b, ranking.lens),
        method=ranking.method,
        method_formula=ranking.formula or METHOD_FORMULAS.get(ranking.method, ""),
        metrics=parts,
        value_sum=value_sum,
        confidence=item.confidence,
        value=value,
        effort=item.effort,
        effort_expected=item.effort.expected,
        effort_arithmetic=pert_arithmetic(item.effort),
        effort_evidence=item.evidence.get("effort", ""),
        half_life=b.scoring.effort_half_life_weeks,
        coordination_penalty=b.scoring.coordination_penalty,
        factors=_factors(b, item, status, effort_f, coord_f),
        feasibility=effort_f * coord_f,
        requested_by=tuple(
            (k, b.stakeholders[k].name, b.stakeholders[k].role) if k in b.stakeholders else (k, k, "")
            for k in item.requested_by
        ),
        needs=tuple(item.needs),
        depends_on=tuple(
            Dependency(d, b.item(d).title, status[d], status[d] == "done")
            for d in item.depends_on
            if d in status
        ),
    )
    scored = ranking.get(item.id)
    if item.status in CLOSED or scored is None:
        why = "it is done" if item.status == "done" else "it was dropped"
        if item.decision:
            why += f" ({item.decision})"
        return replace(base, not_ranked=f"{why}; done and dropped items are listed apart")
    rankings = lens_rankings if lens_rankings is not None else rank_in_every_lens(ranking)
    lens_ranks = []
    for lens, r in rankings.items():
        s = r.get(item.id)
        if s is not None:
            lens_ranks.append(LensRank(lens, s.rank, s.score, s.value))
    return replace(
        base,
        score=scored.score,
        score_error=scored.score_error,
        score_arithmetic=_score_arithmetic(ranking, item, scored.value, scored.effort, scored.feasibility),
        rank=scored.rank,
        ranked_count=len(ranking.ranked),
        quadrant=scored.quadrant,
        quadrant_reason=_quadrant_reason(ranking, scored.value, scored.feasibility),
        value_threshold=ranking.value_threshold,
        feasibility_threshold=ranking.feasibility_threshold,
        lens_ranks=tuple(lens_ranks),
    )


def _metric_part(
    b: Backlog, item: Item, c: Contribution, coupled: list[tuple[str, float, float]]
) -> MetricPart:
    metric = b.metrics.get(c.metric)
    est = item.impact.get(c.metric)
    return MetricPart(
        key=c.metric,
        label=metric.label if metric else c.metric,
        unit=metric.unit if metric else "",
        estimate=est,
        expected=c.expected_delta,
        arithmetic=pert_arithmetic(est) if est is not None else "",
        coupled=tuple(CoupledPart(d, dc, k, dc * k) for d, dc, k in coupled),
        relative=relative_text(c.metric, c.expected_delta, metric.baseline if metric else None),
        price=c.price,
        priced=bool(metric and metric.value_per_unit is not None),
        weight=c.weight,
        contribution=c.value,
        evidence=item.evidence.get(c.metric, ""),
    )


def _factors(
    b: Backlog, item: Item, status: Mapping[str, str], effort_f: float, coord_f: float
) -> tuple[Factor, ...]:
    s = b.scoring
    keep = 1.0 - s.coordination_penalty
    e = item.effort.expected
    out = [
        Factor(
            "effort",
            "",
            effort_f,
            f"effort: 2 ** (-{num(e)} / {num(s.effort_half_life_weeks)}) = {num(effort_f)}",
        )
    ]
    for team in item.needs:
        out.append(
            Factor("need", team, keep, f"needs {team}: * (1 - {num(s.coordination_penalty)}) = {num(keep)}")
        )
    unfinished = set(unfinished_dependencies(b, item, status))
    for dep in item.depends_on:
        if dep in unfinished:
            detail = f"depends on {dep} ({status.get(dep, 'unknown')}, not done): * {num(keep)}"
            out.append(Factor("dependency", dep, keep, detail))
        else:
            out.append(Factor("dependency", dep, 1.0, f"depends on {dep} (done): no penalty"))
    n = len(item.needs) + len(unfinished)
    detail = (
        f"coordination: {num(keep)} ** {n} = {num(coord_f)}" if n else "coordination: nothing to wait for = 1"
    )
    out.append(Factor("coordination", "", coord_f, detail))
    return tuple(out)


def _score_arithmetic(ranking: Ranking, item: Item, value: float, effort: float, feas: float) -> str:
    scored = ranking.get(item.id)
    assert scored is not None
    result = "n/a" + (f" ({scored.score_error})" if scored.score_error else "")
    if scored.score is not None:
        result = num(scored.score)
    f = item.fields
    method = ranking.method
    if method == "value_density":
        text = f"{num(value)} / {num(effort)}"
    elif method == "rice":
        text = f"{num(f['reach'])} * {num(f['impact'])} * {num(item.confidence)} / {num(effort)}"
    elif method == "ice":
        text = f"{num(f['impact'])} * {num(item.confidence)} * {num(f['ease'])}"
    elif method == "wsjf":
        text = (
            f"({num(f['business_value'])} + {num(f['time_criticality'])} + {num(f['risk_reduction'])})"
            f" / {num(f['job_size'])}"
        )
    else:
        from fulcrum.formula import compile_formula

        assert ranking.formula is not None
        compiled = compile_formula(ranking.formula, formula_names(ranking.backlog))
        env = formula_env(ranking.backlog, item, value, effort, feas)
        text = compiled.substitute(env, num)
    return f"{text} = {result}"


def _quadrant_reason(ranking: Ranking, value: float, feas: float) -> str:
    b = ranking.backlog
    m = lambda x: fmt.money(x, b.backlog.currency)  # noqa: E731
    vt, ft = ranking.value_threshold, ranking.feasibility_threshold
    if b.scoring.quick_win_min_value == "median":
        source = f"the median of the {len(ranking.ranked)} ranked items"
    else:
        source = "quick_win_min_value"
    v_cmp = ">=" if value >= vt else "<"
    f_cmp = ">=" if feas >= ft else "<"
    return (
        f"value {m(value)} {v_cmp} {m(vt)} ({source}) and feasibility {fmt.ratio(feas)} {f_cmp} "
        f"{fmt.ratio(ft)} (quick_win_min_feasibility)"
    )


def _lens_label(b: Backlog, lens: str) -> str:
    if lens == EVERYONE:
        return "everyone (every metric weighs 1)"
    person = b.stakeholders.get(lens)
    if person is None:
        return lens
    return f"{lens} ({person.name}, {person.role})" if person.role else f"{lens} ({person.name})"
