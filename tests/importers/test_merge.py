"""Merging issues into a backlog: what the tracker owns changes, what the user owns never does."""

from __future__ import annotations

from datetime import date

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.importers import Export, Issue, merge, status_of
from fulcrum.save import render_edits

BASE = HEAD + item("mine", effort="2")


def _export(*issues: Issue, system: str = "jira") -> Export:
    return Export(system, list(issues))


def _imported(text: str = BASE, *issues: Issue):
    backlog = parse_backlog(text)
    merged, report = merge(backlog, _export(*issues))
    return backlog, merged, report


A = Issue("PAY-1", "Retry payments", "In Progress", owner="Lena", labels=("payments",), points=5)
B = Issue("PAY-2", "Show retries", "To Do", points=None, due=date(2027, 1, 15), depends_on=("PAY-1",))


def test_new_issues_become_items_with_the_mapping() -> None:
    _, merged, report = _imported(BASE, A, B)
    a, b = merged.item("pay-1"), merged.item("pay-2")
    assert (a.title, a.status, a.owner, a.tags) == ("Retry payments", "doing", "Lena", ["payments"])
    assert a.effort.likely == 1.0 and a.fields == {"story_points": 5}  # 5 points / 5 a week
    assert a.source is not None and (a.source.system, a.source.key) == ("jira", "PAY-1")
    assert not a.impact  # imported items have no value case yet
    assert b.effort.likely == 1.0 and "story_points" not in b.fields  # the placeholder
    assert b.depends_on == ["pay-1"] and b.due == date(2027, 1, 15) and b.status == "planned"
    assert [c.id for c in report.added] == ["pay-1", "pay-2"]
    assert merged.item("mine") == parse_backlog(BASE).item("mine")


def test_points_per_week_and_status_names_from_the_import_table() -> None:
    text = BASE + '\n[import]\npoints_per_week = 2\nstatus = { "in progress" = "planned" }\n'
    text += 'tags = ["Payments"]\n'
    _, merged, report = _imported(text, A, Issue("PAY-3", "x", "Waiting for Godot"))
    assert merged.item("pay-1").effort.likely == 2.5
    assert merged.item("pay-1").status == "planned"  # the table beats the built-in names, any case
    assert merged.item("pay-1").tags == ["payments"]  # only the labels listed become tags
    assert merged.item("pay-3").status == "idea"
    assert any("'Waiting for Godot' (1 issue) is not one fulcrum knows" in n for n in report.notes)


def test_issues_without_a_status_are_ideas_with_a_note_and_no_mapping_to_write() -> None:
    _, merged, report = _imported(BASE, Issue("PAY-4", "x", ""), Issue("PAY-5", "y", ""))
    assert merged.item("pay-4").status == merged.item("pay-5").status == "idea"
    assert "2 issues without a status in the export: imported as idea" in report.notes
    assert not any("(none)" in n or "[import] status" in n for n in report.notes)


def test_status_names() -> None:
    config = parse_backlog(HEAD).import_
    assert [status_of(s, config) for s in ("Backlog", "TODO", "In Review", "Closed", "Won't Do", "?")] == [
        "idea",
        "planned",
        "doing",
        "done",
        "dropped",
        None,
    ]


def test_reimport_updates_only_what_the_tracker_owns() -> None:
    _, first, _ = _imported(BASE, A)
    mine = first.item("pay-1").model_copy(
        update={
            "effort": first.item("pay-1").effort.model_copy(update={"low": 1, "likely": 3, "high": 6}),
            "impact": {"revenue": first.item("pay-1").effort},
            "confidence": 0.5,
            "phase": 60,
            "requested_by": ["cfo"],
            "evidence": {"revenue": "the CFO"},
        }
    )
    edited = first.replace_item(mine)
    changed = Issue("PAY-1", "Retry card payments", "Done", owner="Ana", labels=("p",), points=8)
    again, report = merge(edited, _export(changed))
    it = again.item("pay-1")
    assert (it.title, it.status, it.owner, it.tags, it.fields) == (
        "Retry card payments",
        "done",
        "Ana",
        ["p"],
        {"story_points": 8},
    )
    for field in ("effort", "impact", "confidence", "phase", "requested_by", "evidence"):
        assert getattr(it, field) == getattr(mine, field), field
    assert report.updated[0].fields == (
        "title: 'Retry payments' -> 'Retry card payments'",
        "status: 'doing' -> 'done'",
        "owner: 'Lena' -> 'Ana'",
        "tags: [payments] -> [p]",
        "fields.story_points: 5 -> 8",
    )


