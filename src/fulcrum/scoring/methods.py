"""The built-in score methods as data: the ``fields`` each needs, an example value of each field
(for the "missing fields" error), and each method's formula in words (shown to the user)."""

from __future__ import annotations

#: The ``fields`` each built-in method needs.
METHOD_FIELDS: dict[str, tuple[str, ...]] = {
    "rice": ("reach", "impact"),
    "ice": ("impact", "ease"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}
#: A plausible value of each method field, for the example line of a "missing fields" error.
FIELD_EXAMPLES: dict[str, str] = {
    "reach": "1000",
    "impact": "2",
    "ease": "5",
    "business_value": "5",
    "time_criticality": "3",
    "risk_reduction": "2",
    "job_size": "3",
}
#: The score formula of each method, in words (shown to the user and in the export).
METHOD_FORMULAS: dict[str, str] = {
    "value_density": "value / effort (cost of delay divided by duration, CD3)",
    "rice": "reach * impact * confidence / effort",
    "ice": "impact * confidence * ease",
    "wsjf": "(business_value + time_criticality + risk_reduction) / job_size",
}
#: Every score method: the built-in ones, then "formula" (``--method``'s choices; the same list
#: as ``fulcrum.backlog.METHODS``, which validates ``[scoring] method``: a test holds them equal).
METHODS: tuple[str, ...] = (*METHOD_FORMULAS, "formula")
