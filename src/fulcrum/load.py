"""Bytes -> Backlog, with every problem named by file, line, column, item and field.

The loader never raises anything but :class:`BacklogError` for bad input, and it reports all
problems at once: pydantic's field errors and our cross-checks (duplicate ids, dangling
references, cycles) are collected into one list of :class:`Problem`.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fulcrum.locate import Locator
from fulcrum.model import Backlog

#: Files larger than this are refused before parsing (a backlog is hand-written text).
MAX_FILE_BYTES = 20 * 1024 * 1024

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a backlog, located as precisely as we can."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None
    item: str | None = None
    """The id of the item the problem is in, when it is in one."""
    field: str = ""
    """The dotted path of the field, e.g. ``items[3].impact.mau``."""
    source_line: str | None = None
    """The text of the offending line, for a caret display."""

    def headline(self) -> str:
        """``FILE:LINE:COL: [item ID] field: message``."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where + ":"]
        if self.item:
            parts.append(f"item {self.item!r}")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        return " ".join(parts)

    def render(self) -> str:
        """The headline, then the offending line with a caret under the column."""
        out = self.headline()
        if self.source_line is not None and self.line is not None:
            text = _printable(self.source_line)
            out += f"\n    {self.line} | {text}"
            if self.column is not None:
                pad = " " * (len(str(self.line)) + 3 + min(self.column - 1, len(text)))
                out += f"\n    {pad}^"
        return out


def _printable(s: str) -> str:
    """A line made safe for a terminal: control characters shown as escapes."""
    return "".join(ch if ch == "\t" or ch.isprintable() else f"\\u{ord(ch):04x}" for ch in s)


@dataclass
class BacklogError(Exception):
    """The backlog cannot be used; ``problems`` says every reason."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.render() for p in self.problems)


def read_text(path: Path) -> str:
    """Read a backlog file as text, or raise BacklogError with one clear line."""
    name = str(path)
    try:
        if path.is_dir():
            raise BacklogError([Problem(f"{name} is a directory, not a backlog file", file=name)])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BacklogError(
                [Problem(f"the file is {size:,} bytes; a backlog is at most {MAX_FILE_BYTES:,}", file=name)]
            )
        data = path.read_bytes()
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


def parse_toml(text: str, name: str = "") -> dict[str, Any]:
    """Text -> TOML document, or BacklogError with FILE:LINE:COL and the offending line."""
    lines = text.splitlines()
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.match(msg)
        if m:
            line, col = int(m["line"]), int(m["col"])
            src = lines[line - 1] if 0 < line <= len(lines) else None
            raise BacklogError(
                [Problem(f"invalid TOML: {m['msg']}", file=name, line=line, column=col, source_line=src)]
            ) from None
        m = _TOML_EOF.match(msg)
        if m:
            msg = f"{m['msg']} (at the end of the file)"
        raise BacklogError([Problem(f"invalid TOML: {msg}", file=name, line=len(lines) or None)]) from None
    except RecursionError:
        raise BacklogError(
            [Problem("invalid TOML: arrays or tables are nested too deeply", file=name)]
        ) from None


def parse_backlog(text: str, name: str = "") -> Backlog:
    """Text of a backlog file -> validated Backlog, or BacklogError listing every problem."""
    doc = parse_toml(text, name)
    return validate_document(doc, text, name)


def load_backlog(path: str | Path) -> Backlog:
    """Read, parse and validate a backlog file."""
    p = Path(path)
    return parse_backlog(read_text(p), str(path))


def validate_document(doc: dict[str, Any], text: str = "", name: str = "") -> Backlog:
    """A parsed TOML document -> Backlog; all problems reported at once, located in ``text``."""
    locator = Locator(text)
    raw: list[tuple[Loc, str]] = []
    backlog: Backlog | None = None
    try:
        backlog = Backlog.model_validate(doc)
    except ValidationError as exc:
        raw.extend(_pydantic_problems(exc, doc))
    except RecursionError:
        raw.append(((), "the document is nested too deeply"))
    if backlog is not None:
        raw.extend(cross_check(backlog))
    elif isinstance(doc.get("items"), list):
        raw.extend(_duplicate_ids(doc["items"]))
    if raw:
        raise BacklogError([_locate(loc, msg, doc, locator, name) for loc, msg in raw])
    assert backlog is not None
    return backlog


def _pydantic_problems(exc: ValidationError, doc: dict[str, Any]) -> Iterable[tuple[Loc, str]]:
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        msg = _message(err, loc)
        if (loc, msg) not in seen:
            seen.add((loc, msg))
            yield loc, msg


def _clean_loc(loc: Sequence[Any]) -> Loc:
    """Drop pydantic's union-branch and validator labels so the loc is a path in the document."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part.startswith(("function-", "list[", "dict[", "float", "Estimate", "date", "int"))
            or part in ("str", "none", "literal['median']", "constrained-float")
        ):
            continue
        out.append(part)
    return tuple(out)


