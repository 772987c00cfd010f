"""explain_item and `fulcrum explain`: every number behind an item, with its arithmetic."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from fulcrum.backlog import Estimate, load_backlog, parse_backlog
from fulcrum.scoring import Ranking, ScoringError, explain_item, rank_in_every_lens, score_backlog
from fulcrum.scoring.explain import num, pert_arithmetic


@pytest.fixture
def golden(golden_toml: Path) -> Ranking:
    return score_backlog(load_backlog(golden_toml))


def test_metrics_value_and_effort_of_a_range_estimate(golden: Ranking) -> None:
    e = explain_item(golden, "b")
    users, cloud = e.metrics
    assert (users.key, users.expected, users.price, users.weight, users.contribution) == (
        "users",
        22500,
        2,
        1,
        45000,
    )
    assert users.arithmetic == "(5,000 + 4 * 20,000 + 50,000) / 6 = 22,500"
    assert (cloud.expected, cloud.price, cloud.contribution) == (10000, -1, -10000)
    assert cloud.arithmetic == "10,000"
    assert (e.value_sum, e.confidence, e.value) == (35000, 0.5, 17500)
    assert e.effort_expected == 5 and e.effort_arithmetic == "(2 + 4 * 4 + 12) / 6 = 5"


def test_feasibility_factors_each_need_and_unfinished_dependency(golden: Ranking) -> None:
    b = explain_item(golden, "b")
    assert [(f.kind, f.subject) for f in b.factors] == [
        ("effort", ""),
        ("need", "mobile"),
        ("coordination", ""),
    ]
    assert math.isclose(b.factors[0].factor, 2 ** (-5 / 4))
    assert b.factors[1].factor == pytest.approx(0.8)
    assert math.isclose(b.feasibility, 2 ** (-5 / 4) * 0.8)
    c = explain_item(golden, "c")
    assert [(f.kind, f.subject, f.factor) for f in c.factors][1] == ("dependency", "b", pytest.approx(0.8))
    assert "b (idea, not done)" in c.factors[1].detail
    assert c.depends_on[0].id == "b" and not c.depends_on[0].done


def test_a_done_dependency_costs_nothing() -> None:
    text = """
[backlog]
title = "t"
[[items]]
id = "x"
title = "X"
effort = 1
status = "done"
[[items]]
id = "y"
title = "Y"
effort = 1
depends_on = ["x"]
"""
    e = explain_item(score_backlog(parse_backlog(text)), "y")
    dep = next(f for f in e.factors if f.kind == "dependency")
    assert (dep.subject, dep.factor) == ("x", 1.0) and "no penalty" in dep.detail
    assert e.factors[-1].factor == 1.0


def test_score_rank_quadrant_and_why(golden: Ranking) -> None:
    e = explain_item(golden, "b")
    assert (e.rank, e.ranked_count, e.score, e.quadrant) == (5, 5, 3500, "money_pit")
    assert e.score_arithmetic == "17,500 / 5 = 3,500"
    assert e.value_threshold == 36000 and e.feasibility_threshold == 0.5
    assert "value $17.5k < $36k (the median of the 5 ranked items)" in e.quadrant_reason
    assert "feasibility 0.34 < 0.50" in e.quadrant_reason
    a = explain_item(golden, "a")
    assert "value $36k >= $36k" in a.quadrant_reason and "0.84 >= 0.50" in a.quadrant_reason


def test_rank_under_every_lens(golden: Ranking) -> None:
    e = explain_item(golden, "b")
    assert [(r.lens, r.rank) for r in e.lens_ranks] == [("everyone", 5), ("cfo", 5), ("pm", 2)]
    assert [r.value for r in e.lens_ranks] == [17500, -5000, 22500]
    cached = rank_in_every_lens(golden)
    assert cached["everyone"] is golden
    assert explain_item(golden, "b", cached) == e


def test_lens_weights_and_who_asked(golden_toml: Path) -> None:
    r = score_backlog(load_backlog(golden_toml), lens="pm")
    e = explain_item(r, "c")
    assert e.metrics[0].weight == 0.5 and e.metrics[0].contribution == 30000
    assert e.lens_label == "pm (P, PM)"
    assert e.requested_by == (("pm", "P", "PM"),)
    a = explain_item(r, "a")
    assert a.metrics[0].weight == 0.0 and a.value == 0.0
    assert any("not in this lens (weight 0)" in line for line in a.lines())


@pytest.mark.parametrize(
    ("method", "fields", "arithmetic"),
    [
        ("rice", "reach = 500, impact = 2", "500 * 2 * 0.9 / 1 = 900"),
        ("ice", "impact = 3, ease = 7", "3 * 0.9 * 7 = 18.9"),
        (
            "wsjf",
            "business_value = 8, time_criticality = 5, risk_reduction = 3, job_size = 4",
            "(8 + 5 + 3) / 4 = 4",
        ),
    ],
)
def test_score_arithmetic_of_each_method(method: str, fields: str, arithmetic: str) -> None:
    text = f"""
