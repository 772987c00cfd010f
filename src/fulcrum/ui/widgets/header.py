"""The header line: backlog title, lens, method, file, and a dirty marker."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

SEP = "  ·  "
MIN_TITLE = 12


class HeaderLine(Static):
    """One line at the top of the app; every part is plain text, never markup.

    On a narrow terminal the title is cut first, so the markers, the lens and the method (what
    the ranking depends on) stay in view; the file and the "unsaved edits" words come last.
    """

    _state: tuple[str, str, str, bool, str, str] | None = None

    def show(self, title: str, lens: str, method: str, dirty: bool, where: str, busy: str = "") -> None:
        """Redraw with the current state; ``busy``: what a worker is doing ("saving…")."""
        self._state = (title, lens, method, dirty, where, busy)
        self.update(self._text(self.size.width), layout=False)  # always one line: no re-layout

    def on_resize(self, _: events.Resize) -> None:
        if self._state is not None:
            self.update(self._text(self.size.width), layout=False)

    def _text(self, width: int) -> Text:
        assert self._state is not None
        title, lens, method, dirty, where, busy = self._state
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("● " if dirty else "  ", style="bold yellow")
        if busy:
            text.append(busy, style="bold reverse")
            text.append("  ")
        view = Text(SEP + "lens ", style="dim")
        view.append(lens, style="not dim")
        view.append(SEP + "method ")
        view.append(method, style="not dim")
        name = Text(title, style="bold")
        room = width - text.cell_len - view.cell_len
        if width and name.cell_len > room:
            name.truncate(max(MIN_TITLE, room), overflow="ellipsis")
        text.append_text(name)
        text.append_text(view)
        if where:
            text.append(SEP, style="dim")
            text.append(where, style="dim")
        if dirty:
            text.append(SEP + "unsaved edits (ctrl+s saves)", style="yellow")
        return text
