"""The edit form: no blank taken as a default, every key lands however fast it comes, a reopened
form is a fresh one, and the fields it edits (owner, due, tags, status, phase) save round trip."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select
from textual.widgets.input import Selection

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.save import read_snapshot, save_backlog
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import FormError, apply_form
from fulcrum.ui.screens.edit_item import EditItemScreen

SIZE = (120, 40)
TypeFast = Callable[..., Awaitable[None]]


@pytest.fixture
def golden(golden_toml: Path) -> Backlog:
    return load_backlog(golden_toml)


def make_app(backlog: Backlog) -> FulcrumApp:
    return FulcrumApp(backlog, watch_interval=None)


async def goto(pilot: Any, app: FulcrumApp, item_id: str) -> None:
    await pilot.press("home")
    while app.cursor_id != item_id:
        await pilot.press("down")


def form_of(app: FulcrumApp) -> EditItemScreen:
    assert isinstance(app.screen, EditItemScreen)
    return app.screen


def field(form: EditItemScreen, key: str) -> Input:
    widget = form.fields[key]
    assert isinstance(widget, Input)
    return widget


# -- blank fields --------------------------------------------------------------------------------


async def test_a_blank_confidence_is_refused_never_saved_as_one(golden: Backlog) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "c")  # confidence 0.8
        # title, requested by, effort, its evidence, confidence (its text selected: backspace clears it)
        await pilot.press("e", "tab", "tab", "tab", "tab", "backspace", "enter")
        form = form_of(app)  # refused: the form stays open
        assert str(form.errors["confidence"].render()) == (
            "confidence is blank: write how likely the value is, from 0 to 1 (it was 0.8)"
        )
        await pilot.press("escape")
        assert app.session.backlog is golden


def test_blank_fields_keep_refuse_or_mean_none_never_a_default(golden: Backlog) -> None:
    with pytest.raises(FormError) as refused:
        apply_form(golden, "c", {"confidence": " ", "effort": "", "due": "2026-13-01"})
    assert set(refused.value.problems) == {"confidence", "effort", "due"}  # every problem at once
    assert refused.value.problems["due"] == [
        "'2026-13-01' is not a date: write YYYY-MM-DD, e.g. 2026-12-01 (blank: none)"
    ]
    with pytest.raises(FormError) as new:
        apply_form(golden, None, {"id": "n", "title": "New", "effort": "1", "confidence": ""})
    assert new.value.problems == {
        "confidence": ["confidence is blank: write how likely the value is, from 0 to 1"]
    }
    dated = apply_form(golden, "c", {"due": "2027-02-01", "owner": "Lena", "tags": "x", "phase": "60"})
    cleared = apply_form(dated, "c", {"due": " ", "owner": "", "tags": " , ", "phase": ""})
    c = cleared.item("c")
    assert (c.due, c.owner, c.tags, c.phase, c.confidence) == (None, "", [], None, 0.8)


# -- keys at any speed ---------------------------------------------------------------------------


async def test_keys_typed_in_a_burst_land_in_the_field_tab_moved_to(
    golden: Backlog, type_fast: TypeFast
) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "b")
        # Typed before the form is even built, then Tab and the next field at once.
        await type_fast(pilot, "e", "tab", "tab", *"1.5", "tab", "tab", *"0.6", "enter")
        assert not isinstance(app.screen, EditItemScreen)
        b = app.session.backlog.item("b")
        assert (b.effort.expected, b.confidence) == (1.5, 0.6)


async def test_keys_typed_while_the_form_opens_or_closes_are_not_lost(
    golden: Backlog, type_fast: TypeFast
) -> None:
    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        assert app.table.row_keys[:2] == ["a", "c"]
        await type_fast(pilot, "e", *"ZW", "enter", "down", "e", "tab", "tab", *"3", "enter")
        assert app.session.backlog.item("a").title == "ZW"  # a fresh form: the title selected
        assert app.session.backlog.item("c").effort.expected == 3
        assert app.cursor_id == "c"
        await type_fast(pilot, "n", *"new-one", "tab", *"New one", "escape", "d", *"later", "escape")
        assert "new-one" not in app.table.row_keys  # Esc cancelled the form; nothing typed into the table
        assert app.screen is app.screen_stack[0] and app.keys.idle()


async def test_a_reopened_form_behaves_as_a_fresh_one(golden: Backlog) -> None:
    fresh_app = make_app(golden)
    async with fresh_app.run_test(size=SIZE) as pilot:
        await goto(pilot, fresh_app, "c")
        await pilot.press("e")
        fresh = form_of(fresh_app)
        assert fresh.focused is fresh.fields["title"]
        fresh_selection = field(fresh, "title").selection
        await pilot.press(*"ZW")
        fresh_title = field(fresh, "title").value

    app = make_app(golden)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "end", "left", "left", "tab", "tab", "escape")  # caret moved, focus on effort
        await pilot.press("e", "home", "right", "right", "escape")  # "Ch|eap ..." then closed
        await goto(pilot, app, "c")
        await pilot.press("e")
        form = form_of(app)
        assert form.focused is form.fields["title"]
        assert field(form, "title").selection == fresh_selection == Selection(0, len("Pricing page revamp"))
        assert all(
            w.selection == Selection.cursor(len(w.value))
            for k, w in form.fields.items()
            if isinstance(w, Input) and k != "title"
        )
        await pilot.press(*"ZW")
        assert field(form, "title").value == fresh_title == "ZW"  # not "PrZWicing page revamp"


# -- the fields the form edits, saved ------------------------------------------------------------


async def test_owner_due_tags_status_phase_typed_in_the_form_are_saved(
    golden_toml: Path, tmp_path: Path
) -> None:
    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    before = path.read_text()
    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await goto(pilot, app, "c")
        await pilot.press("e")
        form = form_of(app)
        for key, text in (("owner", "Lena"), ("due", "2027-02-01"), ("tags", "pricing, growth")):
            form.set_focus(form.fields[key])
            await pilot.press(*text)  # the focused field's text is selected: typing replaces it
        status, phase = form.fields["status"], form.fields["phase"]
        assert isinstance(status, Select) and isinstance(phase, Select)
        form.set_focus(status)
        await pilot.press("enter", "down", "down", "down", "enter")  # idea -> planned, doing, deferred
        form.set_focus(phase)
        await pilot.press("enter", "down", "down", "enter")  # none -> 30, 60
        assert (status.value, phase.value) == ("deferred", "60")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EditItemScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        while any(w.group == "save" and not w.is_finished for w in app.workers):
            await app.workers.wait_for_complete()
            await pilot.pause()
    c = load_backlog(path).item("c")
    assert (c.owner, c.due and c.due.isoformat(), c.tags, c.status, c.phase) == (
        "Lena",
        "2027-02-01",
        ["pricing", "growth"],
        "deferred",
        60,
    )
    added = [line for line in path.read_text().splitlines() if line not in before.splitlines()]
    assert sorted(added) == sorted(
        [
            'owner = "Lena"',
            "due = 2027-02-01",
            'tags = ["pricing", "growth"]',
            'status = "deferred"',
            "phase = 60",
        ]
    )


SET_AND_CLEAR = [
    ("owner", "Lena", 'owner = "Lena"'),
    ("due", "2027-02-01", "due = 2027-02-01"),
    ("tags", "pricing, growth", 'tags = ["pricing", "growth"]'),
    ("status", "deferred", 'status = "deferred"'),
    ("phase", "90", "phase = 90"),
]


@pytest.mark.parametrize(("key", "text", "line"), SET_AND_CLEAR)
def test_each_form_field_saves_and_clears_round_trip(
    golden_toml: Path, tmp_path: Path, key: str, text: str, line: str
) -> None:
    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    original_text = path.read_text()
    backlog, snapshot = read_snapshot(path)
    edited = apply_form(backlog, "c", {key: text})
    snapshot = save_backlog(snapshot, backlog, edited)
    assert load_backlog(path) == edited
    assert [x for x in path.read_text().splitlines() if x not in original_text.splitlines()] == [line]

    blank = "idea" if key == "status" else ""  # the Select's first option; blank text elsewhere
    cleared = apply_form(edited, "c", {key: blank})
    save_backlog(snapshot, edited, cleared)
    assert load_backlog(path) == cleared
    assert cleared.item("c") == backlog.item("c")
    # Cleared, a due date, a pin, an owner or tags go (an emptied text or list is its default:
    # the key is removed); status = "idea" stays written: the same value, one line.
    left = {"status": ['status = "idea"']}.get(key, [])
    assert [x for x in path.read_text().splitlines() if x not in original_text.splitlines()] == left
