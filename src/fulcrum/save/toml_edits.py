"""Targeted edits of tomlkit documents: change a value and nothing around it.

Every new value is rendered as TOML text in the style the user wrote the old one (an integer stays
an integer, ``100_000`` keeps its underscores, a range stays an inline table or a sub-table) and
parsed back with ``tomlkit.value`` so tomlkit keeps the key, its spacing and its trailing comment.
New keys are inserted after the nearest existing key in the model's field order, with the
indentation and line ending of that neighbour (tomlkit's own insertion adds blank lines and LF
endings, which would change lines nobody edited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tomlkit
from pydantic import BaseModel
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.items import AoT, InlineTable, Item, Table, Whitespace

from fulcrum.backlog import Estimate
from fulcrum.backlog import Item as BacklogItem
from fulcrum.save.toml_values import (
    ITEM_MAPS,
    Style,
    Unsupported,
    field_defaults,
    key_text,
    number_text,
    plain_number,
    value_text,
)

#: Fields of an item in the order a new item is written (and new keys are placed).
ITEM_ORDER: tuple[str, ...] = tuple(BacklogItem.model_fields)

Node = Table | InlineTable | Container | OutOfOrderTableProxy


# --- reading and changing tomlkit nodes ------------------------------------------------------


def _container(node: Node) -> Container | None:
    if isinstance(node, Table | InlineTable):
        return node.value
    if isinstance(node, Container):
        return node
    return None


def child(node: Node, key: str) -> Any:
    """The tomlkit item under ``key`` (a proxy for a table split by dotted keys), or None."""
    if key not in node:
        return None
    c = _container(node)
    return c.item(key) if c is not None else node[key]


def raw(item: Any) -> str | None:
    """The text the user wrote for a value (None for tables)."""
    if isinstance(item, Item) and not isinstance(item, Table | AoT):
        return item.as_string()
    return None


def _is_structured(item: Any) -> bool:
    return isinstance(item, Table | InlineTable | OutOfOrderTableProxy)


def _line_end(trail: str, nl: str) -> str:
    return "\r\n" if "\r\n" in trail else "\n" if "\n" in trail else nl


def insert(node: Node, key: str, text: str, order: Sequence[str], nl: str) -> None:
    """Add ``key = text`` after the nearest key that comes before it in ``order``."""
    item = tomlkit.value(text)
    c = _container(node)
    if c is None or isinstance(node, InlineTable):
        node[key] = item
        return
    rank = {k: i for i, k in enumerate(order)}
    mine = rank.get(key, len(order))
    plain = [
        (i, k)
        for i, (k, v) in enumerate(c.body)
        if k is not None and not k.is_dotted() and not isinstance(v, Table | AoT)
    ]
    if not plain:
        item.trivia.trail = nl
        node[key] = item
        return
    before = [(i, k) for i, k in plain if rank.get(k.key, len(order)) <= mine]
    at, anchor = before[-1] if before else plain[0]
    near = c.body[at][1].trivia
    item.trivia.indent = near.indent.rsplit("\n", 1)[-1]
    item.trivia.trail = _line_end(near.trail, nl)
    if before:
        c._insert_after(anchor, key, item)
    else:
        c._insert_at(at, key, item)


def set_value(node: Node, key: str, value: Any, order: Sequence[str], style: Style) -> None:
    """Make ``key`` hold ``value`` (None deletes it), changing as little text as possible."""
    dotted = dotted_entries(node, key)
    if dotted:
        set_dotted(node, key, dotted, value, style)
        return
    old = child(node, key)
    if value is None:
        if old is not None:
            del node[key]
        return
    if old is None:
        insert(node, key, value_text(value, None, style), order, style.nl)
        return
    if _is_structured(old):
        # A range written as a table stays one, even as a single number (low = likely = high):
        # a table cannot become a plain key where it is written (after other tables, say).
        if isinstance(value, Estimate) and (not value.is_point or not isinstance(old, InlineTable)):
            for part in ("low", "likely", "high"):
                x = getattr(value, part)
                if _plain(child(old, part)) != (x, x, x):
                    set_value(old, part, plain_number(x), (), style)
            return
        if isinstance(value, Mapping):
            edit_map(node, key, value, style, order)
            return
        likely = child(old, "likely") if isinstance(value, Estimate) else None
        node[key] = tomlkit.value(value_text(value, raw(likely), style))
        return
    node[key] = tomlkit.value(value_text(value, raw(old), style))


def edit_map(
    node: Node, key: str, new: Mapping[str, Any], style: Style, order: Sequence[str] = ITEM_ORDER
) -> None:
    """Make the table under ``key`` hold ``new``: change, add and remove entries one by one."""
    dotted = dotted_entries(node, key)
    if dotted:
        set_dotted(node, key, dotted, new, style)
        return
    table = child(node, key)
    if table is None:
        if new:
            insert(node, key, value_text(new, None, style), order, style.nl)
        return
    if not _is_structured(table):
        node[key] = tomlkit.value(value_text(new, raw(table), style))
        return
    old_keys = list(table)
    if isinstance(table, InlineTable) and set(old_keys) != set(new):
        # tomlkit's inline-table insertion spaces the braces unevenly: write the table once.
        parts = []
        for k in [*[k for k in old_keys if k in new], *[k for k in new if k not in old_keys]]:
            prev = child(table, k)
            same = k in old_keys and _plain(prev) == _plain_model(new[k])
            text = raw(prev) if same and raw(prev) is not None else value_text(new[k], raw(prev), style)
            parts.append(f"{key_text(k)} = {text}")
        before = (raw(table) or "").strip()
        spaced = before.startswith("{ ") or before == "{}"
        body = ", ".join(parts)
        node[key] = tomlkit.value(("{ " + body + " }") if parts and spaced else "{" + body + "}")
        return
    for k in old_keys:
        if k not in new:
            del table[k]
    for k, v in new.items():
        prev = child(table, k)
        if prev is not None and _plain(prev) == _plain_model(v):
            continue
        set_value(table, k, v, (), style)


# --- dotted keys ---------------------------------------------------------------------------
#
# ``impact.mau = 5`` or ``effort.low = 1`` inside a table: tomlkit keeps each such line as its own
# table and joins them in a proxy whose deletions go wrong (stale indexes: "list index out of
# range"). So these lines are edited one by one here: a leaf in place, a removed line taken out,
# a changed or new line written as text where it belongs.


@dataclass(frozen=True)
class Dotted:
    """One ``KEY.a.b = value`` line of a table: where it is in the body and what it holds."""

    index: int
    """Its place in the container's body."""
    path: tuple[str, ...]
    """The keys after ``KEY`` (``("mau", "low")``)."""
    parent: Table
    """The table holding the leaf value."""
    leaf: Any
    """The value."""

    def below(self) -> Dotted:
        return Dotted(self.index, self.path[1:], self.parent, self.leaf)


