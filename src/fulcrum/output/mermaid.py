"""The impact-vs-feasibility chart as a Mermaid ``quadrantChart`` (GitHub renders it).

Written against Mermaid's grammar (``quadrant-chart/parser/quadrant.jison``), which is stricter
than its docs suggest:

- a coordinate is ``1``, ``0`` or ``0.`` followed by digits, nothing else (no ``1.0``, no
  negatives), so every position is clamped into [0, 1] and written with three decimals;
- an unquoted label is lexed token by token and keywords win anywhere in it (a title containing
  the word "title" switches the lexer to the title state), so every point label is quoted; a
  quoted label ends at the next ``"`` and one starting with a backtick is a Markdown string;
- before parsing, Mermaid scans the whole text for ``%%{`` directives and ``#name;`` entity codes,
  and it drops HTML from labels. So the characters it would read (``" ` < > & # %``) are written as
  its own entity codes (``#60;``), which it turns back into the characters when it draws the chart:
  a label shows the user's text as written (``A -> B`` stays ``A -> B``). Only runs of white space
  become one space, and a long title is cut to :data:`LABEL_WIDTH` with an ellipsis.

Quadrants follow Mermaid's numbering: 1 top right, 2 top left, 3 bottom left, 4 bottom right, with
feasibility on x and value on y. Mermaid always splits the chart at 0.5, so each axis is mapped
piecewise: the threshold goes to the middle and each side of it fills its own half, leaving a
small gap around the middle so that every point is drawn inside the quadrant it was scored in.
"""

from __future__ import annotations

import math
import re

from fulcrum.scoring import QUADRANT_INFO, Ranking, Scored

#: quadrant-N of Mermaid -> our quadrant.
MERMAID_QUADRANTS: dict[int, str] = {q.mermaid: q.key for q in QUADRANT_INFO.values()}
#: Longest point label, in characters (long titles make the chart unreadable).
LABEL_WIDTH = 36
# Each half of an axis spans [_EDGE, 0.5 - _GAP] or [0.5 + _GAP, 1 - _EDGE].
_EDGE, _GAP = 0.04, 0.02
#: Written as Mermaid entity codes (``#34;``): Mermaid decodes them when it draws the label.
_CODED = {
    '"': "#34;",  # would end the quoted label
    "`": "#96;",  # "` opens a Markdown string
    "<": "#60;",  # HTML is stripped from labels
    ">": "#62;",
    "&": "#38;",  # &name; would be an HTML entity
    "#": "#35;",  # #name; is an entity code to Mermaid
    "%": "#37;",  # %% starts a comment or a %%{directive}%%
}
#: Mermaid first drops the last ";" of a line with "style" or "classDef" and ":X#...;" (a CSS colour):
#: in a label with those words, ":" is coded too, so no such ":" is left to match.
_STYLE_WORDS = re.compile(r"style|classDef")
#: :data:`_CODED` as ``str.translate`` tables: without and with ":" coded.
_CODE = str.maketrans(_CODED)
_CODE_STYLE = str.maketrans({**_CODED, ":": "#58;"})
#: Any character either table codes: a label without one (most) is written as it is.
_ANY_CODED = re.compile("[" + re.escape("".join(sorted({*_CODED, ":"}))) + "]")


def label(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` as the inside of a quoted point label: one line, each character shown as written."""
    s = " ".join(text.split())
    if len(s) > width:
        s = s[: width - 1].rstrip() + "…"
    if _ANY_CODED.search(s) is None:
        return s
    return s.translate(_CODE_STYLE if _STYLE_WORDS.search(s) else _CODE)


def coordinate(t: float) -> str:
    """A position in [0, 1] as the grammar accepts it: ``0``, ``1`` or ``0.ddd``."""
    if not math.isfinite(t):
        t = 0.0
    r = round(min(max(t, 0.0), 1.0), 3)
    if r >= 1.0:
        return "1"
    if r <= 0.0:
        return "0"
    return f"{r:.3f}"


def _slog(v: float) -> float:
    """A signed log scale: values span orders of magnitude, and may be zero or negative."""
    return math.copysign(math.log10(1.0 + abs(v)), v)


def _half(t: float, lo: float, hi: float, upper: bool) -> float:
    a, b = (0.5 + _GAP, 1.0 - _EDGE) if upper else (_EDGE, 0.5 - _GAP)
    if hi <= lo:
        return (a + b) / 2
    return a + (b - a) * min(max((t - lo) / (hi - lo), 0.0), 1.0)


def positions(ranking: Ranking) -> dict[str, tuple[float, float]]:
    """Item id -> (x, y) in [0, 1]: x from feasibility, y from value, split at the thresholds."""
    ft = ranking.feasibility_threshold
    vt = _slog(ranking.value_threshold)
    ys = [_slog(s.value) for s in ranking.ranked]
    lo, hi = min([*ys, vt]), max([*ys, vt])
    out: dict[str, tuple[float, float]] = {}
    for s, y in zip(ranking.ranked, ys, strict=True):
        easy = s.quadrant in ("quick_win", "fill_in")
        valuable = s.quadrant in ("quick_win", "big_bet")
        x = _half(s.feasibility, ft, 1.0, True) if easy else _half(s.feasibility, 0.0, ft, False)
        yy = _half(y, vt, hi, True) if valuable else _half(y, lo, vt, False)
        out[s.id] = (x, yy)
    return out


def point_label(s: Scored) -> str:
    """The label of an item's point: its rank and title, so the chart reads against the table."""
    return label(f"{s.rank}. {s.item.title}")


def quadrant_chart(ranking: Ranking) -> str:
    """The body of a ```` ```mermaid ```` block: axes, quadrant names, one point per ranked item."""
    names = {q.mermaid: q.plural for q in QUADRANT_INFO.values()}
    lines = [
        "quadrantChart",
        f"    title Impact vs feasibility, lens {label(ranking.lens)}",
        "    x-axis Low feasibility --> High feasibility",
        "    y-axis Low value --> High value",
        *(f"    quadrant-{n} {names[n]}" for n in sorted(names)),
    ]
    pos = positions(ranking)
    for s in ranking.ranked:
        x, y = pos[s.id]
        lines.append(f'    "{point_label(s)}": [{coordinate(x)}, {coordinate(y)}]')
    return "\n".join(lines)
