"""The scoring table's rows (``rank.rows_of``, made in one loop with the settings read once) are
exactly the rows that the per-item functions give: ``table.new_row`` of each open item's effective
changes, expected effort and feasibility, every float equal, with and without couplings, with
finished and unfinished dependencies."""

from __future__ import annotations

import json
import math
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.scoring.rank import CLOSED, feasibility, rows_of, table_of
from fulcrum.scoring.scores import effective_changes
from fulcrum.scoring.table import FEASIBILITY, new_row

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

encode = json.JSONEncoder(allow_nan=False).encode


def coupled(backlog: Backlog, drives: dict[str, float]) -> Backlog:
    mau = backlog.metrics["mau"].model_copy(update={"drives": drives})
    return backlog.model_copy(update={"metrics": {**backlog.metrics, "mau": mau}})


def expected_rows(backlog: Backlog) -> list[tuple]:
    status = {it.id: it.status for it in backlog.items}
    return [
        new_row(
            it.id,
            it.title,
            it.confidence,
            tuple(it.requested_by),
            tuple(effective_changes(backlog, it).items()),
            it.effort.expected,
            feasibility(backlog, it, status),
            dict(it.fields),
            encode,
        )
        for it in backlog.items
        if it.status not in CLOSED
    ]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 60),
    drives=st.sampled_from([{}, {"infra_cost": 0.4}, {"infra_cost": -2.5, "tickets": 0.001}]),
    half_life=st.sampled_from([6.0, 0.01, 10_000.0]),
    penalty=st.sampled_from([0.15, 0.0, 0.999]),
)
def test_rows_are_the_per_item_functions_rows(
    seed: int, n: int, drives: dict[str, float], half_life: float, penalty: float
) -> None:
    backlog = parse_backlog(synth_text(n, seed))
    if drives:
        backlog = coupled(backlog, drives)
    scoring = backlog.scoring.model_copy(
        update={"effort_half_life_weeks": half_life, "coordination_penalty": penalty}
    )
    backlog = backlog.model_copy(update={"scoring": scoring})
    status = {it.id: it.status for it in backlog.items}
    open_items = [it for it in backlog.items if it.status not in CLOSED]
    assert rows_of(backlog, open_items, status, encode) == expected_rows(backlog)


def test_a_finished_dependency_costs_no_coordination() -> None:
    """The dependency count reads the statuses given: the same item, its dependencies done or not."""
    backlog = parse_backlog(synth_text(40, 3))
    item = next(it for it in backlog.items if it.depends_on and it.status not in CLOSED)
    status = {it.id: it.status for it in backlog.items}
    rows = {
        state: rows_of(backlog, [item], {**status, **dict.fromkeys(item.depends_on, state)}, encode)[0]
        for state in ("idea", "done")
    }
    factor = (1 - backlog.scoring.coordination_penalty) ** len(item.depends_on)
    assert math.isclose(rows["done"][FEASIBILITY] * factor, rows["idea"][FEASIBILITY], rel_tol=1e-12)
    assert rows["done"][FEASIBILITY] > rows["idea"][FEASIBILITY]


def test_equal_numbers_share_their_text_but_zero_keeps_its_sign() -> None:
    """Rows reuse the JSON of an equal effort and confidence; 0.0 and -0.0 are equal keys with
    different texts, so a zero confidence is written as it is."""
    head = '[backlog]\ntitle = "T"\n[metrics.m]\nlabel = "M"\nvalue_per_unit = 1\n'
    confidences = ["0.0", "-0.0", "0.5", "1", "0.5", "-0.0", "0.0"]
    text = head + "".join(
        f'[[items]]\nid = "i{n}"\ntitle = "t"\neffort = 2\nconfidence = {c}\nimpact = {{ m = 1 }}\n'
        for n, c in enumerate(confidences)
    )
    backlog = parse_backlog(text)
    status = {it.id: it.status for it in backlog.items}
    rows = rows_of(backlog, list(backlog.items), status, encode)
    assert rows == expected_rows(backlog)
    assert [row[-1].split(",")[0] for row in rows] == [
        f'"confidence": {encode(float(c))}' for c in confidences
    ]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 50), twice=st.integers(0, 5))
def test_the_table_lists_what_a_loop_over_the_items_finds(seed: int, n: int, twice: int) -> None:
    """The table's open rows, closed items and field names (read column by column in C) are what
    one loop over the items gives, in file order; an id given twice is counted as its later item,
    as the statuses the rows read say."""
    backlog = parse_backlog(synth_text(n, seed))
    items = list(backlog.items)
    items += [it.model_copy(update={"status": "done"}) for it in items[:twice]]  # ids seen again, closed
    items[: n // 2] = [it.model_copy(update={"fields": {"zz": 1.0, **it.fields}}) for it in items[: n // 2]]
    if items:
        items[0] = items[0].model_copy(update={"fields": {"first": 2.0}})
    backlog = backlog.model_copy(update={"items": items})
    table = table_of(backlog)
    status = {it.id: it.status for it in items}
    open_items = [it for it in items if it.status not in CLOSED]
    assert table.rows == rows_of(backlog, open_items, status, encode)
    assert table.closed == tuple((it.id, it.status) for it in items if it.status in CLOSED)
    names: dict[str, None] = {}
    for it in items:
        names.update(dict.fromkeys(it.fields))
    assert table.field_names == tuple(names)
