"""The Matrix tab: impact vs feasibility chart with a movable highlight and a list of quick wins.

Interface used by the app (keep it): ``MatrixView.show(ranking, selected_id)`` is called after
every re-score and cursor move; the widget posts ``MatrixView.Selected(item_id)`` when the user
moves the highlight inside the chart. ``show`` never posts (the app already knows), so the two
cannot ping-pong.

Keys (when the view has focus) avoid the app's own keys (1-4, l, s, m, e, n, d, u, x, c, q):
up/k and down/j move to the next higher/lower value, right/left to the next more/less feasible
point; w, b, f, p cycle through Quick wins, Big bets, Fill-ins, Money pits; home goes to the best.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext import PlotextPlot

from fulcrum.output import (
    MIN_PLOTTED,
    Matrix,
    build,
    draw,
    next_in_quadrant,
    step,
)
from fulcrum.scoring import QUADRANT_INFO, QUADRANT_LABELS, Ranking
from fulcrum.text import fmt

#: Rich colour of each quadrant in the side list (the chart's ANSI colours).
_STYLE = {q.key: q.style for q in QUADRANT_INFO.values()}


class MatrixChart(PlotextPlot):
    """The plotext chart; its data is rebuilt for its own size on every render, so labels are
    placed for the cells it really has."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # A fixed theme without a canvas colour: the widget's background shows through, and text
        # drawn before textual-plotext applies its theme does not get plotext's white default.
        self.theme = "pro"
        self.ranking: Ranking | None = None
        self.selected: str | None = None
        self.matrix: Matrix | None = None
        """The data of the last render (tests and navigation read it)."""

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        plt.theme(self.theme)
        if self.ranking is None or self.size.width < 10 or self.size.height < 6:
            self.matrix = None
            return ""
        self.matrix = build(self.ranking, self.size.width, self.size.height, selected=self.selected)
        draw(plt, self.matrix, color=True)
        return super().render()


class MatrixView(Widget, can_focus=True):
    """Impact-vs-feasibility chart of the current ranking, and its quick wins beside it."""

    DEFAULT_CSS = """
    MatrixView { layout: horizontal; height: 1fr; }
    MatrixView > MatrixChart { width: 1fr; height: 1fr; }
    MatrixView > #matrix-side {
        width: 30%; min-width: 28; max-width: 44; height: 1fr; padding: 0 1;
        text-wrap: nowrap; text-overflow: ellipsis; overflow-y: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move('up')", "Higher value", show=False),
        Binding("down,j", "move('down')", "Lower value", show=False),
        Binding("right", "move('right')", "More feasible", show=False),
        Binding("left", "move('left')", "Less feasible", show=False),
        Binding("w", "quadrant('quick_win')", "Quick wins", show=False),
        Binding("b", "quadrant('big_bet')", "Big bets", show=False),
        Binding("f", "quadrant('fill_in')", "Fill-ins", show=False),
        Binding("p", "quadrant('money_pit')", "Money pits", show=False),
        Binding("home", "best", "Best", show=False),
    ]

    class Selected(Message):
        """The user highlighted an item in the chart."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._ranking: Ranking | None = None
        self._selected: str | None = None

    def compose(self) -> ComposeResult:
        yield MatrixChart(id="matrix-chart")
        yield Static(id="matrix-side")

    def on_mount(self) -> None:
        self._redraw()

    @property
    def highlighted(self) -> str | None:
        """The id of the highlighted item (plotted or not)."""
        return self._selected

    @property
    def matrix(self) -> Matrix | None:
        """The chart data as last drawn (None before the first render)."""
        return self.query_one(MatrixChart).matrix if self.is_mounted else None

    def show(self, ranking: Ranking, selected: str | None) -> None:
        """Redraw for this ranking, highlighting ``selected``."""
        self._ranking = ranking
        self._selected = selected
        self._redraw()

    def action_move(self, direction: str) -> None:
        matrix = self._data()
        if matrix is not None:
            self._select(step(matrix, self._selected, direction))

    def action_quadrant(self, quadrant: str) -> None:
        matrix = self._data()
        if matrix is None:
            return
        target = next_in_quadrant(matrix, self._selected, quadrant)
        if target is None:
            message = "No " + QUADRANT_INFO[quadrant].plural.lower() + " on the chart."
            self.notify(message, timeout=3, markup=False)
        self._select(target)

    def action_best(self) -> None:
        matrix = self._data()
        if matrix is not None and matrix.points:
            self._select(matrix.points[0].id)

    def _select(self, item_id: str | None) -> None:
        if item_id is None or item_id == self._selected:
            return
        self._selected = item_id
        self._redraw()
        self.post_message(self.Selected(item_id))

    def _data(self) -> Matrix | None:
        """Chart data for navigation: the drawn one, or a fresh one before the first render
        (navigation only needs the points, which do not depend on the size)."""
        if self._ranking is None:
            return None
        drawn = self.matrix
        return drawn if drawn is not None else build(self._ranking, selected=self._selected)

    def _redraw(self) -> None:
        if not self.is_mounted:
            return  # on_mount draws what show() stored
        chart = self.query_one(MatrixChart)
        chart.ranking, chart.selected = self._ranking, self._selected
        chart.refresh()
        self.query_one("#matrix-side", Static).update(self._side())

    def _side(self) -> Text:
        """The highlighted item, the quick wins best first, then what the chart cannot show."""
        out = Text()
        r = self._ranking
        if r is None:
            return Text("No backlog loaded.")
        currency = r.backlog.backlog.currency
        here = r.get(self._selected) if self._selected else None
        if here is not None:
            out.append("▶ ", style="bold")
            out.append(here.id, style="bold reverse")
            out.append(" " + QUADRANT_LABELS[here.quadrant] + "\n", style=_STYLE[here.quadrant])
            out.append(here.item.title + "\n")  # user text: plain text, never parsed as markup
            out.append(f"value {fmt.money(here.value, currency)}/yr\n", style="dim")
            out.append(f"feasibility {fmt.ratio(here.feasibility)} · rank {here.rank}\n\n", style="dim")
        wins = [s for s in r.ranked if s.quadrant == "quick_win"]
        out.append(f"Quick wins ({len(wins)})\n", style=f"bold {_STYLE['quick_win']}")
        if not wins:
            out.append("none: nothing is both valuable and easy enough\n", style="dim")
        for s in wins:
            self._side_row(out, s.id, s.item.title, fmt.money(s.value, currency), s.rank)
        off = [s for s in r.ranked if s.value < MIN_PLOTTED]
        if off:
            out.append("\nOff the chart (under $1/yr)\n", style="bold")
            for s in off:
                self._side_row(out, s.id, s.item.title, fmt.money(s.value, currency), s.rank)
        lines = f"{fmt.money(r.value_threshold, currency)}/yr · {fmt.ratio(r.feasibility_threshold)}"
        out.append(f"\nLines: {lines}\n↑↓ value ←→ feasibility\nw b f p: quadrants\n", style="dim")
        return out

    def _side_row(self, out: Text, item_id: str, title: str, money: str, rank: int) -> None:
        mine = item_id == self._selected
        line = Text("▶ " if mine else "  ", style="bold" if mine else "")
        line.append(f"{rank:>2} ")
        line.append(item_id, style="bold reverse" if mine else "bold")
        line.append(f" {money} ")
        line.append(title)  # user text: appended as plain text, never parsed as markup
        line.append("\n")
        out.append_text(line)
