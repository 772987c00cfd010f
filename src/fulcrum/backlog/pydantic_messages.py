"""Pydantic's validation errors -> one plain-English message per field, located by document path.

pydantic reports a wrong-typed value once per branch of a union (``"median"`` or a number) and a
bad point estimate once per end (low, likely, high); a user wants one message per field. Its loc
also carries branch labels (``literal['median']``, ``function-after[...]``) that are not part of
the document. This module removes both kinds of noise.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from fulcrum.backlog.model import MAX_MAGNITUDE, Backlog
from fulcrum.backlog.values import (
    LINE_PATTERN,
    MAX_TEXT,
    SLUG_PATTERN,
    TEXT_PATTERN,
    control_char_error,
    number_words,
    ordinal,
    slug_error,
    surrogate_error,
    too_large_error,
)

Loc = tuple[str | int, ...]

# Labels pydantic adds to a loc for union branches and validators; '[key]' marks a bad dict key.
_BRANCH = re.compile(
    r"^(?:function-|list\[|dict\[|literal\[|constrained-|tagged-union|nullable\[|is-instance\[)"
    r"|^(?:str|int|float|bool|none|date|datetime|time)$"
)
_TYPE_KINDS = {
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "a string",
    "date_type": "a TOML date such as 2026-12-01",
    "bool_type": "true or false",
    "list_type": "an array",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "estimate_type": "a number or a table with low, likely and high",
}
_ESTIMATE_ENDS = ("low", "likely", "high")

_short = reprlib.Repr()
_short.maxlevel, _short.maxstring, _short.maxother, _short.maxlist, _short.maxdict = 2, 40, 40, 4, 4


def pydantic_problems(exc: ValidationError, doc: Any, prefix: Loc = ()) -> list[tuple[Loc, str]]:
    """One message per document path (union branches merged), in pydantic's order.

    ``doc`` is what was validated; when that is a part of the document (one item), ``prefix`` is
    its path (``("items", 3)``), so every path and message is the same as for the whole document.
    """
    groups: dict[Loc, list[tuple[Any, bool]]] = {}
    for err in exc.errors(include_url=False, include_context=True, include_input=True):
        loc, branch = clean_loc(err["loc"], doc, keep_last=err["type"] == "missing")
        groups.setdefault(prefix + loc, []).append((err, branch))
    out: list[tuple[Loc, str]] = []
    for loc, errs in groups.items():
        plain = [_message(e, loc) for e, branch in errs if not branch]
        branched = [e for e, branch in errs if branch]
        if branched:
            plain.append(_union_message(branched, loc))
        for msg in dict.fromkeys(plain):
            out.append((loc, msg))
    return out


def clean_loc(loc: Sequence[Any], doc: Any, keep_last: bool = False) -> tuple[Loc, bool]:
    """pydantic's loc -> a path in the document, and whether a union-branch label was dropped.

    A part is kept when the document has it; labels the document does not have are dropped. The
    three ends of a point estimate (``mau = 1e30``) collapse into the estimate's own path.
    """
    node: Any = doc
    out: list[str | int] = []
    branch = False
    for n, part in enumerate(loc):
        if keep_last and n == len(loc) - 1:
            pass  # the name of a missing field is never a label
        elif _has(node, part):
            node = node[part]
        elif part == "[key]":
            continue
        elif isinstance(part, str) and _BRANCH.match(part) and node is not None:
            branch = True
            continue
        elif part in _ESTIMATE_ENDS and isinstance(node, (int, float)):
            continue
        else:
            node = None  # nothing below a key the document lacks
        out.append(part)
    return tuple(out), branch


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _union_message(errs: list[Any], loc: Loc) -> str:
    """A value that fits no branch: the constraint it broke, or every type it could have had."""
    constraints = [e for e in errs if e["type"] not in _TYPE_KINDS and e["type"] != "literal_error"]
    if constraints:
        return _message(constraints[0], loc)
    wanted = []
    for e in errs:
        if e["type"] == "literal_error":
            wanted.append(e["msg"].removeprefix("Input should be "))
        else:
            wanted.append(_TYPE_KINDS[e["type"]])
    return f"expected {' or '.join(dict.fromkeys(wanted))}, got {_got(errs[0].get('input'))}"


def _message(err: Any, loc: Loc) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        kind, msg = slug_error(err["input"])  # a key or id: our words, not the regex
        err = {**err, "type": kind, "msg": msg}
    elif kind == "string_pattern_mismatch":
        words = control_char_error(err["input"], str(ctx.get("pattern")))
        if words:  # a text: which control character, and where
            return words
    if kind == "string_unicode":  # a lone surrogate (no file holds one: only a program's text)
        return surrogate_error(err.get("input"))
    if kind == "extra_forbidden":
        return unknown_key(loc)
    if kind == "missing":
        if loc == ("backlog",):
            return 'required but missing: the file starts with [backlog] and title = "..."'
        return "required but missing"
    if kind in _TYPE_KINDS:
        value = err.get("input")
        huge = too_large_error(value) if kind == "float_type" else None
        if huge:  # pydantic-core cannot read it as a float: not "expected a number, got the number 1000..."
            return huge
        msg = f"expected {_TYPE_KINDS[kind]}, got {_got(value)}"
        if kind == "date_type" and isinstance(value, str):
            msg += " (write a date without quotes: due = 2026-12-01)"
        elif kind in ("float_type", "estimate_type") and isinstance(value, str):
            msg += " (write a number without quotes)"
        return msg
    if kind == "finite_number":
        return (
            f"{subject(loc)} must be a finite number (nan and inf are not allowed, nor a number too big "
            "for a float, such as 1e400)"
        )
    if kind == "literal_error":
        choices = err["msg"].removeprefix("Input should be ")
        msg = f"{subject(loc)} is {_show(err.get('input'))}; it must be {choices}"
        given = err.get("input")
        if not isinstance(given, str):
            return msg
        hint = _close_choice(given, re.findall(r"'([^']*)'", choices))
        return msg + f" (did you mean {hint!r}?)" if hint else msg
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), None)
        got = number_words(err.get("input"))
        if isinstance(limit, (int, float)) and abs(limit) == MAX_MAGNITUDE:
            return (
                f"{subject(loc)} is {got}, an absurd magnitude: numbers must be between "
                f"{-MAX_MAGNITUDE:.0e} and {MAX_MAGNITUDE:.0e} (a typo?)"
            )
        return f"{subject(loc)} is {got}; it must be {_BOUNDS[kind]} {number_words(limit)}"
    if kind == "string_too_long" and not (loc and loc[-1] == err.get("input")):
        # pydantic-core checks a text's length before its characters; a control character is named
        # first, as the format says (a key's length rule is no text's: keys are skipped)
        long_text = ctx.get("max_length") == MAX_TEXT
        words = control_char_error(err["input"], TEXT_PATTERN if long_text else LINE_PATTERN)
        if words:
            return words
    if kind in ("too_long", "string_too_long", "too_short", "string_too_short"):
        return _length_message(kind, err.get("input"), ctx, loc)
    if kind == "slug_too_long":  # a key of a table (its loc ends with it) or an id
        is_key = bool(loc) and loc[-1] == err.get("input")
        return f"the key {err['msg']}" if is_key else f"{subject(loc)} {err['msg']}"
    if kind == "date_range":
        return f"{subject(loc)} is {err['msg']}"
    text: str = err["msg"]
    return text.removeprefix("Value error, ")


_BOUNDS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def _length_message(kind: str, value: Any, ctx: dict[str, Any], loc: Loc) -> str:
    """``title is 612 characters long; the limit is 500``; ``tags has 3 entries; at least 4 are needed``."""
    what = subject(loc)
    size = len(value) if isinstance(value, (str, list, dict)) else ctx.get("actual_length")
    if isinstance(value, str):
        measure = f"is {size:,} characters long"
    else:
        measure = f"has {size:,} {'entry' if size == 1 else 'entries'}"
    if kind in ("too_long", "string_too_long"):
        return f"{what} {measure}; the limit is {ctx.get('max_length', 0):,}"
    return f"{what} {measure}; it needs at least {ctx.get('min_length', 0):,}"


def subject(loc: Loc) -> str:
    """What a message is about, in the file's words: ``title``, ``impact.mau``, ``the 2nd entry of
    tags``. The table or item it is in is named by the problem's location already."""
    parts = list(loc)
    if len(parts) >= 2 and (isinstance(parts[1], int) or parts[0] in ("metrics", "stakeholders")):
        parts = parts[2:]  # items[3]. or metrics.mau.
    elif len(parts) > 1:
        parts = parts[1:]  # backlog. or scoring.
    last = parts[-1] if parts else None
    if isinstance(last, int):
        name = ".".join(str(p) for p in parts[:-1]) or "the value"
        return f"the {ordinal(last + 1)} entry of {name}"
    return ".".join(str(p) for p in parts) or "the value"


