"""The Plan tab widget mounted alone in a small app: what it shows, and the pin keys.

show() fills the three columns, the tour and the later list; every pin key posts the right
PinRequested (an impossible move posts nothing); unpin; the highlight follows an item to its new
column when the app shows the plan again; markup in titles stays literal; an unknown lens shows
"Cannot plan" instead of crashing.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from fulcrum.backlog import Backlog, load_backlog
from fulcrum.ui.widgets.plan_view import ItemList, PlanView
from fulcrum.ui.widgets.tour_list import TourList


class Host(App):
    """Shows a backlog's plan and records the pins the view asks for (without applying them)."""

    def __init__(self, backlog: Backlog, lens: str | None = None) -> None:
        super().__init__()
        self.backlog = backlog
        self.lens = lens
        self.pins: list[tuple[str, int | None]] = []

    def compose(self) -> ComposeResult:
        yield PlanView(id="plan-view")

    def on_mount(self) -> None:
        view = self.query_one(PlanView)
        view.show(self.backlog, self.lens)
        view.focus()

    def on_plan_view_pin_requested(self, event: PlanView.PinRequested) -> None:
        self.pins.append((event.item_id, event.phase))


def ids(app: App, name: str) -> list[str | None]:
    return [o.id for o in app.query_one(f"#list-{name}", ItemList).options]


