"""Draw a :class:`fulcrum.output.matrix.Matrix` with plotext (imported lazily: only drawing needs it).

The same :func:`draw` fills the TUI's textual-plotext figure and the figure ``fulcrum matrix``
prints, so both show the same chart. Every position comes from the matrix data; this module only
chooses markers and colours.
"""

from __future__ import annotations

from typing import Any

from fulcrum.output.matrix import Matrix
from fulcrum.scoring import QUADRANT_INFO, QUADRANTS

POINT_MARKER = "●"
HIGHLIGHT_MARKER = "◆"
LINE_COLOR = "gray"
X_LABEL = "feasibility →"


def draw(fig: Any, matrix: Matrix, *, color: bool = True) -> None:
    """Draw the matrix on a plotext figure (a fresh ``_figure_class`` or textual-plotext's ``Plot``).

    The figure's size is set by the caller. Without colour everything is drawn in the terminal's
    default colour; the highlighted point keeps its distinct marker either way.
    """

    def paint(quadrant: str) -> str:
        return QUADRANT_INFO[quadrant].plotext_colour if color else "default"

    g = matrix.grid
    fig.xlim(g.x_lo, g.x_hi)
    fig.ylim(g.y_lo, g.y_hi)
    fig.xticks([t.position for t in matrix.x_ticks], [t.label for t in matrix.x_ticks])
    fig.yticks([t.position for t in matrix.y_ticks], [t.label for t in matrix.y_ticks])
    fig.xlabel(X_LABEL)
    line = LINE_COLOR if color else "default"
    fig.vertical_line(matrix.x_threshold, color=line)
    if matrix.y_threshold is not None:
        fig.horizontal_line(matrix.y_threshold, color=line)
    # One scatter per quadrant: a handful of plotext signals instead of one per point.
    for q in QUADRANTS:
        pts = [p for p in matrix.points if p.quadrant == q and p.id != matrix.selected]
        if pts:
            fig.scatter([p.x for p in pts], [p.y for p in pts], marker=POINT_MARKER, color=paint(q))
    chosen = matrix.point(matrix.selected) if matrix.selected else None
    if chosen is not None:  # drawn last so it is on top of any point sharing its cell
        fig.scatter([chosen.x], [chosen.y], marker=HIGHLIGHT_MARKER, color=paint(chosen.quadrant))
    for name in matrix.names:
        fig.text(name.text, name.x, name.y, color=paint(name.quadrant), style="bold", alignment="left")
    for lb in matrix.labels:
        style = "inverted" if lb.item_id == matrix.selected else "default"
        fig.text(lb.text, lb.x, lb.y, color=paint(lb.quadrant), style=style, alignment="left")


def render(matrix: Matrix, width: int, height: int, *, color: bool = True) -> str:
    """The chart as text of ``width`` x ``height`` characters, with ANSI colours when ``color``."""
    import plotext as plt  # its module API acts on one global figure: reset it first

    plt.clear_figure()
    plt.limit_size(False, False)  # the size asked, even when wider than this terminal (or none)
    plt.plotsize(width, height)
    plt.theme("pro" if color else "clear")  # the terminal's own background, never a white box
    draw(plt, matrix, color=color)
    out: str = plt.build()
    return out if color else str(plt.uncolorize(out))
