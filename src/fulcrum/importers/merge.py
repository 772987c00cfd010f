"""Merging a tracker's issues into a backlog: matched by ``source`` (system + key), never overwritten.

The tracker owns an item's title, status, owner, tags, its blocking links (``depends_on`` entries
between items of the same tracker) and due date, and the story points kept in
``fields.story_points``; everything else is the user's: impacts, evidence, confidence, decision,
phase, requested_by, needs, comments, and the effort once it is no longer the one the import
wrote. Issues missing from a new export are reported, never deleted. docs/FORMAT.md, "Importing
from a tracker", is the reference; docs/DESIGN.md says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from fulcrum.backlog import MAX_EFFORT, Backlog, Estimate, ImportConfig, Item
from fulcrum.importers.issues import Export, Issue
from fulcrum.scoring import PLACEHOLDER_EFFORT, POINTS_FIELD

#: Story points per person-week when ``[import] points_per_week`` is not given: a point is a day.
DEFAULT_POINTS_PER_WEEK = 5.0
#: Tracker status names (case-insensitive) -> fulcrum status; ``[import] status`` comes first.
STATUS_NAMES: dict[str, str] = {
    **dict.fromkeys(["backlog", "open", "new", "triage", "icebox", "idea", "to be refined"], "idea"),
    **dict.fromkeys(
        [
            "to do",
            "todo",
            "selected for development",
            "ready",
            "ready for development",
            "planned",
            "unstarted",
            "next",
        ],
        "planned",
    ),
    **dict.fromkeys(
        [
            "in progress",
            "in review",
            "in development",
            "started",
            "review",
            "code review",
            "in qa",
            "testing",
            "blocked",
            "doing",
        ],
        "doing",
    ),
    **dict.fromkeys(["done", "closed", "resolved", "completed", "complete", "released", "shipped"], "done"),
    **dict.fromkeys(
        [
            "canceled",
            "cancelled",
            "won't do",
            "won't fix",
            "wont do",
            "duplicate",
            "not planned",
            "rejected",
            "declined",
        ],
        "dropped",
    ),
}
#: Statuses a user's decision in fulcrum sets; kept while the tracker only says idea or planned.
_DECIDED = ("planned", "deferred", "dropped")


@dataclass(frozen=True)
class Change:
    """What an import does to one item."""

    id: str
    key: str
    title: str
    fields: tuple[str, ...] = ()
    """For an update: one ``field: old -> new`` line per changed field."""


@dataclass
class Report:
    """What a merge did, for the user: added, updated, missing, and notes."""

    system: str
    added: list[Change] = field(default_factory=list)
    updated: list[Change] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Change] = field(default_factory=list)
    """Items of this tracker whose issue is not in the export (kept as they are)."""
    notes: list[str] = field(default_factory=list)


def points_per_week(config: ImportConfig) -> float:
    return config.points_per_week or DEFAULT_POINTS_PER_WEEK


def effort_of(points: float | None, config: ImportConfig) -> float:
    """The effort the import gives: points / points_per_week (2 decimals, within the format's
    bounds), or the placeholder when there are no points."""
    if points is None:
        return PLACEHOLDER_EFFORT
    return min(max(round(points / points_per_week(config), 2), 0.01), MAX_EFFORT)


def status_of(name: str, config: ImportConfig) -> str | None:
    """The fulcrum status of a tracker status name; None when it is unknown."""
    own = {k.casefold(): v for k, v in config.status.items()}
    folded = name.strip().casefold()
    return own.get(folded) or STATUS_NAMES.get(folded)


def _slug_of(key: str, system: str) -> str:
    if system == "github":
        repo, _, number = key.rpartition("#")
        base = f"{repo.rpartition('/')[2]}-{number}" if repo else f"gh-{number}"
    else:
        base = key
    slug = re.sub(r"[^a-z0-9_.-]+", "-", base.lower()).strip("-._")
    return slug[:56] or "issue"


def _fresh_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _tags(issue: Issue, config: ImportConfig) -> list[str]:
    if config.tags is None:
        return list(issue.labels)
    wanted = {t.casefold() for t in config.tags}
    return [label for label in issue.labels if label.casefold() in wanted]


def _tracker_effort(item: Item, config: ImportConfig) -> bool:
    """True while the item's effort is still the one the import wrote (so the tracker may change it)."""
    old = item.fields.get(POINTS_FIELD)
    if not item.effort.is_point or item.effort.likely != effort_of(old, config):
        return False
    return old is not None or "effort" not in item.evidence


