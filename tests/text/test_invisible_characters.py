"""No character that hides, reorders or breaks text reaches a terminal raw (``terminal_safe``).

Checked against the interpreter's own Unicode database, over every code point: controls (tab and
newline aside), format characters (bidi, LRM/RLM, zero-width space, BOM, ...) and the line and
paragraph separators are escaped; the zero-width joiners that scripts and emoji need, the soft
hyphen and the emoji tags are kept.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from fulcrum.backlog import BacklogError, parse_backlog
from fulcrum.text import one_line, terminal_safe

KEPT_FORMAT = {"\u00ad", "\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))}


def must_escape(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if ch in "\t\n":
        return False
    return cat in ("Cc", "Zl", "Zp") or (cat == "Cf" and ch not in KEPT_FORMAT)


def test_every_control_and_invisible_character_is_escaped_and_nothing_else() -> None:
    wrong = []
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        escaped = terminal_safe(ch) != ch
        if must_escape(ch) and not escaped:
            wrong.append(f"U+{cp:04X} kept")
        elif escaped and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp", "Cn"):
            wrong.append(f"U+{cp:04X} escaped")
    assert wrong == []


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\u2028b", "a\\u2028b"),
        ("a\u2029b", "a\\u2029b"),
        ("\u200fRLM\u200e", "\\u200fRLM\\u200e"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\u202eevil", "\\u202eevil"),
        ("\x1b[31mred", "\\u001b[31mred"),
        ("👩\u200d💻 keeps its joiner", "👩\u200d💻 keeps its joiner"),
    ],
)
def test_invisible_characters_are_shown_as_escapes(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown
    assert one_line(raw) == shown


def test_newlines_stay_unless_asked_to_go() -> None:
    assert terminal_safe("a\nb") == "a\nb"
    assert terminal_safe("a\nb", newlines=False) == "a\\u000ab"


def test_an_error_message_shows_a_hidden_character_in_the_source_line() -> None:
    text = '[backlog]\ntitle = "T"\nbogus\u200b = 1\n'
    with pytest.raises(BacklogError) as err:
        parse_backlog(text, "b.toml")
    assert "\u200b" not in str(err.value)
    assert "\\u200b" in str(err.value)
