"""`fulcrum [FILE]`: open the triage app on FILE (default ./backlog.toml), or `--demo`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from importlib import resources
from pathlib import Path

from fulcrum.backlog import BacklogError
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
        example = resources.files("fulcrum").joinpath("backlog.example.toml")
        with resources.as_file(example) as path:
            return open_app(path, demo=True, today=getattr(args, "today", None))
    path = Path(args.file) if args.file else Path("backlog.toml")
    if not args.file and not path.exists():
        print(NO_BACKLOG, file=sys.stderr)
        return EXIT_INVALID
    return open_app(path, today=getattr(args, "today", None))


def open_app(path: Path, demo: bool = False, today: date | None = None) -> int:
    """Read the file (keeping a snapshot for a safe save), then run the app until it quits."""
    from fulcrum.save import read_snapshot

    try:
        backlog, snapshot = read_snapshot(path)
    except BacklogError as exc:
        return report(exc, str(path))
    from fulcrum.ui.app import FulcrumApp  # textual is imported only when the app really opens

    app = FulcrumApp(backlog, path=path, snapshot=snapshot, demo=demo, today=today)
    app.run()
    return app.return_code or 0
