"""Relative change: a change next to the metric's baseline, and as a factor when it nears zero.

"Going from 99% to 99.9% is a 10x reduction of failures, not +0.9%": where a metric has a
``baseline``, a change is also shown as a share of it ("+50% of 2,000,000"), and a change that
takes the metric at least 2x closer to 0 is shown as a factor ("error_rate 1.0 -> 0.1: 10x fewer").
"""

from __future__ import annotations

import math

from fulcrum.text import fmt

#: A change must bring a metric at least this many times closer to 0 to be shown as a factor.
MIN_FACTOR = 2.0


_num = fmt.exact


def percent_of(change: float, baseline: float) -> str:
    """ "+50% of 2,000,000" ("" for a zero baseline, where a share means nothing)."""
    if not baseline or not math.isfinite(change):
        return ""
    pct = change / abs(baseline) * 100
    shown = f"{pct:+,.0f}" if abs(pct) >= 10 else f"{pct:+.2g}"
    return f"{shown}% of {_num(baseline)}"


def factor_text(key: str, change: float, baseline: float) -> str:
    """ "error_rate 1.0 -> 0.1: 10x fewer" when the change brings the metric >= 2x closer to 0, else ""."""
    if not baseline or not math.isfinite(change):
        return ""
    after = baseline + change
    if after and (after > 0) != (baseline > 0):
        return ""  # it crosses zero: not "closer to 0"
    if after == 0:
        return f"{key} {_num(baseline)} -> 0: all gone"
    factor = abs(baseline) / abs(after)
    if factor < MIN_FACTOR:
        return ""
    shown = f"{factor:,.0f}" if factor >= 10 else f"{factor:.2g}"
    return f"{key} {_num(baseline)} -> {_num(after)}: {shown}x fewer"


def relative_text(key: str, change: float, baseline: float | None) -> str:
    """Both, joined: "-90% of 1 (error_rate 1 -> 0.1: 10x fewer)"; "" without a baseline."""
    if baseline is None:
        return ""
    pct = percent_of(change, baseline)
    fac = factor_text(key, change, baseline)
    if pct and fac:
        return f"{pct} ({fac})"
    return pct or fac
