"""`fulcrum check`: the example's deliberate warnings, --strict, invalid files (every problem and a
summary, exit 2), terminal-safe output, warnings in line order."""

from __future__ import annotations

import re

from backlogs import COST_HEAD, HEAD, priced_item, titled_item, write
from fulcrum.backlog import load_example
from fulcrum.scoring import review


def test_the_example_passes_check_with_its_deliberate_warnings(cli, example_toml) -> None:
    code, out, err = cli("check", example_toml)
    assert code == 0 and err == ""
    warned = {(w.kind, w.item) for w in review(load_example())}
    assert ("no_evidence", "sca-exemptions") in warned  # a big number with no source
    assert ("metric_unpriced", None) in warned  # ticket_minutes has no price
    last = out.strip().split("\n")[-1]
    assert last.startswith(f"{example_toml}: valid; 19 items (16 open), 5 stakeholders, 6 metrics;")
    assert f"{len(warned)} warnings" in last
    assert f"{example_toml}:" in out.split("\n")[0] and "warning: item " in out


def test_strict_turns_warnings_into_exit_1(cli, example_toml) -> None:
    assert cli("check", example_toml, "--strict")[0] == 1


def test_a_clean_backlog_exits_0_even_when_strict(cli, tmp_path) -> None:
    path = tmp_path / "clean.toml"
    path.write_text(COST_HEAD + titled_item("a", "impact = { revenue = 1_000 }"))
    code, out, _ = cli("check", path, "--strict")
    assert code == 0 and "0 warnings" in out


def test_invalid_exits_2_with_every_problem_and_a_summary_on_stderr(cli, tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(COST_HEAD + titled_item("a", "phase = 45") + titled_item("b", 'depends_on = ["x"]'))
    code, out, err = cli("check", path, "--strict")
    assert code == 2 and out == ""
    assert "item 'a' phase: " in err and "item 'b' depends_on (the 1st entry): unknown item 'x'" in err
    assert err.rstrip().endswith("invalid: 2 problems; fix them and run check again")
    path.write_text(COST_HEAD + titled_item("a", "phase = 45"))
    assert cli("check", path)[2].rstrip().endswith("invalid: 1 problem; fix it and run check again")


def test_a_missing_file_says_no_such_file_and_nothing_about_problems(cli, tmp_path) -> None:
    code, out, err = cli("check", tmp_path / "nope.toml")
    assert code == 2 and out == ""
    hint = "(create one with `fulcrum init`, or try `fulcrum --demo`)"
    assert err == f"{tmp_path / 'nope.toml'}: no such file {hint}\n"
    code, _, err = cli("check", tmp_path)
    assert code == 2 and err == f"{tmp_path}: is a directory, not a backlog file\n"


def test_items_are_named_one_way_by_id_or_by_their_place_when_the_id_cannot_name_them(cli, tmp_path) -> None:
    text = COST_HEAD + titled_item("a", "needs = [1]") + titled_item("a", "phase = 45")
    text += '\n[[items]]\ntitle = "no id"\neffort = 0\n' + titled_item("bad id")
    path = tmp_path / "b.toml"
    path.write_text(text)
    _, _, err = cli("check", path)
    heads = [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith(str(path) + ":")]
    assert heads[:-1] == [
        "item 'a' (the 1st [[items]]) needs (the 1st entry): expected a string, got the number 1",
        "item 'a' (the 2nd [[items]]) id: duplicate id 'a': the 1st [[items]] has it already",
        "item 'a' (the 2nd [[items]]) phase: phase is 45; it must be 30, 60 or 90",
        "the 3rd [[items]] id: required but missing",
        "the 3rd [[items]] effort: effort is 0 person-weeks; it must be at least 0.01 (about 25 minutes)",
        "item 'bad id' (the 4th [[items]]) id: 'bad id' is not a valid key or id: use letters, digits, "
        "'-', '_' or '.', starting with a letter or digit, at most 64 characters",
    ]
    assert "#" not in err and "items[" not in err


def test_a_method_the_items_cannot_be_scored_by_is_invalid_with_the_item_line(cli, tmp_path) -> None:
    text = (
        COST_HEAD
        + "\n[scoring]\nmethod = 'rice'\n"
        + titled_item("a", "fields = { reach = 1, impact = 2 }")
        + titled_item("b")
    )
    path = tmp_path / "rice.toml"
    path.write_text(text)
    code, _, err = cli("check", path)
    line = text.split("\n").index('id = "b"')  # the [[items]] header is the line before
    assert code == 2
    assert f"{path}:{line}:1: item 'b'" in err and "missing reach, impact" in err


def test_check_output_is_terminal_safe(cli, tmp_path) -> None:
    path = tmp_path / "esc.toml"
    path.write_text(COST_HEAD + titled_item("a", 'depends_on = ["\\u001b[2J"]'))
    code, _, err = cli("check", path)
    assert code == 2 and "\x1b" not in err


def test_check_prints_warnings_in_line_order(cli, tmp_path, example_toml) -> None:
    for path in (
        str(example_toml),
        write(
            tmp_path,
            HEAD.replace('source = "plan"\n', "")  # metric-level warning near the top
            + priced_item("a").replace('requested_by = ["cfo"]\n', "")
            + priced_item("b")
            + priced_item("c").replace('requested_by = ["cfo"]\n', ""),
        ),
    ):
        code, out, _ = cli("check", path)
        assert code == 0
        lines = [int(m.group(1)) for m in re.finditer(r":(\d+): warning:", out)]
        assert len(lines) >= 3 and lines == sorted(lines), out
