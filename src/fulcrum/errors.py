"""How errors reach the user: the exit codes of every command, and one place that prints errors.

Importing this module is cheap (the error types are imported when an error is printed), so the
command line can use the exit codes before it loads anything else.
"""

from __future__ import annotations

import gc
import sys

#: Success (for ``check``: no warnings, or warnings without ``--strict``).
EXIT_OK = 0
#: ``check --strict`` found warnings only.
EXIT_WARNINGS = 1
#: The input cannot be used: a bad file, a bad option, a refused write.
EXIT_INVALID = 2
#: A bug of ours (BSD's EX_SOFTWARE).
EXIT_INTERNAL = 70
#: Stopped with Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


#: What :func:`hold` keeps, once :func:`exit_soon` said the process ends with ``os._exit``.
_HELD: list[object] | None = None


def exit_soon() -> None:
    """The process ends with ``os._exit`` once its command returns (``cli.run``): what :func:`hold`
    gets from then on is never freed object by object, the exit frees it all at once; and no
    cyclic garbage collection runs (a command that paused it, as loading does, would otherwise
    re-enable it at its end, and the first collection then walks every object the command made:
    ~0.3 s at 10,000 items, just before the exit)."""
    global _HELD
    _HELD = []
    gc.disable()


def hold(obj: object) -> None:
    """Keep ``obj`` alive until the process ends, when it ends with ``os._exit``; else nothing.

    Freeing the document and the models of a 10,000-item file one object at a time costs ~0.2 s,
    for nothing when the process is about to end; a long-lived one (the TUI, the tests) keeps
    nothing.
    """
    if _HELD is not None:
        _HELD.append(obj)


def report(exc: BaseException, file: str = "") -> int:
    """Print a user-caused error to stderr and return exit code 2."""
    from fulcrum.text import terminal_safe  # here: a cached answer that succeeds never needs it

    hold(exc)
    from fulcrum.scoring import ScoringError

    problems = sys.modules.get("fulcrum.backlog.problems")  # loaded if a BacklogError was raised
    if problems is not None and isinstance(exc, problems.BacklogError):
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


def user_error(exc: BaseException) -> bool:
    """True for an error of the input (a BacklogError or a ScoringError), which :func:`report`
    says in plain words; without importing the models when nothing loaded them (a cached rank)."""
    from fulcrum.scoring import ScoringError

    problems = sys.modules.get("fulcrum.backlog.problems")
    return isinstance(exc, ScoringError) or (problems is not None and isinstance(exc, problems.BacklogError))


def report_internal_error(exc: BaseException) -> int:
    """A bug of ours: one line, and how to get the traceback."""
    from fulcrum.text import terminal_safe

    print(
        terminal_safe(f"fulcrum: internal error: {type(exc).__name__}: {exc}")
        + "\n(this is a bug in fulcrum; run again with FULCRUM_DEBUG=1 to see the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
