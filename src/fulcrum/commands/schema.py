"""`fulcrum schema`: print the JSON Schema of the backlog format (for editors)."""

from __future__ import annotations

import argparse
import sys

from fulcrum.errors import EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Save it next to your backlog (fulcrum schema > fulcrum.schema.json) and point your editor at it: "
        "a first line '#:schema ./fulcrum.schema.json' in the backlog (Taplo / Even Better TOML)."
    )


def run(args: argparse.Namespace) -> int:
    from fulcrum.backlog import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK
