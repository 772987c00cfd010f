"""Every class of bad input: exit code 2, and a message naming the file, line, item and field.

Each case is a small backlog with one thing wrong. The expected line is found by the text of the
offending line, so the cases read like the files a user writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backlogs import HEAD, item, priced_item
from fulcrum.backlog import (
    Backlog,
    BacklogError,
    Problem,
    load_backlog,
    parse_backlog,
    read_text,
    validate_document,
)
from fulcrum.backlog.load import parse_toml
from fulcrum.formula import FORMULA_BUILTINS


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return lines[nth - 1]


def problems(text: str, name: str = "b.toml") -> list[Problem]:
    with pytest.raises(BacklogError) as err:
        parse_backlog(text, name)
    return err.value.problems


def one_problem(text: str, field: str) -> Problem:
    (p,) = [p for p in problems(text) if p.field == field]
    return p


def test_the_valid_base_loads() -> None:
    b = parse_backlog(HEAD + item("a") + item("b", 'depends_on = ["a"]'))
    assert [it.id for it in b.items] == ["a", "b"]


# (id, text, the offending line's text, item id or None, field, words the message must contain)
CASES = [
    ("bool-for-number", HEAD + item(effort="true"), "effort = true", "a", "items[0].effort", "got a boolean"),
    (
        "string-for-number",
        HEAD + item(extra='confidence = "0.5"'),
        'confidence = "0.5"',
        "a",
        "items[0].confidence",
        "expected a number, got the string '0.5'",
    ),
    ("nan", HEAD + item(extra="confidence = nan"), "confidence = nan", "a", "items[0].confidence", "finite"),
    (
        "inf-in-impact",
        HEAD + item(extra="impact = { revenue = inf }"),
        "impact = {",
        "a",
        "items[0].impact.revenue",
        "nan and inf are not allowed",
    ),
    (
        "overflow-to-inf",
        HEAD + item(extra="effort = 1e400").replace("effort = 1\n", "", 1),
        "effort = 1e400",
        "a",
        "items[0].effort",
        "nor a number too big for a float, such as 1e400",
    ),
    (
        "nan-in-range",
        HEAD + item(extra="impact = { revenue = { low = nan, likely = 1, high = 2 } }"),
        "impact = {",
        "a",
        "items[0].impact.revenue.low",
        "finite",
    ),
    (
        "absurd-magnitude",
        HEAD + item(extra="impact = { revenue = 5e18 }"),
        "impact = {",
        "a",
        "items[0].impact.revenue",
        "absurd magnitude",
    ),
    (
        "absurd-baseline",
        HEAD.replace('source = "plan"', 'source = "plan"\nbaseline = -1e300') + item(),
        "baseline = -1e300",
        None,
        "metrics.revenue.baseline",
        "absurd magnitude",
    ),
    (
        "low-above-likely",
        HEAD + item(effort="{ low = 5, likely = 2, high = 9 }"),
        "effort = {",
        "a",
        "items[0].effort",
        "low <= likely <= high",
    ),
    (
        "likely-above-high",
        HEAD + item(extra="[items.impact]\nrevenue = { low = 1, likely = 9, high = 5 }"),
        "revenue = { low",
        "a",
        "items[0].impact.revenue",
        "low <= likely <= high",
    ),
    (
        "confidence-above-1",
        HEAD + item(extra="confidence = 1.5"),
        "confidence = 1.5",
        "a",
        "items[0].confidence",
        "1",
    ),
    (
        "confidence-below-0",
        HEAD + item(extra="confidence = -0.1"),
        "confidence = -0.1",
        "a",
        "items[0].confidence",
        "0",
    ),
    ("effort-zero", HEAD + item(effort="0"), "effort = 0", "a", "items[0].effort", "at least 0.01"),
    ("effort-negative", HEAD + item(effort="-2"), "effort = -2", "a", "items[0].effort", "at least 0.01"),
    (
        "effort-range-from-zero",
        HEAD + item(effort="{ low = 0, likely = 1, high = 2 }"),
        "effort = {",
        "a",
        "items[0].effort",
        "is 0 person-weeks; it must be at least 0.01",
    ),
    (
        "effort-too-big",
        HEAD + item(effort="1e6"),
        "effort = 1e6",
        "a",
        "items[0].effort",
        "effort is 1,000,000 person-weeks; the limit is 10,000",
    ),
    (
        "control-char-in-title",
        HEAD + item().replace('title = "Item a"', 'title = "bell\\u0007"'),
        'title = "bell',
        "a",
        "items[0].title",
        "U+0007",
    ),
    (
        "bidi-override-in-owner",
        HEAD + item(extra='owner = "evil\\u202ename"'),
        "owner = ",
        "a",
        "items[0].owner",
        "U+202E",
    ),
    (
        "bidi-isolate-in-evidence",
        HEAD + item(extra='[items.evidence]\nrevenue = "x\\u2067y"'),
        'revenue = "x',
        "a",
        "items[0].evidence.revenue",
        "U+2067",
    ),
    (
        "c1-control-in-decision",
        HEAD + item(extra='decision = "a\\u0085b"'),
        "decision = ",
        "a",
        "items[0].decision",
        "U+0085",
    ),
    (
        "nul-in-metric-source",
        HEAD.replace('source = "plan"', 'source = "p\\u0000"') + item(),
        "source = ",
        None,
        "metrics.revenue.source",
        "U+0000",
    ),
    (
        "escape-in-stakeholder-name",
        HEAD.replace('name = "C"', 'name = "\\u001b[31mC"') + item(),
        "name = ",
        None,
        "stakeholders.cfo.name",
        "U+001B",
    ),
    (
        "newline-in-a-title",
        HEAD + item().replace('title = "Item a"', 'title = """two\nlines"""'),
        'title = """two',
        "a",
        "items[0].title",
        "U+000A",
    ),
    (
        "control-char-in-tag",
        HEAD + item(extra='tags = ["ok", "b\\u0008"]'),
        "tags = ",
        "a",
        "items[0].tags[1]",
        "U+0008",
    ),
    (
        "duplicate-id",
        HEAD + item("a") + item("a"),
        ('id = "a"', 2),
        "a",
        "items[1].id",
        "duplicate id 'a': the 1st [[items]] has it already",
    ),
    (
        "unknown-dependency",
        HEAD + item("alpha") + item("b", 'depends_on = ["alpah"]'),
        "depends_on = ",
        "b",
        "items[1].depends_on[0]",
        "unknown item 'alpah'; did you mean 'alpha'?",
    ),
    (
        "unknown-requester",
        HEAD + item().replace('requested_by = ["cfo"]', 'requested_by = ["cf0"]'),
        "requested_by = ",
        "a",
        "items[0].requested_by[0]",
        "unknown stakeholder 'cf0'; did you mean 'cfo'?",
    ),
    (
        "unknown-impact-metric",
        HEAD + item(extra="[items.impact]\nrevenu = 5"),
        "revenu = 5",
        "a",
        "items[0].impact.revenu",
        "unknown metric 'revenu'; did you mean 'revenue'?",
    ),
    (
        "unknown-evidence-key",
        HEAD + item(extra='[items.evidence]\neffrot = "x"'),
        "effrot = ",
        "a",
        "items[0].evidence.effrot",
        "unknown metric 'effrot'; did you mean 'effort'?",
    ),
    (
        "unknown-cares-about",
        HEAD.replace('cares_about = ["revenue"]', "cares_about = { revenue = 1, revnue = 2 }") + item(),
        "cares_about = ",
        None,
        "stakeholders.cfo.cares_about",
        "unknown metric 'revnue'; did you mean 'revenue'?",
    ),
    (
        "self-dependency",
        HEAD + item("a", 'depends_on = ["a"]'),
        "depends_on = ",
        "a",
        "items[0].depends_on[0]",
        "cannot depend on itself",
    ),
    (
        "cycle",
        HEAD
        + item("a", 'depends_on = ["c"]')
        + item("b", 'depends_on = ["a"]')
        + item("c", 'depends_on = ["b"]'),
        'depends_on = ["c"]',
        "a",
        "items[0].depends_on",
        "dependency cycle: a -> c -> b -> a",
    ),
    ("phase", HEAD + item(extra="phase = 45"), "phase = 45", "a", "items[0].phase", "30, 60 or 90"),
    (
        "status",
        HEAD + item(extra='status = "Done"'),
        "status = ",
        "a",
        "items[0].status",
        "'idea', 'planned', 'doing', 'deferred', 'done' or 'dropped' (did you mean 'done'?)",
    ),
    (
        "status-typo",
        HEAD + item(extra='status = "palnned"'),
        "status = ",
        "a",
        "items[0].status",
        "status is 'palnned'; it must be 'idea', 'planned', 'doing', 'deferred', 'done' or 'dropped' "
        "(did you mean 'planned'?)",
    ),
    (
        "fields-repeat-a-metric",
        HEAD + item(extra="fields = { revenue = 3 }"),
        "fields = ",
        "a",
        "items[0].fields.revenue",
        "repeats a metric key",
    ),
    (
        "fields-repeat-a-built-in",
        HEAD + item(extra="fields = { effort = 3 }"),
        "fields = ",
        "a",
        "items[0].fields.effort",
        "repeats a built-in name",
    ),
    (
        "bad-id",
        HEAD + item("has space"),
        'id = "has space"',
        "has space",
        "items[0].id",
        "not a valid key or id",
    ),
    (
        "date-in-quotes",
        HEAD + item(extra='due = "2027-01-01"'),
        "due = ",
        "a",
        "items[0].due",
        "write a date without quotes",
    ),
    (
        "influence-as-float",
        HEAD.replace('name = "C"', 'name = "C"\ninfluence = 4.0') + item(),
        "influence = 4.0",
        None,
        "stakeholders.cfo.influence",
        "expected a whole number",
    ),
    (
        "missing-title",
        HEAD + item().replace('title = "Item a"\n', ""),
        "[[items]]",
        "a",
        "items[0].title",
        "required but missing",
    ),
]


