"""toml-rs parses what tomli parses, to the same document; tomli keeps the last word.

fulcrum parses with toml-rs (faster) and falls back to tomli, the reference, whenever toml-rs
refuses a text, so every syntax error is tomli's (line, column, words); toml-rs never accepts a
text tomli refuses.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from typing import Any

import pytest
import toml_rs
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
    st.times(),
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


def fast(text: str) -> Any:
    return toml_rs.loads(text, toml_version="1.0.0")


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, values, max_size=6), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_toml_rs_and_tomli_read_any_document_alike(
    doc: dict[str, Any], multiline: bool, newline: str
) -> None:
    """Any document, written with or without multi-line strings, with LF or CRLF line ends."""
    text = tomli_w.dumps(doc, multiline_strings=multiline).replace("\n", newline)
    assert same(fast(text), tomli.loads(text))
    assert same(load._loads(text), tomli.loads(text))


def test_the_example_and_a_datetime_parse_alike() -> None:
    text = (ROOT / "backlog.example.toml").read_text(encoding="utf-8")
    assert same(load._loads(text), tomli.loads(text))
    assert load._loads("a = 1979-05-27T07:32:00")["a"] == dt.datetime(1979, 5, 27, 7, 32)


def test_a_big_text_is_parsed_in_pieces_of_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """toml-rs's own tree costs several times tomli's memory: it sees a few items at a time."""
    seen: list[str] = []
    parse = toml_rs.loads
    monkeypatch.setattr(load.toml_rs, "loads", lambda text, **kw: seen.append(text) or parse(text, **kw))
    monkeypatch.setattr(load, "PIECE_ITEMS", 2)
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
    saved = load.PIECE_ITEMS
    load.PIECE_ITEMS = per
    try:
        try:
            expected: object = tomli.loads(text)
        except tomli.TOMLDecodeError:
            with pytest.raises(tomli.TOMLDecodeError):
                load._loads(text)
        else:
            assert same(load._loads(text), expected)
    finally:
        load.PIECE_ITEMS = saved


_LINES = st.sampled_from(
    ["[[items]]", "  [[ items ]]", "\t[[items]] # c", "x = [[items]]", "[[itemsx]]", "", "[[items]"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=10), st.sampled_from(["", "\n"]))
def test_pieces_are_cut_where_a_line_opens_an_item(lines: list[str], end: str) -> None:
    """The cuts (found after a newline, and at the start) are the lines ``^[[items]]`` finds."""
    text = "\n".join(lines) + end
    saved = load.PIECE_ITEMS
    load.PIECE_ITEMS = 1
    try:
        starts = [m.start() for m in load._ITEM_HEADER.finditer(text)]
        assert [len(piece) for piece in load._pieces(text)] == [
            b - a for a, b in zip([0, *starts], [*starts, len(text)], strict=True)
        ]
    finally:
        load.PIECE_ITEMS = saved


def test_a_crlf_in_a_multi_line_string_reads_as_lf() -> None:
    """As tomli reads it, and so every save's verification (rtoml, the parser before, kept CR)."""
    text = 'a = """\r\nWaiting.\r\nFor Q1."""\r\n'
    assert fast(text) == tomli.loads(text) == parse_toml(text) == {"a": "Waiting.\nFor Q1."}


@pytest.mark.parametrize(
    "text",
    [
        "fields = { reach = 1, impact\n= 3 }",  # a newline in an inline table (rtoml took it)
        "a = { b = 1,\n c = 2 }",
        'a = "\\e"',  # TOML 1.1's escape: tomli reads it, toml-rs (1.0) refuses, so tomli decides
        "a = 1\r",
    ],
)
def test_toml_rs_refuses_what_tomli_refuses_or_tomli_decides(text: str) -> None:
    try:
        expected: object = tomli.loads(text)
    except tomli.TOMLDecodeError:
        with pytest.raises(Exception):  # noqa: B017 - any refusal of toml-rs's
            fast(text)
        with pytest.raises(BacklogError):
            parse_toml(text)
    else:
        assert parse_toml(text) == expected


_HOSTILE = [
    "a = " + "[" * 5_000 + "]" * 5_000,
    "a = " + "{b=" * 5_000 + "1" + "}" * 5_000,
    "a = " + "[{b=" * 5_000 + "1" + "}]" * 5_000,
    '[[items]]\nid = "x"\ntags = ' + "[" * 5_000 + "]" * 5_000,
]


