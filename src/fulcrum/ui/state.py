"""The edit session of the triage app: pure Python, no textual, unit-testable on its own.

A session holds the current backlog, the backlog as last read from or written to disk, undo and
redo stacks of whole frozen ``Backlog`` values, the lens and method, the current ranking, and the
ranks before the last change (for the ▲/▼ movement column). Every change scores the candidate
first and only then commits, so a change that cannot be scored leaves the session untouched.
"""

from __future__ import annotations

from fulcrum.backlog import Backlog
from fulcrum.scoring import EVERYONE, Ranking, ScoringError, rescore, score_backlog

#: Undo steps kept; each is a whole Backlog but they share every unchanged Item object.
UNDO_LIMIT = 200


class Session:
    """The backlog being triaged and everything needed to undo, redo, re-rank and save it."""

    def __init__(self, backlog: Backlog, lens: str = EVERYONE, method: str | None = None) -> None:
        self.backlog = backlog
        """The current (possibly edited) backlog."""
        self.saved = backlog
        """The backlog as on disk: what a save compares against; ``dirty`` when it differs."""
        self.lens = lens if lens in (EVERYONE, *backlog.stakeholders) else EVERYONE
        self.method = method or backlog.scoring.method
        self.ranking: Ranking = rank(backlog, self.lens, self.method)
        self.previous: Ranking | None = None
        """The ranking before the last change; None until something changes."""
        self.undo_stack: list[Backlog] = []
        self.redo_stack: list[Backlog] = []
        self._shown: tuple[Backlog, str, Backlog] | None = None

    # -- queries -------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when there are edits not written to disk."""
        return self.backlog is not self.saved and self.backlog != self.saved

    @property
    def shown(self) -> Backlog:
        """The backlog with the method in use (picked with ``m``) as its ``[scoring] method``: what
        the screen ranks, for what scores it again itself (the Markdown export, the plan).

        The same object while neither changes (the plan view redraws only for a new backlog). The
        formula needs no copying: the session scores "formula" with the file's formula too.
        """
        b = self.backlog
        if self.method == b.scoring.method:
            return b
        if self._shown is None or self._shown[0] is not b or self._shown[1] != self.method:
            scoring = b.scoring.model_copy(update={"method": self.method})
            self._shown = (b, self.method, b.model_copy(update={"scoring": scoring}))
        return self._shown[2]

    @property
    def previous_ranks(self) -> dict[str, int]:
        """Rank of each item before the last change; empty until something changes."""
        return {s.id: s.rank for s in self.previous.ranked} if self.previous is not None else {}

    def unsaved_edits(self) -> tuple[int, list[str]]:
        """What a reload would drop: how many values differ from the saved backlog, and the ids
        of the items they are in (see :func:`count_changes`)."""
        return count_changes(self.saved, self.backlog)

    def movement(self, item_id: str) -> int | None:
        """Places moved up (positive) or down since the last change; None if it was not ranked then."""
        before = self.previous.get(item_id) if self.previous is not None else None
        now = self.ranking.get(item_id)
        if before is None or now is None:
            return None
        return before.rank - now.rank

    def is_new_in_ranking(self, item_id: str) -> bool:
        """Ranked now but not before the last change (a new or reopened item)."""
        return (
            self.previous is not None
            and bool(self.previous.ranked)
            and self.previous.get(item_id) is None
            and bool(self.ranking.get(item_id))
        )

    # -- changes -------------------------------------------------------------------------------

    def edit(self, backlog: Backlog) -> None:
        """Make ``backlog`` current as an undoable edit (ScoringError: nothing changes)."""
        if backlog == self.backlog:
            return
        before = self._commit(backlog, self.lens, self.method)
        self.undo_stack.append(before)
        del self.undo_stack[:-UNDO_LIMIT]
        self.redo_stack.clear()

    def undo(self) -> bool:
        """Go back one edit; False when there is nothing to undo."""
        if not self.undo_stack:
            return False
        before = self._commit(self.undo_stack[-1], self.lens, self.method)
        self.undo_stack.pop()
        self.redo_stack.append(before)
        return True

    def redo(self) -> bool:
        """Re-apply the last undone edit; False when there is nothing to redo."""
        if not self.redo_stack:
            return False
        before = self._commit(self.redo_stack[-1], self.lens, self.method)
        self.redo_stack.pop()
        self.undo_stack.append(before)
        return True

    def set_lens(self, lens: str) -> None:
        """Look through another stakeholder's eyes (ScoringError for an unknown lens)."""
        if lens != self.lens:
            self._commit(self.backlog, lens, self.method)

    def set_method(self, method: str) -> None:
        """Score with another method (ScoringError, e.g. missing fields: nothing changes)."""
        if method != self.method:
            self._commit(self.backlog, self.lens, method)

    def mark_saved(self, backlog: Backlog | None = None) -> None:
        """The current backlog (or ``backlog``) is now what the file holds."""
        self.saved = backlog if backlog is not None else self.backlog

    def reload(self, backlog: Backlog) -> bool:
        """Replace everything by what is on disk now; the undo history is dropped with the edits.

        Unsaved edits are dropped too, but kept as the one undo step: undo brings back exactly
        what was shown before (saving it then writes it over the file's new values, as Overwrite
        would). The older history is not kept: it led to the file's old version. Returns True
        when edits were kept that way.

        An unknown lens falls back to everyone and an unusable method to the file's own, so a
        reload of a valid file always succeeds.
        """
        dropped = self.backlog if self.dirty else None
        lens = self.lens if self.lens in (EVERYONE, *backlog.stakeholders) else EVERYONE
        try:
            self._commit(backlog, lens, self.method)
        except ScoringError:
            self._commit(backlog, lens, backlog.scoring.method)
        self.saved = backlog
        self.undo_stack.clear()
        self.redo_stack.clear()
        if dropped is not None and dropped != backlog:
            self.undo_stack.append(dropped)
        return bool(self.undo_stack)

    def _commit(self, backlog: Backlog, lens: str, method: str) -> Backlog:
        """Score, then switch; returns the backlog that was current before."""
        ranking = rank(backlog, lens, method, self.ranking)  # raises before anything changes
        before = self.backlog
        self.previous = self.ranking
        self.backlog, self.lens, self.method, self.ranking = backlog, lens, method, ranking
        return before


