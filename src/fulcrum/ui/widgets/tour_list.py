"""The listening tour of the Plan tab: every stakeholder, most influential first, as a list.

Enter posts ``TourList.BriefRequested(key)`` (the app opens that stakeholder's brief); ``m`` posts
``TourList.MetRequested(key)`` (the app marks them met today: an undoable edit, saved like any
other). Esc or ← gives the focus back to the plan's lists. Prompts are Text objects, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from fulcrum.plan import Plan, TourStop


class TourList(OptionList):
    """One option per stakeholder (its id is the stakeholder's key)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "brief", "Brief"),
        Binding("m", "met", "Met today"),
        Binding("escape,left", "back", "Back to the plan", show=False),
        # The plan's pin keys act on the plan's lists, which are not in view from here: not from the tour.
        Binding(
            "shift+left,shift+right,less_than_sign,greater_than_sign,p,0,delete,backspace",
            "not_here",
            show=False,
        ),
    ]

    class BriefRequested(Message):
        """Open the brief to this stakeholder."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class MetRequested(Message):
        """Mark this stakeholder met today."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.border_title = "Listening tour (t)"

    def show(self, plan: Plan) -> None:
        """The tour of this plan; the highlight stays on the same stakeholder."""
        self.show_tour(plan.listening_tour, plan.phases[0].end if plan.phases else plan.start)

    def show_tour(self, tour: Sequence[TourStop], by: date) -> None:
        """These stops, to be met ``by`` (the first phase's end); the highlight stays on the same
        stakeholder."""
        before = self.highlighted_option.id if self.highlighted_option is not None else None
        end = by.isoformat()
        options: list[Option | None] = []
        for n, s in enumerate(tour, 1):
            text = Text(f"{n}. ")
            text.append(s.name, style="bold")
            text.append(f" {s.role}" if s.role else "", style="dim")
            text.append(f" · influence {s.influence} · ", style="dim")
            if s.met is None:
                text.append(f"not met: meet by {end}", style="bold red")
            elif s.met_in_first_phase:
                text.append(f"met {s.met.isoformat()}", style="green")
            else:
                text.append(f"met {s.met.isoformat()}, after day 30", style="yellow")
            options.append(Option(text, id=s.key))
        if not options:
            options = [Option(Text("no stakeholders recorded", style="dim"), disabled=True)]
        self.set_options(options)
        keys = [s.key for s in tour]
        if keys:
            self.highlighted = keys.index(before) if before in keys else 0

    @property
    def key(self) -> str | None:
        """The highlighted stakeholder's key."""
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None

    def action_brief(self) -> None:
        if self.key is None:
            self.app.bell()
            return
        self.post_message(self.BriefRequested(self.key))

    def action_met(self) -> None:
        if self.key is None:
            self.app.bell()
            return
        self.post_message(self.MetRequested(self.key))

    def action_not_here(self) -> None:
        self.app.bell()

    def action_back(self) -> None:
        parent = self.parent
        while parent is not None and not getattr(parent, "can_focus", False):
            parent = parent.parent
        if parent is not None:
            self.screen.set_focus(parent)  # type: ignore[arg-type]
