"""Reviewed defects of the core: infinite scores, calendar overflow, number formatting, shadowed
formula names, feasibility underflow and the order of `check`'s warnings."""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import date
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from backlogs import HEAD
from fulcrum.backlog import FORMULA_BUILTINS, Backlog, Item
from fulcrum.backlog.load import BacklogError, Problem, parse_backlog
from fulcrum.plan.build import build_plan
from fulcrum.scoring.rank import (
    MIN_FEASIBILITY,
    ScoringError,
    _scores,
    feasibility,
    item_value,
    lens_weights,
    score_backlog,
)
from fulcrum.text import numbers as fmt


def item(iid: str = "a", extra: str = "", effort: str = "1") -> str:
    head = f'\n[[items]]\nid = "{iid}"\ntitle = "Item {iid}"\n'
    return head + f'requested_by = ["cfo"]\neffort = {effort}\nimpact = {{ revenue = 1000 }}\n{extra}\n'


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


def problems(text: str) -> list[Problem]:
    with pytest.raises(BacklogError) as err:
        parse_backlog(text, "b.toml")
    return err.value.problems


def one_problem(text: str, field: str) -> Problem:
    (p,) = [p for p in problems(text) if p.field == field]
    return p


def write(tmp_path: Any, text: str) -> str:
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- 1. infinite scores ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("effort", "needle"),
    [
        ("5e-324", "effort = 5e-324"),
        ("1e-300", "effort = 1e-300"),
        ("0.009", "effort = 0.009"),
        ("{ low = 0.001, likely = 1, high = 2 }", "effort = {"),
    ],
)
def test_an_effort_under_a_hundredth_of_a_week_is_a_located_error(effort: str, needle: str) -> None:
    text = HEAD + item("a", effort=effort)
    p = one_problem(text, "items[0].effort")
    assert p.item == "a" and p.line == line_of(text, needle)
    assert "at least 0.01" in p.message and "25 minutes" in p.message


def test_the_smallest_effort_and_half_life_are_accepted() -> None:
    text = HEAD + item("a", effort="0.01") + "\n[scoring]\neffort_half_life_weeks = 0.01\n"
    b = parse_backlog(text)
    assert b.items[0].effort.low == 0.01 and b.scoring.effort_half_life_weeks == 0.01


def test_a_half_life_under_a_hundredth_of_a_week_is_a_located_error() -> None:
    text = HEAD + item("a") + "\n[scoring]\neffort_half_life_weeks = 1e-300\n"
    p = one_problem(text, "scoring.effort_half_life_weeks")
    assert p.line == line_of(text, "effort_half_life_weeks") and "0.01" in p.message


def test_the_cli_names_a_tiny_effort_instead_of_crashing(cli, tmp_path) -> None:
    path = write(tmp_path, HEAD.replace("1.0", "1e9") + item("a", effort="1e-300"))
    code, out, err = cli("rank", path, "--format", "json")
    assert code == 2 and out == ""
    assert "item 'a'" in err and "items[0].effort" in err and "Traceback" not in err


def _raw_item(**fields: float) -> Item:
    # Bypasses validation: the scores' guard must hold whatever reaches it.
    return Item.model_construct(id="x", title="x", confidence=1.0, fields=fields, impact={})


@pytest.mark.parametrize(
    ("method", "row"),
    [
        ("value_density", (_raw_item(), 1e308, 1e-10, 1.0)),
        ("rice", (_raw_item(reach=1e200, impact=1e200), 0.0, 1.0, 1.0)),
        ("ice", (_raw_item(impact=1e200, ease=1e200), 0.0, 1.0, 1.0)),
        (
            "wsjf",
            (_raw_item(business_value=1e308, time_criticality=1e308, risk_reduction=0, job_size=1), 0, 1, 1),
        ),
    ],
)
def test_a_score_that_overflows_is_n_a_with_the_reason_for_every_method(method: str, row: Any) -> None:
    b = Backlog.model_validate({"backlog": {"title": "t"}})
    ((score, why),) = _scores(b, method, None, [row])
    assert score is None
    assert why is not None and "overflows" in why and method in why


