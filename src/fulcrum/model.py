"""Pydantic models of the backlog file, format v1 (see PRODUCT.md, "The backlog file").

Models are frozen: an edit builds a new model with ``model_copy(update=...)`` and re-validates
through :func:`revalidate`. Every field carries a docstring, which the JSON Schema inherits.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

#: The largest magnitude any number in a backlog may have (money, users, deltas, baselines).
MAX_MAGNITUDE = 1e15
#: The largest effort of one item, in person-weeks (a hundred people for two years).
MAX_EFFORT = 10_000.0

#: Keys and ids: what a user types in a TOML bare key, plus '.', at most 64 characters.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BAD_LINE_CHARS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f" + _BIDI + "]")
_BAD_TEXT_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + "]")

Status = Literal["idea", "planned", "doing", "done", "dropped"]
STATUSES: tuple[str, ...] = ("idea", "planned", "doing", "done", "dropped")
Method = Literal["value_density", "rice", "ice", "wsjf", "formula"]
METHODS: tuple[str, ...] = ("value_density", "rice", "ice", "wsjf", "formula")
PHASES: tuple[int, ...] = (30, 60, 90)


def _quoted(value: str) -> str:
    """A user's string shown in a message: repr (escapes control characters), cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _check_chars(value: str, pattern: re.Pattern[str], what: str) -> str:
    bad = pattern.search(value)
    if bad:
        raise PydanticCustomError(
            "text_control_char",
            "{what} contains the control character {char} at position {pos}; remove it",
            {"what": what, "char": _describe(bad.group()), "pos": bad.start() + 1},
        )
    return value


def _line_text(value: Any) -> Any:
    if isinstance(value, str):
        return _check_chars(value, _BAD_LINE_CHARS, "text")
    return value


def _long_text(value: Any) -> Any:
    if isinstance(value, str):
        return _check_chars(value, _BAD_TEXT_CHARS, "text")
    return value


def _slug(value: Any) -> Any:
    if isinstance(value, str) and not SLUG_RE.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "{value} is not a valid key or id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, at most 64 characters",
            {"value": _quoted(value)},
        )
    return value


#: One line of user text: no control characters (tab allowed), at most 200 characters.
Line = Annotated[str, BeforeValidator(_line_text), Field(max_length=200)]
#: Free text that may span lines (newlines and tabs allowed), at most 10,000 characters.
Text = Annotated[str, BeforeValidator(_long_text), Field(max_length=10_000)]
#: A key or id: letters, digits, '-', '_', '.'.
Slug = Annotated[str, BeforeValidator(_slug), WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})]
#: A bounded finite number.
Num = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


def _number(value: Any, what: str = "a number") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError(
            "estimate_type",
            "expected a number or a table with low, likely and high, got {got}",
            {"got": _type_name(value)},
        )
    return float(value)


def _type_name(value: Any) -> str:
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


class Estimate(BaseModel):
    """A three-point estimate; a plain number is the point estimate low = likely = high."""

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, allow_inf_nan=False, use_attribute_docstrings=True
    )

    low: Num
    """The optimistic end (smallest value)."""
    likely: Num
    """The most likely value."""
    high: Num
    """The pessimistic end (largest value)."""

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, (dict, Estimate)):
            return data
        x = _number(data)
        return {"low": x, "likely": x, "high": x}

    @model_validator(mode="after")
    def _ordered(self) -> Estimate:
        if not (self.low <= self.likely <= self.high):
            raise PydanticCustomError(
                "range_order",
                f"low <= likely <= high must hold, got low={self.low:g}, "
                f"likely={self.likely:g}, high={self.high:g}",
            )
        return self

    @property
    def is_point(self) -> bool:
        """True when the estimate is a single number."""
        return self.low == self.likely == self.high

    @property
    def expected(self) -> float:
        """The PERT mean ``(low + 4 * likely + high) / 6``."""
        if self.is_point:
            return self.likely
        return (self.low + 4 * self.likely + self.high) / 6

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
#: A number or ``{low, likely, high}``.
EstimateField = Annotated[Estimate, WithJsonSchema(_ESTIMATE_SCHEMA)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        use_attribute_docstrings=True,
    )


