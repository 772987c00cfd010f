"""The ranked table of the Backlog tab: a virtual table that draws only the rows on screen.

A DataTable measures every cell of every row it is given, which made each re-rank of 1,000
items cost about a second; this widget takes the list of rows (cheap entries) and a function
that builds the cells of one row, and builds cells only for the lines it paints. Rows are keyed
by item id, so the cursor stays on the same item across re-ranks, filters and sorts.

Every column but the title has a fixed width (the rank's grows to its widest number, so 2,176 is
never "21…"); the title takes what is left of the terminal, so
all ten columns fit in 120 columns and a wider terminal shows longer titles. A narrower one drops
the columns the explanation pane repeats (see :func:`layout`), so score and feasibility stay in
view at 80 columns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from fulcrum.ui.rows import COLUMNS, EFFORT_WIDTH, Entry, Rows

#: Cell widths of the fixed columns (cells are cut with an ellipsis; the pane shows everything).
WIDTHS = {
    "rank": 3,
    "move": 3,
    "id": 15,
    "quadrant": 9,
    "value": 8,
    "effort": EFFORT_WIDTH,
    "feasibility": 5,
    "score": 6,
    "requested_by": 12,
}
MIN_TITLE = 16
PAD = 1  # cells of space on each side of a cell
#: When every column does not fit: the id column narrows, then these go, in this order, until the
#: title gets MIN_TITLE (the pane shows them all; the id is coloured by quadrant).
DROP_ORDER = ("requested_by", "quadrant", "move", "feasibility", "effort")
NARROW_ID = 12


@lru_cache(maxsize=8)
def layout(total: int, rank_width: int = WIDTHS["rank"]) -> tuple[tuple[int, int], ...]:
    """(index in COLUMNS, content width) of each column shown in ``total`` cells; the rank column
    ``rank_width`` wide (at least its default: as wide as the widest rank shown, never cut)."""
    widths = dict(WIDTHS)
    widths["rank"] = max(rank_width, WIDTHS["rank"])
    widths["move"] = max(WIDTHS["move"], widths["rank"] + 1)  # "▲" and at most as many digits
    shown = [c.key for c in COLUMNS]

    def title_room() -> int:
        fixed = sum(widths[k] for k in shown if k != "title")
        return total - fixed - 2 * PAD * len(shown) - 1

    if title_room() < MIN_TITLE:
        widths["id"] = NARROW_ID
    for key in DROP_ORDER:
        if title_room() >= MIN_TITLE:
            break
        shown.remove(key)
    title = max(MIN_TITLE, title_room())
    return tuple((i, widths.get(c.key, title)) for i, c in enumerate(COLUMNS) if c.key in shown)


def _rank_width(entries: Sequence[Entry]) -> int:
    """Digits of the widest rank among ``entries`` (a rank of 2,176 is never shown as "21…")."""
    if isinstance(entries, Rows):
        return entries.rank_digits
    ranks = [e.scored.rank for e in entries if e.scored is not None]
    return len(str(max(ranks, default=0)))


class BacklogTable(ScrollView, can_focus=True):
    """Rows of items under a fixed header line; the highlighted row is the cursor.

    The cursor is the app's one record of the highlighted item (``highlighted_id``): the other
    views read it, and move it with ``select`` or ``show``.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "backlog-table--header",
        "backlog-table--cursor",
        "backlog-table--even",
    }
    DEFAULT_CSS = """
    BacklogTable {
        background: $surface;
        overflow-x: hidden;  /* columns are fitted to the width (see layout) */
        & > .backlog-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .backlog-table--even { background: $surface-lighten-1 50%; }
        & > .backlog-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .backlog-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another item."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    class HeaderClicked(Message):
        """The user clicked a column header."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.entries: Sequence[Entry] = []
        self._rank_width = WIDTHS["rank"]
        self._cells: Callable[[Entry], tuple[Text, ...]] = lambda entry: ()
        self._index: dict[str, int] | None = None
        self._lines: dict[tuple[int, Style], Strip] = {}
        self._styles = (Style(), Style(), Style(), Style())

    # -- data ----------------------------------------------------------------------------------

    def show(
        self,
        entries: Sequence[Entry],
        cells: Callable[[Entry], tuple[Text, ...]],
        cursor_id: str | None = None,
    ) -> None:
        """Replace every row; put the cursor on ``cursor_id``, else back on the item it was on.

        When that item is no longer shown (filtered out, dropped), the cursor stays at the same
        position so the next item takes its place. ``entries`` as :class:`~fulcrum.ui.rows.Rows`
        (``rows.visible_rows``) is kept as it is: its rows are made only when drawn.
        """
        if cursor_id is None:
            cursor_id = self.highlighted_id
        self.entries = entries if isinstance(entries, Rows) else list(entries)
        self._rank_width = _rank_width(self.entries)
        self._cells = cells
        self._index = None
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self.entries) + 1)
        row = self.cursor_row
        if cursor_id is not None:
            found = self._position(cursor_id)
            row = row if found is None else found
        self._move(row, post=False)
        self.refresh()

    def _position(self, item_id: str) -> int | None:
        """The row of an item, or None when it is not in the table."""
        if isinstance(self.entries, Rows):
            return self.entries.position(item_id)
        if self._index is None:
            self._index = {e.key: i for i, e in enumerate(self.entries)}
        return self._index.get(item_id)

    @property
    def row_count(self) -> int:
        return len(self.entries)

    @property
    def row_keys(self) -> list[str]:
        """The item id of every row, top to bottom."""
        if isinstance(self.entries, Rows):
            return self.entries.keys()
        return [e.key for e in self.entries]

    @property
    def highlighted_id(self) -> str | None:
        """The id of the item under the cursor, or None for an empty table."""
        return self.entries[self.cursor_row].key if self.entries else None

    def cell(self, item_id: str, column: str) -> Text:
        """The cell of an item in a column (as drawn, before cutting to width)."""
        row = self._position(item_id)
        if row is None:
            raise KeyError(item_id)
        return self._cells(self.entries[row])[self._column_index(column)]

    def select(self, item_id: str | None) -> bool:
        """Move the cursor to the item's row; False when it is not in the table."""
        row = None if item_id is None else self._position(item_id)
        if row is None:
            return False
        self._move(row, post=False)
        return True

    # -- geometry ------------------------------------------------------------------------------

    def widths(self) -> tuple[tuple[int, int], ...]:
        """(index in COLUMNS, content width) of each column shown, the title taking what the
        others leave."""
        return layout(self.size.width or 120, self._rank_width)

    @property
    def shown_columns(self) -> list[str]:
        """The keys of the columns shown at this width, left to right."""
        return [COLUMNS[i].key for i, _ in self.widths()]

    def column_x(self, column: str) -> int:
        """The x offset where a shown column starts (its left padding)."""
        x = 0
        for i, width in self.widths():
            if COLUMNS[i].key == column:
                return x
            x += width + 2 * PAD
        raise KeyError(column)

    def _column_index(self, column: str) -> int:
        return [c.key for c in COLUMNS].index(column)

    def _visible_rows(self) -> int:
        return max(1, self.size.height - 1)

    # -- cursor --------------------------------------------------------------------------------

    def _move(self, row: int, post: bool = True) -> None:
        if not self.entries:
            self.cursor_row = 0
            return
        row = min(max(row, 0), len(self.entries) - 1)
        changed = row != self.cursor_row
        self.cursor_row = row
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + self._visible_rows():
            self.scroll_to(y=row - self._visible_rows() + 1, animate=False, immediate=True)
        self.refresh()
        if post and changed:
            self.post_message(self.Highlighted(self.entries[row].key))

    def action_cursor(self, delta: int) -> None:
        self._move(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor_row + direction * self._visible_rows())

    def action_cursor_to(self, row: int) -> None:
        self._move(row if row >= 0 else len(self.entries) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for i, width in self.widths():
                x += width + 2 * PAD
                if event.x < x:
                    self.post_message(self.HeaderClicked(COLUMNS[i].key))
                    return
            return
        self._move(round(self.scroll_y) + event.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self.virtual_size = Size(event.size.width, len(self.entries) + 1)

    # -- drawing -------------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Resolving CSS styles is costly: once per frame, not once per line.
        base = self.rich_style
        self._styles = (
            base,
            base + self.get_component_rich_style("backlog-table--header"),
            base + self.get_component_rich_style("backlog-table--cursor"),
            base + self.get_component_rich_style("backlog-table--even"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base, header, cursor, even = self._styles
        if y == 0:
            return self._strip(self._header(), width, header)
        row = round(self.scroll_y) + y - 1
        if row >= len(self.entries):
            return Strip.blank(width, base)
        if row == self.cursor_row:
            return self._strip(self._row_text(row), width, cursor)
        key = (row, base)
        strip = self._lines.get(key)
        if strip is None or strip.cell_length != width:
            strip = self._lines[key] = self._strip(self._row_text(row), width, even if row % 2 == 0 else base)
        return strip

    def _header(self) -> tuple[Text, ...]:
        return tuple(Text(c.label, justify="right" if c.key in _RIGHT else "left") for c in COLUMNS)

    def _row_text(self, row: int) -> tuple[Text, ...]:
        return self._cells(self.entries[row])

    def _strip(self, cells: Sequence[Text], width: int, style: Style) -> Strip:
        """One line: each shown cell cut to its column (with an ellipsis) and padded, right- or
        left-justified, on the line's ``style``; the segments are made directly (a cell is one
        string in one style) rather than by joining Texts and rendering them, a third of a
        repaint's time (:func:`_cell_segments` for a cell with several styles)."""
        console = self.app.console
        get_style = console.get_style
        pad = " " * PAD
        segments: list[Segment] = []
        add = segments.append
        total = 0
        for i, cell_width in self.widths():
            total += cell_width + 2 * PAD
            text = cells[i]
            right = text.justify == "right"
            if text.spans:
                parts, used = _cell_segments(text, cell_width, style, console)
            else:
                plain = text.plain
                used = len(plain) if plain.isascii() and plain.isprintable() else cell_len(plain)
                if used > cell_width:  # as Text.truncate(overflow="ellipsis") cuts it
                    plain = set_cell_size(plain, cell_width - 1) + "…"
                    used = cell_width
                parts = [Segment(plain, style + get_style(text.style) if text.style else style)]
            fill = " " * (cell_width - used)
            add(Segment(pad + fill if right else pad, style))
            segments.extend(p for p in parts if p.text)
            add(Segment(pad if right else fill + pad, style))
        return Strip(segments, total).adjust_cell_length(width, style)


def _cell_segments(text: Text, width: int, style: Style, console: Console) -> tuple[list[Segment], int]:
    """A cell with several styles cut to ``width`` as Text renders it, on ``style``; and its width."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    line = Text(no_wrap=True, end="")
    line.append_text(text)
    segments = [Segment(s.text, style + s.style if s.style else style) for s in line.render(console)]
    return segments, text.cell_len


_RIGHT = {"rank", "value", "effort", "feasibility", "score"}
