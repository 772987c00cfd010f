"""The risk analysis in words and as JSON: what every surface (CLI, TUI, export) says the same way."""

from __future__ import annotations

from typing import Any

from fulcrum.backlog import Backlog
from fulcrum.risk.analysis import Question, Risk
from fulcrum.text import fmt

#: What the output says about the model's main assumption, every time.
INDEPENDENCE = "estimates are sampled independently: correlations between them are not modelled"


def percent(p: float) -> str:
    """A probability for people: "84%"; never "0%" or "100%" unless it is exactly that."""
    if 0.0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1.0:
        return ">99%"
    return f"{p * 100:.0f}%"


def risk_to_json(risk: Risk) -> dict[str, Any]:
    """The ``risk --format json`` object of docs/FORMAT.md (numbers unrounded)."""
    backlog = risk.plan.ranking.backlog
    return {
        "samples": risk.samples,
        "plan_samples": risk.plan_samples,
        "seed": risk.seed,
        "plan": {
            "fits": risk.fits,
            "value": {
                "mean": risk.value.mean,
                "p10": risk.value.p10,
                "p50": risk.value.p50,
                "p90": risk.value.p90,
            },
        },
        "items": [
            {
                "id": it.id,
                "value": {"p10": it.value.p10, "p50": it.value.p50, "p90": it.value.p90},
                "rank": {"p10": int(it.rank.p10), "p50": int(it.rank.p50), "p90": int(it.rank.p90)},
                "p_top": it.p_top,
                "p_in_plan": it.p_in_plan,
                "p_first_phase": it.p_first_phase,
                **({} if it.p_on_time is None else {"p_on_time": it.p_on_time}),
            }
            for it in risk.items
        ],
        "evpi": risk.evpi,
        "verify_first": [
            {
                "id": q.id,
                "input": q.input,
                "low": q.low,
                "high": q.high,
                "evppi": q.evppi,
                "ask": ask(backlog, q),
            }
            for q in risk.verify_first
        ],
    }


def ask(backlog: Backlog, q: Question) -> list[str]:
    """Whom to ask and what to check: the evidence, the metric's source, who asked for the item."""
    out = []
    if q.evidence:
        out.append(f"evidence: {q.evidence}")
    if q.source:
        out.append(f"source: {q.source}")
    for key in q.requesters:
        person = backlog.stakeholders.get(key)
        if person is None:
            out.append(key)
        else:
            out.append(f"{person.name} ({person.role})" if person.role else person.name)
    item = next((it for it in backlog.items if it.id == q.id), None)
    if q.input == "effort" and item is not None and item.team:
        team = backlog.teams.get(item.team)
        lead = backlog.stakeholders.get(team.lead) if team is not None and team.lead else None
        if team is not None:
            out.append(f"{lead.name}, lead of {team.name}" if lead is not None else team.name)
    return out


def range_text(backlog: Backlog, q: Question) -> str:
    """The input's range in its own unit: "2-6 wk (likely 4)", "-250k..-100k chargebacks", "80%"."""
    if q.input == "confidence":
        return f"pays off with {percent(q.likely)} confidence"
    if q.input == "effort":
        return f"{fmt.weeks(q.low)} to {fmt.weeks(q.high)} (likely {fmt.weeks(q.likely)})"
    key = q.input.removeprefix("impact.")
    metric = backlog.metrics.get(key)
    unit = f" {metric.unit}" if metric is not None and metric.unit else ""
    return f"{fmt.number(q.low)} to {fmt.number(q.high)}{unit} (likely {fmt.number(q.likely)})"


def change_text(changes: tuple[tuple[str, int | None, int | None], ...]) -> str:
    """What a plan does differently: "add x by day 60; drop y; z by day 90 (was 60)"."""
    if not changes:
        return "the same plan"
    parts = []
    for item, was, now in changes:
        if was is None:
            parts.append(f"add {item} by day {now}")
        elif now is None:
            parts.append(f"drop {item}")
        else:
            parts.append(f"{item} by day {now} (was {was})")
    return "; ".join(parts)


def ends_text(q: Question) -> tuple[str, str]:
    """The names of the two ends of an input's range, for "at the low end" sentences."""
    if q.input == "confidence":
        return "if it does not pay off", "if it pays off"
    return "at the low end", "at the high end"
