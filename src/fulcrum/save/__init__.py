"""Safe writes of the user's files: targeted edits of the TOML text, verified, conflict-checked, atomic."""

from __future__ import annotations

from fulcrum.save.atomic import WriteError, write_atomic
from fulcrum.save.backlog_file import (
    SaveConflict,
    SaveError,
    disk_changed,
    read_snapshot,
    render_edits,
    save_backlog,
)

__all__ = [
    "SaveConflict",
    "SaveError",
    "WriteError",
    "disk_changed",
    "read_snapshot",
    "render_edits",
    "save_backlog",
    "write_atomic",
]
