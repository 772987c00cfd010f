"""The Matrix tab widget, driven with Textual's Pilot: show(), keys that move the highlight, the
Selected messages they post, the side list, and one text snapshot of the whole tab.

show() highlights without posting; key sequences post the expected ids and move the drawn
highlight; quadrant keys cycle; an empty quadrant says so; the side list is literal; a resize
rebuilds the grid. The snapshot is the screen's characters rebuilt from Textual's public
``App.export_screenshot()`` SVG (each ``<text>`` gives its line, x and pixel length, so the cell
width is measured, not assumed), compared with snapshots/matrix_view.txt: text, not colours, so it
survives theme tweaks and reads in a diff, and still catches layout, labels, ticks, markers and the
side list. pytest-textual-snapshot was rejected: it pins syrupy 4, which would downgrade pytest.
After a deliberate change: ``FULCRUM_UPDATE_SNAPSHOTS=1 pytest tests/ui/test_matrix_tab.py -k snapshot``.
"""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from fulcrum.backlog import load_backlog, parse_backlog
from fulcrum.scoring import Ranking, score_backlog
from fulcrum.ui.widgets.matrix import MatrixChart, MatrixView

SNAPSHOT = Path(__file__).parent / "snapshots" / "matrix_view.txt"
SIZE = (110, 28)


class Host(App[None]):
    """A bare app holding only the widget, recording what it posts."""

    def __init__(self, ranking: Ranking, selected: str | None = None) -> None:
        super().__init__()
        self.ranking, self.first = ranking, selected
        self.posted: list[str] = []

    def compose(self) -> ComposeResult:
        yield MatrixView(id="matrix")

    def on_mount(self) -> None:
        view = self.query_one(MatrixView)
        view.show(self.ranking, self.first)
        view.focus()

    def on_matrix_view_selected(self, event: MatrixView.Selected) -> None:
        self.posted.append(event.item_id)


@pytest.fixture
def golden(golden_toml) -> Ranking:
    return score_backlog(load_backlog(golden_toml))


async def test_show_highlights_without_posting(golden) -> None:
    app = Host(golden, "c")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(MatrixView)
        assert view.highlighted == "c"
        m = view.matrix
        assert m is not None and m.selected == "c" and m.label_of("c") is not None
        view.show(golden, "d")  # the app moving its table cursor
        await pilot.pause()
        assert view.highlighted == "d" and view.matrix is not None and view.matrix.selected == "d"
        assert app.posted == []  # show() never echoes back to the app


async def test_keys_move_through_values_and_feasibility(golden) -> None:
    # values: d 210k > c 48k > a 36k > b 17.5k > g 2k; feasibility: d < b < c < a < g
    app = Host(golden, "a")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up", "k", "k", "down", "j", "right", "left", "left")
        await pilot.pause()
        # k at the top stays on d (no message for a move that goes nowhere)
        assert app.posted == ["c", "d", "c", "a", "g", "a", "c"]
        view = app.query_one(MatrixView)
        assert view.highlighted == "c"
        m = view.matrix
        assert m is not None and m.selected == "c"
        label = m.label_of("c")
        assert label is not None and label.item_id == "c"


async def test_quadrant_keys_cycle_in_rank_order(golden) -> None:
    app = Host(golden, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "w", "w", "b", "f", "p", "home")
        await pilot.pause()
        assert app.posted == ["a", "c", "a", "d", "g", "b", "a"]


async def test_empty_quadrant_says_so_and_keeps_the_highlight() -> None:
    text = '[backlog]\ntitle = "t"\n[metrics.r]\nlabel = "R"\nvalue_per_unit = 1.0\n'
    text += '[[items]]\nid = "x"\ntitle = "X"\neffort = 1\n[items.impact]\nr = 10\n'
    app = Host(score_backlog(parse_backlog(text)), "x")
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(MatrixView)
        said: list[str] = []
        view.notify = lambda message, **_: said.append(message)  # type: ignore[method-assign]
        await pilot.press("b")
        await pilot.pause()
        assert app.posted == [] and view.highlighted == "x"
        assert said == ["No big bets on the chart."]


async def test_side_list_shows_quick_wins_and_off_chart_literally() -> None:
    text = '[backlog]\ntitle = "t"\n[metrics.r]\nlabel = "R"\nvalue_per_unit = 1.0\n'
    for item_id, title, value in [
        ("win", "[@click=app.quit]quit[/]", 90_000),
        ("win2", "[/bad] x", 80_000),
        ("loss", "[b]Loses[/b] money", -5_000),
        ("slow", "[TODO] Q3", 10),
    ]:
        text += f'[[items]]\nid = "{item_id}"\ntitle = "{title}"\neffort = 1\n[items.impact]\nr = {value}\n'
    ranking = score_backlog(parse_backlog(text))
    app = Host(ranking, "loss")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = str(app.query_one("#matrix-side", Static).render())
        assert "Quick wins (2)" in side
        assert "[@click=app.quit]quit[/]" in side and "[/bad] x" in side
        assert "Off the chart" in side and "[b]Loses[/b] money" in side
        assert "▶" in side.split("Off the chart", 1)[1]  # the highlighted item is off the chart
        m = app.query_one(MatrixView).matrix
        assert m is not None and m.selected is None and [o.id for o in m.off_chart] == ["loss"]
        await pilot.click(MatrixChart)  # a click on the chart is no action, and no markup ran
        assert app.is_running


