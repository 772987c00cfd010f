"""A question with a few buttons (quit with unsaved edits, save conflicts ...)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

#: ← → between a dialog's buttons; they stop at the ends (see ``ButtonRowScreen``).
ARROW_BINDINGS: list[BindingType] = [
    Binding("left", "move_button(-1)", "Previous", show=False),
    Binding("right", "move_button(1)", "Next", show=False),
]


ResultT = TypeVar("ResultT")


class ButtonRowScreen(ModalScreen[ResultT]):
    """← → move the focus along the dialog's ``.buttons`` row and stop at its ends.

    Not ``app.focus_next``: that wraps around, so from Cancel (the usual default, at the right
    end) one → and Enter pressed the first button, e.g. Reload, which drops the edits.
    """

    def action_move_button(self, delta: int) -> None:
        """Focus the button ``delta`` places along (clamped at the ends)."""
        buttons = [b for b in self.query(".buttons Button") if isinstance(b, Button) and not b.disabled]
        if not buttons:
            return
        # set_focus, not Button.focus(): that is deferred, so keys typed quickly (← ← ←) would
        # each start from the same button.
        focused = self.focused
        if focused not in buttons:
            self.set_focus(buttons[0 if delta > 0 else -1])  # focus is elsewhere: enter the row
            return
        index = max(0, min(len(buttons) - 1, buttons.index(focused) + delta))
        self.set_focus(buttons[index])


class ChoiceScreen(ButtonRowScreen[str | None]):
    """Dismisses with the key of the chosen button, or None on Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"), *ARROW_BINDINGS]

    def __init__(self, title: str, message: Text, choices: list[tuple[str, str]], default: str = "") -> None:
        """``choices`` are (key, button label); ``default`` is the button focused first."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = choices
        self.default = default or choices[-1][0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(self.message, classes="dialog-message")
            with Horizontal(classes="buttons"):
                for key, label in self.choices:
                    variant: ButtonVariant = "primary" if key == self.default else "default"
                    yield Button(Text(label), id=f"choice-{key}", variant=variant)
            yield Static(Text("← → choose · Enter presses · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.default}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(None)