def _close_choice(given: str, options: list[str]) -> str | None:
    """The option ``given`` was probably meant as, ignoring case ("RICE", "Done"), or None."""
    lowered = {o.lower(): o for o in options}
    close = difflib.get_close_matches(given.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def unknown_key(loc: Loc) -> str:
    """``unknown key 'tittle'; did you mean 'title'?`` for the table at ``loc[:-1]``."""
    key = str(loc[-1]) if loc else ""
    known = known_fields(loc[:-1])
    hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    msg = f"unknown key {_show(key)}"
    if hint:
        return msg + f"; did you mean {hint[0]!r}?"
    if known:
        return msg + f"; expected one of: {', '.join(sorted(known))}"
    return msg


def _show(value: Any) -> str:
    return _short.repr(value)


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
    names = {"date": "a date", "datetime": "a date and time", "time": "a time of day"}
    return names.get(type(value).__name__, type(value).__name__)


def known_fields(loc: Loc) -> list[str]:
    """Field names of the model that sits at ``loc`` in a Backlog document."""
    model: type[BaseModel] | None = Backlog
    i = 0
    while model is not None and i < len(loc):
        part = loc[i]
        info = _field(model, part)
        if info is None:
            return []
        ann = info.annotation
        model, i = _inner_model(ann), i + 1
        # Collections: skip the index or key that follows.
        if model is not None and _is_collection(ann) and i < len(loc):
            i += 1
    return file_keys(model) if model is not None else []


def file_keys(model: type[BaseModel]) -> list[str]:
    """The keys a file writes for the model's fields (a field's alias where it has one: ``import``)."""
    return [info.alias or name for name, info in model.model_fields.items()]


def _field(model: type[BaseModel], key: Any) -> Any:
    if not isinstance(key, str):
        return None
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _inner_model(ann: Any) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_collection(ann: Any) -> bool:
    return getattr(ann, "__origin__", None) in (list, dict)
