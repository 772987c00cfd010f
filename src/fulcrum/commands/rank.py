"""`fulcrum rank FILE`: the open items, best first, as a table, JSON or CSV."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

from fulcrum.backlog import paused_gc
from fulcrum.commands._args import add_scoring_arguments, whole_number
from fulcrum.errors import EXIT_OK
from fulcrum.scoring import METHOD_FORMULAS, QUADRANT_LABELS, Ranking, Scored
from fulcrum.text import fmt

#: The widest a title may be in the table (in terminal cells); longer ones end in "…".
TITLE_WIDTH = 40
#: The most closed items or n/a scores the table's footer lists one by one.
FOOTER_MAX = 10
#: A CSV cell starting with one of these is read as a formula by spreadsheets.
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum rank`."""
    add_scoring_arguments(parser)
    parser.add_argument("--top", type=whole_number(1), metavar="N", help="show only the best N items")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format")


def ranking_from_args(args: argparse.Namespace) -> Ranking:
    """Load FILE and score it as the options say (BacklogError / ScoringError on bad input)."""
    from fulcrum.backlog import load_backlog
    from fulcrum.scoring import score_backlog

    backlog = load_backlog(args.file)
    return score_backlog(backlog, lens=args.lens, method=args.method, formula=args.formula)


def run(args: argparse.Namespace) -> int:
    """Print the ranking; exit 2 on bad input."""
    from fulcrum.backlog import BacklogError
    from fulcrum.errors import report
    from fulcrum.scoring import ScoringError

    with paused_gc():
        try:
            ranking = ranking_from_args(args)
        except (BacklogError, ScoringError) as exc:
            return report(exc, args.file)
        if ranking.no_price_note:
            sys.stderr.write(f"fulcrum: {ranking.no_price_note}\n")
        rows = ranking.ranked[: args.top] if args.top else ranking.ranked
        if args.format == "json":
            sys.stdout.writelines(iter_json(rows))
            sys.stdout.write("\n")
        elif args.format == "csv":
            sys.stdout.write(to_csv(rows))
        else:
            sys.stdout.write("\n".join(table_lines(ranking, rows)) + "\n")
    return EXIT_OK


def record(s: Scored) -> dict[str, Any]:
    """One row of the JSON/CSV contract (numbers unrounded), the contract scripts rely on."""
    out: dict[str, Any] = {
        "rank": s.rank,
        "id": s.id,
        "title": s.item.title,
        "value": s.value,
        "effort": s.effort,
        "feasibility": s.feasibility,
        "score": s.score,
        "quadrant": s.quadrant,
        "confidence": s.item.confidence,
        "requested_by": list(s.item.requested_by),
    }
    if s.score_error:
        out["score_error"] = s.score_error
    return out


def to_json(rows: list[Scored]) -> str:
    """A JSON array, best first, one item per line (diff-friendly; the C encoder, so fast).

    ASCII-only, so no byte of user text reaches the terminal raw.
    """
    return "".join(iter_json(rows))


def iter_json(rows: list[Scored]) -> Iterator[str]:
    """The pieces of :func:`to_json`, for writing a big ranking without building it whole."""
    if not rows:
        yield "[]"
        return
    encode = json.JSONEncoder(allow_nan=False).encode
    yield "[\n"
    for n, s in enumerate(rows):
        yield ("" if n == 0 else ",\n") + encode(record(s))
    yield "\n]"


def to_csv(rows: list[Scored]) -> str:
    """CSV with a header; text cells that a spreadsheet would run as a formula get a leading '."""
    buf = io.StringIO()
    cols = ["rank", "id", "title", "quadrant", "value", "effort", "feasibility", "score", "confidence"]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*cols, "requested_by", "score_error"])
    for s in rows:
        r = record(s)
        cells = [_csv_cell(r[c]) for c in cols]
        w.writerow([*cells, _csv_cell(";".join(r["requested_by"])), _csv_cell(r.get("score_error", ""))])
    return buf.getvalue()


def _csv_cell(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, (int, float)):
        return repr(x)
    text = str(x)
    return "'" + text if text.startswith(_CSV_TRIGGERS) else text


def table_lines(ranking: Ranking, rows: list[Scored]) -> list[str]:
    """The human table, then what it was ranked by and what was left out. User text is terminal-safe."""
    from fulcrum.text import clip, columns, one_line

    cur = ranking.backlog.backlog.currency
    head = ["#", "id", "title", "quadrant", "value/yr", "effort", "feas.", "score", "requested by"]
    right = {0, 4, 5, 6, 7}
    body = [
        [
            str(s.rank),
            one_line(s.id),
            clip(one_line(s.item.title), TITLE_WIDTH),
            QUADRANT_LABELS[s.quadrant],
            fmt.money(s.value, cur),
            fmt.weeks(s.effort),
            fmt.ratio(s.feasibility),
            "n/a" if s.score is None else fmt.number(s.score),
            one_line(", ".join(s.item.requested_by)),
        ]
        for s in rows
    ]
    out = columns(head, body, right, rule=True) if body else ["no open items to rank"]
    out.append("")
    out += footer(ranking, len(rows))
    return out


def footer(ranking: Ranking, shown: int) -> list[str]:
    """What the ranking was made with, and what it leaves out."""
    from fulcrum.text import one_line

    b = ranking.backlog
    how = ranking.formula if ranking.method == "formula" else METHOD_FORMULAS.get(ranking.method, "")
    vt = fmt.money(ranking.value_threshold, b.backlog.currency)
    median = " (median)" if b.scoring.quick_win_min_value == "median" else ""
    out = [
        one_line(f"lens {ranking.lens} · method {ranking.method}: {how}"),
        f"quick win: value >= {vt}{median} and feasibility >= {fmt.ratio(ranking.feasibility_threshold)}",
    ]
    if shown < len(ranking.ranked):
        out.append(f"showing the top {shown} of {len(ranking.ranked)}")
    if ranking.closed:
        listed = ", ".join(f"{it.id} ({it.status})" for it in ranking.closed[:FOOTER_MAX])
        out.append(one_line(f"not ranked: {listed}{_more(len(ranking.closed))}"))
    errors = [s for s in ranking.ranked if s.score_error]
    for s in errors[:FOOTER_MAX]:
        out.append(one_line(f"score n/a for {s.id}: {s.score_error}"))
    if len(errors) > FOOTER_MAX:
        out.append(f"score n/a for {len(errors) - FOOTER_MAX:,} more items (see --format json)")
    return out


def _more(n: int) -> str:
    return f" and {n - FOOTER_MAX:,} more" if n > FOOTER_MAX else ""
