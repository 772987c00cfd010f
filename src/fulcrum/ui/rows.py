"""The rows of the Backlog table: cells, filter and sort (pure; rich Text only, no textual).

Every cell is a ``rich.text.Text`` built from plain strings, so a title such as ``[/bad] x`` is
shown literally and never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

from rich.text import Text

from fulcrum.backlog import Item
from fulcrum.scoring import (
    QUADRANT_INFO,
    QUADRANT_LABELS,
    QUADRANTS,
    Ranking,
    Scored,
    item_value,
    lens_weights,
)
from fulcrum.text import fmt
from fulcrum.ui.state import Session

#: Style of each quadrant (its colour from the one quadrant table) and of the closed statuses,
#: used in the table and the pane.
QUADRANT_STYLES: dict[str, str] = {
    **{q.key: q.style for q in QUADRANT_INFO.values()},
    "done": "dim",
    "dropped": "dim strike",
}


@dataclass(frozen=True)
class Column:
    """A table column: key, header label, and how to sort by it."""

    key: str
    label: str
    sort_key: Callable[[Scored], Any]
    descending: bool = False
    """The natural first direction (best first: high value, high score)."""
    name: str = ""
    """What the sort picker calls it (default: the label)."""


def _score_key(s: Scored) -> float:
    return -float("inf") if s.score is None else s.score


COLUMNS: tuple[Column, ...] = (
    Column("rank", "#", lambda s: s.rank, name="Rank"),
    Column("move", "±", lambda s: s.rank, name="Moved since the last change"),  # see sort_rows
    Column("id", "ID", lambda s: s.id.lower()),
    Column("title", "Title", lambda s: s.item.title.lower()),
    Column("quadrant", "Quadrant", lambda s: (QUADRANTS.index(s.quadrant), s.rank)),
    Column("value", "Value/yr", lambda s: s.value, descending=True),
    Column("effort", "Effort", lambda s: s.effort),
    Column("feasibility", "Feas.", lambda s: s.feasibility, descending=True, name="Feasibility"),
    Column("score", "Score", _score_key, descending=True),
    Column("requested_by", "Requested by", lambda s: ",".join(s.item.requested_by)),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)


@dataclass(frozen=True)
class SortOrder:
    """The column the table is sorted by, and the direction."""

    column: str = "rank"
    descending: bool = False

    def label(self) -> str:
        col = _column(self.column)
        return f"{col.label} {'↓' if self.descending else '↑'}"

    def clicked(self, column: str) -> SortOrder:
        """A header click or a pick in the sort picker: the same column flips direction, another
        starts in its natural one."""
        if column == self.column:
            return SortOrder(column, not self.descending)
        return SortOrder(column, _column(column).descending)


def sort_options(order: SortOrder) -> list[tuple[str, Text]]:
    """(column key, label) of each column for the sort picker: its name, the direction it starts
    in, and for the current one which way Enter turns it."""
    out = []
    for col in COLUMNS:
        label = Text(col.name or col.label, style="bold")
        label.append(f"  {col.label}" if col.name else "", style="dim")
        first = "highest first ↓" if col.descending else "lowest first ↑"
        if col.key == order.column:
            now = "↓" if order.descending else "↑"
            label.append(f" — sorted {now} now; Enter reverses it", style="yellow")
        else:
            label.append(f" — {first}", style="dim")
        out.append((col.key, label))
    return out


def _column(key: str) -> Column:
    return COLUMNS[COLUMN_KEYS.index(key)]


class Entry(NamedTuple):
    """One table row: the item id (the row key), its score (None when closed) and the item.

    A named tuple, not a frozen dataclass: every re-rank makes one per item (10,000 items: ~5 ms
    against ~25 ms)."""

    key: str
    scored: Scored | None
    item: Item


def haystack(item: Item, quadrant: str, names: dict[str, str]) -> str:
    """The lower-cased text a filter searches: id, title, tags, stakeholders, quadrant, and
    "deferred" for a deferred item."""
    people = [f"{k} {names.get(k, '')}" for k in item.requested_by]
    label = QUADRANT_LABELS.get(quadrant, quadrant)
    deferred = ["deferred"] if item.status == "deferred" else []
    return " ".join([item.id, item.title, *item.tags, *people, quadrant, label, *deferred]).lower()


def matches(text: str, query: str) -> bool:
    """Every word of the query occurs in the text (case-insensitive)."""
    return all(word in text for word in query.lower().split())


class Rows(Sequence[Entry]):
    """The table's rows in order, ranked items then closed ones, made on demand: an :class:`Entry`
    only for a row that is drawn or asked for (a re-rank of 10,000 items would otherwise make
    10,000 of them for the forty on screen).

    ``position`` finds a row by item id: through the ranking's own index (``Ranking.get``, whose
    rank is the row) when the rows are the ranking's order, else through an index of the rows
    built the first time one is looked up.
    """

    def __init__(
        self, ranked: Sequence[Scored], closed: Sequence[Item] = (), ranking: Ranking | None = None
    ) -> None:
        """``ranking``: the ranking whose ``ranked`` list ``ranked`` is (its order, unfiltered)."""
        self._ranked = ranked
        self._closed = closed
        self._ranking = ranking if ranking is not None and ranking.ranked is ranked else None
        self._index: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._ranked) + len(self._closed)

    @property
    def rank_digits(self) -> int:
        """Digits of the largest rank among the rows (the rank column's width)."""
        if self._ranking is not None:  # the ranking's own order: the last is the largest
            return len(str(len(self._ranked)))
        return len(str(max((s.rank for s in self._ranked), default=0)))

    @overload
    def __getitem__(self, i: int) -> Entry: ...

    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...

    def __getitem__(self, i: int | slice) -> Entry | list[Entry]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self._ranked)
        if i < 0:
            i += len(self)
        if 0 <= i < n:
            s = self._ranked[i]
            return Entry(s.item.id, s, s.item)
        if n <= i < len(self):
            it = self._closed[i - n]
            return Entry(it.id, None, it)
        raise IndexError(i)

    def __iter__(self) -> Iterator[Entry]:
        for s in self._ranked:
            yield Entry(s.item.id, s, s.item)
        for it in self._closed:
            yield Entry(it.id, None, it)

    @property
    def ranked_count(self) -> int:
        """How many of the rows are ranked items (the rest are closed ones)."""
        return len(self._ranked)

    def keys(self) -> list[str]:
        """The item id of every row, top to bottom."""
        return [s.item.id for s in self._ranked] + [it.id for it in self._closed]

    def position(self, key: str) -> int | None:
        """The row of the item with this id, or None when it is not shown."""
        if self._ranking is not None:
            s = self._ranking.get(key)
            if s is not None and s.rank - 1 < len(self._ranked) and self._ranked[s.rank - 1] is s:
                return s.rank - 1
            if s is None and not self._closed:
                return None
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.keys())}
        return self._index.get(key)


