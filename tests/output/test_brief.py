"""The brief to one stakeholder: on the example, each stakeholder's brief holds exactly their items
with the plan's status, phase and reason; hostile names and titles stay literal; unknown keys get a hint."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from backlogs import HEAD, item, write
from fulcrum.backlog import load_example, parse_backlog
from fulcrum.output import brief_items, render_brief
from fulcrum.output.brief import RISK_PLAN_SAMPLES, RISK_SAMPLES, worth_asking
from fulcrum.output.markdown_escape import md
from fulcrum.plan import build_plan
from fulcrum.risk import analyse
from fulcrum.scoring import ScoringError, score_backlog

PARSER = MarkdownIt("commonmark")
_DAYS = {30: "days 1-30", 60: "days 31-60", 90: "days 61-90"}


@pytest.fixture(scope="module")
def example():
    backlog = load_example()
    plan = build_plan(backlog)
    return backlog, plan, analyse(plan, samples=RISK_SAMPLES, plan_samples=RISK_PLAN_SAMPLES)


def section(text: str, heading: str) -> list[str]:
    """The list lines under one ``## heading``."""
    lines = text.split("\n")
    start = lines.index(f"## {heading}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        if line.startswith("- "):
            out.append(line)
    return out


def entry(lines: list[str], title: str) -> str:
    found = [ln for ln in lines if ln.startswith(f"- **{md(title)}**: ")]
    assert len(found) == 1, (title, lines)
    return found[0].split("**: ", 1)[1]


def test_each_brief_lists_exactly_their_requests_with_the_plans_status(example) -> None:
    backlog, plan, risk = example
    planned = {p.id: p for p in plan.planned}
    later = {lt.id: lt for lt in plan.later}
    for key in backlog.stakeholders:
        text = render_brief(backlog, key, plan=plan, risk=risk)
        asked = section(text, "What you asked for")
        theirs = [it for it in backlog.items if key in it.requested_by]
        assert len(asked) == len(theirs), key
        for it in theirs:
            words = entry(asked, it.title)
            if it.status == "done":
                assert words.startswith("Done")
            elif it.status == "dropped":
                assert words.startswith("Dropped")
            elif it.status == "deferred":
                assert words.startswith("Deferred")
            elif it.id in planned:
                p = planned[it.id]
                assert words.startswith(f"Planned for {_DAYS[p.phase]}, due {p.due.isoformat()}, owner: ")
                assert "Why now: " in words
            else:
                reason = later[it.id].reason
                assert words.startswith("Not in these 90 days: ")
                if "capacity" in reason:
                    assert "capacity" in words or "bigger than all the time" in words
                elif reason.startswith("waits for"):
                    assert "it waits for " in words
                else:
                    assert md(reason) in words
                rank = plan.ranking.get(it.id)
                assert rank is not None
                assert (
                    f"ranks {rank.rank}" in words
                    and f"of {len(plan.ranking.ranked)} for the company" in words
                )


def test_what_else_serves_them_is_the_open_items_worth_something_to_them(example) -> None:
    backlog, plan, risk = example
    for key in backlog.stakeholders:
        theirs = score_backlog(backlog, key)
        expected = [s.item for s in theirs.ranked if s.value > 0 and key not in s.item.requested_by]
        _, others, more = brief_items(plan, key)
        assert {b.item.id for b in others} <= {it.id for it in expected}
        assert len(others) + more == len(expected)
        text = render_brief(backlog, key, plan=plan, risk=risk)
        if others:
            lines = section(text, "What else serves your metrics")
            for b in others:
                entry(lines, b.item.title)
        else:
            assert "## What else serves your metrics" not in text


def test_the_cfo_brief_reads_as_a_note(example) -> None:
    backlog, plan, risk = example
    text = render_brief(backlog, "cfo", plan=plan, risk=risk)
    assert text.startswith("# Payments platform: first 90 days: a note for Dana Smith (CFO)\n\nHi Dana,\n")
    for heading in ("What you asked for", "What I need from you", "When we meet"):
        assert f"\n## {heading}\n" in text
    assert "We met on 2026-12-03" in text
    assert text.rstrip().endswith("Sam Rivera")
    assert "influence" not in text  # an internal note: nobody is told their influence score
    # A capacity reason says what it would displace, with the value in their currency.
    assert re.search(r"to fit, it would need to displace .+ \(worth \\\$[0-9.]+k/yr to the company\)", text)


def test_what_i_need_asks_the_inputs_worth_most_that_they_can_confirm(example) -> None:
    backlog, plan, risk = example
    voi = worth_asking(backlog, "cfo", risk)
    assert voi and all(q.input != "effort" for q in voi)
    assert [q.evppi for q in voi] == sorted((q.evppi for q in voi), reverse=True)
    asks = section(render_brief(backlog, "cfo", plan=plan, risk=risk), "What I need from you")
    first = asks[0]
    assert first.startswith(f"- {md(backlog.item(voi[0].id).title)}: ")
    assert "knowing it before I commit is worth about" in first
    # Without value of information worth asking, the review's open questions: "who told you that?"
    cpo = section(render_brief(backlog, "cpo", plan=plan, risk=risk), "What I need from you")
    assert any("no source yet. Who told us" in line for line in cpo)


def test_someone_not_met_is_asked_for_a_meeting(example) -> None:
    backlog, plan, risk = example
    text = render_brief(backlog, "support", plan=plan, risk=risk)
    assert "We have not met yet: I would like to meet you by 2026-12-30" in text
    assert "on my listening tour" in text


def test_deterministic() -> None:
    backlog = load_example()
    assert render_brief(backlog, "cpo", today=date(2026, 12, 1)) == render_brief(backlog, "cpo")


HOSTILE_NAME = "[@click=app.quit] *Dana* <b>x</b> | `y`"
HOSTILE_TITLE = "**bold** [link](javascript:alert(1)) <script>x</script> $1 | # h"


def test_hostile_names_and_titles_stay_literal() -> None:
    text = HEAD.replace('name = "C"', f"name = {HOSTILE_NAME!r}".replace("'", '"'))
    text = text.replace('[backlog]\ntitle = "T"', '[backlog]\ntitle = "T"\nstart = 2026-12-01')
    text += item("a", "impact = { revenue = 1000 }\n", title=HOSTILE_TITLE.replace('"', '\\"'))
    out = render_brief(parse_backlog(text), "cfo")
    tokens = PARSER.parse(out)
    kinds = {c.type for t in tokens if t.type == "inline" for c in t.children or []}
    assert not kinds & {"link_open", "html_inline", "em_open", "code_inline", "image"}
    strong = [
        "".join(c.content for c in (t.children or []) if c.type == "text")
        for t in tokens
        if t.type == "inline" and t.children and any(c.type == "strong_open" for c in t.children)
    ]
    assert any(HOSTILE_TITLE in s for s in strong)
    heading = next(t for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open")
    assert HOSTILE_NAME in "".join(c.content for c in heading.children or [] if c.type == "text")
    assert not any(t.type == "html_block" for t in tokens)


def test_unknown_stakeholder_hints(tmp_path, cli) -> None:
    path = write(tmp_path, HEAD + item("a", "impact = { revenue = 1000 }\n"))
    code, out, err = cli("brief", path, "cof")
    assert code == 2 and out == ""
    assert err.strip() == f"{path}: unknown stakeholder 'cof'; did you mean 'cfo' (C)?"
    code, _, err = cli("brief", path, "zzz")
    assert code == 2 and err.strip().endswith("unknown stakeholder 'zzz'; the stakeholders are: cfo")
    with pytest.raises(ScoringError):
        render_brief(parse_backlog(HEAD), "nobody")


def test_brief_written_to_a_file(tmp_path, cli) -> None:
    path = write(tmp_path, HEAD + item("a", "impact = { revenue = 1000 }\n"))
    target = tmp_path / "note.md"
    code, out, err = cli("brief", path, "cfo", "-o", str(target), "--today", "2026-12-01")
    assert code == 0 and out == "" and "wrote" in err
    assert target.read_text(encoding="utf-8").startswith("# T: a note for C\n")
    code, _, err = cli("brief", path, "cfo", "-o", path)
    assert code == 2 and err.startswith("fulcrum: ")


def test_a_long_list_is_cut_and_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    from fulcrum.output import brief

    monkeypatch.setattr(brief, "MAX_RISK_ITEMS", 0)  # no sampling: the review's questions only
    text = HEAD + "".join(item(f"i{n}", f"impact = {{ revenue = {100 + n} }}\n") for n in range(30))
    out = render_brief(parse_backlog(text), "cfo")
    asked = section(out, "What you asked for")
    assert len(asked) == brief.MAX_ASKED + 1 and asked[-1].startswith("- …and 5 more of your requests")
    asks = section(out, "What I need from you")
    assert len(asks) == brief.MAX_QUESTIONS + 1
    assert asks[-1] == f"- …and {30 - brief.MAX_QUESTIONS} more questions for when we next talk."


STATUS = st.sampled_from(["idea", "planned", "doing", "deferred", "done", "dropped"])


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            STATUS, st.sets(st.sampled_from(["cfo", "pm"])), st.integers(0, 5000), st.sampled_from([1, 2, 5])
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_request_once_with_the_plans_status(rows) -> None:
    text = (
        HEAD.replace('title = "T"', 'title = "T"\nstart = 2026-12-01') + '\n[stakeholders.pm]\nname = "P"\n'
    )
    for n, (status, who, value, effort) in enumerate(rows):
        extra = f'status = "{status}"\nimpact = {{ revenue = {value} }}\n'
        text += item(f"i{n}", extra, str(effort), who=str(sorted(who)).replace("'", '"'))
    backlog = parse_backlog(text)
    plan = build_plan(backlog)
    planned = {p.id for p in plan.planned}
    words = {"done": "Done", "dropped": "Dropped", "deferred": "Deferred"}
    for key in ("cfo", "pm"):
        out = render_brief(backlog, key, plan=plan, risk=analyse(plan, samples=50, plan_samples=2))
        asked = section(out, "What you asked for")
        theirs = [it for it in backlog.items if key in it.requested_by]
        assert len(asked) == len(theirs)
        for it in theirs:
            got = entry(asked, it.title)
            if it.status in words:
                assert got.startswith(words[it.status])
            elif it.id in planned:
                assert got.startswith("Planned for days ")
            else:
                assert got.startswith("Not in these 90 days: ")


def test_a_dependency_is_named_by_its_title_and_lateness_is_said() -> None:
    text = HEAD.replace('title = "T"', 'title = "T"\nstart = 2026-12-01')
    text += item("a", 'status = "deferred"\nimpact = { revenue = 10 }\n')
    text += item("b", 'depends_on = ["a"]\nimpact = { revenue = 1000 }\n')
    text += item("c", 'status = "doing"\ndue = 2026-12-05\nimpact = { revenue = 5 }\n')
    backlog = parse_backlog(text)
    out = render_brief(backlog, "cfo", today=date(2026, 12, 20))
    b = entry(section(out, "What you asked for"), "Item b")
    assert b.startswith('Not in these 90 days: it waits for "Item a", which is deferred;')
    c = entry(section(out, "What you asked for"), "Item c")
    assert "due 2026-12-05, late" in c and "it was due 2026-12-05 and is late" in c


ONE_WEEK = HEAD.replace(
    'title = "T"\n', 'title = "T"\nstart = 2027-01-04\n\n[capacity]\ndays_30 = 1\ndays_60 = 0\ndays_90 = 0\n'
)


@pytest.mark.parametrize(
    ("planned", "waiting", "suggested"),
    [
        # Plain capacity: the cheaper planned work is what it would displace.
        ("impact = { revenue = 1000 }", "impact = { revenue = 500 }", True),
        # Never what it needs done first: giving that up makes it impossible.
        ("impact = { revenue = 100 }", 'impact = { revenue = 1000 }\ndepends_on = ["p"]', False),
        # Never work planned for its deadline: the plan meets deadlines before it weighs value.
        ("impact = { revenue = 100 }\ndue = 2027-01-15", "impact = { revenue = 1000 }", False),
    ],
)
def test_what_it_would_displace_is_only_what_could_give_way(
    planned: str, waiting: str, suggested: bool
) -> None:
    backlog = parse_backlog(ONE_WEEK + item("p", planned) + item("w", waiting))
    plan = build_plan(backlog)
    assert [p.id for p in plan.planned] == ["p"]
    entry = next(line for line in render_brief(backlog, "cfo", plan=plan).split("\n") if "**Item w**" in line)
    assert "capacity" in entry
    assert ("to fit, it would need to displace Item p" in entry) is suggested, entry


def test_only_work_bigger_than_every_week_is_called_bigger_than_the_time_there_is() -> None:
    backlog = parse_backlog(
        ONE_WEEK
        + item("p", "impact = { revenue = 100 }")
        + item("big", "impact = { revenue = 1000 }", effort="2")
    )
    plan = build_plan(backlog)
    lines = render_brief(backlog, "cfo", plan=plan).split("\n")
    big = next(line for line in lines if "**Item big**" in line)
    assert "it is bigger than all the time there is in 90 days (needs 2 person-weeks, more than the 1" in big
