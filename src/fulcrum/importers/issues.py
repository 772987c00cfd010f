"""A tracker's issue as the importers read it, and tracker text made safe for a backlog.

Every importer turns its export into :class:`Export`: the issues in the export's order, each with
the tracker's own words (its status name, its labels) cleaned to what the backlog format accepts,
and the notes saying what was cleaned ("PAY-7 title: 612 characters long; cut to 500").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

#: The longest one-line text of the format (docs/FORMAT.md "Value types"); Jira allows 255.
MAX_LINE = 500
#: The longest source key of the format.
MAX_KEY = 100
#: What a one-line text of the format may not hold (the same set the loader refuses): C0 controls,
#: DEL, C1 controls, and the bidirectional embeddings, overrides and isolates. Tab is allowed by the
#: format, but a tab in a title is a paste accident: it becomes a space, as line breaks do.
_BREAKS = re.compile(r"\r\n|[\n\r\t\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"  +")


class ExportError(Exception):
    """The export cannot be read as the named format: the message names the file and what was expected."""


@dataclass(frozen=True)
class Issue:
    """One issue of a tracker's export, in the tracker's words (cleaned to one-line text)."""

    key: str
    """The tracker's key: PAY-123 (Jira), ENG-42 (Linear), owner/repo#17 (GitHub)."""
    title: str
    """Its summary, one line of at most 500 characters."""
    status: str
    """The tracker's status name (``In Progress``, ``open``), mapped by the merge."""
    url: str = ""
    """Where the issue lives, when the export says."""
    owner: str = ""
    """Its assignee(s)."""
    labels: tuple[str, ...] = ()
    """Its labels, in the export's order, without repeats."""
    points: float | None = None
    """Story points (Jira) or the estimate (Linear); None when not estimated."""
    due: date | None = None
    """Its due date (GitHub: its milestone's)."""
    depends_on: tuple[str, ...] = ()
    """Keys of the issues it is blocked by."""
    blocks: tuple[str, ...] = ()
    """Keys of the issues it blocks."""


@dataclass
class Export:
    """What an importer read: the issues and the notes about what it had to clean or leave out."""

    system: str
    """jira | linear | github."""
    issues: list[Issue] = field(default_factory=list)
    """In the export's order, one per key (a repeated key keeps its first row)."""
    notes: list[str] = field(default_factory=list)
    """Plain-words notes, one line each ("PAY-7 title: control characters removed")."""

    def add(self, issue: Issue, seen: set[str]) -> None:
        """Keep ``issue`` unless its key came before (then a note)."""
        if issue.key in seen:
            self.notes.append(f"{issue.key}: appears more than once in the export; the first one is used")
            return
        seen.add(issue.key)
        self.issues.append(issue)


def clean_line(text: str, where: str, notes: list[str], limit: int = MAX_LINE) -> str:
    """``text`` as one line of the format: line breaks and tabs become spaces, control characters
    are removed, the ends stripped, and it is cut to ``limit`` characters; each change is noted
    (``where`` names it: "PAY-7 title")."""
    out = text
    if _BREAKS.search(out):
        out = _SPACES.sub(" ", _BREAKS.sub(" ", out))
        notes.append(f"{where}: line breaks replaced by spaces")
    if _CONTROLS.search(out):
        out = _CONTROLS.sub("", out)
        notes.append(f"{where}: control characters removed")
    out = out.strip()
    if len(out) > limit:
        notes.append(f"{where}: {len(out):,} characters long; cut to {limit}")
        out = out[: limit - 1].rstrip() + "…"
    return out


def unique(values: list[str]) -> tuple[str, ...]:
    """The non-empty values in order, without repeats."""
    return tuple(dict.fromkeys(v for v in values if v))


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
#: Jira's default (``12/Jan/27 12:00 AM``, day/month-abbreviation/year), with or without the time.
_JIRA_DATE = re.compile(r"\s*(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})(?:\s.*)?")
#: An ISO date, alone or starting a timestamp (``2026-12-20``, ``2026-12-20T00:00:00Z``).
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T\s].*)?")


def parse_date(text: str, where: str, notes: list[str]) -> date | None:
    """A tracker's date: Jira's ``12/Jan/27 12:00 AM`` or an ISO date or timestamp; empty -> None.
    A date fulcrum cannot read, or outside 1900..9000, is left out with a note."""
    if not text.strip():
        return None
    day = None
    if m := _JIRA_DATE.fullmatch(text):
        month = _MONTHS.get(m.group(2).lower())
        year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        if month is not None:
            day = _date(year, month, int(m.group(1)))
    elif m := _ISO_DATE.fullmatch(text):
        day = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if day is None or not date(1900, 1, 1) <= day <= date(9000, 12, 31):
        shown = clean_line(text, where, [], 40)
        notes.append(f"{where}: {shown!r} is not a date fulcrum can read (12/Jan/27 or 2027-01-12); left out")
        return None
    return day


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_points(text: str, where: str, notes: list[str]) -> float | None:
    """Story points: a number (``3``, ``2.5``, ``2,5``); empty -> None; anything else, a negative
    number or 0 -> None (not estimated) with a note."""
    raw = text.strip()
    if not raw:
        return None
    try:
        x = float(raw.replace(",", ".")) if raw.count(",") <= 1 and "." not in raw else float(raw)
    except ValueError:
        x = None
    if x is None or x != x or x in (float("inf"), float("-inf")):
        notes.append(f"{where}: {clean_line(raw, where, [], 40)!r} is not a number; treated as not estimated")
        return None
    if x <= 0:
        notes.append(f"{where}: {x:g} points; treated as not estimated")
        return None
    return x


def tracker_key(raw: str, pattern: re.Pattern[str], row: int, kind: str, notes: list[str]) -> str | None:
    """A row's issue key, upper-cased, or None (and a note) when it is not one: ``kind`` says what
    one looks like ("Jira issue key (PAY-123)")."""
    raw = raw.strip()
    if not pattern.fullmatch(raw) or len(raw) > MAX_KEY:
        shown = clean_line(raw, "key", [], 40)
        notes.append(f"row {row}: {shown!r} is not a {kind}; row left out")
        return None
    return raw.upper()
