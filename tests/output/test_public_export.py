"""The export is the public plan: no internal note unless ``internal`` (``export --internal``); a
one-paragraph summary at the top; a value headline that keeps cash apart from other priced value."""

from __future__ import annotations

from datetime import date

import pytest

from backlogs import HEAD, item
from fulcrum.backlog import load_example, parse_backlog
from fulcrum.output import render_markdown
from fulcrum.output.summary import value_split
from fulcrum.plan import build_plan

#: Words only the internal notes use (the author's to-do list, never a stakeholder's reading).
INTERNAL = (
    "serves people not met yet",
    "### Open questions",
    "To fix in the backlog",
    "Influence",
    "to meet**",
)

# An item that serves someone not met, a review warning (a big impact with no evidence), a pin over
# capacity (a plan warning), and a done item with its actual effort (estimate accuracy).
NOTES = (
    HEAD.replace('title = "T"', 'title = "T"\nstart = 2026-12-01')
    + "[capacity]\ndays_30 = 1\ndays_60 = 1\ndays_90 = 1\n"
    + item("a", "impact = { revenue = 900_000 }\nphase = 30\n", effort="3")
    + item("d", 'status = "done"\ndone_on = 2026-12-02\nactual_effort = 2\n', effort="1")
)


@pytest.fixture(scope="module")
def notes():
    return parse_backlog(NOTES)


def test_public_export_has_no_internal_note(notes) -> None:
    public = render_markdown(notes, today=date(2026, 12, 1))
    internal = render_markdown(notes, today=date(2026, 12, 1), internal=True)
    for words in INTERNAL:
        assert words not in public, words
    for words in ("serves people not met yet", "### Open questions", "To fix in the backlog", "Influence"):
        assert words in internal, words
    assert "Accuracy" in internal and "Accuracy" not in public


def test_the_example_public_and_internal(cli, example_toml) -> None:
    code, public, _ = cli("export", example_toml, "--today", "2026-12-01")
    assert code == 0
    code, internal, _ = cli("export", example_toml, "--today", "2026-12-01", "--internal")
    assert code == 0
    for words in INTERNAL:
        assert words not in public, words
    assert "serves people not met yet" in internal and "### Open questions" in internal


def test_summary_paragraph_comes_first() -> None:
    backlog = load_example()
    text = render_markdown(backlog)
    body = text.split("\n\n")
    summary = next(p for p in body if p.startswith("In the next 90 days I will "))
    assert body.index(summary) == 2  # right after the title block (heading, then its list)
    assert " I will not do " in summary and ", because " in summary
    plan = build_plan(backlog)
    best = max(plan.planned, key=lambda p: p.scored.value)
    assert best.scored.item.title in summary


def test_the_summary_gives_the_planners_reason_not_a_better_sounding_one() -> None:
    """An item skipped for capacity is not said to lose to "higher-value work": in the example, what
    takes the time is worth less than the ledger right-sizing (a deadline, a pin, work in progress)."""
    backlog = load_example()
    plan = build_plan(backlog, today=date(2026, 12, 15))
    summary = next(
        p for p in render_markdown(backlog, today=date(2026, 12, 15)).split("\n\n") if " I will not do " in p
    )
    skipped = next(lt for lt in plan.later if lt.id == "rightsize-ledger-db")
    assert "capacity" in skipped.reason
    need = skipped.reason.partition(": ")[2]
    assert (
        f"Right-size the ledger database cluster, because the time left goes to the work planned ({need})"
        in summary
    )
    assert "higher-value" not in summary


def test_the_summary_says_which_work_is_too_big_and_which_waits_for_time() -> None:
    week = HEAD.replace('title = "T"\n', 'title = "T"\n\n[capacity]\ndays_30 = 1\ndays_60 = 0\ndays_90 = 0\n')
    backlog = parse_backlog(
        week
        + item("p", "impact = { revenue = 1000 }\n")
        + item("w", "impact = { revenue = 500 }\n")
        + item("big", "impact = { revenue = 800 }\n", effort="2")
        + item("d", 'impact = { revenue = 300 }\nstatus = "deferred"\n')
    )
    summary = next(p for p in render_markdown(backlog).split("\n\n") if " I will not do " in p)
    assert "Item big, because it is bigger than all the time there is in 90 days" in summary
    assert (
        "Item w, because the time left goes to the work planned (needs 1 wk, 0 wk left by day 90)" in summary
    )
    assert "Item d, because it is deferred" in summary


def test_value_headline_separates_cash_from_other_value() -> None:
    text = HEAD.replace(
        "[stakeholders.cfo]",
        '[metrics.nps]\nlabel = "NPS"\nvalue_per_unit = 10.0\nkind = "other"\n\n[stakeholders.cfo]',
    )
    text += item("a", "impact = { revenue = 1000, nps = 30 }\n")
    backlog = parse_backlog(text)
    split = value_split(backlog, list(backlog.items))
    assert (split.cash, split.other) == (1000.0, 300.0)
    out = render_markdown(backlog)
    assert "**Value of the planned work once done:** \\$1.3k/yr: \\$1k/yr cash" in out
    assert "\\$300/yr other priced value (NPS: worth money, not cash)" in out
    only_cash = render_markdown(parse_backlog(HEAD + item("a", "impact = { revenue = 1000 }\n")))
    assert "(all of it cash: money that reaches the P&L)" in only_cash


def test_summary_when_nothing_has_a_value() -> None:
    text = render_markdown(
        parse_backlog(HEAD.replace("value_per_unit = 1.0\n", "") + item("a", "impact = { revenue = 5 }\n"))
    )
    assert (
        "In the next 90 days I will not start any item of this backlog. Nothing in the backlog has"
        " a value yet" in text
    )
