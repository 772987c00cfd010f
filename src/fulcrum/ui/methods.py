"""The method picker's options: which scoring methods the file can use yet, and why not (pure).

Whether a method can score the backlog is whatever ``fulcrum.scoring.score_backlog`` says: the
picker tries each one and turns its ScoringError into one short reason ("needs fields reach,
impact on 12 items"). Trying all of them scores the backlog four times (about a second at
10,000 items), so the app runs :func:`method_problems` in a worker and fills the reasons in.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message

from fulcrum.backlog import METHODS, Backlog
from fulcrum.scoring import EVERYONE, METHOD_FORMULAS, ScoringError, score_backlog

CHECKING = "checking…"


def method_problems(backlog: Backlog, lens: str, current: str) -> dict[str, str]:
    """Method -> why it cannot score this backlog yet; the methods it can use are absent."""
    out: dict[str, str] = {}
    for method in METHODS:
        if method == current:
            continue  # the session scores with it already
        try:
            score_backlog(backlog, lens, method)
        except ScoringError as exc:
            out[method] = reason(exc)
    return out


def reason(exc: ScoringError) -> str:
    """One line: the fields items lack and on how many items, else the first problem."""
    lacking = [msg.removeprefix("missing ") for item, msg in exc.problems if item is not None]
    if lacking and len(lacking) == len([i for i, _ in exc.problems if i is not None]):
        fields = list(dict.fromkeys(f.strip() for msg in lacking for f in msg.split(",")))
        count = f"{len(lacking)} item" + ("" if len(lacking) == 1 else "s")
        return f"needs fields {', '.join(fields)} on {count}"
    return exc.problems[0][1] if exc.problems else str(exc)


def method_options(
    backlog: Backlog, current: str, problems: dict[str, str] | None
) -> tuple[list[tuple[str, Text]], set[str]]:
    """(method, label) of every method, and the methods that cannot be picked (a reason given).

    ``problems`` None: not checked yet (every other method says "checking…" and can be picked;
    picking one that fails says why, as before).
    """
    options: list[tuple[str, Text]] = []
    unusable: set[str] = set()
    for method in METHODS:
        words = backlog.scoring.formula if method == "formula" else METHOD_FORMULAS[method]
        why = problems.get(method) if problems is not None else None
        label = Text(method, style="dim bold" if why else "bold")
        label.append(" — " + (words or "needs [scoring] formula in the file"), style="dim")
        if why:
            label.append(f"\n  cannot use it yet: {method}: {why}", style="yellow")
            unusable.add(method)
        elif problems is None and method != current:
            label.append(f"  {CHECKING}", style="dim italic")
        options.append((method, label))
    return options, unusable


class MethodsChecked(Message):
    """The method picker's check finished: ``problems`` of the other methods for ``key``."""

    def __init__(self, key: tuple[Backlog, str, str], problems: dict[str, str]) -> None:
        super().__init__()
        self.key = key
        self.problems = problems


def lens_options(backlog: Backlog) -> list[tuple[str, Text]]:
    """The lens picker's choices: everyone, then each stakeholder with whom they are and what they weigh."""
    options = [(EVERYONE, Text("everyone: every metric weighs 1"))]
    for key, person in backlog.stakeholders.items():
        label = Text(key, style="bold")
        label.append(f": {person.name}" + (f", {person.role}" if person.role else ""))
        label.append(" — cares about " + ", ".join(person.weights), style="dim")
        options.append((key, label))
    return options
