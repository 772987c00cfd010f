"""`fulcrum rank FILE`: the open items, best first, as a table, JSON or CSV.

The ranking is made from FILE's scoring table (:mod:`fulcrum.scoring.table`, plain data): read
from the cache when it holds this very file, else built from the loaded backlog and kept. Either
way the same scoring and the same output code run, so the bytes are the same; a hit imports no
pydantic, no TOML parser and no model (docs/DESIGN.md "The cache and the fast path").
"""

from __future__ import annotations

import sys

from fulcrum.commands._args import add_scoring_arguments, loaded, scoring_table, whole_number
from fulcrum.errors import EXIT_OK
from fulcrum.scoring import METHOD_FORMULAS, QUADRANT_LABELS

TYPE_CHECKING = False  # not `typing` (see fulcrum.cli)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator
    from typing import Any

    from fulcrum.scoring import Ranking, ScoringTable, TableRanking

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
    """Load FILE and score it as the options say (BacklogError / ScoringError on bad input); the
    scoring table is kept for the next `rank`."""
    from fulcrum.scoring import score_backlog

    return score_backlog(loaded(args), args.lens, args.method, args.formula)


def run(args: argparse.Namespace) -> int:
    """Print the ranking; exit 2 on bad input."""
    from fulcrum.errors import report, user_error
    from fulcrum.scoring import rank_table

    try:
        table = scoring_table(args)
        ranking = rank_table(table, lens=args.lens, method=args.method, formula=args.formula)
    except Exception as exc:
        if not user_error(exc):
            raise
        return report(exc, args.file)
    if ranking.no_price_note:
        sys.stderr.write(f"fulcrum: {ranking.no_price_note}\n")
    order = ranking.order[: args.top] if args.top else ranking.order
    if args.format == "json":
        sys.stdout.write("".join(iter_json(table, ranking, order)) + "\n")  # one write, not one per item
    elif args.format == "csv":
        sys.stdout.write(to_csv(table, ranking, order))
    else:
        sys.stdout.write("\n".join(table_lines(table, ranking, order)) + "\n")
    return EXIT_OK


def record(table: ScoringTable, ranking: TableRanking, rank: int, i: int) -> dict[str, Any]:
    """One row of the JSON/CSV contract (numbers unrounded), the contract scripts rely on: row
    ``i`` of the table at 1-based ``rank``."""
    item_id, title, confidence, requested_by, _, effort, feas, *_ = table.rows[i]
    score, error = ranking.scores[i]
    out: dict[str, Any] = {
        "rank": rank,
        "id": item_id,
        "title": title,
        "value": ranking.values[i],
        "effort": effort,
        "feasibility": feas,
        "score": score,
        "quadrant": ranking.quadrants[i],
        "confidence": confidence,
        "requested_by": list(requested_by),
    }
    if error:
        out["score_error"] = error
    return out


def iter_json(table: ScoringTable, ranking: TableRanking, order: list[int]) -> Iterator[str]:
    """A JSON array, best first, one item per line (diff-friendly), in pieces.

    Each line is what ``json.JSONEncoder(allow_nan=False).encode(record(...))`` gives (ASCII-only,
    so no byte of user text reaches the terminal raw), put together from the row's pre-encoded
    text and the numbers (``tests/commands/test_rank_json.py`` holds the two equal).
    """
    if not order:
        yield "[]"
        return
    from _json import encode_basestring_ascii as text  # the encoder's own; not the json package's imports

    rows, values, scores, quads = table.rows, ranking.values, ranking.scores, ranking.quadrants
    real = float.__repr__  # what the encoder writes for a finite float
    yield "[\n"
    sep = ""
    for pos, i in enumerate(order):
        head, mid, tail = rows[i][-3:]
        value = values[i]  # a float; one that is not finite goes to the encoder, which refuses it
        score, error = scores[i]  # None or a finite number (row_scores makes the rest n/a)
        v = real(value) if value - value == 0.0 else _encode(value)
        sc = "null" if score is None else real(score) if type(score) is float else _encode(score)
        end = f', "score_error": {text(error)}}}' if error else "}"
        numbers = f'"value": {v}, {mid}, "score": {sc}, "quadrant": "{quads[i]}"'
        yield f'{sep}{{"rank": {pos + 1}, {head}, {numbers}, {tail}{end}'
        sep = ",\n"
    yield "\n]"


