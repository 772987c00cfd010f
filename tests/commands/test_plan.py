"""`fulcrum plan FILE [--lens KEY] [--start DATE] [--format table|json]`.

The JSON contract, --start and --lens, the table's lines, literal user text and wide characters
aligned, over-capacity wording (repro: capacity 1/1/1 and two `doing` items of 2 wk, one pinned to
day 60: JSON keeps the signed availability, the table never shows a negative one), a start at the
end of the calendar, bad options and files (exit 2).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from backlogs import HEAD, OVER, priced_item, write


def test_json_is_the_contract(cli, golden_toml, golden_json):
    code, out, err = cli("plan", golden_toml, "--format", "json")
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert got["objective"] == pytest.approx(golden_json("plan_optimum.json")["optimum"], rel=1e-12)
    assert [(p["phase"], p["end"], p["items"]) for p in got["phases"]] == [
        (30, "2027-02-02", ["a", "g"]),
        (60, "2027-03-04", []),
        (90, "2027-04-03", ["b"]),
    ]
    for phase in got["phases"]:
        assert {"phase", "end", "capacity", "used", "items"} <= set(phase)
    assert [x["id"] for x in got["later"]] == ["c", "d", "e", "f"]
    assert [(s["stakeholder"], s["name"], s["influence"], s["met"]) for s in got["listening_tour"]] == [
        ("cfo", "C", 5, None),
        ("pm", "P", 3, None),
    ]


def test_start_and_lens_options(cli, golden_toml):
    code, out, _ = cli("plan", golden_toml, "--format", "json", "--start", "2030-01-01", "--lens", "cfo")
    got = json.loads(out)
    assert code == 0
    assert (got["start"], got["lens"]) == ("2030-01-01", "cfo")
    assert [p["end"] for p in got["phases"]] == ["2030-01-30", "2030-03-01", "2030-03-31"]


def test_table_says_what_where_and_why(cli, golden_toml):
    code, out, _ = cli("plan", golden_toml)
    assert code == 0
    assert "First-year value, counted from the end of each phase: $48.1k (proven optimal)" in out
    assert "Early wins: 1 quick win(s) in the first 30 days (1 required); the rule costs $3.12k" in out
    assert "1. C (CFO, influence 5)  NOT MET yet: meet by 2027-02-02" in out
    assert "Days 1-30 (until 2027-02-02): 1.5 wk used of 2 wk available (2 wk in this phase)" in out
    row = next(line for line in out.splitlines() if line.startswith("  a "))
    assert row.split()[:6] == ["a", "Cheap", "cloud", "saving", "-", "2027-02-02"]
    assert row.endswith("Quick win; early win; for C; not met yet: C")
    assert "  c: does not fit the remaining capacity: needs 2 wk, 1.5 wk left by day 90" in out
    assert "  f: dropped" in out


def test_user_text_is_shown_literally(cli, tmp_path, golden_toml):
    # Control characters never load (see test_load); markup and wide text are shown as written.
    title = "[bold red]boom[/] 日本語のタイトル"
    text = golden_toml.read_text().replace('title = "Cheap cloud saving"', f'title = "{title}"')
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("plan", path)
    assert code == 0
    assert title in out
    header = next(line for line in out.splitlines() if line.startswith("  id "))
    row = next(line for line in out.splitlines() if line.startswith("  a "))
    # Wide characters take two cells: the owner column ("-": none) still lines up.
    owner_at = row.index("  -  ") + 2
    cells = owner_at + sum(1 for ch in row[:owner_at] if unicodedata.east_asian_width(ch) == "W")
    assert cells == header.index("owner")


def test_over_capacity_and_warnings_are_shown(cli, tmp_path, golden_toml):
    text = golden_toml.read_text().replace('id = "d"\n', 'id = "d"\nphase = 30\n')
    path = tmp_path / "b.toml"
    path.write_text(text)
    code, out, _ = cli("plan", path)
    assert code == 0
    assert "OVER CAPACITY" in out
    assert "Warnings:\n  ! day 30 is over capacity" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lens", "nobody"], "unknown lens 'nobody'"),
        (["--start", "2027-02-30"], "is not a date; use YYYY-MM-DD"),
        (["--format", "xml"], "invalid choice"),
    ],
)
def test_bad_options_exit_2(cli, golden_toml, args, message):
    code, out, err = cli("plan", golden_toml, *args)
    assert code == 2
    assert out == ""
    assert message in err


def test_bad_file_exits_2(cli, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[backlog]\ntitle = "x"\n[[items]]\nid = "a"\ntitle = "A"\neffort = -1\n')
    code, out, err = cli("plan", path)
    assert code == 2
    assert out == ""
    assert "effort" in err and "Traceback" not in err


# --- start dates at the end of the calendar -------------------------------------------------------


@pytest.mark.parametrize("command", ["plan", "export"])
def test_start_at_the_end_of_the_calendar_exits_2_with_a_message(cli, tmp_path, command: str) -> None:
    path = write(tmp_path, HEAD + priced_item())
    code, out, err = cli(command, path, "--start", "9999-12-31")
    assert code == 2 and out == ""
    assert "9999-12-31" in err and "between 1900 and 9000" in err and "Traceback" not in err


def test_a_start_at_the_end_of_the_calendar_in_the_file_is_a_load_error(cli, tmp_path) -> None:
    path = write(tmp_path, HEAD.replace('title = "T"', 'title = "T"\nstart = 9999-11-15') + priced_item())
    code, _, err = cli("plan", path)
    assert code == 2 and "backlog.start" in err and "Traceback" not in err


# --- over capacity: signed availability in JSON, never negative in the table ----------------------


# Capacity 1/1/1 and two `doing` items of 2 wk, one pinned to day 60: every phase is over capacity,
# and by day 90 the earlier phases have used more than all capacity to date (JSON available < 0).


@pytest.fixture
def over_toml(tmp_path: Path) -> Path:
    path = tmp_path / "over.toml"
    path.write_text(OVER, encoding="utf-8")
    return path


def test_a_pool_over_capacity_is_named_when_the_phase_has_room(cli, tmp_path):
    """Your pinned work over your capacity, a team with room: the phase line says which pool is
    over, never that the phase's total is (2 wk planned of 5 wk is not over)."""
    text = OVER.replace('title = "Doing one"', 'title = "Doing one"\nowner = "me"').replace(
        "[metrics.revenue]", '[teams.ops]\nname = "Ops team"\ncapacity = { days_30 = 4 }\n\n[metrics.revenue]'
    )
    path = tmp_path / "pool.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("plan", path)
    assert code == 0
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("Days 1-30"))
    assert lines[at].startswith("Days 1-30 (until 2027-02-02): 2 wk used of 5 wk available")
    assert lines[at + 1] == "  OVER CAPACITY in one pool: you (2 wk used of 1 wk available)"
    assert "day 30 is over your capacity" in out


