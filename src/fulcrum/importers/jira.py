"""A Jira Cloud CSV export (Filters > Export > Export CSV): columns by header name.

Jira writes a multi-valued field as one column per value under the same header (``Labels``,
``Sprint``, ``Outward issue link (Blocks)``), dates as ``12/Jan/27 12:00 AM``, and story points
under ``Custom field (Story point estimate)`` (team-managed projects) or ``Custom field (Story
Points)`` (company-managed).
"""

from __future__ import annotations

import re

from fulcrum.importers.csv_table import read_table
from fulcrum.importers.issues import Export, Issue, clean_line, parse_date, parse_points, tracker_key, unique

WHAT = "a Jira CSV export (Filters > Export > Export CSV) with the columns 'Issue key' and 'Summary'"
POINTS = (
    "Custom field (Story point estimate)",
    "Custom field (Story Points)",
    "Story point estimate",
    "Story Points",
)
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")


def _keys(cells: list[str]) -> list[str]:
    return [k.upper() for cell in cells for k in _KEY.findall(cell)]


def read_jira(data: bytes, name: str) -> Export:
    """The issues of a Jira CSV export; ExportError when it is not one."""
    table = read_table(data, name, WHAT, ("Issue key", "Summary"))
    out = Export("jira")
    seen: set[str] = set()
    notes = out.notes
    for n, row in enumerate(table.rows, start=2):
        key = tracker_key(table.get(row, "Issue key"), _KEY, n, "Jira issue key (PAY-123)", notes)
        if key is None:
            continue
        title = clean_line(table.get(row, "Summary"), f"{key} title", notes) or key
        labels = [
            clean_line(label, f"{key} label", notes)
            for cell in table.every(row, "Labels")
            for label in cell.split()
        ]
        issue = Issue(
            key=key,
            title=title,
            status=clean_line(table.get(row, "Status"), f"{key} status", notes, 100),
            owner=clean_line(table.get(row, "Assignee"), f"{key} assignee", notes),
            labels=unique(labels),
            points=parse_points(table.get(row, *POINTS), f"{key} story points", notes),
            due=parse_date(table.get(row, "Due date", "Due Date"), f"{key} due date", notes),
            depends_on=unique(_keys(table.every(row, "Inward issue link (Blocks)"))),
            blocks=unique(_keys(table.every(row, "Outward issue link (Blocks)"))),
        )
        out.add(issue, seen)
    return out
