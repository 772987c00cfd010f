"""User text made literal in GitHub-flavoured Markdown: escaping for inline text and table cells.

Every string that is not our own markup goes through :func:`md` (our own numbers too: a money
amount such as ``$36k`` next to another one would otherwise open GitHub's ``$...$`` math).
The rule is the least escaping that stays literal: backslash-escape every ASCII punctuation
character that starts an inline construct in CommonMark or GFM, encode ``<`` (it opens HTML and
autolinks), escape ``&`` only where it would start an entity reference (``&copy;``), and escape what
would start a block when the text opens a line. ``>`` is literal anywhere but at a line start (a
quote there): without a ``<`` it closes nothing, so ``A -> B`` stays as written, in table cells too.
Parentheses are left alone: a link needs a ``]`` right before ``(``, and ``]`` is always escaped,
so ``(USD)`` stays readable in the raw file.
"""

from __future__ import annotations

import re

#: Backslash-escaped wherever they appear: backslash first (it escapes the rest), emphasis and strong
#: (* _), code (`), links and images ([ ]), table cells (|), strikethrough (~), GitHub math ($),
#: headings and their closing sequence (#).
_INLINE = frozenset("\\*_`[]|~$#")
#: What an ``&`` starts when an entity reference follows (a superset of the names HTML knows).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
#: Text opening a line that would start a block: a bullet ("- x", "+ x", also "- - -"), a quote
#: ("> x"), or a line of "-" or "=" alone (thematic break, setext underline). "*", "#", "`" and "~"
#: are escaped anyway.
_BLOCK_START = re.compile(r"^([-+])(?=[ \t]|$)|^([-=])(?=[-= \t]*$)|^>")
#: An ordered-list marker at the start of a line: up to 9 digits then "." or ")" and a space or the end.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"[ \t]+")


#: Every character :func:`_escape_line` changes, in one pass: the inline punctuation, ``<``, and an
#: ``&`` that starts an entity reference.
_ESCAPED = re.compile("[" + re.escape("".join(sorted(_INLINE))) + "<]|&(?=" + _ENTITY.pattern[1:] + ")")
#: Any character of :data:`_ESCAPED` but ``&``: most cells have none and are left as they are.
_ANY = re.compile("[" + re.escape("".join(sorted(_INLINE))) + "<]")
#: The same escaping as plain replacements, for text without ``&`` (an ``&`` needs the entity
#: look-ahead, so text with one goes through :data:`_ESCAPED`). The backslash goes first: the others
#: add backslashes. ``str.replace`` per character beats ``str.translate``, which looks every
#: character up in a dict when a replacement is longer than one character.
_REPLACE = (("\\", "\\\\"), *((ch, "\\" + ch) for ch in sorted(_INLINE - {"\\"})), ("<", "&lt;"))
#: The first characters a block-start rule can match besides a digit (``\\d``: any decimal digit).
_BLOCK_FIRST = frozenset("-+=>")


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    # "<" opens a tag, comment or autolink; "\<" would do too, "&lt;" reads as plainly.
    return "&lt;" if ch == "<" else "\\" + ch


def _escape_line(line: str) -> str:
    """One non-empty line, escaped: its characters, then what would open a block.

    The block rules look at the first character and at ``-``, ``=``, digits, ``.``, ``)``, spaces and
    tabs, none of which the inline escaping changes, so they are tested on the line as written.
    """
    if "&" in line:
        text = _ESCAPED.sub(_escape_char, line)
    else:
        text = line
        if _ANY.search(line) is not None:
            for ch, escaped in _REPLACE:
                if ch in text:
                    text = text.replace(ch, escaped)
    first = line[0]
    if first in _BLOCK_FIRST or first.isdecimal():
        if _BLOCK_START.match(line):
            return "\\" + text
        m = _ORDERED.match(text)
        if m is not None:  # "1." -> "1\."
            return f"{m[1]}\\{m[2]}{text[m.end() :]}"
    return text


def md(text: str, *, br: str = "<br>") -> str:
    """``text`` as literal inline Markdown on one line, safe in a table cell or after a list marker.

    Line breaks become ``br`` (``<br>`` renders as a break in GitHub tables; pass ``" "`` to join
    with a space); runs of spaces and tabs collapse to one space, and the ends are trimmed, because
    Markdown would do it anyway and leading spaces could make an indented code block.
    """
    if "\n" in text or "\r" in text:
        lines = [_SPACES.sub(" ", part).strip() for part in _NEWLINES.split(text)]
        return br.join(_escape_line(line) for line in lines if line)
    # One line (nearly every cell): the same steps without the split, and no regex when no run of
    # spaces or tab is there to collapse.
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    text = text.strip()
    return _escape_line(text) if text else ""


def code_block(text: str, info: str = "text") -> str:
    """``text`` in a fenced code block whose fence no backtick run inside it can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = _NEWLINES.sub("\n", text).rstrip("\n")
    return f"{fence}{info}\n{body}\n{fence}"


def table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    """A GFM table from cells that are already Markdown (escape user text with :func:`md` first).

    ``align`` holds "l" or "r" per column (default left). Empty cells are written as a space so
    every row keeps its column count in any renderer.
    """
    align = align or ["l"] * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [_row(header), _row(rule)]
    lines.extend(_row(r) for r in rows)
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c if c else " " for c in cells) + " |"