def dotted_entries(node: Node, key: str) -> list[Dotted]:
    """The lines that write ``key`` with dotted keys in ``node`` (none when it is written otherwise)."""
    c = _container(node)
    if c is None or isinstance(node, InlineTable):
        return []
    out = []
    for i, (k, v) in enumerate(c.body):
        if k is None or not k.is_dotted() or k.key != key or not isinstance(v, Table):
            continue
        path: list[str] = []
        parent, leaf = v, None
        while True:
            keyed = [(kk, vv) for kk, vv in parent.value.body if kk is not None]
            if len(keyed) != 1:
                raise Unsupported(
                    f"{key} is written with dotted keys in a form fulcrum cannot edit in place",
                    f"write it as an inline table ({key} = {{ ... }})",
                )
            kk, vv = keyed[0]
            path.append(kk.key)
            if isinstance(vv, Table) and kk.is_dotted():
                parent = vv
                continue
            leaf = vv
            break
        out.append(Dotted(i, tuple(path), parent, leaf))
    return out


def set_dotted(node: Node, key: str, entries: list[Dotted], value: Any, style: Style) -> None:
    """Make the dotted lines of ``key`` hold ``value`` (a map, an estimate or a value; None: remove)."""
    c = _container(node)
    assert c is not None
    if value is None:
        for e in entries:
            _drop(c, e.index)
        return
    if not isinstance(value, Mapping):
        _set_leaves(c, (key,), entries, value, style)
        return
    groups: dict[str, list[Dotted]] = {}
    for e in entries:
        groups.setdefault(e.path[0], []).append(e.below())
    for k, group in groups.items():
        if k in value:
            _set_leaves(c, (key, k), group, value[k], style)
        else:
            for e in group:
                _drop(c, e.index)
    new = [f"{key}.{key_text(k)} = {value_text(v, None, style)}" for k, v in value.items() if k not in groups]
    if new:
        last = max(e.index for e in entries)
        text = _entry_text(c, last)
        indent, nl = _indent(text), _ending(text, style.nl)
        if not text.endswith("\n"):
            text += nl
        _put_text(c, last, text + "".join(indent + line + nl for line in new))