@pytest.mark.parametrize(
    ("text", "needle", "item_id", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_named_by_file_line_item_and_field(
    cli, tmp_path, text, needle, item_id, field, words
) -> None:
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("check", path)
    assert code == 2 and out == ""
    (p,) = [p for p in problems(text, str(path)) if p.field == field]
    assert p.line == (line_of(text, *needle) if isinstance(needle, tuple) else line_of(text, needle))
    assert p.item == item_id
    assert words in p.message
    assert f"{path}:{p.line}:" in err
    assert f" {p.subject}: " in err
    assert "items[" not in err, "no 0-based item numbers in what the user reads"
    if item_id:
        assert f"item {item_id!r}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("where", "value", "meant"),
    [
        ("status", "DONE", "done"),
        ("status", "Palnned", "planned"),
        ("method", "Rice", "rice"),  # closer to 'ice' with the case counted
        ("method", "RICE", "rice"),
        ("method", "WSJF", "wsjf"),
    ],
)
def test_a_choice_written_in_another_case_is_guessed_right(where: str, value: str, meant: str) -> None:
    text = (
        (HEAD + item(extra=f'status = "{value}"'))
        if where == "status"
        else (
            HEAD.replace("[metrics.revenue]", f'[scoring]\nmethod = "{value}"\n\n[metrics.revenue]') + item()
        )
    )
    (p,) = [p for p in problems(text, "b.toml") if p.field.endswith(where)]
    assert p.message.endswith(f"(did you mean {meant!r}?)"), p.message


@pytest.mark.parametrize("value", ['"zzz"', "5", '["done"]'])
def test_a_choice_far_from_every_one_gets_the_list_and_no_guess(value: str) -> None:
    text = HEAD + item(extra=f"status = {value}")
    (p,) = [p for p in problems(text, "b.toml") if p.field == "items[0].status"]
    assert "'done' or 'dropped'" in p.message or "expected" in p.message
    assert "did you mean" not in p.message


UNKNOWN_KEYS = [
    # (where, text with a misspelt key, the misspelt key, the suggestion)
    ("top level", HEAD.replace("[metrics.revenue]", "[metric.revenue]"), "metric", "metrics"),
    ("[backlog]", HEAD.replace('title = "T"', 'title = "T"\nowner_ = "x"'), "owner_", "owner"),
    ("[scoring]", HEAD + "\n[scoring]\nmethd = 'rice'\n", "methd", "method"),
    ("[review]", HEAD + "\n[review]\nmin_valu = 1\n", "min_valu", "min_value"),
    ("[capacity]", HEAD + "\n[capacity]\ndays_61 = 1\n", "days_61", "days_60"),
    ("[plan]", HEAD + "\n[plan]\nearly_win = 1\n", "early_win", "early_wins"),
    ("metric", HEAD.replace('source = "plan"', 'sorce = "plan"'), "sorce", "source"),
    ("stakeholder", HEAD.replace('name = "C"', 'name = "C"\ninfluense = 2'), "influense", "influence"),
    ("item", HEAD + item(extra="confidance = 0.5"), "confidance", "confidence"),
    ("estimate", HEAD + item(effort="{ low = 1, likely = 2, hihg = 3, high = 4 }"), "hihg", "high"),
]


@pytest.mark.parametrize(
    ("text", "key", "hint"), [c[1:] for c in UNKNOWN_KEYS], ids=[c[0] for c in UNKNOWN_KEYS]
)
def test_unknown_keys_at_every_level_suggest_the_right_one(cli, tmp_path, text, key, hint) -> None:
    # (A misspelt [metrics] also leaves cares_about naming a metric that does not exist.)
    (p,) = [p for p in problems(text) if p.message.startswith("unknown key")]
    assert p.message == f"unknown key {key!r}; did you mean {hint!r}?"
    assert p.field.endswith(key)
    assert p.line == line_of(text, key)
    path = tmp_path / "b.toml"
    path.write_text(text)
    code, _, err = cli("check", path)
    assert code == 2 and f"{path}:{p.line}:" in err and f"did you mean {hint!r}?" in err


def test_an_unknown_key_with_no_close_match_lists_the_known_ones() -> None:
    (p,) = problems(HEAD + "\n[plan]\nzzz = 1\n")
    assert p.message == "unknown key 'zzz'; expected one of: early_wins"


def test_broken_toml_gives_file_line_column_the_line_and_a_caret(cli, tmp_path) -> None:
    text = HEAD + item(extra="tags = [1,,2]")
    path = tmp_path / "b.toml"
    path.write_text(text)
    code, _, err = cli("check", path)
    assert code == 2 and f"{path}:{line_of(text, 'tags = [1,,2]')}:11: invalid TOML" in err
    (p,) = problems(text)
    assert (p.line, p.column) == (line_of(text, "tags = [1,,2]"), 11)
    assert p.message.startswith("invalid TOML: ")
    lines = p.render().split("\n")
    assert lines[0].startswith(f"b.toml:{p.line}:11: invalid TOML")
    assert lines[1] == f"    {p.line} | tags = [1,,2]"
    assert lines[2].index("^") == lines[1].index("tags") + 10


def test_a_table_declared_twice_is_said_in_toml_words() -> None:
    (p,) = problems(HEAD + "\n[backlog]\n")
    assert "the table [backlog] is declared twice" in p.message
    assert "(" not in p.message


def test_the_caret_line_of_a_huge_line_is_cut_to_a_window() -> None:
    text = HEAD + 'x = "' + "a" * 5000 + '" oops\n'
    (p,) = problems(text)
    shown = p.render().split("\n")
    assert all(len(line) < 140 for line in shown)
    assert shown[2].index("^") == shown[1].index("oops")


def test_all_problems_at_once_sorted_by_line_even_when_the_model_fails() -> None:
    """A wrong type (model error) does not hide dangling references and cycles (cross-checks)."""
    text = (
        HEAD
        + item("a", 'depends_on = ["b"]')
        + item("b", 'depends_on = ["a"]\nconfidence = "high"')
        + item("c", 'depends_on = ["zz"]')
        + item("a")
    )
    ps = problems(text)
    got = [(p.field, p.item) for p in ps]
    assert got == [
        ("items[0].depends_on", "a"),  # the cycle, at its first item
        ("items[1].confidence", "b"),
        ("items[2].depends_on[0]", "c"),
        ("items[3].id", "a"),
    ]
    assert [p.line for p in ps] == sorted(p.line for p in ps)
    assert "dependency cycle: a -> b -> a" in ps[0].message


def test_a_union_field_gets_one_message_not_one_per_branch() -> None:
    (p,) = problems(HEAD + '\n[scoring]\nquick_win_min_value = "mean"\n')
    assert p.message == "expected 'median' or a number, got the string 'mean'"
    (p,) = problems(HEAD + "\n[scoring]\nquick_win_min_value = 1e99\n")
    assert "absurd magnitude" in p.message


def test_a_bad_point_estimate_is_one_message_not_three() -> None:
    ps = problems(HEAD + item(extra="[items.impact]\nrevenue = 1e20"))
    assert len(ps) == 1 and ps[0].field == "items[0].impact.revenue"


def test_a_cares_about_weight_message_is_formatted() -> None:
    (p,) = problems(HEAD.replace('cares_about = ["revenue"]', "cares_about = { revenue = true }"))
    assert p.message == "the weight of 'revenue' should be a number, got a boolean"


def test_an_empty_file_says_what_is_needed() -> None:
    (p,) = problems("")
    assert p.field == "backlog" and "[backlog]" in p.message


def test_text_fields_that_may_span_lines_accept_newlines_and_tabs() -> None:
    extra = 'decision = """Line one,\n\tline two."""\n[items.evidence]\nrevenue = "a\\tb\\nc"'
    b = parse_backlog(HEAD.replace('title = "T"', 'title = "T\\twith a tab"') + item(extra=extra))
    assert b.items[0].decision == "Line one,\n\tline two."
    assert b.backlog.title == "T\twith a tab"


def test_a_byte_order_mark_is_accepted(tmp_path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + item()).encode())
    assert load_backlog(path).items[0].id == "a"
    assert parse_backlog("\ufeff" + HEAD).backlog.title == "T"


