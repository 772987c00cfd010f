"""`fulcrum matrix FILE`: the impact-vs-feasibility chart, then a legend of what it labels and what
it cannot show.

Sized to the terminal unless ``--width``/``--height`` say otherwise; colour only when stdout is a
terminal and NO_COLOR is unset. User text (titles) appears only in the legend, made terminal-safe.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from fulcrum.commands._args import add_scoring_arguments, scoring_table, whole_number
from fulcrum.errors import EXIT_OK
from fulcrum.output import MIN_PLOTTED, ChartInput, Matrix
from fulcrum.scoring import QUADRANT_INFO, QUADRANT_LABELS
from fulcrum.text import cells, clip, fmt, one_line

MIN_WIDTH, MIN_HEIGHT = 40, 12
#: The largest chart drawn: bigger is unreadable, and the grid's cost grows with width x height.
MAX_WIDTH, MAX_HEIGHT = 1000, 500


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum matrix`."""
    add_scoring_arguments(parser, ", which decides which items are labelled first")
    parser.add_argument(
        "--width",
        type=whole_number(MIN_WIDTH, MAX_WIDTH),
        metavar="W",
        help=f"chart width, {MIN_WIDTH} to {MAX_WIDTH} (default: the terminal's)",
    )
    parser.add_argument(
        "--height",
        type=whole_number(MIN_HEIGHT, MAX_HEIGHT),
        metavar="H",
        help=f"chart height, {MIN_HEIGHT} to {MAX_HEIGHT} (default: fits the terminal)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the chart and its legend; exit 2 on bad input."""
    from fulcrum.errors import report, user_error
    from fulcrum.output import table_chart_input
    from fulcrum.scoring import rank_table

    try:
        table = scoring_table(args)
        ranking = rank_table(table, lens=args.lens, method=args.method, formula=args.formula)
    except Exception as exc:
        if not user_error(exc):
            raise
        return report(exc, args.file)
    if ranking.no_price_note:  # as rank says it: every item is worth 0 under this lens
        sys.stderr.write(f"fulcrum: {ranking.no_price_note}\n")
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render(table_chart_input(table, ranking), args.width, args.height, color=color))
    return EXIT_OK


def render(chart: ChartInput, width: int | None, height: int | None, *, color: bool) -> str:
    """The whole output: header, chart, legend. Missing sizes come from the terminal.

    Sizes are kept within MIN_/MAX_WIDTH and MIN_/MAX_HEIGHT, whatever the terminal reports.
    """
    from fulcrum.output import build, render

    term = shutil.get_terminal_size((80, 24))
    w = min(max(width or term.columns, MIN_WIDTH), MAX_WIDTH)
    labels: int | None = None  # with a height given, every point that has room is labelled
    if height is None:
        # Header, chart and legend fit the window (the prompt too): as many labelled points (each
        # listed in the legend) as leave the chart MIN_HEIGHT, never fewer than 3 when there are
        # 3, and the off-chart list is never cut.
        fixed = _fixed_legend_lines(chart)
        n = len(chart.ranked)
        labels = max(min(n, term.lines - 2 - MIN_HEIGHT - fixed), min(3, n))
        height = term.lines - 2 - fixed - labels
    height = min(max(height, MIN_HEIGHT), MAX_HEIGHT)
    m = build(chart, w, height, max_labels=labels)
    lines = [_header(chart, w), render(m, w, height, color=color).rstrip("\n")]
    lines += legend(m, w, color=color)
    return "\n".join(lines) + "\n"


def legend(m: Matrix, width: int, *, color: bool = False) -> list[str]:
    """The labelled items, the thresholds, and every item off the chart with the reason."""
    out: list[str] = []
    by_id = {p.id: p for p in m.points}
    labelled = sorted((lb for lb in m.labels), key=lambda lb: by_id[lb.item_id or ""].rank)
    key_w = max([2, *(len(lb.text) for lb in labelled)])
    if labelled:
        out.append(f"  {'id':<{key_w}}  {'quadrant':<9}  {'value':>11}  feas  title")
    for lb in labelled:
        p = by_id[lb.item_id or ""]
        title = p.title if lb.text == p.id else f"{p.title} (id {p.id})"  # a cut label: say whose
        out.append(_row(lb.text, key_w, p.quadrant, p.value, p.feasibility, title, m.currency, width, color))
    least = fmt.money(MIN_PLOTTED, m.currency) + "/yr"
    if not m.points:
        out.append(f"No item is worth {least} or more: nothing to plot.")
    rule = "the median item value" if m.threshold_rule == "median" else "[scoring] quick_win_min_value"
    out.append(
        f"Lines: value {fmt.money(m.value_threshold, m.currency)}/yr ({rule}), "
        f"feasibility {fmt.ratio(m.x_threshold)}."
    )
    if m.y_threshold is None and m.points:
        out.append(f"The value line is under {least}: every plotted item is high value.")
    if m.off_chart:
        out.append(f"Not on the chart (the log scale shows values of {least} or more):")
        key_w = max(len(o.id) for o in m.off_chart)
        for o in m.off_chart:
            out.append(
                _row(o.id, key_w, o.quadrant, o.value, o.feasibility, f"{o.title} ({o.reason})",
                     m.currency, width, color)
            )  # fmt: skip
    if m.closed:
        out.append(f"{m.closed} done or dropped item{'s' if m.closed != 1 else ''} not shown.")
    return out


def _fixed_legend_lines(chart: ChartInput) -> int:
    """Legend lines besides the labelled items: column heads, lines, off-chart list, closed."""
    off = sum(1 for entry in chart.ranked if entry[3] < MIN_PLOTTED)
    return 2 + (off + 1 if off else 0) + (1 if chart.closed else 0)


def _header(chart: ChartInput, width: int) -> str:
    title = one_line(chart.title)
    tail = f" · lens {chart.lens} · value/yr (log) vs feasibility"
    return clip(title, max(width - cells(tail), 10)) + tail


def _row(
    key: str, key_w: int, quadrant: str, value: float, feas: float, title: str, currency: str, width: int,
    color: bool,
) -> str:  # fmt: skip
    """One legend line: key, quadrant, value, feasibility, then the title cut to the width."""
    q = f"{QUADRANT_LABELS[quadrant]:<9}"
    money = fmt.money(value, currency) + "/yr"
    head = f"  {key:<{key_w}}  {q}  {money:>11}  {fmt.ratio(feas)}  "
    room = max(width - cells(head), 10)
    if color:
        head = head.replace(q, f"\x1b[{QUADRANT_INFO[quadrant].ansi}m{q}\x1b[0m", 1)
    return head + clip(one_line(title), room)
