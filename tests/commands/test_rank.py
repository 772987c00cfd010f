"""`fulcrum rank`: the table, the JSON and CSV contracts, options and every way input can be bad."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from backlogs import HEAD, priced_item, write
from fulcrum.backlog import load_backlog
from fulcrum.scoring import score_backlog

HOSTILE = """\
[backlog]
title = "Hostile"

[metrics.revenue]
label = "Revenue"
value_per_unit = 1

[stakeholders.boss]
name = "B"
cares_about = ["revenue"]

[[items]]
id = "markup"
title = "[bold red]not bold[/] [@click=app.quit]x[/]"
requested_by = ["boss"]
effort = 1
impact = {{ revenue = 3000 }}

[[items]]
id = "formula"
title = "=HYPERLINK(\\"http://evil\\", \\"click\\")"
effort = 1
impact = {{ revenue = 2000 }}

[[items]]
id = "quote"
title = "He said \\"hi\\", then\\tleft"
effort = 1
impact = {{ revenue = 1000 }}
fields = {{ k = {k} }}
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    p = tmp_path / "hostile.toml"
    p.write_text(HOSTILE.format(k=0), encoding="utf-8")
    return p


def test_table_lists_every_open_item_with_human_numbers(cli, golden_toml) -> None:
    code, out, err = cli("rank", golden_toml)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "#",
        "id",
        "title",
        "quadrant",
        "value/yr",
        "effort",
        "feas.",
        "score",
        "requested",
        "by",
    ]
    rows = lines[2:7]
    assert [r.split()[1] for r in rows] == ["a", "c", "d", "g", "b"]
    assert "Cheap cloud saving" in rows[0] and "Quick win" in rows[0] and "$36k" in rows[0]
    assert "0.84" in rows[0] and "1 wk" in rows[0] and rows[0].endswith("cfo")
    assert "$210k" in rows[2] and "9 wk" in rows[2] and "Big bet" in rows[2]
    assert "Money pit" in rows[4] and "$17.5k" in rows[4]
    assert "quick win: value >= $36k (median) and feasibility >= 0.50" in out
    assert "not ranked: e (done), f (dropped)" in out


def test_table_shows_user_text_literally(cli, hostile) -> None:
    code, out, _ = cli("rank", hostile)
    assert code == 0
    assert "[bold red]not bold[/] [@click=app.qu" in out  # clipped to the title width, never interpreted
    assert "\t" not in out
    assert "\x1b" not in out


