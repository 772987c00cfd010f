"""Find the line and column of a document path (``items[3].impact.mau``) in TOML text.

The parser gives no positions for validation problems, so the text is scanned once by
:func:`fulcrum.backlog.toml_text.key_lines` (the scanner saves use too) for its table headers and
top-level ``key =`` lines. A path is located at its longest known prefix, so a problem inside an
inline table points at the line of the key that holds the table. A problem in one item needs only
that item's lines scanned: 2,000 problems in a 10,000-item file are located without the scan of
the whole text.
"""

from __future__ import annotations

import bisect
import re

from fulcrum.backlog.toml_text import key_lines

Loc = tuple[str | int, ...]
_NEWLINE = re.compile("\n")


#: An ``[[items]]`` header, found without the scanner: trusted only when it counts every item.
_ITEMS_HEADER = re.compile(r"(?m)^[ \t]*\[\[[ \t]*items[ \t]*\]\]")


class Locator:
    """Index of where each table and key of a TOML text starts.

    Built lazily: a problem in item ``i`` is located by scanning only that item's part of the text
    (from its ``[[items]]`` header to the next one) when ``items``, the number of items the file
    holds, says that a plain search found every item header and nothing that only looks like one
    (in a multi-line string). Anything else is found in an index of the whole text, made once.
    """

    def __init__(self, text: str, items: int | None = None) -> None:
        self.text = text
        self._items = items
        self._lines: list[str] | None = None
        self._breaks: list[int] | None = None
        self._where: dict[Loc, tuple[int, int]] | None = None
        self._heads: list[int] | None = None
        self._regions: dict[int, dict[Loc, tuple[int, int]]] = {}
        self._head_lines: list[int] | None = None

    @property
    def lines(self) -> list[str]:
        """The lines of the text; split on "\n" only, as TOML (and the parser's line numbers) do."""
        if self._lines is None:
            self._lines = [line.removesuffix("\r") for line in self.text.split("\n")]
        return self._lines

    @property
    def where(self) -> dict[Loc, tuple[int, int]]:
        """Every table and key path of the whole text -> (line, column) of its first mention."""
        if self._where is None:
            self._where = self._index(self.text, 0)
        return self._where

    def _index(self, text: str, base: int, first_line: int | None = None) -> dict[Loc, tuple[int, int]]:
        """The paths of ``text`` (found at offset ``base`` of the whole text) -> (line, column).

        ``first_line``, the line ``base`` is on when known, lets lines be counted in ``text`` alone
        (an item's part), instead of in an index of every line break of the whole text.
        """
        where: dict[Loc, tuple[int, int]] = {}
        counts: dict[tuple[str, ...], int] = {}
        table: Loc = ()
        breaks: list[int] = []
        if first_line is None:
            if self._breaks is None:
                self._breaks = [m.start() for m in _NEWLINE.finditer(self.text)]
            breaks = self._breaks
        line, seen = first_line or 1, 0  # the line of text[seen] (counted forward, key lines in order)
        for kl in key_lines(text):
            offset = base + kl.offset
            if first_line is None:
                line = bisect.bisect_right(breaks, offset - 1) + 1
                column = offset - (breaks[line - 2] + 1 if line > 1 else 0) + 1
            else:
                line += text.count("\n", seen, kl.offset)
                seen = kl.offset
                # The part starts at a line start (an [[items]] header): rfind is -1 on its first line.
                column = kl.offset - text.rfind("\n", 0, kl.offset)
            if kl.header:
                table = self._resolve(list(kl.keys), counts, array=kl.array)
                # Every prefix too: `[metrics.mau]` is where `metrics` starts if nothing came before.
                for end in range(1, len(table) + 1):
                    where.setdefault(table[:end], (line, column))
            else:
                for end in range(1, len(kl.keys) + 1):
                    where.setdefault(table + kl.keys[:end], (line, column))
        return where

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

    def _item_region(self, i: int) -> dict[Loc, tuple[int, int]] | None:
        """The paths of item ``i``'s part of the text, numbered as the item 0 of that part."""
        if self._heads is None:
            heads = [m.start() for m in _ITEMS_HEADER.finditer(self.text)]
            self._heads = heads if self._items is not None and len(heads) == self._items else []
        if not 0 <= i < len(self._heads):
            return None
        if i not in self._regions:
            start = self._heads[i]
            end = self._heads[i + 1] if i + 1 < len(self._heads) else len(self.text)
            self._regions[i] = self._index(self.text[start:end], start, self._head_line(i))
        return self._regions[i]

    def _head_line(self, i: int) -> int:
        """The line of item ``i``'s header: the line breaks before it, counted once for all items."""
        if self._head_lines is None:
            heads, text = self._heads or [], self.text
            lines, at, line = [], 0, 1
            for h in heads:
                line += text.count("\n", at, h)
                lines.append(line)
                at = h
            self._head_lines = lines
        return self._head_lines[i]

    def find(self, loc: Loc) -> tuple[int | None, int | None]:
        """(line, column), 1-based, of the longest prefix of ``loc`` found; (None, None) if none."""
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            region = self._item_region(loc[1])
            if region is not None:
                local = ("items", 0, *loc[2:])
                for end in range(len(local), 1, -1):
                    hit = region.get(local[:end])
                    if hit:
                        return hit
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
