"""The Review tab: the warnings of `fulcrum check`, each one jumping to its item."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from fulcrum.model import Backlog


@dataclass(frozen=True)
class ReviewWarning:
    """One review warning, as the tab shows it."""

    item: str | None
    field: str
    message: str


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
        """Replace the warnings shown."""
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

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._items[event.cursor_row] if event.cursor_row < len(self._items) else None
        if item:
            self.post_message(self.JumpTo(item))


def review_warnings(backlog: Backlog) -> list[ReviewWarning] | None:
    """The warnings of `fulcrum check` for this backlog; None while the review is not available."""
    try:
        from fulcrum.review import review
    except ImportError:
        return None
    out = []
    for w in review(backlog):
        item = getattr(w, "item", None) or getattr(w, "item_id", None)
        out.append(ReviewWarning(item, str(getattr(w, "field", "")), str(getattr(w, "message", w))))
    return out
