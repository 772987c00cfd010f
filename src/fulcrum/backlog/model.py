"""Pydantic models of the backlog file, format v1.1 (docs/FORMAT.md is the reference).

Models are frozen: an edit builds a new model with ``model_copy(update=...)`` and re-validates
through :func:`fulcrum.backlog.load.validate_document`. Every field carries a docstring, which the JSON
Schema inherits. The value types (text, slugs, bounded numbers, estimates) are in
:mod:`fulcrum.backlog.values`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from fulcrum.backlog.values import (
    MAX_EFFORT,
    MAX_MAGNITUDE,
    MIN_EFFORT,
    Day,
    Estimate,
    EstimateField,
    Line,
    Num,
    Slug,
    Text,
    number_words,
    quoted,
    type_name,
)
from fulcrum.formula import FORMULA_BUILTINS

Status = Literal["idea", "planned", "doing", "deferred", "done", "dropped"]
STATUSES: tuple[str, ...] = ("idea", "planned", "doing", "deferred", "done", "dropped")
Method = Literal["value_density", "rice", "ice", "wsjf", "formula"]
METHODS: tuple[str, ...] = ("value_density", "rice", "ice", "wsjf", "formula")
PHASES: tuple[int, ...] = (30, 60, 90)
#: The capacity pool of your own time (``[capacity]``); every other pool is a key of ``[teams]``.
YOU = "you"
#: Trackers an item can be imported from (``source.system``).
SYSTEMS: tuple[str, ...] = ("jira", "linear", "github")


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
    )  # field docstrings are the JSON Schema's descriptions: read by schema.py, not at every import


class BacklogMeta(_Strict):
    """The ``[backlog]`` table: what this backlog is."""

    title: Line
    """The backlog's title, shown in the header and the exported plan."""
    owner: Line = ""
    """Whose plan this is."""
    currency: Annotated[Line, Field(max_length=8)] = "USD"
    """Display only: every amount of money is per year in this currency."""
    start: Day | None = None
    """Day 1 of the 30-60-90 plan (a TOML date). Without it, `plan` starts today."""


class Scoring(_Strict):
    """The ``[scoring]`` table: how items are scored and classified."""

    method: Method = "value_density"
    """value_density | rice | ice | wsjf | formula."""
    formula: Line | None = None
    """The expression used when method = "formula"."""
    effort_half_life_weeks: Annotated[float, Field(ge=MIN_EFFORT, le=MAX_EFFORT)] = 6.0
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


class TeamCapacity(_Strict):
    """A team's ``capacity`` table: person-weeks the team can give in each phase (missing: 0)."""

    days_30: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 0.0
    """Person-weeks available in days 1-30."""
    days_60: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 0.0
    """Person-weeks available in days 31-60."""
    days_90: Annotated[float, Field(ge=0, le=MAX_EFFORT)] = 0.0
    """Person-weeks available in days 61-90."""

    def of(self, phase: int) -> float:
        """Capacity of phase 30, 60 or 90."""
        return {30: self.days_30, 60: self.days_60, 90: self.days_90}[phase]


class Team(_Strict):
    """A ``[teams.KEY]`` table: a team whose time items can use (its own capacity pool)."""

    name: Line
    """The team's name."""
    lead: Slug | None = None
    """The stakeholder key of who leads it (optional)."""
    capacity: TeamCapacity = TeamCapacity()
    """Person-weeks per phase; missing phases are 0."""


class Source(_Strict):
    """An item's ``source``: the tracker issue it was imported from."""

    system: Literal["jira", "linear", "github"]
    """The tracker: jira | linear | github."""
    key: Annotated[Line, Field(min_length=1, max_length=100)]
    """The issue's key in that tracker (PAY-123, ENG-42, 17); unique per system in a backlog."""
    url: Line = ""
    """Where the issue lives."""


