"""What fulcrum prints and publishes: the matrix as data, the terminal chart, the Markdown plan, Mermaid."""

from __future__ import annotations

from fulcrum.output.brief import BriefItem, brief_items, render_brief, unknown_stakeholder
from fulcrum.output.chart import draw, render
from fulcrum.output.markdown import render_markdown
from fulcrum.output.matrix import MIN_PLOTTED, Matrix, build, next_in_quadrant, step

__all__ = [
    "MIN_PLOTTED",
    "BriefItem",
    "Matrix",
    "brief_items",
    "build",
    "draw",
    "next_in_quadrant",
    "render",
    "render_brief",
    "render_markdown",
    "step",
    "unknown_stakeholder",
]
