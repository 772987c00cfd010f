"""Deadlines (PRODUCT.md "The 30-60-90 plan"): an item due within the plan is planned by the phase
that holds its due date when it can be; the plan meets as many deadlines as it can before early
wins and value, lists each one it misses with the reason, and says what each pin costs."""

from __future__ import annotations

import json
from datetime import date

from backlogs import HEAD, item, write
from fulcrum.backlog import parse_backlog
from fulcrum.plan import WEIGHTS, build_plan

START = date(2026, 12, 1)  # day 30 is 2026-12-30, day 60 2027-01-29, day 90 2027-02-28
TOO_BIG = "planned by day 60: it cannot be done by day 30: it needs 2 wk, and 1 wk are free by then"
CAPACITY = "\n[capacity]\ndays_30 = 1\ndays_60 = 1\ndays_90 = 1\n\n[plan]\nearly_wins = 0\n"


def value(n: int) -> str:
    return f"impact = {{ revenue = {n} }}"


def plan_of(*items: str):
    return build_plan(parse_backlog(HEAD + CAPACITY + "".join(items), "b.toml"), start=START)


def phases(plan) -> dict[int, list[str]]:
    return {ph.phase: [p.id for p in ph.items] for ph in plan.phases}


def test_a_deadline_comes_before_value() -> None:
    plan = plan_of(item("due", value(10_000) + "\ndue = 2026-12-20"), item("rich", value(50_000)))
    assert phases(plan) == {30: ["due"], 60: ["rich"], 90: []}
    assert plan.deadlines_missed == []


def test_the_last_day_of_a_phase_is_in_it() -> None:
    plan = plan_of(item("due", value(10_000) + "\ndue = 2027-01-29"), item("rich", value(50_000)))
    assert phases(plan) == {30: ["rich"], 60: ["due"], 90: []}


def test_an_overdue_item_is_due_in_the_first_phase() -> None:
    plan = plan_of(item("late", value(10_000) + "\ndue = 2026-11-01"), item("rich", value(50_000)))
    assert phases(plan)[30] == ["late"]


def test_a_deadline_that_cannot_be_met_is_listed_with_the_reason() -> None:
    plan = plan_of(item("big", value(90_000) + "\ndue = 2026-12-20", effort="2"), item("small", value(1)))
    (missed,) = plan.deadlines_missed
    assert (missed.id, missed.due) == ("big", date(2026, 12, 20))
    assert (
        missed.reason
        == "planned by day 60: it cannot be done by day 30: it needs 2 wk, and 1 wk are free by then"
    )
    assert phases(plan)[60] == ["big"]


def test_two_small_deadlines_beat_one_big_one() -> None:
    plan = plan_of(
        item("one", value(1_000) + "\ndue = 2027-01-29"),
        item("two", value(1_000) + "\ndue = 2027-01-29"),
        item("big", value(100_000) + "\ndue = 2027-01-29", effort="2"),
    )
    assert [m.id for m in plan.deadlines_missed] == ["big"]
    assert sorted(phases(plan)[30] + phases(plan)[60]) == ["one", "two"]


def test_what_a_pin_costs() -> None:
    plan = plan_of(item("pinned", value(36_500) + "\nphase = 90"))
    (cost,) = plan.pin_costs
    assert (cost.item.id, cost.phase) == ("pinned", 90)
    assert abs(cost.cost - 36_500 * (WEIGHTS[0] - WEIGHTS[2])) < 1e-6


def test_plan_json_reports_deadlines_missed_optimal_and_gap(cli, tmp_path) -> None:
    text = HEAD + CAPACITY + item("big", value(90_000) + "\ndue = 2026-12-20", effort="2")
    code, out, _ = cli("plan", write(tmp_path, text), "--format", "json", "--start", START.isoformat())
    assert code == 0
    data = json.loads(out)
    assert data["deadlines_missed"] == [
        {
            "id": "big",
            "due": "2026-12-20",
            "reason": TOO_BIG,
        }
    ]
    assert data["optimal"] is True and data["gap"] == 0.0
