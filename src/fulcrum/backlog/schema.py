"""The JSON Schema of backlog format v1, for editors (Taplo / Even Better TOML): completion, hover, errors.

It is generated from the pydantic models, so every field's docstring is its description (read here,
from the models' source, not by pydantic at every import: ``use_attribute_docstrings`` cost every
command ~50 ms), then
adapted to TOML: TOML has no null, so the ``null`` branches of optional fields are removed (an
optional key is simply left out), and keyed tables (``[metrics.KEY]``) admit only valid keys.
The schema checks shapes, types and bounds; references between tables (an unknown metric,
a cycle) need `fulcrum check`.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from fulcrum.backlog.model import Backlog

SCHEMA_ID = "https://fulcrum.invalid/schema/backlog-v1.json"
"""A stable identifier (not a download location: the schema ships with fulcrum)."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7 keywords) of a backlog file, format v1."""
    _describe_fields(Backlog)
    schema = _tomlify(Backlog.model_json_schema())
    assert isinstance(schema, dict)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "fulcrum backlog, format v1",
        **{k: v for k, v in schema.items() if k != "title"},
    }


@cache
def _describe_fields(model: type[BaseModel]) -> None:
    """Each field of ``model`` and of the models it holds gets its docstring as its description
    (inner models first: a model's schema is built from its fields' models as they are)."""
    for field in model.model_fields.values():
        for inner in _models_in(field.annotation):
            _describe_fields(inner)
    docs = _attribute_docstrings(model)
    for name, field in model.model_fields.items():
        if field.description is None and name in docs:
            field.description = docs[name]
    model.model_rebuild(force=True)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _attribute_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """``name: type`` followed by a string in the class body -> {name: the string, cleaned}."""
    found: dict[str, str] = {}
    for cls in reversed(model.__mro__):  # a subclass's docstring wins over its base's
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        (node,) = ast.parse(textwrap.dedent(inspect.getsource(cls))).body
        assert isinstance(node, ast.ClassDef)
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                found[stmt.target.id] = inspect.cleandoc(after.value.value)
    return found


def schema_text() -> str:
    """The schema as pretty JSON text, ending with a newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _tomlify(node: Any) -> Any:
    if isinstance(node, list):
        return [_tomlify(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _tomlify(v) for k, v in node.items()}
    if "default" in out:
        if out["default"] is None:
            del out["default"]
        elif isinstance(out["default"], dict):
            out["default"] = {k: v for k, v in out["default"].items() if v is not None}
    branches = out.get("anyOf")
    if isinstance(branches, list):
        kept = [b for b in branches if b != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = {**kept[0], **out}
        else:
            out["anyOf"] = kept
    if "patternProperties" in out and "properties" not in out:
        out["additionalProperties"] = False  # a keyed table: only valid keys
    return out
