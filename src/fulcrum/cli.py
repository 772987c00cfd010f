"""Command line: ``fulcrum [FILE]`` opens the TUI; ``fulcrum COMMAND ...`` runs a command.

Each command lives in ``fulcrum.commands.NAME`` with ``add_arguments(parser)`` and
``run(args) -> int``; only the module of the command being run is imported, so commands that
print stay fast (no textual, no plotext). Every error a user can cause ends here as a clear
message and exit code 2: never a traceback.
"""

from __future__ import annotations

import os
import sys

from fulcrum import __version__

TYPE_CHECKING = False  # typing itself costs ~10 ms of a cached answer's ~40 (mypy knows the name)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

# argparse, the exit codes and the commands are imported where they are used: a cached command
# answers before any of them is needed (`printing`).

#: name -> one-line help. Kept here so `fulcrum --help` imports no command module.
COMMANDS: dict[str, str] = {
    "check": "validate a backlog and review its value case",
    "rank": "rank the items by score",
    "explain": "show the whole calculation behind one item's score",
    "matrix": "print the impact-vs-feasibility chart",
    "plan": "print the 30-60-90 day plan",
    "export": "write the plan as Markdown",
    "risk": "how sure the plan is, and which number to check first",
    "brief": "write a Markdown note to one stakeholder about their requests",
    "diff": "what changed between two versions of a backlog (files or REV:PATH)",
    "import": "bring issues from a Jira, Linear or GitHub export into a backlog",
    "init": "write a commented starter backlog",
    "schema": "print the JSON Schema of the backlog format",
}

#: Commands whose module name differs from the command (``import`` is a Python keyword).
MODULES: dict[str, str] = {"import": "import_"}

#: Set before any pydantic import: pydantic then skips scanning every installed package's entry
#: points for plugins (fulcrum uses none). A user's own value wins (setdefault).
NO_PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _top_parser() -> argparse.ArgumentParser:
    import argparse

    lines = "\n".join(f"  {name:<9} {text}" for name, text in COMMANDS.items())
    p = argparse.ArgumentParser(
        prog="fulcrum",
        description="Open the triage app on FILE (default ./backlog.toml), or run a command.",
        epilog=f"commands:\n{lines}\n\nRun `fulcrum COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", nargs="?", help="backlog file (default: ./backlog.toml)")
    p.add_argument("--demo", action="store_true", help="open the bundled example backlog")
    from fulcrum.commands._args import add_today

    add_today(p)  # the app's today: decisions are dated with it, the Plan tab plans as of it
    p.add_argument("--version", action="version", version=f"fulcrum {__version__}")
    return p


def command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    """The parser of one command and its module."""
    import argparse
    import importlib

    module = importlib.import_module(f"fulcrum.commands.{MODULES.get(name, name)}")
    parser = argparse.ArgumentParser(prog=f"fulcrum {name}", description=COMMANDS[name])
    module.add_arguments(parser)
    from fulcrum.cache import NO_CACHE_COMMANDS, NO_CACHE_FLAG

    if name in NO_CACHE_COMMANDS:
        parser.add_argument(
            NO_CACHE_FLAG,
            action="store_true",
            help="compute the output afresh and keep nothing (also FULCRUM_NO_CACHE=1)",
        )
    return parser, module


def run() -> None:
    """The ``fulcrum`` console script and ``python -m fulcrum``: :func:`main`, then a quick exit.

    A printing command has written and flushed everything when it returns, so the process ends
    at once instead of tearing down every object it built (~0.6 s at 10,000 items). The TUI
    exits the ordinary way: its terminal has to be restored.
    """
    argv = sys.argv[1:]
    if argv[:1] and argv[0] in COMMANDS:
        code = printing(argv, exiting=True)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to say
            pass
        os._exit(code)
    raise SystemExit(main(argv))


def printing(argv: Sequence[str], exiting: bool = False) -> int:
    """A printing command: from the cache when it holds this very request, else run and keep it.

    A hit writes the recorded output and imports nothing else (no pydantic, no tomli, no models);
    a miss runs :func:`main` with stdout and stderr recorded, writes what they got, and keeps it
    when the command succeeded (``fulcrum.cache``; docs/DESIGN.md "The cache and the fast path").
    ``exiting``: the process ends with ``os._exit`` when this returns (see :func:`main`).
    """
    from fulcrum import cache

    if not cache.wanted(argv):
        return main(argv, exiting=exiting)
    hit = cache.lookup(argv)
    recorder = cache.Recorder((sys.stdout, sys.stderr))
    code = 0
    seen: list[argparse.Namespace] = []
    if hit is None:
        sys.stdout, sys.stderr = recorder.stream(1), recorder.stream(2)
        try:
            code = main(argv, parsed=seen, exiting=exiting)
        finally:
            sys.stdout, sys.stderr = recorder.real
    try:
        if hit is not None:
            code, chunks = hit
            cache.play(chunks, recorder.real)
            return code
        recorder.write_out()
    except BrokenPipeError:  # as in main: the reader went away
        _quiet_stdout()
        return 0
    file = getattr(seen[0], "file", None) if seen else None
    if code == 0 and isinstance(file, str):  # kept beside the bytes it was computed from
        cache.store(argv, file, code, tuple(recorder.chunks), recorder.started_ns, cache.bytes_read(file))
    return code


def main(
    argv: Sequence[str] | None = None, parsed: list[argparse.Namespace] | None = None, exiting: bool = False
) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code.

    ``parsed``, when given, receives the command's parsed arguments (the cache keeps the file read).
    ``exiting``: the process ends with ``os._exit`` once this returns, so what the command built may
    be left to the exit instead of being freed object by object (``fulcrum.errors.hold``).
    """
    from fulcrum.errors import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, exit_soon

    if exiting:
        exit_soon()

    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault(*NO_PYDANTIC_PLUGINS)
    try:
        if args and args[0] in COMMANDS:
            parser, module = command_parser(args[0])
            ns = parser.parse_args(args[1:])
            if parsed is not None:
                parsed.append(ns)
            return int(module.run(ns))  # type: ignore[attr-defined]
        ns = _top_parser().parse_args(args)
        from fulcrum.commands import tui

        return tui.run(ns)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `fulcrum rank | head`): not an error of ours.
        _quiet_stdout()
        return EXIT_OK
    except Exception as exc:  # a bug of ours: say so in one line, never a traceback
        if os.environ.get("FULCRUM_DEBUG"):
            raise
        from fulcrum.errors import report_internal_error

        return report_internal_error(exc)


def _quiet_stdout() -> None:
    """After a closed pipe: stdout goes nowhere, so the final flush raises nothing."""
    import contextlib

    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