def merge(backlog: Backlog, export: Export) -> tuple[Backlog, Report]:
    """The backlog with the export's issues merged in, and what changed. Pure."""
    config = backlog.import_
    system = export.system
    report = Report(system, notes=list(export.notes))
    by_key = {
        it.source.key: i for i, it in enumerate(backlog.items) if it.source and it.source.system == system
    }
    items = list(backlog.items)
    taken = {it.id for it in items}
    unknown: dict[str, int] = {}
    for issue in export.issues:
        status = status_of(issue.status, config)
        if status is None:
            unknown[issue.status] = unknown.get(issue.status, 0) + 1
            status = "idea"
        if issue.key in by_key:
            i = by_key[issue.key]
            items[i] = _update(items[i], issue, status, config)
        else:
            new = _new_item(issue, _fresh_id(_slug_of(issue.key, system), taken), status, system, config)
            if new is None:
                report.notes.append(f"{issue.key}: left out: its values do not fit the backlog format")
                continue
            by_key[issue.key] = len(items)
            items.append(new)
    for name, n in sorted(unknown.items()):
        issues = f"{n} issue{'s' if n != 1 else ''}"
        if not name:  # no status in the export (no such column, or empty cells): nothing to map
            report.notes.append(f"{issues} without a status in the export: imported as idea")
            continue
        shown = name
        report.notes.append(
            f"status {shown!r} ({issues}) is not one fulcrum knows: imported as "
            f'idea; map it in [import] status, e.g. status = {{ {_toml_key(shown)} = "doing" }}'
        )
    kept = Export(system, [issue for issue in export.issues if issue.key in by_key])
    items = _link(items, kept, by_key, system, report)
    own = [
        items[by_key[issue.key]].id
        for issue in kept.issues
        if issue.points is not None and not _tracker_effort(items[by_key[issue.key]], config)
    ]
    if own:
        more = f" and {len(own) - 8:,} more" if len(own) > 8 else ""
        report.notes.append(
            f"{len(own):,} {'items keep' if len(own) != 1 else 'item keeps'} an effort of its own, "
            f"not story points / points_per_week ({points_per_week(config):g}): "
            f"{', '.join(own[:8])}{more} (an effort you estimated, or one written with another "
            "points_per_week)"
        )
    in_export = {issue.key for issue in export.issues}
    for old, new in zip(backlog.items, items, strict=False):
        if old != new:
            report.updated.append(Change(new.id, _key(new), new.title, tuple(_diff(old, new))))
        elif old.source and old.source.system == system:
            if old.source.key in in_export:
                report.unchanged += 1
            else:
                report.missing.append(Change(old.id, old.source.key, old.title))
    for new in items[len(backlog.items) :]:
        report.added.append(Change(new.id, _key(new), new.title))
    merged = backlog if items == list(backlog.items) else backlog.model_copy(update={"items": items})
    return merged, report


def _key(item: Item) -> str:
    return item.source.key if item.source else ""


