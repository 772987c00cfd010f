"""The TUI's pure parts: the edit session, table rows (filter, sort, movement) and form edits.

Session: edit, undo/redo, dirty, movement, lens and method (not edits), reload over unsaved edits;
a Hypothesis property that undo and redo always walk one consistent history. Rows: filter fields,
the sort cycle and header-click directions, closed rows after the ranked, movement cells, literal
cells. Edits: the form round trip, check's words under the right rows, a unique id, references and
several problems at once, fields syntax, an edit that cannot be scored, decide and its reason.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import TESTS
from fulcrum.backlog import Backlog, BacklogError, load_backlog, parse_backlog, validate_document
from fulcrum.scoring import ScoringError
from fulcrum.ui.edits import FormError, apply_form, decide, form_values, row_key
from fulcrum.ui.rows import COLUMN_KEYS, SortOrder, cells, sort_options, visible_rows
from fulcrum.ui.state import Session, count_changes

TODAY = date(2026, 12, 9)


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


def ids(session: Session) -> list[str]:
    return [s.id for s in session.ranking.ranked]


def with_effort(backlog: Backlog, item_id: str, effort: float) -> Backlog:
    return apply_form(backlog, item_id, {"effort": str(effort)})


# -- Session ------------------------------------------------------------------------------------


def test_session_ranks_like_the_golden_file(golden: Backlog, golden_json) -> None:
    session = Session(golden)
    assert ids(session) == [row["id"] for row in golden_json("rank.json")]
    assert not session.dirty
    assert session.previous_ranks == {}


def test_edit_reranks_records_movement_and_is_dirty(golden: Backlog) -> None:
    session = Session(golden)
    assert ids(session).index("b") == 4
    session.edit(with_effort(golden, "b", 0.5))
    assert session.dirty
    assert ids(session).index("b") == 1  # 17.5k / 0.5 wk = 35k: second after a (36k)
    assert session.movement("b") == 3  # ▲3: from #5 to #2
    assert session.movement("c") == -1
    assert session.movement("a") == 0


def test_undo_redo_restore_whole_backlogs(golden: Backlog) -> None:
    session = Session(golden)
    edited = with_effort(golden, "b", 0.5)
    session.edit(edited)
    assert session.undo()
    assert session.backlog is golden
    assert not session.dirty
    assert session.movement("b") == -3  # undo is a change too: b goes back down
    assert not session.undo()
    assert session.redo()
    assert session.backlog is edited
    assert session.dirty
    assert not session.redo()


def test_a_new_edit_clears_redo(golden: Backlog) -> None:
    session = Session(golden)
    session.edit(with_effort(golden, "b", 0.5))
    session.undo()
    session.edit(with_effort(golden, "c", 1))
    assert not session.redo()
    assert session.backlog.item("c").effort.expected == 1


def test_editing_back_to_the_saved_values_is_clean(golden: Backlog) -> None:
    session = Session(golden)
    session.edit(with_effort(golden, "b", 0.5))
    session.edit(apply_form(session.backlog, "b", {"effort": "2 / 4 / 12"}))
    assert session.backlog == golden
    assert not session.dirty


def test_lens_and_method_rerank_but_are_not_edits(golden: Backlog) -> None:
    session = Session(golden)
    session.set_lens("pm")
    assert ids(session)[0] == "c"
    assert session.movement("c") == 1
    assert not session.dirty
    assert session.undo_stack == []
    with pytest.raises(ScoringError):
        session.set_lens("nobody")
    with pytest.raises(ScoringError):  # the golden items have no rice fields
        session.set_method("rice")
    assert session.lens == "pm"
    assert session.method == "value_density"


def test_mark_saved_and_reload(golden: Backlog) -> None:
    session = Session(golden)
    session.set_lens("cfo")
    edited = with_effort(golden, "b", 0.5)
    session.edit(edited)
    session.mark_saved()
    assert not session.dirty
    without_cfo = golden.model_copy(update={"stakeholders": {"pm": golden.stakeholders["pm"]}})
    session.reload(without_cfo)
    assert session.lens == "everyone"  # the lens's stakeholder is gone
    assert session.undo_stack == []
    assert not session.dirty


def test_reload_over_unsaved_edits_keeps_them_as_one_undo_step(golden: Backlog) -> None:
    session = Session(golden)
    session.edit(with_effort(golden, "b", 0.5))
    mine = apply_form(session.backlog, "a", {"owner": "me"})
    session.edit(mine)
    assert session.unsaved_edits() == (2, ["a", "b"])
    theirs = apply_form(golden, "d", {"title": "Moved"})
    assert session.reload(theirs)
    assert session.backlog is theirs and not session.dirty
    assert session.undo_stack == [mine] and session.redo_stack == []
    assert session.undo()
    assert session.backlog is mine and session.saved is theirs and session.dirty
    assert not session.undo()
    assert session.redo() and session.backlog is theirs
    assert not session.reload(theirs)  # clean: nothing to keep, the history goes
    assert session.undo_stack == []


def test_count_changes_counts_values_and_names_items(golden: Backlog) -> None:
    assert count_changes(golden, golden) == (0, [])
    decided = decide(golden, "c", "drop", "no budget", today=TODAY)  # status and decision
    assert count_changes(golden, decided) == (2, ["c"])
    added = apply_form(golden, None, {"id": "new-one", "title": "New", "effort": "1"})
    assert count_changes(golden, added) == (1, ["new-one"])
    retitled = golden.model_copy(update={"backlog": golden.backlog.model_copy(update={"title": "T"})})
    assert count_changes(golden, retitled) == (1, [])


def test_shown_carries_the_picked_method(example_toml: Path) -> None:
    base = load_backlog(example_toml)
    session = Session(base)
    assert session.shown is base
    session.set_method("rice")
    shown = session.shown
    assert shown.scoring.method == "rice" and shown.items is base.items
    assert session.shown is shown  # cached: the plan view redraws only for a new object
    assert session.backlog is base and base.scoring.method == "value_density"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["edit", "undo", "redo"]), max_size=12), st.data())
def test_undo_history_is_a_consistent_stack(ops: list[str], data: st.DataObject) -> None:
    base = load_backlog(TESTS / "golden" / "small.toml")
    session = Session(base)
    history = [base]  # what undo should walk back through
    pos = 0
    for op in ops:
        if op == "edit":
            effort = data.draw(st.sampled_from([0.5, 1, 2, 3, 8]))
            item = data.draw(st.sampled_from(["a", "b", "c", "d"]))
            session.edit(with_effort(session.backlog, item, effort))
            if session.backlog is not history[pos]:
                history = [*history[: pos + 1], session.backlog]
                pos += 1
        elif op == "undo":
            assert session.undo() == (pos > 0)
            pos = max(0, pos - 1)
        else:
            assert session.redo() == (pos < len(history) - 1)
            pos = min(len(history) - 1, pos + 1)
        assert session.backlog is history[pos]
        assert session.dirty == (session.backlog != base)


# -- rows: filter, sort, closed ----------------------------------------------------------------


def test_filter_matches_id_title_tag_stakeholder_and_quadrant(golden: Backlog) -> None:
    session = Session(golden)

    def keys(query: str, closed: bool = False) -> list[str]:
        return [r.key for r in visible_rows(session, query, closed=closed)]

    assert keys("cloud") == ["a"]  # title
    assert keys("pm") == ["c", "b"]  # stakeholder key, in rank order
    assert keys("CFO") == ["a", "d"]  # the stakeholder key, case-insensitive
    assert keys("big bet") == ["d"]  # quadrant label, every word must match
    assert keys("quick_win") == ["a", "c"]
    assert keys("done", closed=True) == ["e"]
    assert keys("") == ["a", "c", "d", "g", "b"]


def test_sort_picker_lists_every_column_and_a_pick_or_click_flips(golden: Backlog) -> None:
    options = sort_options(SortOrder())
    assert [key for key, _ in options] == list(COLUMN_KEYS)
    assert options[0][1].plain == "Rank  # — sorted ↑ now; Enter reverses it"
    assert options[8][1].plain == "Score — highest first ↓"
    session = Session(golden)
    by_value = SortOrder().clicked("value")
    assert by_value.descending
    assert [r.key for r in visible_rows(session, order=by_value)] == ["d", "c", "a", "b", "g"]
    assert [r.key for r in visible_rows(session, order=by_value.clicked("value"))] == [
        "g",
        "b",
        "a",
        "c",
        "d",
    ]
    assert [r.key for r in visible_rows(session, order=SortOrder("effort"))] == ["g", "a", "c", "b", "d"]


def test_closed_items_are_listed_after_the_ranked_ones(golden: Backlog) -> None:
    session = Session(golden)
    rows = visible_rows(session, closed=True)
    assert [r.key for r in rows][-2:] == ["e", "f"]
    assert cells(session, rows[-1])[0].plain == "—"  # not ranked
    assert cells(session, rows[-1])[4].plain == "dropped"


def test_movement_cells(golden: Backlog) -> None:
    session = Session(golden)
    session.edit(with_effort(golden, "b", 0.5))
    moves = {r.key: cells(session, r)[1].plain for r in visible_rows(session)}
    assert moves == {"a": "", "b": "▲3", "c": "▼1", "d": "▼1", "g": "▼1"}
    reopened = apply_form(session.backlog, "e", {"status": "idea"})
    session.edit(reopened)
    assert {r.key: cells(session, r)[1].plain for r in visible_rows(session)}["e"] == "new"


def test_cells_are_literal_text(golden: Backlog) -> None:
    hostile = apply_form(golden, "a", {"title": "[@click=app.quit]quit[/]"})
    session = Session(hostile)
    title = cells(session, visible_rows(session)[0])[3]
    assert title.plain == "[@click=app.quit]quit[/]"
    assert title.spans == []


# -- edits ---------------------------------------------------------------------------------------


def test_form_values_round_trip_to_the_same_item(golden: Backlog) -> None:
    for item in golden.items:
        assert apply_form(golden, item.id, form_values(item)) == golden


def test_dumped_backlog_validates_back_equal(golden: Backlog, example_toml: Path) -> None:
    assert validate_document(golden.model_dump(mode="python")) == golden
    if example_toml.exists():
        example = load_backlog(example_toml)
        assert validate_document(example.model_dump(mode="python")) == example


def test_form_problems_use_checks_words_under_their_rows(golden: Backlog, golden_toml: Path) -> None:
    text = golden_toml.read_text().replace("confidence = 0.5", "confidence = 2")
    with pytest.raises(BacklogError) as checked:
        parse_backlog(text)
    check_says = [p.message for p in checked.value.problems if p.field == "items[1].confidence"]
    values = {
        **form_values(golden.item("b")),
        "effort": "2 / abc / 12",
        "confidence": "2",
        "due": "tomorrow",
        "impact.users": "100000 / 20000 / 50000",
    }
    with pytest.raises(FormError) as err:
        apply_form(golden, "b", values)
    problems = err.value.problems
    assert problems["effort"][0].startswith("expected a number, got the string 'abc'")
    assert problems["confidence"] == check_says and check_says
    assert problems["due"] == ["'tomorrow' is not a date: write YYYY-MM-DD, e.g. 2026-12-01 (blank: none)"]
    assert "low <= likely <= high" in problems["impact.users"][0]


def test_new_item_needs_a_unique_id_title_and_effort(golden: Backlog) -> None:
    with pytest.raises(FormError) as err:
        apply_form(golden, None, {"id": "", "title": "", "effort": ""})
    assert err.value.problems == {
        "id": ["required but missing"],
        "title": ["required but missing"],
        "effort": ["required but missing"],
    }
    with pytest.raises(FormError) as err:
        apply_form(golden, None, {"id": "a", "title": "again", "effort": "1"})
    assert err.value.problems["id"] == ["duplicate id 'a': the 1st [[items]] has it already"]
    added = apply_form(golden, None, {"id": "z", "title": "New", "effort": "1", "impact.revenue": "5"})
    assert added.items[-1].id == "z"
    assert added.items[:-1] == golden.items


def test_edit_shares_unchanged_items(golden: Backlog) -> None:
    edited = with_effort(golden, "b", 1)
    assert all(x is y for x, y in zip(edited.items, golden.items, strict=True) if x.id != "b")


def test_an_edit_that_cannot_be_scored_is_refused(golden: Backlog) -> None:
    with pytest.raises(FormError) as err:
        apply_form(golden, None, {"id": "z", "title": "x", "effort": "1"}, method="rice")
    assert "needs fields" in err.value.problems[""][0]
    # The golden file's own method is value_density: rice is only the view's, and the form says so.
    assert err.value.problems[""][-1].startswith(
        "rice is the method the ranking is viewed by (picked with m)"
    )


def test_fields_syntax(golden: Backlog) -> None:
    edited = apply_form(golden, "a", {"fields": "reach=5000, impact=2"})
    assert edited.item("a").fields == {"reach": 5000, "impact": 2}
    with pytest.raises(FormError) as err:
        apply_form(golden, "a", {"fields": "reach 5000"})
    assert "key=number" in err.value.problems["fields"][0]


@pytest.mark.parametrize(
    ("verdict", "status", "decision"),
    [
        ("plan", "planned", "2026-12-09: CFO asked"),
        ("defer", "deferred", "2026-12-09: CFO asked"),
        ("drop", "dropped", "2026-12-09: CFO asked"),
    ],
)
def test_decide_stores_status_and_dated_reason(
    golden: Backlog, verdict: str, status: str, decision: str
) -> None:
    item = decide(golden, "a", verdict, " CFO asked ", today=TODAY).item("a")
    assert (item.status, item.decision) == (status, decision)


def test_decide_requires_a_reason(golden: Backlog) -> None:
    with pytest.raises(FormError) as err:
        decide(golden, "a", "drop", "   ", today=TODAY)
    assert "reason is required" in err.value.problems["reason"][0]
    with pytest.raises(FormError) as err:
        decide(golden, "a", "drop", "bidi \u202e trick", today=TODAY)
    assert "control character U+202E" in err.value.problems["reason"][0]


def test_estimates_are_one_field(golden: Backlog) -> None:
    assert form_values(golden.item("b"))["effort"] == "2 / 4 / 12"
    assert form_values(golden.item("a"))["impact.cloud"] == "-40000"
    edited = apply_form(golden, "a", {"impact.cloud": "-50000 / -40000 / -20000", "impact.revenue": "7"})
    assert edited.item("a").impact["cloud"].expected == (-50000 + 4 * -40000 - 20000) / 6
    assert edited.item("a").impact["revenue"].expected == 7
    assert apply_form(golden, "a", {"impact.cloud": ""}).item("a").impact == {}
    with pytest.raises(FormError) as err:
        apply_form(golden, "a", {"effort": "1 / 2"})
    assert "low / likely / high" in err.value.problems["effort"][0]
    with pytest.raises(FormError) as err:
        apply_form(golden, "a", {"effort": "1 /  / 4"})
    assert err.value.problems["effort"] == ["required but missing"]


def test_row_key() -> None:
    assert row_key("impact.mau.low") == "impact.mau"
    assert row_key("requested_by[0]") == "requested_by"
    assert row_key("effort.likely") == "effort"
    assert row_key("evidence.effort") == "evidence.effort"


def test_references_and_several_problems_are_reported_at_once(golden: Backlog) -> None:
    with pytest.raises(FormError) as err:
        apply_form(golden, "c", {"depends_on": "b, nope"})
    assert err.value.problems["depends_on"][0].startswith("unknown item 'nope'")
    with pytest.raises(FormError) as err:
        apply_form(golden, None, {"id": "a", "title": "again", "effort": "1", "confidence": "7"})
    assert set(err.value.problems) == {"id", "confidence"}  # as `check` would: all at once