def _message(err: Any, loc: Loc) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        known = _known_fields(loc[:-1])
        hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        msg = f"unknown key {key!r}"
        if hint:
            msg += f"; did you mean {hint[0]!r}?"
        elif known:
            msg += f"; expected one of: {', '.join(sorted(known))}"
        return msg
    if kind == "missing":
        return "required but missing"
    if kind in ("float_type", "int_type", "string_type", "date_type", "bool_type", "list_type", "dict_type"):
        what = {
            "float_type": "a number",
            "int_type": "a whole number",
            "string_type": "a string",
            "date_type": "a TOML date such as 2026-12-01",
            "bool_type": "true or false",
            "list_type": "an array",
            "dict_type": "a table",
        }[kind]
        return f"expected {what}, got {_got(err.get('input'))}"
    if kind == "finite_number":
        return "must be a finite number (nan and inf are not allowed)"
    if kind == "literal_error":
        return f"got {_show(err.get('input'))}; {err['msg'][0].lower()}{err['msg'][1:]}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{err['msg'].replace('Input should be', 'must be')}, got {_show(err.get('input'))}"
    if kind == "string_too_long":
        return err["msg"].replace("String should have", "text must have")
    text: str = err["msg"]
    return text.removeprefix("Value error, ")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {_show(value)}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _known_fields(loc: Loc) -> list[str]:
    """Field names of the model that sits at ``loc`` in a Backlog document."""
    model: type[BaseModel] | None = Backlog
    i = 0
    while model is not None and i < len(loc):
        part = loc[i]
        if not isinstance(part, str) or part not in model.model_fields:
            return []
        ann = model.model_fields[part].annotation
        model, i = _inner_model(ann), i + 1
        # Collections: skip the index or key that follows.
        if model is not None and _is_collection(ann) and i < len(loc):
            i += 1
    return list(model.model_fields) if model is not None else []


def _inner_model(ann: Any) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_collection(ann: Any) -> bool:
    origin = getattr(ann, "__origin__", None)
    return origin in (list, dict)


