"""The plan as GitHub-flavoured Markdown: what I am working on and why, who does what by when,
what I am not doing and why, and every assumption behind the numbers.

:func:`render_markdown` is deterministic: the same backlog, lens and start date give the same bytes
(nothing is read from the clock here; the date shown is the plan's start), so the export diffs well
in git. Every user string goes through :func:`fulcrum.output.markdown_escape.md`, and our own numbers too.
"""

from __future__ import annotations

from datetime import date

from fulcrum.backlog import Backlog
from fulcrum.output.markdown_escape import code_block, md, table
from fulcrum.output.markdown_plan import as_of_line, plan_section
from fulcrum.output.markdown_risk import risk_sections
from fulcrum.output.mermaid import quadrant_chart
from fulcrum.output.summary import summary_paragraph, value_headline
from fulcrum.plan import Plan, build_plan
from fulcrum.scoring import (
    EVERYONE,
    METHOD_FORMULAS,
    QUADRANT_LABELS,
    Ranking,
    Scored,
    explain_item,
    rank_in_every_lens,
    review,
)
from fulcrum.text import fmt


def render_markdown(
    backlog: Backlog,
    lens: str | None = None,
    *,
    start: date | None = None,
    today: date | None = None,
    internal: bool = False,
) -> str:
    """The whole plan as Markdown text ending in one newline.

    ``lens`` is a stakeholder key (None: everyone); ``start`` overrides ``[backlog] start``;
    ``today``: the plan as of that date (None: as of day 1). The plan is public (for stakeholders)
    unless ``internal``, which adds the author's notes: estimate accuracy, what to fix in the backlog,
    stakeholders not met yet, influence, and the review's open questions. Raises
    :class:`fulcrum.scoring.ScoringError` for an unknown lens or a method the items cannot use.
    """
    plan = build_plan(backlog, lens=lens, start=start, today=today)
    ranking = plan.ranking
    sections = [
        _title_block(backlog, ranking, plan.start) + as_of_line(plan),
        summary_paragraph(plan) + "\n\n" + value_headline(plan),
        plan_section(plan, internal),
        _ranked_section(ranking),
        _chart_section(ranking),
        _not_doing_section(plan),
        risk_sections(plan),
        _calculation_section(plan),
        _assumptions_section(backlog, ranking, internal),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _money(backlog: Backlog, x: float) -> str:
    return md(fmt.money(x, backlog.backlog.currency))


def _who(backlog: Backlog, keys: list[str]) -> str:
    """Requesters by name and role, escaped."""
    names = []
    for k in keys:
        person = backlog.stakeholders.get(k)
        if person is None:
            names.append(k)
        else:
            names.append(f"{person.name} ({person.role})" if person.role else person.name)
    return md(", ".join(names))


def _lens_words(backlog: Backlog, lens: str) -> str:
    if lens == EVERYONE:
        return "everyone: every metric weighs 1"
    person = backlog.stakeholders[lens]
    weights = ", ".join(f"{k} x{w:g}" for k, w in person.weights.items()) or "no metric"
    who = f"{person.name} ({person.role})" if person.role else person.name
    return f"{lens}, {who}: {weights}"


def _method_words(ranking: Ranking) -> str:
    if ranking.method == "formula":
        return f"formula: score = {ranking.formula}"
    return f"{ranking.method.replace('_', ' ')}: score = {METHOD_FORMULAS[ranking.method]}"


def _title_block(backlog: Backlog, ranking: Ranking, start: date) -> str:
    meta = backlog.backlog
    lines = [f"# {md(meta.title) or 'Plan'}", ""]
    if meta.owner:
        lines.append(f"- **Owner:** {md(meta.owner)}")
    lines += [
        f"- **Date:** {start.isoformat()} (day 1 of the 30-60-90 plan)",
        f"- **Lens:** {md(_lens_words(backlog, ranking.lens))}",
        *(
            [f"- **Note:** {md(ranking.no_price_note)}: every item is worth 0"]
            if ranking.no_price_note
            else []
        ),
        f"- **Scoring:** {md(_method_words(ranking))}",
        f"- **Value:** {md(meta.currency)} per year = confidence x sum over metrics of expected change"
        " x price x lens weight (expected = PERT mean (low + 4 x likely + high) / 6)",
        "- **Feasibility:** 2 ^ (-effort / effort half-life) x (1 - coordination penalty) ^"
        " (teams needed + unfinished dependencies)",
    ]
    return "\n".join(lines)


# -- ranked backlog and chart ---------------------------------------------------------------------


def _score(s: Scored) -> str:
    return "n/a" if s.score is None else md(fmt.number(s.score))


def _ranked_section(ranking: Ranking) -> str:
    b = ranking.backlog
    out = ["## Ranked backlog", ""]
    if not ranking.ranked:
        return "\n".join([*out, "No open items."])
    cur = b.backlog.currency
    who: dict[tuple[str, ...], str] = {}  # requesters repeat: each list of them is written once
    rows = []
    for s in ranking.ranked:
        keys = tuple(s.item.requested_by)
        if (asked := who.get(keys)) is None:
            asked = who[keys] = _who(b, s.item.requested_by)
        rows.append(
            [
                str(s.rank),
                md(s.item.title),
                QUADRANT_LABELS[s.quadrant],
                md(fmt.money(s.value, cur)),
                md(fmt.weeks(s.effort)),
                fmt.ratio(s.feasibility),
                _score(s),
                asked,
            ]
        )
    header = ["Rank", "Title", "Quadrant", "Value/yr", "Effort", "Feasibility", "Score", "Requested by"]
    out.append(table(header, rows, ["r", "l", "l", "r", "r", "r", "r", "l"]))
    return "\n".join(out)


def _chart_section(ranking: Ranking) -> str:
    b = ranking.backlog
    vt = _money(b, ranking.value_threshold)
    source = "the median of the ranked items" if b.scoring.quick_win_min_value == "median" else "set"
    return "\n".join(
        [
            "## Impact vs feasibility",
            "",
            f"Quick wins have a value of at least {vt}/yr ({source}) and a feasibility of at least"
            f" {fmt.ratio(ranking.feasibility_threshold)}. Each axis is split at its threshold, so every"
            " item sits in its quadrant; value is on a log scale. Points are labelled with their rank.",
            "",
            "```mermaid",
            quadrant_chart(ranking),
            "```",
        ]
    )


# -- not doing, and why ----------------------------------------------------------------------------


def _not_doing_section(plan: Plan) -> str:
    rows: list[list[str]] = []
    done: list[str] = []
    # The planner lists open items first (best rank first), then done and dropped ones in file order.
    for later in plan.later:
        it = later.item
        if it.status == "done":
            done.append(it.title)
        elif it.status in ("dropped", "deferred"):
            rows.append([md(it.title), it.status, md(it.decision) or "no reason written down"])
        else:
            why = md(_sentence(later.reason))
            if it.decision:
                why += " Decision: " + md(it.decision)
            rows.append([md(it.title), "later", why])
    out = ["## Not doing now, and why", ""]
    if rows:
        out.append(table(["Item", "Status", "Why"], rows))
    else:
        out.append("Everything open is in the plan.")
    if done:
        out += ["", "Already done: " + md(", ".join(done), br=" ") + "."]
    return "\n".join(out)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


# -- the calculation behind each planned item ----------------------------------------------------


def _calculation_section(plan: Plan) -> str:
    planned = [p for phase in plan.phases for p in phase.items]
    if not planned:
        return ""
    lens_rankings = rank_in_every_lens(plan.ranking)
    out = ["## Show me the calculation", ""]
    out.append("The whole arithmetic behind each planned item, as `fulcrum explain` prints it.")
    for p in planned:
        ex = explain_item(plan.ranking, p.scored.id, lens_rankings)
        out += ["", f"### {md(p.scored.item.title)}", "", code_block("\n".join(ex.lines()))]
    return "\n".join(out)


# -- assumptions -----------------------------------------------------------------------------------


def _plain(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}"


def _assumptions_section(backlog: Backlog, ranking: Ranking, internal: bool = False) -> str:
    cur = backlog.backlog.currency
    out = ["## Assumptions", "", "### Metrics and their prices", ""]
    if backlog.metrics:
        rows = []
        for key, mt in backlog.metrics.items():
            price = (
                "not priced: counts 0"
                if mt.value_per_unit is None
                else md(f"{_plain(mt.value_per_unit)} {cur}/yr per unit")
            )
            base = "" if mt.baseline is None else md(_plain(mt.baseline))
            drives = md(", ".join(f"{k} x {_plain(v)}" for k, v in mt.drives.items()))
            rows.append(
                [
                    md(f"{mt.label} ({key})"),
                    md(mt.unit),
                    price,
                    base,
                    drives,
                    md(mt.source) or "**no source given**",
                ]
            )
        heads = ["Metric", "Unit", "Price", "Baseline", "Also moves", "Source"]
        out.append(table(heads, rows, ["l", "l", "r", "r", "l", "l"]))
    else:
        out.append("No metrics: every item is worth 0.")
    out += ["", "### Scoring and planning parameters", "", _parameters_table(backlog, ranking)]
    if internal:  # the review's warnings are the author's to-do list
        out += ["", "### Open questions", "", _open_questions(backlog)]
    return "\n".join(out)


def _parameters_table(backlog: Backlog, ranking: Ranking) -> str:
    s, c = backlog.scoring, backlog.capacity
    m = lambda x: _money(backlog, x)  # noqa: E731
    vt = m(ranking.value_threshold)
    min_value = f"median of ranked values = {vt}" if s.quick_win_min_value == "median" else vt
    review_min = (
        "the top quarter of item values" if backlog.review.min_value is None else m(backlog.review.min_value)
    )
    rows = [
        ["Scoring method", md(_method_words(ranking))],
        ["Lens", md(_lens_words(backlog, ranking.lens))],
        ["Effort half-life", md(f"{s.effort_half_life_weeks:g} person-weeks (feasibility halves)")],
        ["Coordination penalty", md(f"{s.coordination_penalty:g} per team needed or unfinished dependency")],
        ["Quick win: minimum feasibility", fmt.ratio(s.quick_win_min_feasibility)],
        ["Quick win: minimum value per year", min_value],
        ["Evidence needed above", review_min],
        [
            "Capacity, days 1-30 / 31-60 / 61-90",
            md(f"{c.days_30:g} / {c.days_60:g} / {c.days_90:g} person-weeks"),
        ],
        ["Early wins required in days 1-30", str(backlog.plan.early_wins)],
    ]
    return table(["Parameter", "Value"], rows)


def _open_questions(backlog: Backlog) -> str:
    warnings = review(backlog)
    if not warnings:
        return "None: every number the review checks has a source."
    rows = []
    for w in warnings:
        title = ""
        if w.item:
            try:
                title = backlog.item(w.item).title
            except KeyError:
                title = w.item
        rows.append([md(title), md(w.field), md(w.message)])
    return table(["Item", "Field", "Question"], rows)
