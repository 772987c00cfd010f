"""The Matrix tab: impact vs feasibility chart with a movable highlight and a list of quick wins.

Interface used by the app (keep it): ``MatrixView.show(ranking, selected_id)`` is called after
every re-score and cursor move; the widget posts ``MatrixView.Selected(item_id)`` when the user
moves the highlight inside the chart. ``show`` never posts (the app already knows), so the two
cannot ping-pong.

Keys (when the view has focus) avoid the app's own keys (1-4, l, s, m, e, n, d, u, x, c, q):
up/k and down/j move to the next higher/lower value, right/left to the next more/less feasible
point; w, b, f, p cycle through Quick wins, Big bets, Fill-ins, Money pits; home goes to the best.

A big backlog's chart and side list take 0.2-0.6 s to draw (10,000 items: placing the labels,
plotext, thousands of quick wins), so above :data:`DRAW_IN_WORKER` items they are drawn in a thread
worker (group "matrix", exclusive) for the chart's size, and posted back; meanwhile the last
picture stays and every key works. A picture is kept with what it was drawn for (the ranking,
the highlight, the size); a stale one is dropped.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual_plotext.plot import Plot

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
#: Backlogs with more ranked items than this are drawn in a worker (a drawing costs ~20 ms here).
DRAW_IN_WORKER = 1_000
#: What a drawing is asked for: the ranking, the highlight, the chart's width and height.
_Request = tuple[Ranking | None, str | None, int, int]
#: Rows of each list beside the chart: a few screens' worth (thousands of rows take Textual ~0.7 s
#: to lay out on every highlight move); the Backlog tab lists every item.
SIDE_ROWS = 100
#: A fixed plotext theme without a canvas colour: the widget's background shows through.
THEME = "pro"


class Picture(NamedTuple):
    """A drawing of the chart and its side list, and what it was drawn for."""

    ranking: Ranking
    selected: str | None
    width: int
    height: int
    matrix: Matrix
    chart: Text
    side: Text

    def shows(self, ranking: Ranking | None, selected: str | None, width: int, height: int) -> bool:
        same_view = (self.selected, self.width, self.height) == (selected, width, height)
        return self.ranking is ranking and same_view


def picture(ranking: Ranking, selected: str | None, width: int, height: int) -> Picture:
    """The chart drawn for ``width`` x ``height`` cells (labels placed for the cells it really has),
    and the side list. Pure: runs on the UI thread or in a worker (its own plotext figure)."""
    matrix = build(ranking, width, height, selected=selected)
    plot = Plot()
    plot.theme(THEME)
    draw(plot, matrix, color=True)
    plot.plotsize(width, height)
    plot._set_size(width, height)  # textual-plotext does both: plotext resizes only with the second
    chart = Text.from_ansi(plot.build())
    return Picture(ranking, selected, width, height, matrix, chart, side_text(ranking, selected))


class MatrixChart(Widget):
    """The plotext chart: drawn for its own size on every render that needs it (a small backlog),
    or shown from the last :class:`Picture` its view's worker drew (a big one)."""

    DEFAULT_CSS = """
    MatrixChart { width: 1fr; height: 1fr; }
    """

    class Wanted(Message):
        """This size of the chart has no picture yet (a big backlog): the view draws it."""

        def __init__(self, width: int, height: int) -> None:
            super().__init__()
            self.width, self.height = width, height

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ranking: Ranking | None = None
        self.selected: str | None = None
        self.drawn: Picture | None = None
        """The last picture (a small backlog: of the last render; a big one: posted by the worker)."""

    @property
    def matrix(self) -> Matrix | None:
        """The data of the chart on screen (tests and navigation read it)."""
        return self.drawn.matrix if self.drawn is not None and self.ranking is not None else None

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        if self.ranking is None or width < 10 or height < 6:
            self.drawn = None
            return ""
        if self.drawn is not None and self.drawn.shows(self.ranking, self.selected, width, height):
            return self.drawn.chart
        if len(self.ranking.ranked) <= DRAW_IN_WORKER:
            self.drawn = picture(self.ranking, self.selected, width, height)
            return self.drawn.chart
        self.post_message(self.Wanted(width, height))
        return self.drawn.chart if self.drawn is not None else Text("drawing the chart…", style="dim")


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

    class _Drawn(Message):
        """A worker's picture (dropped unless it is of the latest request)."""

        def __init__(self, generation: int, drawn: Picture) -> None:
            super().__init__()
            self.generation, self.drawn = generation, drawn

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._ranking: Ranking | None = None
        self._selected: str | None = None
        self._generation = 0
        self._asked: _Request | None = None

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
        """Chart data for navigation: the drawn one when it is of this ranking, else the points
        alone (navigation needs only them, which depend neither on the size nor on labels)."""
        if self._ranking is None:
            return None
        drawn = self.query_one(MatrixChart).drawn if self.is_mounted else None
        if drawn is not None and drawn.ranking is self._ranking:
            return drawn.matrix
        return build(self._ranking, selected=self._selected, max_labels=0)

    def _redraw(self) -> None:
        if not self.is_mounted:
            return  # on_mount draws what show() stored
        chart = self.query_one(MatrixChart)
        chart.ranking, chart.selected = self._ranking, self._selected
        chart.refresh()
        if self._ranking is None or len(self._ranking.ranked) <= DRAW_IN_WORKER:
            self.query_one("#matrix-side", Static).update(side_text(self._ranking, self._selected))

    def on_matrix_chart_wanted(self, event: MatrixChart.Wanted) -> None:
        event.stop()
        asked = (self._ranking, self._selected, event.width, event.height)
        if self._ranking is None or (self._asked is not None and _same(self._asked, asked)):
            return  # already being drawn
        self._asked = asked
        self._generation += 1
        self._draw(self._generation, self._ranking, self._selected, event.width, event.height)

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False, description="draw the matrix")
    def _draw(self, generation: int, ranking: Ranking, selected: str | None, width: int, height: int) -> None:
        """Off the UI thread: draws, posts the picture, changes no widget."""
        self.post_message(self._Drawn(generation, picture(ranking, selected, width, height)))

    def on_matrix_view__drawn(self, event: _Drawn) -> None:
        event.stop()
        if event.generation != self._generation:
            return  # a newer drawing was asked for
        self._asked = None
        chart = self.query_one(MatrixChart)
        chart.drawn = event.drawn
        chart.refresh()
        self.query_one("#matrix-side", Static).update(event.drawn.side)


