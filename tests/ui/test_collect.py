"""The garbage collection policy while the app runs (``fulcrum.ui.collect``): the loaded session
frozen once, full collections only at quiet moments, and no growth edit after edit."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from datetime import date

import pytest

from backlogs import ROOT
from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.ui import collect
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form, form_values
from pilot_waits import until

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

SIZE = (120, 40)


@pytest.fixture(scope="module")
def many() -> Backlog:
    return parse_backlog(synth_text(600, seed=5))


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    """Each test starts and ends with nothing frozen (the app freezes for the process's life)."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def edit_and_undo(app: FulcrumApp, i: int) -> None:
    """An edit of the middle item's effort (it moves), committed as Apply commits it, then undone."""
    s = app.session
    item_id = s.ranking.ranked[len(s.ranking.ranked) // 2].id
    values = form_values(s.backlog.item(item_id))
    values["effort"] = str(0.25 + i % 7)
    app._edited(item_id, "edited", apply_form(s.backlog, item_id, values, s.lens, s.method, s.ranking))
    app.action_undo()


def live_objects() -> int:
    """Objects the collector tracks, frozen or not (freezing hides objects from gc.get_objects())."""
    gc.collect()
    return len(gc.get_objects()) + gc.get_freeze_count()


async def test_the_session_is_frozen_once_its_lens_rankings_are_made(many: Backlog) -> None:
    before = gc.get_threshold()
    app = FulcrumApp(many, watch_interval=None, today=date(2026, 12, 9))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.collector.frozen)
        pane = app.query_one("ExplainPane")
        assert pane._lens_rankings is not None and pane._lens_rankings[0] is app.session.ranking
        frozen = gc.get_freeze_count()
        assert frozen > 50 * len(many.items)  # the items, the rankings under every lens, the widgets
        assert gc.get_threshold()[2] == collect.FULL_EVERY  # Python's own full collections: rare
        for i in range(10):
            edit_and_undo(app, i)
            await pilot.pause()
        await until(pilot, lambda: pane._lens_rankings[0] is app.session.ranking)
        # Edits never freeze anything more (a frozen cycle would never be freed): the count only
        # shrinks, as frozen objects the edits replaced are freed by reference counting.
        assert gc.get_freeze_count() <= frozen
    assert gc.get_threshold() == before  # restored when the app unmounts


async def test_edits_and_undos_do_not_grow_what_is_live(many: Backlog) -> None:
    app = FulcrumApp(many, watch_interval=None, today=date(2026, 12, 9))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.collector.frozen)
        pane = app.query_one("ExplainPane")
        counts = []
        for i in range(40):
            edit_and_undo(app, i)
            await until(pilot, lambda: pane._lens_rankings[0] is app.session.ranking)
            app.clear_notifications()
            if i % 10 == 9:
                counts.append(live_objects())
        # After the first rounds (the rankings the edits replaced, Textual's caches filled) the
        # count stays put: no garbage kept, nothing accumulating per edit.
        assert max(counts[1:]) - counts[0] < 2_000, counts


async def test_a_key_or_a_change_puts_the_full_collection_off_until_a_quiet_moment(many: Backlog) -> None:
    app = FulcrumApp(many, watch_interval=None, today=date(2026, 12, 9))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.collector.frozen)
        collector = app.collector
        app.collector.collect()  # as the timer would
        assert collector._timer is None
        await pilot.press("down")
        timer = collector._timer
        assert timer is not None  # the full collection waits for collect.QUIET seconds of calm
        edit_and_undo(app, 1)
        assert collector._timer is timer  # restarted, not doubled
        collector.collect()
        assert collector._timer is None
    assert collector._timer is None and collector._thresholds is None
