"""A question with a few buttons (quit with unsaved edits, save conflicts ...)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from fulcrum.ui.screens.base import ReadyScreen

ResultT = TypeVar("ResultT")


class ButtonRowScreen(ReadyScreen[ResultT]):
    """← → move the focus along the dialog's ``.buttons`` row and stop at its ends; Enter on a
    button is the dialog's ``choose(button)``, run at once (see ``screens/base.py``).

    Not ``app.focus_next``: that wraps around, so from Cancel (the usual default, at the right
    end) one → and Enter pressed the first button, e.g. Reload, which drops the edits.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move_button(-1)", "Previous", show=False),
        Binding("right", "move_button(1)", "Next", show=False),
    ]

    def choose(self, button: Button) -> None:
        """A button was chosen (Enter or a click)."""

    def on_enter_button(self, button: Button) -> None:
        self.choose(button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.choose(event.button)

    def action_move_button(self, delta: int) -> None:
        """Focus the button ``delta`` places along (clamped at the ends)."""
        buttons = [b for b in self.query(".buttons Button") if isinstance(b, Button) and not b.disabled]
        if not buttons:
            return
        # set_focus, not Button.focus(): that is deferred (see screens/base.py).
        focused = self.focused
        if focused not in buttons:
            self.set_focus(buttons[0 if delta > 0 else -1])  # focus is elsewhere: enter the row
            return
        index = max(0, min(len(buttons) - 1, buttons.index(focused) + delta))
        self.set_focus(buttons[index])


class ChoiceScreen(ButtonRowScreen[str | None]):
    """Dismisses with the key of the chosen button, or None on Esc."""

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

    def first_focus(self) -> Widget:
        return self.query_one(f"#choice-{self.default}", Button)

    def choose(self, button: Button) -> None:
        assert button.id is not None
        self.dismiss(button.id.removeprefix("choice-"))
