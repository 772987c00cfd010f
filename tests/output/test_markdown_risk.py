"""The export's "How sure is this plan" and "Open questions, by what they are worth": present with
the odds and the top question, user text escaped (tables stay rectangular), the same bytes every
time, and left to `fulcrum risk` on backlogs too big to sample in an export."""

from __future__ import annotations

from markdown_it import MarkdownIt

from backlogs import HEAD, item
from fulcrum.backlog import parse_backlog
from fulcrum.output import render_markdown
from fulcrum.output.markdown_risk import MAX_CANDIDATES

PARSER = MarkdownIt("commonmark").enable("table")

DECIDING = (
    item("a", "impact = { revenue = { low = 0, likely = 500, high = 2000 } }")
    + '[items.evidence]\nrevenue = "*guess* | from <b>Ops</b>"\n'
    + item("b", "impact = { revenue = 1000 }")
)


def backlog(text: str):
    head = HEAD.replace('title = "T"\n', 'title = "T"\nstart = 2027-01-04\n')
    return parse_backlog(
        f"{head}\n[capacity]\ndays_30 = 1\ndays_60 = 0\ndays_90 = 0\n[plan]\nearly_wins = 0\n{text}"
    )


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n")[1].split("\n## ")[0]


def test_the_sections_give_the_odds_and_the_question_worth_asking() -> None:
    text = render_markdown(backlog(DECIDING))
    sure = section(text, "How sure is this plan")
    assert "The plan finishes by day 90 in 100% of samples" in sure
    assert "correlations between them are not modelled" in sure
    questions = section(text, "Open questions, by what they are worth")
    rows = [line for line in questions.splitlines() if line.startswith("| a ")]
    assert len(rows) == 1 and "impact.revenue" in rows[0]
    assert "\\*guess\\* \\| from &lt;b>Ops&lt;/b>" in rows[0]  # escaped, so the table keeps its columns
    assert "at the low end: the same plan; at the high end: drop b; add a by day 30" in rows[0]
    tokens = PARSER.parse(questions)
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    assert len(cells) % 6 == 0
    assert text == render_markdown(backlog(DECIDING))


def test_a_certain_backlog_has_no_open_question() -> None:
    text = render_markdown(backlog(item("b", "impact = { revenue = 1000 }")))
    assert "None: no single number, checked, would change the plan." in section(
        text, "Open questions, by what they are worth"
    )
    assert "No item's place is in doubt" in section(text, "How sure is this plan")


def test_a_big_backlog_is_left_to_fulcrum_risk() -> None:
    many = "".join(item(f"i{k}", "impact = { revenue = 10 }") for k in range(MAX_CANDIDATES + 1))
    text = render_markdown(backlog(many))
    assert "run `fulcrum risk FILE`" in section(text, "How sure is this plan")
    assert "## Open questions, by what they are worth" not in text
