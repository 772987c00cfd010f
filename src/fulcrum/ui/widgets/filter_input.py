"""The filter box of the Backlog tab: hidden until `/`, Esc clears and hides it.

Keys typed at any speed land where the user meant them (``fulcrum.ui.keys`` routes each key to the
focus of the moment the previous one was acted on), so the focus moves *within* the keys' actions,
with ``set_focus`` (immediate), never ``focus()`` (deferred) or in a message's handler: `/` focuses
the box before the next key is routed, and Enter and Esc give the focus back, at once, to the
table (the widget named when the box is made). Enter is a binding of its own for that reason:
Input's posts ``Submitted``, handled after the next key has been routed to the box.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class FilterInput(Input):
    """Enter keeps the filter, Esc clears it; either gives the focus back (see the module)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("enter", "keep_filter", "Keep filter", show=False),
    ]

    def __init__(
        self, back: str, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        """``back``: the selector of the widget the focus goes back to (the table)."""
        super().__init__(
            placeholder="filter: id, title, tag, stakeholder, quadrant · Enter keeps · Esc clears",
            compact=True,
            name=name,
            id=id,
            classes=classes,
        )
        self._back = back

    def open(self) -> None:
        """Show and focus, at once: the next key is routed as soon as the one opening it is done."""
        self.add_class("-active")
        self.screen.set_focus(self)

    def clear(self) -> None:
        """Empty and hide it, leaving the focus where it is."""
        self.value = ""  # posts Changed, which re-filters
        self.remove_class("-active")

    def action_clear_filter(self) -> None:
        self.clear()
        self._leave()

    def action_keep_filter(self) -> None:
        """Enter: keep the filter (hide the box when it is empty) and leave it."""
        if not self.value:
            self.remove_class("-active")
        self._leave()

    def _leave(self) -> None:
        """The focus back to the table, now (when the box has it: a clear from the app's side
        leaves the focus where it is)."""
        if self.has_focus:
            self.screen.set_focus(self.screen.query_one(self._back))
