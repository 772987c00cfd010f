"""The backlog file: value types, pydantic models, JSON Schema, loading with located errors, cross-checks."""

from __future__ import annotations

from fulcrum.backlog.formula import FormulaError, compile_formula
from fulcrum.backlog.load import (
    MAX_FILE_BYTES,
    BacklogError,
    Problem,
    cross_check,
    decode,
    format_loc,
    load_backlog,
    parse_backlog,
    paused_gc,
    read_text,
    validate_document,
)
from fulcrum.backlog.model import MAX_DATE, METHODS, MIN_DATE, PHASES, STATUSES, Backlog, Estimate, Item
from fulcrum.backlog.positions import Locator
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

__all__ = [
    "MAX_DATE",
    "MAX_FILE_BYTES",
    "METHODS",
    "MIN_DATE",
    "PHASES",
    "STATUSES",
    "Backlog",
    "BacklogError",
    "Estimate",
    "FormulaError",
    "Item",
    "Locator",
    "Problem",
    "ScanError",
    "Segment",
    "at_content_end",
    "compile_formula",
    "cross_check",
    "decode",
    "detached",
    "fix_newlines",
    "format_loc",
    "join",
    "load_backlog",
    "moved_tables",
    "newline_of",
    "parse_backlog",
    "paused_gc",
    "read_text",
    "schema_text",
    "segments",
    "tidy_end",
    "validate_document",
]
