"""The export's uncertainty sections: "How sure is this plan" (the odds, the items whose place is
uncertain) and "Open questions, by what they are worth" (the top of Verify first).

The export must stay quick and byte-reproducible, so it samples with a fixed seed and re-solves the
plan fewer times than `fulcrum risk` (:data:`PLAN_SAMPLES`, and :data:`FEW_PLAN_SAMPLES` above
:data:`SMALL` open items: a re-solve costs more on a bigger backlog), says so, and skips the analysis
on backlogs of more than :data:`MAX_CANDIDATES` open items (pointing at `fulcrum risk`).
"""

from __future__ import annotations

from fulcrum.output.markdown_escape import md, table
from fulcrum.plan import Plan
from fulcrum.risk import (
    INDEPENDENCE,
    ItemRisk,
    Risk,
    analyse,
    ask,
    change_text,
    ends_text,
    percent,
    range_text,
)
from fulcrum.text import fmt

SAMPLES = 2000
PLAN_SAMPLES = 100
FEW_PLAN_SAMPLES = 20
SMALL = 60
SEED = 0
#: Above this many open items the export leaves the analysis to `fulcrum risk` (each re-solve of
#: 200 candidates takes ~50 ms).
MAX_CANDIDATES = 200
#: Rows of the two tables.
UNCERTAIN_ITEMS = 10
QUESTIONS = 5


def risk_sections(plan: Plan) -> str:
    """Both sections, in Markdown (every user string escaped)."""
    n = len(plan.ranking.ranked)
    if n > MAX_CANDIDATES:
        return (
            "## How sure is this plan\n\n"
            + md(
                f"Not computed in the export for a backlog of {n:,} open items (more than {MAX_CANDIDATES}):"
            )
            + " run `fulcrum risk FILE` for the odds and the open questions."
        )
    plan_samples = PLAN_SAMPLES if n <= SMALL else FEW_PLAN_SAMPLES
    risk = analyse(plan, samples=SAMPLES, plan_samples=plan_samples, seed=SEED)
    return how_sure_section(risk) + "\n\n" + questions_section(risk)


def how_sure_section(risk: Risk) -> str:
    """The odds of the plan, and the items whose place in it is least certain."""
    plan = risk.plan
    cur = plan.ranking.backlog.backlog.currency
    v = risk.value
    lines = [
        "## How sure is this plan",
        "",
        md(f"Sampled {risk.samples:,} times (the plan re-solved on {risk.plan_samples}, seed {risk.seed};")
        + " `fulcrum risk` samples more); "
        + md(INDEPENDENCE + "."),
        "",
        "- " + md(f"The plan finishes by day 90 in {percent(risk.fits)} of samples."),
        "- "
        + md(
            f"First-year value: P10 {fmt.money(v.p10, cur)}, P50 {fmt.money(v.p50, cur)}, "
            f"P90 {fmt.money(v.p90, cur)} (mean {fmt.money(v.mean, cur)}; from expected values "
            f"{fmt.money(plan.objective, cur)})."
        ),
        "- " + md(f"Knowing every number exactly would add {fmt.money(risk.evpi, cur)} on average (EVPI)."),
    ]
    if risk.better:
        lines.append(
            "- "
            + md(
                f"A re-solved plan does better on average (+{fmt.money(risk.better_by, cur)}): "
                + change_text(risk.better)
                + "."
            )
        )
    unsure = [it for it in risk.items if _doubt(it) > 0.05]
    unsure.sort(key=lambda it: (-_doubt(it), it.id))
    if unsure:
        rows = [
            [
                md(it.id),
                md("not planned" if it.planned_phase is None else f"day {it.planned_phase}"),
                md(percent(it.p_in_plan)),
                "" if it.p_on_time is None else md(percent(it.p_on_time)),
                md(f"{int(it.rank.p10)}-{int(it.rank.p90)}"),
                md(f"{fmt.money(it.value.p10, cur)} to {fmt.money(it.value.p90, cur)}"),
            ]
            for it in unsure[:UNCERTAIN_ITEMS]
        ]
        head = ["Item", "In the plan", "P(in plan)", "P(on time)", "Rank P10-P90", "Value P10-P90"]
        lines += ["", "Items whose place is uncertain:", "", table(head, rows)]
    else:
        lines += ["", md("No item's place is in doubt: the plan is the same in (nearly) every sample.")]
    return "\n".join(lines)


def _doubt(it: ItemRisk) -> float:
    """How uncertain an item's place is: the re-solves disagree on it, or it may finish late."""
    return min(it.p_in_plan, 1 - it.p_in_plan) + (0.0 if it.p_on_time is None else 1 - it.p_on_time)


def questions_section(risk: Risk) -> str:
    """The top of Verify first: the numbers worth checking before committing, and whom to ask."""
    b = risk.plan.ranking.backlog
    cur = b.backlog.currency
    shown = [q for q in risk.verify_first if q.evppi > 0][:QUESTIONS]
    lines = ["## Open questions, by what they are worth", ""]
    if not shown:
        lines.append(md("None: no single number, checked, would change the plan."))
        return "\n".join(lines)
    lines.append(md("What checking each number first would add to the plan on average (EVPPI); whom to ask."))
    rows = []
    for q in shown:
        low, high = ends_text(q)
        rows.append(
            [
                md(q.id),
                md(q.input),
                md(range_text(b, q)),
                md(fmt.money(q.evppi, cur)),
                md("; ".join(ask(b, q))),
                md(f"{low}: {change_text(q.at_low)}; {high}: {change_text(q.at_high)}"),
            ]
        )
    lines += ["", table(["Item", "Input", "Range", "Worth", "Ask", "What the plan does"], rows)]
    if risk.better:
        lines += ["", md("What the plan does at each end is said as changes from the re-solved plan above.")]
    return "\n".join(lines)
