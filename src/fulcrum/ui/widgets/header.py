"""The header line: unsaved marker, backlog title, lens, method, the day of the plan ("day 40 of
90"), a no-price note, and the file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import events
from textual.widgets import Static

SEP = "  ·  "
MIN_TITLE = 12
UNSAVED = "● unsaved"
NO_PRICE_SHORT = "no priced metric"
COMPACT_SEP = " · "


@dataclass(frozen=True)
class HeaderState:
    """What the header shows (all plain text: never markup)."""

    title: str
    lens: str
    method: str
    dirty: bool
    where: str = ""
    busy: str = ""
    """What a worker is doing ("saving…")."""
    no_price: str | None = None
    """The lens has no priced metric: the sentence saying what to do (``Ranking.no_price_note``)."""
    day: str = ""
    """Where today is in the plan ("day 40 of 90"), or "" when outside it."""


class HeaderLine(Static):
    """One line at the top of the app, fitted to the width (see :func:`header_text`)."""

    _state: HeaderState | None = None

    def show(self, state: HeaderState) -> None:
        """Redraw with the current state."""
        self._state = state
        self.update(header_text(state, self.size.width), layout=False)  # always one line

    def on_resize(self, _: events.Resize) -> None:
        if self._state is not None:
            self.update(header_text(self._state, self.size.width), layout=False)


def header_text(state: HeaderState, width: int) -> Text:
    """The line, never wider than ``width`` (0: unknown, everything).

    What the ranking depends on stays whole: the unsaved marker (first, so never cut), the lens,
    the method and the no-price note (its short form when the sentence does not fit). The title
    is cut first (to ``MIN_TITLE`` at least), then the file is named without its folder, then it
    goes, then the note's long form, then the title.
    """
    head = Text(no_wrap=True, overflow="ellipsis", end="")
    if state.dirty:
        head.append(UNSAVED, style="bold yellow")
        head.append("  ")
    if state.busy:
        head.append(state.busy, style="bold reverse")
        head.append("  ")
    view = Text(SEP + "lens ", style="dim")
    view.append(state.lens, style="not dim")
    view.append(SEP + "method ")
    view.append(state.method, style="not dim")
    if state.day:
        view.append(SEP)
        view.append(state.day, style="not dim bold")
    notes = [state.no_price, NO_PRICE_SHORT] if state.no_price else [""]
    where = [state.where, "…/" + Path(state.where).name, ""] if state.where else [""]
    room = width - 2 if width else 10**6  # the widget's padding
    name = Text(state.title, style="bold")
    for note in notes:
        for file in where:
            fixed = head.cell_len + view.cell_len + _cells(note) + _cells(file)
            if room - fixed >= min(MIN_TITLE, name.cell_len):
                return _join(head, name, room - fixed, view, note, file)
    # Too narrow for a title beside the rest: what the ranking depends on comes first, in as
    # few cells as it takes.
    if head.cell_len + view.cell_len - len(SEP) + _cells(notes[-1]) <= room:
        return _join(head, None, 0, view, notes[-1], "")
    compact = Text(state.lens)
    compact.append(COMPACT_SEP + state.method, style="not dim")
    if state.day:
        compact.append(COMPACT_SEP + state.day.removeprefix("day "), style="not dim")
    text = head.copy()
    text.append_text(compact)
    if notes[-1]:
        text.append(COMPACT_SEP, style="dim")
        text.append(notes[-1], style="bold yellow")
    return text


def _join(head: Text, name: Text | None, title_room: int, view: Text, note: str, where: str) -> Text:
    text = head.copy()
    if name is not None:
        name = name.copy()
        if name.cell_len > title_room:
            name.truncate(max(title_room, 1), overflow="ellipsis")
        text.append_text(name)
        text.append_text(view)
    else:
        text.append_text(view[len(SEP) :])
    if note:
        text.append(SEP, style="dim")
        text.append(note, style="bold yellow")
    if where:
        text.append(SEP + where, style="dim")
    return text


def _cells(part: str) -> int:
    """Cells a part takes with its separator (0 when absent)."""
    return Text(SEP + part).cell_len if part else 0


def plan_day_text(start: date | None, today: date) -> str:
    """The day of the plan that begins on ``start`` ("day 40 of 90"), or "" outside it."""
    if start is None:
        return ""
    n = (today - start).days + 1
    return f"day {n} of 90" if 1 <= n <= 90 else ""