def test_effort_follows_the_points_until_the_user_edits_it() -> None:
    _, first, _ = _imported(BASE, B)  # not estimated: the placeholder
    again, _ = merge(first, _export(Issue("PAY-2", "Show retries", "To Do", points=10)))
    assert again.item("pay-2").effort.likely == 2.0  # the tracker's estimate arrived
    user = again.replace_item(again.item("pay-2").model_copy(update={"effort": first.item("pay-2").effort}))
    third, _ = merge(user, _export(Issue("PAY-2", "Show retries", "To Do", points=20)))
    assert third.item("pay-2").effort.likely == 1.0  # the user's 1 differs from 10 points: theirs
    assert third.item("pay-2").fields == {"story_points": 20}


def test_a_decision_made_in_fulcrum_stands_until_the_tracker_starts_or_ends_the_work() -> None:
    _, first, _ = _imported(BASE, B)
    deferred = first.replace_item(
        first.item("pay-2").model_copy(update={"status": "deferred", "decision": "2026-12-09: after Q1"})
    )
    kept, _ = merge(deferred, _export(B))
    assert kept.item("pay-2").status == "deferred"
    started, _ = merge(deferred, _export(Issue("PAY-2", "Show retries", "In Progress")))
    assert started.item("pay-2").status == "doing"


def test_missing_issues_are_reported_never_deleted() -> None:
    _, first, _ = _imported(BASE, A, B)
    again, report = merge(first, _export(A))
    assert again == first
    assert [(c.id, c.key) for c in report.missing] == [("pay-2", "PAY-2")]
    assert report.unchanged == 1 and not report.added and not report.updated


def test_links_between_imported_items_follow_the_tracker_and_the_users_stay() -> None:
    text = BASE
    _, first, _ = _imported(text, A, B)
    own = first.replace_item(first.item("pay-2").model_copy(update={"depends_on": ["mine", "pay-1"]}))
    unlinked = Issue("PAY-2", "Show retries", "To Do", due=date(2027, 1, 15))
    again, _ = merge(own, _export(A, unlinked))
    assert again.item("pay-2").depends_on == ["mine"]  # the tracker dropped its link; the user's stays


def test_a_link_that_would_close_a_cycle_is_left_out() -> None:
    x = Issue("PAY-1", "x", "Open", blocks=("PAY-2",))
    y = Issue("PAY-2", "y", "Open", blocks=("PAY-1",))
    backlog, merged, report = _imported(BASE, x, y)
    # Item order decides: pay-1's link comes first and stays; pay-2's would close the cycle.
    assert merged.item("pay-1").depends_on == ["pay-2"] and merged.item("pay-2").depends_on == []
    assert any("PAY-2 waits for PAY-1, which (through other links) waits for it" in n for n in report.notes)
    render_edits(BASE, backlog, merged)  # the save accepts it: no cycle


def test_ids_never_collide_with_existing_items() -> None:
    text = HEAD + item("pay-1")
    _, merged, _ = _imported(text, A)
    assert merged.item("pay-1-2").source is not None


def test_github_keys_and_ids() -> None:
    backlog = parse_backlog(BASE)
    issues = Issue("acme/pay#7", "t", "open"), Issue("#8", "u", "closed")
    merged, _ = merge(backlog, _export(*issues, system="github"))
    assert [it.id for it in merged.items[1:]] == ["pay-7", "gh-8"]
    assert [it.status for it in merged.items[1:]] == ["idea", "done"]


def test_an_effort_of_the_users_own_is_said_on_reimport() -> None:
    _, first, _ = _imported(BASE, A)
    text = BASE + "\n[import]\npoints_per_week = 2\n"
    later = parse_backlog(text).model_copy(update={"items": first.items})
    again, report = merge(later, _export(A))
    assert again.item("pay-1").effort == first.item("pay-1").effort  # 1.0, not 5 / 2: kept
    assert any("1 item keeps an effort of its own" in n and "pay-1" in n for n in report.notes)


def test_an_issue_that_cannot_be_an_item_is_left_out_and_said() -> None:
    bad = Issue("PAY-9", "x" * 501, "Open")  # no reader makes this: the safety net
    _, merged, report = _imported(BASE, bad, A)
    assert [it.id for it in merged.items] == ["mine", "pay-1"]
    assert "PAY-9: left out: its values do not fit the backlog format" in report.notes
