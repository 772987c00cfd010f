"""What `check` says about imported items: no value case yet, and a placeholder effort."""

from __future__ import annotations

import pytest

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.scoring import review

SOURCE = 'source = { system = "jira", key = "PAY-1" }\n'


def _kinds(extra: str, effort: str = "1") -> list[str]:
    backlog = parse_backlog(HEAD + item("a", extra, effort))
    return [w.kind for w in review(backlog) if w.kind in ("no_value_case", "effort_not_estimated")]


@pytest.mark.parametrize(
    ("extra", "effort", "kinds"),
    [
        (SOURCE, "1", ["no_value_case", "effort_not_estimated"]),
        ("", "1", []),  # a hand-written item: neither (its review is the usual one)
        (SOURCE + "impact = { revenue = 1000 }\n", "1", ["effort_not_estimated"]),
        (SOURCE, "2", ["no_value_case"]),  # estimated by the user
        (SOURCE + "fields = { story_points = 5 }\n", "1", ["no_value_case"]),  # 5 points: an estimate
        (SOURCE + 'evidence = { effort = "a day of work, says Lena" }\n', "1", ["no_value_case"]),
        (SOURCE + 'status = "done"\n', "1", []),  # closed items are not reviewed
        (SOURCE, "{ low = 1, likely = 1, high = 3 }", ["no_value_case"]),
    ],
)
def test_imported_items_are_reviewed_for_what_to_fill_in(extra: str, effort: str, kinds: list[str]) -> None:
    assert _kinds(extra, effort) == kinds


def test_the_messages_say_what_to_do() -> None:
    ws = review(parse_backlog(HEAD + item("a", SOURCE)))
    text = {w.kind: (w.field, w.message) for w in ws}
    assert text["no_value_case"][0] == "impact" and "needs a value case" in text["no_value_case"][1]
    assert text["effort_not_estimated"] == (
        "effort",
        "effort not estimated: the tracker had no story points, so 1 person-week stands in; estimate it "
        "(or write evidence.effort if 1 is right)",
    )


@pytest.mark.parametrize(("who", "asks"), [("[]", True), ('["cfo"]', False)])
def test_an_imported_item_asks_who_wants_it_once(who: str, asks: bool) -> None:
    """Thousands of imported issues: one warning each says what is missing, not one per gap."""
    ws = review(parse_backlog(HEAD + item("a", SOURCE, "2", who=who)))
    kinds = [w.kind for w in ws]
    (case,) = [w.message for w in ws if w.kind == "no_value_case"]
    assert "unrequested" not in kinds
    assert ("nobody requested it yet" in case) is asks
    # Once it has a value case, an unrequested item is the usual warning again.
    priced = review(parse_backlog(HEAD + item("a", SOURCE + "impact = { revenue = 1 }\n", "2", who=who)))
    assert ("unrequested" in [w.kind for w in priced]) is asks
