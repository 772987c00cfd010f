"""The matrix chart's data: points, quadrants, thresholds, ticks, labels, the off-chart list, and
navigation. Pixels are not asserted, except that the drawn chart has the size asked and shows the
labels where the data put them.

- Golden points equal rank.json (x, log value, quadrant, rank order); thresholds and their ticks;
  quadrants on the side of the lines they name; labels (top N, selected first, cut ids, ``#rank``
  twins, a crowded highlight); off-chart reasons; no value line under $1; an empty chart; tick
  ladders; step and next-in-quadrant navigation; the drawn chart's size, colours and highlight.
- A Hypothesis property over generated backlogs: the points and the off-chart list partition the
  items, cells in range, ticks sorted and unique, no label over a point or another label, the
  label limit, the selected item labelled first.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulcrum.backlog import load_backlog, parse_backlog
from fulcrum.output import chart, matrix
from fulcrum.scoring import Ranking, score_backlog

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def golden(golden_toml) -> Ranking:
    return score_backlog(load_backlog(golden_toml))


def backlog_text(items: list[tuple[str, float, float, int]], threshold: str = '"median"') -> str:
    """A backlog of items (id, revenue per year, effort, teams needed)."""
    out = [
        '[backlog]\ntitle = "t"\n[scoring]\nquick_win_min_value = ' + threshold,
        '[metrics.revenue]\nlabel = "Revenue"\nvalue_per_unit = 1.0',
    ]
    for item_id, revenue, effort, needs in items:
        teams = ", ".join(f'"t{i}"' for i in range(needs))
        out.append(
            f'[[items]]\nid = "{item_id}"\ntitle = "Title of {item_id}"\neffort = {effort!r}\n'
            f"needs = [{teams}]\n[items.impact]\nrevenue = {revenue!r}"
        )
    return "\n".join(out) + "\n"


def test_golden_points_match_the_ranking(golden, golden_json) -> None:
    m = matrix.build(golden, 80, 24)
    expected = {r["id"]: r for r in golden_json("rank.json")}
    assert [p.id for p in m.points] == [r["id"] for r in golden_json("rank.json")]  # rank order
    for p in m.points:
        assert p.x == pytest.approx(expected[p.id]["feasibility"])
        assert p.y == pytest.approx(math.log10(expected[p.id]["value"]))
        assert p.quadrant == expected[p.id]["quadrant"]
    assert m.off_chart == ()
    assert m.closed == 2  # e (done) and f (dropped) are not ranked


def test_golden_thresholds(golden) -> None:
    m = matrix.build(golden, 80, 24)
    assert m.x_threshold == 0.5
    assert m.value_threshold == pytest.approx(36_000)
    assert m.y_threshold == pytest.approx(math.log10(36_000))
    assert m.threshold_rule == "median"
    # The median item sits on the value line, in the row the line is drawn on.
    a = m.point("a")
    assert a is not None and a.row == m.grid.row(m.y_threshold)


def test_threshold_lines_carry_their_values_as_ticks(golden) -> None:
    m = matrix.build(golden, 80, 20)
    ticks = {t.label: t.position for t in m.y_ticks}
    assert ticks["$36k"] == pytest.approx(math.log10(36_000))
    # Ticks within a row of the line give way to it ($50k is one row above it at this size).
    line = m.grid.row(math.log10(36_000))
    assert all(abs(m.grid.row(y) - line) > 1 for label, y in ticks.items() if label != "$36k")
    assert "$50k" not in ticks and "$20k" in ticks
    assert "0.5" in {t.label for t in m.x_ticks}
    text = backlog_text([("a", 5_000, 1, 0), ("b", 80_000, 3, 0)]).replace(
        "[scoring]", "[scoring]\nquick_win_min_feasibility = 0.55"
    )
    odd = matrix.build(score_backlog(parse_backlog(text)), 80, 20)
    assert [t.label for t in odd.x_ticks] == ["0", "0.25", "0.55", "0.75", "1"]


def test_quadrants_lie_on_the_side_of_the_lines_they_name(golden) -> None:
    m = matrix.build(golden, 100, 30)
    for p in m.points:
        right = p.x >= m.x_threshold
        above = m.y_threshold is None or p.y >= m.y_threshold - 1e-12
        assert (
            p.quadrant
            == {
                (True, True): "quick_win",
                (False, True): "big_bet",
                (True, False): "fill_in",
                (False, False): "money_pit",
            }[(right, above)]
        )


def test_top_items_are_labelled_in_rank_order_with_their_ids(golden) -> None:
    m = matrix.build(golden, 80, 24, max_labels=3)
    assert [lb.item_id for lb in m.labels] == ["a", "c", "d"]
    assert [lb.text for lb in m.labels] == ["a", "c", "d"]


def test_selected_item_is_labelled_first_even_outside_the_top(golden) -> None:
    m = matrix.build(golden, 80, 24, max_labels=1, selected="b")
    assert m.selected == "b"
    assert [lb.item_id for lb in m.labels] == ["b", "a"]


def test_crowded_selected_label_goes_over_a_neighbour_never_its_own_point() -> None:
    grid = matrix.Grid(cols=20, rows=5, x_lo=0.0, x_hi=1.0, y_lo=0.0, y_hi=1.0)

    def at(item_id: str, col: int) -> matrix.Point:
        return matrix.Point(item_id, "", 1, 10.0, 0.5, "quick_win", grid.x_at(col), grid.y_at(2), col, 2)

    sel, blocker = at("abc", 19), at("z", 17)  # no room right of the edge; z blocks the left
    cells = matrix._Cells({(19, 2), (17, 2)}, grid.cols)
    (label,) = matrix._place_labels(grid, cells, [sel, blocker], limit=1, selected="abc")
    assert (label.item_id, label.col, label.row) == ("abc", 16, 2)  # covers z, not its own point


def test_selected_off_chart_or_unknown_is_not_reported_as_plotted(golden) -> None:
    assert matrix.build(golden, 80, 24, selected="e").selected is None  # done: not ranked
    assert matrix.build(golden, 80, 24, selected="nope").selected is None


def test_quadrant_names_are_placed_in_their_corners(golden) -> None:
    m = matrix.build(golden, 80, 24)
    names = {n.quadrant: n for n in m.names}
    assert {n.text for n in m.names} == {"Quick wins", "Big bets", "Fill-ins", "Money pits"}
    split_col = m.grid.col(m.x_threshold)
    split_row = m.grid.row(m.y_threshold or 0)
    for q, n in names.items():
        assert (n.col > split_col) == (q in ("quick_win", "fill_in"))
        assert (n.row < split_row) == (q in ("quick_win", "big_bet"))


def test_non_positive_and_tiny_values_are_listed_apart_with_the_reason() -> None:
    text = backlog_text(
        [("up", 50_000, 1, 0), ("neg", -20_000, 1, 0), ("zero", 0, 1, 0), ("tiny", 0.5, 1, 0)]
    )
    m = matrix.build(score_backlog(parse_backlog(text)), 80, 24)
    assert [p.id for p in m.points] == ["up"]
    assert {o.id: o.reason for o in m.off_chart} == {"neg": "negative", "zero": "zero", "tiny": "under $1/yr"}
    assert all(o.title == f"Title of {o.id}" for o in m.off_chart)


def test_value_line_under_one_dollar_is_not_drawn() -> None:
    text = backlog_text([("a", 5_000, 1, 0), ("b", 80_000, 3, 0)], threshold="0")
    m = matrix.build(score_backlog(parse_backlog(text)), 80, 24)
    assert m.y_threshold is None
    assert all(p.quadrant in ("quick_win", "big_bet") for p in m.points)
    # Only the high-value names: no plotted point can be low value.
    assert {n.quadrant for n in m.names} <= {"quick_win", "big_bet"}


def test_nothing_to_plot_still_has_axes() -> None:
    text = backlog_text([("neg", -1_000, 1, 0)])
    m = matrix.build(score_backlog(parse_backlog(text)), 80, 24)
    assert m.points == () and [o.id for o in m.off_chart] == ["neg"]
    assert m.y_ticks[0].label == "$1k"
    assert "neg" not in chart.render(m, 80, 24, color=False)


def test_long_ids_are_cut_and_twins_fall_back_to_their_rank() -> None:
    long_a, long_b = "a-very-long-identifier-one", "a-very-long-identifier-two"
    text = backlog_text([(long_a, 90_000, 1, 0), (long_b, 10_000, 1, 0)])
    m = matrix.build(score_backlog(parse_backlog(text)), 120, 30)
    texts = {lb.item_id: lb.text for lb in m.labels}
    assert texts[long_a] == "a-very-long…" and len(texts[long_a]) == matrix.LABEL_WIDTH
    assert texts[long_b] == "#2"


@pytest.mark.parametrize(
    ("lo", "hi", "rows", "labels"),
    [
        (4.0, 5.0, 20, ["$10k", "$20k", "$50k", "$100k"]),
        (3.0, 9.0, 14, ["$1k", "$10k", "$100k", "$1M", "$10M", "$100M", "$1B"]),
        (3.0, 9.0, 12, ["$1k", "$100k", "$10M", "$1B"]),
        (0.0, 9.0, 8, ["$1", "$1k", "$1M", "$1B"]),
    ],
)
def test_y_ticks_are_human_money(lo, hi, rows, labels) -> None:
    assert [t.label for t in matrix.y_ticks(lo, hi, rows)] == labels


def test_y_ticks_use_the_backlogs_currency() -> None:
    assert [t.label for t in matrix.y_ticks(3.0, 4.0, 4, "EUR")] == ["€1k", "€10k"]


def test_step_moves_in_value_and_feasibility_order(golden) -> None:
    # values: d 210k > c 48k > a 36k > b 17.5k > g 2k; feasibility: d < b < c < a < g
    m = matrix.build(golden, 80, 24)
    assert matrix.step(m, None, "up") == "a"  # nothing highlighted: the best ranked
    assert [matrix.step(m, x, "up") for x in ("a", "c", "d")] == ["c", "d", "d"]
    assert [matrix.step(m, x, "down") for x in ("a", "b", "g")] == ["b", "g", "g"]
    assert [matrix.step(m, x, "right") for x in ("d", "b", "c", "a", "g")] == ["b", "c", "a", "g", "g"]
    assert matrix.step(m, "b", "left") == "d"
    with pytest.raises(ValueError):
        matrix.step(m, "a", "sideways")


def test_next_in_quadrant_cycles_in_rank_order(golden) -> None:
    m = matrix.build(golden, 80, 24)
    assert matrix.next_in_quadrant(m, "d", "quick_win") == "a"
    assert matrix.next_in_quadrant(m, "a", "quick_win") == "c"
    assert matrix.next_in_quadrant(m, "c", "quick_win") == "a"
    assert matrix.next_in_quadrant(m, None, "money_pit") == "b"
    one = score_backlog(parse_backlog(backlog_text([("x", 5_000, 1, 0)])))
    assert matrix.next_in_quadrant(matrix.build(one), None, "big_bet") is None


def test_rendered_chart_has_the_size_and_shows_labels_and_names(golden) -> None:
    m = matrix.build(golden, 90, 26)
    out = chart.render(m, 90, 26, color=False)
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 26 and max(len(line) for line in lines) <= 90
    assert not ANSI.search(out)
    # Each label and name is drawn where the data put it: grid cell -> text row and column.
    left = len(lines[1]) - len(lines[1].lstrip(" ")) + 1  # y tick labels, then the frame
    for lb in (*m.labels, *m.names):
        row = lines[1 + lb.row]
        assert row[left + lb.col : left + lb.col + len(lb.text)] == lb.text
    for p in m.points:
        assert lines[1 + p.row][left + p.col] == chart.POINT_MARKER


def test_rendered_chart_colours_and_highlight(golden) -> None:
    m = matrix.build(golden, 80, 24, selected="c")
    out = chart.render(m, 80, 24, color=True)
    assert ANSI.search(out)
    plain = ANSI.sub("", out)
    assert plain.count(chart.HIGHLIGHT_MARKER) == 1
    assert "\x1b[7m" in out  # the highlighted label is drawn inverted


# -- properties over generated backlogs ------------------------------------------------------

_values = st.one_of(
    st.floats(min_value=-1e7, max_value=1e9, allow_nan=False), st.sampled_from([0.0, 0.5, 1.0, 999.0])
)
_items = st.lists(
    st.tuples(_values, st.floats(min_value=0.1, max_value=200), st.integers(0, 4)), min_size=0, max_size=25
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_items, st.integers(40, 200), st.integers(12, 60), st.integers(0, 12), st.data())
def test_chart_data_properties(items, width, height, max_labels, data) -> None:
    text = backlog_text([(f"item-{i}", v, e, n) for i, (v, e, n) in enumerate(items)])
    ranking = score_backlog(parse_backlog(text))
    ids = [s.id for s in ranking.ranked]
    selected = data.draw(st.sampled_from([None, *ids]))
    m = matrix.build(ranking, width, height, max_labels=max_labels, selected=selected)
    g = m.grid

    # Every open item is drawn or listed apart, once; apart means worth under $1/yr.
    assert sorted([p.id for p in m.points] + [o.id for o in m.off_chart]) == sorted(ids)
    assert all(o.value < matrix.MIN_PLOTTED for o in m.off_chart)
    assert all(p.value >= matrix.MIN_PLOTTED for p in m.points)

    cells = {(p.col, p.row) for p in m.points}
    for p in m.points:
        assert g.y_lo <= p.y <= g.y_hi and g.x_lo <= p.x <= g.x_hi
        assert (p.col, p.row) == (g.col(p.x), g.row(p.y))
        assert 0 <= p.col < g.cols and 0 <= p.row < g.rows

    # Ticks increase, sit inside the range and read differently.
    pos = [t.position for t in m.y_ticks]
    assert pos == sorted(pos) and all(g.y_lo <= y <= g.y_hi for y in pos)
    assert len({t.label for t in m.y_ticks}) == len(m.y_ticks)

    # Text stays inside the plot area and never covers a point or other text.
    used: set[tuple[int, int]] = set()
    for lb in (*m.names, *m.labels):
        span = {(c, lb.row) for c in range(lb.col, lb.col + len(lb.text))}
        assert lb.col >= 0 and lb.col + len(lb.text) <= g.cols
        if lb.item_id != selected or selected is None:
            assert not span & cells and not span & used
        used |= span
    for lb in m.labels:  # a label never hides its own point
        own = m.point(lb.item_id or "")
        assert own is not None and (own.row != lb.row or not lb.col <= own.col < lb.col + len(lb.text))
    labelled = [lb.item_id for lb in m.labels]
    assert len(labelled) <= max_labels + (1 if selected else 0)
    if selected is not None and m.point(selected) is not None:
        assert labelled[0] == selected and m.selected == selected
