"""Risk against closed forms: the Beta CDF (computed here from its finite sum for whole-number
shapes, independently of numpy), a coin's quantile, a certain plan, and the value of information of
an input that decides between two items against one that cannot change the plan."""

from __future__ import annotations

import math

import numpy as np

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.plan import build_plan
from fulcrum.risk import analyse, draw
from fulcrum.scoring import lens_weights

START = "start = 2027-01-04\n"


def backlog(text: str, capacity: str = "days_30 = 1\ndays_60 = 3\ndays_90 = 4\n", wins: int = 0):
    head = HEAD.replace('title = "T"\n', 'title = "T"\n' + START)
    return parse_backlog(f"{head}\n[capacity]\n{capacity}\n[plan]\nearly_wins = {wins}\n{text}", "b.toml")


def beta_cdf(x: float, a: int, b: int) -> float:
    """I_x(a, b) for whole a, b: P(at least a of a+b-1 trials succeed), trials with probability x."""
    n = a + b - 1
    return sum(math.comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(a, n + 1))


def pert_shapes(low: float, likely: float, high: float) -> tuple[float, float]:
    return 1 + 4 * (likely - low) / (high - low), 1 + 4 * (high - likely) / (high - low)


def within(p: float, expected: float, n: int) -> bool:
    """Within 4.5 standard errors of a proportion over n samples."""
    return abs(p - expected) <= 4.5 * math.sqrt(expected * (1 - expected) / n) + 1e-12