def test_crlf_files_report_the_same_lines() -> None:
    text = HEAD + item(extra="phase = 45")
    (p,) = problems(text.replace("\n", "\r\n"))
    assert p.line == line_of(text, "phase = 45")
    assert p.source_line == "phase = 45"


# --- unreadable files: one clear line, exit 2 ------------------------------------------------------


def test_a_missing_file(cli, tmp_path) -> None:
    code, _, err = cli("check", tmp_path / "nope.toml")
    assert code == 2
    assert f"{tmp_path / 'nope.toml'}: no such file" in err and "fulcrum init" in err


def test_a_directory(cli, tmp_path) -> None:
    code, _, err = cli("check", tmp_path)
    assert code == 2 and "is a directory, not a backlog file" in err


def test_not_utf8_names_the_line_and_column_of_the_bad_byte(cli, tmp_path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[backlog]\ntitle = "Caf\xe9"\n')
    code, _, err = cli("check", path)
    assert code == 2
    assert f"{path}:2:13: the file is not valid UTF-8 (byte 0xe9)" in err


def test_no_permission(cli, tmp_path, monkeypatch) -> None:
    path = tmp_path / "secret.toml"
    path.write_text(HEAD)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: simulate the refusal

        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", refuse)
    code, _, err = cli("check", path)
    assert code == 2 and "permission denied" in err
    path.chmod(0o600)


def test_arrays_nested_absurdly_deep(cli, tmp_path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n")
    code, _, err = cli("check", path)
    assert code == 2 and "nested too deeply" in err and "Traceback" not in err


def test_keys_with_absurdly_many_dotted_parts_are_refused_before_parsing() -> None:
    text = HEAD + "fields" + ".a" * 5000 + " = 1\n"
    (p,) = problems(text)
    assert p.line == text.count("\n") and "dotted parts" in p.message


def test_deep_but_valid_toml_is_a_clean_model_error() -> None:
    """Deep tables built from dotted keys and inline tables parse; the model rejects them in one line."""
    deep = "fields.x" + ".a" * 60 + " = " + "{ b = " * 100 + "1" + " }" * 100
    (p,) = problems(HEAD + item(extra=deep))
    assert p.field == "items[0].fields.x" and p.message == "expected a number, got a table"


def test_a_recursion_error_inside_validation_becomes_one_problem(monkeypatch) -> None:
    """If pydantic (or our checks) run out of stack on a deep document, the user still gets a message."""

    def choke(*args: object, **kwargs: object) -> Backlog:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(Backlog, "model_validate", choke)
    with pytest.raises(BacklogError) as err:
        validate_document({"backlog": {"title": "t"}}, "", "d.toml")
    (p,) = err.value.problems
    assert p.file == "d.toml" and "nested too deeply" in p.message


def test_huge_files_are_refused_before_reading(tmp_path, monkeypatch) -> None:
    import fulcrum.backlog.load as load

    path = tmp_path / "big.toml"
    path.write_text(HEAD)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 10)
    with pytest.raises(BacklogError) as err:
        read_text(path)
    assert "a backlog is at most 10" in err.value.problems[0].message


def test_user_text_in_problem_headlines_is_terminal_safe() -> None:
    (p,) = problems(HEAD + '\n[plan]\n"evil\\u001b]0;x\\u0007" = 1\n')
    assert "\x1b" not in p.render() and "\x07" not in p.render()
    assert "\\x1b" in p.render() or "\\u001b" in p.render()


LOCATOR_TEXT = """\
[backlog]
title = "has [brackets] and # hash"
owner = '''
[items]
fake = 1
'''
[[items]]
id = "a"   # comment [x
title = "A"
effort = 1
needs = [
  "x",
  "y]",
]
decision = \"\"\"
[[items]]
id = "fake"
\"\"\"
[[items]]
id = "b"
title = "B"
effort = 1
[items.impact]
revenue = 1
"""


def test_the_locator_is_not_fooled_by_strings_comments_or_multi_line_arrays() -> None:
    from fulcrum.backlog import Locator

    loc = Locator(LOCATOR_TEXT)
    lines = LOCATOR_TEXT.split("\n")

    def at(*path: str | int) -> str:
        line, _ = loc.find(path)
        assert line is not None
        return lines[line - 1]

    assert at("backlog", "owner") == "owner = '''"
    assert at("items", 0, "effort") == "effort = 1"
    assert at("items", 0, "decision") == 'decision = """'
    assert at("items", 1, "id") == 'id = "b"'
    assert at("items", 1, "impact", "revenue") == "revenue = 1"
    assert ("items", 2) not in loc.where and ("items", 0, "fake") not in loc.where
    # End to end: the problems are on the real lines, not on the look-alikes inside strings.
    got = [(p.field, p.item, p.line) for p in problems(LOCATOR_TEXT)]
    assert got == [
        ("backlog.owner", None, 3),  # one-line text: no newline
        ("items[1].impact.revenue", "b", lines.index("revenue = 1") + 1),  # no metrics at all
    ]


# --- bounds: tiny efforts and half-lives, dates outside 1900-9000, names of formula built-ins -----


@pytest.mark.parametrize(
    ("effort", "needle"),
    [
        ("5e-324", "effort = 5e-324"),
        ("1e-300", "effort = 1e-300"),
        ("0.009", "effort = 0.009"),
        ("{ low = 0.001, likely = 1, high = 2 }", "effort = {"),
    ],
)
def test_an_effort_under_a_hundredth_of_a_week_is_a_located_error(effort: str, needle: str) -> None:
    text = HEAD + priced_item("a", effort=effort)
    p = one_problem(text, "items[0].effort")
    assert p.item == "a" and p.line == line_of(text, needle)
    assert "at least 0.01" in p.message and "25 minutes" in p.message


def test_the_smallest_effort_and_half_life_are_accepted() -> None:
    text = HEAD + priced_item("a", effort="0.01") + "\n[scoring]\neffort_half_life_weeks = 0.01\n"
    b = parse_backlog(text)
    assert b.items[0].effort.low == 0.01 and b.scoring.effort_half_life_weeks == 0.01


def test_a_half_life_under_a_hundredth_of_a_week_is_a_located_error() -> None:
    text = HEAD + priced_item("a") + "\n[scoring]\neffort_half_life_weeks = 1e-300\n"
    p = one_problem(text, "scoring.effort_half_life_weeks")
    assert p.line == line_of(text, "effort_half_life_weeks") and "0.01" in p.message


@pytest.mark.parametrize(
    ("text", "needle", "field"),
    [
        (
            HEAD.replace('title = "T"', 'title = "T"\nstart = 9999-11-15') + priced_item(),
            "start =",
            "backlog.start",
        ),
        (
            HEAD.replace('title = "T"', 'title = "T"\nstart = 1899-12-31') + priced_item(),
            "start =",
            "backlog.start",
        ),
        (HEAD + "met = 9999-12-31\n" + priced_item(), "met =", "stakeholders.cfo.met"),
        (HEAD + priced_item("a", "due = 9001-01-01"), "due =", "items[0].due"),
    ],
)
def test_a_date_outside_1900_to_9000_is_a_located_error(text: str, needle: str, field: str) -> None:
    p = one_problem(text, field)
    assert p.line == line_of(text, needle)
    assert "dates must be between 1900-01-01 and 9000-12-31" in p.message


@pytest.mark.parametrize("key", sorted(FORMULA_BUILTINS))
def test_a_metric_named_like_a_formula_built_in_is_a_located_error(key: str) -> None:
    text = HEAD + f'\n[metrics.{key}]\nlabel = "X"\nvalue_per_unit = 1.0\n' + priced_item()
    p = one_problem(text, f"metrics.{key}")
    assert p.line == line_of(text, f"[metrics.{key}]")
    assert p.message == f"metric key {key!r} is a built-in name of formulas; rename the metric"


@pytest.mark.parametrize("key", sorted(FORMULA_BUILTINS))
def test_a_field_named_like_a_formula_built_in_is_a_located_error(key: str) -> None:
    text = HEAD + priced_item(extra=f"fields = {{ {key} = 1 }}")
    p = one_problem(text, f"items[0].fields.{key}")
    assert p.message == f"field {key!r} repeats a built-in name of formulas; rename it"


# --- limits, in plain words ------------------------------------------------------------------


def test_one_line_text_may_be_500_characters() -> None:
    """Jira allows 255; a 305-character title used to be refused in pydantic's words."""
    b = parse_backlog(HEAD + item("a", title="x" * 500) + item("b", f'tags = ["{"t" * 500}"]'))
    assert len(b.item("a").title) == 500 and len(b.item("b").tags[0]) == 500


LIMITS = [
    (item("a", title="x" * 612), "items[0].title", "title is 612 characters long; the limit is 500"),
    (
        item("a", f'tags = ["ok", "{"t" * 501}"]'),
        "items[0].tags[1]",
        "the 2nd entry of tags is 501 characters long; the limit is 500",
    ),
    (
        item("a", f'decision = "{"d" * 10_001}"'),
        "items[0].decision",
        "decision is 10,001 characters long; the limit is 10,000",
    ),
    (
        item("a", f'owner = "{"o" * 501}"'),
        "items[0].owner",
        "owner is 501 characters long; the limit is 500",
    ),
    (
        item("a" * 65),
        "items[0].id",
        "id '" + "a" * 56 + "... is 65 characters long; the limit for a key or id is 64",
    ),
    (item("a", "confidence = 1.5"), "items[0].confidence", "confidence is 1.5; it must be at most 1"),
    (
        item("a", effort="20_000"),
        "items[0].effort",
        "effort is 20,000 person-weeks; the limit is 10,000 (a hundred people for two years)",
    ),
    (
        item("a", effort="{ low = 1, likely = 2, high = 20_000 }"),
        "items[0].effort",
        "the high end of effort is 20,000 person-weeks; the limit is 10,000 (a hundred people for two years)",
    ),
    (
        item("a", "impact = { revenue = 1e20 }"),
        "items[0].impact.revenue",
        "impact.revenue is 1e+20, an absurd magnitude: numbers must be between -1e+15 and 1e+15 (a typo?)",
    ),
    (
        item("a", "due = 1899-12-31"),
        "items[0].due",
        "due is 1899-12-31; dates must be between 1900-01-01 and 9000-12-31",
    ),
    ("\n[capacity]\ndays_30 = -1\n", "capacity.days_30", "days_30 is -1; it must be at least 0"),
    ("\n[plan]\nearly_wins = 101\n", "plan.early_wins", "early_wins is 101; it must be at most 100"),
    (
        "\n[scoring]\ncoordination_penalty = 1\n",
        "scoring.coordination_penalty",
        "coordination_penalty is 1; it must be less than 1",
    ),
    (
        f'\n[scoring]\nmethod = "formula"\nformula = "value{" " * 600}/ effort"\n',
        "scoring.formula",
        "formula is 613 characters long; the limit is 500",
    ),
    (
        "\n[metrics.x]\nlabel = 'X'\nunit = '" + "u" * 41 + "'\n",
        "metrics.x.unit",
        "unit is 41 characters long; the limit is 40",
    ),
    (
        "\n[metrics.x]\nlabel = 'X'\nvalue_per_unit = 2e9\n",
        "metrics.x.value_per_unit",
        "value_per_unit is 2,000,000,000; it must be at most 1,000,000,000",
    ),
    (
        "\n[stakeholders.pm]\nname = 'P'\ninfluence = 9\n",
        "stakeholders.pm.influence",
        "influence is 9; it must be at most 5",
    ),
    (
        "\n[stakeholders.pm]\nname = 'P'\ncares_about = { revenue = 5000 }\n",
        "stakeholders.pm.cares_about",
        "the weight of 'revenue' is 5000; it must be between 0 and 1000",
    ),
]


@pytest.mark.parametrize(("extra", "field", "message"), LIMITS, ids=[f for _, f, _ in LIMITS])
def test_every_limit_is_reported_in_plain_words(extra: str, field: str, message: str) -> None:
    text = HEAD.replace('title = "T"', 'title = "T"\ncurrency = "USD"') + extra
    p = one_problem(text, field)
    assert p.message == message
    for words in ("should have", "Value should", "Input should", "String should", "after validation"):
        assert words not in p.message


def test_the_currency_limit_is_in_plain_words() -> None:
    p = one_problem(HEAD.replace('title = "T"', 'title = "T"\ncurrency = "DOLLARS-US"'), "backlog.currency")
    assert p.message == "currency is 10 characters long; the limit is 8"


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            "fields = { " + "k" * 70 + " = 1 }",
            "items[0].fields." + "k" * 70,
            "the key '" + "k" * 56 + "... is 70 characters long; the limit for a key or id is 64",
        ),
        (
            'fields = { "bad key" = 1 }',
            "items[0].fields.bad key",
            "'bad key' is not a valid key or id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, at most 64 characters",
        ),
        (
            'team = "-lead"',
            "items[0].team",
            "'-lead' is not a valid key or id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, at most 64 characters",
        ),
    ],
)
def test_keys_and_ids_are_checked_by_the_validator_and_said_in_our_words(
    extra: str, field: str, message: str
) -> None:
    """pydantic-core checks every key and id against the pattern (no Python call per key); the
    user reads our words, never "String should match pattern"."""
    found = [p for p in problems(HEAD + item("a", extra)) if p.field == field]
    assert found and found[0].message.endswith(message)
    assert not any("should match pattern" in p.message for p in found)


