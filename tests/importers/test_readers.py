"""The three readers on fixtures written from the trackers' documentation: quoting, multi-line
fields, repeated headers, unicode, closed issues, a blocking pair; and hostile text made safe."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from fulcrum.importers import READERS, ExportError, clean_line

FIXTURES = Path(__file__).parent / "fixtures"


def _read(system: str, name: str):
    path = FIXTURES / name
    return READERS[system](path.read_bytes(), str(path))


def _by_key(export):
    return {i.key: i for i in export.issues}


def test_jira_export_by_header_name_with_repeated_columns() -> None:
    export = _read("jira", "jira.csv")
    issues = _by_key(export)
    assert list(issues) == [f"PAY-{n}" for n in range(101, 108)]
    first = issues["PAY-101"]
    assert first.title == "Retry failed card payments, with backoff"  # a quoted comma
    assert first.status == "In Progress"
    assert first.owner == "Lena Ortiz"
    assert first.labels == ("payments", "reliability")  # two of three Labels columns filled
    assert first.points == 5  # Custom field (Story point estimate)
    assert first.due == date(2027, 1, 15)  # 15/Jan/27 12:00 AM
    assert first.blocks == ("PAY-102",)  # Outward issue link (Blocks)
    assert issues["PAY-102"].depends_on == ("PAY-101",)  # Inward issue link (Blocks)
    assert issues["PAY-103"].points == 13  # Custom field (Story Points), company-managed
    assert issues["PAY-103"].owner == "Jürgen Weiß"
    assert issues["PAY-104"].status == "Done"
    assert issues["PAY-105"].title == 'Fraud rules: block cards, "velocity" check, and more'
    assert issues["PAY-105"].points is None  # not estimated
    assert issues["PAY-105"].labels == ("fraud", "payments", "risk")
    assert issues["PAY-106"].title.startswith("決済ページ")
    assert issues["PAY-107"].points == 2.5
    assert export.notes == []


def test_linear_export_labels_joined_and_formula_quote_removed() -> None:
    issues = _by_key(_read("linear", "linear.csv"))
    eng42 = issues["ENG-42"]
    assert eng42.labels == ("performance", "backend")
    assert eng42.points == 3 and eng42.due == date(2026, 12, 20)
    assert eng42.url == "https://linear.app/acme/issue/ENG-42/cache-the-pricing-api"
    assert eng42.blocks == ("ENG-43",) and issues["ENG-43"].depends_on == ("ENG-42",)
    assert issues["ENG-43"].points is None
    assert issues["ENG-44"].title == '=HYPERLINK("http://evil.example","click")'  # Linear's ' removed
    assert issues["ENG-46"].labels == ("-billing",)
    assert issues["ENG-45"].title == "Drop IE11 polyfills 🎉" and issues["ENG-45"].status == "Done"
    assert issues["ENG-46"].status == "Canceled"


def test_github_json_objects_milestone_and_body_links() -> None:
    issues = _by_key(_read("github", "github.json"))
    k14 = issues["acme/payments#14"]
    assert k14.owner == "lortiz" and k14.labels == ("security", "audit")
    assert k14.due == date(2027, 1, 31)  # the milestone's dueOn
    assert k14.depends_on == ("acme/payments#12",)  # "Depends on #12" in the body
    assert issues["acme/payments#15"].depends_on == ("acme/payments#14", "acme/payments#12")
    assert issues["acme/payments#12"].status == "closed"
    assert issues["acme/payments#12"].owner == "amlima, lortiz"
    assert issues["acme/payments#16"].depends_on == ("acme/platform#7",)  # another repository
    assert issues["acme/payments#17"].status == "not planned"


def test_github_blocked_by_from_the_json_wins_over_the_body() -> None:
    data = [
        {
            "number": 1,
            "title": "a",
            "body": "Blocked by #3",
            "url": "https://github.com/o/r/issues/1",
            "blockedBy": [{"number": 2, "url": "https://github.com/o/r/issues/2"}],
            "blocking": {"nodes": [4]},
        },
    ]
    export = READERS["github"](json.dumps(data).encode(), "gh.json")
    assert export.issues[0].depends_on == ("o/r#2",)
    assert export.issues[0].blocks == ("o/r#4",)


def _jira_csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["Issue key", "Summary", "Status", "Description"])
    writer.writerows(rows)
    return buf.getvalue().encode()


def test_hostile_text_is_made_safe_and_said() -> None:
    long_title = "x" * 612
    description = "d" * 10_000_000  # a 10 MB description: read past the csv module's field limit
    data = _jira_csv(
        [
            ["PAY-1", "two\nlines\tand\x07bell\u202e", "Open", description],
            ["PAY-2", long_title, "Open", ""],
            ["PAY-3", "", "Open", ""],
            ["not a key", "t", "Open", ""],
            ["PAY-1", "again", "Open", ""],
        ]
    )
    export = READERS["jira"](data, "big.csv")
    issues = _by_key(export)
    assert issues["PAY-1"].title == "two lines andbell"
    assert len(issues["PAY-2"].title) == 500 and issues["PAY-2"].title.endswith("…")
    assert issues["PAY-3"].title == "PAY-3"
    assert export.notes == [
        "PAY-1 title: line breaks replaced by spaces",
        "PAY-1 title: control characters removed",
        "PAY-2 title: 612 characters long; cut to 500",
        "row 5: 'not a key' is not a Jira issue key (PAY-123); row left out",
        "PAY-1: appears more than once in the export; the first one is used",
    ]


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("two\r\nlines", ["w: line breaks replaced by spaces"]),
        ("\x1b[31mred\x1b[0m", ["w: control characters removed"]),
        ("  pad  ", []),
    ],
)
def test_clean_line(text: str, notes: list[str]) -> None:
    got: list[str] = []
    out = clean_line(text, "w", got)
    assert "\n" not in out and "\x1b" not in out and out == out.strip()
    assert got == notes


@pytest.mark.parametrize(
    ("system", "data", "expected"),
    [
        ("jira", b"", "the file is empty; expected a Jira CSV export"),
        ("jira", b"  \n", "the file is empty"),
        ("jira", b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file (it holds binary data)"),
        ("jira", b'[{"number": 1}]', "this looks like JSON, not CSV; expected a Jira CSV export"),
        ("jira", b"Key,Title\nPAY-1,x\n", "its first line has no column 'Issue key' and no 'Summary'"),
        ("jira", b"Issue key,Summary\n\xff\xfe,x\n", "not UTF-8 text"),
        ("linear", b"Issue key,Summary\nPAY-1,x\n", "not a Linear CSV export"),
        ("github", b"number,title\n1,x\n", "not JSON (it looks like CSV or text)"),
        ("github", b'{"number": 1, "title": "x"}', "not a list of issues with a number and a title"),
        ("github", b'[{"number": "1", "title": "x"}]', "not a list of issues"),
        ("github", b"[1, 2,", "line 1: not valid JSON"),
    ],
)
def test_not_the_named_format_says_what_was_expected(system: str, data: bytes, expected: str) -> None:
    with pytest.raises(ExportError) as err:
        READERS[system](data, "export.file")
    assert str(err.value).startswith("export.file: ")
    assert expected in str(err.value)


def test_dates_and_points_in_the_trackers_forms() -> None:
    data = _jira_csv([]).decode().replace("Description", "Due date,Custom field (Story Points)")
    data += 'PAY-1,a,Open,1/Feb/2027,"2,5"\nPAY-2,b,Open,2027-03-04T00:00:00Z,0\n'
    data += "PAY-3,c,Open,31/Feb/27,lots\n"
    export = READERS["jira"](data.encode(), "d.csv")
    issues = _by_key(export)
    assert issues["PAY-1"].due == date(2027, 2, 1) and issues["PAY-1"].points == 2.5
    assert issues["PAY-2"].due == date(2027, 3, 4) and issues["PAY-2"].points is None
    assert issues["PAY-3"].due is None and issues["PAY-3"].points is None
    assert export.notes == [
        "PAY-2 story points: 0 points; treated as not estimated",
        "PAY-3 story points: 'lots' is not a number; treated as not estimated",
        "PAY-3 due date: '31/Feb/27' is not a date fulcrum can read (12/Jan/27 or 2027-01-12); left out",
    ]


def test_github_numbers_and_urls_that_are_not_github_s_are_refused_or_ignored() -> None:
    with pytest.raises(ExportError):
        READERS["github"](b'[{"number": true, "title": "x"}]', "gh.json")
    data = [{"number": 5, "title": "t", "url": "https://github.com/o\u001b[31m/r/issues/5"}]
    export = READERS["github"](json.dumps(data).encode(), "gh.json")
    assert export.issues[0].key == "#5"  # the url names no repository fulcrum can use as a key
