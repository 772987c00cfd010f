"""Fixes in the printing commands: matrix size limits, shared argparse pieces, over-capacity wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# Capacity 1/1/1 and two `doing` items of 2 wk, one pinned to day 60: every phase is over capacity,
# and by day 90 the earlier phases have used more than all capacity to date (JSON available < 0).
OVER = """\
[backlog]
title = "Over"
owner = "T"
start = 2027-01-04

[capacity]
days_30 = 1
days_60 = 1
days_90 = 1

[metrics.revenue]
label = "Revenue"
unit = "USD/yr"
value_per_unit = 1.0
source = "plan"

[[items]]
id = "x"
title = "Doing one"
status = "doing"
effort = 2
[items.impact]
revenue = 10_000

[[items]]
id = "y"
title = "Doing two"
status = "doing"
effort = 2
phase = 60
[items.impact]
revenue = 10_000
"""


@pytest.fixture
def over_toml(tmp_path: Path) -> Path:
    path = tmp_path / "over.toml"
    path.write_text(OVER, encoding="utf-8")
    return path


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


# --- matrix: the chart's size has a ceiling --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--width", "1001"], "argument --width: must be at most 1000, got 1001"),
        (["--height", "501"], "argument --height: must be at most 500, got 501"),
    ],
)
def test_matrix_refuses_huge_sizes(cli, golden_toml, args, message) -> None:
    code, out, err = cli("matrix", golden_toml, *args)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_matrix_largest_size_is_accepted(cli, golden_toml) -> None:
    code, out, _ = cli("matrix", golden_toml, "--width", "1000", "--height", "40")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) == 1000


class _Built(Exception):
    pass


def test_matrix_clamps_a_huge_terminal(monkeypatch, golden_toml) -> None:
    import os
    import shutil

    import fulcrum.output
    from fulcrum.backlog.load import load_backlog
    from fulcrum.commands.matrix import MAX_HEIGHT, MAX_WIDTH, render
    from fulcrum.scoring.rank import score_backlog

    sizes: list[tuple[int, int]] = []

    def spy(ranking, width, height, **kw):  # record the size asked for; drawing it is not the point
        sizes.append((width, height))
        raise _Built

    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=(80, 24): os.terminal_size((10**5, 10**5))
    )
    monkeypatch.setattr(fulcrum.output, "build", spy)
    ranking = score_backlog(load_backlog(golden_toml))
    for width, height in [(None, None), (10**5, 10**5)]:
        with pytest.raises(_Built):
            render(ranking, width, height, color=False)
    assert sizes == [(MAX_WIDTH, MAX_HEIGHT), (MAX_WIDTH, MAX_HEIGHT)]


# --- shared argparse pieces and terminal cells -----------------------------------------------------


def test_shared_date_and_number_types() -> None:
    import argparse
    from datetime import date

    from fulcrum.commands._args import iso_date, whole_number

    assert iso_date("2027-01-04") == date(2027, 1, 4)
    with pytest.raises(argparse.ArgumentTypeError, match="is not a date; use YYYY-MM-DD"):
        iso_date("2027-02-30")
    assert whole_number(1, 3)("3") == 3
    for bad, why in [("0", "at least 1"), ("4", "at most 3"), ("x", "not a whole number")]:
        with pytest.raises(argparse.ArgumentTypeError, match=why):
            whole_number(1, 3)(bad)


@pytest.mark.parametrize("command", ["rank", "plan", "matrix", "export", "explain"])
def test_commands_share_one_lens_option(command) -> None:
    import argparse
    import importlib

    parser = argparse.ArgumentParser()
    importlib.import_module(f"fulcrum.commands.{command}").add_arguments(parser)
    lens = next(a for a in parser._actions if a.dest == "lens")
    assert lens.help == "value through a stakeholder's eyes (default: everyone)"


@pytest.mark.parametrize("mark", ["\u200b", "\u200d", "\ufe0f", "\u2060", "\ufeff"])
def test_rank_columns_line_up_around_zero_width_characters(cli, tmp_path, golden_toml, mark) -> None:
    text = golden_toml.read_text().replace('title = "Cheap cloud saving"', f'title = "Cheap{mark} saving"')
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("rank", path)
    assert code == 0
    lines = out.splitlines()
    header = lines[0]
    row = next(line for line in lines if f"Cheap{mark} saving" in line)
    # The quadrant column starts where its head does, counting cells (the mark takes none).
    quadrant_at = row.index("Quick win")
    assert quadrant_at - 1 == header.index("quadrant")
