"""The fast paths of loading give the same answers as the plain ones.

- TOML: fulcrum parses with tomli (compiled); the pure-Python tomli (no wheel for the platform) and
  the stdlib's tomllib (no tomli at all) must locate every syntax error at the same line and column.
- Validation: items are validated one at a time (so a big file's raw items can be released as
  their models are built); every problem must be the one validating the whole document names,
  with the same path, message, line and order.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import fulcrum.backlog.load as load
from fulcrum.backlog import (
    Backlog,
    BacklogError,
    Locator,
    Problem,
    example_text,
    load_example,
    parse_backlog,
    validate_document,
)
from fulcrum.backlog.cross_checks import check_document
from fulcrum.backlog.load import parse_toml
from fulcrum.backlog.pydantic_messages import pydantic_problems

HEAD = '[backlog]\ntitle = "t"\n'
BROKEN = {
    "two commas": HEAD + "x = [1,,2]\n",
    "bare text": HEAD + "x = hello\n",
    "set twice": HEAD + "x = 1\nx = 2\n",
    "table twice": HEAD + "[backlog]\n",
    "unclosed string": HEAD + 'x = "abc\n',
    "at the end": HEAD + "x =",
    "crlf lines": HEAD.replace("\n", "\r\n") + "x = [1,,2]\r\n",
    "a bom": "\ufeff" + HEAD + "x = ]\n",
}


def located(text: str) -> tuple[str, int | None, int | None, str | None]:
    with pytest.raises(BacklogError) as err:
        parse_toml(text, "b.toml")
    (p,) = err.value.problems
    return p.message, p.line, p.column, p.source_line


@pytest.mark.parametrize("case", list(BROKEN))
def test_tomllib_and_tomli_locate_a_syntax_error_alike(case: str, monkeypatch) -> None:
    """tomli's error attributes and tomllib's message (parsed) give the same place and words."""
    text = BROKEN[case]
    fast = located(text)
    monkeypatch.setattr(load, "toml", tomllib)
    slow = located(text)
    assert fast[1:] == slow[1:]
    assert fast[0].startswith("invalid TOML: ") and slow[0].startswith("invalid TOML: ")
    if case in ("set twice", "table twice"):
        assert fast[0] == slow[0]  # the hints and the table name are found in both
    if case == "at the end":
        assert fast[2] is None and fast[0].endswith("(at the end of the file)")
    else:
        assert fast[1] is not None and fast[2] is not None and fast[3] is not None


def test_a_parser_error_without_attributes_is_read_off_its_message() -> None:
    lines = ["a", "bb", "x = ]"]
    p = load._toml_problem(ValueError("Invalid value (at line 3, column 5)"), lines, "f.toml")
    assert (p.line, p.column, p.source_line) == (3, 5, "x = ]")
    assert p.message.startswith("invalid TOML: Invalid value: text needs quotes")
    p = load._toml_problem(ValueError("Unclosed array (at end of document)"), lines, "f.toml")
    assert (p.line, p.column) == (3, None) and p.message.endswith("(at the end of the file)")
    p = load._toml_problem(ValueError("something else"), lines, "f.toml")
    assert (p.line, p.message) == (3, "invalid TOML: something else")


def test_fulcrum_parses_with_tomli() -> None:
    assert load.toml is tomli


PURE = """
import sys, tomli._parser
from fulcrum.backlog.load import BacklogError, parse_backlog
assert tomli._parser.__file__.endswith(".py"), tomli._parser.__file__
print(len(parse_backlog(sys.argv[1]).items))
for text in (sys.argv[2], sys.argv[3]):
    try:
        parse_backlog(text, "b.toml")
    except BacklogError as exc:
        (p,) = exc.problems
        print(p.line, p.column, p.message)
"""


def test_the_pure_python_tomli_gives_the_same_results(tmp_path: Path, example_toml: Path) -> None:
    """Where no compiled wheel exists, pip installs tomli's pure-Python one: it must work the same."""
    pure = tmp_path / "tomli"
    pure.mkdir()
    for src in Path(tomli.__file__).parent.glob("*.py"):
        shutil.copy(src, pure / src.name)
    (pure / "py.typed").touch()
    deep = HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n"
    good = example_toml.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", PURE, good, BROKEN["two commas"], deep],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    assert int(out[0]) == len(parse_backlog(good).items)
    message, line, column, _ = located(BROKEN["two commas"])
    assert out[1] == f"{line} {column} {message}" == f"3 8 {message}"
    assert out[2] == "None None invalid TOML: arrays or tables are nested too deeply"


# --- validation one item at a time == validation of the whole document -------------------------


def whole_document(doc: dict[str, Any], text: str, name: str) -> tuple[Backlog | None, list[Problem]]:
    """The reference: the whole document validated at once, as the loader did before."""
    raw: list[tuple[Any, str]] = []
    backlog = None
    try:
        backlog = Backlog.model_validate(doc)
    except ValidationError as exc:
        raw.extend(pydantic_problems(exc, doc))
    raw.extend(check_document(doc))
    locator = Locator(text)
    located = [load._locate(loc, msg, doc, locator, name) for loc, msg in dict.fromkeys(raw)]
    located.sort(key=lambda p: p.line or 0)
    return (None if raw else backlog), list(dict.fromkeys(located))


