"""The quadrantChart block against Mermaid's grammar (quadrant-chart/parser/quadrant.jison).

The validator below lexes each line with the grammar's own lexer rules, in their order (Jison takes
the first rule that matches, so keywords win inside unquoted text), then checks the token sequence
against the statement productions the chart uses: the header, title, axes, quadrant names and points.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.backlog.load import parse_backlog
from fulcrum.output.mermaid import MERMAID_QUADRANTS, coordinate, label, positions, quadrant_chart
from fulcrum.scoring import QUADRANT_LABELS, score_backlog

# Jison appends \b to a rule that ends in a word character; JavaScript's \b knows only ASCII letters.
_B = r"(?![A-Za-z0-9_])"
# (token, regex) of the INITIAL state, in the grammar's order; None = skipped.
_RULES: list[tuple[str | None, str]] = [
    (None, r"%%(?!\{)[^\n]*"),
    (None, r"[^}]%%[^\n]*"),
    (None, r"%%[^\n]*"),
    ("TITLE", r"title" + _B),
    ("ACC", r"accTitle\s*:\s*|accDescr\s*:\s*|accDescr\s*\{\s*"),
    ("X-AXIS", r" *x-axis *"),
    ("Y-AXIS", r" *y-axis *"),
    ("DELIM", r" *--+> *"),
    ("QUADRANT_N", r" *quadrant-[1-4] *"),
    ("CLASSDEF", r"classDef" + _B),
    ("MD_OPEN", r'"`'),
    ("STR_OPEN", r'"'),
    ("CLASS", r":::"),
    ("POINT_START", r"\s*:\s*\[\s*"),
    ("QUADRANT", r" *quadrantChart *"),
    ("ALPHA", r"[A-Za-z]+"),
    ("UNICODE_TEXT", r"[^\x00-\x7F]+"),
    ("COLON", r":"),
    ("PLUS", r"\+"),
    ("COMMA", r","),
    ("EQUALS", r"="),
    ("MULT", r"\*"),
    ("BRKT", r"#"),
    ("UNDERSCORE", r"_"),
    ("DOT", r"\."),
    ("AMP", r"&"),
    ("MINUS", r"-"),
    ("NUM", r"[0-9]+"),
    ("SPACE", r"\s"),
    ("SEMI", r";"),
    ("PUNCTUATION", r"[!\"#$%&'*+,\-.`?\\_/]"),
]
_COMPILED = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _RULES]
_COORD = re.compile(r"1|0(.\d+)?")
_ALNUM = {"PUNCTUATION", "AMP", "NUM", "ALPHA", "COMMA", "PLUS", "EQUALS", "MULT", "DOT", "BRKT"}
_ALNUM |= {"UNDERSCORE", "UNICODE_TEXT"}


class GrammarError(AssertionError):
    pass


def lex(line: str) -> list[tuple[str, str]]:
    """Tokens of one line (no newline inside), following the lexer's states for strings and points."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(line):
        found = next(((n, m) for n, rx in _COMPILED if (m := rx.match(line, i)) and m.end() > i), None)
        if found is None:
            raise GrammarError(f"no lexer rule matches {line[i:]!r} in {line!r}")
        name, m = found
        i = m.end()
        if name is None:
            continue
        if name == "TITLE":
            if not line[i:]:
                raise GrammarError(f"a title needs text: {line!r}")
            out += [("TITLE", m.group()), ("title_value", line[i:])]
            return out
        if name in ("MD_OPEN", "ACC", "CLASS", "CLASSDEF"):
            raise GrammarError(f"{name} is not something the chart should contain: {line!r}")
        if name == "STR_OPEN":
            end = line.find('"', i)
            if end < 0:
                raise GrammarError(f"unterminated string in {line!r}")
            if end > i:  # an empty string yields no STR token at all
                out.append(("STR", line[i:end]))
            i = end + 1
            continue
        if name == "POINT_START":
            # Styles may follow a point in Mermaid; the chart writes none, so nothing may follow here.
            rest = re.compile(r"(1|0(?:.\d+)?)\s*,\s*(1|0(?:.\d+)?)\s*\] *$")
            pm = rest.match(line, i)
            if not pm:
                raise GrammarError(f"bad coordinates in {line!r}")
            out += [("point_start", ""), ("point_x", pm.group(1)), ("point_y", pm.group(2))]
            i = pm.end()
            continue
        out.append((name, m.group()))
    return out


def _is_text(tokens: list[tuple[str, str]]) -> bool:
    """text: STR | MD_STR | alphaNumToken (alphaNumToken | SPACE | MINUS)*."""
    kinds = [k for k, _ in tokens]
    if kinds == ["STR"]:
        return True
    return bool(kinds) and kinds[0] in _ALNUM and all(k in _ALNUM | {"SPACE", "MINUS"} for k in kinds[1:])


def check_line(line: str, first: bool = False) -> str:
    """The kind of statement ``line`` is (``first``: the chart's first line), or GrammarError."""
    toks = lex(line)
    while toks and toks[0][0] == "SPACE":
        toks = toks[1:]
    kinds = [k for k, _ in toks]
    if not kinds:
        return "empty"
    head = kinds[0]
    if head == "QUADRANT" and len(kinds) == 1 and first:
        return "header"
    if head == "TITLE":
        return "title"
    if head in ("X-AXIS", "Y-AXIS"):
        body = toks[1:]
        if "DELIM" in kinds:
            cut = kinds.index("DELIM") - 1
            left, right = body[:cut], body[cut + 1 :]
            if _is_text(left) and (not right or _is_text(right)):
                return "axis"
        elif _is_text(body):
            return "axis"
    if head == "QUADRANT_N" and _is_text(toks[1:]):
        return "quadrant"
    if kinds[-3:] == ["point_start", "point_x", "point_y"] and _is_text(toks[:-3]):
        return "point"
    raise GrammarError(f"no statement of the grammar reads {line!r} (tokens {kinds})")


def check_chart(body: str) -> list[str]:
    lines = body.split("\n")
    assert lines[0] == "quadrantChart"
    return [check_line(line, first=n == 0) for n, line in enumerate(lines)]


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
    from fulcrum.backlog.load import load_backlog

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
    from fulcrum.backlog.load import load_backlog

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
    assert _COORD.fullmatch(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_label_lexes_as_one_string(text: str) -> None:
    inside = label(text)
    assert "\n" not in inside and '"' not in inside and "%%" not in inside
    assert not re.search(r"#\w+;", inside) and "<" not in inside and not inside.startswith("`")
    assert len(inside) <= 36
    assert check_line(f'    "1. {inside}": [0.500, 0.500]') == "point"


def test_labels_stay_readable() -> None:
    assert label("Serve product images from the CDN") == "Serve product images from the CDN"
    assert label("a\n\tb   c") == "a b c"
    assert label('say "hi" <b>') == "say 'hi' ‹b›"
    assert label("x" * 50).endswith("…") and len(label("x" * 50)) == 36
