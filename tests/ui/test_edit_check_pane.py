"""After an edit the explanation pane re-ranks every lens from its last rankings
(``scoring.rescore``): the same rankings as scoring each lens afresh, after edits, an undo and a lens
switch."""

from __future__ import annotations

from pathlib import Path

from fulcrum.backlog import load_backlog
from fulcrum.scoring import rank_in_every_lens
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.edits import apply_form
from fulcrum.ui.widgets.explain_pane import ExplainPane


def assert_fresh(app: FulcrumApp) -> None:
    ranking = app.session.ranking
    pane = app.query_one(ExplainPane)
    got = pane.lens_rankings(ranking)
    want = rank_in_every_lens(ranking)
    assert list(got) == list(want)
    for lens in want:
        assert got[lens].ranked == want[lens].ranked, lens
        assert got[lens].value_threshold == want[lens].value_threshold


async def test_the_panes_lens_rankings_follow_edits(golden_toml: Path) -> None:
    golden = load_backlog(golden_toml)
    app = FulcrumApp(golden, watch_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert_fresh(app)
        s = app.session
        for item_id, values in (
            ("b", {"effort": "0.5"}),
            ("c", {"status": "done"}),
            ("a", {"confidence": "0.1"}),
        ):
            edited = apply_form(s.backlog, item_id, values, s.lens, s.method, s.ranking)
            app._edited(item_id, "edited", edited)
            await pilot.pause()
            assert_fresh(app)
        app.action_undo()
        assert_fresh(app)
        s.set_lens(next(iter(golden.stakeholders)))
        assert_fresh(app)
