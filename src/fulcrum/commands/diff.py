"""`fulcrum diff OLD NEW [--format table|json] [--today DATE]`: what changed between two versions.

OLD and NEW are paths or ``REV:PATH`` (read through ``git show``; PATH relative to the current
directory), so ``fulcrum diff HEAD:backlog.toml backlog.toml`` reviews a change before it is
committed. The table is for people; the JSON (ASCII only) for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys

from fulcrum.commands._args import add_today, today_of
from fulcrum.errors import EXIT_INVALID, EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum diff`."""
    parser.add_argument("old", metavar="OLD", help="the earlier version: a file, or REV:PATH (git)")
    parser.add_argument("new", metavar="NEW", help="the later version: a file, or REV:PATH (git)")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    add_today(parser)


def run(args: argparse.Namespace) -> int:
    """Print the diff; exit 2 on bad input or an unreadable revision."""
    from fulcrum.backlog import BacklogError
    from fulcrum.changes import RevisionError, diff_backlogs, diff_lines, diff_to_json, load_version
    from fulcrum.errors import report
    from fulcrum.scoring import ScoringError
    from fulcrum.text import terminal_safe

    name = args.old
    try:
        old = load_version(args.old)
        name = args.new
        new = load_version(args.new)
        d = diff_backlogs(old, new, today=today_of(args))
    except RevisionError as exc:
        print(terminal_safe(f"fulcrum: {exc}"), file=sys.stderr)
        return EXIT_INVALID
    except (BacklogError, ScoringError) as exc:
        return report(exc, name)
    if args.format == "json":
        sys.stdout.write(json.dumps(diff_to_json(d), indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write("\n".join(terminal_safe(line) for line in diff_lines(d)) + "\n")
    return EXIT_OK
