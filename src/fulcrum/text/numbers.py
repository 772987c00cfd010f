"""Human formatting of numbers: money per year, person-weeks, ratios (shared by every surface).

Every number is rounded to a few significant digits and written without exponent notation:
rounding that crosses a unit's boundary moves to the next unit (999,600 is "$1M", never
"$1e+03k"); past the last unit (T, a trillion) the digits are grouped ("$1,000T"). Magnitudes
below a millionth show as 0.
"""

from __future__ import annotations

import math
from decimal import Decimal

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
#: Thousand, million, billion, trillion.
_UNITS = ((1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T"))
#: Below this magnitude a number is shown as 0 (float noise such as 4e-16 weeks left over).
_TINY = 1e-6


def money(x: float, currency: str = "USD") -> str:
    """$1.2M, -$350k, $900, $1.5, €12k; other currencies as a suffix ("12k CHF"); "n/a" if not finite."""
    if not math.isfinite(x):
        return "n/a"
    body = _compact(abs(x), 3, 1000.0)
    sign = "-" if x < 0 and body != "0" else ""
    sym = _SYMBOLS.get(currency)
    return f"{sign}{sym}{body}" if sym else f"{sign}{body} {currency}"


def weeks(x: float) -> str:
    """3.5 wk, 12 wk, 1,234 wk (three significant digits below 1000, whole weeks above)."""
    if not math.isfinite(x):
        return "n/a"
    a = abs(x)
    body = _significant(a, 3)
    if float(body) >= 1000:
        body = _grouped(a)
    sign = "-" if x < 0 and body != "0" else ""
    return f"{sign}{body} wk"


def ratio(x: float) -> str:
    """0.84 (two decimals)."""
    return f"{x:.2f}"


def exact(x: float) -> str:
    """A number for arithmetic lines: thousands separators, at most 4 decimals, no trailing zeros."""
    if x == 0:
        return "0"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 1:
        return f"{x:,.4f}".rstrip("0").rstrip(".")
    return f"{x:.4g}"


def number(x: float) -> str:
    """A compact number: 0.75, 9999, 12.5k, 3.2M, 1.5B, 2T; "n/a" if not finite."""
    if not math.isfinite(x):
        return "n/a"
    body = _compact(abs(x), 4, 1e4)
    sign = "-" if x < 0 and body != "0" else ""
    return sign + body


def _compact(a: float, digits: int, plain_below: float) -> str:
    """``a`` (>= 0) plain below ``plain_below``, else in the first unit where it rounds below 1000."""
    body = _significant(a, digits)
    if float(body) < plain_below:
        return body
    for div, suffix in _UNITS:
        body = _significant(a / div, 3)
        if float(body) < 1000:
            return body + suffix
    return _grouped(a / 1e12) + "T"


def _significant(a: float, digits: int) -> str:
    """``a`` (>= 0) to ``digits`` significant digits in positional notation (no exponent)."""
    if a < _TINY:
        return "0"
    text = f"{a:.{digits}g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def _grouped(a: float) -> str:
    """``a`` (>= 0) rounded to a whole number, digits grouped by thousands: 1,234 (no binary noise)."""
    return format(Decimal(f"{a:.15g}"), ",.0f")
