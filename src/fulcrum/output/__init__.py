"""What fulcrum prints and publishes: the matrix as data, the terminal chart, the Markdown plan, Mermaid;
and the child process that plans and renders for the TUI (`remote`)."""

from __future__ import annotations

from fulcrum.output.brief import BriefItem, brief_items, render_brief, unknown_stakeholder
from fulcrum.output.chart import draw, render
from fulcrum.output.markdown import render_markdown
from fulcrum.output.matrix import MIN_PLOTTED, Matrix, build, next_in_quadrant, step
from fulcrum.output.remote import (
    Cancelled,
    ChildFailed,
    Markdown,
    MarkdownRequest,
    PlanRequest,
    RiskRequest,
    answer,
    large,
    large_for_risk,
    run_in_child,
)

__all__ = [
    "MIN_PLOTTED",
    "BriefItem",
    "Cancelled",
    "ChildFailed",
    "Markdown",
    "MarkdownRequest",
    "Matrix",
    "PlanRequest",
    "RiskRequest",
    "answer",
    "brief_items",
    "build",
    "draw",
    "large",
    "large_for_risk",
    "next_in_quadrant",
    "render",
    "render_brief",
    "render_markdown",
    "run_in_child",
    "step",
    "unknown_stakeholder",
]
