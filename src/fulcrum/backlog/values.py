"""Value types of format v1: bounded numbers, one-line and multi-line text, slugs, estimates.

Each is an ``Annotated`` type or a small model that :mod:`fulcrum.backlog.model` builds its tables from;
the rules (which characters, which bounds) are in docs/FORMAT.md.
"""

from __future__ import annotations

import os
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Annotated, Any

#: pydantic's plugin loader: it imports ``importlib.metadata`` (with ``email``, ``zipfile``, ``csv``
#: ...) when the first model is built, to look for plugins.
_PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_plugin_search() -> None:
    """With pydantic's plugins turned off (``PYDANTIC_DISABLE_PLUGINS``, as the CLI sets it), the
    loader would only answer "no plugins" (``get_plugins() == ()``): a stand-in answers that, so
    ``importlib.metadata`` is not imported (~2% of a cold ``rank`` at 10,000 items). Any other name
    asked of it imports the real loader, so a pydantic that uses more of it still gets it."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true"):
        return
    if _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER, "pydantic's plugin loader while plugins are off")

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        import importlib

        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.__dict__.update(get_plugins=get_plugins, __getattr__=real)
    sys.modules[_PLUGIN_LOADER] = stand_in


_no_plugin_search()

from pydantic import (  # noqa: E402 (after the stand-in: the first model is built in this module)
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError  # noqa: E402

#: The largest magnitude any number in a backlog may have (money, users, deltas, baselines).
MAX_MAGNITUDE = 1e15
#: The largest effort of one item, in person-weeks (a hundred people for two years).
MAX_EFFORT = 10_000.0
#: The smallest effort (and effort half-life), in person-weeks: about 25 minutes. A smaller one
#: is a typo, and would let ``value / effort`` overflow to infinity.
MIN_EFFORT = 0.01
#: The calendar a backlog's dates live in: a plan's phases (90 days) must never run off the end of
#: Python's calendar (year 9999), and a date before 1900 is a typo.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9000, 12, 31)

#: The longest one-line text (a title, a name, a tag): Jira allows 255; display layers truncate.
MAX_LINE = 500
#: The longest free text that may span lines (a decision, a source, evidence).
MAX_TEXT = 10_000
#: The longest key or id.
MAX_SLUG = 64
#: Keys and ids: what a user types in a TOML bare key, plus '.', at most 64 characters.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BAD_LINE_CHARS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + _BIDI + "]")
_BAD_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + "]")
#: The same rules as whole-string patterns for pydantic-core's (Rust) regex.
_BIDI_RANGES = r"\x{202a}-\x{202e}\x{2066}-\x{2069}"
LINE_PATTERN = r"^[^\x00-\x08\x0a-\x1f\x7f-\x9f" + _BIDI_RANGES + "]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI_RANGES + "]*$"


def quoted(value: str) -> str:
    """A user's string shown in a message: repr (escapes control characters), cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def number_words(value: Any) -> str:
    """A number in a message, as a user reads it: 5, 1.5, 20,000, 1e+20 (anything else: repr)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return quoted(value) if isinstance(value, str) else repr(value)
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:g}"


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 23 -> "23rd"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def slug_error(value: str) -> tuple[str, str]:
    """(kind, message) for a string that is no key or id: too long, or characters outside the rule.

    ``Slug`` is checked by pydantic-core's own regex (no Python call per key: 80,000 of them in a
    10,000-item file); ``pydantic_messages`` turns its "pattern mismatch" into these words.
    """
    if len(value) > MAX_SLUG and SLUG_RE.fullmatch(value[:MAX_SLUG]):
        return (
            "slug_too_long",
            f"{quoted(value)} is {len(value)} characters long; the limit for a key or id is {MAX_SLUG}",
        )
    return "slug", (
        f"{quoted(value)} is not a valid key or id: use letters, digits, '-', '_' or '.', "
        "starting with a letter or digit, at most 64 characters"
    )


def control_char_error(value: str, pattern: str) -> str | None:
    """The message for a text that failed :data:`LINE_PATTERN` or :data:`TEXT_PATTERN`: its first
    control character and where it is. None for any other pattern."""
    chars = {LINE_PATTERN: _BAD_LINE_CHARS, TEXT_PATTERN: _BAD_TEXT_CHARS}.get(pattern)
    bad = chars.search(value) if chars is not None else None
    if bad is None:
        return None
    char, pos = _describe(bad.group()), bad.start() + 1
    return f"text contains the control character {char} at position {pos}; remove it"


def surrogate_error(value: object) -> str:
    """The message for a text pydantic-core cannot read: a lone surrogate (UTF-8 has none, TOML's
    escapes refuse them, and a save could not write one), named with its position."""
    text = value if isinstance(value, str) else ""
    pos = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
    where = f" {_describe(text[pos])} at position {pos + 1}" if pos is not None else ""
    return f"text contains a lone surrogate{where}, which no file can hold; remove it"


class _NoPatternInSchema:
    """The JSON Schema of a text without its control-character pattern (editors only need the length)."""

    @staticmethod
    def __get_pydantic_json_schema__(schema: Any, handler: Any) -> Any:
        out = handler(schema)
        out.pop("pattern", None)
        return out


#: One line of user text: no control characters (tab allowed), at most 500 characters. Both are
#: checked by pydantic-core itself (its regex, no Python call per string: 60,000 of them in a
#: 10,000-item file); ``pydantic_messages`` names the character (:func:`control_char_error`).
Line = Annotated[str, StringConstraints(max_length=MAX_LINE, pattern=LINE_PATTERN), _NoPatternInSchema()]
#: Free text that may span lines (newlines and tabs allowed), at most 10,000 characters.
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=TEXT_PATTERN), _NoPatternInSchema()]
#: A key or id: letters, digits, '-', '_', '.'.
Slug = Annotated[
    str, StringConstraints(pattern=SLUG_PATTERN), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})
]
#: A bounded finite number.
Num = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


def date_in_range(value: date) -> date:
    """``value`` when it lies between :data:`MIN_DATE` and :data:`MAX_DATE`, else the format's error."""
    if not (MIN_DATE <= value <= MAX_DATE):
        raise PydanticCustomError(
            "date_range",
            "{got}; dates must be between {low} and {high}",
            {"low": MIN_DATE.isoformat(), "high": MAX_DATE.isoformat(), "got": value.isoformat()},
        )
    return value


