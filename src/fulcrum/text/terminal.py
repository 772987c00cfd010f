"""User text made safe for terminals: it is data, never escape sequences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# What a terminal must never be sent raw: C0 and C1 controls (tab and newline aside), and the
# invisible characters that reorder, hide or break text: every format character (Cf: bidi
# overrides and isolates, LRM/RLM/ALM, zero-width space, word joiner, BOM, ...) except the
# zero-width (non-)joiner, which scripts and emoji need, the soft hyphen, which terminals draw, and
# the emoji tag characters; and the line and paragraph separators U+2028/U+2029, which some
# terminals take as line breaks. tests/text checks this set against unicodedata.
_INVISIBLE = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _INVISIBLE + "]")
_UNSAFE_OR_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + _INVISIBLE + "]")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def terminal_safe(text: str, *, newlines: bool = True) -> str:
    """User text made safe for a terminal: control and invisible characters become visible
    ``\\uXXXX`` escapes. With ``newlines=False`` line breaks are escaped too (one line stays one)."""
    return (_UNSAFE if newlines else _UNSAFE_OR_NEWLINE).sub(_escape, text)


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
