"""The footer: the keys that act where the focus is, on one line, cut at a whole key.

Textual's Footer rebuilds one widget per key whenever the focus moves (about half a second of
the UI thread on a busy machine for every tab switch), and at 80 columns its scrolled key row
left a stray character beside the command-palette key. This one line of plain text is redrawn
in well under a millisecond, shows the keys in binding order (``?`` first: see
``fulcrum.ui.actions.bindings``) while whole keys fit, and keeps ``^p palette`` at the right
edge when there is room for it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widgets import Static

GAP = "  "
PALETTE = ("^p", "palette")


class KeyBar(Static):
    """One line of ``key label`` pairs for the bindings shown in the footer."""

    DEFAULT_CSS = """
    KeyBar { height: 1; background: $panel; color: $text-muted; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.redraw()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, _: events.Resize) -> None:
        self.redraw()

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.redraw()

    def shown_keys(self) -> list[tuple[str, str]]:
        """(key as shown, label) of each action with a shown binding, in binding order."""
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((self.app.get_key_display(binding), binding.description))
        return out

    def redraw(self) -> None:
        self.update(render_keys(self.shown_keys(), self.size.width or 80), layout=False)


def render_keys(keys: list[tuple[str, str]], width: int) -> Text:
    """The line: as many whole ``key label`` pairs as fit, then the palette key at the right."""
    line = Text(no_wrap=True, overflow="crop", end="")
    palette = Text.assemble((PALETTE[0], "bold"), " ", PALETTE[1])
    room = width - palette.cell_len - len(GAP) - 1  # a cell of padding on the left
    line.append(" ")
    for i, (key, label) in enumerate(keys):
        part = Text.assemble((key, "bold"), " ", label)
        needed = part.cell_len + (len(GAP) if i else 0)
        if line.cell_len + needed > room + 1:
            break
        if i:
            line.append(GAP)
        line.append_text(part)
    if line.cell_len + len(GAP) + palette.cell_len <= width:
        line.append(" " * (width - line.cell_len - palette.cell_len))
        line.append_text(palette)
    return line
