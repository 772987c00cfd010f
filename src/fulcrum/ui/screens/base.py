"""The base of every dialog: keys typed at any speed land where the user meant them.

The app routes one key at a time (``fulcrum.ui.keys``); a dialog adds three rules:

1. It is ``keys_ready`` only once its first field has the focus: until then (while it is being
   built, or reopened) the app keeps the keys typed for it, and routes them on ``KeysReady``.
2. Enter acts at once (a priority binding calling the dialog's choice), not through the message a
   field, button or list would post: keys typed after it go to what is below the dialog.
3. Focus moves with ``set_focus`` (immediate), never ``Widget.focus()`` (deferred).

A dialog opened again behaves as a fresh one: :meth:`ReadyScreen.first_focus` gets the focus with
its text selected, as a freshly focused Input has it, whatever was focused or selected last time.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select
from textual.widgets.input import Selection

from fulcrum.ui.keys import KeysReady

ResultT = TypeVar("ResultT")


class ReadyScreen(ModalScreen[ResultT]):
    """A dialog whose keys are never lost or misrouted, however fast they come (see the module)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "enter", "Choose", show=False, priority=True),
    ]

    keys_ready = False
    """True once the first field has the focus: until then the app holds the keys typed."""

    # -- hooks for the dialogs -----------------------------------------------------------------

    def first_focus(self) -> Widget | None:
        """The widget that has the focus when the dialog opens (None: the first focusable)."""
        return None

    def on_enter_input(self, field: Input) -> None:
        """Enter in an Input (default: nothing more, the Input's own Submitted is not sent)."""

    def on_enter_button(self, button: Button) -> None:
        """Enter on a button: the dialog's choice (default: press it, as a click does)."""
        button.press()

    def on_enter_option(self, options: OptionList) -> None:
        """Enter in an option list (default: select the highlighted option)."""
        options.action_select()

    def action_cancel(self) -> None:
        self.dismiss(None)

    # -- the rules -----------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        self.focus_first()
        self.keys_ready = True
        self.app.post_message(KeysReady())

    def on_screen_suspend(self) -> None:
        self.keys_ready = False

    def focus_first(self) -> None:
        """Focus the first field now, with its text selected (as a freshly focused Input has it)."""
        target = self.first_focus()
        if target is None:
            target = next((w for w in self.focus_chain if w.focusable), None)
        if target is None:
            return
        self.set_focus(target, scroll_visible=False)
        if isinstance(target, Input):
            target.selection = Selection(0, len(target.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An open Select list keeps Enter for itself (it picks the highlighted option).
        return not (action == "enter" and any(s.expanded for s in self.query(Select)))

    def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, Input):
            self.on_enter_input(focused)
        elif isinstance(focused, Button):
            self.on_enter_button(focused)
        elif isinstance(focused, OptionList):
            self.on_enter_option(focused)
        else:
            raise SkipAction()  # e.g. a Select: Enter opens its list
