"""Properties: any valid backlog written with tomli-w loads back equal; no input escapes as a crash.

The loader raises only BacklogError for bad input: valid documents damaged at random (any value
replaced, any key added) and arbitrary TOML-ish text either load or fail with located problems.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulcrum.backlog import (
    MAX_EFFORT,
    MAX_MAGNITUDE,
    Backlog,
    BacklogError,
    example_text,
    parse_backlog,
    validate_document,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any character a line of user text may hold: no C0/C1 controls (tab allowed), no bidi controls.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=_BIDI)
line = st.text(st.one_of(_chars, st.just("\t")), max_size=30)
text = st.text(st.one_of(_chars, st.sampled_from("\t\n\r")), max_size=60)
slug = st.from_regex(r"\A[a-z0-9][a-z0-9_.-]{0,10}\Z")
number = st.floats(-MAX_MAGNITUDE, MAX_MAGNITUDE, allow_nan=False) | st.integers(-(10**12), 10**12)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))


def estimate(lo: float, hi: float) -> st.SearchStrategy[Any]:
    bounded = st.floats(lo, hi, allow_nan=False) | st.integers(int(lo) + 1, int(hi))

    def three(xs: list[float]) -> dict[str, float]:
        low, likely, high = sorted(xs)
        return {"low": low, "likely": likely, "high": high}

    return bounded | st.lists(bounded, min_size=3, max_size=3).map(three)


@st.composite
def backlogs(draw: st.DrawFn) -> dict[str, Any]:
    metrics = draw(st.lists(slug, max_size=4, unique=True))
    people = draw(st.lists(slug, max_size=3, unique=True))
    ids = draw(st.lists(slug, min_size=0, max_size=6, unique=True))
    doc: dict[str, Any] = {"backlog": {"title": draw(line)}}
    if draw(st.booleans()):
        doc["backlog"].update(owner=draw(line), currency=draw(st.sampled_from(["USD", "EUR", "CHF"])))
        doc["backlog"]["start"] = draw(dates)
    doc["scoring"] = {
        "method": draw(st.sampled_from(["value_density", "rice", "ice", "wsjf"])),
        "effort_half_life_weeks": draw(st.floats(0.1, 100)),
        "coordination_penalty": draw(st.floats(0, 0.99)),
        "quick_win_min_value": draw(st.just("median") | st.floats(0, 1e9)),
    }
    if draw(st.booleans()):
        doc["scoring"].update(method="formula", formula="value / effort")
    doc["review"] = {"min_value": draw(st.floats(0, 1e9))} if draw(st.booleans()) else {}
    doc["capacity"] = {f"days_{p}": draw(st.floats(0, 50)) for p in (30, 60, 90)}
    doc["plan"] = {"early_wins": draw(st.integers(0, 5))}
    doc["metrics"] = {}
    for key in metrics:
        m: dict[str, Any] = {
            "label": draw(line),
            "unit": draw(line.map(lambda s: s[:40])),
            "source": draw(text),
        }
        if draw(st.booleans()):
            m["value_per_unit"] = draw(st.floats(-1e9, 1e9))
        if draw(st.booleans()):
            m["baseline"] = draw(number)
        doc["metrics"][key] = m
    doc["stakeholders"] = {}
    for key in people:
        cares = draw(st.lists(st.sampled_from(metrics), unique=True)) if metrics else []
        s: dict[str, Any] = {"name": draw(line), "role": draw(line), "influence": draw(st.integers(1, 5))}
        s["cares_about"] = {k: draw(st.floats(0, 1000)) for k in cares} if draw(st.booleans()) else cares
        if draw(st.booleans()):
            s["met"] = draw(dates)
        doc["stakeholders"][key] = s
    doc["items"] = []
    for i, iid in enumerate(ids):
        it: dict[str, Any] = {
            "id": iid,
            "title": draw(line),
            "effort": draw(estimate(0.01, MAX_EFFORT)),
            "confidence": draw(st.floats(0, 1)),
            "status": draw(st.sampled_from(["idea", "planned", "doing", "done", "dropped"])),
            # Earlier items only: the dependencies are acyclic by construction.
            "depends_on": draw(st.lists(st.sampled_from(ids[:i]), unique=True)) if i else [],
            "requested_by": draw(st.lists(st.sampled_from(people), unique=True)) if people else [],
            "needs": draw(st.lists(line, max_size=2)),
            "tags": draw(st.lists(line, max_size=2)),
            "owner": draw(line),
            "decision": draw(text),
        }
        moved = draw(st.lists(st.sampled_from(metrics), unique=True)) if metrics else []
        it["impact"] = {k: draw(estimate(-1e12, 1e12)) for k in moved}
        it["evidence"] = {
            k: draw(text) for k in draw(st.lists(st.sampled_from([*moved, "effort"]), unique=True))
        }
        field_keys = [
            "reach",
            "impact",
            "ease",
            "business_value",
            "time_criticality",
            "risk_reduction",
            "job_size",
        ]
        it["fields"] = {k: draw(st.floats(0.5, 1e6)) for k in field_keys if k not in metrics}
        if draw(st.booleans()):
            it["phase"] = draw(st.sampled_from([30, 60, 90]))
        if draw(st.booleans()):
            it["due"] = draw(dates)
        doc["items"].append(it)
    return doc


@SETTINGS
@given(backlogs())
def test_a_valid_backlog_written_with_tomli_w_loads_back_equal(doc: dict[str, Any]) -> None:
    b = validate_document(doc)
    written = tomli_w.dumps(b.model_dump(mode="python", exclude_none=True))
    assert parse_backlog(written) == b


def test_the_example_round_trips() -> None:
    b = parse_backlog(example_text())
    assert parse_backlog(tomli_w.dumps(b.model_dump(mode="python", exclude_none=True))) == b


# --- nothing but BacklogError escapes, whatever the input ------------------------------------------

leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=10),
    dates,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def damaged(draw: st.DrawFn) -> dict[str, Any]:
    """A valid backlog with one value replaced by anything, or one key added anywhere."""
    doc = draw(backlogs())
    node: Any = doc
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if not isinstance(node[key], (dict, list)) or draw(st.booleans()):
            if draw(st.booleans()) and isinstance(node, dict):
                node[draw(st.text(max_size=8))] = draw(leaf)
            else:
                node[key] = draw(leaf)
            break
        node = node[key]
    return doc


@SETTINGS
@given(damaged())
def test_a_damaged_backlog_is_valid_or_a_located_backlog_error(doc: dict[str, Any]) -> None:
    try:
        assert isinstance(validate_document(doc, "", "d.toml"), Backlog)
    except BacklogError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "d.toml" and p.message
            assert not re.search(r"\{[a-z_]+\}", p.message)  # no unformatted templates
        assert len({(p.field, p.message) for p in exc.problems}) == len(exc.problems)


@SETTINGS
@given(st.text(st.sampled_from("[]{}=\"'.,=#\n abc01-_:"), max_size=120))
def test_any_text_loads_or_is_a_backlog_error(source: str) -> None:
    try:
        parse_backlog(source, "t.toml")
    except BacklogError as exc:
        assert all(p.message for p in exc.problems)
