"""The help screen: every key, generated from the action table."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from fulcrum.ui.screens.base import ReadyScreen

#: Cells the table uses besides its two columns' text: cell padding and the scrollbar.
CHROME = 2 * 2 + 2
MIN_WHAT = 24


class HelpScreen(ReadyScreen[None]):
    """A table of keys and what they do; any of Esc, q or ? closes it.

    The descriptions wrap to the width (a row grows to two lines at 80 columns instead of being
    cut), and the table scrolls within the dialog on a short terminal.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "cancel", "Close", show=False),
        Binding("question_mark", "cancel", "Close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows
        self._what_width = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide help"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                Text("Esc closes · every action is also in the command palette (ctrl+p)", style="dim")
            )

    def first_focus(self) -> Widget:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self._fill()  # estimated from the terminal's width; corrected once laid out
        self.call_after_refresh(self._fill)

    def on_resize(self, _: events.Resize) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """(Re)build the rows when the room for the descriptions changed."""
        table = self.query_one(DataTable)
        keys_width = max(len(keys) for keys, _ in self.rows)
        dialog = self.query_one(".dialog")
        inner = dialog.content_region.width or min(116, self.app.size.width - 8)
        what_width = max(MIN_WHAT, inner - keys_width - CHROME)
        if what_width == self._what_width:
            return
        self._what_width = what_width
        table.clear(columns=True)
        table.add_column("Key", key="key", width=keys_width)
        table.add_column("What it does", key="what", width=what_width)
        for keys, what in self.rows:
            table.add_row(Text(keys, style="bold"), Text(what), height=None)
