"""The Plan tab: the 30-60-90 plan (placeholder; issue 6 fills it in).

Interface used by the app (keep it): ``PlanView.show(backlog, lens)`` is called after every
change; the widget posts ``PlanView.PinRequested(item_id, phase)`` (phase None = unpin) and
the app applies it as an edit of the item's ``phase`` (undoable, saved like any edit).
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Static

from fulcrum.model import Backlog


class PlanView(Static):
    """Three phase columns, the listening tour, and what waits."""

    class PinRequested(Message):
        """The user asked to pin an item to a phase (None: unpin)."""

        def __init__(self, item_id: str, phase: int | None) -> None:
            super().__init__()
            self.item_id = item_id
            self.phase = phase

    def show(self, backlog: Backlog, lens: str | None) -> None:
        """Redraw the plan of this backlog under this lens."""
        self.update("The plan is coming (issue 6).")