def test_json_has_the_contract_keys_best_first_unrounded(cli, golden_toml) -> None:
    code, out, _ = cli("rank", golden_toml, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    want = {
        "rank",
        "id",
        "title",
        "value",
        "effort",
        "feasibility",
        "score",
        "quadrant",
        "confidence",
        "requested_by",
    }
    assert all(set(r) == want for r in rows)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    expected = score_backlog(load_backlog(golden_toml)).ranked
    assert [r["feasibility"] for r in rows] == [s.feasibility for s in expected]  # exact, not rounded
    assert rows[0]["requested_by"] == ["cfo"]


def test_json_reports_na_scores_as_null_with_the_reason(cli, hostile) -> None:
    code, out, _ = cli("rank", hostile, "--formula", "value / k", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows[-1]["score"] is None
    assert rows[-1]["id"] == "quote"
    assert rows[-1]["score_error"] == "division by zero"
    assert [r["id"] for r in rows[:-1]] == ["formula", "markup"]  # they lack k: n/a too, by id
    assert "this item has no field 'k'" in rows[0]["score_error"]


def test_json_is_ascii_so_no_user_byte_reaches_the_terminal_raw(cli, tmp_path) -> None:
    p = tmp_path / "u.toml"
    p.write_text(
        HOSTILE.format(k=1).replace("Hostile", "Ünïcødé").replace("not bold", "日本語"), encoding="utf-8"
    )
    code, out, _ = cli("rank", p, "--format", "json")
    assert code == 0 and out.isascii()
    assert "日本語" in json.loads(out)[0]["title"]


def test_csv_quotes_properly_and_defuses_spreadsheet_formulas(cli, hostile) -> None:
    code, out, _ = cli("rank", hostile, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["markup", "formula", "quote"]
    assert rows[1]["title"] == '\'=HYPERLINK("http://evil", "click")'
    assert rows[2]["title"] == 'He said "hi", then\tleft'  # data kept exactly; commas and quotes quoted
    assert rows[0]["requested_by"] == "boss"
    assert float(rows[0]["value"]) == 3000.0 and rows[0]["score"] == "3000.0"


def test_csv_guard_leaves_negative_numbers_alone(cli, golden_toml) -> None:
    code, out, _ = cli("rank", golden_toml, "--lens", "cfo", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["id"] == "b" and rows[-1]["value"] == "-5000.0"


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_top_limits_the_output(cli, golden_toml, fmt: str) -> None:
    code, out, _ = cli("rank", golden_toml, "--top", "2", "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert [r["id"] for r in json.loads(out)] == ["a", "c"]
    elif fmt == "csv":
        assert [r["id"] for r in csv.DictReader(io.StringIO(out))] == ["a", "c"]
    else:
        assert "showing the top 2 of 5" in out and " d " not in out


def test_lens_and_method_options_rerank(cli, golden_toml) -> None:
    _, out, _ = cli("rank", golden_toml, "--lens", "pm", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == ["c", "b", "g", "a", "d"]
    _, out, _ = cli("rank", golden_toml, "--formula", "value", "--format", "json")
    assert [r["id"] for r in json.loads(out)] == ["d", "c", "a", "b", "g"]
    _, out, _ = cli("rank", golden_toml, "--formula", "feasibility")
    assert "method formula: feasibility" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lens", "ceo"], "unknown lens 'ceo'; use one of: everyone, cfo, pm"),
        (["--method", "magic"], "invalid choice: 'magic' (choose from"),
        (["--method", "rice"], "item 'a': missing reach, impact"),
        (["--formula", "valeu / effort"], "did you mean 'value'?"),
        (["--formula", "__import__('os')"], "unknown function '__import__'"),
        (["--method", "ice", "--formula", "value"], "not allowed with argument"),
        (["--top", "0"], "must be at least 1, got 0"),
        (["--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(cli, golden_toml, args: list[str], message: str) -> None:
    code, out, err = cli("rank", golden_toml, *args)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_bad_files_exit_2_naming_the_file(cli, tmp_path) -> None:
    code, _, err = cli("rank", tmp_path / "missing.toml")
    assert code == 2 and "missing.toml" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[backlog]\ntitle = "t"\n[[items]]\nid = "a"\ntitle = "A"\neffort = -1\n')
    code, _, err = cli("rank", bad)
    assert code == 2 and "bad.toml:6" in err and "effort" in err


def test_unknown_name_in_the_file_formula_exits_2_with_its_line(cli, tmp_path) -> None:
    p = tmp_path / "f.toml"
    p.write_text('[backlog]\ntitle = "t"\n[scoring]\nmethod = "formula"\nformula = "valu * 2"\n')
    code, _, err = cli("rank", p)
    assert code == 2
    assert "f.toml:5:1: scoring.formula:" in err and "unknown name 'valu'" in err


def test_no_open_items(cli, tmp_path) -> None:
    p = tmp_path / "e.toml"
    p.write_text('[backlog]\ntitle = "t"\n')
    assert cli("rank", p, "--format", "json")[:2] == (0, "[]\n")
    code, out, _ = cli("rank", p)
    assert code == 0 and "no open items to rank" in out


def test_commands_leave_garbage_collection_as_they_found_it(cli, golden_toml) -> None:
    import gc

    assert gc.isenabled()
    assert cli("rank", golden_toml)[0] == 0
    assert cli("explain", golden_toml, "zz")[0] == 2
    assert gc.isenabled()
    gc.disable()
    try:
        cli("rank", golden_toml)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_cli_names_a_tiny_effort_instead_of_crashing(cli, tmp_path) -> None:
    path = write(tmp_path, HEAD.replace("1.0", "1e9") + priced_item("a", effort="1e-300"))
    code, out, err = cli("rank", path, "--format", "json")
    assert code == 2 and out == ""
    assert "item 'a' effort: " in err and "Traceback" not in err


@pytest.mark.parametrize("mark", ["\u200b", "\u200d", "\ufe0f", "\u2060", "\ufeff"])
def test_rank_columns_line_up_around_zero_width_characters(cli, tmp_path, golden_toml, mark) -> None:
    text = golden_toml.read_text().replace('title = "Cheap cloud saving"', f'title = "Cheap{mark} saving"')
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("rank", path)
    assert code == 0
    lines = out.splitlines()
    header = lines[0]
    # Joiners and variation selectors stay (emoji need them); invisible ones are shown escaped.
    shown = mark if mark in "\u200d\ufe0f" else f"\\u{ord(mark):04x}"
    row = next(line for line in lines if f"Cheap{shown} saving" in line)
    # The quadrant column starts where its head does, counting cells (a kept mark takes none).
    quadrant_at = row.index("Quick win")
    assert quadrant_at - (1 if shown == mark else 0) == header.index("quadrant")
