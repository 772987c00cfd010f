"""The cross-checks' quick paths answer as the plain ones do.

- ``cycles`` walks only the items that depend on something; the reference walks every item.
- ``_columns`` reads an item once when it has every key, else once per key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fulcrum.backlog.cross_checks import _COLUMNS, _columns, check_document, cycles


def every_node_cycles(deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The walk over every node, done nodes marked up front (the reference ``cycles`` is held to)."""
    order = dict(zip(deps, range(len(deps)), strict=True))
    children = {n: [c for c in ds if c in order and c != n] for n, ds in deps.items() if ds}
    color: dict[str, int] = dict.fromkeys(deps.keys() - children.keys(), 2)
    found: list[list[str]] = []
    for start in deps:
        if color.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                color[node] = 1
                path.append(node)
            kids = children[node]
            if idx < len(kids):
                stack.append((node, idx + 1))
                child = kids[idx]
                if color.get(child) == 1:
                    cyc = path[path.index(child) :]
                    k = min(range(len(cyc)), key=lambda n: order[cyc[n]])
                    found.append([*cyc[k:], *cyc[:k], cyc[k]])
                elif not color.get(child):
                    stack.append((child, 0))
            else:
                color[node] = 2
                path.pop()
    return found


NAMES = st.sampled_from([f"n{i}" for i in range(12)])
GRAPHS = st.dictionaries(NAMES, st.lists(st.one_of(NAMES, st.just("dangling")), max_size=4), max_size=12)


@given(GRAPHS)
def test_cycles_are_those_of_the_walk_over_every_node(deps: dict[str, list[str]]) -> None:
    assert cycles(deps) == every_node_cycles(deps)


def test_a_cycle_behind_items_that_depend_on_nothing_is_found() -> None:
    deps = {"a": [], "b": ["c"], "c": ["d", "a"], "d": ["b"], "e": []}
    assert cycles(deps) == [["b", "c", "d", "b"]]
    assert cycles({"x": ["x"], "y": []}) == []  # an item depending on itself is named elsewhere


VALUES = st.sampled_from([None, 1, "a", ["a"], [], {"k": 1}])
KEYS = st.sampled_from([*_COLUMNS, "title"])
ITEMS = st.lists(
    st.dictionaries(KEYS, VALUES, max_size=4) | st.fixed_dictionaries(dict.fromkeys(_COLUMNS, VALUES)),
    max_size=4,
)


@given(ITEMS)
def test_columns_read_in_one_pass_are_the_columns_read_key_by_key(items: list[dict[str, Any]]) -> None:
    assert _columns(items) == {key: list(map(dict.get, items, repeat(key))) for key in _COLUMNS}


def test_an_item_that_is_no_table_leaves_no_columns() -> None:
    assert _columns([{key: None for key in _COLUMNS}, 5]) is None
    assert _columns([]) == {key: [] for key in _COLUMNS}


def test_the_whole_check_names_a_cycle_among_many_items_without_dependencies() -> None:
    items: list[dict[str, Any]] = [{"id": f"i{n}", "title": "t", "effort": 1} for n in range(50)]
    items[45]["depends_on"] = ["i40"]
    items[40]["depends_on"] = ["i3", "i45"]
    doc = {"backlog": {"title": "b"}, "items": items}
    assert check_document(doc) == [(("items", 40, "depends_on"), "dependency cycle: i40 -> i45 -> i40")]
