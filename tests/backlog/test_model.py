"""The format v1 models: estimates, strictness, text rules, helpers, and a docstring on every field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from fulcrum.backlog import (
    MAX_MAGNITUDE,
    Backlog,
    BacklogMeta,
    Capacity,
    Estimate,
    Item,
    Metric,
    PlanConfig,
    Review,
    Scoring,
    Stakeholder,
)

MODELS: list[type[BaseModel]] = [
    Backlog,
    BacklogMeta,
    Scoring,
    Review,
    Capacity,
    PlanConfig,
    Metric,
    Stakeholder,
    Item,
    Estimate,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    """A docstring under every field (the JSON Schema's descriptions, read by schema.py)."""
    from fulcrum.backlog.schema import _attribute_docstrings

    docs = _attribute_docstrings(model)
    missing = [name for name in model.model_fields if not docs.get(name, "").strip()]
    assert missing == []
    assert (model.__doc__ or "").strip()


def test_a_number_is_a_point_estimate() -> None:
    e = Estimate.model_validate(3)
    assert (e.low, e.likely, e.high, e.is_point, e.expected) == (3, 3, 3, True, 3)
    assert e == Estimate.point(3.0)


def test_a_range_has_the_pert_mean() -> None:
    e = Estimate.model_validate({"low": 2, "likely": 4, "high": 12})
    assert not e.is_point
    assert e.expected == pytest.approx((2 + 16 + 12) / 6)


def test_an_estimate_dumps_as_the_user_wrote_it() -> None:
    assert Estimate.model_validate(2).model_dump() == 2
    assert Estimate.model_validate(2.5).model_dump() == 2.5
    assert Estimate.model_validate({"low": 1, "likely": 2.5, "high": 4}).model_dump() == {
        "low": 1,
        "likely": 2.5,
        "high": 4,
    }


@pytest.mark.parametrize(
    "value",
    [True, "12", None, [1], {"low": 1, "likely": 2}, {"low": 3, "likely": 2, "high": 4}, float("nan")],
    ids=["bool", "string", "none", "list", "missing-high", "unordered", "nan"],
)
def test_estimates_reject(value: object) -> None:
    with pytest.raises(ValidationError):
        Estimate.model_validate(value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("confidence", True),
        ("confidence", "0.5"),
        ("confidence", 1.01),
        ("phase", 45),
        ("phase", "30"),
        ("status", "Done"),
        ("effort", 0),
        ("effort", 10_001),
        ("title", "a\nb"),
        ("title", "x" * 501),
        ("owner", "\u202eevil"),
        ("decision", "nul\x00"),
        ("id", "-starts-with-dash"),
        ("id", "has space"),
        ("id", "a" * 65),
        ("id", "trailing\n"),
        ("fields", {"x": MAX_MAGNITUDE * 10}),
        ("fields", {"x": float("inf")}),
        ("tags", "not-a-list"),
    ],
)
def test_items_are_strict(field: str, value: object) -> None:
    data = {"id": "a", "title": "A", "effort": 1, field: value}
    with pytest.raises(ValidationError):
        Item.model_validate(data)


def test_text_may_span_lines_where_it_explains_and_not_where_it_labels() -> None:
    it = Item.model_validate(
        {
            "id": "a.b_c-1",
            "title": "tab\tok",
            "effort": 1,
            "decision": "one\r\ntwo\tthree",
            "evidence": {"x": "a\nb"},
        }
    )
    assert it.decision == "one\r\ntwo\tthree"
    assert Metric.model_validate({"label": "M", "source": "line 1\nline 2"}).source == "line 1\nline 2"
    with pytest.raises(ValidationError):
        Metric.model_validate({"label": "two\nlines"})


def test_stakeholder_weights_from_a_list_or_a_table() -> None:
    listed = Stakeholder.model_validate({"name": "A", "cares_about": ["x", "y"]})
    weighted = Stakeholder.model_validate({"name": "B", "cares_about": {"x": 2, "y": 0.5}})
    assert listed.weights == {"x": 1.0, "y": 1.0}
    assert weighted.weights == {"x": 2.0, "y": 0.5}
    for bad in (["x", "x"], {"x": -1}, {"x": True}, "x", [1]):
        with pytest.raises(ValidationError):
            Stakeholder.model_validate({"name": "C", "cares_about": bad})


def test_formula_method_needs_a_formula() -> None:
    with pytest.raises(ValidationError, match="needs a formula"):
        Scoring.model_validate({"method": "formula"})
    assert Scoring.model_validate({"method": "formula", "formula": "value"}).formula == "value"


def test_models_are_frozen_and_replace_item_builds_a_new_backlog() -> None:
    b = Backlog.model_validate({"backlog": {"title": "t"}, "items": [{"id": "a", "title": "A", "effort": 1}]})
    with pytest.raises(ValidationError):
        b.items[0].title = "changed"  # type: ignore[misc]
    new = b.replace_item(b.item("a").model_copy(update={"title": "B"}))
    added = b.replace_item(Item.model_validate({"id": "z", "title": "Z", "effort": 2}))
    assert (b.item("a").title, new.item("a").title) == ("A", "B")
    assert [it.id for it in added.items] == ["a", "z"]
    with pytest.raises(KeyError):
        b.item("nope")


def test_capacity_of_each_phase() -> None:
    c = Capacity(days_30=1, days_60=2, days_90=3)
    assert [c.of(p) for p in (30, 60, 90)] == [1, 2, 3]