def outcome(validate: Any, *args: Any) -> tuple[Backlog | None, list[Problem]]:
    try:
        return validate(*args), []
    except BacklogError as exc:
        return None, exc.problems


BAD_VALUES = ["x", 5, -1, 1e30, True, [], {}, [1, "a"], {"low": 3, "likely": 1, "high": 2}, {"zzz": 1}]
ITEM_KEYS = ["id", "title", "effort", "confidence", "status", "phase", "due", "requested_by", "depends_on"]
ITEM_KEYS += ["impact", "evidence", "fields", "needs", "tags", "zzz", "titel"]
HEAD_SPOTS = [("backlog", "title"), ("scoring", "method"), ("plan", "early_wins"), ("capacity", "days_30")]
HEAD_SPOTS += [("backlog", "ownr"), ("review", "min_value"), ("stakeholders", "cfo"), ("metrics", "x")]


@st.composite
def broken(draw: st.DrawFn) -> dict[str, Any]:
    """The example backlog with a few random things wrong (or none)."""
    doc = tomllib.loads(example_text())
    items = doc["items"]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["item", "drop", "head", "top", "not a table", "ref", "dup"]))
        i = draw(st.integers(0, len(items) - 1))
        if kind == "item" and isinstance(items[i], dict):
            items[i][draw(st.sampled_from(ITEM_KEYS))] = draw(st.sampled_from(BAD_VALUES))
        elif kind == "drop" and isinstance(items[i], dict):
            items[i].pop(draw(st.sampled_from(["id", "title", "effort"])), None)
        elif kind == "head":
            table, key = draw(st.sampled_from(HEAD_SPOTS))
            if isinstance(doc.setdefault(table, {}), dict):
                doc[table][key] = draw(st.sampled_from(BAD_VALUES))
        elif kind == "top":
            doc[draw(st.sampled_from(["zzz", "item", "backlog"]))] = draw(st.sampled_from(BAD_VALUES))
        elif kind == "not a table":
            items[i] = draw(st.sampled_from([1, "x", [], True]))
        elif kind == "ref" and isinstance(items[i], dict):
            field = draw(st.sampled_from(["depends_on", "requested_by"]))
            items[i][field] = draw(st.sampled_from([["nobody"], ["reserved-instances"], [3, "x"]]))
        elif kind == "dup" and isinstance(items[i], dict):
            items[i]["id"] = draw(st.sampled_from(["reserved-instances", "x"]))
    if draw(st.integers(0, 9)) == 0:
        doc["items"] = draw(st.sampled_from([5, "x", {}]))
    return doc


@given(broken(), st.booleans())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_item_by_item_validation_names_every_problem_as_the_whole_document_does(
    doc: dict[str, Any], with_text: bool
) -> None:
    # Without the text no problem has a line, so their order is pydantic's and the checks' alone.
    text = tomli_w.dumps(doc) if with_text else ""
    expected = whole_document(copy.deepcopy(doc), text, "b.toml")
    before = copy.deepcopy(doc)
    assert outcome(validate_document, doc, text, "b.toml") == expected
    assert doc == before  # validate_document leaves the caller's document alone
    assert outcome(load._validate, copy.deepcopy(doc), text, "b.toml", True) == expected
    if with_text:  # the text orders some tables differently (plain keys before sub-tables)
        assert outcome(parse_backlog, text, "b.toml") == whole_document(tomllib.loads(text), text, "b.toml")


def test_parsing_releases_each_raw_item_as_its_model_is_built() -> None:
    """parse_backlog's document is its own: no raw item outlives validation (the memory peak)."""
    text = example_text()
    doc = parse_toml(text)
    n = len(doc["items"])
    backlog = load._validate(doc, text, "", consume=True)
    assert doc["items"] == [None] * n and len(backlog.items) == n
    assert backlog == validate_document(parse_toml(text))


def test_validated_items_are_taken_as_they_are() -> None:
    """The app validates an edit with the other items as models: they are kept, not rebuilt."""
    b = load_example()
    doc = {**b.model_dump(exclude={"items"}), "items": [*b.items[:-1], b.items[-1].model_dump()]}
    again = validate_document(doc)
    assert again == b
    assert all(x is y for x, y in zip(again.items[:-1], b.items[:-1], strict=True))


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_pauses_garbage_collection_and_restores_it(enabled: bool, monkeypatch) -> None:
    """The cyclic GC is off while a document is built, and as it was afterwards, even on errors."""
    import gc

    seen: list[bool] = []
    real = load._validate

    def spy(*args: Any, **kwargs: Any) -> Backlog:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "_validate", spy)
    (gc.enable if enabled else gc.disable)()
    try:
        parse_backlog(example_text())
        assert gc.isenabled() is enabled
        with pytest.raises(BacklogError):
            parse_backlog(HEAD + "[[items]]\nid = 5\n")
        assert gc.isenabled() is enabled
        validate_document(tomllib.loads(example_text()))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert seen == [False, False, False]