def _same(
    a: tuple[Ranking | None, str | None, int, int], b: tuple[Ranking | None, str | None, int, int]
) -> bool:
    return a[0] is b[0] and a[1:] == b[1:]


def side_text(r: Ranking | None, selected: str | None) -> Text:
    """The highlighted item, the quick wins best first, then what the chart cannot show."""
    out = Text()
    if r is None:
        return Text("No backlog loaded.")
    currency = r.backlog.backlog.currency
    here = r.get(selected) if selected else None
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
    for s in wins[:SIDE_ROWS]:
        _side_row(out, selected, s.id, s.item.title, fmt.money(s.value, currency), s.rank)
    _more(out, len(wins), "quick wins")
    off = [s for s in r.ranked if s.value < MIN_PLOTTED]
    if off:
        out.append(f"\nOff the chart (under {fmt.money(MIN_PLOTTED, currency)}/yr)\n", style="bold")
        for s in off[:SIDE_ROWS]:
            _side_row(out, selected, s.id, s.item.title, fmt.money(s.value, currency), s.rank)
        _more(out, len(off), "off the chart")
    lines = f"{fmt.money(r.value_threshold, currency)}/yr · {fmt.ratio(r.feasibility_threshold)}"
    out.append(f"\nLines: {lines}\n↑↓ value ←→ feasibility\nw b f p: quadrants\n", style="dim")
    return out


def _more(out: Text, count: int, what: str) -> None:
    if count > SIDE_ROWS:
        out.append(f"  … and {count - SIDE_ROWS:,} more {what}: the Backlog tab lists all\n", style="dim")


def _side_row(out: Text, selected: str | None, item_id: str, title: str, money: str, rank: int) -> None:
    mine = item_id == selected
    line = Text("▶ " if mine else "  ", style="bold" if mine else "")
    line.append(f"{rank:>2} ")
    line.append(item_id, style="bold reverse" if mine else "bold")
    line.append(f" {money} ")
    line.append(title)  # user text: appended as plain text, never parsed as markup
    line.append("\n")
    out.append_text(line)
