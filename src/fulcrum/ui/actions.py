"""Every action of the app, defined once: key bindings, footer labels, command palette and help
are all generated from :data:`ACTIONS`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class UIAction:
    """One thing the user can do."""

    action: str
    """The app action it runs (``action_<name>``)."""
    keys: str
    """Comma-separated keys, the first one shown in the footer."""
    label: str
    """The footer label (short)."""
    description: str
    """One line for the command palette and the help screen."""
    footer: bool = True


ACTIONS: tuple[UIAction, ...] = (
    UIAction(
        "filter", "slash", "Filter", "Filter as you type: id, title, tag, stakeholder, quadrant (Esc clears)"
    ),
    UIAction("clear_filter", "escape", "Clear filter", "Clear the filter and show every item", footer=False),
    UIAction("sort", "s", "Sort", "Sort: pick a column (picking it again reverses), or click a header"),
    UIAction("lens", "l", "Lens", "Rank through a stakeholder's eyes, or everyone's"),
    UIAction("method", "m", "Method", "Score with another method (value density, RICE, ICE, WSJF, formula)"),
    UIAction("edit", "e", "Edit", "Edit the highlighted item: estimates, confidence, impact, status ..."),
    UIAction("new", "n", "New", "Add a new item"),
    UIAction(
        "decide", "d", "Decide", "Plan, defer or drop the highlighted item with a reason, or mark it done"
    ),
    UIAction("undo", "u,ctrl+z", "Undo", "Undo the last edit"),
    UIAction("redo", "ctrl+r,ctrl+y", "Redo", "Redo the last undone edit", footer=False),
    UIAction("save", "ctrl+s", "Save", "Write the edits to the file (only the edited values change)"),
    UIAction("export", "x", "Export", "Write the plan as Markdown (plan.md)"),
    UIAction(
        "diff",
        "D",
        "Changes",
        "What changed since the file was loaded: inputs, ranks and the plan",
        footer=False,
    ),
    UIAction("toggle_closed", "c", "Closed", "Show or hide done and dropped items (not ranked)"),
    UIAction("tab('backlog')", "1", "Backlog", "Show the ranked backlog", footer=False),
    UIAction("tab('matrix')", "2", "Matrix", "Show the impact-vs-feasibility matrix", footer=False),
    UIAction("tab('plan')", "3", "Plan", "Show the 30-60-90 day plan", footer=False),
    UIAction("tab('review')", "4", "Review", "Show the value-case review warnings", footer=False),
    UIAction("tab('risk')", "5", "Risk", "Show how sure the plan is, and what to check first", footer=False),
    UIAction("help", "question_mark", "Help", "Show every key"),
    UIAction("quit", "q", "Quit", "Quit (asks when there are unsaved edits)"),
)

#: Keys that are not actions of the app but that the help lists too.
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓ PgUp PgDn Home End", "Move the highlight in a table"),
    ("Enter", "In Review: jump to the item in Backlog"),
    ("Enter", "In Risk (Verify first): edit that number of the item"),
    (
        "↑ ↓ ← → w b f p Home",
        "In Matrix: move by value / feasibility; next quick win, big bet, fill-in, money pit; best",
    ),
    (
        "← → ↑ ↓ < > p 0",
        "In Plan: move between lists and items; pin a phase earlier / later, pin here, unpin",
    ),
    (
        "t Enter m",
        "In Plan: to the listening tour; a stakeholder's brief (w writes it to a file); mark them met today",
    ),
    ("Tab / Shift+Tab", "Move the focus (table, tabs, filter)"),
    ("Esc", "In a dialog: close it without changing anything"),
    ("^p", "Command palette: every action by name"),
)

_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "Esc"}


def key_display(key: str) -> str:
    """How a key is written for people: ``slash`` -> ``/``, ``ctrl+s`` -> ``^s``."""
    if key.startswith("ctrl+"):
        return "^" + key.removeprefix("ctrl+")
    return _KEY_NAMES.get(key, key)


def bindings() -> list[Binding]:
    """The app's BINDINGS, generated from ACTIONS.

    Help comes first: the footer shows bindings in this order and an 80-column terminal cuts
    off its end, so ``?`` (which lists the rest) must never be what is cut.
    """
    out = []
    for a in sorted(ACTIONS, key=lambda a: a.action != "help"):
        for i, key in enumerate(a.keys.split(",")):
            out.append(
                Binding(
                    key,
                    a.action,
                    a.label,
                    show=a.footer and i == 0,
                    key_display=key_display(key),
                    tooltip=a.description,
                )
            )
    return out


def help_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for every action, then the other keys."""
    rows = [(" / ".join(key_display(k) for k in a.keys.split(",")), a.description) for a in ACTIONS]
    return rows + list(OTHER_KEYS)
