"""The explanation pane: the whole calculation behind the highlighted item's place.

The text is ``fulcrum.scoring.explain``'s (the same object `fulcrum explain` prints), then, once the Risk
tab has computed them, the item's value range, rank range and P(in plan) (marked when they are from
before the last change). Its last line, the
item's rank under every lens, needs the backlog scored once per lens; that is computed once per
ranking, a moment after the ranking changes (so an edit repaints at once and rapid edits do not
pay for it), and the pane is redrawn with it.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from fulcrum.risk import ItemRanges, percent
from fulcrum.scoring import EVERYONE, Ranking, ScoringError, explain_item, rank_in_every_lens, rescore
from fulcrum.text import fmt
from fulcrum.ui.rows import QUADRANT_STYLES

#: Seconds of quiet after a re-rank before the other lenses are scored.
LENS_DELAY = 0.15


class ExplainPane(VerticalScroll):
    """Scrollable text: plain lines from the explanation, headings in bold."""

    class LensesRanked(Message):
        """The rankings under every lens are made for the ranking shown (the app's first one
        tells it the load has settled: ``ui.collect``)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lens_rankings: tuple[Ranking, dict[str, Ranking]] | None = None
        self._shown: tuple[Ranking, str | None] | None = None
        self._timer: Timer | None = None
        self.risk: ItemRanges | None = None
        """The Risk tab's latest figures (the app sets them when they arrive)."""

    def compose(self) -> ComposeResult:
        yield Static(id="explain-text")

    def show(self, ranking: Ranking, item_id: str | None) -> None:
        """Explain ``item_id`` under this ranking (an empty pane when None)."""
        self._shown = (ranking, item_id)
        cached = self._lens_rankings
        if cached is not None and cached[0] is ranking:
            self._draw(ranking, item_id, cached[1])
            return
        self._draw(ranking, item_id, {ranking.lens: ranking})
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(LENS_DELAY, self._score_other_lenses)

    def _score_other_lenses(self) -> None:
        if self._shown is None:
            return
        ranking, item_id = self._shown
        self._draw(ranking, item_id, self.lens_rankings(ranking))
        self.post_message(self.LensesRanked())

    def _draw(self, ranking: Ranking, item_id: str | None, lenses: Mapping[str, Ranking]) -> None:
        self.query_one("#explain-text", Static).update(self.render_text(ranking, item_id, lenses))

    def lens_rankings(self, ranking: Ranking) -> dict[str, Ranking]:
        """Every lens's ranking for this one, computed once per ranking."""
        if self._lens_rankings is None or self._lens_rankings[0] is not ranking:
            before = self._lens_rankings[1] if self._lens_rankings is not None else {}
            same = [r for r in before.values() if (r.method, r.formula) == (ranking.method, ranking.formula)]
            try:
                lenses = [EVERYONE, *ranking.backlog.stakeholders]
                if before and len(same) == len(before) and list(before) == lenses:
                    # After an edit, each lens is re-ranked from its last ranking (scoring.rescore).
                    b = ranking.backlog
                    others = {k: ranking if k == ranking.lens else rescore(r, b) for k, r in before.items()}
                else:
                    others = rank_in_every_lens(ranking)
            except ScoringError:
                others = {ranking.lens: ranking}
            self._lens_rankings = (ranking, others)
        return self._lens_rankings[1]

    def render_text(
        self, ranking: Ranking, item_id: str | None, lenses: Mapping[str, Ranking] | None = None
    ) -> Text:
        """The pane's content; user text is appended as plain text, never parsed."""
        if item_id is None:
            return Text("Nothing to explain: no item is highlighted.", style="dim")
        try:
            explanation = explain_item(ranking, item_id, lenses or self.lens_rankings(ranking))
        except ScoringError as exc:
            return Text(str(exc), style="red")
        text = Text()
        style = QUADRANT_STYLES.get(explanation.quadrant or explanation.status, "")
        for i, line in enumerate(explanation.lines()):
            if i:
                text.append("\n")
            if i == 0:
                text.append(line, style=f"bold {style}".strip())
            elif line and not line.startswith(" "):
                text.append(line, style="bold")
            else:
                text.append(line)
        if explanation.decision and not explanation.not_ranked:
            text.append("\nDecision: ", style="bold")
            text.append(explanation.decision)
        self._append_risk(text, ranking, item_id)
        return text

    def _append_risk(self, text: Text, ranking: Ranking, item_id: str) -> None:
        """The item's ranges from the Risk tab, when known (stale ones say so)."""
        risk = self.risk
        if risk is None:
            return
        it = risk.items.get(item_id)
        if it is None:
            return
        stale = risk.analysed is not ranking.backlog.items or risk.lens != ranking.lens
        cur = risk.currency
        text.append("\nUncertainty", style="bold")
        if stale:
            text.append(" (from before the last change)", style="yellow")
        text.append(
            f"\n  value P10-P90 {fmt.money(it.value.p10, cur)} to {fmt.money(it.value.p90, cur)}"
            f" · rank {int(it.rank.p10)}-{int(it.rank.p90)} · P(in plan) {percent(it.p_in_plan)}"
        )
        if it.p_on_time is not None:
            text.append(f" · on time by day {it.planned_phase}: {percent(it.p_on_time)}")
