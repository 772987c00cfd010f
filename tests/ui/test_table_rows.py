"""The Backlog table's rows are made on demand (``rows.Rows``): a re-rank of many items makes an
``Entry`` only for the lines drawn, finds the cursor's row through the ranking, and draws each
line as rich would render the joined cells (``BacklogTable._strip`` builds the segments itself)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from backlogs import ROOT
from fulcrum.backlog import Backlog, load_backlog, parse_backlog
from fulcrum.ui import rows
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.rows import Entry, SortOrder, haystack, matches, sort_rows, visible_rows
from fulcrum.ui.state import Session
from fulcrum.ui.widgets.backlog_table import PAD, BacklogTable

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

N = 400


@pytest.fixture(scope="module")
def many() -> Backlog:
    return parse_backlog(synth_text(N, seed=3))


@pytest.fixture
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


def all_entries(
    session: Session, query: str = "", order: SortOrder | None = None, closed: bool = False
) -> list[Entry]:
    """The rows as the list of entries the table used to be given, each made as it was."""
    names = {k: s.name for k, s in session.backlog.stakeholders.items()}
    ranked = [s for s in session.ranking.ranked if matches(haystack(s.item, s.quadrant, names), query)]
    out = [Entry(s.item.id, s, s.item) for s in sort_rows(session, ranked, order or SortOrder())]
    if closed:
        items = [it for it in session.ranking.closed if matches(haystack(it, it.status, names), query)]
        out.extend(Entry(it.id, None, it) for it in items)
    return out


async def test_an_edit_makes_rows_only_for_the_lines_drawn(
    many: Backlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []

    def counting(key: str, scored: Any, item: Any) -> Entry:
        made.append(key)
        return Entry(key, scored, item)

    app = FulcrumApp(many, watch_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = app.session
        item_id = s.ranking.ranked[N // 2].id
        monkeypatch.setattr(rows, "Entry", counting)
        app._edited(item_id, "edited", apply_form(s.backlog, item_id, {"effort": "0.1"}, ranking=s.ranking))
        await pilot.pause()
        table = app.query_one(BacklogTable)
        # The cursor follows the edited item to its new row, found through the ranking.
        assert table.highlighted_id == item_id
        assert table.cursor_row == app.session.ranking.get(item_id).rank - 1  # type: ignore[union-attr]
        assert len(made) < 3 * table.size.height, len(made)  # the lines drawn (and the cursor's), not N
        ranked = len(app.session.ranking.ranked)
        status = str(app.query_one("#status-line").render())
        assert status.startswith(f"{ranked} of {ranked} ranked shown")


@pytest.mark.parametrize(
    ("query", "order", "closed"),
    [
        ("", SortOrder(), False),
        ("", SortOrder(), True),
        ("", SortOrder("value", True), True),
        ("", SortOrder("rank", True), False),
        ("area", SortOrder("score", True), True),
        ("no such words", SortOrder(), True),
    ],
)
def test_the_rows_are_the_entries_in_order_and_find_each_one(
    many: Backlog, query: str, order: SortOrder, closed: bool
) -> None:
    session = Session(many)
    got = visible_rows(session, query, order, closed)
    want = all_entries(session, query, order, closed)
    assert list(got) == want and len(got) == len(want) and got.keys() == [e.key for e in want]
    assert got[:3] == want[:3] and (not want or got[-1] == want[-1])
    assert got.ranked_count == sum(1 for e in want if e.scored is not None)
    for i, e in enumerate(want):
        assert got.position(e.key) == i
    assert got.position("no-such-item") is None
    with pytest.raises(IndexError):
        got[len(want)]


def reference_line(table: BacklogTable, cells: tuple[Text, ...], style: Style) -> list[Segment]:
    """The line as the cells joined into one Text and rendered by rich."""
    line = Text(no_wrap=True, end="")
    for i, width in table.widths():
        text = cells[i].copy()
        text.truncate(width, overflow="ellipsis")
        pad = width - text.cell_len
        line.append(" " * PAD)
        if text.justify == "right":
            line.append(" " * pad)
            line.append_text(text)
        else:
            line.append_text(text)
            line.append(" " * pad)
        line.append(" " * PAD)
    console = table.app.console
    segments = [Segment(s.text, style + s.style if s.style else style) for s in line.render(console)]
    return list(Segment.adjust_line_length(segments, table.size.width, style))


WEIRD = [
    "日本語のタイトルがとても長いです日本語のタイトル",
    "emoji 🎉 party " * 4,
    "",
    "x" * 200,
    "tab\there",
    "é" * 40,
    "ab日",
]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 30)])
async def test_each_line_is_the_cells_as_rich_renders_them(example: Backlog, size: tuple[int, int]) -> None:
    def cells(entry: Entry) -> tuple[Text, ...]:
        out = list(rows.cells(app.session, entry))
        k = sum(map(ord, entry.key)) % len(WEIRD)
        if k % 2:  # several styles in one cell, as a deferred item's title
            title = Text(no_wrap=True, overflow="ellipsis")
            title.append("deferred · ", style="dim italic")
            title.append(WEIRD[k])
            out[3] = title
        else:
            out[3] = Text(WEIRD[k], style="bold red" if k % 3 else "", no_wrap=True, overflow="ellipsis")
        out[2] = Text(WEIRD[(k + 1) % len(WEIRD)], style="green", no_wrap=True, overflow="ellipsis")
        out[9] = Text(WEIRD[(k + 3) % len(WEIRD)], justify="right")
        return tuple(out)

    app = FulcrumApp(example, watch_interval=None)
    async with app.run_test(size=size) as pilot:
        app.show_closed = True
        app.refresh_all()
        await pilot.pause()
        table = app.query_one(BacklogTable)
        table.show(table.entries, cells)
        await pilot.pause()
        base, header, cursor, even = table._styles
        compared = 0
        for y in range(1, min(table.size.height, table.row_count + 1)):
            row = y - 1
            style = cursor if row == table.cursor_row else even if row % 2 == 0 else base
            want = reference_line(table, cells(table.entries[row]), style)
            assert list(Segment.simplify(table.render_line(y))) == list(Segment.simplify(want)), row
            compared += 1
        assert compared >= 10
        labels = table._header()
        assert list(Segment.simplify(table.render_line(0))) == list(
            Segment.simplify(reference_line(table, labels, header))
        )


def test_the_example_file_is_found_beside_the_package() -> None:
    from fulcrum.commands import tui

    with tui.example_file() as path:
        assert path == Path(tui.__file__).resolve().parent.parent / "backlog.example.toml"
        assert path.is_file() and "[backlog]" in path.read_text()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_four_digit_rank_is_shown_whole(size: tuple[int, int]) -> None:
    """At 1,000 items and more the rank column widens: rank 1,100 is never drawn as "11…"."""
    big = parse_backlog(synth_text(1_200, seed=5))
    app = FulcrumApp(big, watch_interval=None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.query_one(BacklogTable)
        ranks = {e.scored.rank: i for i, e in enumerate(table.entries) if e.scored is not None}
        last = max(ranks)
        assert last >= 1_000
        await pilot.press("end")  # to the last row (the largest rank: the table is in rank order)
        await pilot.pause()
        assert table.cursor_row == ranks[last]
        y = table.cursor_row - round(table.scroll_y) + 1  # +1: the header line
        line = "".join(seg.text for seg in table.render_line(y))
        assert line.split()[0] == str(last), line


def test_the_move_column_holds_a_move_across_every_rank() -> None:
    from fulcrum.ui.rows import COLUMNS
    from fulcrum.ui.widgets.backlog_table import layout

    move = [c.key for c in COLUMNS].index("move")
    for digits in (3, 4, 5):
        widths = dict(layout(200, digits))
        assert widths[move] >= len(f"▲{10**digits - 1}")  # the longest move among that many ranks


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_an_effort_too_long_for_its_column_drops_its_unit_not_its_digits(size: tuple[int, int]) -> None:
    """A PERT mean of 0.633 weeks was drawn "0.633 …" (a tmux trial at 10,000 items)."""
    text = '[backlog]\ntitle = "T"\n[metrics.m]\nlabel = "M"\nvalue_per_unit = 1\n' + "".join(
        f'[[items]]\nid = "i{n}"\ntitle = "t"\neffort = {e}\nimpact = {{ m = {1000 - n} }}\n'
        for n, e in enumerate(["{ low = 0.5, likely = 0.6, high = 0.9 }", "2.85", "1234", "0.5"])
    )
    app = FulcrumApp(parse_backlog(text), watch_interval=None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.query_one(BacklogTable)
        lines = ["".join(seg.text for seg in table.render_line(y)) for y in range(1, 5)]
        cells = {key: line for line in lines for key in ("i0", "i1", "i2", "i3") if f" {key} " in line}
        assert " 0.633 " in cells["i0"] and "0.633 …" not in cells["i0"]
        assert " 2.85 wk " in cells["i1"] and " 1,234 " in cells["i2"] and " 0.5 wk " in cells["i3"]
