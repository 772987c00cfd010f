"""The value-case review (the warnings of `fulcrum check`): what warns and when."""

from __future__ import annotations

import pytest

from backlogs import COST_HEAD as HEAD
from backlogs import titled_item as item
from fulcrum.backlog import load_example, parse_backlog
from fulcrum.scoring import review, review_threshold
from fulcrum.scoring.review import KINDS, percentile


def kinds(text: str) -> list[tuple[str, str | None, str]]:
    return [(w.kind, w.item, w.field) for w in review(parse_backlog(text))]


# --- the threshold ----------------------------------------------------------------------------------


def test_percentile_interpolates_between_order_statistics() -> None:
    assert percentile([], 0.75) == 0.0
    assert percentile([5.0], 0.75) == 5.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.75) == pytest.approx(3.25)
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 0.75) == 40.0


def test_default_threshold_is_the_75th_percentile_of_open_item_values() -> None:
    values = [10_000, 20_000, 30_000, 40_000, 50_000]
    text = HEAD + "".join(item(f"i{v}", f"impact = {{ revenue = {v} }}") for v in values)
    text += item("closed", "status = 'done'\nimpact = { revenue = 9_000_000 }")  # not counted
    threshold, how = review_threshold(parse_backlog(text))
    assert threshold == 40_000 and "75th percentile" in how
    # 50k is above 40k and has no evidence; 40k is not above it.
    assert kinds(text) == [("no_evidence", "i50000", "impact.revenue")]


def test_review_min_value_overrides_the_default() -> None:
    text = HEAD + "\n[review]\nmin_value = 5_000\n" + item("a", "impact = { revenue = 6_000 }")
    assert review_threshold(parse_backlog(text)) == (5_000, "[review] min_value")
    assert kinds(text) == [("no_evidence", "a", "impact.revenue")]


def test_evidence_for_that_metric_silences_it_but_evidence_for_another_does_not() -> None:
    base = HEAD + "\n[review]\nmin_value = 1_000\n"
    ok = base + item("a", 'impact = { revenue = 6_000 }\nevidence = { revenue = "A/B test" }')
    other = base + item("a", 'impact = { revenue = 6_000 }\nevidence = { effort = "guess" }')
    blank = base + item("a", 'impact = { revenue = 6_000 }\nevidence = { revenue = "  " }')
    assert kinds(ok) == []
    assert kinds(other) == kinds(blank) == [("no_evidence", "a", "impact.revenue")]


def test_the_size_of_an_impact_is_its_priced_expected_value_whatever_the_sign() -> None:
    text = HEAD + "\n[review]\nmin_value = 20_000\n"
    text += item("save", "impact = { cloud = { low = -45_000, likely = -25_000, high = -5_000 } }")
    (w,) = review(parse_backlog(text))
    assert w.kind == "no_evidence" and "$25k/yr" in w.message and "$20k" in w.message


def test_an_unsourced_impact_is_said_to_be_worth_its_amount_before_confidence() -> None:
    """The amount is the claim (expected change x price), not the value after confidence."""
    text = HEAD + "\n[review]\nmin_value = 20_000\n"
    text += item("guess", "confidence = 0.5\nimpact = { revenue = 100_000 }")
    text += item("bill", "impact = { cloud = 25_000 }")  # more cloud spend: a cost
    gain, cost = review(parse_backlog(text))
    assert gain.message.startswith("worth $100k/yr before confidence (above the review threshold of $20k/yr)")
    assert cost.message.startswith(
        "a cost of $25k/yr before confidence (above the review threshold of $20k/yr)"
    )


def test_the_other_warnings_say_what_their_numbers_are() -> None:
    text = HEAD.replace('source = "bill"\n', "") + item("big", effort="{ low = 4, likely = 6, high = 14 }")
    text += item("cut1", "impact = { cloud = -60_000 }\nevidence = { cloud = 'quote' }")
    text += item("cut2", "impact = { cloud = -60_000 }\nevidence = { cloud = 'quote' }")
    messages = {w.kind: w.message for w in review(parse_backlog(text))}
    assert messages["certain_big"].startswith("confidence 1.0 on an expected 7 wk of work")
    assert messages["metric_no_source"].startswith("priced at -$1/yr per unit with no source")
    assert messages["below_zero_total"].startswith(
        "the open items together change it by -120k (the sum of their expected effective changes, "
        "before confidence)"
    )


