"""Equal point estimates of one load are one frozen object (``values.sharing_points``): the same
values as separate models, zero keeps its sign, a bad number is refused every time it appears,
and nothing is shared outside a load."""

from __future__ import annotations

import math

import pytest

from backlogs import HEAD, ROOT
from fulcrum.backlog import BacklogError, Estimate, parse_backlog


def _items(efforts: list[str]) -> str:
    return HEAD + "".join(
        f'[[items]]\nid = "i{n}"\ntitle = "t"\neffort = 2\n[items.impact]\nrevenue = {e}\n'
        for n, e in enumerate(efforts)
    )


def test_equal_points_of_a_load_are_one_object_with_the_same_values() -> None:
    b = parse_backlog(_items(["5", "5.0", "7", "5"]))
    impacts = [it.impact["revenue"] for it in b.items]
    assert impacts[0] is impacts[1] is impacts[3] and impacts[2] is not impacts[0]
    assert impacts[0] == Estimate.point(5.0) and impacts[0].model_dump() == Estimate.point(5.0).model_dump()
    assert b.items[0].effort is b.items[1].effort  # effort = 2 everywhere


def test_zero_is_never_shared_so_its_sign_is_kept() -> None:
    b = parse_backlog(_items(["0.0", "-0.0"]))
    low = [it.impact["revenue"].low for it in b.items]
    assert [math.copysign(1, x) for x in low] == [1.0, -1.0]


def test_a_bad_number_is_refused_wherever_it_appears() -> None:
    with pytest.raises(BacklogError) as err:
        parse_backlog(_items(["1e20", "1e20"]))
    assert [p.item for p in err.value.problems] == ["i0", "i1"]


def test_nothing_is_shared_outside_a_load() -> None:
    assert Estimate.model_validate(3) is not Estimate.model_validate(3)
    a, b = (parse_backlog(_items(["9"])).items[0].impact["revenue"] for _ in range(2))
    assert a == b and a is not b


def test_loads_in_two_threads_share_nothing() -> None:
    """The TUI loads in a worker thread while the UI thread checks edits: each load has its own
    points (a context variable), so no object of one load's models is another's."""
    import sys
    import threading

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synth import synth_text

    text = synth_text(1_500, seed=4)
    out: list[list[object]] = [[], []]

    def load(k: int) -> None:
        b = parse_backlog(text)
        out[k] = [e for it in b.items for e in (it.effort, *it.impact.values())]

    threads = [threading.Thread(target=load, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out[0] == out[1] and len(out[0]) > 3_000
    assert not {id(e) for e in out[0]} & {id(e) for e in out[1]}
