"""rtoml parses what tomli parses, to the same document; tomli keeps the last word.

fulcrum parses with rtoml (faster) and falls back to tomli, the reference, whenever rtoml refuses a
text, so every syntax error is tomli's (line, column, words), and a text with a carriage return
goes to tomli (rtoml keeps CRLF inside multi-line strings, tomli reads LF).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
import rtoml
import tomli
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import fulcrum.backlog.load as load
from backlogs import ROOT
from fulcrum.backlog import BacklogError
from fulcrum.backlog.load import parse_toml

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and a == b


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_rtoml_and_tomli_read_any_document_alike(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    assert same(rtoml.loads(text), tomli.loads(text))
    assert same(load._loads(text), tomli.loads(text))


def test_the_example_and_a_datetime_parse_alike() -> None:
    text = (ROOT / "backlog.example.toml").read_text(encoding="utf-8")
    assert same(load._loads(text), tomli.loads(text))
    assert load._loads("a = 1979-05-27T07:32:00")["a"] == dt.datetime(1979, 5, 27, 7, 32)


def test_a_big_text_is_parsed_in_pieces_of_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """rtoml's own tree costs ~3x tomli's memory: it sees a few items at a time, never a whole file."""
    seen: list[str] = []
    parse = rtoml.loads
    monkeypatch.setattr(load.rtoml, "loads", lambda text: seen.append(text) or parse(text))
    monkeypatch.setattr(load, "RTOML_PIECE_ITEMS", 2)
    text = 'title = "t"\n' + "".join(f'[[items]]\nid = "i{n}"\n' for n in range(5))
    assert same(load._loads(text), tomli.loads(text))
    assert [piece.count("[[items]]") for piece in seen] == [0, 2, 2, 1]
    assert "".join(seen) == text


def _item(n: int, extra: str) -> str:
    return f'[[items]]\nid = "i{n}"\n{extra}'


# Pieces of a backlog's text that put an ``[[items]]`` line where it is not a header, define a table
# in two places, extend or redefine ``items`` from the preamble, or break a table across pieces.
_EXTRAS = st.sampled_from(
    [
        "",
        "[items.impact]\nmau = 1\n",
        'notes = """\n[[items]]\nid = "x"\n"""\n',
        "notes = '''\n  [[items]]\n'''\n",
        "tags = [\n[[items]]\n]\n",
        "[metrics.a]\nprice = 1\n",
        "[metrics.b]\nprice = 2\n",
        "[metrics]\nc = 3\n",
        "[settings]\nx = 1\n",
        "[[items.parts]]\nk = 1\n",
        '  [[ items ]]  # an indented header with a comment\nid = "y"\n',
        "effort = 1\n[items.effort]\nlow = 1\n",
    ]
)
_PREAMBLES = st.sampled_from(["", 'title = "t"\n', "items = []\n", "[items]\nx = 1\n", "[settings]\nx = 0\n"])


@settings(max_examples=300, deadline=None)
@given(_PREAMBLES, st.lists(_EXTRAS, max_size=8), st.integers(1, 3))
def test_pieces_read_the_document_tomli_reads(preamble: str, extras: list[str], per: int) -> None:
    """However the text is laid out, the pieces give tomli's document, or tomli's own error."""
    text = preamble + "".join(_item(n, extra) for n, extra in enumerate(extras))
    saved = load.RTOML_PIECE_ITEMS
    load.RTOML_PIECE_ITEMS = per
    try:
        try:
            expected: object = tomli.loads(text)
        except tomli.TOMLDecodeError:
            with pytest.raises(tomli.TOMLDecodeError):
                load._loads(text)
        else:
            assert same(load._loads(text), expected)
    finally:
        load.RTOML_PIECE_ITEMS = saved


_LINES = st.sampled_from(
    ["[[items]]", "  [[ items ]]", "\t[[items]] # c", "x = [[items]]", "[[itemsx]]", "", "[[items]"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=10), st.sampled_from(["", "\n"]))
def test_pieces_are_cut_where_a_line_opens_an_item(lines: list[str], end: str) -> None:
    """The cuts (found after a newline, and at the start) are the lines ``^[[items]]`` finds."""
    text = "\n".join(lines) + end
    saved = load.RTOML_PIECE_ITEMS
    load.RTOML_PIECE_ITEMS = 1
    try:
        starts = [m.start() for m in load._ITEM_HEADER.finditer(text)]
        assert [len(piece) for piece in load._pieces(text)] == [
            b - a for a, b in zip([0, *starts], [*starts, len(text)], strict=True)
        ]
    finally:
        load.RTOML_PIECE_ITEMS = saved


def test_a_carriage_return_goes_to_tomli() -> None:
    text = 'a = """\r\nWaiting.\r\nFor Q1."""\r\n'
    assert rtoml.loads(text)["a"] != tomli.loads(text)["a"]  # why the rule exists
    assert parse_toml(text) == {"a": "Waiting.\nFor Q1."}


@pytest.mark.parametrize(
    "text", ["a = 1\na = 2", 'a = "x', "[t]\n[t]", "a = [" * 90 + "]" * 90, 'x = """\n\x07"""', "a = 01"]
)
def test_every_refusal_is_tomli_s(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors (and rtoml's own nesting limit, which tomli does not have) are decided by tomli."""

    def outcome() -> object:
        try:
            return parse_toml(text, "b.toml")
        except BacklogError as exc:
            return [(p.message, p.line, p.column) for p in exc.problems]

    fast = outcome()
    monkeypatch.setattr(load, "rtoml", None)
    assert fast == outcome()


def test_keys_with_many_dotted_parts_are_counted_only_before_tomli_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tomli is quadratic on a key with many dotted parts, rtoml is not (it refuses the deepest
    itself): the rows are scanned for them only when a text goes to tomli."""
    scanned: list[str] = []
    real = load._refuse_deep_keys
    monkeypatch.setattr(
        load, "_refuse_deep_keys", lambda text, name: scanned.append(name) or real(text, name)
    )
    assert parse_toml("a.b.c = 1\n", "fast.toml") == {"a": {"b": {"c": 1}}} and scanned == []
    assert parse_toml("a.b.c = 1\r\n", "crlf.toml") == {"a": {"b": {"c": 1}}} and scanned == ["crlf.toml"]
    with pytest.raises(BacklogError) as err:
        parse_toml("x = 1\n" + "a" + ".a" * 5000 + " = 1\n", "deep.toml")
    assert scanned[-1] == "deep.toml" and "dotted parts" in err.value.problems[0].message