def test_an_overflowing_wsjf_score_is_n_a_and_sorted_last_and_json_survives(cli, tmp_path) -> None:
    fields = (
        "fields = {{ business_value = 1e15, time_criticality = 1e15, risk_reduction = 1e15, job_size = {} }}"
    )
    text = HEAD + item("a", fields.format("1e-300")) + item("b", fields.format("1"))
    ranking = score_backlog(parse_backlog(text), method="wsjf")
    assert [s.id for s in ranking.ranked] == ["b", "a"]
    last = ranking.ranked[-1]
    assert last.score is None and last.score_error is not None and "overflows" in last.score_error
    path = write(tmp_path, text)
    code, out, err = cli("rank", path, "--method", "wsjf", "--format", "json")
    assert code == 0, err
    by_id = {r["id"]: r for r in json.loads(out)}
    assert by_id["a"]["score"] is None and "overflows" in by_id["a"]["score_error"]
    code, out, _ = cli("rank", path, "--method", "wsjf")
    assert code == 0 and "n/a" in out
    assert not re.search(r"(?<![a-z])inf(?![a-z])", out)  # "infinity" in the reason is fine


def _extreme_toml() -> str:
    """The largest magnitudes the format allows, every one at once (20 metrics, weight 1000)."""
    keys = [f"m{k}" for k in range(20)]
    metrics = "".join(f'[metrics.{k}]\nlabel = "M"\nvalue_per_unit = 1e9\n' for k in keys)
    weights = ", ".join(f"{k} = 1000" for k in keys)
    fields = (
        "fields = { reach = 1e15, impact = 1e15, ease = 1e15, business_value = 1e15, "
        "time_criticality = 1e15, risk_reduction = 1e15, job_size = 0.01 }\n"
    )

    def one(iid: str, effort: str, delta: str) -> str:
        impact = ", ".join(f"{k} = {delta}" for k in keys)
        return (
            f'[[items]]\nid = "{iid}"\ntitle = "{iid}"\neffort = {effort}\nimpact = {{ {impact} }}\n{fields}'
        )

    return (
        '[backlog]\ntitle = "t"\n[scoring]\neffort_half_life_weeks = 0.01\n'
        + metrics
        + f'[stakeholders.max]\nname = "M"\ncares_about = {{ {weights} }}\n'
        + one("big", "0.01", "1e15")
        + one("neg", "{ low = 0.01, likely = 0.01, high = 10000 }", "-1e15")
    )


@pytest.mark.parametrize("method", ["value_density", "rice", "ice", "wsjf"])
def test_the_largest_allowed_magnitudes_give_finite_json_serialisable_numbers(
    cli, tmp_path, method: str
) -> None:
    b = parse_backlog(_extreme_toml())
    assert item_value(b, b.items[0], lens_weights(b, "max")) == pytest.approx(20 * 1e15 * 1e9 * 1000)
    ranking = score_backlog(b, lens="max", method=method)
    for s in ranking.ranked:
        assert s.score is not None and s.score_error is None
        numbers = [s.value, s.effort, s.feasibility, s.score]
        assert all(math.isfinite(x) for x in numbers)
        assert 0 < s.feasibility <= 1
    code, out, err = cli(
        "rank", write(tmp_path, _extreme_toml()), "--lens", "max", "--method", method, "--format", "json"
    )
    assert code == 0, err
    assert all(r["score"] is not None for r in json.loads(out))


# --- 2. dates near the end of the calendar ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle", "field"),
    [
        (HEAD.replace('title = "T"', 'title = "T"\nstart = 9999-11-15') + item(), "start =", "backlog.start"),
        (HEAD.replace('title = "T"', 'title = "T"\nstart = 1899-12-31') + item(), "start =", "backlog.start"),
        (HEAD + "met = 9999-12-31\n" + item(), "met =", "stakeholders.cfo.met"),
        (HEAD + item("a", "due = 9001-01-01"), "due =", "items[0].due"),
    ],
)
def test_a_date_outside_1900_to_9000_is_a_located_error(text: str, needle: str, field: str) -> None:
    p = one_problem(text, field)
    assert p.line == line_of(text, needle)
    assert "a date between 1900 and 9000" in p.message


