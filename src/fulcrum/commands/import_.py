"""`fulcrum import jira|linear|github EXPORT --into FILE [--dry-run]`: bring a tracker's issues in.

The export is merged into the backlog (``fulcrum.importers``): new issues are added, the
tracker's fields of known ones updated, the user's never touched, and issues missing from the
export reported, never deleted. The changes are printed (``--dry-run``: printed, nothing
written), then what to fill in next, as `check` will review it. Exit 0 on success, 2 when the
export is not the named format, the backlog is invalid, or the save is refused; the backlog on
disk is then as it was.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fulcrum.errors import EXIT_INVALID, EXIT_OK, report
from fulcrum.text import terminal_safe

if TYPE_CHECKING:
    from fulcrum.backlog import Backlog
    from fulcrum.importers import Change, ImportResult

#: At most this many lines per list (added, updated, notes); the rest is counted.
SHOWN = 200
#: Ids named in each "next" line.
NEXT_IDS = 8


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("system", choices=("jira", "linear", "github"), help="the tracker the export is from")
    parser.add_argument(
        "export",
        help="a Jira CSV export, a Linear CSV export, or the output of "
        "`gh issue list --state all --json number,title,body,labels,assignees,state,url,milestone`",
    )
    parser.add_argument(
        "--into",
        metavar="FILE",
        default="backlog.toml",
        help="the backlog to merge into (default: ./backlog.toml); created from the starter if missing",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the changes; write nothing")


def run(args: argparse.Namespace) -> int:
    from fulcrum.backlog import BacklogError
    from fulcrum.commands.init import starter_text
    from fulcrum.importers import ExportError, import_into
    from fulcrum.save import SaveConflict, SaveError

    into = Path(args.into)
    try:
        result = import_into(
            args.system, Path(args.export), into, dry_run=args.dry_run, starter=starter_text()
        )
    except ExportError as exc:
        print(terminal_safe(f"fulcrum import: {exc}; {args.into} is unchanged"), file=sys.stderr)
        return EXIT_INVALID
    except BacklogError as exc:
        return report(exc, args.into)
    except (SaveError, SaveConflict) as exc:
        print(terminal_safe(f"fulcrum import: {exc}"), file=sys.stderr)
        return EXIT_INVALID
    _print(result, args.into, args.dry_run)
    return EXIT_OK


def _print(result: ImportResult, name: str, dry_run: bool) -> None:
    r = result.report
    lines: list[str] = []
    verb = "would add" if dry_run else "added"
    head = (
        f"{name}: {len(r.added)} {verb}, {len(r.updated)} {'would be ' if dry_run else ''}updated, "
        f"{r.unchanged} unchanged, {len(r.missing)} missing from the export (kept)"
    )
    if result.created:
        head += "; a new backlog from the starter" + (" would be written" if dry_run else " was written")
    if dry_run:
        head += " (dry run: nothing written)"
    elif not result.written:
        head += " (nothing to write: the file is unchanged)"
    lines.append(head)
    lines += _section("added" if not dry_run else "would add", r.added, lambda c: c.title)
    lines += _section("updated" if not dry_run else "would update", r.updated, lambda c: "; ".join(c.fields))
    lines += _section("missing from the export (kept as they are)", r.missing, lambda c: c.title)
    if r.notes:
        lines.append("notes:")
        lines += [f"  {n}" for n in r.notes[:SHOWN]]
        if len(r.notes) > SHOWN:
            lines.append(f"  ... and {len(r.notes) - SHOWN:,} more")
    lines += _next(result.backlog, r.system, name)
    out = "\n".join(terminal_safe(line, newlines=False) for line in lines)
    sys.stdout.write(out + "\n")
    sys.stdout.flush()


def _section(title: str, changes: list[Change], what: object) -> list[str]:
    if not changes:
        return []
    show = what if callable(what) else (lambda c: "")
    width = min(max(len(c.id) for c in changes[:SHOWN]), 24)
    lines = [f"{title}:"]
    lines += [f"  {c.id:<{width}}  {c.key}  {show(c)}" for c in changes[:SHOWN]]
    if len(changes) > SHOWN:
        lines.append(f"  ... and {len(changes) - SHOWN:,} more")
    return lines


def _next(backlog: Backlog, system: str, name: str) -> list[str]:
    """What to fill in next, for the open items of this tracker (as `check` reviews them)."""
    from fulcrum.scoring import CLOSED, effort_not_estimated, needs_value_case

    mine = [
        it for it in backlog.items if it.source and it.source.system == system and it.status not in CLOSED
    ]
    value = [it.id for it in mine if needs_value_case(it)]
    effort = [it.id for it in mine if effort_not_estimated(it)]
    if not value and not effort:
        return []
    lines = ["next:"]
    if effort:
        lines.append(f"  estimate the effort of {_ids(effort)} (no story points: 1 person-week stands in)")
    if value:
        lines.append(f"  give {_ids(value)} a value case: which metric each moves, by how much (impact)")
    lines.append(f"  `fulcrum check {name}` lists each one")
    return lines


def _ids(ids: list[str]) -> str:
    n = len(ids)
    shown = ", ".join(ids[:NEXT_IDS]) + (f" and {n - NEXT_IDS:,} more" if n > NEXT_IDS else "")
    return f"{n:,} item{'s' if n != 1 else ''} ({shown})"
