"""Find the line and column of a document path (``items[3].impact.mau``) in TOML text.

tomllib gives no positions, so we scan the text once: table headers and ``key =`` lines at
bracket depth 0, outside multi-line strings. A path is located at its longest known prefix, so
a problem inside an inline table points at the line of the key that holds the table.
"""

from __future__ import annotations

import re

Loc = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*\]\]?")
_KEYLINE = re.compile(rf"^(\s*)({_DOTTED})\s*=")
_KEYPART = re.compile(_KEY)


def _split(dotted: str) -> list[str]:
    parts = []
    for m in _KEYPART.finditer(dotted):
        k = m.group()
        if k[0] in "\"'":
            k = k[1:-1]
        parts.append(k)
    return parts


class Locator:
    """Index of where each table and key of a TOML text starts."""

    def __init__(self, text: str) -> None:
        # Split on "\n" only, as TOML (and tomllib's line numbers) do; keep no "\r".
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.where: dict[Loc, tuple[int, int]] = {}
        self._scan()

    def _scan(self) -> None:
        counts: dict[tuple[str, ...], int] = {}
        table: Loc = ()
        in_string: str | None = None
        depth = 0
        for n, line in enumerate(self.lines, start=1):
            if in_string:
                if in_string in line:
                    in_string = None if line.count(in_string) % 2 == 1 else in_string
                continue
            if depth == 0:
                h = _HEADER.match(line)
                if h:
                    keys = _split(h.group(2))
                    table = self._resolve(keys, counts, array=h.group(1) == "[[")
                    pos = (n, len(line) - len(line.lstrip()) + 1)
                    # Every prefix too: `[metrics.mau]` is where `metrics` starts if nothing came before.
                    for end in range(1, len(table) + 1):
                        self.where.setdefault(table[:end], pos)
                    continue
                k = _KEYLINE.match(line)
                if k:
                    parts = tuple(_split(k.group(2)))
                    for end in range(1, len(parts) + 1):
                        self.where.setdefault(table + parts[:end], (n, len(k.group(1)) + 1))
            in_string, depth = _scan_rest(line, depth)

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


# Strings and comments are consumed whole, so brackets inside them are never counted.
_TOKEN = re.compile(
    r'"""'  # a multi-line basic string opens (or closes) here
    r"|'''"  # a multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # a basic string
    r"|'[^'\n]*'"  # a literal string
    r"|#|[\[\]{}]"  # a comment, a bracket
)


def _scan_rest(line: str, depth: int) -> tuple[str | None, int]:
    """Track bracket depth and open multi-line strings across one line."""
    pos = 0
    while m := _TOKEN.search(line, pos):
        tok = m.group()
        if tok in ('"""', "'''"):
            close = line.find(tok, m.end())
            if close < 0:
                return tok, depth
            pos = close + 3
            continue
        if tok == "#":
            break
        if tok in ("[", "{"):
            depth += 1
        elif tok in ("]", "}"):
            depth = max(0, depth - 1)
        pos = m.end()
    return None, depth


def format_loc(loc: Loc) -> str:
    """``("items", 3, "impact", "mau")`` -> ``items[3].impact.mau`` (indexes 0-based as in TOML order)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
