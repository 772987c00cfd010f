"""The Review tab: the warnings of `fulcrum check`, each one jumping to its item."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from fulcrum.review import ReviewWarning

ITEM_WIDTH = 18
FIELD_WIDTH = 26


def _message_width(table_width: int) -> int:
    """What the message column gets: the rest, less cell padding and the scrollbar."""
    return max(30, table_width - ITEM_WIDTH - FIELD_WIDTH - 3 * 2 - 2)


class ReviewView(DataTable):
    """A table of warnings; Enter on one posts ``JumpTo(item_id)``."""

    class JumpTo(Message):
        """The user asked to see this item in the Backlog tab."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._items: list[str | None] = []
        self._warnings: list[ReviewWarning] = []
        self._message_width = 0

    def _columns(self) -> None:
        """Item and field fixed; the message takes the rest of the width and wraps."""
        width = _message_width(self.size.width or 120)
        if width != self._message_width:
            self._message_width = width
            self.clear(columns=True)
            self.add_column("Item", key="item", width=ITEM_WIDTH)
            self.add_column("Field", key="field", width=FIELD_WIDTH)
            self.add_column("Warning", key="message", width=width)

    def show(self, warnings: list[ReviewWarning]) -> None:
        """Replace the warnings shown (user text as plain Text)."""
        self._warnings = list(warnings)
        self._columns()
        self.clear()
        self._items = [w.item for w in warnings]
        for i, w in enumerate(warnings):
            self.add_row(
                Text(w.item or "—", style="bold" if w.item else "dim", overflow="ellipsis"),
                Text(w.field, overflow="fold"),
                Text(w.message.replace("\n", " ")),
                key=str(i),
                height=None,  # as many lines as the message needs
            )
        if not warnings:
            self.add_row(Text("—", style="dim"), Text(""), Text("No warnings: the value case holds up."))
            self._items = [None]

    def on_resize(self, event: events.Resize) -> None:
        if (
            self._message_width
            and max(30, event.size.width - ITEM_WIDTH - FIELD_WIDTH - 8) != self._message_width
        ):
            self.show(self._warnings)

    @property
    def item_ids(self) -> list[str | None]:
        """The item of each row, in order (None for metric-level warnings)."""
        return list(self._items)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._items[event.cursor_row] if event.cursor_row < len(self._items) else None
        if item:
            self.post_message(self.JumpTo(item))
