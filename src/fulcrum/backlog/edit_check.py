"""One edited item checked as `fulcrum check` checks the whole file, in time that grows with the
edit, not with the backlog (the TUI's edits at 10,000 items).

:func:`check_edit` takes a backlog that passed the whole check and the document of one item that
replaces its item ``index`` (or is appended, ``index == len(items)``). The candidate file differs
from a clean one in that item only, so only these can be wrong: the item itself (the model), its
id (a duplicate), its source (imported twice), its own references (stakeholders, metrics, teams,
items it depends on or excludes, field names), a dependency cycle (it can only pass through the
item: the others' dependencies were acyclic and are unchanged), the formula (when a field name
it used is gone), and, when its id changed, the other items that name the old one. Each is looked
up in the backlog's tables and an index of ids, and reported by the same functions and in the
same order as the whole check (``cross_checks``), so the problems are exactly those of
``validate_document`` on the whole candidate document: ``tests/backlog/test_edit_check.py``
compares the two on random edits. The rare expensive parts (which cycles, in the order the whole
check finds them; close-match hints over every id) are computed only when there is a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from fulcrum.backlog.cross_checks import (
    _duplicate_ids,
    _duplicate_sources,
    _formula,
    _item_refs,
    _Known,
    cycles,
)
from fulcrum.backlog.model import _BY_ID, Backlog, Item
from fulcrum.backlog.positions import format_loc
from fulcrum.backlog.problems import BacklogError, Problem, item_subject, shown_path
from fulcrum.backlog.pydantic_messages import pydantic_problems
from fulcrum.backlog.values import SLUG_RE

Loc = tuple[str | int, ...]


def check_edit(backlog: Backlog, index: int, item_doc: dict[str, Any], name: str = "") -> Item:
    """The validated item for ``items[index]``, or BacklogError with every problem of the edited
    file, as :func:`fulcrum.backlog.validate_document` reports them. ``backlog`` must be clean."""
    raw: list[tuple[Loc, str]] = []
    item: Item | None = None
    try:
        item = Item.model_validate(item_doc)
    except ValidationError as exc:
        raw.extend(pydantic_problems(exc, item_doc, prefix=("items", index)))
    edit = _Edit(backlog, index, item_doc)
    raw.extend(edit.problems())
    if raw:
        located = [edit.locate(loc, msg, name) for loc, msg in dict.fromkeys(raw)]
        raise BacklogError(list(dict.fromkeys(located)))
    assert item is not None
    return item


def with_item(backlog: Backlog, index: int, item: Item) -> Backlog:
    """The backlog with ``item`` at ``index`` (appended at ``len(items)``), every other Item the
    same object; its index of items by id (``Backlog.item``) and its :func:`positions` carried
    over, not rebuilt nor compared item by item."""
    items = list(backlog.items)
    items[index : index + 1] = [item]
    _carry_positions(backlog.items, items, index, item.id)
    out = backlog.model_copy(update={"items": items})
    cached = backlog.__dict__.get(_BY_ID)
    if cached is not None and cached[0] is backlog.items:
        old = backlog.items[index] if index < len(backlog.items) else None
        if (old is None and item.id not in cached[1]) or (old is not None and cached[1].get(old.id) is old):
            by_id = dict(cached[1])
            if old is not None:
                del by_id[old.id]
            by_id.setdefault(item.id, item)
            if old is None or old.id == item.id:  # an id that changed may uncover a repeated one
                out.__dict__[_BY_ID] = (items, by_id)
    return out


class _Edit:
    """The candidate backlog: ``backlog`` with ``item_doc`` at ``index``, read through indexes."""

    def __init__(self, backlog: Backlog, index: int, item_doc: dict[str, Any]) -> None:
        self.backlog = backlog
        self.items = backlog.items
        self.index = index
        self.doc = item_doc
        self.old = self.items[index] if index < len(self.items) else None
        self.positions = positions(self.items)
        raw_id = item_doc.get("id")
        self.new_id = raw_id if isinstance(raw_id, str) else None
        # The item that now shares its id (the others' ids are unique: the backlog is clean).
        twin = self.positions.get(self.new_id) if self.new_id is not None else None
        self.twin = twin if twin is not None and twin != index else None
        self.renamed = self.old is not None and raw_id != self.old.id

    def problems(self) -> list[tuple[Loc, str]]:
        """In the whole check's order: duplicates, references item by item, cycles, the formula."""
        out: list[tuple[Loc, str]] = []
        if self.twin is not None:
            out.extend(_duplicate_ids(self._sparse({self.twin: {"id": self.new_id}})))
        source = self.doc.get("source")
        if isinstance(source, dict) and isinstance(source.get("system"), str):
            key = (source["system"], source.get("key"))
            same = {
                i: {"source": {"system": it.source.system, "key": it.source.key}}
                for i, it in enumerate(self.items)
                if i != self.index and it.source is not None and (it.source.system, it.source.key) == key
            }
            if same:
                out.extend(_duplicate_sources(self._sparse(same)))
        known = _Known(
            list(self.backlog.metrics),
            list(self.backlog.stakeholders),
            self._ids(),
            list(self.backlog.teams),
        )
        refs: dict[int, dict[str, Any]] = {self.index: self.doc}
        if self.renamed:
            assert self.old is not None
            gone = self.old.id
            for i, it in enumerate(self.items):
                if i != self.index and (gone in it.depends_on or gone in it.excludes):
                    refs[i] = it.model_dump(mode="python")
        for i in sorted(refs):
            out.extend(_item_refs(i, refs[i], known))
        if self._closes_cycle():
            out.extend(self._cycles())
        out.extend(self._formula())
        return out

    # -- the parts ---------------------------------------------------------------------------

    def _sparse(self, others: Mapping[int, dict[str, Any]]) -> list[Any]:
        """The items list with only the edited item and ``others`` in place (the rest None, which
        the cross-checks skip): their duplicate checks, at their own positions."""
        out: list[Any] = [None] * max(len(self.items), self.index + 1)
        for i, doc in others.items():
            out[i] = doc
        out[self.index] = self.doc
        return out

    def _ids(self) -> set[str]:
        """Every item id of the candidate (a number where an id should be counts as known)."""
        ids = set(self.positions)
        if self.old is not None and self.renamed and self.positions.get(self.old.id) == self.index:
            ids.discard(self.old.id)
        raw_id = self.doc.get("id")
        if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
            ids.add(str(raw_id))
        return ids

    def _deps(self, item_id: str) -> Sequence[Any]:
        """What the first item with this id depends on, in the candidate ([] for no such item)."""
        if item_id == self.new_id and (self.twin is None or self.twin > self.index):
            return self._deps_at(self.index)
        pos = self.positions.get(item_id)
        if pos is None or (self.renamed and pos == self.index):
            return []
        return self.items[pos].depends_on

    def _closes_cycle(self) -> bool:
        """Whether the edited item reaches itself through dependencies (any cycle passes by it)."""
        me = self.new_id
        if me is None or (self.twin is not None and self.twin < self.index):
            return False  # an earlier item has the id: the cycles follow that one
        seen: set[str] = set()
        stack = [d for d in self._deps(me) if isinstance(d, str) and d != me]
        while stack:
            node = stack.pop()
            if node == me:
                return True
            if node in seen or not self._exists(node):
                continue
            seen.add(node)
            stack.extend(d for d in self._deps(node) if isinstance(d, str))
        return False

    def _exists(self, item_id: str) -> bool:
        if item_id == self.new_id:
            return True
        pos = self.positions.get(item_id)
        return pos is not None and not (self.renamed and pos == self.index)

    def _cycles(self) -> Iterable[tuple[Loc, str]]:
        """Every cycle, found as the whole check finds them (their order and starting points)."""
        deps: dict[str, list[str]] = {}
        first: dict[str, int] = {}
        for i, it in enumerate(self._candidate_ids()):
            if it is not None and it not in deps:
                deps[it] = [d for d in self._deps_at(i) if isinstance(d, str)]
                first[it] = i
        for cycle in cycles(deps):
            yield ("items", first[cycle[0]], "depends_on"), "dependency cycle: " + " -> ".join(cycle)

    def _candidate_ids(self) -> list[str | None]:
        ids: list[str | None] = [it.id for it in self.items]
        if self.index < len(ids):
            ids[self.index] = self.new_id
        else:
            ids.append(self.new_id)
        return ids

    def _deps_at(self, i: int) -> Sequence[Any]:
        if i == self.index:
            deps = self.doc.get("depends_on")
            return deps if isinstance(deps, list) else []
        return self.items[i].depends_on

    def _formula(self) -> list[tuple[Loc, str]]:
        """The formula's names are every item's field names: only a name the edit removed can
        break it."""
        scoring = self.backlog.scoring
        if scoring.method != "formula":
            return []
        fields = self.doc.get("fields")
        now = set(fields) if isinstance(fields, dict) else set()
        if self.old is None or not set(self.old.fields) - now:
            return []
        others: list[Any] = [{"fields": it.fields} for i, it in enumerate(self.items) if i != self.index]
        doc = {"scoring": {"method": scoring.method, "formula": scoring.formula}}
        return _formula(doc, list(self.backlog.metrics), [*others, self.doc])

    # -- where each problem is ---------------------------------------------------------------

    def locate(self, loc: Loc, msg: str, name: str) -> Problem:
        """The Problem the whole check makes of (path, message), for a document without text."""
        item_id: str | None = None
        subject = ""
        if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
            i = loc[1]
            if i == self.index:
                item_id = self.new_id
                usable = item_id is not None and self.twin is None and bool(SLUG_RE.fullmatch(item_id))
            else:
                item_id = self.items[i].id
                usable = i != self.twin
            subject = " ".join(x for x in (item_subject(i, item_id, usable), shown_path(loc[2:])) if x)
        elif loc:
            subject = shown_path(loc)
        return Problem(msg, file=name, item=item_id, field=format_loc(loc), subject=subject)


