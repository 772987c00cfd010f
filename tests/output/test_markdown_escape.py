"""Markdown escaping: any user text comes out of a real CommonMark + GFM-tables parser as literal text.

Hostile strings (pipes, `<script>`, `[x](javascript:…)`, `**bold**`, backslashes, Rich markup,
headings, list and quote markers, fences, entities, `$` math, autolinks, comments…) rendered by
markdown-it-py (commonmark + table + strikethrough) in a table cell, after a list marker, in a
heading and at a paragraph start each come out as one text run equal to the input; a Hypothesis
property over any text: one literal cell, with `<br>` for each line break.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from fulcrum.output.markdown_escape import code_block, md, table

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "a | b",
    "<script>x</script>",
    "[x](javascript:alert(1))",
    "![img](http://evil/x.png)",
    "**bold**",
    "__bold__ and _em_ and *em*",
    "back\\slash \\| and trailing\\",
    "[/bad] x",
    "[@click=app.quit]quit[/]",
    "[TODO] Q3",
    "`code` and ``double``",
    "# not a heading #",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "1. not a list",
    "2) not a list",
    "=== not a setext",
    "--- not a rule",
    "~~struck~~",
    "$1.2M to $3M$",
    "&amp; &copy; &#x41; &",
    "<http://autolink.example>",
    "<!-- comment -->",
    "[ref]: http://x",
    "[^1] footnote",
    "\\*not em\\*",
    "ends with two spaces  ",
    "    indented code?",
    "{curly} (paren) 'quote' \"dq\"",
    "Ünïcödé ✓ 漢字 🚀",
]


def _inline_children(source: str) -> list[list[Token]]:
    """The children of every inline token, in document order."""
    return [t.children or [] for t in PARSER.parse(source) if t.type == "inline"]


def _literal(children: list[Token]) -> tuple[str, int]:
    """(the concatenated text, the number of <br>), failing on any other kind of token."""
    text, breaks = [], 0
    for c in children:
        if c.type == "text":
            text.append(c.content)
        elif c.type == "html_inline" and c.content == "<br>":
            breaks += 1
        else:
            raise AssertionError(f"not literal: {c.type} {c.content!r} in {children!r}")
    return "".join(text), breaks


def _expected_lines(s: str) -> list[str]:
    lines = [re.sub(r"[ \t]+", " ", part).strip() for part in re.split(r"\r\n|\r|\n", s)]
    return [line for line in lines if line]


def _table_cells(source: str) -> list[list[list[Token]]]:
    """Rows of cells (each cell: its inline children) of the only table in ``source``."""
    rows: list[list[list[Token]]] = []
    in_cell = False
    for t in PARSER.parse(source):
        if t.type == "tr_open":
            rows.append([])
        elif t.type in ("th_open", "td_open"):
            in_cell = True
        elif t.type == "inline" and in_cell:
            rows[-1].append(t.children or [])
            in_cell = False
    return rows


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_literal_in_a_table_cell(text: str) -> None:
    source = table(["Title", "Other"], [[md(text), "x"]])
    rows = _table_cells(source)
    assert len(rows) == 2 and [len(r) for r in rows] == [2, 2]
    assert _literal(rows[1][0]) == (" ".join(_expected_lines(text)), 0)
    assert _literal(rows[1][1]) == ("x", 0)


CONTEXTS = [
    ("- ", ["bullet_list_open", "list_item_open", "paragraph_open"]),
    ("# ", ["heading_open"]),
    ("Owner: ", ["paragraph_open"]),
    ("", ["paragraph_open"]),
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize(("prefix", "blocks"), CONTEXTS)
def test_hostile_text_is_literal_at_a_line_start_in_a_list_and_in_a_heading(
    text: str, prefix: str, blocks: list[str]
) -> None:
    source = prefix + md(text)
    assert [t.type for t in PARSER.parse(source) if t.nesting == 1] == blocks
    (children,) = _inline_children(source)
    assert _literal(children)[0] == prefix.lstrip("-# ") + " ".join(_expected_lines(text))


def test_newlines_become_breaks_inside_one_cell() -> None:
    text = "first line\nsecond | line\r\n\n  third *line*  "
    rows = _table_cells(table(["Decision"], [[md(text)]]))
    assert len(rows) == 2 and len(rows[1]) == 1
    assert _literal(rows[1][0]) == ("first linesecond | linethird *line*", 2)
    assert md(text, br=" ") == "first line second \\| line third \\*line\\*"


def test_dollar_signs_are_escaped_against_github_math() -> None:
    assert md("$10k-$20k") == "\\$10k-\\$20k"


def test_empty_cells_keep_the_column_count() -> None:
    rows = _table_cells(table(["A", "B", "C"], [["", "x", ""]]))
    assert [len(r) for r in rows] == [3, 3]


def test_table_alignment_row() -> None:
    assert table(["A", "B"], [], ["l", "r"]).splitlines()[1] == "| --- | ---: |"


def test_code_block_fence_is_longer_than_any_backtick_run_inside() -> None:
    body = "x ``` y\n````\nend"
    block = code_block(body)
    tokens = [t for t in PARSER.parse(block + "\n\nafter") if t.type == "fence"]
    assert len(tokens) == 1 and tokens[0].content == body + "\n"
    assert block.startswith("`````text\n")


printable = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
    | st.sampled_from("\n\t|\\`*_[]<>&#$~!-+=.()"),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(printable)
def test_any_text_is_one_literal_cell(text: str) -> None:
    rows = _table_cells(table(["H"], [[md(text)]]))
    assert len(rows) == 2 and len(rows[1]) == 1
    lines = _expected_lines(text)
    got, breaks = _literal(rows[1][0])
    assert got == "".join(lines)
    assert breaks == max(len(lines) - 1, 0)


def test_greater_than_is_written_as_is_where_it_is_literal() -> None:
    """`>` closes nothing without a `<` (which is encoded): only at a line start (a quote) is it escaped."""
    assert md("A -> B, x >= 2") == "A -> B, x >= 2"
    assert md("> not a quote") == "\\> not a quote"
    assert md("first\n> second") == "\\> first<br>\\> second".replace("\\> first", "first")
    rows = _table_cells(table(["Title"], [[md("A -> B >= C")]]))
    assert _literal(rows[1][0]) == ("A -> B >= C", 0)


def test_an_ampersand_is_escaped_only_where_it_starts_an_entity() -> None:
    assert md("R&D & ops") == "R&D & ops"
    assert md("&copy; &#169; &#xA9;") == "\\&copy; \\&\\#169; \\&\\#xA9;"
