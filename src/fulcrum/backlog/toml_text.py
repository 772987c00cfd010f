"""TOML text without parsing it: where each table header, key line and comment line is.

One scanner serves both jobs that need positions in the user's text:
- targeted saves (:mod:`fulcrum.save`): a save edits one item of a 1,000-item file, and parsing the
  whole file with tomlkit (a pure-Python round-trip parser) takes over a second, so the save splits
  the text into :func:`segments` at table headers and parses only the segments it edits;
- error positions (:class:`fulcrum.backlog.positions.Locator`): the parser gives no positions for
  validation problems, so the key lines are found by :func:`key_lines`.
Headers count at line start, outside strings, comments and multi-line arrays; key lines at bracket
depth 0. It is one regular-expression pass; a mistake here cannot damage a file, because every save
is verified by parsing the whole new text before anything is written. The helpers below splice
edited text back in: line endings, blank lines, comment paragraphs.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_DOTTED})[ \t]*(\]\]?)")
_KEYPART = re.compile(_KEY)
# A one-line array or inline table after "=" is skipped whole: most values need no bracket counting.
_FLAT = r"(?:[^\[\]{}\"'#\n]|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')*"
# Everything that cannot start a header, a comment line or a counted bracket, consumed possessively
# in one go: text, strings, trailing comments, flat one-line values, and newlines not followed by
# "[" or "#". So each match is one interesting token, and most lines cost no Python at all.
_SKIP_TEMPLATE = (
    "(?:[^\\n\"'#=\\[\\]{}]++"
    r'|"""(?:[^"\\]|\\[\s\S]|""?(?!"))*"{3,5}'  # multi-line basic string
    r"|'''[\s\S]*?'{3,5}"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*+"'  # basic string
    r"|'[^'\n]*+'"  # literal string
    r"|#[^\n]*+"  # trailing comment
    rf"|=[ \t]*(?:\[{_FLAT}\]|\{{{_FLAT}\}})"  # a one-line array or inline table
    r"|="
    r"|\n(?![ \t]*[\[#{lead}])"
    ")*+"
)
# The text is scanned with a "\n" in front, so every line (the first too) starts after one.
_HEADER_TOKEN = rf"(?P<h>\n[ \t]*\[\[?[ \t]*{_DOTTED}[ \t]*\]\]?)"  # a header (when not in an array)
_KEY_TOKEN = rf"|(?P<k>\n[ \t]*{_DOTTED})(?=[ \t]*=)"  # a key line (its value is scanned on)
_REST_TOKENS = (
    r"|(?P<c>\n[ \t]*#[^\n]*)"  # a comment-only line
    r"|(?P<b>[\[\]{}])"  # a bracket of a multi-line value
    r"|\n|\Z)"  # a line starting with "[" that is no header (or no key); the end
)
#: Headers, comment lines and brackets: all a save needs (lines of keys are skipped whole).
_TOKEN = re.compile(_SKIP_TEMPLATE.replace("{lead}", "") + "(?:" + _HEADER_TOKEN + _REST_TOKENS)
#: The same, and the lines that start with a key: what error positions need.
_TOKEN_KEYS = re.compile(
    _SKIP_TEMPLATE.replace("{lead}", "A-Za-z0-9_\"'-") + "(?:" + _HEADER_TOKEN + _KEY_TOKEN + _REST_TOKENS
)


class ScanError(ValueError):
    """The text has a shape the scanner does not follow; callers fall back to a whole-file edit."""


@dataclass(frozen=True)
class Segment:
    """A table header with the text it owns: ``text[start:end]``.

    ``start`` includes the comment lines written directly above the header (no blank line
    between), because such comments describe the table below them. ``keys`` is empty for the
    text before the first header.
    """

    start: int
    end: int
    keys: tuple[str, ...]
    array: bool


@functools.lru_cache(maxsize=256)  # a file repeats a handful of headers thousands of times
def split_keys(dotted: str) -> tuple[str, ...]:
    """``items . "a b"`` -> ``("items", "a b")`` (escapes in quoted keys are not expected here)."""
    if "'" not in dotted and '"' not in dotted:
        return tuple(p.strip(" \t") for p in dotted.split("."))
    parts = []
    for m in _KEYPART.finditer(dotted):
        k = m.group()
        if k[0] in "\"'":
            if k[0] == '"' and "\\" in k:
                raise ScanError("escaped quoted key in a table header")
            k = k[1:-1]
        parts.append(k)
    return tuple(parts)