#: A TOML date between 1900-01-01 and 9000-12-31.
Day = Annotated[date, AfterValidator(date_in_range)]


def _number(value: Any, what: str = "a number") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError(
            "estimate_type",
            "expected a number or a table with low, likely and high, got {got}",
            {"got": type_name(value)},
        )
    return _float(value)


def _float(value: int | float) -> float:
    """A number as a float; an integer too large for one (TOML has no size limit on them) is the
    format's error, not Python's OverflowError."""
    try:
        return float(value)
    except OverflowError:
        raise PydanticCustomError("number_too_large", _TOO_LARGE, {"digits": _digits(value)}) from None


_TOO_LARGE = (
    "a number of about {digits} digits, an absurd magnitude: numbers must be between "
    "-1e+15 and 1e+15 (a typo?)"
)


def _digits(value: int | float) -> str:
    """About how many decimal digits an integer has, without printing it (a 1 MB one would take long)."""
    return f"{int(int(value).bit_length() * 0.30103) + 1:,}"


def too_large_error(value: Any) -> str | None:
    """The format's words for an integer too large to be a number at all (TOML integers have no
    size limit; a float holds up to ~1.8e308), or None for any other value."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            float(value)
        except OverflowError:
            return _TOO_LARGE.format(digits=_digits(value))
    return None


def type_name(value: Any) -> str:
    names = {
        bool: "a boolean",
        str: "a string",
        list: "an array",
        dict: "a table",
        int: "a number",
        float: "a number",
    }
    for typ, name in names.items():
        if isinstance(value, typ):
            return name
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


@contextmanager
def sharing_points() -> Iterator[None]:
    """While a file is validated, equal point estimates are one frozen object: the second ``effort
    = 2`` costs a dictionary lookup, not a model (a 10,000-item file has ~18,000 points, ~8,000
    of them distinct), and the models take less memory. Per context (a worker thread's load and
    the UI thread's edit check share nothing), gone when the load ends."""
    token = _points.set({})
    try:
        yield
    finally:
        _points.reset(token)


class Estimate(BaseModel):
    """A three-point estimate; a plain number is the point estimate low = likely = high."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)

    low: Num
    """The optimistic end (smallest value)."""
    likely: Num
    """The most likely value."""
    high: Num
    """The pessimistic end (largest value)."""

    @model_validator(mode="wrap")
    @classmethod
    def _read(cls, data: Any, handler: Any) -> Any:
        """A number is the point estimate; a table must be ordered. One Python call per estimate
        (a before and an after validator were two: 40,000 estimates in a 10,000-item file)."""
        if not isinstance(data, (dict, Estimate)):
            if isinstance(data, float) or (isinstance(data, int) and not isinstance(data, bool)):
                x = _float(data)  # _number's test, inline: called for every number of a file
            else:
                x = _number(data)
            points = _points.get()
            if points is None or not x:  # 0.0 and -0.0 are equal keys: neither is shared
                return handler({"low": x, "likely": x, "high": x})  # ordered: the three are one
            est = points.get(x)
            if est is None:  # a number out of bounds raises here, and is never kept
                est = points[x] = handler({"low": x, "likely": x, "high": x})
            return est
        est = handler(data)
        if not (est.low <= est.likely <= est.high):
            raise PydanticCustomError(
                "range_order",
                f"low <= likely <= high must hold, got low={est.low:g}, "
                f"likely={est.likely:g}, high={est.high:g}",
            )
        return est

    @property
    def is_point(self) -> bool:
        """True when the estimate is a single number."""
        return self.low == self.likely == self.high

    @property
    def expected(self) -> float:
        """The PERT mean ``(low + 4 * likely + high) / 6``."""
        low, likely, high = self.low, self.likely, self.high  # is_point, inline: read per item scored
        if low == likely == high:
            return likely
        return (low + 4 * likely + high) / 6

    @model_serializer(mode="plain")
    def _serialize(self) -> Any:
        if self.is_point:
            return _plain(self.likely)
        return {"low": _plain(self.low), "likely": _plain(self.likely), "high": _plain(self.high)}

    @classmethod
    def point(cls, value: float) -> Estimate:
        """A single-number estimate."""
        return cls(low=value, likely=value, high=value)


def _plain(x: float) -> float:
    """Write whole numbers as integers so a saved file reads as the user wrote it."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


_BOUNDED = {"type": "number", "minimum": -MAX_MAGNITUDE, "maximum": MAX_MAGNITUDE}
_ESTIMATE_SCHEMA = {
    "anyOf": [
        {**_BOUNDED, "description": "A point estimate."},
        {
            "type": "object",
            "description": "A three-point estimate, low <= likely <= high; its expected value is the "
            "PERT mean (low + 4 * likely + high) / 6.",
            "properties": {
                "low": {**_BOUNDED, "description": "The optimistic end (smallest value)."},
                "likely": {**_BOUNDED, "description": "The most likely value."},
                "high": {**_BOUNDED, "description": "The pessimistic end (largest value)."},
            },
            "required": ["low", "likely", "high"],
            "additionalProperties": False,
        },
    ]
}
#: The point estimates of the load in progress, by value (:func:`sharing_points`); None: no load.
_points: ContextVar[dict[float, Estimate] | None] = ContextVar("fulcrum_points", default=None)
#: A number or ``{low, likely, high}``.
EstimateField = Annotated[Estimate, WithJsonSchema(_ESTIMATE_SCHEMA)]
