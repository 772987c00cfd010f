"""How errors reach the user: one place that prints them, for every command."""

from __future__ import annotations

import sys

from fulcrum.backlog import BacklogError
from fulcrum.scoring import ScoringError
from fulcrum.text import terminal_safe

EXIT_INVALID = 2


def report(exc: BaseException, file: str = "") -> int:
    """Print a user-caused error to stderr and return exit code 2."""
    if isinstance(exc, BacklogError):
        print(str(exc), file=sys.stderr)
        n = len(exc.problems)
        if n > 1:
            print(f"{n} problems", file=sys.stderr)
    elif isinstance(exc, ScoringError):
        prefix = f"{file}: " if file else ""
        for item, msg in exc.problems:
            where = f"item {item!r}: " if item else ""
            print(terminal_safe(f"{prefix}{where}{msg}"), file=sys.stderr)
    else:
        print(terminal_safe(f"fulcrum: {exc}"), file=sys.stderr)
    return EXIT_INVALID


def report_internal_error(exc: BaseException) -> int:
    """A bug of ours: one line, and how to get the traceback."""
    print(
        terminal_safe(f"fulcrum: internal error: {type(exc).__name__}: {exc}")
        + "\n(this is a bug in fulcrum; run again with FULCRUM_DEBUG=1 to see the traceback)",
        file=sys.stderr,
    )
    return 70
