"""The edit form of one item (`e`) or of a new one (`n`), with problems shown next to fields.

The screen only collects text: ``submit(values)`` (``fulcrum.ui.edits.apply_form``) validates
it exactly as `fulcrum check` would and either returns the new backlog or raises FormError,
whose messages are shown under the rows they belong to.

Building the form (about 80 widgets for six metrics) takes most of a second, so the app keeps
one form per set of metrics and :meth:`EditItemScreen.load` refills it for the next item; a form
refilled so behaves exactly as a fresh one (the same field focused, its text selected, every other
caret at the end of its text, scrolled to the top). Keys typed while it opens wait for it (see
``screens/base.py``): none is lost, however fast they come.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from fulcrum.backlog import PHASES, STATUSES, Backlog, Item
from fulcrum.ui.edits import FormError, form_values
from fulcrum.ui.screens.base import ReadyScreen

#: (row key, label, placeholder) of the one-input rows after the estimates, in form order.
TEXT_ROWS = (
    ("needs", "Needs (teams)", "sre, data"),
    ("depends_on", "Depends on", "item ids, comma-separated"),
    ("excludes", "Excludes", "alternatives: item ids, the plan picks one"),
    ("owner", "Owner", "who does it"),
    ("team", "Team", "whose capacity (blank: yours)"),
    ("due", "Due", "YYYY-MM-DD"),
    ("done_on", "Done on", "YYYY-MM-DD (blank: not done)"),
    ("actual_effort", "Actual effort (wk)", "what it really took (blank: not recorded)"),
    ("tags", "Tags", "cost, growth"),
    ("fields", "Fields", "reach=5000, impact=2"),
    ("decision", "Decision", "why planned, deferred or dropped"),
)


class EditItemScreen(ReadyScreen[Backlog | None]):
    """A form over every field of an item; ctrl+s or Enter applies, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "Apply", priority=True)]

    def __init__(
        self, backlog: Backlog, item: Item | None, submit: Callable[[dict[str, str]], Backlog]
    ) -> None:
        super().__init__()
        self.backlog = backlog
        self.item = item
        self.submit = submit
        self.values = form_values(item)
        self.metrics = tuple(backlog.metrics)
        """The metric rows this form has (a backlog with other metrics needs another form)."""
        self.fields: dict[str, Input | Select[str]] = {}
        """Field key -> its widget (``effort``, ``impact.mau``, ``evidence.mau`` ...)."""
        self.rows: dict[str, Horizontal] = {}
        """Row key -> the row, so a problem can be shown right under it."""
        self.focus_field: str | None = None
        """The field that has the focus when the form opens (None: the title, or the id of a new item)."""
        self.errors: dict[str, Static] = {}
        """Row key -> the Static showing its problems (made on the first problem: a form of
        ~100 widgets opens noticeably faster than one of ~120)."""

    # -- building ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(self._title(), classes="dialog-title", id="form-title")
            general = Static("", classes="error field-error", id="form-problems")
            general.display = False
            self.errors[""] = general
            yield general
            with VerticalScroll(id="form"):
                yield from self._row("id", "Id", [self._input("id", "unique-slug")])
                self.rows["id"].display = self.item is None
                yield from self._row("title", "Title", [self._input("title", "what the work is")])
                people = ", ".join(self.backlog.stakeholders) or "none defined"
                yield from self._row("requested_by", "Requested by", [self._input("requested_by", people)])
                yield from self._row("effort", "Effort (wk)", self._estimate("effort", "evidence.effort"))
                yield from self._row(
                    "confidence", "Confidence", [self._input("confidence", "0..1, e.g. 0.8")]
                )
                yield Static(
                    Text(
                        "Impact per year: a number, or low / likely / high (1 / 2 / 4); blank: no impact",
                        style="dim",
                    )
                )
                for key, metric in self.backlog.metrics.items():
                    label = metric.label + (f" ({metric.unit})" if metric.unit else "")
                    yield from self._row(
                        f"impact.{key}", label, self._estimate(f"impact.{key}", f"evidence.{key}")
                    )
                yield from self._row("status", "Status", [self._select("status", [(s, s) for s in STATUSES])])
                phases = [("none", ""), *[(str(p), str(p)) for p in PHASES]]
                yield from self._row("phase", "Phase", [self._select("phase", phases)])
                for key, label, hint in TEXT_ROWS:
                    hint = _team_hint(self.backlog) if key == "team" else hint
                    yield from self._row(key, label, [self._input(key, hint)])
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", id="form-apply", variant="primary")
                yield Button("Cancel (Esc)", id="form-cancel")

    def _title(self) -> Text:
        if self.item is None:
            return Text("New item", style="bold")
        title = Text("Edit ", style="bold")
        title.append(self.item.id, style="bold")
        title.append(" — ")
        title.append(self.item.title)
        return title

    def _row(self, key: str, label: str, widgets: list[Widget]) -> Iterator[Widget]:
        row = Horizontal(Label(Text(label), classes="field-label"), *widgets, classes="form-row")
        self.rows[key] = row
        yield row

    def _input(self, key: str, placeholder: str, classes: str = "") -> Input:
        widget = Input(self.values.get(key, ""), placeholder=placeholder, compact=True, classes=classes)
        widget.tooltip = key
        self.fields[key] = widget
        return widget

    def _select(self, key: str, options: list[tuple[str, str]]) -> Select[str]:
        widget: Select[str] = Select(
            options, value=self.values.get(key, options[0][1]), allow_blank=False, compact=True
        )
        self.fields[key] = widget
        return widget

    def _estimate(self, key: str, evidence_key: str) -> list[Widget]:
        return [
            self._input(key, "2  or  1 / 2 / 4", classes="estimate"),
            self._input(evidence_key, "evidence: who told you that?", classes="evidence"),
        ]

    def load(self, backlog: Backlog, item: Item | None, submit: Callable[[dict[str, str]], Backlog]) -> None:
        """Refill the form for another item (None: a new one) of a backlog with the same metrics."""
        self.backlog, self.item, self.submit = backlog, item, submit
        self.values = form_values(item)
        if not self.is_mounted:
            return  # compose uses the values
        self.query_one("#form-title", Static).update(self._title())
        self.rows["id"].display = item is None
        people = self.fields["requested_by"]
        if isinstance(people, Input):
            people.placeholder = ", ".join(backlog.stakeholders) or "none defined"
        team = self.fields["team"]
        if isinstance(team, Input):
            team.placeholder = _team_hint(backlog)
        for key, widget in self.fields.items():
            if isinstance(widget, Select):
                widget.expanded = False
                widget.value = self.values.get(key) or ("idea" if key == "status" else "")
            else:
                widget.value = self.values.get(key, "")
                widget.cursor_position = len(widget.value)  # where a fresh Input has its caret
        self.show_problems({})
        self.query_one("#form", VerticalScroll).scroll_home(animate=False)

    def first_focus(self) -> Widget:
        if self.focus_field in self.fields:
            return self.fields[self.focus_field]
        return self.fields["id" if self.item is None else "title"]

    # -- submitting ----------------------------------------------------------------------------

    def collect(self) -> dict[str, str]:
        """The text of every field (no id when editing: an existing item keeps its id)."""
        out = {}
        for key, widget in self.fields.items():
            value = widget.value
            out[key] = value if isinstance(value, str) else ""
        if self.item is not None:
            del out["id"]
        return out

    def action_submit(self) -> None:
        try:
            backlog = self.submit(self.collect())
        except FormError as exc:
            self.show_problems(exc.problems)
            return
        self.dismiss(backlog)

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        """Put each problem under its row (problems of no row go to the top)."""
        shown: dict[str, list[str]] = {}
        for key, messages in problems.items():
            shown.setdefault(key if key in self.rows else "", []).extend(messages)
        for key in shown:
            if key not in self.errors:
                self.errors[key] = Static("", classes="error field-error")
                self.query_one("#form", VerticalScroll).mount(self.errors[key], after=self.rows[key])
        first: Static | None = None
        for key, static in self.errors.items():
            messages = shown.get(key, [])
            static.update(Text("\n".join(messages)))
            static.display = bool(messages)
            if messages and first is None and key:
                first = static
        if first is not None:
            self.call_after_refresh(self._scroll_form_to, first)

    def _scroll_form_to(self, widget: Widget) -> None:
        self.query_one("#form", VerticalScroll).scroll_to_widget(widget, animate=False)

    def on_enter_input(self, field: Input) -> None:
        self.action_submit()

    def on_enter_button(self, button: Button) -> None:
        if button.id == "form-apply":
            self.action_submit()
        else:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()  # a click
        self.on_enter_button(event.button)


def _team_hint(backlog: Backlog) -> str:
    teams = ", ".join(backlog.teams)
    return f"{teams} (blank: yours)" if teams else "no [teams] defined (blank: yours)"
