"""`fulcrum import` as a user runs it: a new backlog, re-imports, dry runs, bad exports."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from backlogs import HEAD, item

FIXTURES = Path(__file__).parent / "fixtures"
JIRA = FIXTURES / "jira.csv"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_new_backlog_from_an_export_passes_check_and_its_review_says_what_to_fill_in(
    cli, tmp_path: Path
) -> None:
    into = tmp_path / "backlog.toml"
    code, out, err = cli("import", "jira", JIRA, "--into", into)
    assert code == 0, err
    assert "7 added" in out and "a new backlog from the starter was written" in out
    assert "estimate the effort of 1 item (pay-105)" in out
    assert "give 5 items (pay-101, pay-102, pay-103, pay-105, pay-107) a value case" in out
    assert _files(tmp_path) == ["backlog.toml"]  # no backup, no temporary file
    text = into.read_text()
    assert "cheap-saving" not in text  # the starter's example items are not kept
    code, out, _ = cli("check", into)
    assert code == 0
    assert "item 'pay-105' effort: effort not estimated" in out
    assert out.count("needs a value case") == 5  # the done and dropped issues are not reviewed


def test_a_second_identical_import_changes_no_byte(cli, tmp_path: Path) -> None:
    into = tmp_path / "b.toml"
    assert cli("import", "jira", JIRA, "--into", into)[0] == 0
    before = into.read_bytes()
    stat = os.stat(into)
    code, out, _ = cli("import", "jira", JIRA, "--into", into)
    assert code == 0 and "7 unchanged" in out and "nothing to write" in out
    assert into.read_bytes() == before and os.stat(into).st_mtime_ns == stat.st_mtime_ns
    assert _files(tmp_path) == ["b.toml"]


def test_dry_run_prints_the_changes_and_writes_nothing(cli, tmp_path: Path) -> None:
    into = tmp_path / "b.toml"
    code, out, _ = cli("import", "github", FIXTURES / "github.json", "--into", into, "--dry-run")
    assert code == 0 and "5 would add" in out and "dry run: nothing written" in out
    assert "payments-16  acme/payments#16  [b]Bold[/b]" in out
    assert _files(tmp_path) == []
    into.write_text(HEAD + item("a"))
    before = into.read_bytes()
    code, out, _ = cli("import", "linear", FIXTURES / "linear.csv", "--into", into, "--dry-run")
    assert code == 0 and "eng-42" in out and into.read_bytes() == before


def test_user_edits_survive_a_reimport_byte_for_byte(cli, tmp_path: Path) -> None:
    into = tmp_path / "b.toml"
    cli("import", "jira", JIRA, "--into", into)
    edited = (
        into.read_text()
        .replace(
            'id = "pay-102"\n', 'id = "pay-102"  # the dashboard\nrequested_by = ["pm"]\nconfidence = 0.7\n'
        )
        .replace("effort = 0.6\n", "effort = { low = 1, likely = 2, high = 5 }\n")
        .replace(
            'source = { system = "jira", key = "PAY-102" }\n',
            'source = { system = "jira", key = "PAY-102" }\n[items.impact]\nrevenue = 40_000\n'
            '[items.evidence]\nrevenue = "Support: 30 tickets a week"\n',
        )
    )
    into.write_text(edited)
    export = tmp_path / "export.csv"
    export.write_bytes(JIRA.read_bytes().replace(b"Show the retry schedule", b"Show the retry plan"))
    code, out, err = cli("import", "jira", export, "--into", into)
    assert code == 0, err
    assert "PAY-102  title: 'Show the retry schedule in the dashboard' -> 'Show the retry plan" in out
    assert into.read_text() == edited.replace("Show the retry schedule", "Show the retry plan")


def test_missing_issues_are_reported_and_kept(cli, tmp_path: Path) -> None:
    into = tmp_path / "b.toml"
    cli("import", "jira", JIRA, "--into", into)
    rows = list(csv.reader(io.StringIO(JIRA.read_text(), newline="")))
    export = tmp_path / "fewer.csv"
    with export.open("w", newline="") as f:
        csv.writer(f).writerows(r for r in rows if r[1] != "PAY-107")
    before = into.read_text()
    code, out, _ = cli("import", "jira", export, "--into", into)
    assert code == 0 and "1 missing from the export (kept)" in out and "pay-107  PAY-107" in out
    assert into.read_text() == before


@pytest.mark.parametrize(
    ("system", "content", "expected"),
    [
        ("jira", b"", "the file is empty; expected a Jira CSV export"),
        ("jira", json.dumps([{"number": 1, "title": "x"}]).encode(), "this looks like JSON, not CSV"),
        ("linear", b"\x00\x01\x02binary", "not a text file (it holds binary data)"),
        ("github", JIRA.read_bytes(), "not JSON (it looks like CSV or text)"),
        ("jira", b"Name,Title\nx,y\n", "its first line has no column 'Issue key' and no 'Summary'"),
    ],
)
def test_an_export_that_is_not_the_named_format_exits_2_and_leaves_the_backlog(
    cli, tmp_path: Path, system: str, content: bytes, expected: str
) -> None:
    into = tmp_path / "b.toml"
    into.write_text(HEAD + item("a"))
    before = into.read_bytes()
    export = tmp_path / "export.bin"
    export.write_bytes(content)
    code, out, err = cli("import", system, export, "--into", into)
    assert code == 2 and out == ""
    assert err.startswith(f"fulcrum import: {export}: ") and expected in err
    assert "is unchanged" in err and "Traceback" not in err
    assert into.read_bytes() == before and _files(tmp_path) == ["b.toml", "export.bin"]


def test_missing_export_and_invalid_backlog_exit_2(cli, tmp_path: Path) -> None:
    code, _, err = cli("import", "jira", tmp_path / "nope.csv", "--into", tmp_path / "b.toml")
    assert code == 2 and "nope.csv: no such file" in err and _files(tmp_path) == []
    bad = tmp_path / "bad.toml"
    bad.write_text("[backlog]\ntittle = 'x'\n")
    code, _, err = cli("import", "jira", JIRA, "--into", bad)
    assert code == 2 and "unknown key 'tittle'" in err
    assert bad.read_text() == "[backlog]\ntittle = 'x'\n"


def test_control_characters_in_a_title_are_removed_and_said(cli, tmp_path: Path) -> None:
    export = tmp_path / "e.json"
    hostile = "Fix \x1b]0;pwned\x07 the\nbuild " + "y" * 600
    export.write_text(json.dumps([{"number": 3, "title": hostile, "state": "OPEN", "url": ""}]))
    into = tmp_path / "b.toml"
    code, out, _ = cli("import", "github", export, "--into", into)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "#3 title: control characters removed" in out and "cut to 500" in out
    assert cli("check", into)[0] == 0
