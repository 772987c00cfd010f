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
    BacklogMeta,
    Estimate,
    Item,
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
    monkeypatch.setattr(load, "_tomli", lambda: tomllib)
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


def test_fulcrum_falls_back_to_tomli() -> None:
    assert load._tomli() is tomli


PURE = """
import sys, tomli._parser
from fulcrum.backlog import BacklogError, parse_backlog
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
    named = load._usable_ids(doc["items"] if isinstance(doc.get("items"), list) else [])
    located = [load._locate(loc, msg, doc, locator, name, named) for loc, msg in dict.fromkeys(raw)]
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
            items[i][draw(st.sampled_from(ITEM_KEYS))] = copy.deepcopy(draw(st.sampled_from(BAD_VALUES)))
        elif kind == "drop" and isinstance(items[i], dict):
            items[i].pop(draw(st.sampled_from(["id", "title", "effort"])), None)
        elif kind == "head":
            table, key = draw(st.sampled_from(HEAD_SPOTS))
            if isinstance(doc.setdefault(table, {}), dict):
                doc[table][key] = copy.deepcopy(draw(st.sampled_from(BAD_VALUES)))
        elif kind == "top":
            key = draw(st.sampled_from(["zzz", "item", "backlog"]))
            doc[key] = copy.deepcopy(draw(st.sampled_from(BAD_VALUES)))
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


@given(broken(), st.booleans(), st.sampled_from([1, 3, load.ITEM_BATCH]))
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_item_by_item_validation_names_every_problem_as_the_whole_document_does(
    doc: dict[str, Any], with_text: bool, batch: int
) -> None:
    """Items are validated in batches, a batch with a problem item by item: whatever the batches,
    the problems are the whole document's."""
    # Without the text no problem has a line, so their order is pydantic's and the checks' alone.
    text = tomli_w.dumps(doc) if with_text else ""
    expected = whole_document(copy.deepcopy(doc), text, "b.toml")
    before = copy.deepcopy(doc)
    saved, load.ITEM_BATCH = load.ITEM_BATCH, batch
    try:
        assert outcome(validate_document, doc, text, "b.toml") == expected
        assert doc == before  # validate_document leaves the caller's document alone
        assert outcome(load._validate, copy.deepcopy(doc), text, "b.toml", True) == expected
        if with_text:  # the text orders some tables differently (plain keys before sub-tables)
            whole = whole_document(tomllib.loads(text), text, "b.toml")
            assert outcome(parse_backlog, text, "b.toml") == whole
    finally:
        load.ITEM_BATCH = saved


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


# --- linear cost at 10,000 items: did-you-mean hints, item lookups, problem positions ----------

BIG = 10_000


def _big_document(dangling: int) -> dict[str, Any]:
    items: list[dict[str, Any]] = [{"id": f"item-{i:05d}", "title": "t", "effort": 1} for i in range(BIG)]
    for i in range(1, dangling + 1):
        items[i]["depends_on"] = [f"itme-{i - 1:05d}", "gone-for-good"]  # a typo, and a name shared by all
    return {"backlog": {"title": "T"}, "items": items}


