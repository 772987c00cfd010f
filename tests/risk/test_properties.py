"""Properties of the risk analysis on generated backlogs: the mean of the value samples tends to
the deterministic value (within a few standard errors), every probability is in [0, 1], the
P(rank <= k) of all items sum to k, EVPPI never exceeds EVPI by more than rounding, and the same seed
gives the same bytes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import COST_HEAD, item
from fulcrum.backlog import load_example, parse_backlog
from fulcrum.plan import build_plan
from fulcrum.risk import analyse, draw, risk_to_json
from fulcrum.scoring import lens_weights

COUPLED = COST_HEAD.replace('source = "plan"\n', 'source = "plan"\ndrives = { cloud = 0.1 }\n', 1)


@st.composite
def estimates(draw_: st.DrawFn, lo: float, hi: float) -> str:
    a, b, c = sorted(draw_(st.lists(st.floats(lo, hi, allow_nan=False), min_size=3, max_size=3)))
    if draw_(st.booleans()):
        return repr(round(b, 2))
    return f"{{ low = {round(a, 2)!r}, likely = {round(b, 2)!r}, high = {round(c, 2)!r} }}"


@st.composite
def backlogs(draw_: st.DrawFn):
    n = draw_(st.integers(1, 7))
    text = "start = 2027-01-04\n"
    head = COUPLED.replace('title = "T"\n', 'title = "T"\n' + text)
    body = ""
    for k in range(n):
        revenue = draw_(estimates(0, 5000))
        cloud = draw_(estimates(-3000, 0))
        effort = draw_(estimates(0.5, 6))
        conf = draw_(st.sampled_from([1.0, 0.9, 0.5, 0.2]))
        body += item(
            f"i{k}", f"confidence = {conf}\nimpact = {{ revenue = {revenue}, cloud = {cloud} }}", effort
        )
    return parse_backlog(head + body, "b.toml")


@settings(max_examples=25, deadline=None)
@given(backlogs(), st.integers(0, 2**32))
def test_the_mean_of_the_value_samples_is_the_value(b, seed):
    ranking = build_plan(b).ranking
    n = 4000
    smp = draw(b, ranking.ranked, lens_weights(b), n, np.random.Generator(np.random.PCG64(seed)))
    for k, s in enumerate(ranking.ranked):
        col = smp.value[:, k]
        error = 5 * float(col.std()) / math.sqrt(n) + 1e-9 * max(1.0, abs(s.value))
        assert abs(float(col.mean()) - s.value) <= error, s.id
        e = smp.effort[:, k]
        assert abs(float(e.mean()) - s.effort) <= 5 * float(e.std()) / math.sqrt(n) + 1e-9
        assert (e >= s.item.effort.low - 1e-12).all() and (e <= s.item.effort.high + 1e-12).all()


@settings(max_examples=15, deadline=None)
@given(backlogs(), st.integers(1, 8), st.integers(0, 1000))
def test_probabilities_and_ranks_add_up(b, top, seed):
    risk = analyse(build_plan(b), samples=200, plan_samples=4, seed=seed, top=top)
    n = len(risk.items)
    assert math.isclose(sum(it.p_top for it in risk.items), min(top, n))
    probabilities = [risk.fits] + [
        p
        for it in risk.items
        for p in (it.p_top, it.p_in_plan, it.p_first_phase, it.p_on_time)
        if p is not None
    ]
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    for it in risk.items:
        assert 1 <= it.rank.p10 <= it.rank.p50 <= it.rank.p90 <= n
        assert it.value.p10 <= it.value.p50 <= it.value.p90
    assert risk.evpi >= 0.0
    assert all(0.0 <= q.evppi <= risk.evpi + 1e-6 * max(1.0, abs(risk.value.mean)) for q in risk.verify_first)
    assert [q.evppi for q in risk.verify_first] == sorted((q.evppi for q in risk.verify_first), reverse=True)


@settings(max_examples=8, deadline=None)
@given(backlogs(), st.integers(0, 2**63 - 1))
def test_the_same_seed_gives_the_same_bytes(b, seed):
    plan = build_plan(b)

    def text() -> str:
        return json.dumps(risk_to_json(analyse(plan, samples=100, plan_samples=3, seed=seed)), indent=2)

    assert text() == text()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_an_input_no_candidate_plan_depends_on_is_worth_nothing_to_check(seed):
    """Its EVPPI is 0 exactly: the numbers of an item no candidate plans (the example's deferred
    ledger rewrite) and an impact on a metric without a price (ticket minutes, worth nothing under any
    lens); the bins of a finite sample showed a few thousand dollars by chance (with seed 1: $3.87k
    and $1.98k), which "verify first" listed as worth checking."""
    backlog = load_example()
    plan = build_plan(backlog)
    risk = analyse(plan, samples=500, plan_samples=20, seed=seed)
    assert risk.candidates > 1
    deferred = {it.id for it in backlog.items if it.status == "deferred"}
    unpriced = {k for k, m in backlog.metrics.items() if not m.value_per_unit and not m.drives}
    assert deferred and unpriced
    inert = [q for q in risk.verify_first if q.id in deferred or q.input.removeprefix("impact.") in unpriced]
    assert inert and all(q.evppi == 0.0 for q in inert), [(q.id, q.input, q.evppi) for q in inert if q.evppi]
    assert any(q.evppi > 0 for q in risk.verify_first)  # the others are still weighed
