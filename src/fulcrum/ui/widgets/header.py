"""The header line: backlog title, lens, method, file, and a dirty marker."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class HeaderLine(Static):
    """One line at the top of the app; every part is plain text, never markup."""

    def show(self, title: str, lens: str, method: str, dirty: bool, where: str, saving: bool = False) -> None:
        """Redraw with the current state; ``saving``: a save is being written (shown first, so a
        long title or path cannot push it off a narrow screen)."""
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("● " if dirty else "  ", style="bold yellow")
        if saving:
            text.append("saving…", style="bold reverse")
            text.append("  ")
        text.append(title, style="bold")
        text.append("  ·  lens ", style="dim")
        text.append(lens)
        text.append("  ·  method ", style="dim")
        text.append(method)
        if where:
            text.append("  ·  ", style="dim")
            text.append(where, style="dim")
        if dirty:
            text.append("  ·  unsaved edits (ctrl+s saves)", style="yellow")
        self.update(text, layout=False)  # always one line: no re-layout of the screen
