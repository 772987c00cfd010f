"""`status = "deferred"`: still ranked (you see where it would land), never planned, listed under
"Not doing now, and why" with its decision; what depends on it waits for it."""

from __future__ import annotations

from datetime import date

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.output import render_markdown
from fulcrum.plan import build_plan
from fulcrum.scoring import score_backlog

VALUE = "impact = { revenue = %d000 }"
TEXT = (
    HEAD
    + "\n[capacity]\ndays_30 = 5\ndays_60 = 5\ndays_90 = 5\n"
    + item("a", 'status = "deferred"\ndecision = "2026-12-09: after the audit"\nphase = 30\n' + VALUE % 3)
    + item("b", 'depends_on = ["a"]\n' + VALUE % 2)
    + item("c", VALUE % 1)
)


def test_a_deferred_item_is_ranked_but_never_planned_even_when_pinned() -> None:
    b = parse_backlog(TEXT, "b.toml")
    assert [s.id for s in score_backlog(b).ranked] == ["a", "b", "c"]
    plan = build_plan(b, start=date(2026, 12, 1))
    planned = {p.scored.id for ph in plan.phases for p in ph.items}
    assert planned == {"c"}
    reasons = {later.item.id: later.reason for later in plan.later}
    assert reasons["a"] == "deferred"
    assert reasons["b"] == "waits for a, which is deferred"


def test_the_export_lists_a_deferred_item_with_its_decision() -> None:
    md = render_markdown(parse_backlog(TEXT, "b.toml"), start=date(2026, 12, 1))
    section = md.split("## Not doing now, and why", 1)[1].split("\n## ", 1)[0]
    assert "| Item a | deferred | 2026-12-09: after the audit |" in section
