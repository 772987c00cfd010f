"""Numbers for people (fmt): money, plain numbers and weeks never use exponents and move to the next
unit (k, M, B, T); Hypothesis: for any finite float within ±1e18 no `e+`, `e-`, `inf` or `nan`,
and the text read back (a small parser below) is within 5% for |x| >= 1.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fulcrum.text import fmt


@pytest.mark.parametrize(
    ("x", "money", "number", "weeks"),
    [
        (0.0, "$0", "0", "0 wk"),
        (1.4, "$1.4", "1.4", "1.4 wk"),
        (900, "$900", "900", "900 wk"),
        (999.7, "$1k", "999.7", "1,000 wk"),
        (1234, "$1.23k", "1234", "1,234 wk"),
        (9999.9, "$10k", "10k", "10,000 wk"),
        (999_600, "$1M", "1M", "999,600 wk"),
        (-350_000, "-$350k", "-350k", "-350,000 wk"),
        (1.2e6, "$1.2M", "1.2M", "1,200,000 wk"),
        (999_600_000, "$1B", "1B", "999,600,000 wk"),
        (2.5e12, "$2.5T", "2.5T", "2,500,000,000,000 wk"),
        (999.6e12, "$1,000T", "1,000T", "999,600,000,000,000 wk"),
        (1e24, "$1,000,000,000,000T", "1,000,000,000,000T", "1,000,000,000,000,000,000,000,000 wk"),
        (4e-16, "$0", "0", "0 wk"),
        (-1e-9, "$0", "0", "0 wk"),
        (0.00012345, "$0.000123", "0.0001234", "0.000123 wk"),
    ],
)
def test_formatting_never_uses_exponents_and_moves_to_the_next_unit(
    x: float, money: str, number: str, weeks: str
) -> None:
    assert (fmt.money(x), fmt.number(x), fmt.weeks(x)) == (money, number, weeks)


def test_other_currencies_and_non_finite_numbers() -> None:
    assert fmt.money(999_600, "CHF") == "1M CHF"
    assert fmt.money(-12_000, "EUR") == "-€12k"
    for f in (fmt.money, fmt.number, fmt.weeks):
        assert f(math.inf) == "n/a" and f(math.nan) == "n/a"


_MULT = {"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def parse_human(text: str) -> float:
    """The inverse of fmt: '-$1.2M', '1.2M CHF', '1,000T', '3.5 wk', '0.75' -> a float."""
    t = text.removesuffix(" wk").removesuffix(" CHF")
    sign = -1.0 if t.startswith("-") else 1.0
    t = t.lstrip("-").lstrip("$€£¥₹").replace(",", "")
    mult = _MULT.get(t[-1:], 1.0)
    if t[-1:] in _MULT:
        t = t[:-1]
    assert re.fullmatch(r"\d+(\.\d+)?", t), text
    return sign * float(t) * mult


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e18, 1e18, allow_nan=False, allow_infinity=False))
@example(999_600.0)
@example(999.7)
@example(9999.9)
@example(1234.0)
@example(999.6e12)
@example(-999_999_999_999.0)
@example(5e-324)
def test_formatted_numbers_have_no_exponent_and_read_back_within_5_percent(x: float) -> None:
    texts = [fmt.money(x), fmt.money(x, "CHF"), fmt.number(x), fmt.weeks(x)]
    for text in texts:
        low = text.lower()
        assert "e+" not in low and "e-" not in low and "inf" not in low and "nan" not in low, text
        back = parse_human(text)
        if abs(x) >= 1:
            assert abs(back - x) <= 0.05 * abs(x), (x, text)
        else:
            assert abs(back) <= 1.0, (x, text)
