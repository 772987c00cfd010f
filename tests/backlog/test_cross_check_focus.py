"""An edit of one item is cross-checked on that item and what it links to (the TUI's edits at
10,000 items), and finds exactly the problems the whole check finds. (An edit that changes the id
is checked whole: other items may name the old one.)"""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backlogs import ROOT
from fulcrum.backlog import Backlog, cross_check, parse_backlog

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

BASE = parse_backlog(synth_text(40, 3))
IDS = [it.id for it in BASE.items]
NAMES = [*IDS[:8], "no-such-item", "item-0000x"]
PEOPLE = [*BASE.stakeholders, "nobody", "cfoo"]
METRICS = [*BASE.metrics, "revenu", "value"]


@settings(max_examples=60, deadline=None)
@given(
    index=st.integers(0, len(IDS) - 1),
    depends_on=st.lists(st.sampled_from(NAMES + IDS[-5:]), max_size=3, unique=True),
    excludes=st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
    requested_by=st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True),
    impact=st.lists(st.sampled_from(METRICS), max_size=2, unique=True),
    fields=st.lists(st.sampled_from(["reach", "impact", "effort", "revenue", "x"]), max_size=2, unique=True),
    team=st.sampled_from([None, "sre", "nope"]),
    source=st.sampled_from([None, "PAY-1", "PAY-2"]),
    close_cycle=st.booleans(),
)
def test_the_focused_check_finds_what_the_whole_check_finds(
    index, depends_on, excludes, requested_by, impact, fields, team, source, close_cycle
) -> None:
    doc = BASE.model_dump(mode="python", exclude={"items"})
    items: list[object] = list(BASE.items)
    item = BASE.items[index].model_dump(mode="python", exclude_none=True)
    own = BASE.items[index].id
    dependents = [it.id for it in BASE.items if own in it.depends_on]
    if close_cycle and dependents:  # depend on something that depends on this item: a cycle
        depends_on = [*depends_on, dependents[0]]
    item.update(depends_on=depends_on, excludes=excludes, requested_by=requested_by)
    item["impact"] = {k: 1.0 for k in impact}
    item["fields"] = {k: 1.0 for k in fields}
    item.pop("team", None)
    if team:
        item["team"] = team
    if source:
        item["source"] = {"system": "jira", "key": source}
    items[index] = item
    doc["items"] = items
    try:  # the model alone: the cross-checks are what is compared
        candidate = Backlog.model_validate(doc)
    except ValidationError:
        return  # refused by the model itself
    assert cross_check(candidate, focus=index) == cross_check(candidate)