def test_dangling_references_are_hinted_from_one_index_once_per_name(monkeypatch) -> None:
    """Each hint used to run difflib over every id (2,000 dangling references: 346 s)."""
    import difflib

    from fulcrum.backlog import cross_checks

    pools: list[tuple[str, int]] = []
    real = difflib.get_close_matches

    def spy(word: str, possibilities: Any, *args: Any, **kwargs: Any) -> list[str]:
        pools.append((word, len(possibilities)))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(cross_checks.difflib, "get_close_matches", spy)
    problems = check_document(_big_document(2_000))
    assert len(problems) == 4_000
    hinted = [m for _, m in problems if "did you mean 'item-" in m]
    assert len(hinted) == 2_000 and "unknown item 'itme-00041'; did you mean 'item-00041'?" in hinted
    assert max(size for _, size in pools) <= cross_checks.CloseMatches.SHORTLIST
    assert len(pools) == 2_001, "one search per distinct name ('gone-for-good' appears 2,000 times)"


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("revnue", ["revenue", "mau", "infra_cost"]),
        ("cdn-image", [f"cdn-{n}" for n in ("images", "videos", "fonts")]),
        ("item-0042-old", [f"item-{i:04d}" for i in range(2_000)]),
        ("checkout-v2", [f"{w}-v{i}" for w in ("checkout", "pricing", "search") for i in range(400)]),
        ("pay", [f"p{i}" for i in range(3_000)] + ["pay-1", "play"]),
        ("zzzzzz", [f"item-{i:05d}" for i in range(3_000)]),
    ],
)
def test_the_index_finds_the_hint_difflib_finds(name: str, known: list[str]) -> None:
    import difflib

    from fulcrum.backlog.cross_checks import CloseMatches

    expected = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    assert CloseMatches("item", known).best(name) == (expected[0] if expected else None)


def test_backlog_item_looks_up_an_index_not_every_item() -> None:
    """`Backlog.item` used to scan the items for each lookup (export at 10,000 items: 13 s)."""

    class Counting(list):  # type: ignore[type-arg]
        scans = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            Counting.scans += 1
            return super().__iter__()

    items = [Item(id=f"i{n}", title="t", effort=Estimate.point(1)) for n in range(BIG)]
    b = Backlog.model_construct(backlog=BacklogMeta(title="T"), items=Counting(items))
    assert [b.item(f"i{n}").id for n in range(0, BIG, 7)] == [f"i{n}" for n in range(0, BIG, 7)]
    assert Counting.scans == 1
    with pytest.raises(KeyError):
        b.item("nope")


def test_the_item_index_changes_nothing_a_backlog_is_compared_or_dumped_by() -> None:
    b, same = load_example(), load_example()
    first = b.items[0]
    assert b.item(first.id) is first
    assert b == same and same == b and b.model_dump() == same.model_dump()
    edited = b.replace_item(first.model_copy(update={"title": "New"}))
    assert edited.item(first.id).title == "New" and b.item(first.id).title == first.title
    fewer = b.model_copy(update={"items": b.items[1:]})
    with pytest.raises(KeyError):
        fewer.item(first.id)


def test_a_problem_in_one_item_is_located_without_scanning_the_whole_file(monkeypatch) -> None:
    from fulcrum.backlog import positions

    text = "[backlog]\ntitle = 'T'\n" + "".join(
        f"\n[[items]]\nid = 'i{n}'\ntitle = 't'\neffort = 1\n[items.impact]\nm = {n}\n" for n in range(BIG)
    )
    scanned: list[int] = []
    real = positions.key_lines
    monkeypatch.setattr(positions, "key_lines", lambda t: (scanned.append(len(t)), real(t))[1])
    locator = Locator(text, BIG)
    line, _ = locator.find(("items", 7_000, "impact", "m"))
    assert line is not None and locator.line_text(line) == "m = 7000"
    assert max(scanned) < 100, "only item 7,000's lines"


def test_item_regions_locate_every_path_as_the_whole_file_index_does(example_toml: Path) -> None:
    text = example_toml.read_text(encoding="utf-8") + APART_TAIL
    n = len(parse_backlog(text).items)
    whole = Locator(text).where
    fast = Locator(text, n)
    for loc, where in whole.items():
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            assert fast.find(loc) == where, loc
    # A text whose [[items]] headers cannot all be found by a plain search falls back to the scan.
    tricky = text + 'title2 = """\n[[items]]\n"""\n'.replace("title2", "[backlog2]\nx")
    assert Locator(tricky, n).find(("items", n - 1, "id")) == Locator(tricky).find(("items", n - 1, "id"))


APART_TAIL = """
[[items]]
id = "apart"
title = "Its impact is written after another table"
effort = 1

[metrics.extra]
label = "Extra"

[items.impact]
extra = 5
"""