def _scan(text: str) -> tuple[list[tuple[int, tuple[str, ...], bool]], set[int]]:
    """Every table header as (line start, keys, is array of tables), and the line starts of
    comment-only lines (a ``#`` inside a multi-line string is not one)."""
    found: list[tuple[int, tuple[str, ...], bool]] = []
    comments: set[int] = set()
    depth = 0
    for m in _TOKEN.finditer("\n" + text):
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "b":
            depth += 1 if m.group("b") in "[{" else -1
            if depth < 0:
                raise ScanError("unbalanced brackets")
        elif kind == "c":
            comments.add(m.start("c"))  # the padding "\n" makes this the line start in ``text``
        elif depth == 0:  # a header; inside a multi-line array it is a balanced element
            start = m.start("h")
            h = _HEADER.match(text, start)
            if h is None or (h.group(1) == "[[") != (h.group(3) == "]]"):
                raise ScanError(f"unreadable table header at offset {start}")
            found.append((start, split_keys(h.group(2)), h.group(1) == "[["))
    if depth != 0:
        raise ScanError("unbalanced brackets")
    return found, comments


class KeyLine(NamedTuple):
    """A table header or a ``key =`` line at bracket depth 0, at ``offset`` in the text.

    A named tuple, not a frozen dataclass: locating 2,000 problems makes ~30,000 of them, and a
    frozen dataclass's ``__init__`` was a fifth of that time.
    """

    offset: int
    """Start of the key (or of the header's ``[``), after the line's indentation."""
    keys: tuple[str, ...]
    header: bool
    array: bool


def key_lines(text: str) -> Iterator[KeyLine]:
    """Every table header and every top-level key line, in text order.

    Unlike :func:`segments`, it never refuses a text: escaped quoted keys are decoded, and a text
    the scanner cannot follow (it parsed, so that would be a scanner bug) just ends the lines early.
    """
    depth = 0
    for m in _TOKEN_KEYS.finditer("\n" + text):
        kind = m.lastgroup
        if kind == "b":
            depth += 1 if m.group("b") in "[{" else -1
        elif depth != 0 or kind not in ("h", "k"):
            continue
        elif kind == "h":
            h = _HEADER.match(text, m.start("h"))
            if h is None:
                return
            yield KeyLine(h.start(1), _decoded_keys(h.group(2)), True, h.group(1) == "[[")
        else:
            raw = m.group("k").lstrip("\n \t")
            yield KeyLine(m.end("k") - 1 - len(raw), _decoded_keys(raw), False, False)  # -1: the padding


def _decoded_keys(dotted: str) -> tuple[str, ...]:
    try:
        return split_keys(dotted)
    except ScanError:  # an escape in a quoted key: let the TOML parser read it
        import tomllib  # only for such a key: not imported by every command that locates a problem

        return tuple(_only_path(tomllib.loads(dotted + " = 0")))


def _only_path(table: dict[str, object]) -> Iterator[str]:
    while isinstance(table, dict) and table:
        key = next(iter(table))
        yield key
        table = table[key]  # type: ignore[assignment]


def _attach_comments(text: str, line_start: int, floor: int, comments: set[int]) -> int:
    """Move ``line_start`` up over the comment lines directly above it (not above ``floor``)."""
    start = line_start
    while start > floor:
        prev = text.rfind("\n", 0, start - 1) + 1
        if prev < floor or prev not in comments:
            break
        start = prev
    return start


def segments(text: str) -> list[Segment]:
    """The preamble (keys ``()``) followed by one segment per table header, covering ``text``."""
    heads, comments = _scan(text)
    starts: list[int] = []
    floor = 0
    for line_start, _keys, _array in heads:
        # A header's own line is the floor for the next one's attached comments.
        s = _attach_comments(text, line_start, floor, comments)
        starts.append(s)
        floor = text.find("\n", line_start) + 1 or len(text)
    out = [Segment(0, starts[0] if starts else len(text), (), False)]
    for i, (_line, keys, array) in enumerate(heads):
        end = starts[i + 1] if i + 1 < len(heads) else len(text)
        out.append(Segment(starts[i], end, keys, array))
    return out


