"""The difference between two versions of a backlog: what the user changed, and what it did.

:func:`diff_backlogs` compares two validated backlogs: the inputs that changed (item, field,
old -> new), the items added and removed, status and decision changes, rank moves, plan changes
(entered, left, moved phase) and the change in the plan's value. Each plan change carries the
input changes that touch its item (its own, its dependencies', the prices of the metrics it moves,
the capacity of its pool), so "why did this move?" is answered next to the move.
Deterministic: the same two backlogs give the same Diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fulcrum.backlog import YOU, Backlog, Item
from fulcrum.plan import Plan, build_plan
from fulcrum.scoring import Ranking

#: Rank moves listed: every move within the top N of either version, and every move of this many places.
TOP = 10
BIG_MOVE = 3

#: Item fields reported as status and decision changes rather than as inputs.
VERDICT_FIELDS = ("status", "decision")


@dataclass(frozen=True)
class InputChange:
    """One value that differs: ``item`` None for a backlog-wide key (a metric's price, capacity)."""

    item: str | None
    field: str
    """The key's path: ``effort``, ``impact.mau``, ``metrics.mau.value_per_unit``, ``capacity.days_30``."""
    old: str
    """The old value as text ("(none)" when it was not set)."""
    new: str

    def words(self) -> str:
        where = f"{self.item}: " if self.item else ""
        if (self.old, self.new) in (("(none)", "added"), ("present", "removed")):
            return f"{where}{self.field} {self.new}"
        return f"{where}{self.field} {self.old} -> {self.new}"


@dataclass(frozen=True)
class RankMove:
    """An item whose rank changed (None: not ranked in that version)."""

    item: str
    old: int | None
    new: int | None

    @property
    def places(self) -> int:
        """Places moved up (positive) or down; 0 when it is ranked in only one version."""
        if self.old is None or self.new is None:
            return 0
        return self.old - self.new


@dataclass(frozen=True)
class PlanChange:
    """An item that entered the plan, left it, or moved phase."""

    item: str
    kind: str
    """"entered", "left" or "moved"."""
    old_phase: int | None
    new_phase: int | None
    reason: str
    """Left: why it is not planned now; otherwise ""."""
    inputs: list[InputChange] = field(default_factory=list)
    """The input changes that touch this item."""
    room: list[str] = field(default_factory=list)
    """When no input touches it: the items of its capacity pool that went the other way (they
    left or entered the plan), whose room it took or gave."""

    def words(self) -> str:
        if self.kind == "entered":
            text = f"{self.item} enters the plan at day {self.new_phase}"
        elif self.kind == "left":
            text = f"{self.item} leaves the plan (was day {self.old_phase})"
            if self.reason:
                text += f": {self.reason}"
        else:
            text = f"{self.item} moves from day {self.old_phase} to day {self.new_phase}"
        return text


@dataclass(frozen=True)
class Diff:
    """Everything that differs between ``old`` and ``new``."""

    old: Backlog
    new: Backlog
    inputs: list[InputChange]
    """Changed values of items in both versions (status and decision aside) and backlog-wide keys."""
    added: list[str]
    removed: list[str]
    verdicts: list[InputChange]
    """Status and decision changes of items in both versions."""
    rank_moves: list[RankMove]
    plan_changes: list[PlanChange]
    old_value: float
    """The old plan's first-year value."""
    new_value: float
    currency: str

    @property
    def empty(self) -> bool:
        return not (self.inputs or self.added or self.removed or self.verdicts)

    @property
    def value_change(self) -> float:
        return self.new_value - self.old_value


def diff_backlogs(
    old: Backlog,
    new: Backlog,
    *,
    today: date | None = None,
    plans: tuple[Plan, Plan] | None = None,
) -> Diff:
    """The Diff of two backlogs (ScoringError when either cannot be planned).

    Both plans start where each file says (``[backlog] start``) and are made as of ``today``;
    ``plans`` passes plans already built (old, new).
    """
    old_plan, new_plan = plans or (build_plan(old, today=today), build_plan(new, today=today))
    old_items = {it.id: it for it in old.items}
    new_items = {it.id: it for it in new.items}
    inputs: list[InputChange] = []
    verdicts: list[InputChange] = []
    for it in new.items:
        before = old_items.get(it.id)
        if before is None or before is it:
            continue
        for ch in _item_changes(before, it):
            (verdicts if ch.field in VERDICT_FIELDS else inputs).append(ch)
    inputs += _backlog_changes(old, new)
    added = [i for i in new_items if i not in old_items]
    removed = [i for i in old_items if i not in new_items]
    return Diff(
        old=old,
        new=new,
        inputs=inputs,
        added=added,
        removed=removed,
        verdicts=verdicts,
        rank_moves=rank_moves(old_plan.ranking, new_plan.ranking),
        plan_changes=plan_changes(old_plan, new_plan, inputs + verdicts),
        old_value=old_plan.objective,
        new_value=new_plan.objective,
        currency=new.backlog.currency,
    )


def rank_moves(old: Ranking, new: Ranking, top: int = TOP, big: int = BIG_MOVE) -> list[RankMove]:
    """Moves within the top ``top`` of either ranking, and every move of ``big`` places or more;
    items ranked in one version only, when they are in its top. Ordered by the new rank."""
    before = {s.id: s.rank for s in old.ranked}
    after = {s.id: s.rank for s in new.ranked}
    out = []
    for iid in [*after, *(i for i in before if i not in after)]:
        o, n = before.get(iid), after.get(iid)
        if o == n:
            continue
        in_top = (o is not None and o <= top) or (n is not None and n <= top)
        if in_top or (o is not None and n is not None and abs(o - n) >= big):
            out.append(RankMove(iid, o, n))
    return out


def plan_changes(old: Plan, new: Plan, changes: list[InputChange]) -> list[PlanChange]:
    """Items entering, leaving or moving in the plan (new plan order, then what left)."""
    before = {p.id: p.phase for p in old.planned}
    after = {p.id: p.phase for p in new.planned}
    reasons = {lt.id: lt.reason for lt in new.later}
    out = []
    for iid, phase in after.items():
        was = before.get(iid)
        if was is None:
            out.append(PlanChange(iid, "entered", None, phase, "", _touching(new, iid, changes)))
        elif was != phase:
            out.append(PlanChange(iid, "moved", was, phase, "", _touching(new, iid, changes)))
    for iid, was in before.items():
        if iid not in after:
            why = reasons.get(iid, "removed from the backlog")
            out.append(PlanChange(iid, "left", was, None, why, _touching(new, iid, changes)))
    pools = {p.id: p.pool for p in old.planned} | {p.id: p.pool for p in new.planned}
    opposite = {"entered": "left", "left": "entered"}
    return [
        PlanChange(
            pc.item,
            pc.kind,
            pc.old_phase,
            pc.new_phase,
            pc.reason,
            pc.inputs,
            [
                o.item
                for o in out
                if o.kind == opposite.get(pc.kind) and pools.get(o.item) == pools.get(pc.item)
            ]
            if not pc.inputs
            else [],
        )
        for pc in out
    ]


def _touching(plan: Plan, iid: str, changes: list[InputChange]) -> list[InputChange]:
    """The changes of this item, of what it depends on, of the metrics it moves, of its pool."""
    backlog = plan.ranking.backlog
    try:
        item = backlog.item(iid)
    except KeyError:  # removed: only its own changes could touch it, and it has none
        return []
    deps = set(item.depends_on)
    metrics = set(item.impact)
    pool = item.team or YOU
    out = []
    for ch in changes:
        if ch.item is not None:
            if ch.item == iid or ch.item in deps:
                out.append(ch)
            continue
        parts = ch.field.split(".")
        name = parts[1] if len(parts) > 1 else ""
        if (
            (parts[0] == "metrics" and name in metrics)
            or (parts[0] == "capacity" and pool == YOU)
            or (parts[0] == "teams" and name == pool)
            or parts[0] in ("scoring", "plan")
        ):
            out.append(ch)
    return out


def _item_changes(old: Item, new: Item) -> list[InputChange]:
    a = _flat(old.model_dump(mode="json", exclude={"id"}))
    b = _flat(new.model_dump(mode="json", exclude={"id"}))
    return [
        InputChange(new.id, key, _text(a.get(key)), _text(b.get(key)))
        for key in _keys(a, b)
        if a.get(key) != b.get(key)
    ]


#: Tables of named entries: one added or removed is one change, not one per key it has.
KEYED = ("metrics", "stakeholders", "teams")


def _backlog_changes(old: Backlog, new: Backlog) -> list[InputChange]:
    a_doc = old.model_dump(mode="json", exclude={"items"})
    b_doc = new.model_dump(mode="json", exclude={"items"})
    out: list[InputChange] = []
    for table in KEYED:
        a_keys, b_keys = a_doc.get(table) or {}, b_doc.get(table) or {}
        out += [InputChange(None, f"{table}.{k}", "(none)", "added") for k in b_keys if k not in a_keys]
        out += [InputChange(None, f"{table}.{k}", "present", "removed") for k in a_keys if k not in b_keys]
        for k in [k for k in b_keys if k not in a_keys]:
            del b_keys[k]
        for k in [k for k in a_keys if k not in b_keys]:
            del a_keys[k]
    a, b = _flat(a_doc), _flat(b_doc)
    changed = [
        InputChange(None, key.replace("import_", "import", 1), _text(a.get(key)), _text(b.get(key)))
        for key in _keys(a, b)
        if a.get(key) != b.get(key)
    ]
    return changed + out


def _keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The keys of both, in the order of ``a`` then the new ones of ``b``."""
    return [*a, *(k for k in b if k not in a)]


def _flat(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted paths -> leaf values; an estimate ``{low, likely, high}`` and a list are leaves;
    unset values (None, empty lists and tables) are left out, so "not set" and "empty" agree."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and set(value) != {"low", "likely", "high"}:
            out.update(_flat(value, path + "."))
        elif value is not None and value != [] and value != {} and value != "":
            out[path] = value
    return out


def _text(value: Any) -> str:
    """A value as a person reads it: ``2``, ``1 / 2 / 4``, ``a, b``, ``(none)``."""
    if value is None:
        return "(none)"
    if isinstance(value, dict) and set(value) == {"low", "likely", "high"}:
        return " / ".join(_text(value[k]) for k in ("low", "likely", "high"))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, str):
        return repr(value) if value.strip() != value or not value else value
    return str(value)