class BacklogMeta(_Strict):
    """The ``[backlog]`` table: what this backlog is."""

    title: Line
    """The backlog's title, shown in the header and the exported plan."""
    owner: Line = ""
    """Whose plan this is."""
    currency: Annotated[Line, Field(max_length=8)] = "USD"
    """Display only: every amount of money is per year in this currency."""
    start: date | None = None
    """Day 1 of the 30-60-90 plan (a TOML date). Without it, `plan` starts today."""


class Scoring(_Strict):
    """The ``[scoring]`` table: how items are scored and classified."""

    method: Method = "value_density"
    """value_density | rice | ice | wsjf | formula."""
    formula: Annotated[Line, Field(max_length=500)] | None = None
    """The expression used when method = "formula"."""
    effort_half_life_weeks: Annotated[float, Field(gt=0, le=MAX_EFFORT)] = 6.0
    """Person-weeks of effort that halve feasibility."""
    coordination_penalty: Annotated[float, Field(ge=0, lt=1)] = 0.15
    """Feasibility lost per team needed and per unfinished dependency (compounding)."""
    quick_win_min_feasibility: Annotated[float, Field(ge=0, le=1)] = 0.5
    """The feasibility at or above which an item is easy (quick win or fill-in)."""
    quick_win_min_value: Literal["median"] | Num = "median"
    """The value per year at or above which an item is valuable: "median" of ranked items, or a number."""

    @model_validator(mode="after")
    def _formula_present(self) -> Scoring:
        if self.method == "formula" and not (self.formula or "").strip():
            raise PydanticCustomError(
                "formula_missing", 'method = "formula" needs a formula, e.g. formula = "value / effort"'
            )
        return self


class Review(_Strict):
    """The ``[review]`` table: thresholds of the value-case review."""

    min_value: Annotated[float, Field(ge=0, le=MAX_MAGNITUDE)] | None = None
    """Impacts worth more than this per year need evidence; default: the top quarter of item values."""


class Capacity(_Strict):
    """The ``[capacity]`` table: person-weeks you can spend in each phase."""

    days_30: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 1.0
    """Person-weeks available in days 1-30."""
    days_60: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 3.0
    """Person-weeks available in days 31-60."""
    days_90: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 4.0
    """Person-weeks available in days 61-90."""

    def of(self, phase: int) -> float:
        """Capacity of phase 30, 60 or 90."""
        return {30: self.days_30, 60: self.days_60, 90: self.days_90}[phase]


class PlanConfig(_Strict):
    """The ``[plan]`` table."""

    early_wins: Annotated[int, Field(ge=0, le=100)] = 1
    """Quick wins the first phase must deliver, when that many fit (0: value alone decides)."""


class Metric(_Strict):
    """A ``[metrics.KEY]`` table: something a stakeholder cares about, priced in money per year."""

    label: Line
    """Human name of the metric."""
    unit: Annotated[Line, Field(max_length=40)] = ""
    """Unit of a change (users, minutes, USD/yr ...)."""
    value_per_unit: Annotated[float, Field(ge=-1e9, le=1e9)] | None = None
    """Money per year per unit of change; negative when more is worse. Missing: priced at 0."""
    baseline: Num | None = None
    """Today's level; enables relative change and sanity checks."""
    source: Text = ""
    """Where the price comes from (who told you that?)."""


def _cares_about(value: Any) -> Any:
    if isinstance(value, list):
        for i, key in enumerate(value):
            if not isinstance(key, str):
                raise PydanticCustomError(
                    "cares_about",
                    "cares_about entry {i} should be a metric key (a string), got {got}",
                    {"i": i + 1, "got": _type_name(key)},
                )
        if len(set(value)) != len(value):
            raise PydanticCustomError("cares_about", "cares_about lists a metric twice")
        return value
    if isinstance(value, dict):
        for key, w in value.items():
            if isinstance(w, bool) or not isinstance(w, (int, float)):
                raise PydanticCustomError(
                    "cares_about",
                    "the weight of {key} should be a number, got {got}",
                    {"key": _quoted(key), "got": _type_name(w)},
                )
            if not (0 <= w <= 1000) or w != w:
                raise PydanticCustomError(
                    "cares_about", "the weight of {key} should be between 0 and 1000", {"key": _quoted(key)}
                )
        return {k: float(w) for k, w in value.items()}
    raise PydanticCustomError(
        "cares_about",
        "cares_about should be a list of metric keys or a table of weights (revenue = 1.0, ...), got {got}",
        {"got": _type_name(value)},
    )