def newline_of(text: str) -> str:
    """The file's dominant line ending: CRLF when most lines end with it, else LF."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"


def blank_tail(text: str) -> int:
    """Offset where the trailing run of blank lines of ``text`` starts (``len(text)`` if none)."""
    end = len(text)
    while True:
        prev = text.rfind("\n", 0, end - 1) + 1 if end > 0 else 0
        line = text[prev:end]
        if end == 0 or not line.endswith("\n") or line.strip() != "":
            return end
        if prev == 0:
            return 0
        end = prev


# --- layout helpers for splicing edited text ---------------------------------------------

LINE = re.compile(r"[^\n]*\n|[^\n]+")


def fix_newlines(old: str, new: str, nl: str) -> str:
    """Give each line tomlkit wrote the line ending of the line it replaced (tomlkit writes LF)."""
    if "\r" not in old and "\r" not in nl:
        return new
    a, b = LINE.findall(old), LINE.findall(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += b[j1:j2]
            continue
        for j in range(j1, j2):
            line = b[j]
            if not line.endswith("\n"):
                out.append(line)
                continue
            k = i1 + (j - j1)
            ref = a[k] if k < i2 else a[i2 - 1] if i2 > i1 else a[i1 - 1] if i1 > 0 else ""
            ending = "\r\n" if ref.endswith("\r\n") else "\n" if ref.endswith("\n") else nl
            out.append(line.rstrip("\r\n") + ending)
    return "".join(out)


def ends_blank(s: str) -> bool:
    """The text is empty or ends with a blank line."""
    return s == "" or s.endswith(("\n\n", "\n\r\n"))


def content_end(text: str) -> int:
    """Where a table's own lines end: its last key and the comments right under it. What
    follows (blank lines, a ``# --- next section ---`` paragraph) stays below anything added."""
    lines = LINE.findall(text)
    content = [i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]
    j = content[-1] + 1 if content else 0
    while j < len(lines) and lines[j].lstrip().startswith("#"):
        j += 1
    return sum(len(ln) for ln in lines[:j])


def at_content_end(text: str, extra: str, nl: str, blank: bool = True) -> str:
    """Insert ``extra`` (new tables) after the table's own lines (see :func:`content_end`)."""
    cut = content_end(text)
    head, tail = text[:cut], text[cut:]
    if head and not head.endswith("\n"):
        head += nl
    if blank and head and not ends_blank(head):
        head += nl
    if tail.strip() and not tail.startswith(("\n", "\r\n")):
        extra += nl
    return head + extra + tail


def detached(block: str) -> str:
    """The comment paragraphs after an item, set apart by a blank line (``# --- growth ---``)."""
    tail = block[content_end(block) :]
    first = re.search(r"(?m)^[ \t]*#", tail)
    return tail[first.start() :] if first else ""


def join(chunks: list[tuple[str, bool]], nl: str) -> str:
    """Concatenate (text, is a new item block) chunks; a new block gets a blank line on each side."""
    out: list[str] = []
    tail = ""
    after_new = False
    for text, new in chunks:
        if not text:
            continue
        if (new or after_new) and out:
            if not tail.endswith("\n"):
                out.append(nl)
                tail += nl
            if not ends_blank(tail) and not text.startswith(("\n", "\r\n")):
                out.append(nl)
        out.append(text)
        tail = (tail + text)[-4:]
        after_new = new
    return "".join(out)


def tidy_end(before: str, after: str, nl: str) -> str:
    """A deleted last item leaves the blank line that separated it: trim it as it was."""
    if ends_blank(after) and not ends_blank(before) and after:
        after = after[: blank_tail(after)]
        return after if after.endswith("\n") else after + nl
    return after


_HEADER_LINE = re.compile(r"(?m)^[ \t]*\[\[?[ \t]*[A-Za-z0-9_\"'][^\n]*")


def moved_tables(old: str, new: str) -> bool:
    """True when a table header present in both texts is no longer in the same order."""
    a = [m.group().strip() for m in _HEADER_LINE.finditer(old)]
    b = [m.group().strip() for m in _HEADER_LINE.finditer(new)]
    matched: Counter[str] = Counter()
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        matched.update(a[block.a : block.a + block.size])
    both = Counter(a) & Counter(b)
    return any(matched[h] < n for h, n in both.items())
