"""The fast escapers give exactly what the rules they implement give.

:func:`fulcrum.output.markdown_escape.md` leaves a line with nothing to escape as it is, escapes the
rest with one ``str.replace`` per character, and tests the block rules on the line as written;
:func:`fulcrum.output.mermaid.label` skips labels with nothing to code and codes the rest with a
table. Here each is compared, on text dense in the characters that matter, with the rules written
out the slow, obvious way (one regex per rule, applied to the escaped text).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.output.markdown_escape import md
from fulcrum.output.mermaid import LABEL_WIDTH, label

_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});"
_CHARS = re.compile(r"[\\*_`\[\]|~$#<]|&(?=" + _ENTITY[1:] + ")")
_BLOCK = re.compile(r"^([-+])(?=[ \t]|$)|^([-=])(?=[-= \t]*$)|^>")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


def _reference_md(text: str, br: str) -> str:
    out = []
    for part in re.split(r"\r\n|\r|\n", text):
        line = re.sub(r"[ \t]+", " ", part).strip()
        if not line:
            continue
        line = _CHARS.sub(lambda m: "&lt;" if m.group() == "<" else "\\" + m.group(), line)
        if _BLOCK.match(line):
            line = "\\" + line
        out.append(_ORDERED.sub(r"\1\\\2", line))
    return br.join(out)


_CODED = {'"': "#34;", "`": "#96;", "<": "#60;", ">": "#62;", "&": "#38;", "#": "#35;", "%": "#37;"}


def _reference_label(text: str, width: int) -> str:
    s = " ".join(text.split())
    if len(s) > width:
        s = s[: width - 1].rstrip() + "…"
    coded = dict(_CODED, **({":": "#58;"} if re.search("style|classDef", s) else {}))
    return "".join(coded.get(ch, ch) for ch in s)


# Pieces that trigger every rule: punctuation, entity starts, block starts (also with non-ASCII
# digits, which \d matches), each kind of line break and white space that strip() removes.
_PIECES = [
    *'\\*_`[]|~$#<>&;-+=.)( \t\r\n09aAxX:%"',
    *["١", "٣", "\x0b", "\x85", "\xa0", "\u2028", "é", "漢"],
    *["&amp;", "&#35;", "&#x41;", "&copy", "  ", "\r\n", "- ", "1. ", "2)", "> ", "style", "classDef"],
]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join) | st.text(max_size=30)


@settings(max_examples=600, deadline=None)
@given(_TEXT, st.sampled_from(["<br>", " "]))
def test_md_is_the_rules_applied_one_by_one(text: str, br: str) -> None:
    assert md(text, br=br) == _reference_md(text, br)


@settings(max_examples=600, deadline=None)
@given(_TEXT, st.sampled_from([LABEL_WIDTH, 1, 5]))
def test_mermaid_label_is_the_coding_applied_char_by_char(text: str, width: int) -> None:
    assert label(text, width) == _reference_label(text, width)


def test_a_line_opening_with_a_non_ascii_digit_list_marker_is_escaped() -> None:
    # "١." is an ordered-list marker to the \d rule: the fast path must not skip it.
    assert md("١. x") == "١\\. x"
    assert md("12) done | ok") == "12\\) done \\| ok"
    assert md("- $5 & <b>") == "\\- \\$5 & &lt;b>"
    assert md("&amp; #1") == "\\&amp; \\#1"