class ImportConfig(_Strict):
    """The ``[import]`` table: how ``fulcrum import`` maps a tracker's issues."""

    points_per_week: Annotated[float, Field(gt=0, le=1000)] | None = None
    """Story points per person-week (effort = points / points_per_week); missing: 5 (a point is a day)."""
    status: dict[Annotated[str, Field(min_length=1, max_length=100)], Status] = {}
    """Tracker status name -> fulcrum status, on top of the built-in names (case-insensitive)."""
    tags: list[Line] | None = None
    """The labels that become tags (case-insensitive); missing: every label."""


class PlanConfig(_Strict):
    """The ``[plan]`` table."""

    early_wins: Annotated[int, Field(ge=0, le=100)] = 1
    """Quick wins the first phase must deliver, when that many fit (0: value alone decides)."""


def _metric_key(key: str) -> str:
    if key in FORMULA_BUILTINS:
        raise PydanticCustomError(
            "metric_key_builtin",
            "metric key {key} is a built-in name of formulas; rename the metric",
            {"key": quoted(key)},
        )
    return key


#: A metric key: a slug that is not a formula built-in.
MetricKey = Annotated[Slug, AfterValidator(_metric_key)]


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
    drives: dict[MetricKey, Annotated[float, Field(ge=-1e9, le=1e9)]] = {}
    """Couplings: every unit of change of this metric also changes each metric named by this many units."""
    kind: Literal["cash", "other"] = "cash"
    """"cash" (reaches the P&L) or "other" (priced, but not cash)."""


