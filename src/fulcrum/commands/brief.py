"""`fulcrum brief FILE STAKEHOLDER [-o FILE] [--today DATE] [--start DATE]`: a note to one stakeholder.

The Markdown goes to stdout, or with ``-o`` is written atomically (as ``export -o`` writes; the
backlog itself is refused as a target). An unknown stakeholder is exit 2 with a hint.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fulcrum.commands._args import add_file, add_start, add_today, today_of
from fulcrum.errors import EXIT_INVALID, EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `fulcrum brief`."""
    add_file(parser)
    parser.add_argument(
        "stakeholder", metavar="STAKEHOLDER", help="the stakeholder's key ([stakeholders.KEY])"
    )
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write the Markdown to PATH (atomically) instead of stdout"
    )
    add_today(parser)
    add_start(parser)


def run(args: argparse.Namespace) -> int:
    """Render the brief and print or write it."""
    from fulcrum.backlog import BacklogError, load_backlog
    from fulcrum.errors import report
    from fulcrum.output import render_brief
    from fulcrum.save import WriteError, write_atomic
    from fulcrum.scoring import ScoringError
    from fulcrum.text import terminal_safe

    try:
        backlog = load_backlog(args.file)
        text = render_brief(backlog, args.stakeholder, today=today_of(args), start=args.start)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomic(Path(args.output), text.encode("utf-8"), protect=Path(args.file))
    except WriteError as exc:
        print(terminal_safe(f"fulcrum: {exc}"), file=sys.stderr)
        return EXIT_INVALID
    print(terminal_safe(f"fulcrum: wrote {args.output}"), file=sys.stderr)
    return EXIT_OK