def test_a_lone_surrogate_in_a_program_s_text_is_named_in_plain_words() -> None:
    """No file holds one (UTF-8 has none, TOML's escapes refuse them); a program's edit can, and
    pydantic-core cannot read it: the problem names the field, the code point and where it is."""
    doc = parse_toml(HEAD + item())
    doc["items"][0]["title"] = "ok\ud800"
    with pytest.raises(BacklogError) as err:
        validate_document(doc)
    [p] = err.value.problems
    assert p.field == "items[0].title"
    assert (
        p.message == "text contains a lone surrogate U+D800 at position 3, which no file can hold; remove it"
    )


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("title", "\\u0001" + "x" * 520, "U+0001 at position 1"),
        ("decision", "line\\n" * 2_100 + "\\u0007", "U+0007 at position 10501"),
        ("owner", "x" * 600 + "\\u202e", "U+202E at position 601"),
    ],
)
def test_a_text_too_long_and_with_a_control_character_is_named_for_the_character(
    field: str, value: str, where: str
) -> None:
    """The characters are checked first, as before the rules moved into pydantic-core (which
    checks a string's length first)."""
    block = item(title=value) if field == "title" else item(extra=f'{field} = "{value}"')
    p = one_problem(HEAD + block, f"items[0].{field}")
    assert p.message == f"text contains the control character {where}; remove it"