def visible_rows(
    session: Session, query: str = "", order: SortOrder | None = None, closed: bool = False
) -> Rows:
    """The rows to show: ranked items filtered and sorted, then closed items when asked for.

    Cheap (no Text is built, and no row made for the ranking's own order): the table builds the
    cells of the rows it draws with ``cells``.
    """
    order = order or SortOrder()
    b = session.backlog
    ranking = session.ranking
    ranked: Sequence[Scored] = ranking.ranked
    if query.strip():
        names = {k: s.name for k, s in b.stakeholders.items()}
        ranked = [s for s in ranked if matches(haystack(s.item, s.quadrant, names), query)]
    ranked = sort_rows(session, ranked, order)
    items: Sequence[Item] = ()
    if closed:
        items = ranking.closed
        if query.strip():
            names = {k: s.name for k, s in b.stakeholders.items()}
            items = [it for it in items if matches(haystack(it, it.status, names), query)]
    return Rows(ranked, items, ranking)


def cells(session: Session, entry: Entry) -> tuple[Text, ...]:
    """The cells of one row, in COLUMNS order."""
    if entry.scored is None:
        return closed_cells(session, entry.item)
    return ranked_cells(session, entry.scored)


def sort_rows(session: Session, ranked: Sequence[Scored], order: SortOrder) -> Sequence[Scored]:
    """Sort by the column; n/a scores stay last either way; ties keep rank order. The rank order
    is ``ranked`` itself (never copied: rankings are not changed in place)."""
    if order.column == "rank" and not order.descending:
        return ranked
    key: Callable[[Scored], Any] = _column(order.column).sort_key
    if order.column == "move":
        key = lambda s: session.movement(s.id) or 0  # noqa: E731
    if order.column == "score":
        valid = [s for s in ranked if s.score is not None]
        na = [s for s in ranked if s.score is None]
        return sorted(valid, key=key, reverse=order.descending) + na
    return sorted(ranked, key=key, reverse=order.descending)