def _toml_key(name: str) -> str:
    return (
        name
        if re.fullmatch(r"[A-Za-z0-9_-]+", name)
        else '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    )


def _new_item(issue: Issue, item_id: str, status: str, system: str, config: ImportConfig) -> Item | None:
    """The new item of an issue; None if it would not be valid (the readers clean every text, so
    this is a safety net, never expected)."""
    doc: dict[str, Any] = {
        "id": item_id,
        "title": issue.title,
        "effort": effort_of(issue.points, config),
        "status": status,
        "owner": issue.owner,
        "tags": _tags(issue, config),
        "source": {"system": system, "key": issue.key, "url": issue.url},
        "fields": {} if issue.points is None else {POINTS_FIELD: issue.points},
        # Given, not defaulted: pydantic deep-copies a mutable default, the most of building an item.
        **{name: [] for name in _EMPTY_LISTS},
        **{name: {} for name in _EMPTY_MAPS},
    }
    if issue.due is not None:
        doc["due"] = issue.due
    try:
        return Item.model_validate(doc)
    except ValidationError:
        return None


_EMPTY_LISTS = ("requested_by", "needs", "depends_on", "excludes")
_EMPTY_MAPS = ("impact", "evidence")


def _update(item: Item, issue: Issue, status: str, config: ImportConfig) -> Item:
    update: dict[str, Any] = {}
    if item.decision.strip() and item.status in _DECIDED and status in ("idea", "planned"):
        status = item.status  # the user's decision stands until the tracker starts or ends the work
    fields = dict(item.fields)
    fields.pop(POINTS_FIELD, None)
    if issue.points is not None:
        fields[POINTS_FIELD] = issue.points
    if _tracker_effort(item, config):
        effort = effort_of(issue.points, config)
        if effort != item.effort.likely:
            update["effort"] = Estimate(low=effort, likely=effort, high=effort)
    wanted: dict[str, Any] = {
        "title": issue.title,
        "status": status,
        "owner": issue.owner,
        "tags": _tags(issue, config),
        "due": issue.due,
        "fields": fields,
    }
    if item.source is not None and issue.url and item.source.url != issue.url:
        wanted["source"] = item.source.model_copy(update={"url": issue.url})
    for name, value in wanted.items():
        if getattr(item, name) != value:
            update[name] = value
    return item.model_copy(update=update) if update else item


def _link(
    items: list[Item], export: Export, by_key: Mapping[str, int], system: str, report: Report
) -> list[Item]:
    """Each imported item's ``depends_on``: the user's entries, then the tracker's blocking links
    between items of the backlog; a link that would close a cycle is left out (and said so)."""
    wanted: dict[int, list[int]] = {}
    outside = 0
    for issue in export.issues:
        me = by_key[issue.key]
        for other in issue.depends_on:
            if other in by_key:
                wanted.setdefault(me, []).append(by_key[other])
            else:
                outside += 1
        for other in issue.blocks:
            if other in by_key:
                wanted.setdefault(by_key[other], []).append(me)
            else:
                outside += 1
    if outside:
        report.notes.append(
            f"{outside} blocking link{'s' if outside != 1 else ''} to issues not in the backlog left out"
        )
    tracker_ids = {items[i].id for i in by_key.values()}
    ids = [it.id for it in items]
    index = {it_id: i for i, it_id in enumerate(ids)}
    mine = {by_key[issue.key] for issue in export.issues}
    # The links that stay as they are: every link of an item not in the export, and the user's
    # links (those not between two items of this tracker) of the others.
    graph: dict[int, list[int]] = {}
    for i, it in enumerate(items):
        fixed = [index[d] for d in it.depends_on if d in index and (i not in mine or d not in tracker_ids)]
        if fixed:
            graph[i] = fixed
    result: dict[int, list[str]] = {}
    for i in sorted(mine):
        it = items[i]
        kept: list[int] = []
        for j in dict.fromkeys(j for j in wanted.get(i, []) if j != i):
            if _reaches(graph, j, i):
                report.notes.append(
                    f"{_key(it)} waits for {_key(items[j])}, which (through other links) waits for it: "
                    "that link is left out"
                )
                continue
            graph.setdefault(i, []).append(j)
            kept.append(j)
        tracker = {ids[j] for j in kept}
        deps = [d for d in it.depends_on if d not in tracker_ids or d in tracker]
        deps += [ids[j] for j in kept if ids[j] not in deps]
        result[i] = deps
    out = list(items)
    for i, deps in result.items():
        if deps != out[i].depends_on:
            out[i] = out[i].model_copy(update={"depends_on": deps})
    return out


def _reaches(graph: Mapping[int, Iterable[int]], start: int, goal: int) -> bool:
    """True when ``goal`` is reachable from ``start`` along the dependency edges."""
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in graph.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _shown(value: Any) -> str:
    if isinstance(value, Estimate):
        return f"{value.likely:g}" if value.is_point else f"{value.low:g}/{value.likely:g}/{value.high:g}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value is None:
        return "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return str(value)


def _diff(old: Item, new: Item) -> list[str]:
    out = []
    for name in type(new).model_fields:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            if name == "fields":
                a, b = a.get(POINTS_FIELD), b.get(POINTS_FIELD)
                name = f"fields.{POINTS_FIELD}"
            if name == "source":
                a, b = a.url if a else "", b.url if b else ""
                name = "source.url"
            out.append(f"{name}: {_shown(a)} -> {_shown(b)}")
    return out