def _duplicate_ids(items: list[Any]) -> Iterable[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    for i, it in enumerate(items):
        iid = it.get("id") if isinstance(it, dict) else None
        if isinstance(iid, str):
            if iid in seen:
                yield ("items", i, "id"), f"duplicate id {iid!r} (first used by item #{seen[iid] + 1})"
            else:
                seen[iid] = i


def cross_check(b: Backlog) -> list[tuple[Loc, str]]:
    """References between tables: ids, stakeholders, metrics, dependencies and cycles."""
    out: list[tuple[Loc, str]] = []
    out.extend(_duplicate_ids([{"id": it.id} for it in b.items]))
    ids = {it.id for it in b.items}
    metric_keys = list(b.metrics)
    people = list(b.stakeholders)
    for key, s in b.stakeholders.items():
        for m in s.weights:
            if m not in b.metrics:
                out.append((("stakeholders", key, "cares_about"), _unknown("metric", m, metric_keys)))
    for i, it in enumerate(b.items):
        for j, who in enumerate(it.requested_by):
            if who not in b.stakeholders:
                out.append((("items", i, "requested_by", j), _unknown("stakeholder", who, people)))
        for m in it.impact:
            if m not in b.metrics:
                out.append((("items", i, "impact", m), _unknown("metric", m, metric_keys)))
        for m in it.evidence:
            if m not in b.metrics and m != "effort":
                out.append((("items", i, "evidence", m), _unknown("metric", m, [*metric_keys, "effort"])))
        for j, dep in enumerate(it.depends_on):
            if dep == it.id:
                out.append((("items", i, "depends_on", j), "an item cannot depend on itself"))
            elif dep not in ids:
                out.append((("items", i, "depends_on", j), _unknown("item", dep, sorted(ids))))
        clash = set(it.fields) & (set(b.metrics) | RESERVED_NAMES)
        for key in sorted(clash):
            out.append(
                (
                    ("items", i, "fields", key),
                    f"field {key!r} repeats a metric key or a built-in name; rename it",
                )
            )
    for cycle in find_cycles(b):
        first = next(i for i, it in enumerate(b.items) if it.id == cycle[0])
        out.append((("items", first, "depends_on"), "dependency cycle: " + " -> ".join([*cycle, cycle[0]])))
    if b.scoring.method == "formula" and b.scoring.formula:
        # Checked at load time so an unknown name is named with its line, not found item by item.
        from fulcrum.formula import FormulaError, compile_formula
        from fulcrum.scoring import formula_names

        try:
            compile_formula(b.scoring.formula, formula_names(b))
        except FormulaError as exc:
            out.append((("scoring", "formula"), f"formula {b.scoring.formula!r}: {exc}"))
    return out


#: Names a formula always knows; a ``fields`` key may not repeat them.
RESERVED_NAMES = frozenset({"value", "effort", "feasibility", "confidence"})


def _unknown(kind: str, key: str, known: Sequence[str]) -> str:
    hint = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    msg = f"unknown {kind} {key!r}"
    if hint:
        return msg + f"; did you mean {hint[0]!r}?"
    if known:
        shown = ", ".join(list(known)[:12]) + (", ..." if len(known) > 12 else "")
        return msg + f" (known: {shown})"
    return msg + f" (there are no {kind}s defined)"


def find_cycles(b: Backlog) -> list[list[str]]:
    """Each dependency cycle once, as a list of ids starting from its first item in file order."""
    deps = {it.id: [d for d in it.depends_on if d != it.id] for it in b.items}
    color: dict[str, int] = {}
    cycles: list[list[str]] = []
    order = {it.id: i for i, it in enumerate(b.items)}
    for start in deps:
        if color.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                color[node] = 1
                path.append(node)
            children = [c for c in deps.get(node, []) if c in deps]
            if idx < len(children):
                stack.append((node, idx + 1))
                child = children[idx]
                if color.get(child) == 1:
                    cyc = path[path.index(child) :]
                    k = min(range(len(cyc)), key=lambda n: order[cyc[n]])
                    cycles.append(cyc[k:] + cyc[:k])
                elif not color.get(child):
                    stack.append((child, 0))
            else:
                color[node] = 2
                path.pop()
    return cycles


def _locate(loc: Loc, msg: str, doc: dict[str, Any], locator: Locator, name: str) -> Problem:
    item_id: str | None = None
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        items = doc.get("items")
        if isinstance(items, list) and 0 <= loc[1] < len(items) and isinstance(items[loc[1]], dict):
            raw_id = items[loc[1]].get("id")
            item_id = raw_id if isinstance(raw_id, str) else None
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
    )


def format_loc(loc: Loc) -> str:
    """``("items", 3, "impact", "mau")`` -> ``items[3].impact.mau`` (indexes 0-based as in TOML order)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
