"""``fulcrum import``: read an export, merge it into the backlog, write through the targeted save.

The backlog is written only through :func:`fulcrum.save.save_backlog` (targeted edits, verified,
conflict-checked, atomic), or, for a backlog that does not exist yet, as the starter text with
the import's edits (verified the same way by :func:`fulcrum.save.render_edits`) written
atomically where nothing was. A merge that changes nothing writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fulcrum.backlog import Backlog, parse_backlog, paused_gc
from fulcrum.importers.github import read_github
from fulcrum.importers.issues import Export, ExportError
from fulcrum.importers.jira import read_jira
from fulcrum.importers.linear import read_linear
from fulcrum.importers.merge import Report, merge
from fulcrum.save import SaveError, WriteError, read_snapshot, render_edits, save_backlog, write_atomic

READERS: dict[str, Callable[[bytes, str], Export]] = {
    "jira": read_jira,
    "linear": read_linear,
    "github": read_github,
}
#: The biggest export read (a tracker's export of many thousand issues with long descriptions).
MAX_EXPORT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    report: Report
    backlog: Backlog
    """The backlog after the merge."""
    created: bool
    """The backlog file did not exist: a starter backlog is (or would be) written."""
    written: bool
    """The file was written (False for a dry run, and when nothing changed)."""


def read_export(system: str, path: Path) -> Export:
    """The issues of the export at ``path`` in ``system``'s format; ExportError in words."""
    name = str(path)
    try:
        size = os.stat(path).st_size
        if path.is_dir():
            raise ExportError(f"{name}: is a folder; give the export file")
        if size > MAX_EXPORT_BYTES:
            raise ExportError(f"{name}: {size:,} bytes is more than fulcrum reads ({MAX_EXPORT_BYTES:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExportError(f"{name}: no such file") from None
    except PermissionError:
        raise ExportError(f"{name}: cannot be read: permission denied") from None
    except IsADirectoryError:
        raise ExportError(f"{name}: is a folder; give the export file") from None
    except OSError as exc:
        raise ExportError(f"{name}: cannot be read: {exc.strerror or 'an error of the system'}") from None
    return READERS[system](data, name)


def import_into(system: str, export: Path, into: Path, *, dry_run: bool, starter: str) -> ImportResult:
    """Merge the export into the backlog at ``into`` (created from ``starter`` when it does not
    exist, without the starter's example items). Raises ExportError, BacklogError, SaveError,
    SaveConflict; on any of them the backlog on disk is as it was. No cyclic garbage collection
    meanwhile: the issues, the backlogs and their texts all stay alive until the end, and hold no
    cycles (as in loading)."""
    with paused_gc():
        return _import_into(system, export, into, dry_run=dry_run, starter=starter)


def _import_into(system: str, export: Path, into: Path, *, dry_run: bool, starter: str) -> ImportResult:
    issues = read_export(system, export)
    name = str(into)
    if os.path.lexists(into):
        backlog, snapshot = read_snapshot(into)
        merged, report = merge(backlog, issues)
        written = False
        if not dry_run and merged != backlog:
            save_backlog(snapshot, backlog, merged)
            written = True
        return ImportResult(report, merged, created=False, written=written)
    template = parse_backlog(starter, name)
    merged, report = merge(template.model_copy(update={"items": []}), issues)
    if dry_run:
        return ImportResult(report, merged, created=True, written=False)
    text = render_edits(starter, template, merged, name)

    def still_absent() -> None:
        if os.path.lexists(into):
            raise WriteError(f"{name} was created by something else meanwhile; nothing was written")

    try:
        write_atomic(into, text.encode("utf-8"), before_replace=still_absent)
    except WriteError as exc:
        raise SaveError(str(exc)) from None
    return ImportResult(report, merged, created=True, written=True)
