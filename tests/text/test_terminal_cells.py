"""Terminal cells and clipping (fulcrum.text cells / clip): the columns of rank, plan and matrix
line up; Hypothesis: ``cells(clip(s, w)) <= w`` and a clip is a prefix of the text plus "…".
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.text import cells, clip

ZERO_WIDTH = [
    "\u0301",  # combining acute accent (Mn)
    "\u20dd",  # combining enclosing circle (Me)
    "\u200b",  # zero-width space
    "\u200c",  # ZWNJ
    "\u200d",  # ZWJ
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u2060",  # word joiner
    "\u2064",  # invisible plus
    "\ufe0f",  # variation selector 16
    "\ufeff",  # zero-width no-break space
]


@pytest.mark.parametrize("ch", ZERO_WIDTH)
def test_zero_width_characters_take_no_cell(ch: str) -> None:
    assert cells("ab" + ch + "c") == 3


@pytest.mark.parametrize(
    ("text", "n"),
    [("", 0), ("plain", 5), ("日本語", 6), ("ｆｕｌｌ", 8), ("café", 4), ("cafe\u0301", 4), ("a\u00adb", 3)],
)
def test_cells_count_wide_as_two(text: str, n: int) -> None:
    assert cells(text) == n


def test_clip_keeps_text_that_fits_and_marks_a_cut() -> None:
    assert clip("short", 5) == "short"
    assert clip("longer", 5) == "long…"
    assert clip("日本語のタイトル", 6) == "日本…"  # a wide character never straddles the edge
    assert clip("cafe\u0301 au lait", 5) == "cafe\u0301…"  # the accent stays with its letter
    assert clip("ab\u200dcd", 3) == "ab…"  # no dangling joiner before the ellipsis
    assert clip("xyz", 1) == "…"


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=60))
def test_clip_never_exceeds_the_width(text: str, width: int) -> None:
    out = clip(text, width)
    assert cells(out) <= width
    if cells(text) <= width:
        assert out == text
    else:
        assert out.endswith("…") and text.startswith(out[:-1])
