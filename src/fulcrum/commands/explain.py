"""`fulcrum explain FILE ITEM`: the whole calculation behind one item's score, line by line."""

from __future__ import annotations

import argparse

from fulcrum.backlog import paused_gc
from fulcrum.commands._args import add_scoring_arguments
from fulcrum.commands.rank import ranking_from_args
from fulcrum.errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum explain`."""
    add_scoring_arguments(parser)
    parser.add_argument("item", help="the id of the item to explain")  # after FILE: `explain FILE ITEM`


def run(args: argparse.Namespace) -> int:
    """Print the explanation; exit 2 on bad input or an unknown item."""
    from fulcrum.backlog import BacklogError
    from fulcrum.errors import report
    from fulcrum.scoring import ScoringError, explain_item
    from fulcrum.text import terminal_safe

    try:
        with paused_gc():
            ranking = ranking_from_args(args)
            explanation = explain_item(ranking, args.item)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    print("\n".join(terminal_safe(line) for line in explanation.lines()))
    return EXIT_OK
