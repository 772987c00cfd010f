"""The diff of two backlogs on hand-made pairs: exactly the changes made, and the plan moves they cause;
``REV:PATH`` read from a temporary git repository; the errors of a bad revision and of no repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.changes import RevisionError, diff_backlogs, diff_lines, load_version
from fulcrum.plan import build_plan

# Capacity for one 1-week item in the whole 90 days: the more valuable of a and b is planned.
PAIR_HEAD = HEAD.replace(
    "[metrics.revenue]", "[capacity]\ndays_30 = 1\ndays_60 = 0\ndays_90 = 0\n\n[metrics.revenue]"
)
START = '[backlog]\ntitle = "T"\nstart = 2026-12-01'


def pair(a_impact: str = "1000", b_impact: str = "500", a_extra: str = "", b: bool = True) -> str:
    text = PAIR_HEAD.replace('[backlog]\ntitle = "T"', START)
    text += item("a", f"impact = {{ revenue = {a_impact} }}\n{a_extra}")
    if b:
        text += item("b", f"impact = {{ revenue = {b_impact} }}\n")
    return text


def diff(old: str, new: str):
    return diff_backlogs(parse_backlog(old), parse_backlog(new))


def test_an_estimate_raised_brings_an_item_into_the_plan() -> None:
    d = diff(pair(), pair(b_impact="{ low = 4000, likely = 5000, high = 6000 }"))
    assert [ch.words() for ch in d.inputs] == ["b: impact.revenue 500 -> 4000 / 5000 / 6000"]
    assert d.added == d.removed == d.verdicts == []
    moves = {(pc.item, pc.kind, pc.old_phase, pc.new_phase) for pc in d.plan_changes}
    assert moves == {("b", "entered", None, 30), ("a", "left", 30, None)}
    entered = next(pc for pc in d.plan_changes if pc.kind == "entered")
    assert [ch.field for ch in entered.inputs] == ["impact.revenue"]
    left = next(pc for pc in d.plan_changes if pc.kind == "left")
    assert "capacity" in left.reason and left.inputs == [] and left.room == ["b"]
    assert entered.room == []  # its own change explains it
    assert "      to make room for b" in diff_lines(d)
    assert [(m.item, m.old, m.new) for m in d.rank_moves] == [("b", 2, 1), ("a", 1, 2)]
    assert d.value_change > 0


def test_an_item_removed_leaves_the_plan_and_frees_its_room() -> None:
    old = pair()
    new = PAIR_HEAD.replace('[backlog]\ntitle = "T"', START) + item("b", "impact = { revenue = 500 }\n")
    d = diff(old, new)
    assert d.removed == ["a"] and d.added == [] and d.inputs == [] and d.verdicts == []
    kinds = {(pc.item, pc.kind) for pc in d.plan_changes}
    assert kinds == {("a", "left"), ("b", "entered")}
    assert next(pc for pc in d.plan_changes if pc.item == "a").reason == "removed from the backlog"
    assert next(pc for pc in d.plan_changes if pc.item == "b").room == ["a"]
    assert any(line == "Items removed:" for line in diff_lines(d))


def test_a_status_change_is_a_verdict_and_moves_the_plan() -> None:
    d = diff(pair(), pair(a_extra='status = "deferred"'))
    assert [ch.words() for ch in d.verdicts] == ["a: status idea -> deferred"]
    assert d.inputs == []
    left = next(pc for pc in d.plan_changes if pc.item == "a")
    assert left.kind == "left" and left.reason == "deferred"
    assert [f"{ch.item}.{ch.field}" for ch in left.inputs] == ["a.status"]
    assert {(pc.item, pc.kind) for pc in d.plan_changes} == {("a", "left"), ("b", "entered")}


def test_no_change_says_so() -> None:
    d = diff(pair(), pair())
    assert d.empty and d.plan_changes == [] and d.rank_moves == []
    assert diff_lines(d) == ["No changes: every input is the same."]


def test_a_price_change_touches_the_items_that_move_that_metric() -> None:
    new = pair().replace("value_per_unit = 1.0", "value_per_unit = 0.1")
    d = diff(pair(), new)
    assert [ch.words() for ch in d.inputs] == ["metrics.revenue.value_per_unit 1 -> 0.1"]
    assert d.plan_changes == []  # a still beats b: the order is the same
    assert d.value_change < 0


# -- REV:PATH through git ----------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    _git(root, "init", "-q")
    (root / "backlog.toml").write_text(pair(), encoding="utf-8")
    _git(root, "add", "backlog.toml")
    _git(root, "commit", "-q", "-m", "first")
    (root / "backlog.toml").write_text(pair(b_impact="5000"), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_rev_path_reads_the_committed_version(repo: Path, cli) -> None:
    code, out, err = cli("diff", "HEAD:backlog.toml", "backlog.toml")
    assert code == 0, err
    assert "b: impact.revenue 500 -> 5000" in out
    assert "b enters the plan at day 30" in out
    code, out, _ = cli("diff", "HEAD:backlog.toml", "backlog.toml", "--format", "json")
    got = json.loads(out)
    assert got["inputs"] == [{"id": "b", "field": "impact.revenue", "old": "500", "new": "5000"}]
    assert {(p["id"], p["change"]) for p in got["plan_changes"]} == {("b", "entered"), ("a", "left")}
    assert out.isascii()


def test_rev_path_from_a_subfolder_is_relative_to_it(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    assert load_version("HEAD:../backlog.toml").items[1].impact["revenue"].likely == 500


def test_an_unknown_revision_is_one_clear_line(repo: Path, cli) -> None:
    code, out, err = cli("diff", "nosuch:backlog.toml", "backlog.toml")
    assert code == 2 and out == ""
    assert err.strip() == (
        "fulcrum: nosuch:backlog.toml: unknown revision 'nosuch' "
        "(a commit, branch or tag, such as HEAD or HEAD~1)"
    )


def test_a_file_the_revision_lacks(repo: Path, cli) -> None:
    code, _, err = cli("diff", "HEAD:other.toml", "backlog.toml")
    assert code == 2 and err.strip() == "fulcrum: HEAD:other.toml: revision 'HEAD' has no file 'other.toml'"


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "b.toml").write_text(pair(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("diff", "HEAD:b.toml", "b.toml")
    assert code == 2
    assert err.count("\n") == 1 and "is not inside a git repository" in err


def test_a_bad_file_in_a_revision_is_located_under_its_name(repo: Path, cli) -> None:
    (repo / "backlog.toml").write_text("[backlog\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    code, _, err = cli("diff", "HEAD:backlog.toml", "HEAD~1:backlog.toml")
    assert code == 2 and err.startswith("HEAD:backlog.toml:1:") and "Traceback" not in err


def test_git_missing_is_a_revision_error(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RevisionError, match="git is not installed"):
        load_version("HEAD:backlog.toml")


# -- properties --------------------------------------------------------------------------------

EFFORTS = st.sampled_from(["0.5", "1", "2", "{ low = 1, likely = 2, high = 4 }"])
IMPACTS = st.integers(min_value=0, max_value=3000)


@settings(max_examples=25, deadline=None)
@given(a=IMPACTS, b=IMPACTS, b2=IMPACTS, effort=EFFORTS, effort2=EFFORTS)
def test_the_diff_lists_exactly_the_values_changed_and_the_plan_moves_are_the_plans(
    a: int, b: int, b2: int, effort: str, effort2: str
) -> None:
    def text(b_impact: int, b_effort: str) -> str:
        head = PAIR_HEAD.replace('[backlog]\ntitle = "T"', START)
        return (
            head
            + item("a", f"impact = {{ revenue = {a} }}\n")
            + item("b", f"impact = {{ revenue = {b_impact} }}\n", effort=b_effort)
        )

    old, new = parse_backlog(text(b, effort)), parse_backlog(text(b2, effort2))
    d = diff_backlogs(old, new)
    changed = {("impact.revenue", b != b2), ("effort", old.item("b").effort != new.item("b").effort)}
    assert sorted(ch.field for ch in d.inputs) == sorted(f for f, moved in changed if moved)
    assert all(ch.item == "b" for ch in d.inputs) and d.verdicts == [] and not d.added and not d.removed
    assert d.empty == (old == new)
    before = {p.id: p.phase for p in build_plan(old).planned}
    after = {p.id: p.phase for p in build_plan(new).planned}
    moved = {pc.item: (pc.old_phase, pc.new_phase) for pc in d.plan_changes}
    expected = {i: (before.get(i), after.get(i)) for i in {*before, *after} if before.get(i) != after.get(i)}
    assert moved == expected


def test_a_metric_added_is_one_change_and_its_first_use_another() -> None:
    new = pair().replace(
        "[stakeholders.cfo]", '[metrics.nps]\nlabel = "NPS"\nvalue_per_unit = 2.0\n\n[stakeholders.cfo]'
    )
    new = new.replace("impact = { revenue = 500 }", "impact = { revenue = 500, nps = 100 }")
    d = diff(pair(), new)
    assert [ch.words() for ch in d.inputs] == ["b: impact.nps (none) -> 100", "metrics.nps added"]
    assert [ch.words() for ch in diff(new, pair()).inputs] == [
        "b: impact.nps 100 -> (none)",
        "metrics.nps removed",
    ]