def movement_cell(session: Session, item_id: str) -> Text:
    """▲3 (moved up three places), ▼2, "new" when it was not ranked before, blank when unmoved."""
    if session.is_new_in_ranking(item_id):
        return Text("new", style="yellow")
    moved = session.movement(item_id)
    if not moved:
        return Text("")
    if moved > 0:
        return Text(f"▲{moved}", style="green")
    return Text(f"▼{-moved}", style="red")


def _plain(text: str, style: str = "") -> Text:
    """User text as one literal line; the table cuts it to the column with an ellipsis."""
    return Text(text.replace("\t", " "), style=style, no_wrap=True, overflow="ellipsis")


def _title(item: Item) -> Text:
    """The title; a deferred item's says so first (ranked, never planned)."""
    if item.status != "deferred":
        return _plain(item.title)
    title = Text(no_wrap=True, overflow="ellipsis")
    title.append("deferred · ", style="dim italic")
    title.append(item.title.replace("\t", " "))
    return title


def _right(text: str, style: str = "") -> Text:
    return Text(text, style=style, justify="right", no_wrap=True)


#: The effort column's width (``backlog_table.WIDTHS``).
EFFORT_WIDTH = 7


def effort_cell(weeks: float, style: str = "") -> Text:
    """``2.85 wk``; a longer one (``0.633 wk``, ``1,234 wk``) drops its unit rather than being cut
    to ``0.633 …`` (the header names the column; the pane shows the unit)."""
    text = fmt.weeks(weeks)
    return _right(text if len(text) <= EFFORT_WIDTH else text.removesuffix(" wk"), style)


def ranked_cells(session: Session, s: Scored) -> tuple[Text, ...]:
    """The cells of a ranked item."""
    currency = session.backlog.backlog.currency
    style = QUADRANT_STYLES[s.quadrant]
    score = _right("n/a", "dim") if s.score is None else _right(fmt.number(s.score))
    out = (
        _right(str(s.rank)),
        movement_cell(session, s.id),
        _plain(s.id, style),
        _title(s.item),
        _plain(QUADRANT_LABELS[s.quadrant], style),
        _right(fmt.money(s.value, currency)),
        effort_cell(s.effort),
        _right(fmt.ratio(s.feasibility)),
        score,
        _plain(", ".join(s.item.requested_by)),
    )
    return out


def closed_cells(session: Session, item: Item) -> tuple[Text, ...]:
    """The cells of a done or dropped item: not ranked, dimmed."""
    b = session.backlog
    style = QUADRANT_STYLES[item.status]
    value = item_value(b, item, lens_weights(b, session.lens))
    out = (
        _right("—", "dim"),
        Text(""),
        _plain(item.id, style),
        _plain(item.title, style),
        _plain(item.status, style),
        _right(fmt.money(value, b.backlog.currency), "dim"),
        effort_cell(item.effort.expected, "dim"),
        _right("—", "dim"),
        _right("—", "dim"),
        _plain(", ".join(item.requested_by), "dim"),
    )
    return out
