"""What fulcrum prints and publishes: the matrix as data, the terminal chart, the Markdown plan, Mermaid."""

from __future__ import annotations

from fulcrum.output.chart import draw, render
from fulcrum.output.markdown import render_markdown
from fulcrum.output.matrix import MIN_PLOTTED, Matrix, build, next_in_quadrant, step

__all__ = [
    "MIN_PLOTTED",
    "Matrix",
    "build",
    "draw",
    "next_in_quadrant",
    "render",
    "render_markdown",
    "step",
]
