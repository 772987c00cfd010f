"""A validator of Mermaid's quadrantChart grammar (quadrant-chart/parser/quadrant.jison), for tests.

It lexes each line with the grammar's own lexer rules, in their order (Jison takes the first rule
that matches, so keywords win inside unquoted text), then checks the token sequence against the
statement productions the chart uses: the header, title, axes, quadrant names and points.

It was cross-checked once against the real parser (the grammar compiled with Jison under Node, on
120,000 random lines built from the tricky tokens): every line it accepts, Jison accepts too (it is
stricter, never more lenient). That check needs npm and is not part of the suite.
"""

from __future__ import annotations

import re

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
COORDINATE = re.compile(r"1|0(.\d+)?")
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