def _cares_about(value: Any) -> Any:
    if isinstance(value, list):
        for i, key in enumerate(value):
            if not isinstance(key, str):
                raise PydanticCustomError(
                    "cares_about",
                    "cares_about entry {i} should be a metric key (a string), got {got}",
                    {"i": i + 1, "got": type_name(key)},
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
                    {"key": quoted(key), "got": type_name(w)},
                )
            if not (0 <= w <= 1000) or w != w:
                raise PydanticCustomError(
                    "cares_about",
                    "the weight of {key} is {got}; it must be between 0 and 1000",
                    {"key": quoted(key), "got": number_words(w)},
                )
        return {k: float(w) for k, w in value.items()}
    raise PydanticCustomError(
        "cares_about",
        "cares_about should be a list of metric keys or a table of weights (revenue = 1.0, ...), got {got}",
        {"got": type_name(value)},
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
    met: Day | None = None
    """When you met them (listening tour); missing: not yet."""

    @property
    def weights(self) -> dict[str, float]:
        """The lens weights of this stakeholder, metric key -> weight."""
        if isinstance(self.cares_about, dict):
            return dict(self.cares_about)
        return {k: 1.0 for k in self.cares_about}


def _no_entries() -> Any:
    """A list field's default: a new empty list per model (pydantic deep-copies a ``[]`` default
    for every item that lacks the key), shown as ``[]`` in the JSON Schema."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def _no_keys() -> Any:
    """A table field's default: a new empty dict per model (as :func:`_no_entries`), ``{}`` in
    the JSON Schema."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})


class Item(_Strict):
    """An ``[[items]]`` entry: a candidate piece of work."""

    id: Slug
    """Unique slug, e.g. "cdn-images"."""
    title: Line
    """What the work is, in a line."""
    requested_by: list[Slug] = _no_entries()
    """Stakeholder keys of who asked for it."""
    effort: EstimateField
    """Person-weeks: a number, or { low, likely, high }."""
    confidence: Annotated[float, Field(ge=0, le=1)] = 1.0
    """Probability, 0..1, that the value materialises."""
    needs: list[Line] = _no_entries()
    """Other teams whose help it needs (each costs feasibility)."""
    depends_on: list[Slug] = _no_entries()
    """Item ids that must be done first."""
    excludes: list[Slug] = _no_entries()
    """Alternatives: item ids of which, with this one, the plan picks at most one (symmetric)."""
    status: Status = "idea"
    """idea | planned | doing | deferred | done | dropped."""
    owner: Line = ""
    """Who does it."""
    team: Slug | None = None
    """The key of the team whose capacity its effort uses; missing: yours ([capacity])."""
    due: Day | None = None
    """When it is due (TOML date)."""
    done_on: Day | None = None
    """When it was finished."""
    actual_effort: Annotated[float, Field(ge=0, le=MAX_EFFORT)] | None = None
    """Person-weeks it really took (done items): the plan shows it against the estimate."""
    decision: Text = ""
    """Why it was planned, deferred or dropped."""
    phase: Literal[30, 60, 90] | None = None
    """Pin to the 30, 60 or 90 day phase."""
    tags: list[Line] = _no_entries()
    """Free labels for filtering."""
    fields: dict[Slug, Num] = _no_keys()
    """Extra numbers for rice / ice / wsjf and formulas."""
    impact: dict[Slug, EstimateField] = _no_keys()
    """Change of each metric per year: metric key -> number or { low, likely, high }."""
    evidence: dict[Slug, Text] = _no_keys()
    """Where each number comes from, per metric key (or "effort")."""
    source: Source | None = None
    """The tracker issue it was imported from (``fulcrum import``)."""

    @field_validator("effort")
    @classmethod
    def _effort_positive(cls, v: Estimate) -> Estimate:
        if v.low < MIN_EFFORT:
            # 0.01 rather than "> 0": a tiny effort would make value / effort overflow to infinity.
            raise PydanticCustomError(
                "effort_positive",
                "{what} is {got} person-weeks; it must be at least {min} (about 25 minutes)",
                {
                    "what": "effort" if v.is_point else "the low end of effort",
                    "min": MIN_EFFORT,
                    "got": number_words(v.low),
                },
            )
        if v.high > MAX_EFFORT:
            raise PydanticCustomError(
                "effort_max",
                "{what} is {got} person-weeks; the limit is {max} (a hundred people for two years)",
                {
                    "what": "effort" if v.is_point else "the high end of effort",
                    "max": f"{MAX_EFFORT:,g}",
                    "got": number_words(v.high),
                },
            )
        return v


#: Where a Backlog keeps its index of items by id (a key of its ``__dict__`` that is no field).
_BY_ID = "_items_by_id"


class Backlog(_Strict):
    """A whole backlog file, format v1.1."""

    model_config = ConfigDict(populate_by_name=True)

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
    teams: dict[Slug, Team] = {}
    """Teams whose time items can use, each a capacity pool of its own."""
    metrics: dict[MetricKey, Metric] = {}
    """What the stakeholders measure, each priced in money per year."""
    stakeholders: dict[Slug, Stakeholder] = {}
    """Who asks for work and what they care about."""
    import_: ImportConfig = Field(default=ImportConfig(), alias="import")
    """How ``fulcrum import`` maps a tracker."""
    items: list[Item] = []
    """The candidate work."""

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if none); the first one when an id is repeated.

        An index by id is built on the first lookup and kept beside the fields (not one of them:
        equality, dumps and the schema ignore it). The model is frozen, so it stays true; a copy
        with other items (``model_copy(update=...)``) sees that its list is not the indexed one
        and builds its own.
        """
        cached = self.__dict__.get(_BY_ID)
        if cached is None or cached[0] is not self.items:
            index: dict[str, Item] = {}
            for it in self.items:
                index.setdefault(it.id, it)
            cached = (self.items, index)
            self.__dict__[_BY_ID] = cached
        return cached[1][item_id]

    @property
    def pools(self) -> list[str]:
        """Every capacity pool: yours ("you"), then each team's, in file order."""
        return [YOU, *self.teams]

    def pool_of(self, item: Item) -> str:
        """The pool whose capacity the item's effort uses: its team, or "you"."""
        return item.team or YOU

    def pool_capacity(self, pool: str, phase: int) -> float:
        """Person-weeks of ``pool`` in phase 30, 60 or 90 (not cumulative)."""
        if pool == YOU:
            return self.capacity.of(phase)
        return self.teams[pool].capacity.of(phase)

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
