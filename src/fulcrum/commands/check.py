"""`fulcrum check FILE [--strict]`: validate a backlog and review its value case.

Exit 0 when valid (warnings printed), 1 with ``--strict`` when there are warnings, 2 when invalid.
Problems go to stderr, warnings to stdout, then one summary line; all of it terminal-safe.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from fulcrum.commands._args import keep_table
from fulcrum.errors import EXIT_INVALID, EXIT_OK, EXIT_WARNINGS, hold
from fulcrum.text import terminal_safe

if TYPE_CHECKING:
    from fulcrum.backlog import Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", default="backlog.toml", help="backlog file (default: ./backlog.toml)"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")


def run(args: argparse.Namespace) -> int:
    from fulcrum.backlog import paused_gc

    with paused_gc():  # many long-lived objects, no cycles: the collector would walk them for nothing
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from fulcrum.backlog import BacklogError, Locator, Problem, parse_backlog, read_text
    from fulcrum.text import fmt

    name = str(args.file)
    shown = terminal_safe(name)
    started = time.time_ns()  # before the file is read: a write after it is not kept as this
    try:
        text = read_text(Path(name))
    except BacklogError as exc:  # no such file, a directory, unreadable: said as it is, not "1 problem"
        for p in exc.problems:
            print(p.render(), file=sys.stderr)
        return EXIT_INVALID
    try:
        backlog = parse_backlog(text, name)
    except BacklogError as exc:
        hold(exc)  # its document dies with the process, not object by object
        return _invalid(exc.problems, shown)
    # Imported once the file is valid: an invalid one is reported without loading the scoring.
    from fulcrum.scoring import CLOSED, ScoringError, review, review_threshold, score_backlog

    try:
        # The configured method must work too: a backlog `rank` cannot score is not valid.
        score_backlog(backlog)
    except ScoringError as exc:
        locator = Locator(text, len(backlog.items))
        index = {it.id: i for i, it in enumerate(backlog.items)}
        problems: list[Problem] = []
        for item, msg in exc.problems:
            loc: tuple[str | int, ...] = ("items", index[item]) if item in index else ("scoring", "method")
            line, col = locator.find(loc)
            problems.append(Problem(msg, file=name, line=line, column=col, item=item, field=""))
        return _invalid(problems, shown)
    keep_table(name, backlog, started)  # the next `rank` of this file answers from it

    # In file order (metric-level and item-level together, unlocated last); the sort is stable.
    warnings = sorted(review(backlog, text), key=lambda w: (w.line is None, w.line or 0))
    for w in warnings:
        print(terminal_safe(w.headline(name)))
    n_open = sum(1 for it in backlog.items if it.status not in CLOSED)
    threshold, how = review_threshold(backlog)
    summary = (
        f"{shown}: valid; {len(backlog.items)} items ({n_open} open), "
        f"{len(backlog.stakeholders)} stakeholders, {len(backlog.metrics)} metrics; "
        f"{_count(len(warnings), 'warning')} "
        f"(evidence needed above {fmt.money(threshold, backlog.backlog.currency)}/yr: {how})"
    )
    print(terminal_safe(summary))
    return EXIT_WARNINGS if warnings and args.strict else EXIT_OK


def _invalid(problems: list[Problem], shown: str) -> int:
    lines = [p.render() for p in problems]  # one write: stderr is line-buffered, 2,000 problems ~6,000 lines
    them = "it" if len(problems) == 1 else "them"
    lines.append(f"{shown}: invalid: {_count(len(problems), 'problem')}; fix {them} and run check again")
    sys.stderr.write("\n".join(lines) + "\n")
    return EXIT_INVALID


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
