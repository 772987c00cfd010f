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
import unicodedata

from fulcrum import fmt
from fulcrum.matrix import MIN_PLOTTED, Matrix
from fulcrum.model import METHODS
from fulcrum.scoring import QUADRANT_LABELS, Ranking
from fulcrum.textsafe import one_line

MIN_WIDTH, MIN_HEIGHT = 40, 12
#: The most items labelled on the chart (and listed in the legend).
MAX_LABELS = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum matrix`."""
    parser.add_argument("file", help="backlog file")
    parser.add_argument(
        "--lens", metavar="KEY", help="value through a stakeholder's eyes (default: everyone)"
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--method", choices=METHODS, help="score method, which decides the labelled top items")
    how.add_argument("--formula", metavar="EXPR", help="score with this formula")
    parser.add_argument(
        "--width", type=_at_least(MIN_WIDTH), metavar="W", help="chart width (default: the terminal's)"
    )
    parser.add_argument(
        "--height", type=_at_least(MIN_HEIGHT), metavar="H", help="chart height (default: fits the terminal)"
    )


def run(args: argparse.Namespace) -> int:
    """Print the chart and its legend; exit 2 on bad input."""
    from fulcrum.errors import report
    from fulcrum.load import BacklogError, load_backlog
    from fulcrum.scoring import ScoringError, score_backlog

    try:
        backlog = load_backlog(args.file)
        ranking = score_backlog(backlog, lens=args.lens, method=args.method, formula=args.formula)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render(ranking, args.width, args.height, color=color))
    return 0


def render(ranking: Ranking, width: int | None, height: int | None, *, color: bool) -> str:
    """The whole output: header, chart, legend. Missing sizes come from the terminal."""
    from fulcrum import chart, matrix

    term = shutil.get_terminal_size((80, 24))
    w = width or max(term.columns, MIN_WIDTH)
    labels = min(MAX_LABELS, len(ranking.ranked))
    if height is None:
        # Header, chart and legend fit the window (the prompt too): fewer labels in a small one,
        # but the chart keeps MIN_HEIGHT and the off-chart list is never cut.
        fixed = _fixed_legend_lines(ranking)
        labels = max(min(labels, term.lines - 2 - MIN_HEIGHT - fixed), min(3, labels))
        height = max(term.lines - 2 - fixed - labels, MIN_HEIGHT)
    m = matrix.build(ranking, w, height, max_labels=labels)
    lines = [_header(ranking, w), chart.render(m, w, height, color=color).rstrip("\n")]
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
    if not m.points:
        out.append("No item is worth $1/yr or more: nothing to plot.")
    rule = "the median item value" if m.threshold_rule == "median" else "[scoring] quick_win_min_value"
    out.append(
        f"Lines: value {fmt.money(m.value_threshold, m.currency)}/yr ({rule}), "
        f"feasibility {fmt.ratio(m.x_threshold)}."
    )
    if m.y_threshold is None and m.points:
        out.append("The value line is under $1/yr: every plotted item is high value.")
    if m.off_chart:
        out.append("Not on the chart (the log scale shows values of $1/yr or more):")
        key_w = max(len(o.id) for o in m.off_chart)
        for o in m.off_chart:
            out.append(
                _row(o.id, key_w, o.quadrant, o.value, o.feasibility, f"{o.title} ({o.reason})",
                     m.currency, width, color)
            )  # fmt: skip
    if m.closed:
        out.append(f"{m.closed} done or dropped item{'s' if m.closed != 1 else ''} not shown.")
    return out


def _fixed_legend_lines(ranking: Ranking) -> int:
    """Legend lines besides the labelled items: column heads, lines, off-chart list, closed."""
    off = sum(1 for s in ranking.ranked if s.value < MIN_PLOTTED)
    return 2 + (off + 1 if off else 0) + (1 if ranking.closed else 0)


def _header(ranking: Ranking, width: int) -> str:
    title = one_line(ranking.backlog.backlog.title)
    tail = f" · lens {ranking.lens} · value/yr (log) vs feasibility"
    return _clip(title, max(width - _cells(tail), 10)) + tail


def _row(
    key: str, key_w: int, quadrant: str, value: float, feas: float, title: str, currency: str, width: int,
    color: bool,
) -> str:  # fmt: skip
    """One legend line: key, quadrant, value, feasibility, then the title cut to the width."""
    q = f"{QUADRANT_LABELS[quadrant]:<9}"
    money = fmt.money(value, currency) + "/yr"
    head = f"  {key:<{key_w}}  {q}  {money:>11}  {fmt.ratio(feas)}  "
    room = max(width - _cells(head), 10)
    if color:
        from fulcrum.chart import QUADRANT_ANSI

        head = head.replace(q, f"\x1b[{QUADRANT_ANSI[quadrant]}m{q}\x1b[0m", 1)
    return head + _clip(one_line(title), room)


def _cells(text: str) -> int:
    """Terminal cells: wide (East Asian) characters take two, combining marks none."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _clip(text: str, cells: int) -> str:
    """Text cut to fit ``cells`` terminal cells, ending in "…" when cut."""
    if _cells(text) <= cells:
        return text
    out, n = [], 0
    for ch in text:
        w = _cells(ch)
        if n + w > cells - 1:
            break
        out.append(ch)
        n += w
    return "".join(out) + "…"


def _at_least(minimum: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return n

    return parse
