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

    def __init__(
        self,
        title: str,
        options: list[tuple[str, Text]],
        current: str | None = None,
        disabled: set[str] | None = None,
        *,
        kind: str = "",
    ) -> None:
        """``disabled``: options shown (their label says why) but not pickable; ``kind`` names
        the picker for whoever updates its options later (``set_options``)."""
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current
        self.unpickable = disabled or set()
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield OptionList(*self._options(), id="picker")
            yield Static(Text("↑↓ choose · Enter picks · Esc cancels", style="dim"))

    def _options(self) -> list[Option]:
        return [Option(label, id=key, disabled=key in self.unpickable) for key, label in self.options]

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        keys = [key for key, _ in self.options]
        if self.current in keys:
            picker.highlighted = keys.index(self.current)

    def set_options(self, options: list[tuple[str, Text]], disabled: set[str]) -> None:
        """Replace the options, keeping the highlight on the same one (or the nearest pickable)."""
        self.options, self.unpickable = options, disabled
        picker = self.query_one(OptionList)
        option = picker.highlighted_option
        keep = option.id if option is not None else self.current
        picker.set_options(self._options())
        keys = [key for key, _ in options]
        if keep in keys and keep not in disabled:
            picker.highlighted = keys.index(keep)

    def first_focus(self) -> Widget:
        return self.query_one(OptionList)

    def on_enter_option(self, options: OptionList) -> None:
        option = options.highlighted_option
        if option is not None and not option.disabled:
            self.dismiss(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click
        self.dismiss(event.option.id)
