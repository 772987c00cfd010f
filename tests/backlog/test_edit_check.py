"""An edit of one item checked on that item and what it touches (``backlog.edit_check``) finds
exactly the problems, in the same order and words, that checking the whole edited file finds;
and a good edit gives the same item. Random edits, good and bad, of random small backlogs: wrong
types, a repeated id or tracker key, unknown references, self-references, a dependency cycle
through the item, a field name the formula needs removed, a renamed item others depend on, a
new item."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum.backlog import Backlog, BacklogError, parse_backlog, validate_document
from fulcrum.backlog.edit_check import check_edit

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

N = 16


def _base(seed: int, formula: bool) -> Backlog:
    text = synth_text(N, seed)
    text += '\n[teams.sre]\nname = "SRE"\ncapacity = { days_30 = 2 }\n'
    backlog = parse_backlog(text)
    items = list(backlog.items)
    from fulcrum.backlog import Source

    for i in (1, 4):
        items[i] = items[i].model_copy(
            update={"source": Source(system="jira", key=f"PAY-{i}"), "team": "sre"}
        )
    items[3] = items[3].model_copy(update={"fields": {**items[3].fields, "boost": 2.0}})
    out = backlog.model_copy(update={"items": items})
    if formula:
        scoring = out.scoring.model_copy(update={"method": "formula", "formula": "value / effort + boost"})
        out = out.model_copy(update={"scoring": scoring})
    validate_document(out.model_dump(mode="python"))  # clean, as the TUI's backlog always is
    return out


BASES = [_base(seed, formula) for seed in (0, 1) for formula in (False, True)]


def whole_check(backlog: Backlog, index: int, item_doc: dict[str, Any]) -> Any:
    doc = backlog.model_dump(mode="python")
    if index < len(doc["items"]):
        doc["items"][index] = item_doc
    else:
        doc["items"].append(item_doc)
    try:
        return validate_document(doc).items[index]
    except BacklogError as exc:
        return exc.problems


def incremental(backlog: Backlog, index: int, item_doc: dict[str, Any]) -> Any:
    try:
        return check_edit(backlog, index, item_doc)
    except BacklogError as exc:
        return exc.problems


ID = st.sampled_from(["item-00002", "item-00005", "brand-new", "bad id", 7, None, "item-0000x"])
REF = st.sampled_from(["item-00000", "item-00003", "item-00009", "item-00015", "nope", "item-0001", 3])
change = st.fixed_dictionaries(
    {},
    optional={
        "id": ID,
        "title": st.sampled_from(["x", "", 5]),
        "effort": st.sampled_from([1, "two", 0, {"low": 3, "likely": 2, "high": 1}]),
        "confidence": st.sampled_from([0.5, 2, "high"]),
        "depends_on": st.lists(REF, max_size=3),
        "excludes": st.lists(REF, max_size=2),
        "requested_by": st.lists(st.sampled_from(["cfo", "pm", "cfoo", "nobody"]), max_size=2),
        "team": st.sampled_from([None, "sre", "sr", "payments"]),
        "source": st.sampled_from(
            [None, {"system": "jira", "key": "PAY-1"}, {"system": "jira", "key": "PAY-9"}]
        ),
        "fields": st.sampled_from([{}, {"reach": 1}, {"revenue": 1}, {"value": 2}, {"boost": 1}]),
        "impact": st.sampled_from([{}, {"mau": 10}, {"revenu": 5}, {"mau": "lots"}]),
        "evidence": st.sampled_from([{}, {"effort": "x"}, {"mau": "y"}, {"nope": "z"}]),
        "status": st.sampled_from(["idea", "done", "finished"]),
        "colour": st.just("red"),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(BASES),
    index=st.integers(0, N),
    edit=change,
    close_cycle=st.booleans(),
)
def test_the_edit_check_finds_what_the_whole_check_finds(base, index, edit, close_cycle) -> None:
    item_doc = base.items[index].model_dump(mode="python") if index < N else {"title": "New", "effort": 1}
    item_doc.update(edit)
    for key in [k for k, v in item_doc.items() if v is None and k in ("id", "title")]:
        del item_doc[key]
    own = item_doc.get("id")
    dependents = [it.id for it in base.items if own in it.depends_on]
    if close_cycle and dependents and isinstance(item_doc.get("depends_on"), list):
        item_doc["depends_on"] = [*item_doc["depends_on"], dependents[0]]
    assert incremental(base, index, item_doc) == whole_check(base, index, item_doc)


def test_a_cycle_through_the_item_is_named_as_the_whole_check_names_it() -> None:
    base = BASES[0]
    # a -> b -> c, then c depends on a: every cycle, as the whole check finds them.
    chain = [base.items[0].id, base.items[1].id, base.items[2].id]
    items = list(base.items)
    items[1] = items[1].model_copy(update={"depends_on": [chain[0]]})
    items[2] = items[2].model_copy(update={"depends_on": [chain[1]]})
    clean = base.model_copy(update={"items": items})
    doc = clean.items[0].model_dump(mode="python") | {"depends_on": [chain[2], chain[1]]}
    problems = incremental(clean, 0, doc)
    assert problems == whole_check(clean, 0, doc)
    assert any("dependency cycle: " in p.message for p in problems)


def test_a_good_edit_gives_the_item_and_no_problem() -> None:
    base = BASES[2]
    doc = base.items[5].model_dump(mode="python") | {"effort": 3.5, "depends_on": [base.items[0].id]}
    item = check_edit(base, 5, doc)
    assert item == whole_check(base, 5, doc)
    assert item.effort.expected == pytest.approx(3.5)


def test_removing_the_field_the_formula_needs_is_the_formulas_problem() -> None:
    base = BASES[1]  # method "formula", and only item 3 has the field "boost"
    doc = base.items[3].model_dump(mode="python") | {"fields": {}}
    problems = incremental(base, 3, doc)
    assert problems == whole_check(base, 3, doc)
    assert [p.field for p in problems] == ["scoring.formula"]


def test_the_edited_backlog_keeps_an_index_by_id_that_is_true() -> None:
    from fulcrum.backlog import with_item

    base = BASES[0]
    base.item(base.items[0].id)  # its index is built
    item = check_edit(base, 5, base.items[5].model_dump(mode="python") | {"effort": 2})
    out = with_item(base, 5, item)
    assert out.items == [*base.items[:5], item, *base.items[6:]]
    assert all(out.item(it.id) is it for it in out.items)
    new = check_edit(out, len(out.items), {"id": "brand-new", "title": "New", "effort": 1})
    added = with_item(out, len(out.items), new)
    assert added.items[-1] is new and added.item("brand-new") is new
    assert all(added.item(it.id) is it for it in added.items)


def test_the_edited_backlog_carries_the_positions_of_ids_without_comparing_items() -> None:
    """``with_item`` hands the next edit's check its id -> position index (``positions``): the same
    index for an edit that kept the id, one more entry for an appended item, and never a stale one."""
    from fulcrum.backlog import edit_check, with_item

    def fresh(items: list[Any]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, it in enumerate(items):
            out.setdefault(it.id, i)
        return out

    base = BASES[0]
    index = edit_check.positions(base.items)
    out = with_item(base, 5, check_edit(base, 5, base.items[5].model_dump(mode="python") | {"effort": 2}))
    compared: list[Any] = []
    edit_check.zip = lambda *a, **k: compared.append(a) or zip(*a, **k)  # type: ignore[attr-defined]  # noqa: B905
    try:
        assert edit_check.positions(out.items) is index and not compared  # carried, not compared
    finally:
        del edit_check.zip  # type: ignore[attr-defined]
    new = check_edit(out, len(out.items), {"id": "brand-new", "title": "New", "effort": 1})
    added = with_item(out, len(out.items), new)
    assert edit_check.positions(added.items) == fresh(added.items)
    named = {k for it in added.items for k in (*it.depends_on, *it.excludes)}
    at = next(i for i, it in enumerate(added.items) if it.id not in named)
    renamed_doc = added.items[at].model_dump(mode="python") | {"id": "renamed"}
    renamed = with_item(added, at, check_edit(added, at, renamed_doc))
    assert edit_check.positions(renamed.items) == fresh(renamed.items)  # an id that changed: rebuilt
