"""`rank --format json` puts each line together from the scoring table's pre-encoded text and the
numbers; every line must be what the JSON encoder makes of the row's record, whatever the text
and the numbers are."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.commands.rank import iter_json, record
from fulcrum.scoring import METHOD_FORMULAS
from fulcrum.scoring.methods import METHODS
from fulcrum.scoring.table import ScoringTable, new_row, rank_table

encode = json.JSONEncoder(allow_nan=False).encode
numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**18), 10**18),
    st.sampled_from([0.0, -0.0, 1e-308, 5e-324, 1e308, 0.1, 1 / 3]),
)
text = st.text(st.characters(codec="utf-8"), max_size=12)
rows = st.lists(
    st.tuples(
        text,
        text,
        st.floats(0.01, 1.0),
        st.lists(text, max_size=3),
        numbers,
        st.floats(0.01, 1e6),
        st.floats(5e-324, 1.0),
        st.dictionaries(st.sampled_from(["reach", "impact", "ease"]), numbers, max_size=3),
    ),
    min_size=0,
    max_size=8,
)


def table_of(raw: list[tuple]) -> ScoringTable:
    seen: set[str] = set()
    plain = []
    for n, (item_id, title, conf, asked, delta, effort, feas, fields) in enumerate(raw):
        item_id = f"{item_id}-{n}" if item_id in seen else item_id
        seen.add(item_id)
        plain.append(
            new_row(item_id, title, conf, tuple(asked), (("m", delta),), effort, feas, fields, encode)
        )
    by_id = sorted(range(len(plain)), key=lambda i: plain[i][0])
    return ScoringTable(
        title="t",
        currency="USD",
        method="value_density",
        formula=None,
        min_value="median",
        min_feasibility=0.5,
        metrics=(("m", 1.0),),
        lenses=(),
        rows=plain,
        closed=(),
        by_id=by_id,
        field_names=("ease", "impact", "reach"),
    )


FORMULAS = [None, "value * reach", "reach / (impact - impact)", "value * 1e308"]


@settings(deadline=None)  # the first formula loads the evaluator
@given(raw=rows, formula=st.sampled_from(FORMULAS))
def test_each_json_line_is_what_the_encoder_makes_of_the_record(
    raw: list[tuple], formula: str | None
) -> None:
    table = table_of(raw)
    ranking = rank_table(table, formula=formula)
    expected = [encode(record(table, ranking, pos + 1, i)) for pos, i in enumerate(ranking.order)]
    text = "".join(iter_json(table, ranking, ranking.order))
    assert text == ("[\n" + ",\n".join(expected) + "\n]" if expected else "[]")
    assert [r["id"] for r in json.loads(text)] == [table.rows[i][0] for i in ranking.order]


def test_a_number_that_is_not_finite_is_refused_as_the_encoder_refuses_it() -> None:
    table = table_of([("a", "A", 1.0, [], 1.0, 1.0, 1.0, {})])
    ranking = rank_table(table)
    ranking.values[0] = math.inf
    try:
        "".join(iter_json(table, ranking, ranking.order))
    except ValueError as exc:
        assert "not JSON compliant" in str(exc)
    else:
        raise AssertionError("an infinite value was written")


def test_the_method_choices_are_the_formats_methods() -> None:
    from fulcrum.backlog import METHODS as FORMAT_METHODS

    assert METHODS == FORMAT_METHODS
    assert set(METHOD_FORMULAS) == set(METHODS) - {"formula"}
