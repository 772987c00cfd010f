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


def test_a_big_text_goes_to_tomli(monkeypatch: pytest.MonkeyPatch) -> None:
    """rtoml's peak memory is ~3x tomli's: a big file is parsed by tomli."""
    used: list[str] = []
    monkeypatch.setattr(load.rtoml, "loads", lambda text: used.append("rtoml") or tomli.loads(text))
    monkeypatch.setattr(load, "RTOML_MAX_CHARS", 20)
    assert load._loads("a = 1") == {"a": 1} and used == ["rtoml"]
    assert load._loads("a = 1\n" + "#" * 30) == {"a": 1} and used == ["rtoml"]


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
