"""The quadrantChart block against Mermaid's grammar (quadrant-chart/parser/quadrant.jison), read
with the validator in tests/mermaid_grammar.py.

The validator rejects known-bad lines (`[1.0, 0.5]`, "My title point: …", `(`, unterminated or
empty strings, a Markdown string, a second header); every chart line is checked with it, for the
golden backlog and for hostile titles; Hypothesis checks that any label lexes as one string.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.backlog import parse_backlog
from fulcrum.output.mermaid import MERMAID_QUADRANTS, coordinate, label, positions, quadrant_chart
from fulcrum.scoring import QUADRANT_LABELS, score_backlog
from mermaid_grammar import COORDINATE, GrammarError, check_chart, check_line

# -- the validator itself rejects what Mermaid rejects -------------------------------------------

BAD_LINES = [
    "    Point: [1.0, 0.5]",  # 1.0 is not a coordinate
    "    Point: [0.5, -0.1]",
    "    Point: [2, 0.5]",
    "    My title point: [0.5, 0.5]",  # the keyword "title" wins inside unquoted text
    '    "unterminated: [0.5, 0.5]',
    '    "a " b": [0.5, 0.5]',  # a quote inside a quoted label
    "    Cost (USD): [0.5, 0.5]",  # no lexer rule for "("
    "    x-axis Low (bad) --> High",
    '    "`md`": [0.5, 0.5]',  # a markdown string
    '    "": [0.5, 0.5]',  # an empty label
    "    quadrantChart",  # the header again
    "    title",
]


@pytest.mark.parametrize("line", BAD_LINES)
def test_validator_rejects_what_the_grammar_rejects(line: str) -> None:
    with pytest.raises(GrammarError):
        check_line(line)


@pytest.mark.parametrize(
    "line",
    ["quadrantChart", "    title Anything: (goes) here", "    Campaign A: [0.3, 0.6]", '    "x": [1, 0]'],
)
def test_validator_accepts_the_documented_examples(line: str) -> None:
    check_line(line, first=line == "quadrantChart")


# -- the chart we write ---------------------------------------------------------------------------

HOSTILE_TITLES = [
    "a | b",
    "<script>x</script>",
    "[x](javascript:alert(1))",
    "**bold**",
    "back\\slash",
    "[/bad] x",
    "[@click=app.quit]quit[/]",
    'say "hi"',
    "`tick` start",
    "%%{init: {'theme': 'dark'}}%%",
    "#quot; entity #35;",
    "title x-axis quadrant-1 classDef : [0.5, 0.5]",
    "R&D; 100% done --> next",
    "Restyle:#fff; A -> B",
    "x" * 150,
]


HEADER = (
    '[backlog]\ntitle = "T"\nstart = 2027-01-04\n'
    "[metrics.revenue]\nlabel = 'Revenue'\nvalue_per_unit = 1.0\n"
)


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ranking(titles: list[str]):
    text = HEADER + "".join(
        f"[[items]]\nid = 'i{n}'\ntitle = {_toml_str(t)}\neffort = {1 + n % 7}\nconfidence = 0.{n % 9 + 1}\n"
        f"[items.impact]\nrevenue = {(n * 7919) % 50_000 - 5_000}\n"
        for n, t in enumerate(titles)
    )
    return score_backlog(parse_backlog(text))


def test_hostile_titles_give_a_chart_every_line_of_which_the_grammar_reads() -> None:
    ranking = _ranking(HOSTILE_TITLES)
    kinds = check_chart(quadrant_chart(ranking))
    assert kinds[:8] == ["header", "title", "axis", "axis", "quadrant", "quadrant", "quadrant", "quadrant"]
    assert kinds[8:] == ["point"] * len(HOSTILE_TITLES)


def test_every_ranked_item_is_a_point_in_its_own_quadrant(golden_toml) -> None:
    from fulcrum.backlog import load_backlog

    for lens in (None, "cfo", "pm"):
        ranking = score_backlog(load_backlog(golden_toml), lens)
        body = quadrant_chart(ranking)
        names = dict(re.findall(r"quadrant-(\d) (.+)", body))
        points = re.findall(r'"(\d+)\. [^"]*": \[([0-9.]+), ([0-9.]+)\]', body)
        assert len(points) == len(ranking.ranked) == 5
        for (rank, x, y), s in zip(points, ranking.ranked, strict=True):
            assert int(rank) == s.rank
            right, top = float(x) > 0.5, float(y) > 0.5
            n = {(True, True): 1, (False, True): 2, (False, False): 3, (True, False): 4}[(right, top)]
            assert MERMAID_QUADRANTS[n] == s.quadrant
            assert names[str(n)] == QUADRANT_LABELS[s.quadrant] + "s"


def test_positions_keep_the_order_of_value_and_feasibility(golden_toml) -> None:
    from fulcrum.backlog import load_backlog

    ranking = score_backlog(load_backlog(golden_toml))
    pos = positions(ranking)
    by_value = sorted(ranking.ranked, key=lambda s: s.value)
    assert [pos[s.id][1] for s in by_value] == sorted(pos[s.id][1] for s in by_value)
    by_feas = sorted(ranking.ranked, key=lambda s: s.feasibility)
    assert [pos[s.id][0] for s in by_feas] == sorted(pos[s.id][0] for s in by_feas)


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (0.0, "0"),
        (1.0, "1"),
        (0.9996, "1"),
        (0.0004, "0"),
        (0.5, "0.500"),
        (-3, "0"),
        (7, "1"),
        (float("nan"), "0"),
    ],
)
def test_coordinates_are_what_the_grammar_accepts(t: float, text: str) -> None:
    assert coordinate(t) == text
    assert COORDINATE.fullmatch(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_label_lexes_as_one_string(text: str) -> None:
    inside = label(text)
    assert "\n" not in inside and '"' not in inside and "%%" not in inside and "%" not in inside
    assert "<" not in inside and ">" not in inside and "&" not in inside and "`" not in inside
    # Every "#" left starts one of our entity codes, which Mermaid turns back into the character.
    assert re.sub(r"#\d+;", "", inside).count("#") == 0
    shown = decoded(inside)
    assert len(shown) <= 36
    words = " ".join(text.split())
    assert shown == words if len(words) <= 36 else shown == words[:35].rstrip() + "…"
    line = f'    "1. {inside}": [0.500, 0.500]'
    assert check_line(line) == "point"
    # Mermaid's first pass (encodeEntities) drops the ";" ending a CSS colour after style/classDef:
    # it must find none in a point line, or an entity code would lose its ";".
    for word in ("style", "classDef"):
        assert re.sub(word + r".*:\S*#.*;", lambda m: m.group()[:-1], line, flags=re.ASCII) == line


def decoded(inside: str) -> str:
    """What Mermaid shows for a label: its numeric entity codes (#62;) decoded."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), inside)


def test_labels_stay_readable() -> None:
    assert label("Serve product images from the CDN") == "Serve product images from the CDN"
    assert label("a\n\tb   c") == "a b c"
    assert label('say "hi" <b>') == "say #34;hi#34; #60;b#62;"
    assert decoded(label("A -> B & C #1 100%")) == "A -> B & C #1 100%", "shown as written"
    assert label("A -> B") == "A -#62; B"
    # Mermaid drops a line's last ";" after "style" and ":X#": in such a label ":" is coded too.
    assert label("Restyle: #1") == "Restyle#58; #35;1"
    assert label("x" * 50).endswith("…") and len(label("x" * 50)) == 36


def test_point_labels_show_the_titles_as_written() -> None:
    """Each label, after Mermaid's entity pass and decoding, is the rank and the title (cut to fit)."""
    ranking = _ranking(HOSTILE_TITLES)
    lines = [ln for ln in quadrant_chart(ranking).splitlines() if ln.startswith('    "')]
    for line, s in zip(lines, ranking.ranked, strict=True):
        for word in ("style", "classDef"):
            assert re.sub(word + r".*:\S*#.*;", lambda m: m.group()[:-1], line, flags=re.ASCII) == line
        shown = decoded(line[len('    "') : line.rindex('": [')])
        words = f"{s.rank}. {s.item.title}"
        assert shown == (words if len(words) <= 36 else words[:35].rstrip() + "…")
