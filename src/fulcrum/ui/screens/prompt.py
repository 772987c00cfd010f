"""Ask for one line of text (a path to save or export to)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from fulcrum.ui.screens.base import ReadyScreen


class PromptScreen(ReadyScreen[str | None]):
    """Dismisses with the text entered (Enter), or None (Esc)."""

    def __init__(self, title: str, value: str = "", hint: Text | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint or Text("Enter confirms · Esc cancels", style="dim")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Input(self.value, id="prompt-input")
            yield Static(self.hint, classes="dialog-message")
            yield Static("", id="prompt-error", classes="error")

    def on_enter_input(self, field: Input) -> None:
        if not field.value.strip():
            self.query_one("#prompt-error", Static).update(Text("Type something, or press Esc to cancel."))
            return
        self.dismiss(field.value.strip())
