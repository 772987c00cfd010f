"""The backlog file: value types, pydantic models, JSON Schema, loading with located errors, cross-checks.

Loading (``load``, ``model``, ``values``, ``problems``) is imported with the package;
what only an error, an edit, a save or ``fulcrum schema`` needs (``positions``, ``toml_text``,
``edit_check``, ``schema``) is imported when one of its names is first used (PEP 562).
"""

from __future__ import annotations

from fulcrum.backlog.load import (
    MAX_FILE_BYTES,
    cross_check,
    decode,
    example_text,
    load_backlog,
    load_example,
    parse_backlog,
    paused_gc,
    read_text,
    validate_document,
)
from fulcrum.backlog.model import (
    METHODS,
    PHASES,
    STATUSES,
    YOU,
    Backlog,
    BacklogMeta,
    Capacity,
    ImportConfig,
    Item,
    Metric,
    PlanConfig,
    Review,
    Scoring,
    Source,
    Stakeholder,
)
from fulcrum.backlog.problems import BacklogError, Problem, shown_path
from fulcrum.backlog.values import MAX_DATE, MAX_EFFORT, MAX_MAGNITUDE, MIN_DATE, Estimate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fulcrum.backlog.edit_check import check_edit, with_item
    from fulcrum.backlog.edit_check import positions as item_positions
    from fulcrum.backlog.positions import Locator, format_loc
    from fulcrum.backlog.schema import schema_text
    from fulcrum.backlog.toml_text import (
        ScanError,
        Segment,
        at_content_end,
        detached,
        fix_newlines,
        join,
        moved_tables,
        newline_of,
        segments,
        tidy_end,
    )

#: Each name imported when first used -> its module and its name there.
_LATER = {
    "check_edit": ("edit_check", "check_edit"),
    "with_item": ("edit_check", "with_item"),
    "item_positions": ("edit_check", "positions"),
    "Locator": ("positions", "Locator"),
    "format_loc": ("positions", "format_loc"),
    "schema_text": ("schema", "schema_text"),
    **{
        name: ("toml_text", name)
        for name in (
            "ScanError",
            "Segment",
            "at_content_end",
            "detached",
            "fix_newlines",
            "join",
            "moved_tables",
            "newline_of",
            "segments",
            "tidy_end",
        )
    },
}


def __getattr__(name: str) -> object:
    home = _LATER.get(name)
    if home is None:
        raise AttributeError(f"module 'fulcrum.backlog' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"fulcrum.backlog.{home[0]}"), home[1])
    globals()[name] = value
    return value


__all__ = [
    "MAX_DATE",
    "MAX_EFFORT",
    "MAX_FILE_BYTES",
    "MAX_MAGNITUDE",
    "METHODS",
    "MIN_DATE",
    "PHASES",
    "STATUSES",
    "YOU",
    "Backlog",
    "BacklogError",
    "BacklogMeta",
    "Capacity",
    "Estimate",
    "ImportConfig",
    "Item",
    "Locator",
    "Metric",
    "PlanConfig",
    "Problem",
    "Review",
    "ScanError",
    "Scoring",
    "Segment",
    "Source",
    "Stakeholder",
    "at_content_end",
    "check_edit",
    "cross_check",
    "decode",
    "detached",
    "example_text",
    "fix_newlines",
    "format_loc",
    "item_positions",
    "join",
    "load_backlog",
    "load_example",
    "moved_tables",
    "newline_of",
    "parse_backlog",
    "paused_gc",
    "read_text",
    "schema_text",
    "segments",
    "shown_path",
    "tidy_end",
    "validate_document",
    "with_item",
]