def _set_leaves(c: Container, prefix: tuple[str, ...], group: list[Dotted], value: Any, style: Style) -> None:
    if len(group) == 1 and not group[0].path:
        e = group[0]
        if _plain(e.leaf) != _plain_model(value):
            set_value(e.parent, _leaf_key(e), value, (), style)
        return
    parts = sorted(e.path for e in group)
    spread = isinstance(value, Estimate) and parts == [("high",), ("likely",), ("low",)]
    if spread and (not value.is_point or all(_plain(e.leaf)[0] == value.likely for e in group)):
        for e in group:
            x = getattr(value, e.path[0])
            if _plain(e.leaf) != (x, x, x):
                e.parent[e.path[0]] = tomlkit.value(
                    number_text(plain_number(x), raw(e.leaf), style.underscores)
                )
        return
    # The value changes shape (a range becomes one number): one line in place of the first.
    first = min(group, key=lambda e: e.index)
    text = _entry_text(c, first.index)
    line = ".".join(key_text(k) for k in prefix) + " = " + value_text(value, raw(first.leaf), style)
    for e in group:
        _drop(c, e.index)
    _put_text(c, first.index, _indent(text) + line + _ending(text, style.nl))


def _leaf_key(e: Dotted) -> str:
    keyed = [kk for kk, _ in e.parent.value.body if kk is not None]
    return str(keyed[0].key)


def _entry_text(c: Container, index: int) -> str:
    k, v = c.body[index]
    if k is None:
        return v.as_string()
    assert isinstance(v, Table)
    return c._render_table(k, v)


def _indent(text: str) -> str:
    line = text.lstrip("\r\n")
    return line[: len(line) - len(line.lstrip(" \t"))]


def _ending(text: str, nl: str) -> str:
    return "\r\n" if text.endswith("\r\n") else "\n" if text.endswith("\n") else nl


def _drop(c: Container, index: int) -> None:
    """Take a line out of the table (its place in the body is kept, so other indexes stay valid)."""
    if c.body[index][0] is not None:
        c._remove_at(index)
    c.body[index] = (None, Whitespace("", fixed=True))


def _put_text(c: Container, index: int, text: str) -> None:
    """Write ``text`` as it is at ``index`` in the body, in place of what was there."""
    _drop(c, index)
    c.body[index] = (None, Whitespace(text, fixed=True))