CaresAbout = Annotated[
    list[str] | dict[str, float],
    BeforeValidator(_cares_about),
    PlainSerializer(lambda v: v, return_type=Any),
]


class Stakeholder(_Strict):
    """A ``[stakeholders.KEY]`` table: a person whose metrics matter."""

    name: Line
    """The person's name."""
    role: Line = ""
    """Their role (CFO, PM, Head of Support ...)."""
    cares_about: CaresAbout = []
    """The metrics they care about: a list (weight 1 each) or a table of weights."""
    influence: Annotated[int, Field(ge=1, le=5)] = 3
    """How much their support matters, 1..5 (the listening tour meets the most influential first)."""
    met: date | None = None
    """When you met them (listening tour); missing: not yet."""

    @property
    def weights(self) -> dict[str, float]:
        """The lens weights of this stakeholder, metric key -> weight."""
        if isinstance(self.cares_about, dict):
            return dict(self.cares_about)
        return {k: 1.0 for k in self.cares_about}


class Item(_Strict):
    """An ``[[items]]`` entry: a candidate piece of work."""

    id: Slug
    """Unique slug, e.g. "cdn-images"."""
    title: Line
    """What the work is, in a line."""
    requested_by: list[Slug] = []
    """Stakeholder keys of who asked for it."""
    effort: EstimateField
    """Person-weeks: a number, or { low, likely, high }."""
    confidence: Annotated[float, Field(ge=0, le=1)] = 1.0
    """Probability, 0..1, that the value materialises."""
    needs: list[Line] = []
    """Other teams whose help it needs (each costs feasibility)."""
    depends_on: list[Slug] = []
    """Item ids that must be done first."""
    status: Status = "idea"
    """idea | planned | doing | done | dropped."""
    owner: Line = ""
    """Who does it."""
    due: date | None = None
    """When it is due (TOML date)."""
    decision: Text = ""
    """Why it was planned, deferred or dropped."""
    phase: Literal[30, 60, 90] | None = None
    """Pin to the 30, 60 or 90 day phase."""
    tags: list[Line] = []
    """Free labels for filtering."""
    fields: dict[Slug, Num] = {}
    """Extra numbers for rice / ice / wsjf and formulas."""
    impact: dict[Slug, EstimateField] = {}
    """Change of each metric per year: metric key -> number or { low, likely, high }."""
    evidence: dict[Slug, Text] = {}
    """Where each number comes from, per metric key (or "effort")."""

    @field_validator("effort")
    @classmethod
    def _effort_positive(cls, v: Estimate) -> Estimate:
        if v.low <= 0:
            raise PydanticCustomError("effort_positive", "effort must be more than 0 person-weeks")
        if v.high > MAX_EFFORT:
            raise PydanticCustomError("effort_max", f"effort must be at most {MAX_EFFORT:g} person-weeks")
        return v


class Backlog(_Strict):
    """A whole backlog file, format v1."""

    backlog: BacklogMeta
    """What this backlog is."""
    scoring: Scoring = Scoring()
    """How items are scored."""
    review: Review = Review()
    """Value-case review thresholds."""
    capacity: Capacity = Capacity()
    """Person-weeks per phase."""
    plan: PlanConfig = PlanConfig()
    """Plan options."""
    metrics: dict[Slug, Metric] = {}
    """What the stakeholders measure, each priced in money per year."""
    stakeholders: dict[Slug, Stakeholder] = {}
    """Who asks for work and what they care about."""
    items: list[Item] = []
    """The candidate work."""

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if none)."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def replace_item(self, item: Item) -> Backlog:
        """A new backlog with the item of the same id replaced (or appended when new)."""
        items = list(self.items)
        for i, it in enumerate(items):
            if it.id == item.id:
                items[i] = item
                break
        else:
            items.append(item)
        return self.model_copy(update={"items": items})
