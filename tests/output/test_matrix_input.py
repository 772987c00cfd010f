"""What the matrix shows is the same read from a loaded backlog's ranking and from its scoring table
(the cached `fulcrum matrix` reads the table, kept by marshal, and loads no model)."""

from __future__ import annotations

import marshal
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum.backlog import Backlog, load_backlog, parse_backlog
from fulcrum.output import chart_input, table_chart_input
from fulcrum.scoring import EVERYONE, ScoringTable, rank_table, score_backlog, table_of

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text


def from_the_cache(backlog: Backlog) -> ScoringTable:
    """The backlog's table as a cache hit reads it back."""
    table = ScoringTable.from_plain(marshal.loads(marshal.dumps(table_of(backlog).to_plain())))
    assert table is not None
    return table


def assert_same_chart(backlog: Backlog, lens: str, method: str | None, formula: str | None = None) -> None:
    table = from_the_cache(backlog)
    from_table = table_chart_input(table, rank_table(table, lens, method, formula))
    assert from_table == chart_input(score_backlog(backlog, lens, method, formula))


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(0, 40),
    lens_at=st.integers(0, 10),
    method=st.sampled_from([None, "value_density", "formula"]),
    fixed=st.sampled_from([None, 0.0, 50_000.0]),
)
def test_the_table_shows_what_the_ranking_shows(
    seed: int, n: int, lens_at: int, method: str | None, fixed: float | None
) -> None:
    backlog = parse_backlog(synth_text(n, seed))
    if fixed is not None:
        scoring = backlog.scoring.model_copy(update={"quick_win_min_value": fixed})
        backlog = backlog.model_copy(update={"scoring": scoring})
    lenses = [EVERYONE, *backlog.stakeholders]
    formula = "value * confidence - effort" if method == "formula" else None
    assert_same_chart(backlog, lenses[lens_at % len(lenses)], method, formula)


@pytest.mark.parametrize("lens", [EVERYONE, "cfo", "support"])
def test_the_example_and_its_closed_items(example_toml, lens: str) -> None:
    backlog = load_backlog(example_toml)
    assert any(it.status in ("done", "dropped") for it in backlog.items)
    assert_same_chart(backlog, lens, None)
