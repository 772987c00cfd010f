"""The Review tab: the warnings of `fulcrum check`, each one jumping to its item."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from fulcrum.review import ReviewWarning


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

    def on_mount(self) -> None:
        self.add_column("Item", key="item")
        self.add_column("Field", key="field")
        self.add_column("Warning", key="message")

    def show(self, warnings: list[ReviewWarning]) -> None:
        """Replace the warnings shown (user text as plain Text)."""
        self.clear()
        self._items = [w.item for w in warnings]
        for i, w in enumerate(warnings):
            self.add_row(
                Text(w.item or "—", style="bold" if w.item else "dim"),
                Text(w.field),
                Text(w.message.replace("\n", " ")),
                key=str(i),
            )
        if not warnings:
            self.add_row(Text("—", style="dim"), Text(""), Text("No warnings: the value case holds up."))
            self._items = [None]

    @property
    def item_ids(self) -> list[str | None]:
        """The item of each row, in order (None for metric-level warnings)."""
        return list(self._items)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._items[event.cursor_row] if event.cursor_row < len(self._items) else None
        if item:
            self.post_message(self.JumpTo(item))
