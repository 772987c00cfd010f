"""Argparse pieces shared by the printing commands, so each option reads and checks the same."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from fulcrum.scoring import METHODS  # not fulcrum.backlog's: a cached rank loads no models

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from fulcrum.backlog import Backlog
    from fulcrum.scoring import ScoringTable


#: The kind of cache entry a backlog's scoring table is kept as (fulcrum.cache.derived).
TABLE_ENTRY = "scoring-table"


def caching(args: argparse.Namespace | None = None) -> bool:
    """True unless ``--no-cache`` or ``FULCRUM_NO_CACHE`` turns the cache off."""
    from fulcrum.cache import disabled

    return not getattr(args, "no_cache", False) and not disabled()


def keep_table(file: str, backlog: Backlog, started_ns: int, args: argparse.Namespace | None = None) -> None:
    """Keep the scoring table of ``backlog``, loaded from ``file`` by a run that started at
    ``started_ns``, for the next `rank` of the file (every command that loads a file whole does,
    when the cache is on)."""
    if caching(args):
        from fulcrum.cache import bytes_read, store_derived
        from fulcrum.scoring import table_of

        store_derived(TABLE_ENTRY, file, table_of(backlog).to_plain(), started_ns, bytes_read(file))


def scoring_table(args: argparse.Namespace) -> ScoringTable:
    """FILE's scoring table: the cached one when it still holds the file's bytes (no model loaded),
    else the loaded file's (BacklogError on bad input), kept for the next run."""
    if caching(args):
        from fulcrum.cache import lookup_derived
        from fulcrum.scoring import ScoringTable

        table = ScoringTable.from_plain(lookup_derived(TABLE_ENTRY, args.file))
        if table is not None:
            return table
    from fulcrum.scoring import table_of

    return table_of(loaded(args))


def loaded(args: argparse.Namespace) -> Backlog:
    """FILE loaded (BacklogError on bad input), its scoring table kept for the next run."""
    import time

    from fulcrum.backlog import load_backlog, paused_gc

    started = time.time_ns()
    with paused_gc():
        backlog = load_backlog(args.file)
        keep_table(args.file, backlog, started, args)
    return backlog


def iso_date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD date."""
    from datetime import date  # here: `rank` parses no date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def whole_number(minimum: int = 1, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``minimum`` to ``maximum`` (no upper bound if None)."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {n}")
        if maximum is not None and n > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum}, got {n}")
        return n

    return parse


def add_file(parser: argparse.ArgumentParser) -> None:
    """The positional FILE."""
    parser.add_argument("file", help="backlog file (TOML, format v1)")


def add_lens(parser: argparse.ArgumentParser) -> None:
    """--lens KEY."""
    parser.add_argument(
        "--lens", metavar="KEY", help="value through a stakeholder's eyes (default: everyone)"
    )


def add_start(parser: argparse.ArgumentParser, extra: str = "") -> None:
    """--start DATE: day 1 of the plan."""
    parser.add_argument(
        "--start",
        metavar="DATE",
        type=iso_date,
        help=f"day 1 of the plan, YYYY-MM-DD (default: [backlog] start, else today){extra}",
    )


def add_method(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """--method M | --formula EXPR (one or the other)."""
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--method", choices=METHODS, help=f"score method (default: [scoring] method){purpose}")
    how.add_argument(
        "--formula", metavar="EXPR", help='score with this formula, e.g. "value * confidence / effort"'
    )


def add_scoring_arguments(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """FILE, --lens, --method | --formula: what rank, explain and matrix score by."""
    add_file(parser)
    add_lens(parser)
    add_method(parser, purpose)


def add_today(parser: argparse.ArgumentParser) -> None:
    """--today DATE: the plan as of that day (default: the current date)."""
    parser.add_argument(
        "--today",
        metavar="DATE",
        type=iso_date,
        help="the plan as of this day, YYYY-MM-DD: ended phases are history, the rest is re-planned "
        "(default: the current date; before the start it means the start)",
    )


def today_of(args: argparse.Namespace) -> date:
    """``--today``, else the current date (``SOURCE_DATE_EPOCH`` when set, for reproducible output)."""
    from fulcrum.plan import current_date  # here: commands that take no --today never import the plan

    given: date | None = getattr(args, "today", None)
    return given or current_date()


def write_document(text: str, output: str | None, source: str) -> int:
    """Print ``text`` (no ``output``, or ``-``), or write it atomically to ``output``, never over
    ``source`` (the backlog it was made from); the exit code, with the outcome said on stderr."""
    import sys
    from pathlib import Path

    from fulcrum.errors import EXIT_INVALID, EXIT_OK
    from fulcrum.save import WriteError, write_atomic
    from fulcrum.text import terminal_safe

    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    try:
        write_atomic(Path(output), text.encode("utf-8"), protect=Path(source))
    except WriteError as exc:
        print(terminal_safe(f"fulcrum: {exc}"), file=sys.stderr)
        return EXIT_INVALID
    print(terminal_safe(f"fulcrum: wrote {output}"), file=sys.stderr)
    return EXIT_OK
