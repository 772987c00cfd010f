"""Format v1.1 references: teams, excludes, drives, tracker sources — each error located and hinted."""

from __future__ import annotations

import pytest

from backlogs import HEAD, item
from fulcrum.backlog import BacklogError, Problem, parse_backlog

TEAMS = """
[teams.payments]
name = "Payments team"
lead = "cfo"
capacity = { days_30 = 4, days_60 = 6 }
"""

COUPLED = HEAD.replace(
    "[stakeholders.cfo]",
    """[metrics.mau]
label = "MAU"
value_per_unit = 3.5
drives = { infra_cost = 0.4 }

[metrics.infra_cost]
label = "Infra"
value_per_unit = -1.0

[stakeholders.cfo]""",
)


def problems(text: str) -> list[Problem]:
    with pytest.raises(BacklogError) as err:
        parse_backlog(text, "b.toml")
    return err.value.problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


def test_a_v11_file_loads_and_a_v1_file_means_the_same() -> None:
    text = COUPLED + TEAMS + item("a", 'team = "payments"\nexcludes = ["b"]\ndone_on = 2026-12-20')
    text += item("b", 'actual_effort = 2.5\nsource = { system = "jira", key = "PAY-1", url = "https://x" }')
    b = parse_backlog(text)
    assert b.teams["payments"].capacity.of(60) == 6 and b.teams["payments"].capacity.of(90) == 0
    assert b.pools == ["you", "payments"] and b.pool_of(b.items[0]) == "payments"
    assert b.pool_of(b.items[1]) == "you" and b.pool_capacity("you", 90) == 4.0
    assert b.items[1].source is not None and b.items[1].source.key == "PAY-1"
    v1 = parse_backlog(HEAD + item("a"))
    assert v1.teams == {} and v1.items[0].team is None and v1.items[0].excludes == []


@pytest.mark.parametrize(
    ("extra_head", "extra_item", "needle", "field", "words"),
    [
        (
            TEAMS,
            'team = "paymnts"',
            'team = "paymnts"',
            "items[0].team",
            "unknown team 'paymnts'; did you mean 'payments'?",
        ),
        (
            "",
            'team = "payments"',
            'team = "payments"',
            "items[0].team",
            "unknown team 'payments' (there are no teams defined)",
        ),
        ("", 'excludes = ["a"]', "excludes", "items[0].excludes[0]", "an item cannot exclude itself"),
        ("", 'excludes = ["bb"]', "excludes", "items[0].excludes[0]", "unknown item 'bb'; did you mean 'b'?"),
        (
            TEAMS.replace('"cfo"', '"cf"'),
            "",
            'lead = "cf"',
            "teams.payments.lead",
            "unknown stakeholder 'cf'; did you mean 'cfo'?",
        ),
        ('\n[teams.you]\nname = "Me"\n', "", "[teams.you]", "teams.you", 'team key "you" is taken'),
    ],
)
def test_each_bad_reference_names_line_item_field_and_a_hint(
    extra_head: str, extra_item: str, needle: str, field: str, words: str
) -> None:
    text = HEAD + extra_head + item("a", extra_item) + item("b")
    (p,) = [p for p in problems(text) if p.field == field]
    assert words in p.message
    assert p.line == line_of(text, needle) and p.file == "b.toml"
    if field.startswith("items"):
        assert p.item == "a"


def test_a_coupling_cycle_is_named_as_a_path() -> None:
    text = COUPLED.replace('label = "Infra"', 'label = "Infra"\ndrives = { mau = 0.1 }') + item("a")
    (p,) = problems(text)
    assert p.message == "coupling cycle: mau -> infra_cost -> mau"
    assert p.field == "metrics.mau.drives" and p.line == line_of(text, "drives = { infra_cost")


def test_a_coupling_to_an_unknown_or_the_same_metric_is_refused() -> None:
    text = COUPLED.replace("drives = { infra_cost = 0.4 }", "drives = { infra_cots = 0.4, mau = 1 }") + item(
        "a"
    )
    msgs = {p.field: p.message for p in problems(text)}
    assert msgs["metrics.mau.drives.infra_cots"] == "unknown metric 'infra_cots'; did you mean 'infra_cost'?"
    assert msgs["metrics.mau.drives.mau"] == "metric 'mau' cannot drive itself"


def test_one_tracker_issue_is_one_item() -> None:
    src = 'source = { system = "jira", key = "PAY-1" }'
    text = HEAD + item("a", src) + item("b", src) + item("c", src.replace("jira", "linear"))
    (p,) = problems(text)
    assert p.item == "b" and p.field == "items[1].source.key"
    assert "jira issue 'PAY-1' is imported twice: the 1st [[items]] has it already" in p.message


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        (
            'source = { system = "jra", key = "P-1" }',
            "items[0].source.system",
            "it must be 'jira', 'linear' or 'github'",
        ),
        ("actual_effort = -1", "items[0].actual_effort", "actual_effort is -1; it must be at least 0"),
        ('source = { system = "jira", key = "" }', "items[0].source.key", "source.key"),
    ],
)
def test_bad_v11_values_are_in_plain_words(extra: str, field: str, words: str) -> None:
    (p,) = [p for p in problems(HEAD + item("a", extra)) if p.field == field]
    assert words in p.message and "pydantic" not in p.message


def test_unknown_keys_of_the_new_tables_get_a_hint(cli, tmp_path) -> None:
    path = tmp_path / "b.toml"
    path.write_text(
        HEAD + "\n[import]\npoints_per_wek = 3\n" + TEAMS.replace("capacity", "capcity") + item("a")
    )
    code, _out, err = cli("check", path)
    assert code == 2 and "Traceback" not in err
    assert "import.points_per_wek: unknown key 'points_per_wek'; did you mean 'points_per_week'?" in err
    assert "teams.payments.capcity: unknown key 'capcity'; did you mean 'capacity'?" in err