def test_the_beta_cdf_helper_is_right():
    # Beta(1, 1) is uniform; Beta(2, 1) has CDF x^2; the (2, 4) sum against a midpoint integral.
    assert beta_cdf(0.3, 1, 1) == 0.3 or math.isclose(beta_cdf(0.3, 1, 1), 0.3)
    assert math.isclose(beta_cdf(0.3, 2, 1), 0.09)
    steps = 20000
    dens = [
        ((k + 0.5) / steps) ** 1
        * (1 - (k + 0.5) / steps) ** 3
        / (math.gamma(2) * math.gamma(4) / math.gamma(6))
        for k in range(steps // 2)
    ]
    assert math.isclose(sum(dens) / steps, beta_cdf(0.5, 2, 4), rel_tol=1e-6)


def test_one_uncertain_item_among_certain_ones_tops_by_the_beta_cdf():
    # a and c are worth 1000 and 500 for sure (effort 1 each); b is {0, 500, 2000}: PERT(2, 4) on
    # [0, 2000]. b is first exactly when it draws more than 1000 (equal: a wins the tie by id).
    text = (
        item("a", "impact = { revenue = 1000 }")
        + item("b", "impact = { revenue = { low = 0, likely = 500, high = 2000 } }")
        + item("c", "impact = { revenue = 500 }")
    )
    n = 20000
    risk = analyse(build_plan(backlog(text)), samples=n, plan_samples=0, top=1)
    a, b = pert_shapes(0, 500, 2000)
    assert (a, b) == (2, 4)
    expected = 1 - beta_cdf(1000 / 2000, 2, 4)
    got = {it.id: it.p_top for it in risk.items}
    assert within(got["b"], expected, n)
    assert math.isclose(got["a"] + got["b"], 1.0)
    assert got["c"] == 0.0


def test_confidence_one_half_puts_the_tenth_percentile_at_zero():
    text = item("a", "impact = { revenue = 1000 }\nconfidence = 0.5")
    risk = analyse(build_plan(backlog(text)), samples=2000, plan_samples=0)
    (a,) = risk.items
    assert a.value.p10 == 0.0
    assert a.value.p90 == 1000.0
    assert a.value.p50 in (0.0, 1000.0)


def test_a_certain_plan_that_fits_is_sure_to_fit():
    text = item("a", "impact = { revenue = 1000 }") + item("b", "impact = { revenue = 700 }", "2")
    plan = build_plan(backlog(text))
    assert {p.id for p in plan.planned} == {"a", "b"}
    risk = analyse(plan, samples=500, plan_samples=20)
    assert risk.fits == 1.0
    assert all(it.p_on_time == 1.0 and it.p_in_plan == 1.0 for it in risk.items)
    assert risk.value.p10 == risk.value.p90 == risk.value.mean
    assert math.isclose(risk.value.mean, plan.objective)
    assert risk.evpi == 0.0


def test_an_effort_range_straddling_the_capacity_left_fits_with_the_beta_probability():
    # 8 person-weeks by day 90; effort {6, 7, 10}: PERT(2, 4) on [6, 10], expected 7.33: planned
    # by day 90, and it finishes when it draws at most 8.
    text = item("a", "impact = { revenue = 1000 }", "{ low = 6, likely = 7, high = 10 }")
    plan = build_plan(backlog(text))
    assert [(p.id, p.phase) for p in plan.planned] == [("a", 90)]
    n = 20000
    risk = analyse(plan, samples=n, plan_samples=0)
    assert pert_shapes(6, 7, 10) == (2, 4)
    expected = beta_cdf((8 - 6) / (10 - 6), 2, 4)
    assert within(risk.fits, expected, n)
    assert risk.items[0].p_on_time == risk.fits


def test_the_input_that_decides_between_two_items_is_worth_the_most():
    # Room for one 1-week item by day 30 and nothing after. b is worth 1000 for sure; a's revenue
    # is {0, 500, 2000} (expected 667): the plan does b, but a is better whenever it draws over
    # 1000. c can never be done (5 weeks): its range cannot change the plan.
    text = (
        item("a", "impact = { revenue = { low = 0, likely = 500, high = 2000 } }")
        + item("b", "impact = { revenue = 1000 }")
        + item("c", "impact = { revenue = { low = 0, likely = 5000, high = 9000 } }", "5")
    )
    plan = build_plan(backlog(text, "days_30 = 1\ndays_60 = 0\ndays_90 = 0\n"))
    assert [p.id for p in plan.planned] == ["b"]
    risk = analyse(plan, samples=4000, plan_samples=100)
    by = {(q.id, q.input): q.evppi for q in risk.verify_first}
    top = risk.verify_first[0]
    assert (top.id, top.input) == ("a", "impact.revenue")
    assert by[("c", "impact.revenue")] < 0.1 * by[("a", "impact.revenue")]
    # With two candidate plans (b, or a instead), perfect information about a is all there is to
    # know: EVPPI(a) is close to EVPI, which is E[max(a - 1000, 0)] first-year-weighted.
    assert risk.candidates == 2
    w = (365 - 30) / 365
    # E[max(X - 1000, 0)] for X = 2000 * Beta(2, 4): a midpoint integral of the density.
    steps = 20000
    norm = math.gamma(2) * math.gamma(4) / math.gamma(6)
    gain = sum(
        max(2000 * x - 1000, 0) * x * (1 - x) ** 3 / norm / steps
        for x in ((k + 0.5) / steps for k in range(steps))
    )
    assert math.isclose(risk.evpi, w * gain, rel_tol=0.15)
    assert by[("a", "impact.revenue")] <= risk.evpi + 1e-9
    assert by[("a", "impact.revenue")] > 0.7 * risk.evpi
    # At the low end of a's range the plan stays b; at the high end it does a instead.
    assert top.at_low == ()
    assert set(top.at_high) == {("a", None, 30), ("b", 30, None)}


def test_draws_are_the_pert_distribution_and_the_coin():
    text = item("a", "impact = { revenue = { low = 0, likely = 500, high = 2000 } }\nconfidence = 0.25")
    b = backlog(text)
    plan = build_plan(b)
    smp = draw(b, plan.ranking.ranked, lens_weights(b), 20000, np.random.Generator(np.random.PCG64(3)))
    heads = smp.materialised[:, 0]
    assert within(float(heads.mean()), 0.25, 20000)
    drawn = smp.value[heads, 0]
    assert within(float(np.mean(drawn <= 1000)), beta_cdf(0.5, 2, 4), int(heads.sum()))
    assert (smp.value[~heads, 0] == 0).all()
