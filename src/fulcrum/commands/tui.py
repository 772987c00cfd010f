"""`fulcrum [FILE]`: open the triage app on FILE (default ./backlog.toml), or `--demo`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from fulcrum.errors import EXIT_INVALID, report

NO_BACKLOG = (
    "fulcrum: there is no backlog.toml here.\n"
    "  Start one with:        fulcrum init\n"
    "  Or try the example:    fulcrum --demo\n"
    "  Or open a file:        fulcrum path/to/backlog.toml"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The top-level parser of cli.py defines FILE and --demo; this mirrors it for reuse."""
    parser.add_argument("file", nargs="?", help="backlog file (default: ./backlog.toml)")
    parser.add_argument("--demo", action="store_true", help="open the bundled example backlog")
    from fulcrum.commands._args import add_today

    add_today(parser)


def run(args: argparse.Namespace) -> int:
    """Open the app; 2 with located errors (as `fulcrum check`) when the file is not usable."""
    if getattr(args, "demo", False):
        with example_file() as path:
            return open_app(path, demo=True, today=getattr(args, "today", None))
    path = Path(args.file) if args.file else Path("backlog.toml")
    if not args.file and not path.exists():
        print(NO_BACKLOG, file=sys.stderr)
        return EXIT_INVALID
    return open_app(path, today=getattr(args, "today", None))


@contextlib.contextmanager
def example_file() -> Iterator[Path]:
    """The bundled example as a file: beside the package's modules when it is installed as files
    (importing ``importlib.resources`` and zipfile would cost the first frame ~15 ms), else
    extracted by ``importlib.resources`` (a zipped install)."""
    path = Path(__file__).resolve().parent.parent / "backlog.example.toml"
    if path.is_file():
        yield path
        return
    from importlib import resources

    with resources.as_file(resources.files("fulcrum").joinpath("backlog.example.toml")) as extracted:
        yield extracted


#: Files up to this size are read and checked before the app starts (tens of milliseconds): a bad
#: one prints its problems without the terminal switching to the app and back. A bigger file is
#: read in the app's loading worker, after the first frame (``ui.loading``).
CHECK_FIRST_BYTES = 256 * 1024


def open_app(path: Path, demo: bool = False, today: date | None = None) -> int:
    """Run the app on the file until it quits; 2 with the located errors when it is not usable."""
    try:  # the bundled example is known to be good: it is read after the first frame too
        small = not demo and (not path.is_file() or path.stat().st_size <= CHECK_FIRST_BYTES)
    except OSError:
        small = True  # read_snapshot names the problem
    backlog = snapshot = None
    if small:
        from fulcrum.backlog import BacklogError

        try:
            backlog, snapshot = _read_snapshot(path)
        except BacklogError as exc:
            return report(exc, str(path))
    from fulcrum.ui.app import FulcrumApp  # textual is imported only when the app really opens

    load = None if small else partial(_read_snapshot, path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, demo=demo, today=today, load=load)
    if load is None:
        app.run()
    else:  # its own loop: asyncio.run would wait, after the app ends, for the loading worker's thread
        app.run(loop=asyncio.new_event_loop())
    if load is not None and not app.ready and app.load_error is None:
        # Quit while the file was being read: the terminal is restored and nothing is pending but
        # that read, which is not worth waiting for.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(app.return_code or 0)
    if app.load_error is not None:  # the terminal is restored: say why, as `check` does
        from fulcrum.backlog import BacklogError

        if isinstance(app.load_error, BacklogError):
            return report(app.load_error, str(path))
        raise app.load_error  # a bug of ours: cli.main names it
    return app.return_code or 0


def _read_snapshot(path: Path) -> Any:
    """``fulcrum.save.read_snapshot`` (imported by the loading worker, after the first frame, for a
    big file); the scoring table is kept for the next `rank` of the file, as every command that
    reads a file whole keeps it."""
    import time

    from fulcrum.commands._args import keep_table
    from fulcrum.save import read_snapshot

    started = time.time_ns()
    backlog, snapshot = read_snapshot(path)
    keep_table(str(path), backlog, started)
    return backlog, snapshot
