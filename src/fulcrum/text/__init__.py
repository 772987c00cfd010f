"""Plain text for people: numbers formatted for reading, and user text made safe for a terminal."""

from __future__ import annotations

from fulcrum.text import numbers as fmt
from fulcrum.text.terminal import cells, clip, columns, one_line, terminal_safe

__all__ = [
    "cells",
    "clip",
    "columns",
    "fmt",
    "one_line",
    "terminal_safe",
]
