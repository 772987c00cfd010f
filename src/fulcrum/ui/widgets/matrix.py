"""The Matrix tab: impact vs feasibility chart (placeholder; issue 5 fills it in).

Interface used by the app (keep it): ``MatrixView.show(ranking, selected_id)`` is called after
every re-score and cursor move; the widget posts ``MatrixView.Selected(item_id)`` when the user
moves the highlight inside the chart.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from fulcrum.scoring import Ranking


class MatrixView(Static):
    """Impact-vs-feasibility chart of the current ranking."""

    class Selected(Message):
        """The user highlighted an item in the chart."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def show(self, ranking: Ranking, selected: str | None) -> None:
        """Redraw for this ranking, highlighting ``selected``."""
        self.update("The matrix is coming (issue 5).")
