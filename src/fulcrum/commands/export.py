"""`fulcrum export FILE [-o plan.md] [--lens KEY] [--start DATE]`: the plan as Markdown.

Without ``-o`` (or with ``-o -``) the Markdown goes to stdout. With ``-o`` it is written atomically:
a temporary file beside the target, flushed and fsynced, then renamed over it, so a reader never
sees half a plan and a failed write leaves the old file as it was. A symlinked target is written
through (the link stays), an existing file keeps its permissions, and the backlog itself is never
overwritten. Every failure is one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
import tempfile
from datetime import date
from pathlib import Path

from fulcrum.errors import EXIT_INVALID, report
from fulcrum.load import BacklogError, load_backlog
from fulcrum.scoring import ScoringError
from fulcrum.textsafe import terminal_safe


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `fulcrum export`."""
    parser.add_argument("file", help="backlog file (TOML, format v1)")
    parser.add_argument(
        "-o", "--output", metavar="PATH", help="write the Markdown to PATH (atomically) instead of stdout"
    )
    parser.add_argument("--lens", metavar="KEY", help="rank as this stakeholder sees it (default: everyone)")
    parser.add_argument(
        "--start",
        metavar="DATE",
        type=_date,
        help="day 1 of the plan, YYYY-MM-DD (default: [backlog] start, else today); also the date shown",
    )


def run(args: argparse.Namespace) -> int:
    """Render the plan and print or write it."""
    from fulcrum.markdown import render_markdown

    try:
        backlog = load_backlog(args.file)
        text = render_markdown(backlog, args.lens, start=args.start)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    if args.output is None or args.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    try:
        write_atomic(Path(args.output), text, protect=Path(args.file))
    except OutputError as exc:
        print(terminal_safe(f"fulcrum: {exc}"), file=sys.stderr)
        return EXIT_INVALID
    print(terminal_safe(f"fulcrum: wrote {args.output}"), file=sys.stderr)
    return 0


class OutputError(Exception):
    """The output file cannot be written; the message says why."""


def write_atomic(path: Path, text: str, *, protect: Path | None = None) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; return the file written.

    A symlink is followed so that the link survives; ``protect`` (the input backlog) is refused as a
    target. Raises :class:`OutputError` with a one-line reason.
    """
    target = Path(os.path.realpath(path))
    if protect is not None and target.exists() and protect.exists() and os.path.samefile(target, protect):
        raise OutputError(f"{path} is the backlog being exported; choose another output file")
    if target.is_dir():
        raise OutputError(f"{path} is a directory; give a file name, e.g. {path}/plan.md")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {parent} does not exist")
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    _fsync_dir(parent)
    return target


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable, where the platform allows opening a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
