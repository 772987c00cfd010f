"""User text made safe for terminals: it is data, never escape sequences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Replace control characters and bidi overrides by visible ``\\uXXXX`` escapes."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Terminal-safe text on one line (newlines and tabs shown as spaces)."""
    return terminal_safe(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


# Categories a terminal draws in no cell of its own: combining marks (Mn, Me) and format
# characters (Cf: ZWJ, ZWNJ, U+200B-U+200F, U+2060-U+2064, U+FEFF, ...). Variation selectors are Mn.
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
#: Cf but drawn: the soft hyphen takes a cell in terminals (as wcwidth counts it).
_DRAWN_FORMAT = frozenset({"\u00ad"})
_ELLIPSIS = "…"


def char_cells(ch: str) -> int:
    """Terminal cells of one character: 0 for zero-width ones, 2 for East Asian wide, else 1."""
    if ch.isascii():
        return 1
    if ch not in _DRAWN_FORMAT and unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """Terminal cells of ``text``, so that padded columns line up (wide take two, zero-width none)."""
    if text.isascii():  # the common case, and the fast one
        return len(text)
    return sum(map(char_cells, text))


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells (``width`` >= 1), ending in "…" when cut.

    Zero-width characters after the last kept one stay (a combining accent keeps its letter),
    except a trailing zero-width joiner, which would glue the "…" onto the cut emoji.
    """
    if cells(text) <= width:
        return text
    room = width - 1  # the "…" takes one cell
    used = 0
    end = 0
    for i, ch in enumerate(text):
        w = char_cells(ch)
        if used + w > room:
            break
        used += w
        end = i + 1
    return text[:end].rstrip("\u200d") + _ELLIPSIS


def columns(
    head: list[str], body: list[list[str]], right: Collection[int] = (), *, rule: bool = False
) -> list[str]:
    """A table as aligned lines: each column padded to its widest cell (in terminal cells), columns two
    spaces apart, those in ``right`` right-aligned, trailing spaces dropped; ``rule`` adds a line of
    dashes under the head."""
    rows = [head, *body]
    widths = [max(cells(r[i]) for r in rows) for i in range(len(head))]
    if rule:
        rows.insert(1, ["-" * n for n in widths])
    out = []
    for row in rows:
        padded = []
        for i, c in enumerate(row):
            pad = " " * (widths[i] - cells(c))
            padded.append(pad + c if i in right else c + pad)
        out.append("  ".join(padded).rstrip())
    return out
