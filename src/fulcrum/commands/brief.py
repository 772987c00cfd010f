"""`fulcrum brief FILE STAKEHOLDER [-o FILE] [--today DATE] [--start DATE]`: a note to one stakeholder.

The Markdown goes to stdout, or with ``-o`` is written atomically (as ``export -o`` writes; the
backlog itself is refused as a target). An unknown stakeholder is exit 2 with a hint.
"""

from __future__ import annotations

import argparse

from fulcrum.commands._args import add_file, add_start, add_today, today_of, write_document


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
    from fulcrum.scoring import ScoringError

    try:
        backlog = load_backlog(args.file)
        text = render_brief(backlog, args.stakeholder, today=today_of(args), start=args.start)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    return write_document(text, args.output, args.file)
