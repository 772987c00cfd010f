"""Importing a tracker's issues (Jira, Linear, GitHub) into a backlog, merged, never overwritten."""

from __future__ import annotations

from fulcrum.importers.apply import READERS, ImportResult, import_into, read_export
from fulcrum.importers.issues import Export, ExportError, Issue, clean_line
from fulcrum.importers.merge import (
    DEFAULT_POINTS_PER_WEEK,
    PLACEHOLDER_EFFORT,
    POINTS_FIELD,
    STATUS_NAMES,
    Change,
    Report,
    effort_of,
    merge,
    status_of,
)

__all__ = [
    "DEFAULT_POINTS_PER_WEEK",
    "PLACEHOLDER_EFFORT",
    "POINTS_FIELD",
    "READERS",
    "STATUS_NAMES",
    "Change",
    "Export",
    "ExportError",
    "ImportResult",
    "Issue",
    "Report",
    "clean_line",
    "effort_of",
    "import_into",
    "merge",
    "read_export",
    "status_of",
]
