"""Decide about one item: plan, defer or drop it with a required reason, or mark it done."""

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
    ("done", "Done", 'status "done", done_on today, the actual effort if given'),
)


class DecideScreen(ButtonRowScreen[Backlog | None]):
    """Type the reason (and, for Done, the actual effort), then press Plan, Defer, Drop or Done;
    dismisses with the edited backlog."""

    def __init__(self, item: Item, today: date, submit: Callable[[str, str, str], Backlog]) -> None:
        """``submit(verdict, reason, actual_effort)`` returns the decided backlog (dated ``today``)
        or raises FormError."""
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
            yield Input(placeholder="Done: actual effort in person-weeks (optional)", id="actual")
            yield Static("", id="actual-error", classes="error")
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
        self.set_focus(self.query_one("#verdict-done" if field.id == "actual" else "#verdict-plan", Button))

    def choose(self, button: Button) -> None:
        assert button.id is not None
        verdict = button.id.removeprefix("verdict-")
        if verdict == "cancel":
            self.dismiss(None)
            return
        reason = self.query_one("#reason", Input).value
        actual = self.query_one("#actual", Input).value
        try:
            backlog = self.submit(verdict, reason, actual)
        except FormError as exc:
            on_actual = exc.problems.pop("actual_effort", [])
            messages = [m for ms in exc.problems.values() for m in ms]
            self.query_one("#reason-error", Static).update(Text("\n".join(messages)))
            self.query_one("#actual-error", Static).update(Text("\n".join(on_actual)))
            self.set_focus(self.query_one("#actual" if on_actual and not messages else "#reason", Input))
            return
        self.dismiss(backlog)
