"""Couplings (metric ``drives``) and relative change, against an independent reading of PRODUCT.md."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.scoring import explain_item, review, score_backlog
from fulcrum.scoring.relative import factor_text, percent_of

CHAIN = """[backlog]
title = "T"

[metrics.mau]
label = "MAU"
value_per_unit = 3.5
baseline = 2_000_000
drives = { infra_cost = 0.4, tickets = 0.01 }

[metrics.infra_cost]
label = "Infra"
value_per_unit = -1.0
baseline = 20_000_000

[metrics.tickets]
label = "Tickets"
value_per_unit = -10.0
drives = { infra_cost = 5 }

[metrics.error_rate]
label = "Errors"
value_per_unit = -1000
baseline = 1.0
"""


def test_a_chain_of_couplings_adds_up_as_written() -> None:
    # mau +20,000 -> infra +8,000 directly, tickets +200 -> infra +1,000 more.
    b = parse_backlog(CHAIN + item("grow", "impact = { mau = 20_000 }", who="[]"))
    (s,) = score_backlog(b).ranked
    assert s.value == 20_000 * 3.5 + 200 * -10.0 + 9_000 * -1.0
    ex = explain_item(score_backlog(b), "grow")
    text = "\n".join(ex.lines())
    assert "infra_cost: +8,000 via mau 20,000 x 0.4" in text
    assert "infra_cost: +1,000 via tickets 200 x 5" in text
    assert "effective change: 9,000" in text
    assert [p.key for p in ex.metrics] == ["mau", "infra_cost", "tickets"]


def test_the_formula_sees_effective_changes() -> None:
    text = CHAIN.replace(
        'title = "T"', 'title = "T"\n\n[scoring]\nmethod = "formula"\nformula = "infra_cost"'
    )
    b = parse_backlog(text + item("grow", "impact = { mau = 20_000 }", who="[]"))
    assert score_backlog(b).ranked[0].score == 9_000


def test_relative_change_is_shown_next_to_the_absolute_one() -> None:
    assert percent_of(1_000_000, 2_000_000) == "+50% of 2,000,000"
    assert percent_of(-0.9, 1.0) == "-90% of 1"
    assert factor_text("error_rate", -0.9, 1.0) == "error_rate 1 -> 0.1: 10x fewer"
    assert factor_text("error_rate", -0.4, 1.0) == ""  # only 1.7x closer to 0
    assert factor_text("x", -3, 1.0) == ""  # crosses zero
    b = parse_backlog(CHAIN + item("fix", "impact = { error_rate = -0.9, mau = 1_000_000 }", who="[]"))
    text = "\n".join(explain_item(score_backlog(b), "fix").lines())
    assert "relative: -90% of 1 (error_rate 1 -> 0.1: 10x fewer)" in text
    assert "relative: +50% of 2,000,000" in text


def test_the_review_warns_when_a_coupling_takes_a_metric_below_zero() -> None:
    b = parse_backlog(CHAIN + item("churn", "impact = { mau = -60_000_000 }", who="[]"))
    msgs = [w.message for w in review(b) if w.kind == "below_zero"]
    words = "with couplings (via mau, tickets) the likely change of infra_cost is -27M"
    assert any(m.startswith(words) for m in msgs)
    assert not [w for w in review(b) if w.kind == "below_zero_total" and "infra_cost" in w.field]


def _naive(drives: dict[str, dict[str, float]], own: dict[str, float], m: str) -> float:
    """effective(m) = impact(m) + sum over k driving m of effective(k) * drives_k[m], by recursion."""
    return own.get(m, 0.0) + sum(_naive(drives, own, k) * ks[m] for k, ks in drives.items() if m in ks)


@st.composite
def coupled_backlogs(
    draw: st.DrawFn,
) -> tuple[str, dict[str, dict[str, float]], dict[str, float], dict[str, float]]:
    n = draw(st.integers(2, 5))
    keys = [f"m{i}" for i in range(n)]
    prices = {k: draw(st.sampled_from([-2.0, -1.0, 0.5, 1.0, 3.0])) for k in keys}
    drives: dict[str, dict[str, float]] = {}
    for i, k in enumerate(keys):  # edges only to later metrics, in a shuffled file order: no cycle
        targets = draw(st.lists(st.sampled_from(keys[i + 1 :]), unique=True)) if i + 1 < n else []
        if targets:
            drives[k] = {t: draw(st.sampled_from([-0.5, 0.25, 0.4, 2.0])) for t in targets}
    order = draw(st.permutations(keys))
    own = {k: draw(st.sampled_from([0.0, 100.0, -40.0, 1000.0])) for k in keys[: draw(st.integers(1, n))]}
    text = '[backlog]\ntitle = "T"\n'
    for k in order:
        text += f'\n[metrics.{k}]\nlabel = "{k}"\nvalue_per_unit = {prices[k]}\n'
        if k in drives:
            text += "drives = { " + ", ".join(f"{t} = {v}" for t, v in drives[k].items()) + " }\n"
    impact = ", ".join(f"{k} = {v}" for k, v in own.items())
    text += item("a", f"impact = {{ {impact} }}", who="[]")
    return text, drives, own, prices


@given(coupled_backlogs())
@settings(max_examples=60, deadline=None)
def test_value_with_couplings_matches_the_recursive_definition(case) -> None:
    text, drives, own, prices = case
    (s,) = score_backlog(parse_backlog(text)).ranked
    expected = sum(_naive(drives, own, m) * p for m, p in prices.items())
    assert math.isclose(s.value, expected, rel_tol=1e-9, abs_tol=1e-6)


def test_without_drives_nothing_changes() -> None:
    b = parse_backlog(HEAD + item("a", "impact = { revenue = 1000 }"))
    (s,) = score_backlog(b).ranked
    assert s.value == 1000 and [p.key for p in explain_item(score_backlog(b), "a").metrics] == ["revenue"]


def test_the_review_knows_teams_and_actual_efforts() -> None:
    text = HEAD + '\n[teams.idle]\nname = "Idle"\n' + item("a", 'team = "idle"\nactual_effort = 2')
    warned = {(w.kind, w.field): w.message for w in review(parse_backlog(text))}
    assert "team 'idle' has no capacity in any phase" in warned["team_no_capacity", "team"]
    assert "actual_effort is 2 wk but the status is 'idea'" in warned["actual_not_done", "actual_effort"]
    fine = HEAD + '\n[teams.t]\nname = "T"\ncapacity = { days_90 = 1 }\n' + item("a", 'team = "t"')
    assert not [w for w in review(parse_backlog(fine)) if w.kind in ("team_no_capacity", "actual_not_done")]
