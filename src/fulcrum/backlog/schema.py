"""The JSON Schema of backlog format v1, for editors (Taplo / Even Better TOML): completion, hover, errors.

It is generated from the pydantic models, so every field's docstring is its description, then
adapted to TOML: TOML has no null, so the ``null`` branches of optional fields are removed (an
optional key is simply left out), and keyed tables (``[metrics.KEY]``) admit only valid keys.
The schema checks shapes, types and bounds; references between tables (an unknown metric,
a cycle) need `fulcrum check`.
"""

from __future__ import annotations

import json
from typing import Any

from fulcrum.backlog.model import Backlog

SCHEMA_ID = "https://fulcrum.invalid/schema/backlog-v1.json"
"""A stable identifier (not a download location: the schema ships with fulcrum)."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7 keywords) of a backlog file, format v1."""
    schema = _tomlify(Backlog.model_json_schema())
    assert isinstance(schema, dict)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "fulcrum backlog, format v1",
        **{k: v for k, v in schema.items() if k != "title"},
    }


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
