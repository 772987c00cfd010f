"""The explanation pane: the whole calculation behind the highlighted item's place."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from fulcrum.explain import explain_item, rank_in_every_lens
from fulcrum.scoring import Ranking, ScoringError
from fulcrum.ui.rows import QUADRANT_STYLES


class ExplainPane(VerticalScroll):
    """Scrollable text built from ``fulcrum.explain``: plain lines, headings in bold."""

    DEFAULT_CSS = """
    ExplainPane { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lens_rankings: tuple[Ranking, dict[str, Ranking]] | None = None

    def compose(self):
        yield Static(id="explain-text")

    def show(self, ranking: Ranking, item_id: str | None) -> None:
        """Explain ``item_id`` under this ranking (an empty pane when None)."""
        self.query_one("#explain-text", Static).update(self.render_text(ranking, item_id))

    def render_text(self, ranking: Ranking, item_id: str | None) -> Text:
        """The pane's content; user text is appended as plain text, never parsed."""
        if item_id is None:
            return Text("Nothing to explain: no item is highlighted.", style="dim")
        try:
            explanation = explain_item(ranking, item_id, self._rankings(ranking))
        except ScoringError as exc:
            return Text(str(exc), style="red")
        lines = explanation.lines()
        text = Text()
        style = QUADRANT_STYLES.get(explanation.quadrant or explanation.status, "")
        for i, line in enumerate(lines):
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
        return text

    def _rankings(self, ranking: Ranking) -> dict[str, Ranking]:
        """Every lens's ranking, computed once per ranking (not on every cursor move)."""
        if self._lens_rankings is None or self._lens_rankings[0] is not ranking:
            try:
                others = rank_in_every_lens(ranking)
            except ScoringError:
                others = {ranking.lens: ranking}
            self._lens_rankings = (ranking, others)
        return self._lens_rankings[1]
