"""What the review says about items imported from a tracker (``fulcrum import``): they arrive with
no value case, and some with no estimate. Pure; docs/FORMAT.md "Importing from a tracker"."""

from __future__ import annotations

from fulcrum.backlog import Item

#: The ``fields`` key where an import keeps the tracker's story points (or Linear's estimate).
POINTS_FIELD = "story_points"
#: The effort an import gives an issue the tracker did not estimate: a placeholder, not an estimate.
PLACEHOLDER_EFFORT = 1.0


def needs_value_case(item: Item) -> bool:
    """An imported item with no impact yet: nothing says what it is worth."""
    return item.source is not None and not item.impact


def effort_not_estimated(item: Item) -> bool:
    """An imported item whose effort is still the placeholder: the tracker had no story points for
    it, the effort is exactly 1, and no ``evidence.effort`` says where a 1 would come from."""
    return (
        item.source is not None
        and POINTS_FIELD not in item.fields
        and item.effort.is_point
        and item.effort.likely == PLACEHOLDER_EFFORT
        and not item.evidence.get("effort", "").strip()
    )
