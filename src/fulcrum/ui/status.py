"""What the header and the status line say about the open backlog (plain text, never markup)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from fulcrum.scoring import EVERYONE
from fulcrum.ui.rows import Rows
from fulcrum.ui.widgets.header import HeaderState, plan_day_text

if TYPE_CHECKING:
    from fulcrum.ui.files import BacklogFiles
    from fulcrum.ui.rows import Entry, SortOrder
    from fulcrum.ui.state import Session


def header_state(session: Session, files: BacklogFiles, today: date) -> HeaderState:
    """The header: title, lens (with the stakeholder's name), method, unsaved, file, what a worker
    is doing, the no-price note and the day of the plan."""
    s = session
    lens = s.lens
    if lens != EVERYONE and lens in s.backlog.stakeholders:
        lens += f" ({s.backlog.stakeholders[lens].name})"
    busy = "saving…" if files.saving else "exporting…" if files.exporting else ""
    return HeaderState(
        s.backlog.backlog.title,
        lens,
        s.method,
        s.dirty,
        files.where,
        busy=busy,
        no_price=s.ranking.no_price_note,
        day=plan_day_text(s.backlog.backlog.start, today),
    )


def status_line(
    session: Session, rows: Sequence[Entry], order: SortOrder, show_closed: bool, query_text: str
) -> Text:
    """The status line under the tabs: the filter (first: a narrow terminal cuts the line's end), how
    many ranked items are shown, the sort, the closed ones."""
    shown = rows.ranked_count if isinstance(rows, Rows) else sum(1 for r in rows if r.scored is not None)
    status = f"{shown} of {len(session.ranking.ranked)} ranked shown · sorted by {order.label()}"
    closed = len(session.ranking.closed)
    status += f" · {closed} closed {'shown' if show_closed else 'hidden'} (c)"
    if query_text.strip():
        status = f"filter: {query_text.strip()} · {status}"
    return Text(status)
