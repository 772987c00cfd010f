"""Pick one of a few options (lens, method)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from fulcrum.ui.screens.base import ReadyScreen


class PickerScreen(ReadyScreen[str | None]):
    """Dismisses with the id of the chosen option (Enter), or None (Esc)."""

    def __init__(self, title: str, options: list[tuple[str, Text]], current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield OptionList(*[Option(label, id=key) for key, label in self.options], id="picker")
            yield Static(Text("↑↓ choose · Enter picks · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        keys = [key for key, _ in self.options]
        if self.current in keys:
            picker.highlighted = keys.index(self.current)

    def first_focus(self) -> Widget:
        return self.query_one(OptionList)

    def on_enter_option(self, options: OptionList) -> None:
        option = options.highlighted_option
        if option is not None and not option.disabled:
            self.dismiss(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click
        self.dismiss(event.option.id)