async def test_chart_follows_a_resize(golden) -> None:
    app = Host(golden, "a")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chart = app.query_one(MatrixChart)
        before = chart.matrix
        await pilot.resize_terminal(150, 40)
        await pilot.pause()
        after = chart.matrix
        assert before is not None and after is not None
        assert after.grid.cols > before.grid.cols and after.grid.rows > before.grid.rows
        side = app.query_one("#matrix-side", Static)
        assert chart.size.width + side.outer_size.width == 150 and side.outer_size.width == 44  # max-width


# -- one snapshot of the tab, as text -------------------------------------------------------


def screen_text(svg: str) -> list[str]:
    """The characters of an exported SVG screenshot, line by line (styles dropped).

    Each <text> element says its line (clip-path ...-line-N), its x, and its length in pixels, so
    the cell width is measured from the file itself rather than assumed.
    """
    cells: dict[int, dict[int, str]] = defaultdict(dict)
    pattern = re.compile(
        r'<text[^>]*x="([\d.]+)"[^>]*textLength="([\d.]+)"[^>]*line-(\d+)\)"[^>]*>(.*?)</text>', re.S
    )
    width = None
    found = pattern.findall(svg)
    for _x, length, _line, raw in found:
        text = html.unescape(raw)
        if text and width is None:
            width = float(length) / len(text)
    assert width, "no text in the screenshot"
    for x, _length, line, raw in found:
        col = round(float(x) / width)
        for i, ch in enumerate(html.unescape(raw)):
            cells[int(line)][col + i] = ch
    rows = max(cells) + 1
    return [
        "".join(cells[r].get(c, " ") for c in range(max(cells[r], default=-1) + 1)).rstrip()
        for r in range(rows)
    ]


async def test_snapshot_of_the_tab(golden) -> None:
    """The whole tab at a fixed size with c highlighted; FULCRUM_UPDATE_SNAPSHOTS=1 rewrites it."""
    app = Host(golden, "c")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = screen_text(app.export_screenshot())
    got = "\n".join(lines).rstrip("\n") + "\n"
    if os.environ.get("FULCRUM_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(got, encoding="utf-8")
    assert got == SNAPSHOT.read_text(encoding="utf-8"), "the tab changed: look, then update the snapshot"


# -- a big backlog: drawn in a worker -------------------------------------------------------


async def test_a_big_backlog_is_drawn_in_a_worker_and_looks_the_same(golden, monkeypatch) -> None:
    """Above DRAW_IN_WORKER items the chart and the side list come from a thread worker: the
    screen is the one drawn on the UI thread (the snapshot), once the worker posted it."""
    from fulcrum.ui.widgets import matrix

    monkeypatch.setattr(matrix, "DRAW_IN_WORKER", 0)
    drawn_on: list[bool] = []
    real = matrix.picture

    def spy(*args: object) -> matrix.Picture:
        import threading

        drawn_on.append(threading.current_thread() is threading.main_thread())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(matrix, "picture", spy)
    app = Host(golden, "c")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = screen_text(app.export_screenshot())
        view = app.query_one(MatrixView)
        assert view.matrix is not None and view.matrix.selected == "c"
    assert drawn_on and not any(drawn_on)  # never on the UI thread
    assert "\n".join(lines).rstrip("\n") + "\n" == SNAPSHOT.read_text(encoding="utf-8")


async def test_keys_work_while_a_big_chart_is_drawn_and_a_stale_picture_is_dropped(
    golden, monkeypatch
) -> None:
    import threading

    from fulcrum.ui.widgets import matrix

    monkeypatch.setattr(matrix, "DRAW_IN_WORKER", 0)
    gate = threading.Event()
    real = matrix.picture
    asked: list[str | None] = []

    def slow(ranking: Ranking, selected: str | None, width: int, height: int) -> matrix.Picture:
        asked.append(selected)
        gate.wait(timeout=30)
        return real(ranking, selected, width, height)

    monkeypatch.setattr(matrix, "picture", slow)
    app = Host(golden, "a")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            chart = app.query_one(MatrixChart)
            assert "drawing the chart" in str(chart.render())
            await pilot.press("up", "k")  # acted on while the first drawing waits
            assert app.posted == ["c", "d"]
            gate.set()
            await app.workers.wait_for_complete()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert asked[0] == "a" and asked[-1] == "d"
            assert chart.drawn is not None and chart.drawn.selected == "d"  # the latest, not "a"
            assert app.query_one(MatrixView).matrix.selected == "d"  # type: ignore[union-attr]
            side = str(app.query_one("#matrix-side", Static).render())
            assert side.startswith("▶ d")
    finally:
        gate.set()


async def test_the_side_list_shows_a_few_screens_of_rows_and_says_how_many_more(golden, monkeypatch) -> None:
    from fulcrum.ui.widgets import matrix

    wins = [s.id for s in golden.ranked if s.quadrant == "quick_win"]
    assert len(wins) >= 2
    monkeypatch.setattr(matrix, "SIDE_ROWS", 1)
    app = Host(golden, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        side = str(app.query_one("#matrix-side", Static).render())
    rows = [line.split()[1] for line in side.split("\n") if line[:4].strip().isdigit()]
    assert f"Quick wins ({len(wins)})" in side and rows == wins[:1]
    assert f"… and {len(wins) - 1:,} more quick wins: the Backlog tab lists all" in side
