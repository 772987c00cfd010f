"""`fulcrum export FILE [-o plan.md] [--lens KEY] [--start DATE] [--today DATE]`: the plan as Markdown.

Without ``-o`` (or with ``-o -``) the Markdown goes to stdout. With ``-o`` it is written atomically by
:func:`fulcrum.save.atomic.write_atomic` (the same write as a save): a temporary file beside the target,
flushed, fsynced and read back, then renamed over it, so a reader never sees half a plan and a
failed write leaves the old file as it was. A symlinked target is written through (the link
stays), an existing file keeps its permissions, a read-only one is refused, and the backlog itself
is never overwritten. Every failure is one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse

from fulcrum.backlog import BacklogError, load_backlog
from fulcrum.commands._args import add_file, add_lens, add_start, add_today, today_of, write_document
from fulcrum.errors import report
from fulcrum.save import WriteError
from fulcrum.scoring import ScoringError

OutputError = WriteError
"""The output file cannot be written (the message says why): the one error of fulcrum.save.atomic."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `fulcrum export`."""
    add_file(parser)
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write the Markdown to PATH (atomically) instead of stdout"
    )
    add_lens(parser)
    add_start(parser, "; also the date shown")
    add_today(parser)
    parser.add_argument(
        "--internal",
        action="store_true",
        help="add the author's notes: estimate accuracy, review warnings, who is not met yet",
    )


def run(args: argparse.Namespace) -> int:
    """Render the plan and print or write it."""
    from fulcrum.backlog import paused_gc
    from fulcrum.output import render_markdown

    try:
        # No cyclic collection while the plan and the document are built: ~30-40% of a
        # 10,000-item export was the collector walking objects that all stay alive.
        with paused_gc():
            backlog = load_backlog(args.file)
            text = render_markdown(
                backlog, args.lens, start=args.start, today=today_of(args), internal=args.internal
            )
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    return write_document(text, args.output, args.file)
