"""The new text of a backlog file after edits: only the edited values change.

Two strategies, tried in order by :mod:`fulcrum.save.backlog_file`, which verifies each result by parsing it:

1. **Segments** (fast, the normal case). The text is cut at its table headers
   (:mod:`fulcrum.backlog.toml_text`); each ``[[items]]`` block (with its ``[items.*]`` sub-tables) and each
   other table is a unit. Only the units holding an edit are parsed with tomlkit, edited in
   place (:mod:`fulcrum.save.toml_edits`) and spliced back; every other byte is copied. An
   ``[items.*]`` table written after another table still belongs to the last ``[[items]]`` (TOML
   says so): it is edited where it is, and a new item goes after it, never between the two.
2. **Document** (fallback): the whole file through tomlkit, for layouts the segments cannot
   follow (items written as ``items = [ {...} ]``, say). Same edits, slower.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from pydantic import BaseModel
from tomlkit.items import AoT, Array, Table

from fulcrum.backlog import (
    Backlog,
    Item,
    Segment,
    at_content_end,
    detached,
    fix_newlines,
    join,
    moved_tables,
    newline_of,
    segments,
    tidy_end,
)
from fulcrum.save.toml_edits import (
    ITEM_ORDER,
    child,
    edit_item,
    edit_model,
    item_inline,
    item_text,
    set_value,
    table_text,
)
from fulcrum.save.toml_values import Style, Unsupported, detect_style

TABLES = ("backlog", "scoring", "review", "capacity", "plan")
KEYED_TABLES = ("metrics", "stakeholders")
ORDER = (*TABLES, *KEYED_TABLES)
#: How much of the file is read to learn its style (digit groups, sub-tables): its first tables.
STYLE_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class Op:
    """One change outside the items: edit, add or remove the table at ``path``."""

    kind: str  # "edit" | "add" | "remove"
    path: tuple[str, ...]
    old: BaseModel | None = None
    new: BaseModel | None = None


def head_ops(original: Backlog, edited: Backlog) -> list[Op]:
    """The changes to the tables that are not items, one per table."""
    ops = []
    for name in TABLES:
        a, b = getattr(original, name), getattr(edited, name)
        if a != b:
            ops.append(Op("edit", (name,), a, b))
    for name in KEYED_TABLES:
        a, b = getattr(original, name), getattr(edited, name)
        ops += [Op("remove", (name, k)) for k in a if k not in b]
        ops += [Op("edit", (name, k), a[k], b[k]) for k in a if k in b and a[k] != b[k]]
        ops += [Op("add", (name, k), None, b[k]) for k in b if k not in a]
    return ops


@dataclass(eq=False)
class _Unit:
    """A table (or an item's whole block) and what becomes of its text."""

    seg: Segment
    text: str
    item: int | None = None  # index in original.items for an [[items]] block
    ext: bool = False  # an [items.*] table written apart from its block (after another table)
    doc: Any = None  # parsed on first edit
    added: list[str] = field(default_factory=list)  # new tables written after it
    replaced: list[tuple[str, bool]] | None = None  # (text, is a new item block)
    then: list[str] = field(default_factory=list)  # new item blocks written after it

    def parsed(self) -> Any:
        if self.doc is None:
            self.doc = tomlkit.parse(self.text)
            if self.doc.as_string() != self.text:
                raise Unsupported(
                    f"the table {self.header()} is written in a form fulcrum cannot edit in place",
                    "write its values as plain key = value lines",
                )
        return self.doc

    def header(self) -> str:
        keys = ".".join(self.seg.keys)
        return f"[[{keys}]]" if self.seg.array else f"[{keys}]" if keys else "at the top of the file"

    def render(self, nl: str) -> list[tuple[str, bool]]:
        return self._own(nl) + [(t, True) for t in self.then]

    def _own(self, nl: str) -> list[tuple[str, bool]]:
        if self.replaced is not None:
            return self.replaced
        text = self.text if self.doc is None else fix_newlines(self.text, self.doc.as_string(), nl)
        if self.added:
            text = at_content_end(text, nl.join(self.added), nl)
        return [(text, False)]


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    n_items = 0
    for seg in segments(text):
        body = text[seg.start : seg.end]
        if seg.keys == ("items",) and seg.array:
            units.append(_Unit(seg, body, item=n_items))
            n_items += 1
        elif seg.keys[:1] == ("items",):
            if n_items == 0:
                raise Unsupported(
                    "an [items.*] table comes before the first [[items]] block",
                    "move it below the [[items]] block it belongs to",
                )
            if units[-1].item is None or units[-1].ext:
                # TOML adds it to the last item even after other tables: edit it where it is.
                units.append(_Unit(seg, body, item=n_items - 1, ext=True))
                continue
            last = units[-1]
            units[-1] = _Unit(
                Segment(last.seg.start, seg.end, last.seg.keys, True), last.text + body, last.item
            )
        else:
            units.append(_Unit(seg, body))
    return units


def _find(units: list[_Unit], path: tuple[str, ...]) -> tuple[_Unit, Any] | None:
    """The unit defining the table at ``path`` and its tomlkit node (header, inline or dotted)."""
    for n in range(len(path), -1, -1):
        for u in units:
            if u.item is None and u.seg.keys == path[:n] and u.text.strip():
                node: Any = u.parsed()
                for k in path:
                    node = child(node, k) if node is not None else None
                if node is not None:
                    return u, node
    return None


def _apply_head(units: list[_Unit], ops: list[Op], style: Style) -> None:
    first_item = next((i for i, u in enumerate(units) if u.item is not None), len(units))
    for op in ops:
        if op.kind == "remove":
            own = [u for u in units if u.item is None and u.seg.keys[: len(op.path)] == op.path]
            if own:
                for u in own:
                    u.replaced = [(detached(u.text), False)]
                continue
            found = _find(units, op.path[:-1])
            if found is None:
                raise Unsupported(f"cannot find the table [{'.'.join(op.path)}]")
            del found[1][op.path[-1]]
            continue
        assert op.new is not None
        found = _find(units, op.path) if op.kind == "edit" else None
        if found is None:
            # After the tables that come before it in the usual order (review after scoring).
            rank = ORDER.index(op.path[0])
            before = [
                i
                for i, u in enumerate(units[:first_item])
                if u.seg.keys[:1] and u.seg.keys[0] in ORDER[: rank + 1]
            ]
            at = before[-1] if before else max(first_item - 1, 0)
            units[at].added.append(table_text(op.path, op.new, style))
            continue
        node = found[1]
        skip = []
        for name, value in op.new:
            # A map written as its own [a.b.name] table lives in another unit.
            if isinstance(value, dict) and child(node, name) is None and value != getattr(op.old, name):
                sub = _find(units, (*op.path, name))
                if sub is not None:
                    _edit_subtable(sub[1], value, style)
                    skip.append(name)
        assert op.old is not None
        edit_model(node, op.old, op.new, style, skip)


def _edit_subtable(node: Any, value: dict[str, Any], style: Style) -> None:
    for k in list(node):
        if k not in value:
            del node[k]
    for k, v in value.items():
        set_value(node, k, v, (), style)


def _edit_block(unit: _Unit, old: Item, new: Item, style: Style, exts: list[_Unit]) -> str:
    doc = unit.parsed()
    items = doc.get("items")
    if not isinstance(items, AoT) or len(items) != 1:
        raise Unsupported("an [[items]] block that does not hold one item")
    skip = []
    for name in ITEM_ORDER:
        value = getattr(new, name)
        if value == getattr(old, name):
            continue
        # A field written (in part) as a sub-table apart from the block is edited where it is.
        parts = [
            t
            for ext in exts
            if (t := child(ext.parsed(), "items")) is not None and child(t, name) is not None
        ]
        if not parts:
            continue
        if child(items[0], name) is not None:
            parts.insert(0, items[0])
        skip.append(name)
        if len(parts) == 1:
            set_value(parts[0], name, value, ITEM_ORDER, style)
        else:
            _edit_split(parts, name, getattr(old, name), value, style)
    subs: list[str] = []
    edit_item(items[0], old, new.model_copy(update={n: getattr(old, n) for n in skip}), style, subs)
    text = fix_newlines(unit.text, doc.as_string(), style.nl)
    if subs:
        text = at_content_end(text, "".join(subs), style.nl, blank=False)
    return text


def _edit_split(parts: list[Any], name: str, old: Any, new: Any, style: Style) -> None:
    """Edit a map written in several tables (``[items.impact]`` here, ``[items.impact.mau]`` after
    another table): each key where it is written; a new key where the map has plain keys."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        raise Unsupported(f"{name} is written in several tables")
    holder: dict[str, Any] = {}
    for part in parts:
        for key in child(part, name):
            holder.setdefault(key, child(part, name))
    for key, before in old.items():
        if key not in holder:
            raise Unsupported(f"cannot find {name}.{key}")
        if key not in new:
            set_value(holder[key], key, None, (), style)
        elif new[key] != before:
            set_value(holder[key], key, new[key], (), style)
    fresh = [key for key in new if key not in old]
    if fresh:
        tables = [child(part, name) for part in parts]
        home = next((t for t in tables if any(not isinstance(child(t, k), Table) for k in t)), tables[0])
        for key in fresh:
            set_value(home, key, new[key], (), style)


def _apply_items(units: list[_Unit], original: Backlog, edited: Backlog, style: Style) -> None:
    blocks = [u for u in units if u.item is not None and not u.ext]
    exts: dict[int, list[_Unit]] = {}
    for u in units:
        if u.ext and u.item is not None:
            exts.setdefault(u.item, []).append(u)
    index = {it.id: i for i, it in enumerate(original.items)}
    kept_ids = {it.id for it in edited.items}
    kept = [it for it in edited.items if it.id in index]
    slots = [u for u in blocks if original.items[u.item or 0].id in kept_ids]
    # New items go right after the kept item that precedes them in the edited order.
    following: dict[str | None, list[Item]] = {}
    prev: str | None = None
    for it in edited.items:
        if it.id in index:
            prev = it.id
        else:
            following.setdefault(prev, []).append(it)
    by_item = {u.item: u for u in blocks}
    kept_blocks = {u.item for u in slots}
    for u in blocks:
        if u.item not in kept_blocks:
            for part in [u, *exts.get(u.item or 0, [])]:
                part.replaced = [(detached(part.text), False)]  # a deleted item keeps section comments
    for pos, (u, target) in enumerate(zip(slots, kept, strict=True)):
        src = by_item[index[target.id]]
        if src is not u and (exts.get(src.item or 0) or exts.get(u.item or 0)):
            raise Unsupported(
                f"item {target.id!r} has a table written apart from its [[items]] block (after other "
                "tables) and the edit moves the item",
                "move that table right below the item's [[items]] block",
            )
        before = original.items[index[target.id]]
        parts = exts.get(src.item or 0, [])
        text = src.text if before == target else _edit_block(src, before, target, style, parts)
        new = [*following.get(None, [])] if pos == 0 else []
        u.replaced = [(item_text(it, style), True) for it in new] + [(text, False)]
        # New items follow the item's last table, wherever it is written: a header in between
        # would give that table to the new item.
        last = parts[-1] if parts else u
        last.then += [item_text(it, style) for it in following.get(target.id, [])]
    if not slots and edited.items:
        host = ([*exts.get(blocks[-1].item or 0, [])] or blocks)[-1] if blocks else units[-1]
        host.then += [item_text(it, style) for it in edited.items]


def render_segments(text: str, original: Backlog, edited: Backlog) -> str:
    """Strategy 1: edit only the tables that change, copy every other byte."""
    nl = newline_of(text)
    style = detect_style(text[:STYLE_SAMPLE], nl)
    units = _units(text)
    if sum(u.item is not None and not u.ext for u in units) != len(original.items):
        raise Unsupported("the items are not all written as [[items]] blocks")
    _apply_head(units, head_ops(original, edited), style)
    if original.items != edited.items:
        _apply_items(units, original, edited, style)
    out = join([c for u in units for c in u.render(nl)], nl)
    return tidy_end(text, out, nl)


def render_document(text: str, original: Backlog, edited: Backlog) -> str:
    """Strategy 2: the same edits through one tomlkit document of the whole file."""
    nl = newline_of(text)
    style = detect_style(text, nl)
    doc = tomlkit.parse(text)
    tables: list[str] = []  # new tables, written at the end of the file
    for op in head_ops(original, edited):
        node: Any = doc
        for k in op.path[:-1]:
            node = child(node, k) if node is not None else None
        if node is None:
            raise Unsupported(f"cannot find the table {'.'.join(op.path[:-1])}")
        table = child(node, op.path[-1])
        if op.kind == "remove":
            set_value(node, op.path[-1], None, (), style)
        elif table is None:  # new, or a table the file leaves to its defaults
            assert op.new is not None
            tables.append(table_text(op.path, op.new, style))
        else:
            assert op.old is not None and op.new is not None
            edit_model(table, op.old, op.new, style)
    items = doc.get("items")
    appended: list[str] = []
    if original.items != edited.items:
        if items is None and original.items:
            raise Unsupported("cannot find the items")
        kept_ids = {it.id for it in edited.items}
        index = {it.id: i for i, it in enumerate(original.items)}
        kept = [it for it in edited.items if it.id in index]
        if [it.id for it in kept] != [it.id for it in original.items if it.id in kept_ids]:
            raise Unsupported(
                "the items are written as one array (items = [...]) and the edit reorders them",
                "write each item as an [[items]] block",
            )
        if edited.items[: len(kept)] != kept:
            raise Unsupported(
                "the items are written as one array (items = [...]) and the edit adds an item among them",
                "write each item as an [[items]] block",
            )
        for i in reversed(range(len(original.items))):
            if original.items[i].id not in kept_ids:
                assert items is not None
                del items[i]
        for j, it in enumerate(kept):
            before = original.items[index[it.id]]
            if before != it:
                assert items is not None
                edit_item(items[j], before, it, style, None)
        for it in edited.items[len(kept) :]:
            if isinstance(items, Array):
                items.append(tomlkit.value(item_inline(it, style)))
            else:
                appended.append(item_text(it, style))
    out = fix_newlines(text, doc.as_string(), nl)
    if moved_tables(text, out):
        # tomlkit re-renders tables written out of order (an [items.x] after another table).
        raise Unsupported("a whole-file edit would reorder the tables of this file")
    if appended or tables:
        out = join([(out, False)] + [(t, True) for t in [*appended, *tables]], nl)
    return tidy_end(text, out, nl)


STRATEGIES: tuple[tuple[str, Callable[[str, Backlog, Backlog], str]], ...] = (
    ("segments", render_segments),
    ("document", render_document),
)
