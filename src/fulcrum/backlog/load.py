"""Bytes -> Backlog, with every problem named by file, line, column, item and field.

The loader never raises anything but :class:`BacklogError` for bad input, and it reports all
problems at once: pydantic's field errors and our cross-checks (duplicate ids, dangling
references, cycles) are collected into one list of :class:`Problem`.
"""

from __future__ import annotations

import functools
import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

# toml-rs allocates with mimalloc, which by default commits its first arena at once (~4 MB of
# resident memory a process never uses, and ~2 MB more after a parse): committed as needed instead
# (mimalloc reads its options when the library loads; a value the user set is kept).
os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
try:  # Rust: ~4x faster than tomli again; tomli stays the reference (see _loads)
    import toml_rs
except ImportError:  # pragma: no cover - toml-rs is a dependency; without it tomli parses alone
    toml_rs = None  # type: ignore[assignment]

from fulcrum.backlog.cross_checks import check_document
from fulcrum.backlog.model import Backlog, Item
from fulcrum.backlog.problems import BacklogError, Problem, item_subject, shown_path
from fulcrum.backlog.values import SLUG_RE, sharing_points
from fulcrum.cache import note_read

if TYPE_CHECKING:
    from fulcrum.backlog.positions import Locator
# pydantic_messages and positions (the error locator and its TOML scanner) are imported when a
# problem is found: a valid file needs neither.

#: Files larger than this are refused before parsing (a backlog is hand-written text).
MAX_FILE_BYTES = 20 * 1024 * 1024

Loc = tuple[str | int, ...]


def read_text(path: Path) -> str:
    """Read a backlog file as text, or raise BacklogError with one clear line."""
    name = str(path)
    try:
        if path.is_dir():
            raise BacklogError([Problem("is a directory, not a backlog file", file=name)])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BacklogError(
                [Problem(f"the file is {size:,} bytes; a backlog is at most {MAX_FILE_BYTES:,}", file=name)]
            )
        data = path.read_bytes()
        note_read(name, data)  # what a result computed from it is kept beside (fulcrum.cache)
    except FileNotFoundError:
        raise BacklogError(
            [Problem("no such file (create one with `fulcrum init`, or try `fulcrum --demo`)", file=name)]
        ) from None
    except PermissionError:
        raise BacklogError([Problem("permission denied: cannot read this file", file=name)]) from None
    except OSError as exc:
        raise BacklogError([Problem(f"cannot read the file: {exc.strerror or exc}", file=name)]) from None
    return decode(data, name)