@pytest.mark.parametrize("text", _HOSTILE, ids=["arrays", "tables", "both", "in-an-item"])
def test_deep_nesting_never_reaches_toml_rs(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """toml-rs recurses on the C stack: 3,000 levels crash the process (no exception to catch).
    A piece with more brackets than MAX_FAST_BRACKETS goes to tomli, which reads it or says why."""
    parse = toml_rs.loads

    def guarded(piece: str, **kw: Any) -> Any:
        assert piece.count("[") + piece.count("{") <= load.MAX_FAST_BRACKETS, "toml-rs saw a deep text"
        return parse(piece, **kw)

    monkeypatch.setattr(load.toml_rs, "loads", guarded)
    try:
        expected: object = tomli.loads(text)
    except RecursionError:
        with pytest.raises(BacklogError, match="nested too deeply"):
            parse_toml(text)
    else:
        assert same(parse_toml(text), expected)


def test_a_piece_with_many_dots_goes_to_tomli(monkeypatch: pytest.MonkeyPatch) -> None:
    """toml-rs reads a key of any number of parts (a table per part); tomli's path refuses one of
    more than MAX_KEY_PARTS before reading, so such a piece is tomli's."""
    seen: list[str] = []
    parse = toml_rs.loads
    monkeypatch.setattr(load.toml_rs, "loads", lambda text, **kw: seen.append(text) or parse(text, **kw))
    with pytest.raises(BacklogError, match="more than 64 dotted parts"):
        parse_toml("x = 1\n" + "a" + ".a" * (load.MAX_FAST_DOTS + 1) + " = 1\n", "dots.toml")
    assert seen == []
    assert parse_toml("a.b.c = 1.5\n") == {"a": {"b": {"c": 1.5}}} and seen == ["a.b.c = 1.5\n"]


@pytest.mark.parametrize(
    "text", ["a = 1\na = 2", 'a = "x', "[t]\n[t]", "a = [" * 90 + "]" * 90, 'x = """\n\x07"""', "a = 01"]
)
def test_every_refusal_is_tomli_s(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors (and the texts too deep for toml-rs) are decided by tomli."""

    def outcome() -> object:
        try:
            return parse_toml(text, "b.toml")
        except BacklogError as exc:
            return [(p.message, p.line, p.column) for p in exc.problems]

    fast = outcome()
    monkeypatch.setattr(load, "toml_rs", None)
    assert fast == outcome()


def test_keys_with_many_dotted_parts_are_counted_only_before_tomli_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tomli is quadratic on a key with many dotted parts, toml-rs is not: the rows are scanned
    for them only when a text goes to tomli (or, below, when validation found a problem)."""
    scanned: list[str] = []
    real = load._refuse_deep_keys
    monkeypatch.setattr(
        load, "_refuse_deep_keys", lambda text, name: scanned.append(name) or real(text, name)
    )
    assert parse_toml("a.b.c = 1\n", "fast.toml") == {"a": {"b": {"c": 1}}} and scanned == []
    assert parse_toml('a.b.c = "\\e"\n', "v11.toml") == {"a": {"b": {"c": "\x1b"}}}  # TOML 1.1: tomli's
    assert scanned == ["v11.toml"]
    with pytest.raises(BacklogError) as err:
        parse_toml("x = 1\n" + "a" + ".a" * 5000 + " = 1\n", "deep.toml")
    assert scanned[-1] == "deep.toml" and "dotted parts" in err.value.problems[0].message


def test_a_deep_key_toml_rs_read_is_named_alone() -> None:
    """A key of 70 parts (under MAX_FAST_DOTS, so toml-rs reads it) is a problem of the model:
    it is named as tomli's path names it, before the locator walks its 70 tables."""
    head = '[backlog]\ntitle = "x"\n[[items]]\nid = "i"\ntitle = "t"\neffort = 1\n'
    text = head + "impact" + ".a" * 69 + " = 1\n"
    with pytest.raises(BacklogError) as err:
        load.parse_backlog(text, "b.toml")
    [problem] = err.value.problems
    assert "more than 64 dotted parts" in problem.message and problem.line == 7


def test_a_text_nested_deeper_than_toml_rs_can_go_is_read_without_a_crash() -> None:
    """The real parser, in a child process: a crash there is a signal, not an exception."""
    code = (
        "from fulcrum.backlog import BacklogError\nfrom fulcrum.backlog.load import parse_toml\n"
        "try:\n    parse_toml('a = ' + '[{b=' * 5000 + '1' + '}]' * 5000)\n"
        "except BacklogError as exc:\n    print(exc.problems[0].message)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nested too deeply" in done.stdout


_EXAMPLE = (ROOT / "backlog.example.toml").read_text(encoding="utf-8")
_SLIPS = st.sampled_from(
    [
        *"[]{}=.,\"'\\ \n\t#-_:+0123456789eE",
        "\r\n",
        '"""',
        "'''",
        "inf",
        "nan",
        "T07:32:00",
        "Z",
        "\\e",
        "\n}",
        ",}",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, len(_EXAMPLE) - 1),
    st.integers(20, 400),
    st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from(["put", "insert", "delete"]), _SLIPS), max_size=3
    ),
)
def test_toml_rs_accepts_no_slip_tomli_refuses(
    start: int, size: int, slips: list[tuple[int, str, str]]
) -> None:
    """Pieces of the example with typing slips: whatever toml-rs reads, tomli reads to the same
    document (the other way round, tomli decides alone: `_loads` falls back to it)."""
    chars = list(_EXAMPLE[start : start + size])
    for at, how, slip in slips:
        at = min(at, len(chars))
        if how == "insert" or not chars:
            chars.insert(at, slip)
        elif how == "put":
            chars[min(at, len(chars) - 1)] = slip
        else:
            del chars[min(at, len(chars) - 1)]
    text = "".join(chars)
    try:
        doc = fast(text)
    except Exception:  # a refusal of any kind goes to tomli
        return
    assert same(doc, tomli.loads(text))


_DEEPEST = {  # the deepest texts of MAX_FAST_BRACKETS brackets, of each kind of nesting
    "arrays": lambda n: "a = " + "[" * n + "]" * n,
    "tables": lambda n: "a = " + "{b=" * n + "1" + "}" * n,
    "both": lambda n: "a = " + "[{b=" * (n // 2) + "1" + "}]" * (n // 2),
}


@pytest.mark.parametrize("kind", list(_DEEPEST))
def test_what_toml_rs_may_read_fits_a_small_thread_stack(kind: str) -> None:
    """At the bound, toml-rs parses in a thread of 1 MB of stack (a worker thread may have 2 MB;
    1,100 levels crashed one): the bound keeps a margin. A child process: a crash is a signal."""
    text = _DEEPEST[kind](load.MAX_FAST_BRACKETS)
    code = (
        "import sys, threading\nimport fulcrum.backlog.load as load\n"
        "text = sys.stdin.read()\nthreading.stack_size(1024 * 1024)\nout = []\n"
        "t = threading.Thread(target=lambda: out.append(load._fast(text)))\nt.start()\nt.join()\n"
        "print(len(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr


@pytest.mark.parametrize("kind", list(_DEEPEST))
def test_tomli_reads_whatever_toml_rs_may_read(kind: str) -> None:
    """So the two read the same documents: a text nested too deeply for tomli ("nested too
    deeply") is never read by toml-rs instead."""
    text = _DEEPEST[kind](load.MAX_FAST_BRACKETS)
    assert same(fast(text), tomli.loads(text))


def test_a_piece_over_the_bounds_is_tomli_s_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """One item with many brackets sends its piece to tomli, not the whole file."""
    read: list[int] = []
    real = load._tomli()

    class Recording:
        TOMLDecodeError = real.TOMLDecodeError

        @staticmethod
        def loads(text: str) -> Any:
            read.append(text.count("[[items]]"))
            return real.loads(text)

    monkeypatch.setattr(load, "_tomli", lambda: Recording)
    heavy = "x = [" + ", ".join(["[1]"] * load.MAX_FAST_BRACKETS) + "]\n"
    text = 'title = "t"\n' + "".join(_item(n, heavy if n == 20 else "") for n in range(40))
    assert same(load._loads(text), tomli.loads(text))
    assert read == [load.PIECE_ITEMS]  # the one piece, never the 40 items


def test_a_second_byte_order_mark_is_tomli_s_refusal() -> None:
    """parse_toml removes one mark; toml-rs would skip another, tomli refuses it."""
    with pytest.raises(BacklogError):
        parse_toml("\ufeff\ufeffa = 1\n")
    assert parse_toml("\ufeffa = 1\n") == {"a": 1}


@pytest.mark.parametrize(("given", "kept"), [(None, "0"), ("1", "1")])
def test_toml_rs_s_allocator_commits_memory_as_needed_unless_the_user_says(
    given: str | None, kept: str
) -> None:
    """mimalloc's eager arena cost ~6 MB of resident memory (issue 3's peak for 10,000 items went
    over 100 MB); the loader turns it off before toml-rs loads, keeping a user's own setting."""
    env = {k: v for k, v in os.environ.items() if k != "MIMALLOC_ARENA_EAGER_COMMIT"}
    if given is not None:
        env["MIMALLOC_ARENA_EAGER_COMMIT"] = given
    code = "import os, fulcrum.backlog.load\nprint(os.environ['MIMALLOC_ARENA_EAGER_COMMIT'])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == kept


def test_dots_in_a_string_or_a_comment_are_no_deep_key_on_tomli_s_path() -> None:
    """A text tomli reads alone (here TOML 1.1's escape) is scanned for deep keys first; a value
    or a comment full of dots is no key (it replaced the file's real problems with a false one)."""
    dots = ".".join(["v"] * 70)
    text = f'esc = "\\e"\ntitle = "{dots}"  # {dots}\n[t]\nk = {{ a = "{dots}", b = 1 }}\n'
    assert parse_toml(text, "b.toml") == tomli.loads(text)
    with pytest.raises(BacklogError, match="more than 64 dotted parts"):
        parse_toml(f'esc = "\\e"\nt = {{ x = 1, {dots} = 1 }}\n', "b.toml")  # in an inline table
