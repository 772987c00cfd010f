"""Re-ranking after an edit (``scoring.rescore``) gives exactly the ranking a full scoring gives:
the same items in the same order with the same numbers, quadrants and thresholds, under every
lens and method, with couplings, for edits that move an item, close or reopen it, finish what
others depend on, add an item, or change several at once."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum.backlog import Backlog, Estimate, Item, parse_backlog
from fulcrum.scoring import Ranking, ScoringError, score_backlog
from fulcrum.scoring.rescore import rescore

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

BASES = [parse_backlog(synth_text(24, seed)) for seed in range(3)]
COUPLED = BASES[0].model_copy(
    update={
        "metrics": {
            **BASES[0].metrics,
            "mau": BASES[0].metrics["mau"].model_copy(update={"drives": {"infra_cost": 0.4}}),
        }
    }
)
BASES.append(COUPLED)
METHODS = ["value_density", "rice", "ice", "formula"]
LENSES = ["everyone", "cfo", "pm", "support"]


def same(a: Ranking, b: Ranking) -> None:
    assert [(s.id, s.rank) for s in a.ranked] == [(s.id, s.rank) for s in b.ranked]
    assert a.ranked == b.ranked  # every number, quadrant, score error and item
    assert (a.value_threshold, a.feasibility_threshold) == (b.value_threshold, b.feasibility_threshold)
    assert a.closed == b.closed
    assert (a.lens, a.method, a.formula, a.no_price_note) == (b.lens, b.method, b.formula, b.no_price_note)
    assert a.backlog is b.backlog
    assert all(a.get(it.id) == b.get(it.id) for it in a.backlog.items)
    assert a.statuses == b.statuses


edit = st.fixed_dictionaries(
    {
        "effort": st.sampled_from([None, 0.25, 1.0, 3.0, 40.0]),
        "confidence": st.sampled_from([None, 0.0, 0.5, 1.0]),
        "status": st.sampled_from([None, "idea", "done", "dropped", "deferred"]),
        "revenue": st.sampled_from([None, 0.0, 5e5, 5e7, -1e6]),
        "depends_on": st.booleans(),
        "fields": st.booleans(),
    }
)


def edited(backlog: Backlog, index: int, change: dict) -> Item:
    it = backlog.items[index]
    update: dict = {}
    if change["effort"] is not None:
        update["effort"] = Estimate(low=change["effort"], likely=change["effort"], high=change["effort"])
    if change["confidence"] is not None:
        update["confidence"] = change["confidence"]
    if change["status"] is not None:
        update["status"] = change["status"]
    if change["revenue"] is not None:
        update["impact"] = {
            **it.impact,
            "revenue": Estimate(low=0, likely=change["revenue"], high=change["revenue"])
            if change["revenue"] > 0
            else Estimate(low=change["revenue"], likely=change["revenue"], high=change["revenue"]),
        }
    if change["depends_on"] and index > 0:
        update["depends_on"] = [backlog.items[0].id]
    if change["fields"]:
        update["fields"] = {**it.fields, "reach": 7.0}
    return it.model_copy(update=update)


@settings(max_examples=80, deadline=None)
@given(
    base=st.sampled_from(BASES),
    method=st.sampled_from(METHODS),
    lens=st.sampled_from(LENSES),
    edits=st.lists(st.tuples(st.integers(0, 23), edit), min_size=1, max_size=3),
    append=st.booleans(),
    indexed=st.booleans(),
)
def test_rescoring_an_edit_is_a_full_scoring(base, method, lens, edits, append, indexed) -> None:
    previous = score_backlog(base, lens, method)
    if indexed:  # the previous ranking's index by id is built: the new one's is made from it
        previous.get(base.items[0].id)
    items = list(base.items)
    for index, change in edits:
        items[index] = edited(base, index, change)
    if append:
        items.append(items[0].model_copy(update={"id": "brand-new", "status": "idea"}))
    backlog = base.model_copy(update={"items": items})
    same(rescore(previous, backlog), score_backlog(backlog, lens, method))


@settings(max_examples=40, deadline=None)
@given(
    base=st.sampled_from(BASES),
    method=st.sampled_from(METHODS),
    edits=st.lists(st.tuples(st.integers(0, 23), edit), min_size=2, max_size=6),
)
def test_a_run_of_edits_rescored_one_after_the_other_stays_a_full_scoring(base, method, edits) -> None:
    """Each re-rank starts from the last one (its index by id and its sorted values carried on)."""
    ranking = score_backlog(base, "everyone", method)
    backlog = base
    for index, change in edits:
        backlog = backlog.replace_item(edited(backlog, index, change))
        ranking = rescore(ranking, backlog)
        same(ranking, score_backlog(backlog, "everyone", method))


def test_finishing_an_item_raises_the_feasibility_of_what_depends_on_it() -> None:
    base = BASES[0]
    dep = next(it for it in base.items if it.depends_on and it.status not in ("done", "dropped"))
    first = base.item(dep.depends_on[0])
    previous = score_backlog(base)
    for status in ("done", "idea"):
        backlog = base.replace_item(first.model_copy(update={"status": status}))
        fresh = score_backlog(backlog)
        same(rescore(previous, backlog), fresh)
        previous = fresh
    assert rescore(previous, base).get(dep.id) == score_backlog(base).get(dep.id)


def test_an_edit_that_leaves_a_method_without_its_fields_raises_the_full_error() -> None:
    base = BASES[1]
    previous = score_backlog(base, method="rice")
    it = next(it for it in base.items if it.status not in ("done", "dropped"))
    backlog = base.replace_item(it.model_copy(update={"fields": {}}))
    with pytest.raises(ScoringError) as full:
        score_backlog(backlog, method="rice")
    with pytest.raises(ScoringError) as incremental:
        rescore(previous, backlog)
    assert incremental.value.problems == full.value.problems


def test_unchanged_items_keep_their_scored_objects() -> None:
    base = BASES[2]
    previous = score_backlog(base)
    last = previous.ranked[-1]
    backlog = base.replace_item(last.item.model_copy(update={"title": "renamed"}))
    out = rescore(previous, backlog)
    same(out, score_backlog(backlog))
    assert all(a is b for a, b in zip(out.ranked[:-1], previous.ranked[:-1], strict=True))
