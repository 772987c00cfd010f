"""Quadrants at 0: an item worth 0 or less is never high value, whatever the threshold; a lens that
prices nothing says so in the ranking, `rank` and the export; the early-wins rule counts only
quick wins worth more than 0."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlogs import HEAD, item
from fulcrum.backlog import load_backlog, parse_backlog
from fulcrum.output import render_markdown
from fulcrum.plan import build_plan
from fulcrum.scoring import quadrant, score_backlog

SUPPORT_NOTE = "none of support's metrics has a price: set value_per_unit on ticket_minutes"


@pytest.mark.parametrize(
    ("value", "threshold", "expected"),
    [
        (0.0, 0.0, "fill_in"),  # the median of half-zero values is 0: $0 is still not high value
        (-5.0, -10.0, "fill_in"),
        (1.0, 0.0, "quick_win"),
        (0.0, -1.0, "fill_in"),
    ],
)
def test_nothing_worth_0_or_less_is_high_value(value: float, threshold: float, expected: str) -> None:
    assert quadrant(value, 0.9, threshold, 0.5) == expected
    low = {"fill_in": "money_pit", "quick_win": "big_bet"}[expected]
    assert quadrant(value, 0.1, threshold, 0.5) == low


def test_under_a_lens_that_prices_nothing_there_are_no_quick_wins(example_toml) -> None:
    r = score_backlog(load_backlog(example_toml), lens="support")
    assert {s.quadrant for s in r.ranked} <= {"fill_in", "money_pit"}
    assert r.no_price_note == SUPPORT_NOTE
    assert score_backlog(load_backlog(example_toml)).no_price_note is None


def test_rank_and_the_export_say_the_lens_prices_nothing(cli, example_toml) -> None:
    code, out, err = cli("rank", str(example_toml), "--lens", "support", "--format", "json")
    assert code == 0 and err == f"fulcrum: {SUPPORT_NOTE}\n"
    assert '"quick_win"' not in out
    md = render_markdown(load_backlog(example_toml), lens="support", start=date(2026, 12, 1))
    shown = SUPPORT_NOTE.replace("_", "\\_")  # Markdown-escaped, as all user-facing text is
    assert f"- **Note:** {shown}: every item is worth 0" in md


def test_a_backlog_without_prices_says_so_for_everyone() -> None:
    text = HEAD.replace("value_per_unit = 1.0\n", "") + item("a", "impact = { revenue = 5 }")
    r = score_backlog(parse_backlog(text, "b.toml"))
    assert r.no_price_note == "none of the backlog's metrics has a price: set value_per_unit on revenue"


def test_an_item_worth_0_is_no_early_win() -> None:
    text = (
        HEAD
        + "\n[capacity]\ndays_30 = 1\ndays_60 = 1\ndays_90 = 1\n"
        + item("zero", "impact = { revenue = 0 }")
        + item("big", "impact = { revenue = 9000 }")
    )
    plan = build_plan(parse_backlog(text, "b.toml"), start=date(2026, 12, 1))
    assert [p.scored.id for p in plan.phases[0].items] == ["big"]
    assert all(not p.quick_win for ph in plan.phases for p in ph.items if p.scored.value <= 0)


@given(st.lists(st.floats(-1e15, 1e15, allow_nan=False), max_size=40))
def test_the_median_is_the_statistics_median(values: list[float]) -> None:
    import statistics

    from fulcrum.scoring.table import median

    assert median(values) == (statistics.median(values) if values else 0.0)
