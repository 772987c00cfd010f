"""Find the line and column of a document path (``items[3].impact.mau``) in TOML text.

The parser gives no positions for validation problems, so the text is scanned once by
:func:`fulcrum.backlog.toml_text.key_lines` (the scanner saves use too) for its table headers and
top-level ``key =`` lines. A path is located at its longest known prefix, so a problem inside an
inline table points at the line of the key that holds the table.
"""

from __future__ import annotations

import bisect
import re

from fulcrum.backlog.toml_text import key_lines

Loc = tuple[str | int, ...]
_NEWLINE = re.compile("\n")


class Locator:
    """Index of where each table and key of a TOML text starts."""

    def __init__(self, text: str) -> None:
        # Split on "\n" only, as TOML (and the parser's line numbers) do; keep no "\r".
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.where: dict[Loc, tuple[int, int]] = {}
        self._index(text)

    def _index(self, text: str) -> None:
        breaks = [m.start() for m in _NEWLINE.finditer(text)]
        counts: dict[tuple[str, ...], int] = {}
        table: Loc = ()
        for kl in key_lines(text):
            line = bisect.bisect_right(breaks, kl.offset - 1) + 1
            column = kl.offset - (breaks[line - 2] + 1 if line > 1 else 0) + 1
            if kl.header:
                table = self._resolve(list(kl.keys), counts, array=kl.array)
                # Every prefix too: `[metrics.mau]` is where `metrics` starts if nothing came before.
                for end in range(1, len(table) + 1):
                    self.where.setdefault(table[:end], (line, column))
            else:
                for end in range(1, len(kl.keys) + 1):
                    self.where.setdefault(table + kl.keys[:end], (line, column))

    def _resolve(self, keys: list[str], counts: dict[tuple[str, ...], int], array: bool) -> Loc:
        """Header keys -> loc, numbering arrays of tables (``[[items]]`` -> ("items", i))."""
        loc: list[str | int] = []
        for i, key in enumerate(keys):
            loc.append(key)
            prefix = tuple(keys[: i + 1])
            last = i == len(keys) - 1
            if last and array:
                counts[prefix] = counts.get(prefix, -1) + 1
                # Deeper arrays restart under a new parent element.
                for other in [k for k in counts if len(k) > len(prefix) and k[: len(prefix)] == prefix]:
                    del counts[other]
                loc.append(counts[prefix])
            elif prefix in counts:
                loc.append(counts[prefix])
        return tuple(loc)

    def find(self, loc: Loc) -> tuple[int | None, int | None]:
        """(line, column), 1-based, of the longest prefix of ``loc`` found; (None, None) if none."""
        for end in range(len(loc), 0, -1):
            hit = self.where.get(tuple(loc[:end]))
            if hit:
                return hit
        return (None, None)

    def line_text(self, line: int) -> str | None:
        """The text of a 1-based line."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None


def format_loc(loc: Loc) -> str:
    """``("items", 3, "impact", "mau")`` -> ``items[3].impact.mau`` (indexes 0-based as in TOML order)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