def test_over_capacity_json_keeps_signed_available(cli, over_toml):
    code, out, _ = cli("plan", over_toml, "--format", "json")
    assert code == 0
    got = json.loads(out)
    assert [(p["capacity"], p["available"], p["used"]) for p in got["phases"]] == [
        (1.0, 1.0, 2.0),
        (1.0, 0.0, 2.0),
        (1.0, -1.0, 0.0),
    ]


def test_over_capacity_warnings_compare_planned_with_capacity_to_date(cli, over_toml):
    code, out, _ = cli("plan", over_toml, "--format", "json")
    assert code == 0
    assert json.loads(out)["warnings"] == [
        "day 30 is over capacity: 2 wk planned by day 30, 1 wk of capacity by then "
        "(1 wk over; pinned or in-progress work)",
        "day 60 is over capacity: 4 wk planned by day 60, 2 wk of capacity by then "
        "(2 wk over; pinned or in-progress work)",
        "day 90 is over capacity: 4 wk planned by day 90, 3 wk of capacity by then "
        "(1 wk over; pinned or in-progress work)",
    ]


def test_over_capacity_table_never_shows_negative_and_agrees_with_json(cli, over_toml):
    code, out, _ = cli("plan", over_toml)
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith(("Days ", "  OVER"))]
    assert heads == [
        "Days 1-30 (until 2027-02-02): 2 wk used of 1 wk available (1 wk in this phase)",
        "  OVER CAPACITY: 2 wk planned by day 30, 1 wk of capacity by then",
        "Days 31-60 (until 2027-03-04): 2 wk used of 0 wk available "
        "(1 wk in this phase, less the 1 wk earlier phases ran over)",
        "  OVER CAPACITY: 4 wk planned by day 60, 2 wk of capacity by then",
        "Days 61-90 (until 2027-04-03): 0 wk used of 0 wk available "
        "(1 wk in this phase, less the 2 wk earlier phases ran over)",
        "  OVER CAPACITY: 4 wk planned by day 90, 3 wk of capacity by then",
    ]
    assert "-1 wk" not in out
