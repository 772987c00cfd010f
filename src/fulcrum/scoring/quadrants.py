"""The four quadrants of the impact-vs-feasibility matrix: the one table every surface draws from.

The TUI table, the explanation pane, the Matrix tab, the terminal chart and the Markdown export
(its Mermaid chart included) all take their labels, colours and positions from :data:`QUADRANT_INFO`,
so the same quadrant looks the same everywhere.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no `typing` nor `dataclasses` at run time: a cached `rank` imports this
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Literal

    Quadrant = Literal["quick_win", "big_bet", "fill_in", "money_pit"]
else:
    Quadrant = str

#: The eight terminal colours, in SGR order (30 + index is the colour, 90 + index its bright form).
_TERMINAL_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


class QuadrantInfo:
    """How one quadrant is named and drawn (read-only by convention: the four are module constants)."""

    __slots__ = ("colour", "high_feasibility", "high_value", "key", "label", "mermaid", "plural")

    def __init__(
        self,
        key: Quadrant,
        label: str,
        plural: str,
        colour: str,
        high_value: bool,
        high_feasibility: bool,
        mermaid: int,
    ) -> None:
        self.key = key
        self.label = label
        """Singular label: "Quick win"."""
        self.plural = plural
        """Plural label, for headings and legends: "Quick wins"."""
        self.colour = colour
        """One of the eight terminal colours; every surface uses its bright form."""
        self.high_value = high_value
        """Top half of the matrix."""
        self.high_feasibility = high_feasibility
        """Right half of the matrix."""
        self.mermaid = mermaid
        """Mermaid ``quadrantChart`` number (1 top right, 2 top left, 3 bottom left, 4 bottom right)."""

    @property
    def ansi(self) -> str:
        """SGR code of the bright colour, for text printed beside the terminal chart."""
        return str(90 + _TERMINAL_COLOURS.index(self.colour))

    @property
    def style(self) -> str:
        """Rich/Textual style of the bright colour, for the TUI."""
        return "bright_" + self.colour

    @property
    def plotext_colour(self) -> str:
        """plotext's name of the bright colour."""
        return self.colour + "+"


QUADRANT_INFO: dict[str, QuadrantInfo] = {
    q.key: q
    for q in (
        QuadrantInfo("quick_win", "Quick win", "Quick wins", "green", True, True, 1),
        QuadrantInfo("big_bet", "Big bet", "Big bets", "cyan", True, False, 2),
        QuadrantInfo("fill_in", "Fill-in", "Fill-ins", "yellow", False, True, 4),
        QuadrantInfo("money_pit", "Money pit", "Money pits", "red", False, False, 3),
    )
}
#: Quadrants from best to worst: the order of legends, lists and the table's quadrant sort.
QUADRANTS: tuple[Quadrant, ...] = tuple(q.key for q in QUADRANT_INFO.values())
QUADRANT_LABELS: dict[str, str] = {q.key: q.label for q in QUADRANT_INFO.values()}
#: (high value, high feasibility) -> quadrant.
_BY_HALVES: dict[tuple[bool, bool], Quadrant] = {
    (q.high_value, q.high_feasibility): q.key for q in QUADRANT_INFO.values()
}


def quadrant(value: float, feas: float, value_threshold: float, feasibility_threshold: float) -> Quadrant:
    """Quick win (high/high), big bet (high value), fill-in (high feasibility), money pit.

    High value is worth more than 0 *and* at least the threshold: when half the items are worth
    nothing (a lens whose metrics they do not touch) the median is 0, and $0 is never a quick win.
    """
    return _BY_HALVES[(value > 0 and value >= value_threshold, feas >= feasibility_threshold)]


def quadrants(
    values: Sequence[float],
    feasibilities: Iterable[float],
    value_threshold: float,
    feasibility_threshold: float,
) -> list[Quadrant]:
    """:func:`quadrant` of each (value, feasibility), in one loop (a re-rank makes 10,000)."""
    halves = _BY_HALVES
    return [
        halves[(v > 0 and v >= value_threshold, f >= feasibility_threshold)]
        for v, f in zip(values, feasibilities, strict=True)
    ]
