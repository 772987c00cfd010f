"""`fulcrum init [FILE]`: write a commented starter backlog (never over an existing file)."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from fulcrum.errors import EXIT_INVALID, EXIT_OK
from fulcrum.text import terminal_safe

#: The bundled starter template (it passes `fulcrum check`).
STARTER = "starter.toml"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", default="backlog.toml", help="where to write (default: ./backlog.toml)"
    )


def starter_text() -> str:
    """The text of the starter backlog."""
    return resources.files("fulcrum").joinpath(STARTER).read_text(encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    name = terminal_safe(str(path))
    try:
        # "x": create, failing if anything (even a dangling symlink) is already there.
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(starter_text())
    except FileExistsError:
        print(
            f"fulcrum init: {name} already exists; not overwriting it (choose another FILE)", file=sys.stderr
        )
        return EXIT_INVALID
    except FileNotFoundError:
        print(f"fulcrum init: cannot write {name}: its folder does not exist", file=sys.stderr)
        return EXIT_INVALID
    except IsADirectoryError:
        print(f"fulcrum init: {name} is a directory; give a file name", file=sys.stderr)
        return EXIT_INVALID
    except PermissionError:
        print(f"fulcrum init: cannot write {name}: permission denied", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:
        print(
            f"fulcrum init: cannot write {name}: {terminal_safe(exc.strerror or str(exc))}", file=sys.stderr
        )
        return EXIT_INVALID
    print(f"wrote {name}: a starter backlog. Next: edit it, then `fulcrum check {name}`.")
    return EXIT_OK