def test_the_ends_of_the_date_range_are_accepted_and_plan() -> None:
    text = (
        HEAD.replace('title = "T"', 'title = "T"\nstart = 9000-12-31')
        + "met = 1900-01-01\n"
        + item("a", "due = 9000-12-31")
    )
    b = parse_backlog(text)
    plan = build_plan(b)
    assert plan.start == date(9000, 12, 31) and plan.phases[-1].end == date(9001, 3, 30)
    assert build_plan(b, start=date(1900, 1, 1)).start == date(1900, 1, 1)


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(9000, 1, 1).replace(year=9001), date(1, 1, 1)])
def test_build_plan_refuses_a_start_outside_the_range(start: date) -> None:
    b = parse_backlog(HEAD + item())
    with pytest.raises(ScoringError, match="between 1900 and 9000"):
        build_plan(b, start=start)


@pytest.mark.parametrize("command", ["plan", "export"])
def test_start_at_the_end_of_the_calendar_exits_2_with_a_message(cli, tmp_path, command: str) -> None:
    path = write(tmp_path, HEAD + item())
    code, out, err = cli(command, path, "--start", "9999-12-31")
    assert code == 2 and out == ""
    assert "9999-12-31" in err and "between 1900 and 9000" in err and "Traceback" not in err


def test_a_start_at_the_end_of_the_calendar_in_the_file_is_a_load_error(cli, tmp_path) -> None:
    path = write(tmp_path, HEAD.replace('title = "T"', 'title = "T"\nstart = 9999-11-15') + item())
    code, _, err = cli("plan", path)
    assert code == 2 and "backlog.start" in err and "Traceback" not in err


# --- 3. number formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "money", "number", "weeks"),
    [
        (0.0, "$0", "0", "0 wk"),
        (1.4, "$1.4", "1.4", "1.4 wk"),
        (900, "$900", "900", "900 wk"),
        (999.7, "$1k", "999.7", "1,000 wk"),
        (1234, "$1.23k", "1234", "1,234 wk"),
        (9999.9, "$10k", "10k", "10,000 wk"),
        (999_600, "$1M", "1M", "999,600 wk"),
        (-350_000, "-$350k", "-350k", "-350,000 wk"),
        (1.2e6, "$1.2M", "1.2M", "1,200,000 wk"),
        (999_600_000, "$1B", "1B", "999,600,000 wk"),
        (2.5e12, "$2.5T", "2.5T", "2,500,000,000,000 wk"),
        (999.6e12, "$1,000T", "1,000T", "999,600,000,000,000 wk"),
        (1e24, "$1,000,000,000,000T", "1,000,000,000,000T", "1,000,000,000,000,000,000,000,000 wk"),
        (4e-16, "$0", "0", "0 wk"),
        (-1e-9, "$0", "0", "0 wk"),
        (0.00012345, "$0.000123", "0.0001234", "0.000123 wk"),
    ],
)
def test_formatting_never_uses_exponents_and_moves_to_the_next_unit(
    x: float, money: str, number: str, weeks: str
) -> None:
    assert (fmt.money(x), fmt.number(x), fmt.weeks(x)) == (money, number, weeks)


def test_other_currencies_and_non_finite_numbers() -> None:
    assert fmt.money(999_600, "CHF") == "1M CHF"
    assert fmt.money(-12_000, "EUR") == "-€12k"
    for f in (fmt.money, fmt.number, fmt.weeks):
        assert f(math.inf) == "n/a" and f(math.nan) == "n/a"


