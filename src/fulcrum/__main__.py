"""python -m fulcrum."""

from fulcrum.cli import run

run()
