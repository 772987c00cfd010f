"""What fulcrum prints and publishes: the matrix as data, the terminal chart, the Markdown plan, Mermaid;
and the child process that plans and renders for the TUI (`remote`).

The matrix and the chart are imported with the package; the rest when one of its names is first used
(PEP 562, as ``fulcrum.scoring``), so ``fulcrum matrix`` loads no planner and no numpy.
"""

from __future__ import annotations

from fulcrum.output.chart import draw, render
from fulcrum.output.matrix import (
    MIN_PLOTTED,
    ChartInput,
    Matrix,
    build,
    chart_input,
    next_in_quadrant,
    step,
    table_chart_input,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fulcrum.output.brief import BriefItem, brief_items, render_brief, unknown_stakeholder
    from fulcrum.output.markdown import render_markdown
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

_REMOTE = (
    "Cancelled",
    "ChildFailed",
    "Markdown",
    "MarkdownRequest",
    "PlanRequest",
    "RiskRequest",
    "answer",
    "large",
    "large_for_risk",
    "run_in_child",
)
#: Each name imported when first used -> its module: the brief, the Markdown plan and the child
#: process load the planner and the risk analysis (highspy, numpy), which the matrix never needs.
_LATER = {
    **dict.fromkeys(("BriefItem", "brief_items", "render_brief", "unknown_stakeholder"), "brief"),
    "render_markdown": "markdown",
    **dict.fromkeys(_REMOTE, "remote"),
}


def __getattr__(name: str) -> object:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module 'fulcrum.output' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"fulcrum.output.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "MIN_PLOTTED",
    "BriefItem",
    "Cancelled",
    "ChartInput",
    "ChildFailed",
    "Markdown",
    "MarkdownRequest",
    "Matrix",
    "PlanRequest",
    "RiskRequest",
    "answer",
    "brief_items",
    "build",
    "chart_input",
    "draw",
    "large",
    "large_for_risk",
    "next_in_quadrant",
    "render",
    "render_brief",
    "render_markdown",
    "run_in_child",
    "step",
    "table_chart_input",
    "unknown_stakeholder",
]
