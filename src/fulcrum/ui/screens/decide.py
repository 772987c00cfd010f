"""Decide about one item: plan, defer or drop it, with a required reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from fulcrum.backlog import Backlog, Item
from fulcrum.ui.edits import FormError
from fulcrum.ui.screens.choice import ButtonRowScreen

#: (verdict, button label, what it stores besides the dated reason)
VERDICTS = (
    ("plan", "Plan", 'status "planned"'),
    ("defer", "Defer", 'status "deferred" (ranked, not planned)'),
    ("drop", "Drop", 'status "dropped"'),
)


class DecideScreen(ButtonRowScreen[Backlog | None]):
    """Type the reason, then press Plan, Defer or Drop; dismisses with the edited backlog."""

    def __init__(self, item: Item, today: date, submit: Callable[[str, str], Backlog]) -> None:
        """``submit(verdict, reason)`` returns the decided backlog (dated ``today``) or raises
        FormError."""
        super().__init__()
        self.item = item
        self.today = today
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text("Decide: ", style="bold")
            title.append(self.item.id, style="bold")
            title.append(" — ")
            title.append(self.item.title)
            yield Static(title, classes="dialog-title")
            hint = Text(
                "Why? Required: the reason is what lets you say no later. Type it, press Enter,", style="dim"
            )
            hint.append("\nthen choose with ← → (or Tab) and press Enter.", style="dim")
            yield Static(hint)
            yield Input(placeholder="reason", id="reason")
            yield Static("", id="reason-error", classes="error")
            with Horizontal(classes="buttons"):
                for verdict, label, _ in VERDICTS:
                    yield Button(
                        label, id=f"verdict-{verdict}", variant="primary" if verdict == "plan" else "default"
                    )
                yield Button("Cancel", id="verdict-cancel")
            stores = " · ".join(f"{label}: {what}" for _, label, what in VERDICTS)
            yield Static(Text(f'{stores}; decision: "{self.today.isoformat()}: <reason>"', style="dim"))

    def first_focus(self) -> Widget:
        return self.query_one("#reason", Input)

    def on_enter_input(self, field: Input) -> None:
        self.set_focus(self.query_one("#verdict-plan", Button))

    def choose(self, button: Button) -> None:
        assert button.id is not None
        verdict = button.id.removeprefix("verdict-")
        if verdict == "cancel":
            self.dismiss(None)
            return
        reason = self.query_one("#reason", Input).value
        try:
            backlog = self.submit(verdict, reason)
        except FormError as exc:
            messages = [m for ms in exc.problems.values() for m in ms]
            self.query_one("#reason-error", Static).update(Text("\n".join(messages)))
            self.set_focus(self.query_one("#reason", Input))
            return
        self.dismiss(backlog)
