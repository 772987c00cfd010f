"""What is wrong with a backlog, as the user reads it: :class:`Problem` (a message located by file,
line, column, item and field, with the offending line and a caret) and :class:`BacklogError`
(all of them at once); and how messages name items and paths (no 0-based numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fulcrum.backlog.values import ordinal
from fulcrum.text import terminal_safe

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a backlog, located as precisely as we can."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    item: str | None = None
    """The id of the item the problem is in, when it is in one."""
    field: str = ""
    """The dotted path of the field, e.g. ``items[3].impact.mau``."""
    source_line: str | None = None
    """The text of the offending line, for a caret display."""
    subject: str = ""
    """What the problem is about, as the headline names it: ``item 'a' impact.mau``,
    ``the 3rd [[items]] effort`` (an item without a usable id); empty: the item and the field."""

    def headline(self) -> str:
        """``FILE:LINE:COL: item 'ID' field: message``."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where + ":"]
        if self.subject:
            parts.append(f"{self.subject}:")
        else:
            if self.item:
                parts.append(f"item {self.item!r}")
            if self.field:
                parts.append(f"{self.field}:")
        parts.append(self.message)
        # User text (keys, file names) may hold control characters: show them as escapes.
        return terminal_safe(" ".join(parts), newlines=False)

    def render(self) -> str:
        """The headline, then the offending line with a caret under the column."""
        out = self.headline()
        if self.source_line is None or self.line is None:
            return out
        text = terminal_safe(self.source_line.replace("\t", "    "), newlines=False)
        col = len(
            terminal_safe(self.source_line[: (self.column or 1) - 1].replace("\t", "    "), newlines=False)
        )
        # Long lines are cut to a window around the column, so one line stays one line.
        start = max(0, min(col - _WINDOW // 2, len(text) - _WINDOW))
        shown = text[start : start + _WINDOW]
        lead = "..." if start > 0 else ""
        tail = "..." if start + _WINDOW < len(text) else ""
        out += f"\n    {self.line} | {lead}{shown}{tail}"
        if self.column is not None:
            out += "\n    " + " " * (len(str(self.line)) + 3 + len(lead) + col - start) + "^"
        return out


_WINDOW = 100


@dataclass
class BacklogError(Exception):
    """The backlog cannot be used; ``problems`` says every reason."""

    problems: list[Problem] = field(default_factory=list)
    held: object = field(default=None, repr=False, compare=False)
    """What the problems were found in (the document and its models): they live as long as the
    error, so a command that ends with ``os._exit`` can keep them instead of freeing every object
    of a big document one by one (``fulcrum.errors.hold``)."""

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


def item_subject(index: int, item_id: str | None, usable: bool) -> str:
    """How a message names an item: ``item 'a'``, or by its place when its id cannot name it
    (missing, invalid or repeated): ``item 'a b' (the 3rd [[items]])``, ``the 3rd [[items]]``."""
    place = f"the {ordinal(index + 1)} [[items]]"
    if item_id is None:
        return place
    return f"item {item_id!r}" if usable else f"item {item_id!r} ({place})"


def shown_path(loc: Loc) -> str:
    """A path as messages show it: ``impact.mau``, ``needs (the 2nd entry)``: no 0-based numbers."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f" (the {ordinal(part + 1)} entry)"
        else:
            out += ("." if out else "") + str(part)
    return out