def decode(data: bytes, name: str = "") -> str:
    """UTF-8 (a byte-order mark is accepted) -> text, or BacklogError naming the bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BacklogError(
            [
                Problem(
                    f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                    file=name,
                    line=line,
                    column=col,
                )
            ]
        ) from None


_TOML_POS = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)\s*$")
_TOML_EOF = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)\s*$")


#: More dotted parts in one key than any backlog needs (items.impact.KEY.low is 4).
MAX_KEY_PARTS = 64
#: A run of that many dotted parts where a key starts: at the start of a row (a key = value line, a
#: table header) or after ``{`` or ``,`` (an inline table). Dots in a string value or a comment are
#: no key (a title of many "v.v.v" is not refused).
_DOTTED_RUN = re.compile(
    r"""(?:^[ \t]*\[{0,2}|[{,])[ \t]*"""
    + r"""((?:(?:[A-Za-z0-9_-]+|"[^"\n]{0,100}"|'[^'\n]{0,100}')[ \t]*\.[ \t]*)"""
    + f"{{{MAX_KEY_PARTS}}})"
)


def _tomli() -> Any:
    """The reference parser, imported when a text needs it (the fast parser reads most files)."""
    try:  # mypyc-compiled: ~2.4x faster than the stdlib's copy of the same parser
        import tomli
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib parses the same TOML 1.0, slower
        import tomllib as tomli  # type: ignore[no-redef]
    return tomli


def parse_toml(text: str, name: str = "") -> dict[str, Any]:
    """Text -> TOML document, or BacklogError with FILE:LINE:COL and the offending line."""
    text = text.removeprefix("\ufeff")  # a byte-order mark is accepted (decoded text may keep it)
    try:
        return _loads(text, name)
    except ValueError as exc:  # tomli's TOMLDecodeError is one
        if not isinstance(exc, _tomli().TOMLDecodeError):
            raise
        # TOML parsers count lines by "\n" only, not by every Unicode line break.
        raise BacklogError([_toml_problem(exc, text.split("\n"), name)]) from None
    except RecursionError:
        raise BacklogError(
            [Problem("invalid TOML: arrays or tables are nested too deeply", file=name)]
        ) from None


#: Items per piece of text the fast parser reads at once (see _loads): small enough that its own
#: tree of a piece stays small and a piece's brackets stay few, large enough that calls cost nothing.
PIECE_ITEMS = 8
#: The most brackets (``[`` and ``{``) a piece may hold for the fast parser. It recurses on the C
#: stack, ~1.9 KB per level of nesting (3,000 levels crashed the main thread; a worker thread may
#: have 2 MB), and a piece nests at most as deep as it has brackets: 256 need at most ~0.5 MB, and
#: stay within what tomli reads (it stops at ~200 levels of ``[{``), so the two read the same
#: documents. 8 items hold ~100. A piece with more is tomli's.
MAX_FAST_BRACKETS = 256
#: The most dots a piece may hold for the fast parser: it reads a key of any number of dotted
#: parts (a 20 MB file of them would be ten million nested tables). 8 items hold ~50. A piece with
#: more is tomli's, once it is known to hold no key of more than :data:`MAX_KEY_PARTS` parts.
MAX_FAST_DOTS = 1_000
#: A line that opens an item, ``[[items]]``: where a backlog's text is cut into pieces.
_ITEM_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*items[ \t]*\]\]", re.MULTILINE)
#: Such a line with the newline before it: a pattern that starts with a character is searched
#: for in a fast loop, one that starts with ``^`` is tried at every position (~4x slower).
_NEXT_ITEM_HEADER = re.compile(r"\n[ \t]*\[\[[ \t]*items[ \t]*\]\]")


def _loads(text: str, name: str = "") -> dict[str, Any]:
    """The document, parsed by toml-rs when it accepts the text, else by tomli.

    tomli is the reference: a text the fast parser refuses is parsed again by tomli, whose error
    carries the line, column and words we report, or whose document is used when it accepts the
    text. The fast parser reads TOML 1.0, so it refuses a text tomli refuses, and some that tomli
    (which reads some of TOML 1.1) accepts, never the other way (``tests/backlog/test_fast_toml.py``).
    It builds its own tree of a text before the Python one (several times tomli's peak memory on a
    whole file) and recurses on the C stack, so it parses the text in pieces (:func:`_pieces`) of
    few brackets each (:func:`_fast`). tomli takes quadratic time on a key with many dotted parts,
    so those are refused before it reads a text.
    """
    if toml_rs is not None and not text.startswith("\ufeff"):  # a second mark: toml-rs would skip it
        try:
            doc = _join(_fast(piece) for piece in _pieces(text))
        except Exception:  # any refusal (or a piece that cannot be joined) goes to tomli
            doc = None
        if doc is not None:
            return doc
    _refuse_deep_keys(text, name)  # its list of lines is gone before the document is built
    whole: dict[str, Any] = _tomli().loads(text)
    return whole


def _fast(piece: str) -> dict[str, Any]:
    """One piece's document: toml-rs's (as TOML 1.0, tomli's version), or tomli's for a piece with
    more brackets or dots than toml-rs may read (:data:`MAX_FAST_BRACKETS`, :data:`MAX_FAST_DOTS`).
    Any refusal raises, and the whole text goes to tomli (its errors name the text's lines)."""
    if piece.count("[") + piece.count("{") <= MAX_FAST_BRACKETS and piece.count(".") <= MAX_FAST_DOTS:
        return toml_rs.loads(piece, toml_version="1.0.0")
    if _deepest_key_row(piece.split("\n")) is not None:
        raise ValueError("a key of too many parts: refused on the whole text's lines")
    doc: dict[str, Any] = _tomli().loads(piece)
    return doc


def _pieces(text: str) -> Iterator[str]:
    """The text cut before every :data:`PIECE_ITEMS`-th line that opens an item (the first
    piece, what comes before the first item, may be empty).

    Parsing the pieces alone reads the same document as the whole text: a ``[[items]]`` line
    starts a new item and a header resets the current table, so a piece needs nothing from the
    one before it; and where such a line is not a header (it lies inside a multi-line string or
    array), the piece before it ends inside that string or array and is refused, so the whole text
    goes to tomli. What a piece defines besides items is joined by :func:`_join`.
    """
    starts = [m.start() + 1 for m in _NEXT_ITEM_HEADER.finditer(text)]  # the lines _ITEM_HEADER finds
    if _ITEM_HEADER.match(text):  # ... but the first
        starts.insert(0, 0)
    cuts = [0, *starts[::PIECE_ITEMS], len(text)]
    for start, end in pairwise(cuts):
        yield text[start:end]


def _join(docs: Iterator[dict[str, Any]]) -> dict[str, Any] | None:
    """The pieces' documents as one; None where joining them could differ from the whole text's.

    Every piece after the first starts with an item, so its ``items`` extend the array. Any other
    key may be defined by one piece only (TOML allows ``[a.x]`` and ``[a.y]`` far apart, but
    telling which such splits are legal is the parser's job: those texts go to tomli whole), and
    the first piece may not define ``items`` at all (an inline array cannot be extended).
    """
    doc: dict[str, Any] = {}
    for n, piece in enumerate(docs):
        for key, value in piece.items():
            if key == "items" and n > 0 and isinstance(value, list) and isinstance(doc.get(key, []), list):
                doc.setdefault(key, []).extend(value)
            elif key in doc or key == "items":
                return None
            else:
                doc[key] = value
    return doc


def _refuse_deep_keys(text: str, name: str) -> None:
    """The parser takes quadratic time on a key with many dotted parts: refuse them before parsing."""
    rows = text.split("\n")
    found = _deepest_key_row(rows)
    if found is not None:
        n, column = found
        raise BacklogError(
            [
                Problem(
                    f"a key with more than {MAX_KEY_PARTS} dotted parts: tables are nested too deeply",
                    file=name,
                    line=n,
                    column=column,
                    source_line=rows[n - 1],
                )
            ]
        )


def _deepest_key_row(rows: list[str]) -> tuple[int, int] | None:
    """(line, column) of the first key of more than :data:`MAX_KEY_PARTS` dotted parts, or None."""
    if max(map(str.count, rows, repeat(".")), default=0) < MAX_KEY_PARTS:  # counted in C, row by row
        return None
    for n, row in enumerate(rows, start=1):
        if row.count(".") >= MAX_KEY_PARTS and (deep := _DOTTED_RUN.search(row)):
            return n, deep.start(1) + 1
    return None


def _toml_problem(exc: ValueError, lines: list[str], name: str) -> Problem:
    """A TOML syntax error -> Problem at its line and column (end of file: the last line)."""
    msg, line, col = getattr(exc, "msg", None), getattr(exc, "lineno", None), getattr(exc, "colno", None)
    pos, doc = getattr(exc, "pos", None), getattr(exc, "doc", None)
    if isinstance(msg, str) and isinstance(line, int) and isinstance(col, int):
        at_end = isinstance(pos, int) and isinstance(doc, str) and pos >= len(doc)
    else:  # a parser without the attributes (stdlib tomllib before 3.14): read them off the message
        msg, at_end = str(exc), False
        m = _TOML_POS.match(msg)
        if m:
            msg, line, col = m["msg"], int(m["line"]), int(m["col"])
        elif m := _TOML_EOF.match(msg):
            msg, at_end = m["msg"], True
    if at_end or line is None:
        suffix = " (at the end of the file)" if at_end else ""
        return Problem(_toml_words(msg + suffix), file=name, line=len(lines) or None)
    src = lines[line - 1] if 0 < line <= len(lines) else None
    return Problem(_toml_words(msg), file=name, line=line, column=col, source_line=src)


_TWICE = re.compile(r"^Cannot declare \((?P<keys>.*)\) twice$")
_KEY_REPR = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
_HINTS = {
    "Invalid value": 'text needs quotes (title = "..."), dates none (due = 2026-12-01)',
    "Cannot overwrite a value": "this key was already set above",
    "Invalid statement": "expected a [table] header or a key = value line",
}


def _toml_words(msg: str) -> str:
    """The parser's message in the user's terms (no Python tuples), with a hint for common slips."""
    m = _TWICE.match(msg)
    if m:
        keys = ".".join(a or b for a, b in _KEY_REPR.findall(m["keys"]))
        msg = f"the table [{keys}] is declared twice; merge the two"
    elif msg in _HINTS:
        msg = f"{msg}: {_HINTS[msg]}"
    return f"invalid TOML: {msg}"


def parse_backlog(text: str, name: str = "") -> Backlog:
    """Text of a backlog file -> validated Backlog, or BacklogError listing every problem."""
    with paused_gc():
        # The document is ours alone: validation may release each raw item once its model is built.
        return _validate(parse_toml(text, name), text, name, consume=True)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a document and its models are built (or a command runs).

    Loading makes hundreds of thousands of objects that all stay alive (and no cycles), so each
    collection it triggers walks them, and every other live object, for nothing: 10,000 items
    validate a third faster without. The previous state is restored, whoever paused it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: The bundled example backlog (``fulcrum --demo``), a package resource.
EXAMPLE = "backlog.example.toml"


def load_example() -> Backlog:
    """The bundled example backlog."""
    return parse_backlog(example_text(), EXAMPLE)


def example_text() -> str:
    """The text of the bundled example backlog."""
    from importlib import resources

    return resources.files("fulcrum").joinpath(EXAMPLE).read_text(encoding="utf-8")


def load_backlog(path: str | Path) -> Backlog:
    """Read, parse and validate a backlog file."""
    p = Path(path)
    return parse_backlog(read_text(p), str(path))


def validate_document(doc: dict[str, Any], text: str = "", name: str = "") -> Backlog:
    """A parsed TOML document -> Backlog; all problems reported at once, located in ``text``.

    The cross-checks run on the raw document even when the model rejects it, so one run names
    every problem: a wrong type in one item does not hide a dangling reference in another.
    ``doc`` is left as it was.
    """
    with paused_gc():
        return _validate(doc, text, name, consume=False)


def _validate(doc: dict[str, Any], text: str, name: str, consume: bool) -> Backlog:
    """:func:`validate_document`; with ``consume``, ``doc["items"]`` is emptied as it is read."""
    raw: list[tuple[Loc, str]] = []
    backlog: Backlog | None = None
    view = doc  # what the cross-checks and the item names are read from
    deep = False  # a part with a problem is nested deeper than any backlog (see below)
    try:
        items = doc.get("items")
        if isinstance(items, list):
            backlog, view, deep = _validate_by_item(doc, items, raw, consume)
        else:
            try:
                backlog = Backlog.model_validate(doc)
            except ValidationError as exc:
                raw.extend(_problems(exc, doc))
                deep = _deeper_than(doc, MAX_KEY_PARTS - 1)
        raw.extend(check_document(view))
    except RecursionError:
        # Deep but valid TOML (dotted keys nest without limit): say so instead of crashing.
        raw = [((), "the document is nested too deeply to be a backlog")]
    if raw:
        if deep:  # a key of more dotted parts than the format allows is named alone, as on tomli's path
            _refuse_deep_keys(text, name)
        from fulcrum.backlog.positions import Locator

        items = view.get("items")
        locator = Locator(text, len(items) if isinstance(items, list) else None)
        named = _usable_ids(items if isinstance(items, list) else [])
        located = [_locate(loc, msg, view, locator, name, named) for loc, msg in dict.fromkeys(raw)]
        # Sort by line (stable: same-line problems keep their order); file-level ones first.
        located.sort(key=lambda p: p.line or 0)
        raise BacklogError(list(dict.fromkeys(located)), held=(doc, view, locator))
    assert backlog is not None
    return backlog


def _validate_by_item(
    doc: dict[str, Any], items: list[Any], out: list[tuple[Loc, str]], consume: bool
) -> tuple[Backlog | None, dict[str, Any], bool]:
    """The tables, then one item at a time: the same problems as validating the whole document.

    Validating the whole document at once keeps every raw item alive until the last model is
    built; one at a time, a consumed item is released as its model is made, so the raw document
    and the models are never both whole in memory. Problems come in pydantic's order (fields in
    declaration order, ``items`` among them, then unknown keys). Returns the backlog (None when a
    problem was found) and the document the cross-checks read: with ``consume``, a light copy
    holding only what they need of each item; and whether a table or item with a problem nests
    as deep as a key of more than :data:`MAX_KEY_PARTS` parts makes it (read before a raw item
    is released).
    """
    head = {key: value for key, value in doc.items() if key != "items"}
    head_problems: list[tuple[Loc, str]] = []
    try:
        Backlog.model_validate({**head, "items": []})
    except ValidationError as exc:
        head_problems = _problems(exc, head)
    models: list[Item] = []
    item_problems: list[tuple[Loc, str]] = []
    refs: list[Any] = []
    with sharing_points():
        deep = _validate_items(items, models, item_problems, refs, consume)
    deep = deep or (bool(head_problems) and _deeper_than(head, MAX_KEY_PARTS - 1))
    if head_problems:
        fields = _file_keys()
        before = fields.index("items")

        def first(problem: tuple[Loc, str]) -> bool:
            head_key = problem[0][0] if problem[0] else None
            return head_key in fields and fields.index(head_key) < before

        out.extend(p for p in head_problems if first(p))
        out.extend(item_problems)
        out.extend(p for p in head_problems if not first(p))
    else:
        out.extend(item_problems)
    if consume:
        view = {**head, "items": [_model_references(r) if isinstance(r, Item) else r for r in refs]}
    else:
        view = doc
    if head_problems or item_problems:
        return None, view, deep
    # Strict models take validated Items as they are: this only checks the tables again.
    return Backlog.model_validate({**head, "items": models}), view, deep


def _validate_items(
    items: list[Any], models: list[Item], problems: list[tuple[Loc, str]], refs: list[Any], consume: bool
) -> bool:
    """The items, in batches of :data:`ITEM_BATCH`: models (or problems) appended; with
    ``consume``, each batch's raw items released and what the cross-checks read appended to ``refs``.
    True when an item with a problem nests as deep as a key of more than :data:`MAX_KEY_PARTS`
    parts makes it."""
    deep = False
    for start in range(0, len(items), ITEM_BATCH):
        end = min(start + ITEM_BATCH, len(items))
        try:  # a batch in one call; a batch with a problem again item by item, to name each
            batch: list[Item] = _item_list().validate_python(items[start:end])
        except ValidationError:
            batch = []
        if batch:
            models.extend(batch)
            if consume:
                refs.extend(batch)  # their views are made from the models, once the raw items are gone
        else:
            for i in range(start, end):
                raw = items[i]
                try:
                    model = Item.model_validate(raw)
                except ValidationError as exc:
                    problems.extend(_problems(exc, raw, prefix=("items", i)))
                    deep = deep or _deeper_than(raw, MAX_KEY_PARTS - 1)
                    if consume:
                        refs.append(_references(raw))
                else:
                    models.append(model)
                    if consume:
                        refs.append(model)
        if consume:
            items[start:end] = [None] * (end - start)  # released: their models (or problems) are kept
    return deep


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether tables and arrays nest more than ``limit`` levels deep in ``value`` (iterative)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


def _problems(exc: ValidationError, doc: Any, prefix: Loc = ()) -> list[tuple[Loc, str]]:
    """:func:`~fulcrum.backlog.pydantic_messages.pydantic_problems`, imported on the first problem."""
    from fulcrum.backlog.pydantic_messages import pydantic_problems

    return pydantic_problems(exc, doc, prefix)


def _file_keys() -> list[str]:
    from fulcrum.backlog.pydantic_messages import file_keys

    return file_keys(Backlog)


#: Items validated in one call (the per-call cost is a sixth of a small item's validation); a batch
#: keeps its raw items alive only until its models are built.
ITEM_BATCH = 256


@functools.cache
def _item_list() -> TypeAdapter[list[Item]]:
    return TypeAdapter(list[Item])


#: What the cross-checks read of an item: lists of references, and the keys of these tables.
_REFERENCE_LISTS = ("id", "requested_by", "depends_on", "excludes", "team", "source")
_REFERENCE_KEYS = ("impact", "evidence", "fields")


def _model_references(item: Item) -> dict[str, Any]:
    """:func:`_references` of a valid item: the model's own fields (its ``__dict__``, not a copy:
    the cross-checks and problem locations only read it), with ``source`` as a table."""
    fields: dict[str, Any] = item.__dict__
    return fields if item.source is None else {**fields, "source": _source_view(item)}


def _source_view(item: Item) -> dict[str, str] | None:
    return {"system": item.source.system, "key": item.source.key} if item.source else None


def _references(item: Any) -> Any:
    """The parts of a raw item the cross-checks and problem locations read (not estimates or text)."""
    if not isinstance(item, dict):
        return item
    view = {key: item[key] for key in _REFERENCE_LISTS if key in item}
    for key in _REFERENCE_KEYS:
        table = item.get(key)
        if isinstance(table, dict):
            view[key] = dict.fromkeys(table)
    return view


def cross_check(b: Backlog, focus: int | None = None) -> list[tuple[Loc, str]]:
    """References between tables of a valid backlog: ids, stakeholders, metrics, cycles, formula.

    With ``focus``, only what an edit of item ``focus`` can break, for a backlog that was checked
    clean before that one item changed (the TUI's edits): every other item keeps its id, and its
    own references (stakeholders, metrics, teams, exclusions) were checked against tables that the
    edit did not touch, so only its id, source, dependencies and field names are read (duplicates,
    cycles through the edited item, the formula's names). The problems are those of the whole check:
    ``tests/backlog/test_cross_check_focus.py`` compares the two on random edits.
    """
    return check_document(_reference_view(b, focus))


def _reference_view(b: Backlog, focus: int | None = None) -> dict[str, Any]:
    """The parts of a backlog the cross-checks read, as a plain document (cheaper than a dump)."""
    return {
        "scoring": {"method": b.scoring.method, "formula": b.scoring.formula},
        "metrics": {key: {"drives": m.drives} for key, m in b.metrics.items()},
        "stakeholders": {k: {"cares_about": list(s.weights)} for k, s in b.stakeholders.items()},
        "teams": {k: {"lead": t.lead} for k, t in b.teams.items()},
        "items": [
            _item_view(it) if focus is None or i == focus else _linked_view(it)
            for i, it in enumerate(b.items)
        ],
    }


def _item_view(it: Item) -> dict[str, Any]:
    return {
        "id": it.id,
        "requested_by": it.requested_by,
        "impact": dict.fromkeys(it.impact, 0),
        "evidence": dict.fromkeys(it.evidence, ""),
        "depends_on": it.depends_on,
        "excludes": it.excludes,
        "team": it.team,
        "source": _source_view(it),
        "fields": dict.fromkeys(it.fields, 0),
    }


def _linked_view(it: Item) -> dict[str, Any]:
    """What an edit elsewhere can collide with: the id, the source, the dependencies, field names."""
    view: dict[str, Any] = {"id": it.id, "depends_on": it.depends_on}
    if it.source is not None:
        view["source"] = _source_view(it)
    if it.fields:
        view["fields"] = it.fields
    return view


def _usable_ids(items: list[Any]) -> set[str]:
    """The ids that name one item each: valid and not repeated."""
    seen: dict[str, int] = {}
    for it in items:
        iid = it.get("id") if isinstance(it, dict) else None
        if isinstance(iid, str):
            seen[iid] = seen.get(iid, 0) + 1
    return {iid for iid, n in seen.items() if n == 1 and SLUG_RE.fullmatch(iid)}


def _locate(
    loc: Loc, msg: str, doc: dict[str, Any], locator: Locator, name: str, named: set[str] | None = None
) -> Problem:
    from fulcrum.backlog.positions import format_loc

    item_id: str | None = None
    subject = ""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        items = doc.get("items")
        if isinstance(items, list) and 0 <= loc[1] < len(items) and isinstance(items[loc[1]], dict):
            raw_id = items[loc[1]].get("id")
            item_id = raw_id if isinstance(raw_id, str) else None
        usable = item_id is not None and (item_id in named if named is not None else True)
        subject = " ".join(x for x in (item_subject(loc[1], item_id, usable), shown_path(loc[2:])) if x)
    elif loc:
        subject = shown_path(loc)
    line, col = locator.find(loc)
    src = locator.line_text(line) if line is not None else None
    return Problem(
        msg,
        file=name,
        line=line,
        column=col,
        item=item_id,
        field=format_loc(loc),
        source_line=src,
        subject=subject,
    )
