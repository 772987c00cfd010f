"""A Linear CSV export (Settings > Import / Export > Export CSV): columns by header name.

Linear writes labels joined with ", " in one ``Labels`` column, the estimate as a number, and puts
a ``'`` before any text that a spreadsheet would take for a formula (``'=SUM(A1)``); that quote is
removed. Blocking relations are read from ``Blocked by`` / ``Blocking`` columns (issue IDs joined
with ", ") when the export has them.
"""

from __future__ import annotations

import re

from fulcrum.importers.csv_table import read_table
from fulcrum.importers.issues import Export, Issue, clean_line, parse_date, parse_points, tracker_key, unique

WHAT = "a Linear CSV export with the columns 'ID' and 'Title'"
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*-[0-9]+")
#: The characters after which Linear (as the OWASP advice goes) puts a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unquote(cell: str) -> str:
    """A cell without the ``'`` Linear puts before formula-like text."""
    if cell.startswith("'") and cell[1:2] and cell[1] in _FORMULA_START:
        return cell[1:]
    return cell


def _keys(cell: str) -> list[str]:
    return [k.upper() for k in _KEY.findall(cell)]


def read_linear(data: bytes, name: str) -> Export:
    """The issues of a Linear CSV export; ExportError when it is not one."""
    table = read_table(data, name, WHAT, ("ID", "Title"))
    table.rows = [[unquote(c) for c in row] for row in table.rows]
    out = Export("linear")
    seen: set[str] = set()
    notes = out.notes
    for n, row in enumerate(table.rows, start=2):
        key = tracker_key(table.get(row, "ID"), _KEY, n, "Linear issue ID (ENG-42)", notes)
        if key is None:
            continue
        labels = [clean_line(x, f"{key} label", notes) for x in table.get(row, "Labels").split(",")]
        issue = Issue(
            key=key,
            title=clean_line(table.get(row, "Title"), f"{key} title", notes) or key,
            status=clean_line(table.get(row, "Status"), f"{key} status", notes, 100),
            url=clean_line(table.get(row, "URL"), f"{key} url", notes),
            owner=clean_line(table.get(row, "Assignee"), f"{key} assignee", notes),
            labels=unique(labels),
            points=parse_points(table.get(row, "Estimate"), f"{key} estimate", notes),
            due=parse_date(table.get(row, "Due Date", "Due date"), f"{key} due date", notes),
            depends_on=unique(_keys(table.get(row, "Blocked by", "Blocked By"))),
            blocks=unique(_keys(table.get(row, "Blocking", "Blocks"))),
        )
        out.add(issue, seen)
    return out
