"""The Review tab: the warnings of `fulcrum check`, each one jumping to its item.

``check(backlog)`` reviews in a thread worker (0.4 s at 10,000 items) and shows the warnings
when they are posted back; a result for an older backlog than the latest asked for is dropped.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.message import Message
from textual.widgets import DataTable

from fulcrum.backlog import Backlog
from fulcrum.scoring import ReviewWarning, review

ITEM_WIDTH = 18
FIELD_WIDTH = 26
#: Below this table width the item and field columns narrow (they wrap), leaving the warning room.
NARROW = 100
NARROW_ITEM, NARROW_FIELD = 14, 18


def column_widths(table_width: int) -> tuple[int, int, int]:
    """Item, field and warning widths: the warning gets the rest, less cell padding and the
    scrollbar."""
    item, field = (ITEM_WIDTH, FIELD_WIDTH) if table_width >= NARROW else (NARROW_ITEM, NARROW_FIELD)
    return item, field, max(30, table_width - item - field - 3 * 2 - 2)


class ReviewView(DataTable):
    """A table of warnings; Enter on one posts ``JumpTo(item_id)``."""

    class Reviewed(Message):
        """A review worker finished (``generation``: which request)."""

        def __init__(self, generation: int, warnings: list[ReviewWarning]) -> None:
            super().__init__()
            self.generation = generation
            self.warnings = warnings

    class JumpTo(Message):
        """The user asked to see this item in the Backlog tab."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, name=name, id=id, classes=classes)
        self._items: list[str | None] = []
        self._warnings: list[ReviewWarning] = []
        self._widths = (0, 0, 0)
        self._checked: Backlog | None = None
        self.generation = 0
        """The number of the latest review asked for."""
        self.checking = False
        """A review of the latest backlog is running."""

    def check(self, backlog: Backlog) -> None:
        """Review this backlog (nothing to do when it was the last one asked for)."""
        if backlog is self._checked:
            return
        self._checked = backlog
        self.generation += 1
        self.checking = True
        self._review(self.generation, backlog)

    # A description: Textual's default is the repr of the arguments (the whole backlog).
    @work(thread=True, exclusive=True, group="review", exit_on_error=False, description="review")
    def _review(self, generation: int, backlog: Backlog) -> None:
        try:
            warnings = review(backlog)
        except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
            warnings = [ReviewWarning("error", f"cannot review: unexpected error: {exc!r}")]
        self.post_message(self.Reviewed(generation, warnings))

    def on_review_view_reviewed(self, reviewed: Reviewed) -> None:
        reviewed.stop()
        if reviewed.generation == self.generation:
            self.checking = False
            self.show(reviewed.warnings)

    def _columns(self) -> None:
        """Item and field fixed; the message takes the rest of the width and wraps."""
        widths = column_widths(self.size.width or 120)
        if widths != self._widths:
            self._widths = item, field, message = widths
            self.clear(columns=True)
            self.add_column("Item", key="item", width=item)
            self.add_column("Field", key="field", width=field)
            self.add_column("Warning", key="message", width=message)

    def show(self, warnings: list[ReviewWarning]) -> None:
        """Replace the warnings shown (user text as plain Text)."""
        self._warnings = list(warnings)
        self._columns()
        self.clear()
        self._items = [w.item for w in warnings]
        for i, w in enumerate(warnings):
            self.add_row(
                Text(w.item or "—", style="bold" if w.item else "dim", overflow="fold"),
                Text(w.field, overflow="fold"),
                Text(w.message.replace("\n", " ")),
                key=str(i),
                height=None,  # as many lines as the message needs
            )
        if not warnings:
            self.add_row(Text("—", style="dim"), Text(""), Text("No warnings: the value case holds up."))
            self._items = [None]

    def on_resize(self, event: events.Resize) -> None:
        if self._widths[2] and column_widths(event.size.width) != self._widths:
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