_last: list[tuple[Backlog, str, str, Ranking]] = []


def rank(backlog: Backlog, lens: str | None, method: str | None, previous: Ranking | None = None) -> Ranking:
    """``score_backlog(backlog, lens, method)``: re-ranked from ``previous`` (``scoring.rescore``)
    when that is the same lens and method, typically the ranking before an edit. The last result
    is kept: the edit form's check that the candidate scores and the session's commit of it score
    once."""
    lens, method = lens or EVERYONE, method or backlog.scoring.method
    for b, was_lens, was_method, ranking in _last:
        if b is backlog and (was_lens, was_method) == (lens, method):
            return ranking
    if previous is not None and (previous.lens, previous.method) == (lens, method):
        ranking = rescore(previous, backlog)
    else:
        ranking = score_backlog(backlog, lens, method)
    _last[:] = [(backlog, lens, method, ranking)]
    return ranking


def count_changes(before: Backlog, after: Backlog) -> tuple[int, list[str]]:
    """How many values differ between two backlogs, and the ids of the items they are in.

    Each changed field of an item counts once (a decision sets status and decision: two), as do
    an added or removed item and each other changed table; this is what a save would write.
    """
    if before is after:
        return 0, []
    old = {it.id: it for it in before.items}
    new = {it.id: it for it in after.items}
    count, ids = 0, []
    for item_id in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(item_id), new.get(item_id)
        if a is b:
            continue
        if a is None or b is None:
            n = 1
        else:
            n = sum(1 for f in type(a).model_fields if getattr(a, f) != getattr(b, f))
        if n:
            count += n
            ids.append(item_id)
    count += sum(
        1 for f in type(before).model_fields if f != "items" and getattr(before, f) != getattr(after, f)
    )
    return count, ids
