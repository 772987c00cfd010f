"""The scoring semantics of PRODUCT.md, pinned on hand-computed examples, plus properties.

At the edges: a score that overflows is n/a with its reason, whatever the method, and sorts last;
item_value cannot overflow (each term is at most 1e15 x 1e9 x 1000): 20 metrics at those maxima,
effort and half-life 0.01, give finite values, feasibilities and scores under every built-in
method, and `rank --format json` succeeds; feasibility never underflows to 0.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import HEAD, priced_item, write
from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.scoring import ScoringError, item_value, lens_weights, quadrant, score_backlog
from fulcrum.scoring.rank import MIN_FEASIBILITY, feasibility, lens_names
from fulcrum.scoring.table import LAYOUT, ScoringTable, new_row, row_scores

METRICS = {
    "revenue": {"label": "Revenue", "value_per_unit": 1.0},
    "users": {"label": "Users", "value_per_unit": 2.0},
    "cloud": {"label": "Cloud", "value_per_unit": -1.0},
    "minutes": {"label": "Ticket minutes"},  # not priced
}
PEOPLE = {
    "cfo": {"name": "C", "cares_about": ["cloud"]},
    "pm": {"name": "P", "cares_about": {"users": 1.0, "revenue": 0.5}},
}


def make(items: list[dict[str, Any]], metrics: dict[str, Any] | None = None, **scoring: Any) -> Backlog:
    """A backlog with the metrics and stakeholders above; items get a title and effort 1 by default."""
    full = [{"title": f"Item {it['id']}", "effort": 1, **it} for it in items]
    return Backlog.model_validate(
        {
            "backlog": {"title": "t"},
            "scoring": {"effort_half_life_weeks": 4, "coordination_penalty": 0.2, **scoring},
            "metrics": METRICS if metrics is None else metrics,
            "stakeholders": PEOPLE,
            "items": full,
        }
    )


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(
    ("effort", "expected"),
    [
        (3, 3.0),
        ({"low": 2, "likely": 4, "high": 12}, 5.0),  # (2 + 16 + 12) / 6
        ({"low": 1, "likely": 1, "high": 7}, 2.0),  # (1 + 4 + 7) / 6
        ({"low": 0.5, "likely": 0.5, "high": 0.5}, 0.5),
    ],
)
def test_effort_is_the_pert_mean(effort: Any, expected: float) -> None:
    r = score_backlog(make([{"id": "a", "effort": effort, "impact": {"revenue": 1}}]))
    assert close(r.ranked[0].effort, expected)


@pytest.mark.parametrize(
    ("impact", "confidence", "lens", "expected"),
    [
        ({"revenue": 1000}, 1.0, None, 1000.0),
        ({"revenue": 1000}, 0.5, None, 500.0),
        ({"users": {"low": 5000, "likely": 20000, "high": 50000}}, 1.0, None, 45000.0),  # 22,500 * 2
        ({"cloud": -40000}, 0.9, None, 36000.0),  # less cost is worth more
        ({"users": 100, "cloud": 50}, 1.0, None, 150.0),  # 200 - 50
        ({"minutes": -30}, 1.0, None, 0.0),  # a metric without a price is worth 0
        ({"users": 100, "cloud": 50}, 1.0, "cfo", -50.0),  # the CFO sees only the cloud bill
        ({"users": 100, "revenue": 1000}, 1.0, "pm", 700.0),  # 200 * 1 + 1000 * 0.5
        ({"cloud": -1000}, 1.0, "pm", 0.0),  # not in the PM's lens
        ({"revenue": 1000}, 0.8, "everyone", 800.0),
    ],
)
def test_value_prices_metrics_through_the_lens(
    impact: dict[str, Any], confidence: float, lens: str | None, expected: float
) -> None:
    b = make([{"id": "a", "impact": impact, "confidence": confidence}])
    assert close(item_value(b, b.items[0], lens_weights(b, lens)), expected)
    assert close(score_backlog(b, lens=lens).ranked[0].value, expected)


@pytest.mark.parametrize(
    ("item", "others", "expected"),
    [
        ({"effort": 4}, [], 0.5),  # one half-life
        ({"effort": 8}, [], 0.25),
        ({"effort": 2}, [], 2**-0.5),
        ({"effort": 4, "needs": ["sre"]}, [], 0.5 * 0.8),
        ({"effort": 4, "needs": ["sre", "data"]}, [], 0.5 * 0.8**2),
        ({"effort": 4, "depends_on": ["x"]}, [{"id": "x", "status": "idea"}], 0.5 * 0.8),
        ({"effort": 4, "depends_on": ["x"]}, [{"id": "x", "status": "doing"}], 0.5 * 0.8),
        ({"effort": 4, "depends_on": ["x"]}, [{"id": "x", "status": "done"}], 0.5),  # done: no penalty
        ({"effort": 4, "depends_on": ["x"]}, [{"id": "x", "status": "dropped"}], 0.5 * 0.8),  # not done
        (
            {"effort": 4, "needs": ["sre"], "depends_on": ["x", "y"]},
            [{"id": "x", "status": "done"}, {"id": "y"}],
            0.5 * 0.8**2,
        ),
    ],
)
def test_feasibility_halves_per_half_life_and_pays_per_coordination_point(
    item: dict[str, Any], others: list[dict[str, Any]], expected: float
) -> None:
    b = make([{"id": "a", **item}, *others])
    assert close(feasibility(b, b.items[0]), expected)
    assert close(score_backlog(b).get("a").feasibility, expected)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("method", "fields", "expected"),
    [
        ("value_density", {}, 800.0 / 2),
        ("rice", {"reach": 500, "impact": 2}, 500 * 2 * 0.8 / 2),
        ("ice", {"impact": 3, "ease": 7}, 3 * 0.8 * 7),
        (
            "wsjf",
            {"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 4},
            (8 + 5 + 3) / 4,
        ),
    ],
)
def test_each_method_scores_as_documented(method: str, fields: dict[str, float], expected: float) -> None:
    b = make([{"id": "a", "effort": 2, "confidence": 0.8, "impact": {"revenue": 1000}, "fields": fields}])
    assert close(score_backlog(b, method=method).ranked[0].score, expected)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("value * confidence / effort", 800 * 0.8 / 2),
        ("revenue / effort + reach", 1000 / 2 + 10),  # a metric is its expected delta; fields by key
        ("max(value, 1000) * (feasibility >= 0.5)", 1000.0),  # feasibility 2**-0.5 >= 0.5
        ("sqrt(reach) * log(effort)", math.sqrt(10) * math.log(2)),
    ],
)
def test_formula_method_reads_builtins_metrics_and_fields(formula: str, expected: float) -> None:
    b = make(
        [{"id": "a", "effort": 2, "confidence": 0.8, "impact": {"revenue": 1000}, "fields": {"reach": 10}}]
    )
    r = score_backlog(b, formula=formula)
    assert r.method == "formula"
    assert close(r.ranked[0].score, expected)


def test_formula_errors_make_that_item_na_and_sorted_last() -> None:
    b = make(
        [
            {"id": "z", "impact": {"revenue": 10}, "fields": {"k": 1}},
            {"id": "a", "impact": {"revenue": 10}, "fields": {"k": 0}},  # divides by zero
            {"id": "b", "impact": {"revenue": 10}},  # lacks k
            {"id": "m", "impact": {"revenue": 1}, "fields": {"k": 2}},
        ]
    )
    r = score_backlog(b, formula="value / k")
    assert [s.id for s in r.ranked] == ["z", "m", "a", "b"]  # n/a last, by id
    assert [s.score for s in r.ranked[2:]] == [None, None]
    assert r.get("a").score_error == "division by zero"  # type: ignore[union-attr]
    assert "'k'" in (r.get("b").score_error or "")  # type: ignore[union-attr]


def test_wsjf_with_job_size_zero_is_na_not_a_crash() -> None:
    f = {"business_value": 1, "time_criticality": 1, "risk_reduction": 1, "job_size": 0}
    r = score_backlog(make([{"id": "a", "fields": f}]), method="wsjf")
    assert r.ranked[0].score is None
    assert "job_size" in (r.ranked[0].score_error or "")


@pytest.mark.parametrize("method", ["rice", "ice", "wsjf"])
def test_missing_fields_are_an_error_naming_every_item(method: str) -> None:
    b = make([{"id": "first"}, {"id": "second", "fields": {"impact": 1}}])
    with pytest.raises(ScoringError) as err:
        score_backlog(b, method=method)
    # One summary line with the count and an example, then the items.
    assert [i for i, _ in err.value.problems] == [None, "first", "second"]
    summary = err.value.problems[0][1]
    assert f"method {method!r} needs fields" in summary and "2 of 2 item(s)" in summary
    assert "e.g. fields = { " in summary


def test_unknown_lens_and_method_name_the_choices() -> None:
    b = make([{"id": "a"}])
    with pytest.raises(ScoringError, match="everyone, cfo, pm"):
        score_backlog(b, lens="ceo")
    with pytest.raises(ScoringError, match="unknown method"):
        score_backlog(b, method="magic")
    assert lens_names(b) == ["everyone", "cfo", "pm"]


@pytest.mark.parametrize(
    ("value", "feas", "expected"),
    [
        (10, 0.5, "quick_win"),  # thresholds are inclusive
        (10, 0.49, "big_bet"),
        (9.99, 0.5, "fill_in"),
        (9.99, 0.49, "money_pit"),
    ],
)
def test_quadrant_against_thresholds(value: float, feas: float, expected: str) -> None:
    assert quadrant(value, feas, 10, 0.5) == expected


def test_quadrant_threshold_is_the_median_value_of_ranked_items() -> None:
    # values 100, 200, 300, 400 (and a done item worth 10,000 that does not count): median 250
    items = [{"id": k, "impact": {"revenue": v}} for k, v in zip("abcd", (100, 200, 300, 400), strict=True)]
    items.append({"id": "e", "impact": {"revenue": 10_000}, "status": "done"})
    r = score_backlog(make(items, quick_win_min_feasibility=0.9))  # effort 1: feasibility 0.84
    assert r.value_threshold == 250
    assert {s.id: s.quadrant for s in r.ranked} == {
        "a": "money_pit",
        "b": "money_pit",
        "c": "big_bet",
        "d": "big_bet",
    }


def test_quadrant_threshold_may_be_an_absolute_amount() -> None:
    items = [{"id": k, "impact": {"revenue": v}} for k, v in zip("abc", (100, 200, 300), strict=True)]
    r = score_backlog(make(items, quick_win_min_value=150, quick_win_min_feasibility=0.5))
    assert r.value_threshold == 150
    assert [(s.id, s.quadrant) for s in r.ranked] == [
        ("c", "quick_win"),
        ("b", "quick_win"),
        ("a", "fill_in"),
    ]


def test_ties_are_broken_by_id_and_closed_items_are_not_ranked() -> None:
    b = make(
        [
            {"id": "c", "impact": {"revenue": 5}},
            {"id": "a", "impact": {"revenue": 5}},
            {"id": "b", "impact": {"revenue": 5}},
            {"id": "done", "impact": {"revenue": 99}, "status": "done"},
            {"id": "gone", "impact": {"revenue": 99}, "status": "dropped"},
        ]
    )
    r = score_backlog(b)
    assert [(s.rank, s.id) for s in r.ranked] == [(1, "a"), (2, "b"), (3, "c")]
    assert [it.id for it in r.closed] == ["done", "gone"]
    assert r.get("done") is None


def test_lens_reranks() -> None:
    b = make([{"id": "cost", "impact": {"cloud": -100}}, {"id": "growth", "impact": {"users": 40}}])
    assert [s.id for s in score_backlog(b).ranked] == ["cost", "growth"]  # 100 vs 80
    assert [s.id for s in score_backlog(b, lens="pm").ranked] == ["growth", "cost"]


# --- properties ---------------------------------------------------------------------------------

estimates = st.one_of(
    st.integers(-1000, 1000),
    st.tuples(st.integers(-1000, 1000), st.integers(0, 500), st.integers(0, 500)).map(
        lambda t: {"low": t[0], "likely": t[0] + t[1], "high": t[0] + t[1] + t[2]}
    ),
)
items_st = st.lists(
    st.fixed_dictionaries(
        {
            "impact": st.dictionaries(st.sampled_from(list(METRICS)), estimates, max_size=4),
            "confidence": st.integers(0, 10).map(lambda n: n / 10),
            "effort": st.integers(1, 40).map(lambda n: n / 2),
        }
    ),
    min_size=1,
    max_size=8,
)


def _with_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"i{n}", **it} for n, it in enumerate(items)]


def _scaled(k: float) -> dict[str, Any]:
    return {
        key: {**m, "value_per_unit": m["value_per_unit"] * k} if "value_per_unit" in m else m
        for key, m in METRICS.items()
    }


@settings(max_examples=60, deadline=None)
@given(items=items_st, k=st.floats(0.001, 1000), lens=st.sampled_from(["everyone", "pm", "cfo"]))
def test_scaling_every_price_by_k_scales_every_value_and_keeps_the_order(
    items: list[dict[str, Any]], k: float, lens: str
) -> None:
    r1 = score_backlog(make(_with_ids(items)), lens=lens)
    r2 = score_backlog(make(_with_ids(items), metrics=_scaled(k)), lens=lens)
    before = {s.id: s for s in r1.ranked}
    for s in r2.ranked:
        assert math.isclose(s.value, before[s.id].value * k, rel_tol=1e-9, abs_tol=1e-9)
    # Order kept: each item still scores at least as much as the next one did (up to rounding).
    for hi, lo in zip(r2.ranked, r2.ranked[1:], strict=False):
        a, b = before[hi.id].score, before[lo.id].score
        assert a is not None and b is not None
        assert a >= b - 1e-9 * max(abs(a), abs(b), 1)


@settings(max_examples=40, deadline=None)
@given(items=items_st, n=st.integers(-6, 10))
def test_scaling_prices_by_a_power_of_two_keeps_the_exact_order(items: list[dict[str, Any]], n: int) -> None:
    r1 = score_backlog(make(_with_ids(items)))
    r2 = score_backlog(make(_with_ids(items), metrics=_scaled(2.0**n)))
    assert [s.id for s in r2.ranked] == [s.id for s in r1.ranked]
    assert [s.quadrant for s in r2.ranked] == [s.quadrant for s in r1.ranked]


@settings(max_examples=80, deadline=None)
@given(
    effort=st.floats(0.01, 5000),
    extra=st.floats(0, 5000),
    half_life=st.floats(0.1, 100),
    needs=st.integers(0, 5),
)
def test_adding_effort_never_raises_feasibility(
    effort: float, extra: float, half_life: float, needs: int
) -> None:
    teams = [f"t{n}" for n in range(needs)]
    b = make(
        [
            {"id": "a", "effort": effort, "needs": teams},
            {"id": "b", "effort": effort + extra, "needs": teams},
        ],
        effort_half_life_weeks=half_life,
    )
    fa, fb = feasibility(b, b.items[0]), feasibility(b, b.items[1])
    assert 0 <= fb <= fa <= 1


@settings(max_examples=60, deadline=None)
@given(
    items=items_st,
    lens=st.sampled_from(["everyone", "pm", "cfo"]),
    statuses=st.lists(st.sampled_from(["idea", "doing", "done", "dropped"]), min_size=8, max_size=8),
)
def test_ranked_numbers_are_those_of_the_public_helpers(
    items: list[dict[str, Any]], lens: str, statuses: list[str]
) -> None:
    full = _with_ids(items)
    for n, it in enumerate(full):
        it["status"] = statuses[n]
        it["depends_on"] = [f"i{d}" for d in range(n)][-2:]
    b = make(full)
    r = score_backlog(b, lens=lens)
    weights = lens_weights(b, lens)
    assert len(r.ranked) + len(r.closed) == len(b.items)
    for s in r.ranked:
        assert s.value == item_value(b, s.item, weights)  # identical, not merely close
        assert s.feasibility == feasibility(b, s.item)
        assert s.effort == s.item.effort.expected


def test_rescoring_sees_every_edit() -> None:
    b = make([{"id": "a", "effort": 4, "impact": {"revenue": 100}}, {"id": "b", "effort": 4}])
    assert close(score_backlog(b).get("a").feasibility, 0.5)  # type: ignore[union-attr]
    # a new item object (an edit) ...
    edited = b.model_copy(
        update={"items": [b.items[0].model_copy(update={"effort": b.items[1].effort.point(8)}), b.items[1]]}
    )
    assert close(score_backlog(edited).get("a").feasibility, 0.25)  # type: ignore[union-attr]
    # ... new settings ...
    slower = b.model_copy(update={"scoring": b.scoring.model_copy(update={"effort_half_life_weeks": 8.0})})
    assert close(score_backlog(slower).get("a").feasibility, 2**-0.5)  # type: ignore[union-attr]
    # ... and even an item replaced in place in the (mutable) list are seen.
    b.items[1] = b.items[1].model_copy(update={"status": "done"})
    assert [s.id for s in score_backlog(b).ranked] == ["a"]
    assert close(score_backlog(b).get("a").feasibility, 0.5)  # type: ignore[union-attr]


# --- scores at the edges: an overflow is n/a, the largest magnitudes stay finite ------------------


def _raw_row(value: float, effort: float, **fields: float) -> tuple[float, tuple[Any, ...]]:
    # Bypasses validation: the scores' guard must hold whatever reaches it.
    return value, new_row("x", "x", 1.0, (), (), effort, 1.0, fields, repr)


@pytest.mark.parametrize(
    ("method", "row"),
    [
        ("value_density", _raw_row(1e308, 1e-10)),
        ("rice", _raw_row(0.0, 1.0, reach=1e200, impact=1e200)),
        ("ice", _raw_row(0.0, 1.0, impact=1e200, ease=1e200)),
        (
            "wsjf",
            _raw_row(0.0, 1.0, business_value=1e308, time_criticality=1e308, risk_reduction=0, job_size=1),
        ),
    ],
)
def test_a_score_that_overflows_is_n_a_with_the_reason_for_every_method(method: str, row: Any) -> None:
    value, plain = row
    settings = ("t", "USD", method, None, "median", 0.5, (), ())
    table = ScoringTable.from_plain((LAYOUT, *settings, [plain], (), [0], ()))
    assert table is not None
    ((score, why),) = row_scores(method, None, set, table, [plain], [value])
    assert score is None
    assert why is not None and "overflows" in why and method in why


def test_an_overflowing_wsjf_score_is_n_a_and_sorted_last_and_json_survives(cli, tmp_path) -> None:
    fields = (
        "fields = {{ business_value = 1e15, time_criticality = 1e15, risk_reduction = 1e15, job_size = {} }}"
    )
    text = HEAD + priced_item("a", fields.format("1e-300")) + priced_item("b", fields.format("1"))
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


# --- feasibility never underflows to 0 ------------------------------------------------------------


def test_feasibility_stays_above_zero_at_the_extreme_bounds() -> None:
    teams = ", ".join(f'"t{k}"' for k in range(200))
    text = (
        HEAD
        + priced_item("huge", effort="10000")
        + priced_item("crowded", f"needs = [{teams}]", effort="1")
        + priced_item("small", effort="0.01")
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
    b = parse_backlog(HEAD + priced_item("a", effort="12") + "\n[scoring]\neffort_half_life_weeks = 6\n")
    assert feasibility(b, b.items[0]) == 0.25