_last: list[tuple[list[Item], dict[str, int]]] = []


def _carry_positions(before: list[Item], items: list[Item], index: int, item_id: str) -> None:
    """``positions(items)`` from ``positions(before)`` when it is known, ``items`` being ``before``
    with one item replaced by one with the same id, or one appended."""
    known = next((found for was, found in _last if was is before), None)
    if known is None:
        return
    if index < len(before) and before[index].id == item_id:
        _last[:] = [(items, known)]
    elif index == len(before):
        grown = dict(known)
        grown.setdefault(item_id, index)
        _last[:] = [(items, grown)]


def positions(items: list[Item]) -> dict[str, int]:
    """Id -> position of the first item with each id (do not change it). Kept for the last list
    it was asked for, and carried over to a list that differs from it in a few items that kept
    their ids (the next edit's backlog): a look-up per edit instead of one per item."""
    for before, index in _last:
        if before is items:
            return index
        if len(before) == len(items):
            changed = [i for i, (a, b) in enumerate(zip(before, items, strict=True)) if a is not b]
            if len(changed) <= 16 and all(before[i].id == items[i].id for i in changed):
                _last[:] = [(items, index)]
                return index
    index = {}
    for i, it in enumerate(items):
        index.setdefault(it.id, i)
    _last[:] = [(items, index)]
    return index
