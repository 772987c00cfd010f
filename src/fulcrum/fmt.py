"""Human formatting of numbers: money per year, person-weeks, ratios (shared by every surface)."""

from __future__ import annotations

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money(x: float, currency: str = "USD") -> str:
    """$1.2M, -$350k, $900, €12k; other currencies as a suffix ("12k CHF")."""
    sign = "-" if x < 0 else ""
    a = abs(x)
    if a >= 1e9:
        body = f"{a / 1e9:.3g}B"
    elif a >= 1e6:
        body = f"{a / 1e6:.3g}M"
    elif a >= 1e3:
        body = f"{a / 1e3:.3g}k"
    else:
        body = f"{a:.0f}"
    sym = _SYMBOLS.get(currency)
    return f"{sign}{sym}{body}" if sym else f"{sign}{body} {currency}"


def weeks(x: float) -> str:
    """3.5 wk, 12 wk."""
    return f"{x:.3g} wk"


def ratio(x: float) -> str:
    """0.84 (two decimals)."""
    return f"{x:.2f}"


def number(x: float) -> str:
    """A compact number: 12.5k, 3.2M, 0.75."""
    a = abs(x)
    if a >= 1e6:
        return f"{x / 1e6:.3g}M"
    if a >= 1e4:
        return f"{x / 1e3:.3g}k"
    return f"{x:.4g}"