def _encode(x: object) -> str:
    """The JSON encoder's text of a value the fast path does not write itself (an int, a float
    that is not finite, which it refuses with ValueError)."""
    import json

    return json.JSONEncoder(allow_nan=False).encode(x)


def to_csv(table: ScoringTable, ranking: TableRanking, order: list[int]) -> str:
    """CSV with a header; text cells that a spreadsheet would run as a formula get a leading '."""
    import csv
    import io

    buf = io.StringIO()
    cols = ["rank", "id", "title", "quadrant", "value", "effort", "feasibility", "score", "confidence"]
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*cols, "requested_by", "score_error"])
    for pos, i in enumerate(order):
        r = record(table, ranking, pos + 1, i)
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


def table_lines(table: ScoringTable, ranking: TableRanking, order: list[int]) -> list[str]:
    """The human table, then what it was ranked by and what was left out. User text is terminal-safe."""
    from fulcrum.text import clip, columns, fmt, one_line

    cur = table.currency
    head = ["#", "id", "title", "quadrant", "value/yr", "effort", "feas.", "score", "requested by"]
    right = {0, 4, 5, 6, 7}
    body = []
    for pos, i in enumerate(order):
        item_id, title, _, requested_by, _, effort, feas, *_ = table.rows[i]
        score = ranking.scores[i][0]
        body.append(
            [
                str(pos + 1),
                one_line(item_id),
                clip(one_line(title), TITLE_WIDTH),
                QUADRANT_LABELS[ranking.quadrants[i]],
                fmt.money(ranking.values[i], cur),
                fmt.weeks(effort),
                fmt.ratio(feas),
                "n/a" if score is None else fmt.number(score),
                one_line(", ".join(requested_by)),
            ]
        )
    out = columns(head, body, right, rule=True) if body else ["no open items to rank"]
    out.append("")
    out += footer(table, ranking, len(order))
    return out


def footer(table: ScoringTable, ranking: TableRanking, shown: int) -> list[str]:
    """What the ranking was made with, and what it leaves out."""
    from fulcrum.text import fmt, one_line

    how = ranking.formula if ranking.method == "formula" else METHOD_FORMULAS.get(ranking.method, "")
    vt = fmt.money(ranking.value_threshold, table.currency)
    median = " (median)" if table.min_value == "median" else ""
    out = [
        one_line(f"lens {ranking.lens} · method {ranking.method}: {how}"),
        f"quick win: value >= {vt}{median} and feasibility >= {fmt.ratio(ranking.feasibility_threshold)}",
    ]
    if shown < len(ranking.order):
        out.append(f"showing the top {shown} of {len(ranking.order)}")
    if table.closed:
        listed = ", ".join(f"{item_id} ({status})" for item_id, status in table.closed[:FOOTER_MAX])
        out.append(one_line(f"not ranked: {listed}{_more(len(table.closed))}"))
    errors = [(table.rows[i][0], e) for i in ranking.order if (e := ranking.scores[i][1])]
    for item_id, error in errors[:FOOTER_MAX]:
        out.append(one_line(f"score n/a for {item_id}: {error}"))
    if len(errors) > FOOTER_MAX:
        out.append(f"score n/a for {len(errors) - FOOTER_MAX:,} more items (see --format json)")
    return out


def _more(n: int) -> str:
    return f" and {n - FOOTER_MAX:,} more" if n > FOOTER_MAX else ""