def _plain(item: Any) -> Any:
    """A tomlkit value as plain Python, estimates as (low, likely, high), for comparing."""
    if item is None:
        return None
    if _is_structured(item):
        d = {k: _plain(child(item, k)) for k in item}
        if set(d) == {"low", "likely", "high"}:
            return tuple(d[k][0] if isinstance(d[k], tuple) else d[k] for k in ("low", "likely", "high"))
        return d
    value = item.unwrap() if hasattr(item, "unwrap") else item
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (float(value),) * 3
    return value


def _plain_model(v: Any) -> Any:
    if isinstance(v, Estimate):
        return (v.low, v.likely, v.high)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return (float(v),) * 3
    return v


def edit_model(node: Node, old: BaseModel, new: BaseModel, style: Style, skip: Sequence[str] = ()) -> None:
    """Change, in ``node``, every field whose value differs between ``old`` and ``new``."""
    order = tuple(type(new).model_fields)
    for name in order:
        if name in skip:
            continue
        a, b = getattr(old, name), getattr(new, name)
        if a == b:
            continue
        if isinstance(b, Mapping) and _is_structured(child(node, name)):
            edit_map(node, name, b, style, order)
        elif b in ("", []) and not type(new).model_fields[name].is_required():
            set_value(node, name, None, order, style)  # cleared: the key goes, as if never written
        else:
            set_value(node, name, b, order, style)


def edit_item(
    node: Node, old: BacklogItem, new: BacklogItem, style: Style, subtables: list[str] | None
) -> None:
    """Edit an item in place. A map the item did not have yet (its first impact, say) becomes
    an ``[items.NAME]`` sub-table appended to ``subtables`` when the file writes maps that way
    (the caller places it at the end of the item's block), else an inline table."""
    skip = []
    for name in ITEM_MAPS:
        b = getattr(new, name)
        fresh = b and b != getattr(old, name) and child(node, name) is None
        if subtables is not None and fresh and name in style.subtables:
            subtables.append(subtable_text(name, b, style))
            skip.append(name)
    edit_model(node, old, new, style, skip)


# --- new text -------------------------------------------------------------------------------


def _defined(model: BaseModel) -> list[tuple[str, Any]]:
    """Fields worth writing: required ones and those that differ from their default."""
    defaults = field_defaults(type(model))
    out = []
    for name in type(model).model_fields:
        v = getattr(model, name)
        if name not in defaults or v != defaults[name]:
            out.append((name, v))
    return out


def table_text(header: Sequence[str], model: BaseModel, style: Style) -> str:
    """A new ``[a.b]`` table holding the non-default fields of ``model``."""
    nl = style.nl
    lines = ["[" + ".".join(key_text(k) for k in header) + "]"]
    lines += [f"{key_text(k)} = {value_text(v, None, style)}" for k, v in _defined(model) if v is not None]
    return nl.join(lines) + nl


def subtable_text(name: str, values: Mapping[str, Any], style: Style) -> str:
    """An ``[items.NAME]`` sub-table, e.g. the impact of an item."""
    nl = style.nl
    lines = [f"[items.{name}]"] + [f"{key_text(k)} = {value_text(v, None, style)}" for k, v in values.items()]
    return (nl if style.blank_before_subtables else "") + nl.join(lines) + nl


def item_text(item: BacklogItem, style: Style) -> str:
    """A whole new ``[[items]]`` block in the style of the rest of the file."""
    nl = style.nl
    lines = ["[[items]]"]
    subs = []
    for name, v in _defined(item):
        if v is None:
            continue
        if name in ITEM_MAPS and name in style.subtables:
            subs.append(subtable_text(name, v, style))
        else:
            lines.append(f"{name} = {value_text(v, None, style)}")
    return nl.join(lines) + nl + "".join(subs)


def item_inline(item: BacklogItem, style: Style) -> str:
    """A new item as an inline table, for files that write ``items = [ {...}, ... ]``."""
    parts = [f"{k} = {value_text(v, None, style)}" for k, v in _defined(item) if v is not None]
    return "{ " + ", ".join(parts) + " }"
