"""A Diff for people (lines of plain text) and for scripts (``diff --format json``)."""

from __future__ import annotations

from typing import Any

from fulcrum.changes.diff import Diff, InputChange
from fulcrum.text import fmt


def diff_lines(d: Diff) -> list[str]:
    """The diff as plain lines (not yet terminal-safe: the caller escapes for its surface)."""
    if d.empty:
        return ["No changes: every input is the same."]
    out: list[str] = []
    if d.inputs:
        out += ["Inputs changed:", *(f"  {ch.words()}" for ch in d.inputs)]
    if d.added:
        out += ["Items added:", *(f"  {_item_words(d, i, new=True)}" for i in d.added)]
    if d.removed:
        out += ["Items removed:", *(f"  {_item_words(d, i, new=False)}" for i in d.removed)]
    if d.verdicts:
        out += ["Status and decisions:", *(f"  {ch.words()}" for ch in d.verdicts)]
    if d.rank_moves:
        out.append("Rank moves:")
        for m in d.rank_moves:
            old = f"#{m.old}" if m.old is not None else "not ranked"
            new = f"#{m.new}" if m.new is not None else "not ranked"
            places = f" ({'up' if m.places > 0 else 'down'} {abs(m.places)})" if m.places else ""
            out.append(f"  {m.item}: {old} -> {new}{places}")
    if d.plan_changes:
        out.append("Plan changes:")
        for pc in d.plan_changes:
            out.append(f"  {pc.words()}")
            out += [f"      because {ch.words()}" for ch in pc.inputs]
            if pc.room:
                names = ", ".join(pc.room)
                room = f"in the room {names} left" if pc.kind == "entered" else f"to make room for {names}"
                out.append(f"      {room}")
    else:
        out.append("The plan is the same.")
    cur = d.currency
    change = d.value_change
    sign = "+" if change > 0 else "-" if change < 0 else "±"
    out.append(
        f"Plan value: {fmt.money(d.old_value, cur)} -> {fmt.money(d.new_value, cur)} "
        f"({sign}{fmt.money(abs(change), cur)} of first-year value)"
    )
    return out


def _item_words(d: Diff, iid: str, *, new: bool) -> str:
    backlog = d.new if new else d.old
    item = backlog.item(iid)
    return f"{iid}: {item.title} ({item.status})"


def diff_to_json(d: Diff) -> dict[str, Any]:
    """The ``diff --format json`` object (numbers unrounded)."""
    return {
        "inputs": [_change_json(ch) for ch in d.inputs],
        "added": d.added,
        "removed": d.removed,
        "verdicts": [_change_json(ch) for ch in d.verdicts],
        "rank_moves": [{"id": m.item, "old": m.old, "new": m.new} for m in d.rank_moves],
        "plan_changes": [
            {
                "id": pc.item,
                "change": pc.kind,
                "old_phase": pc.old_phase,
                "new_phase": pc.new_phase,
                "reason": pc.reason,
                "inputs": [_change_json(ch) for ch in pc.inputs],
                "room": pc.room,
            }
            for pc in d.plan_changes
        ],
        "plan_value": {"old": d.old_value, "new": d.new_value, "change": d.value_change},
    }


def _change_json(ch: InputChange) -> dict[str, Any]:
    return {"id": ch.item, "field": ch.field, "old": ch.old, "new": ch.new}
