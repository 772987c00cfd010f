"""Re-ranking after an edit of a few items: the ranking :func:`score_backlog` would make, from the
previous one, in time that grows with the edit rather than with the backlog.

An edit of one item changes that item's value, effort, feasibility and score, the feasibility of
the items that depend on it when it becomes done or stops being done, the value threshold (a
median over every ranked item), and so the quadrant of any item near the threshold, and the rank
of every item between its old and its new place. Everything else is kept: the other ``Scored``
objects are reused as they are. Whatever this cannot do exactly in that way (the settings, a lens
or a table changed; an id changed; many items changed; a method's missing fields, whose error
counts the items; a formula whose names may have changed) is scored whole. The result is equal to
a full scoring: ``tests/scoring/test_rescore.py`` compares the two on random edits.
"""

from __future__ import annotations

import bisect
import json
import math
from typing import Any

from fulcrum.backlog import Backlog
from fulcrum.scoring.methods import METHOD_FIELDS
from fulcrum.scoring.quadrants import quadrant
from fulcrum.scoring.rank import CLOSED, Ranking, Scored, _scored, row_of, score_backlog, table_of
from fulcrum.scoring.scores import formula_names
from fulcrum.scoring.table import EFFORT, FEASIBILITY, FIELDS, priced, row_scores, row_value, value_threshold

#: More changed items than this are scored whole (an import, a reload).
MAX_CHANGED = 16
_HEAD = tuple(f for f in Backlog.model_fields if f != "items")


def rescore(previous: Ranking, backlog: Backlog) -> Ranking:
    """``score_backlog(backlog, previous.lens, previous.method)``, reusing ``previous``."""
    lens, method = previous.lens, previous.method
    changed = _changed(previous, backlog)
    if changed is None:
        return score_backlog(backlog, lens, method)
    if not changed:
        return previous
    old = previous.backlog.items
    new_items = backlog.items
    edited = {new_items[i].id: new_items[i] for i in changed}
    statuses = dict(previous.statuses)
    statuses.update((k, it.status) for k, it in edited.items())
    affected = dict(edited)
    for i in changed:
        was = old[i].status if i < len(old) else None
        if (was == "done") != (new_items[i].status == "done"):  # its dependents' feasibility moves
            key = new_items[i].id
            affected.update((it.id, it) for it in new_items if key in it.depends_on)
    table = table_of(backlog, rows=False)
    prices = priced(table, table.weights(lens))
    encode = json.JSONEncoder(allow_nan=False).encode
    items = [it for it in affected.values() if it.status not in CLOSED]
    plain = [row_of(backlog, it, statuses, encode) for it in items]
    needed = METHOD_FIELDS.get(method, ())
    if any(k not in row[FIELDS] for row in plain for k in needed):
        return score_backlog(backlog, lens, method)  # the error names and counts every item
    values_of = [row_value(row, prices) for row in plain]
    new_scores = row_scores(method, previous.formula, lambda: formula_names(backlog), table, plain, values_of)
    rows = [(it, v, r[EFFORT], r[FEASIBILITY]) for it, r, v in zip(items, plain, values_of, strict=True)]

    by_id: dict[str, Scored] = dict(previous._by_id)  # Ranking.get's index: built once, carried on
    for k in affected:
        by_id.pop(k, None)
    values = _sorted_values(previous)
    if values is None or any(math.isnan(row[1]) for row in rows):
        return score_backlog(backlog, lens, method)
    ranked: list[Any] = list(previous.ranked)
    gone = [s for k in affected if (s := previous.get(k)) is not None]
    for old_scored in sorted(gone, key=lambda s: s.rank, reverse=True):
        del ranked[old_scored.rank - 1]
        del values[bisect.bisect_left(values, old_scored.value)]
    touched = [s.rank - 1 for s in gone]
    for row, score in zip(rows, new_scores, strict=True):
        place = _key(score[0], row[0].id)
        pos = bisect.bisect_left(ranked, place, key=_entry_key)
        ranked.insert(pos, (row, score))
        bisect.insort(values, row[1])
        touched.append(pos)
    settings = backlog.scoring
    vt = value_threshold(settings.quick_win_min_value, values)  # a median: the order is not used
    ft = settings.quick_win_min_feasibility
    # Before the first place touched nothing moved; from there on, a rank or (with a new
    # threshold) a quadrant may have changed: a new Scored only where one did. With the same
    # threshold a kept Scored keeps its quadrant, and when one item left its place for one other
    # place, everything after both places is where it was: the walk ends there.
    same_vt = vt == previous.value_threshold
    start = 0 if not same_vt else min(touched, default=len(ranked))
    end = len(ranked)
    if same_vt and len(gone) == 1 and len(rows) == 1:
        end = max(touched) + 1
    for pos in range(start, end):
        e = ranked[pos]
        if isinstance(e, tuple):
            row, score = e
            quad = quadrant(row[1], row[3], vt, ft)
            e = ranked[pos] = _scored(row[0], pos + 1, row[1], row[2], row[3], score, quad)
        else:
            quad = e.quadrant if same_vt else quadrant(e.value, e.feasibility, vt, ft)
            if e.rank == pos + 1 and e.quadrant == quad:
                continue
            e = ranked[pos] = _moved(e, pos + 1, quad)
        by_id[e.item.id] = e
    closed = previous.closed
    if any(old[i].status in CLOSED for i in changed if i < len(old)) or any(
        it.status in CLOSED for it in edited.values()
    ):
        closed = [it for it in new_items if it.status in CLOSED]
    out = Ranking(
        backlog=backlog,
        lens=lens,
        method=method,
        formula=previous.formula,
        ranked=ranked,
        value_threshold=vt,
        feasibility_threshold=ft,
        closed=closed,
        no_price_note=previous.no_price_note,
    )
    object.__setattr__(out, "_statuses", statuses)
    object.__setattr__(out, "_cache", by_id)
    object.__setattr__(out, "_values", values)
    return out