# --- the other warnings --------------------------------------------------------------------------


def test_a_metric_without_price_or_without_source() -> None:
    text = HEAD + '\n[metrics.minutes]\nlabel = "M"\n\n[metrics.nps]\nlabel = "NPS"\nvalue_per_unit = 10.0\n'
    text += item("a", "impact = { minutes = -5 }")
    ws = review(parse_backlog(text))
    assert [(w.kind, w.item, w.field) for w in ws] == [
        ("metric_unpriced", None, "metrics.minutes.value_per_unit"),
        ("metric_no_source", None, "metrics.nps.source"),
    ]
    assert "1 open item(s) moving it are priced at 0" in ws[0].message


def test_a_change_below_zero_says_which_end() -> None:
    likely = item("likely", "impact = { cloud = -150_000 }")
    low_end = item("low", "impact = { cloud = { low = -120_000, likely = -60_000, high = -10_000 } }")
    fine = item("fine", "impact = { cloud = -100_000 }")  # exactly the whole bill: not below zero
    ws = [w for w in review(parse_backlog(HEAD + likely + low_end + fine)) if w.kind == "below_zero"]
    assert [(w.item, w.field) for w in ws] == [("likely", "impact.cloud"), ("low", "impact.cloud")]
    assert ws[0].message.startswith("the likely change of -150k")
    assert ws[1].message.startswith("the low end of -120k")
    assert "baseline 1e+05" in ws[0].message or "baseline 100k" in ws[0].message


def test_items_that_together_save_more_than_the_bill() -> None:
    text = HEAD + item("a", "impact = { cloud = -60_000 }") + item("b", "impact = { cloud = -50_000 }")
    ws = [w for w in review(parse_backlog(text)) if w.kind.startswith("below_zero")]
    assert [(w.kind, w.item, w.field) for w in ws] == [("below_zero_total", None, "metrics.cloud.baseline")]


def test_confidence_one_on_a_large_item_only() -> None:
    big = item("big", "confidence = 1.0", effort="{ low = 4, likely = 6, high = 14 }")
    small = item("small", "confidence = 1.0", effort="2")
    unsure = item("unsure", "confidence = 0.9", effort="20")
    assert kinds(HEAD + big + small + unsure) == [("certain_big", "big", "confidence")]


def test_an_item_nobody_requested_and_a_dependency_on_a_dropped_item() -> None:
    text = HEAD + item("gone", "status = 'dropped'") + item("orphan", 'depends_on = ["gone"]', who="[]")
    assert kinds(text) == [
        ("unrequested", "orphan", "requested_by"),
        ("depends_on_dropped", "orphan", "depends_on (the 1st entry)"),
    ]


def test_closed_items_are_not_reviewed() -> None:
    text = HEAD + "\n[review]\nmin_value = 1\n"
    text += item(
        "done", "status = 'done'\nconfidence = 1.0\nimpact = { cloud = -900_000 }", effort="50", who="[]"
    )
    assert kinds(text) == []


def test_every_warning_carries_its_item_and_line_when_text_is_given() -> None:
    text = HEAD + "\n[metrics.m]\nlabel = 'M'\n" + item("a", "impact = { m = 1 }", who="[]")
    ws = review(parse_backlog(text), text)
    lines = text.split("\n")
    by_kind = {w.kind: w for w in ws}
    assert lines[by_kind["unrequested"].line - 1].startswith("requested_by")
    assert lines[by_kind["metric_unpriced"].line - 1] == "[metrics.m]"
    assert by_kind["unrequested"].item == "a"
    assert all(w.kind in KINDS for w in ws)


def test_review_is_pure() -> None:
    b = load_example()
    before = b.model_dump()
    assert review(b) == review(b)
    assert b.model_dump() == before
