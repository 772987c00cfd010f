"""Metric couplings (``[metrics.K] drives``): the effective change of every metric an item moves.

``effective(m) = impact(m) + sum over metrics k that drive m of effective(k) * drives_k[m]``, with
the metrics taken in an order where every driver comes before what it drives (the cross-checks
refuse cycles). Couplings are linear, so the effective change of an expected impact is the expected
effective change, and one pass over the drivers in that order gives every metric's total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fulcrum.backlog import Backlog


@dataclass(frozen=True)
class Couplings:
    """The ``drives`` tables of a backlog, ready to apply."""

    order: tuple[str, ...]
    """The metrics that drive another, each before every metric it drives (directly or not)."""
    drives: Mapping[str, tuple[tuple[str, float], ...]]
    """Driver -> (driven metric, units per unit of the driver), in the file's order."""

    def __bool__(self) -> bool:
        return bool(self.order)

    def apply(self, own: Mapping[str, float]) -> dict[str, float]:
        """Metric -> effective change: ``own`` (the item's impacts) plus every coupled part.

        The result keeps ``own``'s keys first, in their order, then the metrics reached only through
        couplings, in coupling order; without couplings it is a copy of ``own``.
        """
        out = dict(own)
        for driver in self.order:
            d = out.get(driver)
            if not d:
                continue
            for target, k in self.drives[driver]:
                out[target] = out.get(target, 0.0) + d * k
        return out

    def parts(self, own: Mapping[str, float]) -> dict[str, list[tuple[str, float, float]]]:
        """Metric -> its coupled parts, each (driver, the driver's effective change, units per unit)."""
        total = dict(own)
        out: dict[str, list[tuple[str, float, float]]] = {}
        for driver in self.order:
            d = total.get(driver)
            if not d:
                continue
            for target, k in self.drives[driver]:
                total[target] = total.get(target, 0.0) + d * k
                out.setdefault(target, []).append((driver, d, k))
        return out


def couplings(backlog: Backlog) -> Couplings:
    """The backlog's couplings (kept beside the metrics table: built once per backlog)."""
    cached = backlog.__dict__.get("_couplings")
    if cached is not None and cached[0] is backlog.metrics:
        return cached[1]
    drives = {k: tuple(m.drives.items()) for k, m in backlog.metrics.items() if m.drives}
    result = Couplings(_order(drives), drives)
    backlog.__dict__["_couplings"] = (backlog.metrics, result)
    return result


def _order(drives: Mapping[str, tuple[tuple[str, float], ...]]) -> tuple[str, ...]:
    """Drivers in topological order (depth-first, post-order reversed; ties in file order)."""
    seen: set[str] = set()
    post: list[str] = []
    for start in drives:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(drives[start]))]
        while stack:
            node, kids = stack[-1]
            for target, _ in kids:
                if target in drives and target not in seen:
                    seen.add(target)
                    stack.append((target, iter(drives[target])))
                    break
            else:
                stack.pop()
                post.append(node)
    return tuple(reversed(post))
