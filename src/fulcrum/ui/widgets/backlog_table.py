"""The ranked table of the Backlog tab: rows keyed by item id, cursor kept on the same item."""

from __future__ import annotations

from textual.widgets import DataTable

from fulcrum.ui.rows import COLUMNS, Row


class BacklogTable(DataTable):
    """Ranked items (and closed ones when shown); the row key is the item id."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        for col in COLUMNS:
            self.add_column(col.label, key=col.key)

    def show(self, rows: list[Row], cursor_id: str | None) -> None:
        """Replace every row, then put the cursor back on ``cursor_id``.

        When that item is no longer shown (filtered out, dropped), the cursor stays at the same
        position so the next item takes its place.
        """
        index = self.cursor_row
        self.clear()
        for row in rows:
            self.add_row(*row.cells, key=row.key)
        if not self.select(cursor_id) and self.row_count:
            self.move_cursor(row=min(max(index, 0), self.row_count - 1), animate=False)

    def select(self, item_id: str | None) -> bool:
        """Move the cursor to the item's row; False when it is not in the table."""
        if item_id is None or item_id not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(item_id), animate=False)
        return True

    @property
    def highlighted_id(self) -> str | None:
        """The id of the item under the cursor, or None for an empty table."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value
