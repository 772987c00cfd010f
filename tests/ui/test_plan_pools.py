"""The Plan tab with teams and as of today, in the whole app at 80x24 and 120x40.

One capacity bar per pool per phase (each line within a phase column of an 80-column terminal),
each planned item's pool, an ended phase marked and listing its done items (not selectable), the
as-of and estimate-accuracy lines, the header's "day 46 of 90" taken from the app's injected
today (and none outside the plan), and the solve still in its worker.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from fulcrum.backlog import Backlog, parse_backlog
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.widgets.header import HeaderLine
from fulcrum.ui.widgets.plan_view import ItemList, PlanView

TEXT = """\
[backlog]
title = "Platform"
start = 2027-01-04

[capacity]
days_30 = 1
days_60 = 2
days_90 = 2

[teams.payments]
name = "Payments team"
capacity = { days_30 = 4, days_60 = 6, days_90 = 6 }

[teams.sre]
name = "SRE"
capacity = { days_60 = 3, days_90 = 2 }

[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0

[[items]]
id = "buy-fraud"
title = "Buy a fraud tool"
effort = 1
excludes = ["build-fraud"]
impact = { revenue = 100_000 }

[[items]]
id = "build-fraud"
title = "Build fraud detection"
effort = 6
team = "payments"
impact = { revenue = 150_000 }

[[items]]
id = "rewrite"
title = "Payments rewrite"
effort = 5
team = "payments"
impact = { revenue = 200_000 }

[[items]]
id = "alerts"
title = "Alerting clean-up"
effort = 2
team = "sre"
impact = { revenue = 50_000 }

[[items]]
id = "audit"
title = "Audit the ledger"
effort = 2
status = "done"
done_on = 2027-01-14
actual_effort = 3
"""
MID_60 = date(2027, 2, 18)  # day 46


@pytest.fixture
def teams(tmp_path: Path) -> Backlog:
    return parse_backlog(TEXT, str(tmp_path / "b.toml"))


async def solved(pilot: Any) -> None:
    app = pilot.app
    await pilot.pause()
    while running := [w for w in app.workers if w.group == "plan" and not w.is_finished]:
        await app.workers.wait_for_complete(running)
        await pilot.pause()


def plain(widget: Any) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_pool_bars_past_phase_and_day_of_the_plan(teams: Backlog, size: tuple[int, int]) -> None:
    app = FulcrumApp(teams, watch_interval=None, today=MID_60)
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")
        await solved(pilot)
        view = app.query_one(PlanView)
        assert view.plan is not None and view.plan.today == MID_60
        header = plain(app.query_one(HeaderLine))
        assert "day 46 of 90" in header or "46 of 90" in header
        # Days 1-30 ended: marked, and its list holds the done item, not selectable.
        head30 = plain(app.query_one("#head-30"))
        assert "ENDED" in head30 and "1 done" in head30
        past = app.query_one("#list-30", ItemList)
        assert [o.disabled for o in past.options] == [True]
        assert "Audit the ledger" in str(past.options[0].prompt) and "1.50x" in str(past.options[0].prompt)
        # Days 31-60 runs: one bar per pool (you, Payments team, SRE), half of it still to come.
        head60 = plain(app.query_one("#head-60")).splitlines()
        assert [line.split()[0] for line in head60[1:4]] == ["you", "Paymen…", "SRE"]
        assert len(head60) == 4  # the bars say what is left
        # Under the title, every line fits the 22 cells of a phase column at 80 columns.
        bars = head60[1:] + plain(app.query_one("#head-90")).splitlines()[1:]
        assert all(len(line) <= 22 for line in bars)
        # Each planned item says whose capacity it uses.
        prompts = {
            o.id: str(o.prompt) for n in ("60", "90") for o in app.query_one(f"#list-{n}", ItemList).options
        }
        assert "Payments team" in prompts["rewrite"] and "SRE" in prompts["alerts"]
        summary = plain(app.query_one("#plan-summary"))
        assert "As of 2027-02-18 (day 46 of 90)" in summary
        assert "estimates took 1.50x (1 done; shown only)" in summary


async def test_the_header_has_no_day_outside_the_plan(teams: Backlog) -> None:
    app = FulcrumApp(teams, watch_interval=None, today=date(2026, 12, 1))  # before the start
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await solved(pilot)
        assert "of 90" not in plain(app.query_one(HeaderLine))
        plan = app.query_one(PlanView).plan
        assert plan is not None and not any(ph.past for ph in plan.phases)
        assert "ENDED" not in plain(app.query_one("#head-30"))


class Host(App[None]):
    """The Plan tab alone, shown as of a given day."""

    def __init__(self, backlog: Backlog, today: date) -> None:
        super().__init__()
        self.backlog, self.today = backlog, today

    def compose(self) -> ComposeResult:
        yield PlanView(id="plan-view")

    def on_mount(self) -> None:
        self.query_one(PlanView).show(self.backlog, None, self.today)


async def test_the_plan_follows_the_given_today_not_the_clock(teams: Backlog) -> None:
    app = Host(teams, date(2027, 1, 4))
    async with app.run_test(size=(120, 40)) as pilot:
        await solved(pilot)
        view = app.query_one(PlanView)
        assert view.plan is not None and [ph.past for ph in view.plan.phases] == [False, False, False]
        # A new day is a new request (same backlog and lens): re-solved as of it.
        view.show(teams, None, date(2027, 3, 20))
        await solved(pilot)
        assert view.plan is not None and view.plan.day == 76
        assert [ph.past for ph in view.plan.phases] == [True, True, False]
