"""The JSON Schema of format v1: numbers or ranges as anyOf, no null; it accepts every backlog we ship
and rejects what the loader rejects (checked with a small validator below)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from fulcrum.backlog import BacklogError, example_text, parse_backlog
from fulcrum.backlog.schema import json_schema
from fulcrum.commands.init import starter_text


def test_numbers_or_ranges_are_any_of_and_toml_has_no_null() -> None:
    schema = json_schema()
    effort = schema["$defs"]["Item"]["properties"]["effort"]
    number, table = effort["anyOf"]
    assert number["type"] == "number"
    assert table["required"] == ["low", "likely", "high"] and table["additionalProperties"] is False
    assert "null" not in json.dumps(schema)
    assert schema["$defs"]["Item"]["properties"]["phase"] == {
        "enum": [30, 60, 90],
        "type": "integer",
        "description": "Pin to the 30, 60 or 90 day phase.",
        "title": "Phase",
    }


class SchemaError(AssertionError):
    pass


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "") -> None:
    """A small JSON Schema validator for the keywords our schema uses (jsonschema is not a dependency)."""
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        validate(value, node, root, path)
    if "anyOf" in schema:
        errors = []
        for branch in schema["anyOf"]:
            try:
                validate(value, branch, root, path)
                break
            except SchemaError as exc:
                errors.append(str(exc))
        else:
            raise SchemaError(f"{path}: no branch of anyOf fits: {errors}")
    kind = schema.get("type")
    types = {
        "object": dict,
        "array": list,
        "string": (str, dt.date),
        "integer": int,
        "number": (int, float),
        "boolean": bool,
    }
    if kind and (not isinstance(value, types[kind]) or (kind in ("integer", "number") and value is True)):
        raise SchemaError(f"{path}: expected {kind}, got {value!r}")
    if kind == "string" and isinstance(value, dt.date) and schema.get("format") != "date":
        raise SchemaError(f"{path}: a date where a string is expected")
    if "const" in schema and value != schema["const"]:
        raise SchemaError(f"{path}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{path}: {value!r} not in {schema['enum']}")
    for key, ok in (
        ("minimum", lambda v, m: v >= m),
        ("maximum", lambda v, m: v <= m),
        ("exclusiveMinimum", lambda v, m: v > m),
        ("exclusiveMaximum", lambda v, m: v < m),
    ):
        if key in schema and isinstance(value, (int, float)) and not ok(value, schema[key]):
            raise SchemaError(f"{path}: {value!r} breaks {key} {schema[key]}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            raise SchemaError(f"{path}: too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise SchemaError(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            validate(v, schema["items"], root, f"{path}[{i}]")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for req in schema.get("required", []):
            if req not in value:
                raise SchemaError(f"{path}: {req} is required")
        for k, v in value.items():
            if k in props:
                validate(v, props[k], root, f"{path}.{k}")
                continue
            matched = [s for p, s in schema.get("patternProperties", {}).items() if re.search(p, k)]
            for s in matched:
                validate(v, s, root, f"{path}.{k}")
            extra = schema.get("additionalProperties", True)
            if not matched and extra is False:
                raise SchemaError(f"{path}: unknown key {k!r}")
            if not matched and isinstance(extra, dict):
                validate(v, extra, root, f"{path}.{k}")


@pytest.mark.parametrize("source", ["example", "starter", "golden"])
def test_the_schema_accepts_every_backlog_we_ship(source: str, golden_toml: Path) -> None:
    text = {"example": example_text, "starter": starter_text, "golden": golden_toml.read_text}[source]()
    schema = json_schema()
    validate(tomllib.loads(text), schema, schema)


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["backlog"].update(titel="x"), "unknown key 'titel'"),
        (lambda d: d["items"][0].update(confidence=True), "expected number"),
        (lambda d: d["items"][0].update(effort={"low": 1, "likely": 2}), "no branch of anyOf"),
        (lambda d: d["items"][0].update(status="Done"), "not in"),
        (lambda d: d["metrics"].update({"bad key": {"label": "x"}}), "unknown key 'bad key'"),
        (lambda d: d["stakeholders"]["cfo"].update(influence=9), "breaks maximum"),
        (lambda d: d.update(extra={}), "unknown key 'extra'"),
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(mutate, words: str) -> None:
    doc = tomllib.loads(example_text())
    mutate(doc)
    schema = json_schema()
    with pytest.raises(SchemaError, match=re.escape(words)):
        validate(doc, schema, schema)
    with pytest.raises(BacklogError):  # the loader agrees
        parse_backlog(tomli_w.dumps(doc))


def test_every_property_is_described_by_its_field_docstring() -> None:
    """The descriptions (editors show them on hover) are the models' field docstrings, read by the
    schema itself: the models are built without reading their source (a cost at every import)."""
    schema = json_schema()
    undescribed: list[str] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                if not prop.get("description"):
                    undescribed.append(f"{path}.{key}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    walk(schema, "")
    assert undescribed == []
    item = schema["$defs"]["Item"]["properties"]
    assert item["id"]["description"] == 'Unique slug, e.g. "cdn-images".'
    assert item["confidence"]["description"] == "Probability, 0..1, that the value materialises."
    assert schema["properties"]["items"]["description"]


def test_empty_defaults_are_shown_for_lists_and_tables_made_by_a_factory() -> None:
    """Defaults made per item (``default_factory``) would be missing from the schema without
    ``json_schema_extra``: an editor shows them."""
    item = json_schema()["$defs"]["Item"]["properties"]
    assert [item[k]["default"] for k in ("fields", "impact", "evidence")] == [{}, {}, {}]
    assert [item[k]["default"] for k in ("requested_by", "needs", "depends_on", "excludes", "tags")] == [
        []
    ] * 5
