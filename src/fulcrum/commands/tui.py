"""`fulcrum [FILE]`: open the triage app (placeholder until the TUI lands)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    print("fulcrum: the interactive app is not built yet; try `fulcrum check FILE`.", file=sys.stderr)
    return 2