[backlog]
title = "t"
[[items]]
id = "a"
title = "A"
effort = 1
confidence = 0.9
fields = {{ {fields} }}
"""
    e = explain_item(score_backlog(parse_backlog(text), method=method), "a")
    assert e.score_arithmetic == arithmetic
    assert e.method == method


def test_formula_arithmetic_puts_the_numbers_in(golden: Ranking) -> None:
    r = score_backlog(golden.backlog, formula="value * confidence / effort")
    e = explain_item(r, "a")
    assert e.method_formula == "value * confidence / effort"
    assert e.score_arithmetic == "36,000 * 0.9 / 1 = 32,400"
    na = explain_item(score_backlog(golden.backlog, formula="value / (effort - 1)"), "a")
    assert na.score is None
    assert na.score_arithmetic == "36,000 / (1 - 1) = n/a (division by zero)"


def test_closed_items_are_explained_as_not_ranked(golden: Ranking) -> None:
    f = explain_item(golden, "f")
    assert f.rank is None and f.score is None and f.quadrant is None and f.lens_ranks == ()
    assert f.not_ranked == "it was dropped (Not worth it.); done and dropped items are listed apart"
    assert f.value == 5000  # the value is still shown
    e = explain_item(golden, "e")
    assert e.not_ranked is not None and e.not_ranked.startswith("it is done")


def test_unknown_item_suggests_the_closest_id(golden: Ranking) -> None:
    with pytest.raises(ScoringError, match=r"no item 'bb'; did you mean 'b'\?"):
        explain_item(golden, "bb")


def test_evidence_per_metric_and_for_effort() -> None:
    text = """
[backlog]
title = "t"
[metrics.revenue]
label = "Revenue"
value_per_unit = 1
[[items]]
id = "a"
title = "A"
effort = { low = 1, likely = 2, high = 9 }
impact = { revenue = 100 }
evidence = { revenue = "Finance plan p.4", effort = "similar job in 2025" }
"""
    e = explain_item(score_backlog(parse_backlog(text)), "a")
    assert e.metrics[0].evidence == "Finance plan p.4"
    assert e.effort_evidence == "similar job in 2025"
    lines = e.lines()
    assert "    evidence: Finance plan p.4" in lines
    assert "  evidence: similar job in 2025" in lines
    assert "  (1 + 4 * 2 + 9) / 6 = 3" in lines


def test_lines_are_the_whole_calculation_in_plain_text(golden: Ranking) -> None:
    lines = explain_item(golden, "b").lines()
    text = "\n".join(lines)
    for expected in [
        "b: Growth feature",
        "Rank 5 of 5 · score 3,500 · Money pit",
        "    expected change: (5,000 + 4 * 20,000 + 50,000) / 6 = 22,500 users",
        "    price 2 per unit · lens weight 1 -> 45,000",
        "  sum 35,000 * confidence 0.5 = 17,500 ($17.5k/yr)",
        "  effort: 2 ** (-5 / 4) = 0.4204",
        "  needs mobile: * (1 - 0.2) = 0.8",
        "  feasibility = 0.4204 * 0.8 = 0.3364",
        "  17,500 / 5 = 3,500",
        "Requested by: pm (P, PM)",
        "Rank under each lens: everyone #5 ($17.5k/yr) · cfo #5 (-$5k/yr) · pm #2 ($22.5k/yr)",
    ]:
        assert expected in lines, expected
    assert "[" not in text  # no markup of ours


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0, "0"),
        (22500, "22,500"),
        (-10000.0, "-10,000"),
        (0.8408964, "0.8409"),
        (3.25, "3.25"),
        (1234.56789, "1,234.5679"),
    ],
)
def test_num(x: float, text: str) -> None:
    assert num(x) == text


def test_pert_arithmetic_of_a_point_is_the_number() -> None:
    assert pert_arithmetic(Estimate.point(4)) == "4"