def text(app: App, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_show_renders_phases_tour_and_later(golden_toml):
    app = Host(load_backlog(golden_toml))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        assert (ids(app, "30"), ids(app, "60"), ids(app, "90")) == (["a", "g"], [None], ["b"])
        # Open items that wait can be pinned; done and dropped ones are shown, not selectable.
        assert ids(app, "later") == ["c", "d", None, None]
        summary = text(app, "#plan-summary")
        assert "First-year value $48.1k (proven optimal)" in summary
        assert "the rule costs $3.12k" in summary
        head = text(app, "#head-30")
        assert "Days 1-30 → 2027-02-02" in head and "1.5/2 wk" in head
        assert "+0.5 wk carried over" in text(app, "#head-60")
        # Each line of a head fits a phase column of an 80-column terminal.
        assert all(len(line) <= 24 for line in head.splitlines())
        tour = "\n".join(str(o.prompt) for o in app.query_one(TourList).options)
        assert tour.index("C CFO") < tour.index("P PM")
        assert "not met: meet by 2027-02-02" in tour
        first = str(app.query_one("#list-30", ItemList).get_option_at_index(0).prompt)
        assert "Cheap cloud saving" in first and "early win" in first and "not met yet: C" in first
        later = str(app.query_one("#list-later", ItemList).get_option_at_index(0).prompt)
        assert "does not fit the remaining capacity" in later


async def test_pin_keys_post_the_message(golden_toml):
    app = Host(load_backlog(golden_toml))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        view = app.query_one(PlanView)
        assert app.focused is view  # one focus stop: the view itself drives its lists
        assert app.query_one("#phase-30").has_class("-active")
        await pilot.press("shift+right")  # "a", planned in 30: pin it to 60
        await pilot.press("p")  # pin it where it is
        await pilot.press("0")  # not pinned: nothing to undo
        await pilot.press("down", "less_than_sign")  # "g" in 30 pinned "earlier": day 30
        await pilot.press("right", "right")  # past the empty 60 to 90
        assert app.query_one("#phase-90").has_class("-active")
        assert not app.query_one("#phase-30").has_class("-active")
        await pilot.press("greater_than_sign")  # "b" in 90 cannot go later: pin it to 90
        await pilot.press("right", "shift+left")  # "c" waits: pull it in at day 90
        await pilot.press("shift+right")  # and it cannot be pushed later than "later"
        assert app.pins == [("a", 60), ("a", 30), ("g", 30), ("b", 90), ("c", 90)]


async def test_the_active_list_has_the_accent_border_later_too(golden_toml):
    """The "Later" box is styled by its id, which outranked the active border: moving to it showed
    no list as active (a tmux trial)."""
    app = Host(load_backlog(golden_toml))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        accent = app.query_one("#phase-30").styles.border_top
        assert accent != app.query_one("#phase-60").styles.border_top
        await pilot.press("left")  # from 30 round to "later"
        await pilot.pause()
        assert app.query_one("#plan-later-box").has_class("-active")
        assert app.query_one("#plan-later-box").styles.border_top == accent
        assert app.query_one("#phase-30").styles.border_top != accent


async def test_unpin_and_the_highlight_follows_the_item(golden_toml):
    backlog = load_backlog(golden_toml)
    pinned = backlog.replace_item(backlog.item("a").model_copy(update={"phase": 60}))
    app = Host(pinned)
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        assert ids(app, "60")[0] == "a"
        await pilot.press("right")
        await pilot.press("delete")
        assert app.pins == [("a", None)]
        # The app applies it and shows the new backlog: "a" is back in 30, still highlighted.
        app.query_one(PlanView).show(backlog, None)
        await pilot.pause()
        assert app.query_one("#phase-30").has_class("-active")
        assert app.query_one("#list-30", ItemList).highlighted_option.id == "a"


async def test_one_focus_stop_and_a_click_picks_the_list(golden_toml):
    app = Host(load_backlog(golden_toml))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        # Tab never gets stuck inside: the view's lists are one stop, the listening tour the next.
        assert app.screen.focus_chain == [app.query_one(PlanView), app.query_one(TourList)]
        await pilot.click("#list-90", offset=(2, 0))
        await pilot.pause()
        assert app.query_one("#phase-90").has_class("-active")
        await pilot.press("p")
        assert app.pins == [("b", 90)]


async def test_user_text_is_never_markup(tmp_path, golden_toml):
    src = golden_toml.read_text().replace('title = "Cheap cloud saving"', 'title = "[@click=app.quit]x[/]"')
    path = tmp_path / "b.toml"
    path.write_text(src)
    app = Host(load_backlog(path))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        prompt = str(app.query_one("#list-30", ItemList).get_option_at_index(0).prompt)
        assert prompt.startswith("[@click=app.quit]x[/]")


async def test_a_lens_that_does_not_exist_is_an_error_not_a_crash(golden_toml):
    app = Host(load_backlog(golden_toml), lens="nobody")
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        assert "Cannot plan: unknown lens 'nobody'" in text(app, "#plan-summary")
        assert app.query_one(PlanView).plan is None


async def test_the_summary_names_missed_deadlines_and_what_pins_cost(tmp_path):
    text_ = (
        '[backlog]\ntitle = "T"\nstart = 2026-12-01\n\n[capacity]\ndays_30 = 1\ndays_60 = 1\ndays_90 = 1\n'
        '\n[metrics.revenue]\nlabel = "R"\nvalue_per_unit = 1.0\n'
        '\n[[items]]\nid = "big"\ntitle = "Big"\neffort = 2\nimpact = { revenue = 9000 }\ndue = 2026-12-20\n'
        '\n[[items]]\nid = "pin"\ntitle = "Pin"\neffort = 0.5\nimpact = { revenue = 100 }\nphase = 90\n'
    )
    path = tmp_path / "b.toml"
    path.write_text(text_)
    app = Host(load_backlog(path))
    async with app.run_test(size=(150, 45)) as pilot:
        await pilot.pause()
        summary = text(app, "#plan-summary")
        assert "! deadline missed: big (due 2026-12-20): planned by day 60" in summary
        assert "Pinning pin to day 90 costs" in summary


async def test_a_phase_over_capacity_by_earlier_overruns_says_so(tmp_path):
    """Forced work overruns days 1-30 and 31-60: day 90 reads 0/0 and nothing planned, and is over
    all the same (over is cumulative); its head says by how much the earlier phases ran over, as
    `fulcrum plan` does ("less the 2 wk earlier phases ran over")."""
    from backlogs import OVER
    from fulcrum.backlog import parse_backlog

    app = Host(parse_backlog(OVER))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        heads = {k: text(app, f"#head-{k}") for k in ("30", "60", "90")}
        assert "OVER capacity" in heads["30"] and "earlier" not in heads["30"]
        assert heads["60"].splitlines()[-2:] == ["OVER capacity", "earlier: 1 wk over"]
        assert heads["90"].splitlines()[-2:] == ["OVER capacity", "earlier: 2 wk over"]
        assert all(len(line) <= 24 for head in heads.values() for line in head.splitlines())
