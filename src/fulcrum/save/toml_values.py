"""Values rendered as TOML text in the style the user wrote them: numbers keep their form
(an integer stays one, ``100_000`` keeps its underscores), strings their quotes, ranges their
shape; and how a file writes things (:class:`Style`), so new text looks like the user's."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import tomlkit
from pydantic import BaseModel

from fulcrum.backlog import Estimate

#: Item fields that are tables of metric key -> value.
ITEM_MAPS = ("fields", "impact", "evidence")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_FLOAT_STYLE = re.compile(r"^[+-]?[0-9_]+(\.|[eE])")


class Unsupported(Exception):
    """This edit cannot be made in place here; the caller falls back to a wider rewrite.

    ``what`` says why in the user's terms; ``fix``, when there is one, what to change in the file
    so that the save works (the message the user sees when no strategy can save).
    """

    def __init__(self, what: str, fix: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix

    def message(self) -> str:
        return f"{self.what}; {self.fix}" if self.fix else self.what


@dataclass(frozen=True)
class Style:
    """How this file writes things, so new text looks like the user's."""

    nl: str = "\n"
    """The dominant line ending."""
    underscores: bool = False
    """Big integers are grouped with underscores (``100_000``)."""
    blank_before_subtables: bool = False
    """A blank line separates ``[items.impact]`` from the keys above it."""
    subtables: frozenset[str] = field(default_factory=lambda: frozenset({"impact", "evidence"}))
    """Item maps written as ``[items.NAME]`` sub-tables (the others are inline tables)."""


_MAP_HEADER = {n: re.compile(rf"(?m)^[ \t]*\[[ \t]*items[ \t]*\.[ \t]*{n}[ \t]*\]") for n in ITEM_MAPS}
_MAP_INLINE = {n: re.compile(rf"(?m)^[ \t]*{n}[ \t]*=[ \t]*\{{") for n in ITEM_MAPS}
_BLANK_BEFORE_SUB = re.compile(r"\n[ \t]*\r?\n[ \t]*\[items\.")
_TIGHT_BEFORE_SUB = re.compile(r"\n[ \t]*[^\s\[#][^\n]*\n[ \t]*\[items\.")
_GROUPED = re.compile(r"[0-9]_[0-9]{3}")


def detect_style(text: str, nl: str) -> Style:
    """Read the file's habits: digit grouping, sub-table or inline maps, blank lines."""
    subtables = set()
    for name in ITEM_MAPS:
        inline = _MAP_INLINE[name].search(text)
        if _MAP_HEADER[name].search(text) or (not inline and name != "fields"):
            subtables.add(name)
    blank = len(_BLANK_BEFORE_SUB.findall(text))
    tight = len(_TIGHT_BEFORE_SUB.findall(text))
    return Style(
        nl=nl,
        underscores=_GROUPED.search(text) is not None,
        blank_before_subtables=blank > tight,
        subtables=frozenset(subtables),
    )


# --- rendering values as TOML text ---------------------------------------------------------


def key_text(key: str) -> str:
    """A key as TOML: bare when it can be, quoted otherwise."""
    return key if _BARE_KEY.fullmatch(key) else tomlkit.string(key).as_string()


def number_text(x: float, old: str | None, underscores: bool) -> str:
    """A number in the style of ``old`` (the text it replaces): 2 stays 2, 2.0 stays 2.0."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float) and not x.is_integer():
        return repr(x)
    if abs(x) >= 2**53:
        return repr(float(x))
    n = int(x)
    group = "_" in old if old is not None else underscores and abs(n) >= 10_000
    s = f"{n:_}" if group else str(n)
    if old is not None and _FLOAT_STYLE.match(old.strip()):
        s += ".0"
    return s


def string_text(s: str, old: str | None) -> str:
    """A string as TOML: multi-line when the user wrote it so, literal if they did, else escaped."""
    old = (old or "").strip()
    if old.startswith(('"""', "'''")) and "\n" in s and "\r" not in s:
        inner = tomlkit.string(s, multiline=True).as_string()[3:-3]
        if old[3:4] in ("\n", "\r") and not inner.startswith("\n"):
            inner = "\n" + inner  # the user starts the text on the next line; TOML drops that newline
        return '"""' + inner + '"""'
    if old.startswith("'") and not old.startswith("'''") and re.fullmatch(r"[^'\x00-\x1f\x7f]*", s):
        return f"'{s}'"
    return basic_string(s)


_BASIC_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _SHORT_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def basic_string(s: str) -> str:
    """``s`` as a TOML basic string, escaped as ``tomlkit.string(s)`` writes it (the same bytes;
    tests/save checks), in one regular-expression pass: an import writes tens of thousands."""
    return '"' + _BASIC_ESCAPE.sub(_escape, s) + '"'


def estimate_text(e: Estimate, old: str | None, underscores: bool) -> str:
    """A point estimate is a number; a range is ``{ low = 1, likely = 2, high = 4 }``."""
    if e.is_point:
        return number_text(plain_number(e.likely), old, underscores)
    parts = (
        f"{k} = {number_text(plain_number(getattr(e, k)), old, underscores)}"
        for k in ("low", "likely", "high")
    )
    return "{ " + ", ".join(parts) + " }"


def model_values(model: BaseModel) -> dict[str, Any]:
    """The fields of ``model`` worth writing: required ones and those that differ from their default."""
    defaults = field_defaults(type(model))
    out = {}
    for name in type(model).model_fields:
        v = getattr(model, name)
        if v is not None and (name not in defaults or v != defaults[name]):
            out[name] = v
    return out


@functools.cache
def field_defaults(model: type[BaseModel]) -> dict[str, Any]:
    """Each optional field's default, a factory's product for a list (read once per model: pydantic
    inspects a factory's signature at every ``get_default``, ~0.2 ms each)."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def plain_number(x: float) -> float:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def value_text(v: Any, old: str | None, style: Style) -> str:
    """Any model value as TOML text, following the style of ``old`` when there is one."""
    if isinstance(v, Estimate):
        return estimate_text(v, old, style.underscores)
    if isinstance(v, bool | int | float):
        return number_text(v, old, style.underscores)
    if isinstance(v, str):
        return string_text(v, old)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        parts = [value_text(x, None, style) for x in v]
        if old is not None and "\n" in old.strip() and parts:
            indent = re.search(r"\n([ \t]*)\S", old)
            pad = indent.group(1) if indent and indent.group(1) else "    "
            return "[" + style.nl + "".join(f"{pad}{p},{style.nl}" for p in parts) + "]"
        return "[" + ", ".join(parts) + "]"
    if isinstance(v, Mapping):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{key_text(k)} = {value_text(x, None, style)}" for k, x in v.items()) + " }"
    if isinstance(v, BaseModel):
        # A small table of the format (an item's source): an inline table of its non-default keys.
        return value_text(model_values(v), None, style)
    raise Unsupported(f"cannot write a {type(v).__name__} value")
