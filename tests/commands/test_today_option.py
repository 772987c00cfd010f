"""`--today DATE` of `plan`, `export` and the TUI, and the default (the current date, or
SOURCE_DATE_EPOCH's day when set; tests/conftest.py pins it before every test's start)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from backlogs import write

TEXT = """\
[backlog]
title = "T"
start = 2027-01-04

[capacity]
days_30 = 2
days_60 = 2
days_90 = 2

[teams.ops]
name = "Ops team"
capacity = { days_60 = 2 }

[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0

[[items]]
id = "a"
title = "Alpha"
effort = 1
impact = { revenue = 50_000 }

[[items]]
id = "o"
title = "Ops work"
effort = 1
team = "ops"
impact = { revenue = 40_000 }

[[items]]
id = "d"
title = "Done thing"
effort = 2
status = "done"
done_on = 2027-01-10
actual_effort = 1
"""


def test_plan_json_as_of_the_middle_of_phase_60(cli, tmp_path: Path) -> None:
    code, out, err = cli("plan", write(tmp_path, TEXT), "--format", "json", "--today", "2027-02-18")
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert (got["today"], got["day"]) == ("2027-02-18", 46)
    assert [(p["phase"], p["past"], p["share"]) for p in got["phases"]] == [
        (30, True, 0.0),
        (60, False, 0.5),
        (90, False, 1.0),
    ]
    assert got["phases"][0]["history"][0]["id"] == "d"
    assert got["phases"][1]["pools"] == {
        "you": {"capacity": 1.0, "available": 1.0, "used": 1.0},
        "ops": {"capacity": 1.0, "available": 1.0, "used": 1.0},
    }
    assert {i["id"]: i["pool"] for i in got["items"]} == {"a": "you", "o": "ops"}
    assert got["accuracy"]["overall"] == 0.5


def test_plan_table_as_of_today(cli, tmp_path: Path) -> None:
    code, out, _ = cli("plan", write(tmp_path, TEXT), "--today", "2027-02-18")
    assert code == 0
    assert "the 30-60-90 plan from 2027-01-04, as of 2027-02-18, day 46 of 90" in out
    assert "Days 1-30 (until 2027-02-02): ended; history, not re-planned" in out
    assert "  done 2027-01-10: d [you], estimated 2 wk, took 1 wk: 0.50x the estimate (50% under)" in out
    assert "Estimate accuracy so far: 0.50x the estimate (50% under)" in out
    assert "2 wk used of 2 wk available (2 wk, the 50% of this phase still to come)" in out
    pools = [line.split() for line in out.splitlines() if line.startswith(("  you ", "  Ops team "))]
    assert pools[:2] == [["you", "1", "wk", "1", "wk"], ["Ops", "team", "1", "wk", "1", "wk"]]


def test_export_as_of_today(cli, tmp_path: Path) -> None:
    code, out, _ = cli("export", write(tmp_path, TEXT), "--today", "2027-02-18")
    assert code == 0
    assert "- **As of:** 2027-02-18 (day 46 of 90): ended phases are history" in out
    assert "### Days 1-30 (until 2027-02-02): ended" in out
    assert "| Capacity pool | Used | Available |" in out
    assert "| Ops work | unassigned | Ops team |" in out


def test_the_default_is_the_current_date(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, TEXT)
    # tests/conftest.py pins SOURCE_DATE_EPOCH to 1970: before the start, so as of day 1.
    code, out, _ = cli("plan", path, "--format", "json")
    assert code == 0 and json.loads(out)["today"] == "2027-01-04"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int((date(2027, 2, 18) - date(1970, 1, 1)).total_seconds())))
    code, out, _ = cli("plan", path, "--format", "json")
    assert json.loads(out)["day"] == 46


@pytest.mark.parametrize("command", ["plan", "export"])
def test_a_bad_today_is_exit_2(cli, tmp_path: Path, command: str) -> None:
    code, out, err = cli(command, write(tmp_path, TEXT), "--today", "2027-02-30")
    assert code == 2 and out == ""
    assert "is not a date; use YYYY-MM-DD" in err and "Traceback" not in err


def test_the_tui_takes_today_from_the_command_line(cli, tmp_path: Path, monkeypatch) -> None:
    from fulcrum.ui import app as app_module

    seen: list[date | None] = []
    monkeypatch.setattr(app_module.FulcrumApp, "run", lambda self: seen.append(self._today))
    code, _, _ = cli(write(tmp_path, TEXT), "--today", "2027-02-18")
    assert code == 0 and seen == [date(2027, 2, 18)]


@pytest.mark.parametrize(
    ("today", "flag"),
    [
        ("2027-01-04", None),  # day 1: due on day 6, not late yet
        ("2027-01-09", None),  # its due date is today's tomorrow
        ("2027-01-12", "its own due date 2027-01-10 is before today (2027-01-12): overdue"),
    ],
)
def test_an_item_due_before_today_is_flagged_overdue(
    cli, tmp_path: Path, today: str, flag: str | None
) -> None:
    text = TEXT.replace('title = "Alpha"\n', 'title = "Alpha"\ndue = 2027-01-10\n')
    code, out, _ = cli("plan", write(tmp_path, text), "--format", "json", "--today", today)
    assert code == 0
    (alpha,) = [it for it in json.loads(out)["items"] if it["id"] == "a"]
    assert alpha["due_flag"] == flag
    code, out, _ = cli("plan", write(tmp_path, text), "--today", today)
    assert (flag is not None) == ("overdue" in out)
