"""The impact-vs-feasibility matrix as data: what to draw, where, and what cannot be drawn (pure).

x is feasibility (0..1); y is value per year on a log10 scale. A log scale cannot show zero or
negative values, and values under :data:`MIN_PLOTTED` would stretch it over meaningless decades,
so those items are *off the chart*: listed apart with the reason, never silently dropped.

Labels and quadrant names are placed on the character grid the chart will have (``cols`` x
``rows`` cells of plot area), so they avoid covering points and each other: plotext draws text
over markers, and a label hiding a point would lie about the data. :mod:`fulcrum.output.chart` draws this
data with plotext; the TUI's Matrix tab and ``fulcrum matrix`` share it. What it is built from is a
:class:`ChartInput`, plain values read from a loaded backlog's ranking or from a scoring table (so a
cached ``fulcrum matrix`` loads no model).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from fulcrum.scoring import QUADRANT_INFO, QUADRANTS, Quadrant
from fulcrum.text import fmt

TYPE_CHECKING = False
if TYPE_CHECKING:
    from fulcrum.scoring import Ranking, ScoringTable, TableRanking

#: The smallest value per year the log scale shows ($1/yr); anything below is listed apart.
MIN_PLOTTED = 1.0
#: Quadrant names as shown on the chart, in the corner each occupies.
#: Feasibility axis range: a little margin so points at 0 or 1 do not sit on the frame.
X_RANGE = (-0.02, 1.02)
X_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Rows the chart spends outside the plot area: top and bottom frame, x tick labels, x label.
CHART_EXTRA_ROWS = 4
#: Columns the chart spends outside the plot area besides the y tick labels: left and right frame.
CHART_EXTRA_COLS = 2
_MANTISSAS = (1, 2, 5)
#: Longest label drawn for a point; longer ids are cut with an ellipsis.
LABEL_WIDTH = 12


@dataclass(frozen=True)
class Point:
    """An item drawn on the chart."""

    id: str
    title: str
    rank: int
    value: float
    feasibility: float
    quadrant: Quadrant
    x: float
    """Feasibility, the x coordinate."""
    y: float
    """log10(value), the y coordinate."""
    col: int
    """Plot-area cell column (0 = left)."""
    row: int
    """Plot-area cell row (0 = top)."""


@dataclass(frozen=True)
class OffChart:
    """An item the log scale cannot show, listed beside the chart."""

    id: str
    title: str
    rank: int
    value: float
    feasibility: float
    quadrant: Quadrant
    reason: str
    """"negative", "zero" or "under $1/yr" (in the backlog's currency)."""


@dataclass(frozen=True)
class ChartInput:
    """What the matrix shows of one ranking, as plain values (:func:`chart_input`,
    :func:`table_chart_input`)."""

    title: str
    """The backlog's title."""
    lens: str
    currency: str
    fixed_value_line: bool
    """``quick_win_min_value`` is a number rather than "median"."""
    value_threshold: float
    feasibility_threshold: float
    ranked: tuple[tuple[str, str, int, float, float, Quadrant], ...]
    """(id, title, rank, value, feasibility, quadrant) of each ranked item, best first."""
    closed: int
    """How many items are done or dropped (not shown)."""


def chart_input(ranking: Ranking) -> ChartInput:
    """What the matrix shows of a ranking of a loaded backlog."""
    b = ranking.backlog
    return ChartInput(
        title=b.backlog.title,
        lens=ranking.lens,
        currency=b.backlog.currency,
        fixed_value_line=b.scoring.quick_win_min_value != "median",
        value_threshold=ranking.value_threshold,
        feasibility_threshold=ranking.feasibility_threshold,
        ranked=tuple(
            (s.id, s.item.title, s.rank, s.value, s.feasibility, s.quadrant) for s in ranking.ranked
        ),
        closed=len(ranking.closed),
    )


def table_chart_input(table: ScoringTable, ranking: TableRanking) -> ChartInput:
    """What the matrix shows of a scoring table ranked (the same numbers as :func:`chart_input` of
    the loaded backlog's ranking: ``tests/output/test_matrix_input.py``)."""
    values, quads = ranking.values, ranking.quadrants
    ranked = []
    for pos, i in enumerate(ranking.order, start=1):
        item_id, title, _, _, _, _, feas, *_ = table.rows[i]
        ranked.append((item_id, title, pos, values[i], feas, quads[i]))
    return ChartInput(
        title=table.title,
        lens=ranking.lens,
        currency=table.currency,
        fixed_value_line=table.min_value != "median",
        value_threshold=ranking.value_threshold,
        feasibility_threshold=ranking.feasibility_threshold,
        ranked=tuple(ranked),
        closed=len(table.closed),
    )


@dataclass(frozen=True)
class Label:
    """Text drawn on the plot area, starting at (x, y) and running right: a point's short id or a
    quadrant name."""

    text: str
    x: float
    y: float
    col: int
    row: int
    quadrant: Quadrant
    item_id: str | None = None
    """The labelled item; None for a quadrant name."""


@dataclass(frozen=True)
class Tick:
    """An axis tick: position in plot coordinates and its human label."""

    position: float
    label: str


@dataclass(frozen=True)
class Grid:
    """The plot area's character cells and the data range they cover (plotext's mapping)."""

    cols: int
    rows: int
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float

    def col(self, x: float) -> int:
        """The cell column of x, rounded half up as plotext does."""
        return _cell(x, self.x_lo, self.x_hi, self.cols)

    def row(self, y: float) -> int:
        """The cell row of y, 0 at the top."""
        return self.rows - 1 - _cell(y, self.y_lo, self.y_hi, self.rows)

    def x_at(self, col: int) -> float:
        """The x coordinate plotext maps exactly onto this column."""
        return self.x_lo + (self.x_hi - self.x_lo) * col / max(self.cols - 1, 1)

    def y_at(self, row: int) -> float:
        """The y coordinate plotext maps exactly onto this row."""
        return self.y_lo + (self.y_hi - self.y_lo) * (self.rows - 1 - row) / max(self.rows - 1, 1)


@dataclass(frozen=True)
class Matrix:
    """Everything the chart shows, and what it cannot show."""

    points: tuple[Point, ...]
    """Plotted items, best rank first."""
    off_chart: tuple[OffChart, ...]
    """Items with value under $1/yr (zero, negative, tiny), best rank first."""
    labels: tuple[Label, ...]
    """Short ids of the top items (and the selected one) placed where they cover nothing."""
    names: tuple[Label, ...]
    """The quadrant names, each in its quadrant's outer corner when it fits."""
    x_threshold: float
    """Feasibility threshold: the vertical line."""
    value_threshold: float
    """Value threshold in money per year."""
    y_threshold: float | None
    """Where the horizontal line is drawn; None when the threshold is under $1/yr (every plotted
    item is then high value)."""
    threshold_rule: str
    """How the value threshold was set: "median" or "fixed"."""
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    grid: Grid
    currency: str
    selected: str | None
    """The highlighted item's id, when it is plotted."""
    closed: int
    """How many items are done or dropped (not ranked, not shown)."""

    def point(self, item_id: str) -> Point | None:
        """The plotted point of this item, or None."""
        return self._at.get(item_id)

    @cached_property
    def _at(self) -> dict[str, Point]:
        return {p.id: p for p in reversed(self.points)}  # the first of an id wins, as a scan would

    @cached_property
    def _orders(self) -> dict[str, tuple[list[Point], dict[str, int]]]:
        """The points by value and by feasibility (ties: the better rank last), with each id's place."""
        out: dict[str, tuple[list[Point], dict[str, int]]] = {}
        for axis, key in (("value", _by_value), ("feasibility", _by_feasibility)):
            order = sorted(self.points, key=key)
            out[axis] = (order, {p.id: i for i, p in enumerate(order)})
        return out

    def label_of(self, item_id: str) -> Label | None:
        """The label drawn for this item, or None."""
        return next((lb for lb in self.labels if lb.item_id == item_id), None)

    def in_quadrant(self, quadrant: str) -> list[Point]:
        """Plotted points of this quadrant, best rank first."""
        return [p for p in self.points if p.quadrant == quadrant]


def plot_y(value: float) -> float | None:
    """The y coordinate of a value per year: log10(value), or None when it is off the chart."""
    return math.log10(value) if value >= MIN_PLOTTED else None


def off_chart_reason(value: float, currency: str = "USD") -> str | None:
    """Why a value cannot be plotted, or None when it can."""
    if value >= MIN_PLOTTED:
        return None
    if value < 0:
        return "negative"
    return "zero" if value == 0 else f"under {fmt.money(MIN_PLOTTED, currency)}/yr"


def ladder(lo: float, hi: float) -> list[float]:
    """The 1-2-5 steps (log10 of 1, 2, 5 x 10**d) from lo to hi inclusive."""
    out = []
    for d in range(math.floor(lo) - 1, math.ceil(hi) + 1):
        for m in _MANTISSAS:
            y = d + math.log10(m)
            if lo - 1e-9 <= y <= hi + 1e-9:
                out.append(y)
    return out


def y_ticks(lo: float, hi: float, rows: int, currency: str = "USD") -> list[Tick]:
    """Human ticks from 10**lo to 10**hi: every 1-2-5 step when a tick per two rows fits, else
    whole decades (every other or third decade when rows are few)."""
    room = max(rows // 2, 2)
    steps = ladder(lo, hi)
    if len(steps) > room:
        decades = [y for y in steps if abs(y - round(y)) < 1e-9]
        every = max(1, math.ceil(len(decades) / room))
        steps = decades[::every] or steps[:1]
    return [Tick(y, fmt.money(10.0**y, currency)) for y in steps]


def build(
    source: Ranking | ChartInput,
    width: int = 80,
    height: int = 24,
    *,
    max_labels: int | None = None,
    selected: str | None = None,
) -> Matrix:
    """The chart data for a chart of ``width`` x ``height`` characters (frame and ticks included).

    Points get their short id, best rank first, wherever it fits without covering another point,
    label or quadrant name: every point that has room, or the first ``max_labels`` of them (a
    caller that lists each label beside the chart caps them to its room); ``selected`` is labelled
    first and reported when plotted.
    """
    c = source if isinstance(source, ChartInput) else chart_input(source)
    currency = c.currency
    plotted: list[tuple[tuple[str, str, int, float, float, Quadrant], float]] = []
    off: list[OffChart] = []
    for entry in c.ranked:
        y = plot_y(entry[3])
        if y is None:
            item_id, title, rank, value, feas, quad = entry
            reason = off_chart_reason(value, currency) or ""
            off.append(OffChart(item_id, title, rank, value, feas, quad, reason))
        else:
            plotted.append((entry, y))

    vt = c.value_threshold
    y_thr = plot_y(vt)
    rows = max(height - CHART_EXTRA_ROWS, 3)
    lo, hi = _bounds([y for _, y in plotted] + ([y_thr] if y_thr is not None else []))
    # One row of headroom above and below the data keeps points off the rows the names use.
    pad = (hi - lo) / max(rows - 3, 1)
    y_lo, y_hi = lo - pad, hi + pad
    yt = y_ticks(lo, hi, rows, currency)
    if y_thr is not None:  # the value line is labelled with its value; ticks it would crowd give way
        at, label = _cell(y_thr, y_lo, y_hi, rows), fmt.money(vt, currency)
        yt = [t for t in yt if abs(_cell(t.position, y_lo, y_hi, rows) - at) > 1 and t.label != label]
        yt = sorted([*yt, Tick(y_thr, label)], key=lambda t: t.position)
    tick_width = max(len(t.label) for t in yt)
    cols = max(width - tick_width - CHART_EXTRA_COLS, 3)
    grid = Grid(cols, rows, X_RANGE[0], X_RANGE[1], y_lo, y_hi)
    ft = c.feasibility_threshold
    xt = [Tick(x, f"{x:g}") for x in X_TICKS if abs(grid.col(x) - grid.col(ft)) >= 6]
    xt = sorted([*xt, Tick(ft, f"{ft:g}")], key=lambda t: t.position)

    points = tuple(
        Point(item_id, title, rank, value, feas, quad, feas, y, grid.col(feas), grid.row(y))
        for (item_id, title, rank, value, feas, quad), y in plotted
    )
    taken = _Cells({(p.col, p.row) for p in points}, cols)
    names = _place_names(grid, taken, ft, y_thr)
    chosen = [p for p in points if p.id == selected] + [p for p in points if p.id != selected]
    limit = len(chosen) if max_labels is None else max_labels + (1 if selected else 0)
    labels = _place_labels(grid, taken, chosen, limit, selected)
    return Matrix(
        points=points,
        off_chart=tuple(off),
        labels=labels,
        names=names,
        x_threshold=ft,
        value_threshold=vt,
        y_threshold=y_thr,
        threshold_rule="fixed" if c.fixed_value_line else "median",
        x_ticks=tuple(xt),
        y_ticks=tuple(yt),
        grid=grid,
        currency=currency,
        selected=selected if any(p.id == selected for p in points) else None,
        closed=c.closed,
    )


def short_id(item_id: str, width: int = LABEL_WIDTH) -> str:
    """The id, cut to ``width`` characters with an ellipsis."""
    return item_id if len(item_id) <= width else item_id[: width - 1] + "…"


def _cell(v: float, lo: float, hi: float, n: int) -> int:
    if hi <= lo or n <= 1:
        return 0
    return min(max(math.floor(round(0.5 + (n - 1) * (v - lo) / (hi - lo), 8)), 0), n - 1)


def _bounds(ys: Sequence[float]) -> tuple[float, float]:
    """The 1-2-5 steps just below and above every y; $1k..$1M when there is nothing to cover."""
    if not ys:
        return 3.0, 6.0
    lo = max(y for y in ladder(min(ys) - 1, min(ys)) if y <= min(ys) + 1e-9)
    hi = min(y for y in ladder(max(ys), max(ys) + 1) if y >= max(ys) - 1e-9)
    if hi - lo < 1e-9:  # one value: show the 1-2-5 step either side of it
        lo, hi = max(ladder(lo - 1, lo - 0.01)), min(ladder(hi + 0.01, hi + 1))
    return max(lo, math.log10(MIN_PLOTTED)), hi  # nothing below $1 is plotted


class _Cells:
    """Which plot-area cells hold a point or text (labels must not cover either)."""

    def __init__(self, points: set[tuple[int, int]], cols: int) -> None:
        self.points = points
        self.text: set[tuple[int, int]] = set()
        self.cols = cols

    def free(self, start: int, row: int, length: int, owner: tuple[int, int] | None = None) -> bool:
        """Whether text fits here covering no point, with a blank (or its own point) either side:
        "●ab●cd" would not say which label is whose."""
        if start < 0 or start + length > self.cols:
            return False
        text, points = self.text, self.points
        for c in range(start - 1, start + length + 1):
            cell = (c, row)
            if cell in text or (cell != owner and cell in points):
                return False
        return True

    def take(self, start: int, row: int, length: int) -> None:
        self.text.update((c, row) for c in range(start, start + length))


def _place_labels(
    grid: Grid, taken: _Cells, points: Sequence[Point], limit: int, selected: str | None
) -> tuple[Label, ...]:
    used: set[str] = set()
    out: list[Label] = []
    for p in points:
        if len(out) >= limit:
            break
        text = short_id(p.id)
        if text in used:  # two long ids cut to the same text: fall back to the rank
            text = f"#{p.rank}"
        for start in (p.col + 1, p.col - len(text)):  # right of the point, else left
            if taken.free(start, p.row, len(text), (p.col, p.row)):
                taken.take(start, p.row, len(text))
                used.add(text)
                out.append(Label(text, grid.x_at(start), grid.y_at(p.row), start, p.row, p.quadrant, p.id))
                break
        else:
            if p.id == selected and len(text) <= grid.cols:  # labelled even over a neighbour
                fits_right = p.col + 1 + len(text) <= grid.cols
                start = p.col + 1 if fits_right else max(p.col - len(text), 0)
                taken.take(start, p.row, len(text))
                out.append(Label(text, grid.x_at(start), grid.y_at(p.row), start, p.row, p.quadrant, p.id))
    return tuple(out)


def _place_names(grid: Grid, taken: _Cells, x_thr: float, y_thr: float | None) -> tuple[Label, ...]:
    """Each quadrant's name in its outer corner row, sliding inwards past points; omitted when the
    quadrant is too small to hold it."""
    split_col = grid.col(x_thr)
    # The range always covers the threshold; None means every plotted point is high value.
    split_row = grid.row(y_thr) if y_thr is not None else None
    out: list[Label] = []
    for q in QUADRANTS:
        info = QUADRANT_INFO[q]
        name, high_value, right = info.plural, info.high_value, info.high_feasibility
        rows: Sequence[int]
        if split_row is None:
            rows = range(grid.rows) if high_value else ()
        elif high_value:
            rows = range(0, split_row)
        else:
            rows = range(grid.rows - 1, split_row, -1)
        lo_col, hi_col = (split_col + 2, grid.cols - 2) if right else (1, split_col - 2)
        if hi_col - lo_col + 1 < len(name):
            continue
        placed = _slide(taken, name, list(rows)[:3], lo_col, hi_col, right)
        if placed:
            col, row = placed
            taken.take(col, row, len(name))
            out.append(Label(name, grid.x_at(col), grid.y_at(row), col, row, q))
    return tuple(out)


def _slide(
    taken: _Cells, text: str, rows: Sequence[int], lo: int, hi: int, right: bool
) -> tuple[int, int] | None:
    """The first free span for text in these rows, starting from the outer edge."""
    starts = range(hi - len(text) + 1, lo - 1, -1) if right else range(lo, hi - len(text) + 2)
    for row in rows:
        for start in starts:
            if taken.free(start, row, len(text)):
                return start, row
    return None


def step(matrix: Matrix, current: str | None, direction: str) -> str | None:
    """The point to highlight after moving from ``current``: "up"/"down" to the next higher/lower
    value, "right"/"left" to the next more/less feasible. None when there are no points; the
    current id at the end of the line; the best-ranked point when nothing is highlighted."""
    if not matrix.points:
        return None
    here = matrix.point(current) if current else None
    if here is None:
        return matrix.points[0].id
    if direction in ("up", "down"):
        order, place = matrix._orders["value"]
    elif direction in ("left", "right"):
        order, place = matrix._orders["feasibility"]
    else:
        raise ValueError(f"unknown direction {direction!r}")
    i = place[here.id] + (1 if direction in ("up", "right") else -1)
    return order[i].id if 0 <= i < len(order) else here.id


def _by_value(p: Point) -> tuple[float, int]:
    return (p.value, -p.rank)


def _by_feasibility(p: Point) -> tuple[float, int]:
    return (p.feasibility, -p.rank)


def next_in_quadrant(matrix: Matrix, current: str | None, quadrant: str) -> str | None:
    """The next point of this quadrant in rank order after ``current`` (cycling), or its best one
    when ``current`` is elsewhere; None when the quadrant has no plotted point."""
    members = matrix.in_quadrant(quadrant)
    if not members:
        return None
    ids = [p.id for p in members]
    if current in ids:
        return ids[(ids.index(current) + 1) % len(ids)]
    return ids[0]
