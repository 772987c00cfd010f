"""The filter box of the Backlog tab: hidden until `/`, Esc clears and hides it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterInput(Input):
    """Posts ``Done`` when the user leaves it (Enter keeps the filter, Esc clears it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "clear_filter", "Clear filter")]

    class Done(Message):
        """The user is done typing; focus can go back to the table."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            placeholder="filter: id, title, tag, stakeholder, quadrant · Enter keeps · Esc clears",
            compact=True,
            name=name,
            id=id,
            classes=classes,
        )

    def open(self) -> None:
        """Show and focus."""
        self.add_class("-active")
        self.focus()

    def clear(self) -> None:
        """Empty and hide it, leaving the focus where it is."""
        self.value = ""  # posts Changed, which re-filters
        self.remove_class("-active")

    def action_clear_filter(self) -> None:
        self.clear()
        self.post_message(self.Done())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.value:
            self.remove_class("-active")
        self.post_message(self.Done())