def _changed(previous: Ranking, backlog: Backlog) -> list[int] | None:
    """The indexes of the items that are other objects than before (an appended one included),
    or None when the edit is not one this module re-ranks from the previous ranking."""
    before = previous.backlog
    if before is backlog:
        return []
    if any(getattr(before, f) is not getattr(backlog, f) for f in _HEAD):
        return None  # settings, metrics, stakeholders ...: everything may move
    if previous.method == "formula" and previous.formula != backlog.scoring.formula:
        return None
    old, new = before.items, backlog.items
    if len(new) not in (len(old), len(old) + 1):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a is not b]
    if len(new) > len(old):
        changed.append(len(old))
    if len(changed) > MAX_CHANGED:
        return None
    for i in changed:
        if i < len(old) and old[i].id != new[i].id:
            return None  # other items' dependencies name ids
        if previous.method == "formula" and (i >= len(old) or old[i].fields.keys() != new[i].fields.keys()):
            return None  # the names a formula may use are every item's fields
    return changed


_new = object.__new__
_set = object.__setattr__


def _moved(s: Scored, rank: int, quad: str) -> Scored:
    """The same Scored at another rank (or in another quadrant): a copy of its fields (the frozen
    dataclass's __init__ would check and set them one by one)."""
    out = _new(Scored)
    fields = s.__dict__.copy()
    fields["rank"], fields["quadrant"] = rank, quad
    _set(out, "__dict__", fields)
    return out


def _key(score: float | None, item_id: str) -> tuple[float, str]:
    """The ranking's order: best score first, n/a last, ties by id."""
    return (math.inf if score is None else -score, item_id)


def _entry_key(e: Any) -> tuple[float, str]:
    if isinstance(e, tuple):
        return _key(e[1][0], e[0][0].id)
    return _key(e.score, e.id)


def _sorted_values(ranking: Ranking) -> list[float] | None:
    """The values of the ranked items, sorted (kept beside the ranking for the next re-rank);
    None when one is not a number (an overflow through couplings), which has no place in order."""
    values: list[float] | None = ranking.__dict__.get("_values")
    if values is not None:
        return list(values)
    out = sorted(s.value for s in ranking.ranked)
    return None if any(math.isnan(v) for v in out) else out
