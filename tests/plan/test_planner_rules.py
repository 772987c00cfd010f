"""The 30-60-90 planner on hand-made cases: each rule of PRODUCT.md "The 30-60-90 plan" in turn.

The golden case (objective, phases, the early-wins cost, reasons, carry-over), the JSON contract,
determinism, dates, carry-over, earliest phase first, zero capacity, pins beyond capacity (kept and
flagged), overruns eating into later phases, dependencies across phases, enablers worth nothing
themselves, unplanned/dropped/done dependencies, pins, doing items, contradictions, early wins,
zero and negative values, lenses, ties to the better rank, the listening tour and who is not met,
due dates, and start dates at the ends of the calendar.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import tomli_w

from backlogs import HEAD, priced_item
from fulcrum.backlog import Backlog, load_backlog, parse_backlog
from fulcrum.plan import WEIGHTS, Plan, build_plan, phase_end, plan_to_json
from fulcrum.scoring import ScoringError

START = date(2027, 1, 4)
W30, W60, W90 = WEIGHTS


def item(iid: str, value: float, effort: float = 1.0, **kw: Any) -> dict[str, Any]:
    """An item worth ``value`` a year (one metric priced 1, confidence 1)."""
    return {"id": iid, "title": f"Item {iid}", "effort": effort, "impact": {"revenue": value}, **kw}


def backlog(
    items: list[dict[str, Any]],
    capacity: tuple[float, float, float] = (2.0, 2.0, 4.0),
    early_wins: int = 0,
    stakeholders: dict[str, Any] | None = None,
    start: date | None = START,
    metrics: dict[str, Any] | None = None,
) -> Backlog:
    """Quick wins are worth >= 10k with effort <= 4 (feasibility 2 ** (-effort / 4) >= 0.5)."""
    doc: dict[str, Any] = {
        "backlog": {"title": "t"},
        "scoring": {
            "effort_half_life_weeks": 4,
            "coordination_penalty": 0.2,
            "quick_win_min_feasibility": 0.5,
            "quick_win_min_value": 10_000,
        },
        "capacity": dict(zip(("days_30", "days_60", "days_90"), capacity, strict=True)),
        "plan": {"early_wins": early_wins},
        "metrics": {"revenue": {"label": "Revenue", "value_per_unit": 1.0}, **(metrics or {})},
        "stakeholders": stakeholders or {},
        "items": items,
    }
    if start is not None:
        doc["backlog"]["start"] = start
    return parse_backlog(tomli_w.dumps(doc), "test.toml")


def phases(plan: Plan) -> dict[int, list[str]]:
    return {ph.phase: [p.id for p in ph.items] for ph in plan.phases}


def reasons(plan: Plan) -> dict[str, str]:
    return {lt.id: lt.reason for lt in plan.later}


# -- the golden case ---------------------------------------------------------------------------


def test_golden_optimum(golden_toml, golden_json):
    want = golden_json("plan_optimum.json")
    plan = build_plan(load_backlog(golden_toml))
    assert plan.objective == pytest.approx(want["optimum"], rel=1e-12)
    assert plan.optimal and plan.gap == 0
    assert phases(plan) == {30: ["a", "g"], 60: [], 90: ["b"]}
    # b + c would be worth 51,185 but leave the first month without a quick win.
    assert plan.early_wins_required == plan.early_wins_planned == 1
    assert plan.early_wins_cost == pytest.approx((17_500 + 48_000) * W90 + 2_000 * W30 - want["optimum"])
    got = reasons(plan)
    assert got["c"] == "does not fit the remaining capacity: needs 2 wk, 1.5 wk left by day 90"
    assert got["d"] == "does not fit: needs 9 wk, more than the 8 wk of all 90 days"
    assert (got["e"], got["f"]) == ("done", "dropped")
    assert [p.used for p in plan.phases] == [1.5, 0.0, 5.0]
    assert [p.available for p in plan.phases] == [2.0, 2.5, 6.5]


def test_golden_json_contract(golden_toml):
    out = plan_to_json(build_plan(load_backlog(golden_toml)))
    json.dumps(out)  # serialisable as is
    assert [(p["phase"], p["end"], p["capacity"], p["used"], p["items"]) for p in out["phases"]] == [
        (30, "2027-02-02", 2.0, 1.5, ["a", "g"]),
        (60, "2027-03-04", 2.0, 0.0, []),
        (90, "2027-04-03", 4.0, 5.0, ["b"]),
    ]
    assert [x["id"] for x in out["later"]] == ["c", "d", "e", "f"]
    assert all(set(x) == {"id", "reason"} for x in out["later"])
    assert out["listening_tour"][0] == {
        "stakeholder": "cfo",
        "name": "C",
        "role": "CFO",
        "influence": 5,
        "met": None,
        "met_in_first_phase": False,
    }


def test_same_input_same_plan(golden_toml):
    b = load_backlog(golden_toml)
    assert plan_to_json(build_plan(b)) == plan_to_json(build_plan(b))


# -- dates ---------------------------------------------------------------------------------------


def test_phase_ends_count_start_as_day_one():
    assert phase_end(START, 30) == date(2027, 2, 2)
    assert (phase_end(START, 60) - START).days == 59
    assert (phase_end(START, 90) - START).days == 89


def test_start_argument_overrides_the_file_and_today_is_the_default():
    b = backlog([item("a", 1000)])
    assert build_plan(b, start=date(2030, 3, 1)).phases[0].end == date(2030, 3, 30)
    before = date.today()
    plan = build_plan(backlog([item("a", 1000)], start=None))
    assert before <= plan.start <= date.today()


# -- capacity ------------------------------------------------------------------------------------


def test_unused_capacity_carries_over():
    # 1 + 1 week by day 60: a 2-week item fits there, not in the first phase alone.
    plan = build_plan(backlog([item("big", 50_000, 2)], capacity=(1, 1, 0)))
    assert phases(plan) == {30: [], 60: ["big"], 90: []}
    assert [p.available for p in plan.phases] == [1.0, 2.0, 0.0]


def test_value_goes_to_the_earliest_phase_that_fits():
    # Both fit by day 90, but only one in each earlier phase: the better one goes first.
    plan = build_plan(backlog([item("x", 30_000, 2), item("y", 60_000, 2)], capacity=(2, 2, 0)))
    assert phases(plan) == {30: ["y"], 60: ["x"], 90: []}
    assert plan.objective == pytest.approx(60_000 * W30 + 30_000 * W60)


def test_zero_capacity_plans_nothing_and_says_why():
    plan = build_plan(backlog([item("a", 50_000, 1), item("b", 20_000, 3)], capacity=(0, 0, 0), early_wins=1))
    assert phases(plan) == {30: [], 60: [], 90: []}
    assert plan.objective == 0
    assert reasons(plan)["a"] == "does not fit: needs 1 wk, more than the 0 wk of all 90 days"
    assert (plan.early_wins_possible, plan.early_wins_planned, plan.early_wins_cost) == (0, 0, 0)


def test_pins_beyond_capacity_are_kept_and_reported():
    b = backlog([item("pinned", 5_000, 3, phase=30), item("other", 90_000, 1)], capacity=(1, 1, 1))
    plan = build_plan(b)
    assert phases(plan)[30] == ["pinned"]
    first = plan.phases[0]
    assert first.over_capacity and (first.used, first.available) == (3.0, 1.0)
    assert any("day 30 is over capacity" in w for w in plan.warnings)
    # The pinned work already uses all 3 weeks of the 90 days.
    assert reasons(plan)["other"] == "does not fit the remaining capacity: needs 1 wk, 0 wk left by day 90"


def test_overrun_eats_into_the_next_phases():
    b = backlog([item("doing", 1_000, 2, status="doing"), item("next", 40_000, 2)], capacity=(1, 2, 1))
    plan = build_plan(b)
    # 2 weeks used by day 30 out of 3 by day 60: "next" (2 weeks) only fits by day 90.
    assert phases(plan) == {30: ["doing"], 60: [], 90: ["next"]}
    assert [p.available for p in plan.phases] == [1.0, 1.0, 2.0]


# -- dependencies --------------------------------------------------------------------------------


def test_dependency_comes_in_the_same_or_an_earlier_phase():
    # "enabler" alone fits by day 60 only; "payoff" needs it and so waits for phase 90.
    items = [item("enabler", 1_000, 2), item("payoff", 100_000, 1, depends_on=["enabler"])]
    plan = build_plan(backlog(items, capacity=(1, 1, 1)))
    assert phases(plan) == {30: [], 60: ["enabler"], 90: ["payoff"]}


def test_worthless_dependency_is_planned_for_what_it_unlocks():
    items = [item("setup", -2_000, 1), item("payoff", 50_000, 1, depends_on=["setup"])]
    plan = build_plan(backlog(items))
    assert phases(plan)[30] == ["setup", "payoff"]  # dependencies first: the order the work is done
    assert plan.objective == pytest.approx((50_000 - 2_000) * W30)


def test_unplanned_dependency_blocks_with_its_name():
    items = [item("huge", 1_000, 50), item("small", 50_000, 1, depends_on=["huge"])]
    got = reasons(build_plan(backlog(items)))
    assert got["huge"].startswith("does not fit")
    assert got["small"] == "waits for huge, which is not planned"


def test_dropped_dependency_blocks_and_done_one_is_met():
    items = [
        item("gone", 1_000, status="dropped"),
        item("finished", 1_000, status="done"),
        item("blocked", 50_000, depends_on=["gone"]),
        item("free", 40_000, depends_on=["finished"]),
    ]
    plan = build_plan(backlog(items))
    assert phases(plan)[30] == ["free"]
    assert reasons(plan)["blocked"] == "waits for gone, which is dropped"


# -- pins and doing ------------------------------------------------------------------------------


def test_pin_holds_even_when_earlier_would_be_worth_more():
    plan = build_plan(backlog([item("later", 80_000, 1, phase=90), item("now", 10_000, 1)]))
    assert phases(plan) == {30: ["now"], 60: [], 90: ["later"]}
    assert plan.planned[1].pinned and not plan.planned[0].pinned


def test_doing_items_are_planned_first_even_with_no_value():
    items = [item("wip", -5_000, 1, status="doing"), item("parked", -1, 1, status="doing", phase=60)]
    plan = build_plan(backlog(items))
    assert phases(plan) == {30: ["wip"], 60: ["parked"], 90: []}


def test_pinned_work_pulls_in_its_dependency_by_its_phase():
    items = [item("base", 0, 1), item("top", 20_000, 1, depends_on=["base"], phase=60)]
    plan = build_plan(backlog(items, capacity=(0, 2, 0)))
    assert phases(plan) == {30: [], 60: ["base", "top"], 90: []}


def test_contradicting_pins_are_kept_and_reported():
    items = [
        item("late", 1_000, 1, phase=90),
        item("early", 20_000, 1, depends_on=["late"], phase=30),
        item("gone", 1_000, status="dropped"),
        item("wip", 5_000, 1, status="doing", depends_on=["gone"]),
    ]
    plan = build_plan(backlog(items, capacity=(3, 0, 1)))
    assert phases(plan) == {30: ["early", "wip"], 60: [], 90: ["late"]}
    assert "early is pinned to day 30 but depends on late, which is pinned to day 90" in plan.warnings
    assert "wip is in progress but depends on gone, which is dropped" in plan.warnings


# -- early wins ----------------------------------------------------------------------------------


def bet_and_win(early_wins: int) -> Plan:
    # Room for one of them in the first phase; "bet" needs two teams, so it is a big bet.
    items = [item("bet", 100_000, 2, needs=["sre", "data"]), item("win", 40_000, 2)]
    return build_plan(backlog(items, capacity=(2, 0, 0), early_wins=early_wins))


def test_early_wins_rule_and_its_cost():
    free = bet_and_win(0)
    assert phases(free)[30] == ["bet"]
    assert (free.early_wins_required, free.early_wins_cost) == (0, 0)
    ruled = bet_and_win(1)
    assert phases(ruled)[30] == ["win"]
    assert ruled.planned[0].quick_win
    assert ruled.early_wins_planned == ruled.early_wins_possible == 1
    assert ruled.early_wins_cost == pytest.approx((100_000 - 40_000) * W30)


def test_early_wins_as_many_as_fit():
    items = [item(f"w{i}", 20_000 + i, 1) for i in range(3)]
    plan = build_plan(backlog(items, capacity=(2, 0, 5), early_wins=3))
    assert plan.early_wins_possible == plan.early_wins_planned == 2
    assert len(phases(plan)[30]) == 2


def test_doing_quick_wins_do_not_count():
    items = [
        item("wip", 30_000, 1, status="doing"),
        item("bet", 100_000, 1, needs=["a", "b", "c", "d"]),
        item("win", 15_000, 1),
    ]
    plan = build_plan(backlog(items, capacity=(2, 1, 0), early_wins=1))
    assert phases(plan)[30] == ["wip", "win"]
    assert plan.early_wins_planned == 1
    assert plan.early_wins_cost == pytest.approx((100_000 - 15_000) * (W30 - W60))


def test_pinned_quick_win_counts():
    items = [item("bet", 100_000, 1, needs=["a", "b", "c", "d"]), item("win", 15_000, 1, phase=30)]
    plan = build_plan(backlog(items, capacity=(2, 0, 0), early_wins=1))
    assert phases(plan)[30] == ["bet", "win"]
    assert (plan.early_wins_planned, plan.early_wins_cost) == (1, 0)


# -- value -------------------------------------------------------------------------------------


def test_zero_and_negative_values_are_not_planned():
    items = [item("nothing", 0, 1), item("harm", -3_000, 1), item("good", 1_000, 1)]
    plan = build_plan(backlog(items, capacity=(5, 5, 5)))
    assert phases(plan)[30] == ["good"]
    got = reasons(plan)
    assert got["nothing"] == "zero value ($0/yr): not worth doing for itself"
    assert got["harm"] == "negative value (-$3k/yr): not worth doing for itself"


def test_lens_changes_the_values():
    people = {"cfo": {"name": "Dana", "cares_about": ["cost"]}}
    cost = {"cost": {"label": "Cost", "value_per_unit": -1.0}}
    cut = {"id": "cut", "title": "Cut", "effort": 1, "impact": {"cost": -5_000}}
    b = backlog([item("a", 1_000), cut], stakeholders=people, metrics=cost)
    assert phases(build_plan(b))[30] == ["cut", "a"]
    plan = build_plan(b, lens="cfo")
    assert plan.ranking.lens == "cfo"
    assert phases(plan)[30] == ["cut"]
    assert reasons(plan)["a"].startswith("zero value")
    with pytest.raises(ScoringError):
        build_plan(b, lens="nobody")


def test_ties_go_to_the_better_rank():
    # Identical items, room for one: rank breaks the tie (by id when the scores are equal).
    items = [item("twin-b", 20_000, 2), item("twin-a", 20_000, 2)]
    plan = build_plan(backlog(items, capacity=(2, 0, 0)))
    assert phases(plan)[30] == ["twin-a"]
    assert reasons(plan)["twin-b"].startswith("does not fit")


# -- listening tour, stakeholders, due dates -----------------------------------------------------


PEOPLE = {
    "zed": {"name": "Zed", "influence": 5, "met": date(2027, 1, 10)},
    "amy": {"name": "Amy", "role": "PM", "influence": 3},
    "bob": {"name": "Bob", "influence": 5, "met": date(2027, 2, 20)},
    "ann": {"name": "Amy", "influence": 3, "met": date(2026, 12, 1)},
}


def test_listening_tour_order_and_who_is_not_met():
    plan = build_plan(backlog([item("a", 1_000)], stakeholders=PEOPLE))
    assert [s.key for s in plan.listening_tour] == ["bob", "zed", "amy", "ann"]
    assert [s.key for s in plan.not_met] == ["bob", "amy"]
    bob = plan.listening_tour[0]
    assert bob.met == date(2027, 2, 20) and not bob.met_in_first_phase


def test_items_for_people_not_met_by_their_phase_are_marked():
    items = [
        item("for-bob", 40_000, 1, requested_by=["bob", "zed"]),
        item("for-amy", 30_000, 2, requested_by=["amy", "ann"], phase=90),
        item("for-bob-later", 20_000, 1, requested_by=["bob"], phase=60),
    ]
    plan = build_plan(backlog(items, stakeholders=PEOPLE))
    marks = {p.id: p.unmet_stakeholders for p in plan.planned}
    # Bob is met on day 48: after phase 30, before the end of phase 60.
    assert marks == {"for-bob": ["bob"], "for-amy": ["amy"], "for-bob-later": []}


def test_due_dates():
    items = [
        item("none", 50_000, 1),
        item("inside", 40_000, 1, due=date(2027, 1, 20)),
        item("relaxed", 30_000, 1, due=date(2027, 6, 1)),
        item("too-early", 20_000, 1, phase=60, due=date(2027, 1, 30)),
        item("overdue", 10_000, 1, due=date(2026, 12, 1)),
    ]
    plan = build_plan(backlog(items, capacity=(4, 1, 0)))
    by = {p.id: p for p in plan.planned}
    end30 = date(2027, 2, 2)
    assert (by["none"].due, by["none"].due_flag) == (end30, None)
    assert (by["inside"].due, by["inside"].due_flag) == (date(2027, 1, 20), None)
    assert (by["relaxed"].due, by["relaxed"].due_flag) == (end30, None)
    assert by["too-early"].due == date(2027, 1, 30)
    assert by["too-early"].due_flag == "its own due date 2027-01-30 is before this phase starts (2027-02-03)"
    assert by["overdue"].due_flag == "its own due date 2026-12-01 is before the plan starts"


# --- start dates near the ends of the calendar ----------------------------------------------------


def test_the_ends_of_the_date_range_are_accepted_and_plan() -> None:
    text = (
        HEAD.replace('title = "T"', 'title = "T"\nstart = 9000-12-31')
        + "met = 1900-01-01\n"
        + priced_item("a", "due = 9000-12-31")
    )
    b = parse_backlog(text)
    plan = build_plan(b)
    assert plan.start == date(9000, 12, 31) and plan.phases[-1].end == date(9001, 3, 30)
    assert build_plan(b, start=date(1900, 1, 1)).start == date(1900, 1, 1)


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(9000, 1, 1).replace(year=9001), date(1, 1, 1)])
def test_build_plan_refuses_a_start_outside_the_range(start: date) -> None:
    b = parse_backlog(HEAD + priced_item())
    with pytest.raises(ScoringError, match="between 1900 and 9000"):
        build_plan(b, start=start)
