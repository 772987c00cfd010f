"""Dominance fixing in the MILP (``milp._Model._dominated``): exact, and it does fire.

An item that is worth no more and costs no less than another of its pool (without dependencies or
alternatives) is never needed before it; the solver bars the phases by which it and everything
that dominates it cannot all be done. The property solves random problems built to have many such
pairs (few distinct gains and efforts, ties included) and compares with every assignment tried.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulcrum.plan import milp
from fulcrum.plan.model import EPS, Problem, objective
from fulcrum.plan.strategy import polish

WEIGHTS = (0.9, 0.8, 0.7)


def feasible(pb: Problem, phase: tuple[int | None, ...]) -> bool:
    """The rules of ``Problem`` read from its docstrings, for an assignment of every candidate."""
    n = len(pb.gain)
    for i, p in enumerate(phase):
        if pb.fixed[i] is not None:
            if p != pb.fixed[i]:
                return False
            continue
        if pb.mandatory[i] and (p is None or p > pb.hi[i]):
            return False
        if p is None:
            continue
        if p < pb.first or (pb.blocked[i] and not pb.mandatory[i]):
            return False
        if any(phase[j] is None or phase[j] > p for j in pb.deps[i]):  # type: ignore[operator]
            return False
    for g in pb.groups:
        forced = sum(1 for i in g if pb.fixed[i] is not None or pb.mandatory[i])
        chosen = sum(1 for i in g if phase[i] is not None and pb.fixed[i] is None and not pb.mandatory[i])
        if chosen > max(0, 1 - forced):
            return False
    for pool, cap in enumerate(pb.capacity):
        for q in range(3):
            used = sum(
                pb.effort[i]
                for i in range(n)
                if pb.pool[i] == pool and (p := phase[i]) is not None and p <= q
            )
            if used > cap[q] + EPS:
                return False
    wins = sum(1 for i in range(n) if pb.counts[i] and phase[i] == 0)
    met = sum(
        1 for i in range(n) if (d := pb.deadline[i]) is not None and (p := phase[i]) is not None and p <= d
    )
    return wins >= pb.min_count and met >= pb.min_deadlines


def best(pb: Problem) -> float | None:
    values = [
        objective(pb, phase)
        for phase in itertools.product((None, 0, 1, 2), repeat=len(pb.gain))
        if feasible(pb, phase)
    ]
    return max(values) if values else None


@st.composite
def problems(draw: Any) -> Problem:
    n = draw(st.integers(3, 7))
    pools = draw(st.integers(1, 2))
    capacity = []
    for _ in range(pools):
        a = draw(st.integers(0, 3))
        b = a + draw(st.integers(0, 3))
        capacity.append((float(a), float(b), float(b + draw(st.integers(0, 3)))))
    gain = [float(draw(st.sampled_from([-1, 0, 1, 2, 2, 3, 3]))) * 1000 for _ in range(n)]
    effort = [float(draw(st.sampled_from([1, 1, 2, 2, 3]))) for _ in range(n)]
    deps = [sorted(set(draw(st.lists(st.integers(0, i - 1), max_size=1)))) if i else [] for i in range(n)]
    pool = [draw(st.integers(0, pools - 1)) for _ in range(n)]
    counts = [draw(st.booleans()) and gain[i] > 0 for i in range(n)]
    fixed: list[int | None] = [draw(st.sampled_from([None] * 6 + [0, 2])) for _ in range(n)]
    for pl, cap in enumerate(capacity):  # pinned work within its pool (over it, the caller raises the limit)
        if any(
            sum(effort[i] for i in range(n) if pool[i] == pl and (f := fixed[i]) is not None and f <= q)
            > cap[q]
            for q in range(3)
        ):
            fixed = [None if pool[i] == pl else f for i, f in enumerate(fixed)]
    groups = []
    if n >= 4 and draw(st.booleans()):
        groups.append(sorted(draw(st.sets(st.integers(0, n - 1), min_size=2, max_size=3))))
    return Problem(
        gain=gain,
        effort=effort,
        deps=deps,
        capacity=capacity,
        weights=WEIGHTS,
        fixed=fixed,
        counts=counts,
        pool=pool,
        groups=groups,
        first=draw(st.sampled_from([0, 0, 0, 1])),
        min_count=draw(st.sampled_from([0, 0, 1, 2])),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_dominance_keeps_the_optimum(pb: Problem) -> None:
    exact = best(pb)
    sol = milp.solve(pb)
    if exact is None:
        assert sol is None
        return
    assert sol is not None
    assert feasible(pb, tuple(sol.phase))
    assert abs(sol.objective - exact) <= 1e-7 * max(1.0, abs(exact))
    assert sol.bound >= exact - 1e-7 * max(1.0, abs(exact))
    assert abs(objective(pb, polish(pb, sol.phase)) - exact) <= 1e-7 * max(1.0, abs(exact))


def pair() -> Problem:
    """a (gain 10, effort 2) dominates b (gain 5, effort 2); the pool holds 3 by day 90."""
    return Problem(
        gain=[10.0, 5.0, 4.0], effort=[2.0, 2.0, 1.0], deps=[[], [], []], capacity=(1, 2, 3), weights=WEIGHTS
    )


def test_a_dominated_item_is_barred_where_it_and_its_dominator_cannot_both_fit() -> None:
    model = milp._Model(pair(), "value")
    k = model.col_of[1]
    assert model.dominated >= {3 * k + 1, 3 * k + 2}  # with a (2 wk) by day 60 or 90: 4 > 2, 4 > 3
    # c (1 wk) is dominated by nothing: a and b cost more.
    assert not any(3 * model.col_of[2] + q in model.dominated for q in range(3))
    sol = milp.solve(pair())
    assert sol is not None and sol.phase[1] is None and sol.phase[0] is not None


def test_dominance_is_off_for_the_counting_levels() -> None:
    """The wins and deadlines solves price items by another measure: nothing is barred there."""
    assert not milp._Model(pair(), "wins").dominated
    assert not milp._Model(pair(), "deadlines").dominated


def test_a_start_that_plans_the_dominated_item_is_swapped_not_lost() -> None:
    model = milp._Model(pair(), "value")
    start: list[int | None] = [None, 1, 0]  # b by day 60, a not planned: feasible, but barred
    fixed = model._undominated(start)
    assert fixed == [1, None, 0]
    assert objective(pair(), fixed) >= objective(pair(), start)


def test_of_two_identical_items_the_better_ranked_is_the_one_kept() -> None:
    pb = Problem(gain=[5.0, 5.0], effort=[2.0, 2.0], deps=[[], []], capacity=(0, 0, 3), weights=WEIGHTS)
    model = milp._Model(pb, "value")
    assert 3 * model.col_of[1] + 2 in model.dominated  # (phases 0 and 1 hold nothing anyway)
    assert 3 * model.col_of[0] + 2 not in model.dominated
    sol = milp.solve(pb)
    assert sol is not None and sol.phase == [2, None]


def test_an_item_something_depends_on_is_never_barred() -> None:
    """b is needed by c: dropping b for a would strand c, so b is not dominated."""
    pb = Problem(
        gain=[10.0, 5.0, 20.0],
        effort=[2.0, 2.0, 1.0],
        deps=[[], [], [1]],
        capacity=(0, 0, 5),
        weights=WEIGHTS,
    )
    model = milp._Model(pb, "value")
    assert not any(3 * model.col_of[1] + q in model.dominated for q in range(3))
    sol = milp.solve(pb)
    assert sol is not None and sol.phase == [2, 2, 2]


def test_a_quick_win_is_dominated_only_by_quick_wins() -> None:
    """b is the only quick win and the rule needs one in phase 0, where a and b do not both fit:
    a (worth more, not a quick win) must not push b out of phase 0."""
    pb = Problem(
        gain=[10.0, 5.0],
        effort=[1.0, 1.0],
        deps=[[], []],
        capacity=(1, 2, 2),
        weights=WEIGHTS,
        counts=[False, True],
        min_count=1,
    )
    model = milp._Model(pb, "value")
    assert 3 * model.col_of[1] not in model.dominated
    sol = milp.solve(pb)
    assert sol is not None and sol.phase == [1, 0]