_MULT = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def parse_human(text: str) -> float:
    """The inverse of fmt: '-$1.2M', '1.2M CHF', '1,000T', '3.5 wk', '0.75' -> a float."""
    t = text.removesuffix(" wk").removesuffix(" CHF")
    sign = -1.0 if t.startswith("-") else 1.0
    t = t.lstrip("-").lstrip("$€£¥₹").replace(",", "")
    mult = _MULT.get(t[-1:], 1.0)
    if t[-1:] in _MULT:
        t = t[:-1]
    assert re.fullmatch(r"\d+(\.\d+)?", t), text
    return sign * float(t) * mult


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e18, 1e18, allow_nan=False, allow_infinity=False))
@example(999_600.0)
@example(999.7)
@example(9999.9)
@example(1234.0)
@example(999.6e12)
@example(-999_999_999_999.0)
@example(5e-324)
def test_formatted_numbers_have_no_exponent_and_read_back_within_5_percent(x: float) -> None:
    texts = [fmt.money(x), fmt.money(x, "CHF"), fmt.number(x), fmt.weeks(x)]
    for text in texts:
        low = text.lower()
        assert "e+" not in low and "e-" not in low and "inf" not in low and "nan" not in low, text
        back = parse_human(text)
        if abs(x) >= 1:
            assert abs(back - x) <= 0.05 * abs(x), (x, text)
        else:
            assert abs(back) <= 1.0, (x, text)


# --- 4. metric keys that shadow formula built-ins --------------------------------------------------


@pytest.mark.parametrize("key", sorted(FORMULA_BUILTINS))
def test_a_metric_named_like_a_formula_built_in_is_a_located_error(key: str) -> None:
    text = HEAD + f'\n[metrics.{key}]\nlabel = "X"\nvalue_per_unit = 1.0\n' + item()
    p = one_problem(text, f"metrics.{key}")
    assert p.line == line_of(text, f"[metrics.{key}]")
    assert p.message == f"metric key {key!r} is a built-in name of formulas; rename the metric"


@pytest.mark.parametrize("key", sorted(FORMULA_BUILTINS))
def test_a_field_named_like_a_formula_built_in_is_a_located_error(key: str) -> None:
    text = HEAD + item(extra=f"fields = {{ {key} = 1 }}")
    p = one_problem(text, f"items[0].fields.{key}")
    assert p.message == f"field {key!r} repeats a built-in name of formulas; rename it"


# --- 5. feasibility never underflows to 0 -----------------------------------------------------------


def test_feasibility_stays_above_zero_at_the_extreme_bounds() -> None:
    teams = ", ".join(f'"t{k}"' for k in range(200))
    text = (
        HEAD
        + item("huge", effort="10000")
        + item("crowded", f"needs = [{teams}]", effort="1")
        + item("small", effort="0.01")
        + "\n[scoring]\neffort_half_life_weeks = 0.01\ncoordination_penalty = 0.999999\n"
    )
    b = parse_backlog(text)
    ranking = score_backlog(b)
    for s in ranking.ranked:
        assert 0 < s.feasibility <= 1
        assert s.feasibility == feasibility(b, s.item)  # the fast path and the plain one agree
    assert ranking.get("huge").feasibility == MIN_FEASIBILITY == sys.float_info.min
    assert ranking.get("crowded").feasibility == MIN_FEASIBILITY
    assert ranking.get("small").feasibility == 0.5


def test_a_normal_feasibility_is_not_touched_by_the_clamp() -> None:
    b = parse_backlog(HEAD + item("a", effort="12") + "\n[scoring]\neffort_half_life_weeks = 6\n")
    assert feasibility(b, b.items[0]) == 0.25


# --- 6. check's warnings in line order --------------------------------------------------------------


def test_check_prints_warnings_in_line_order(cli, tmp_path, example_toml) -> None:
    for path in (
        str(example_toml),
        write(
            tmp_path,
            HEAD.replace('source = "plan"\n', "")  # metric-level warning near the top
            + item("a").replace('requested_by = ["cfo"]\n', "")
            + item("b")
            + item("c").replace('requested_by = ["cfo"]\n', ""),
        ),
    ):
        code, out, _ = cli("check", path)
        assert code == 0
        lines = [int(m.group(1)) for m in re.finditer(r":(\d+): warning:", out)]
        assert len(lines) >= 3 and lines == sorted(lines), out