@pytest.mark.parametrize("extra", ["effort = 1" + "0" * 400, "[items.impact]\nrevenue = -1" + "0" * 400])
def test_an_integer_too_large_for_a_float_is_an_absurd_magnitude_not_a_crash(extra: str) -> None:
    """TOML integers have no size limit; an estimate made a float of one (OverflowError, exit 70)."""
    text = HEAD + item(extra=extra) if extra.startswith("[") else HEAD + item(effort=extra.split(" = ")[1])
    with pytest.raises(BacklogError) as err:
        parse_backlog(text)
    [p] = err.value.problems
    assert p.message.startswith("a number of about 401 digits, an absurd magnitude: numbers must be between")


HUGE = "1" + "0" * 400


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (f"confidence = {HUGE}", "items[0].confidence"),
        (f"fields = {{ reach = -{HUGE} }}", "items[0].fields.reach"),
        (f"actual_effort = {HUGE}", "items[0].actual_effort"),
        (
            f"[items.impact]\nrevenue = {{ low = 1, likely = 2, high = {HUGE} }}",
            "items[0].impact.revenue.high",
        ),
    ],
)
def test_a_huge_integer_where_a_number_goes_is_named_by_its_size_not_printed(extra: str, field: str) -> None:
    """pydantic-core cannot read it as a float ("expected a number, got the number 1000...", every
    digit printed): it gets the words of any other number too large for a float."""
    (p,) = problems(HEAD + item(extra=extra))
    assert p.field == field
    assert p.message.startswith("a number of about 401 digits, an absurd magnitude: numbers must be between")
    assert HUGE[:30] not in p.message


def test_a_huge_integer_in_a_table_of_the_file_is_named_by_its_size() -> None:
    (p,) = problems(HEAD + f'\n[metrics.m]\nlabel = "M"\nvalue_per_unit = {HUGE}\n')
    assert p.message.startswith("a number of about 401 digits, an absurd magnitude")
