"""The Markdown plan, read back with a real Markdown parser (CommonMark + GFM tables).

The golden backlog's export: sections in order, every table rectangular, the ranked table equal to
the ranking, phases, tour and early wins, the not-doing rows, assumptions and open questions equal
to review(); byte-identical in two processes with different PYTHONHASHSEED; hostile titles, owners,
stakeholder names, metric sources and multi-line decisions as literal cell text with no link,
image, emphasis or HTML token except `<br>`; docs/example-plan.md equal to a fresh render of
backlog.example.toml.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from backlogs import ROOT
from fulcrum.backlog import load_backlog, parse_backlog
from fulcrum.output import render_markdown
from fulcrum.scoring import QUADRANT_LABELS, ScoringError, review, score_backlog
from mermaid_grammar import check_chart

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "a | b",
    "<script>x</script>",
    "[x](javascript:alert(1))",
    "**bold**",
    "back\\\\slash \\\\| pipe",
    "[/bad] x",
    "[@click=app.quit]quit[/]",
    "# heading? `code` $1 to $2$ ~~s~~ _e_ &amp;",
]


def _toml(s: str) -> str:
    """A TOML basic string (the hostile titles above are written already escaped for TOML)."""
    return '"' + s.replace('"', '\\"') + '"'


def hostile_backlog() -> str:
    items = []
    for n, title in enumerate(HOSTILE):
        items.append(
            f"[[items]]\nid = 'h{n}'\ntitle = {_toml(title)}\nrequested_by = ['evil']\n"
            f"owner = {_toml(title)}\neffort = {1 + n}\nconfidence = 0.9\n"
            f"[items.impact]\nrevenue = {10_000 * (n + 1)}\n"
            f"[items.evidence]\nrevenue = {_toml('from ' + title)}\n"
        )
    items.append(
        "[[items]]\nid = 'gone'\ntitle = \"<b>dropped</b> | x\"\neffort = 1\nstatus = 'dropped'\n"
        'decision = """First line | one\n\n- not a list\n<i>second</i> [link](http://x)"""\n'
    )
    return (
        '[backlog]\ntitle = "Plan | <b>ours</b> [x](y) #1"\nowner = "**me** | you"\nstart = 2027-01-04\n'
        '[metrics.revenue]\nlabel = "Rev | enue"\nunit = "<USD>"\nvalue_per_unit = 1.0\n'
        'source = "[CFO](javascript:x) | *said*"\n'
        '[stakeholders.evil]\nname = "[@click=app.quit]Eve[/]"\nrole = "C|O <x>"\ninfluence = 4\n'
        + "\n".join(items)
    )


# -- helpers over the token stream -----------------------------------------------------------------


def tables(tokens: list[Token]) -> list[list[list[list[Token]]]]:
    """Every table: rows of cells, each cell the children of its inline token."""
    out: list[list[list[list[Token]]]] = []
    cell_open = False
    for t in tokens:
        if t.type == "table_open":
            out.append([])
        elif t.type == "tr_open":
            out[-1].append([])
        elif t.type in ("th_open", "td_open"):
            cell_open = True
        elif t.type == "inline" and cell_open:
            out[-1][-1].append(t.children or [])
            cell_open = False
    return out


def text_of(children: list[Token], *, ours: bool = False) -> str:
    """The literal text of inline children; fails on anything but text and <br> (shown as "\\n").

    ``ours``: also allow the bold that the export itself puts around its own words ("to meet").
    """
    parts = []
    for c in children:
        if ours and c.type in ("strong_open", "strong_close"):
            continue
        if c.type == "text":
            parts.append(c.content)
        elif c.type == "html_inline" and c.content == "<br>":
            parts.append("\n")
        else:
            raise AssertionError(f"not literal text: {c.type} {c.content!r}")
    return "".join(parts)


def table_with(tokens: list[Token], first_header: str, second: str | None = None) -> list[list[list[Token]]]:
    found = [
        t
        for t in tables(tokens)
        if text_of(t[0][0]) == first_header and (second is None or text_of(t[0][1]) == second)
    ]
    assert len(found) == 1, f"expected one table headed {first_header!r}, found {len(found)}"
    return found[0]


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    out = []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            out.append((t.tag, text_of(tokens[i + 1].children or [])))
    return out


def inline_types(tokens: list[Token]) -> set[str]:
    return {c.type for t in tokens if t.type == "inline" for c in (t.children or [])}


# -- the golden backlog --------------------------------------------------------------------------


@pytest.fixture
def golden(golden_toml):
    return load_backlog(golden_toml)


@pytest.fixture
def golden_md(golden) -> str:
    # Every section, the internal notes included; the public split: tests/output/test_public_export.py.
    return render_markdown(golden, internal=True)


def test_sections_in_order(golden_md: str) -> None:
    hs = [h for h in headings(PARSER.parse(golden_md)) if h[0] in ("h1", "h2")]
    assert hs == [
        ("h1", "Golden example"),
        ("h2", "The 30-60-90 plan"),
        ("h2", "Ranked backlog"),
        ("h2", "Impact vs feasibility"),
        ("h2", "Not doing now, and why"),
        ("h2", "How sure is this plan"),
        ("h2", "Open questions, by what they are worth"),
        ("h2", "Show me the calculation"),
        ("h2", "Assumptions"),
    ]
    assert golden_md.endswith("\n") and not golden_md.endswith("\n\n")


def test_every_table_is_rectangular(golden_md: str) -> None:
    found = tables(PARSER.parse(golden_md))
    assert len(found) >= 6
    for t in found:
        widths = {len(row) for row in t}
        assert len(widths) == 1, t


def test_title_block_names_owner_date_lens_and_method(golden_md: str) -> None:
    head = golden_md.split("\n## ")[0]
    assert "**Owner:** Test" in head
    assert "**Date:** 2027-01-04" in head
    assert "**Lens:** everyone" in head
    assert "value density: score = value / effort" in head


def test_ranked_table_matches_the_ranking(golden, golden_md: str, golden_json) -> None:
    ranking = score_backlog(golden)
    t = table_with(PARSER.parse(golden_md), "Rank", "Title")
    assert [text_of(c) for c in t[0]] == [
        "Rank", "Title", "Quadrant", "Value/yr", "Effort", "Feasibility", "Score", "Requested by",
    ]  # fmt: skip
    rows = t[1:]
    assert len(rows) == len(ranking.ranked) == 5
    for row, s in zip(rows, ranking.ranked, strict=True):
        cells = [text_of(c) for c in row]
        assert cells[0] == str(s.rank)
        assert cells[1] == s.item.title
        assert cells[2] == QUADRANT_LABELS[s.quadrant]
        assert cells[5] == f"{s.feasibility:.2f}"
    titles = {it.id: it.title for it in golden.items}
    assert [text_of(r[1]) for r in rows] == [titles[g["id"]] for g in golden_json("rank.json")]
    assert text_of(rows[0][3]) == "$36k"
    assert text_of(rows[0][7]) == "C (CFO)"


def test_plan_phases_tour_and_early_wins(golden_md: str) -> None:
    tokens = PARSER.parse(golden_md)
    h3 = [h[1] for h in headings(tokens) if h[0] == "h3"]
    assert h3[:4] == [
        "Listening tour",
        "Days 1-30 (until 2027-02-02)",
        "Days 31-60 (until 2027-03-04)",
        "Days 61-90 (until 2027-04-03)",
    ]
    phases = [t for t in tables(tokens) if text_of(t[0][0]) == "Item" and text_of(t[0][1]) == "Owner"]
    titles = [sorted(text_of(r[0]) for r in t[1:]) for t in phases]
    assert titles == [["Cheap cloud saving", "Small ops fix"], ["Growth feature"]]
    assert "Nothing planned in this phase." in golden_md
    tour = table_with(tokens, "#", "Stakeholder")
    assert [[text_of(c, ours=True) for c in r] for r in tour[1:]] == [
        ["1", "C", "CFO", "5", "to meet"],
        ["2", "P", "PM", "3", "to meet"],
    ]
    assert (
        "Early wins: the first 30 days must deliver 1 quick win to build trust; the plan has 1." in golden_md
    )
    # b + c would be worth more (golden README): the early win costs value, and the export says how much.
    assert "Honouring this costs \\$3.12k of first-year value." in golden_md


def test_not_doing_lists_dropped_and_later_with_reasons(golden_md: str) -> None:
    t = table_with(PARSER.parse(golden_md), "Item", "Status")
    rows = {text_of(r[0]): (text_of(r[1]), text_of(r[2])) for r in t[1:]}
    assert rows["Dropped idea"] == ("dropped", "Not worth it.")
    assert rows["Pricing page revamp"][0] == "later"
    assert rows["Big migration"][0] == "later"
    assert all(why for _, why in rows.values())
    assert "Already done: Already done." in golden_md


def test_assumptions_list_every_metric_parameter_and_open_question(golden, golden_md: str) -> None:
    tokens = PARSER.parse(golden_md)
    metrics = table_with(tokens, "Metric")
    assert [text_of(r[0]) for r in metrics[1:]] == [
        "Revenue (revenue)",
        "Monthly active users (users)",
        "Cloud cost (cloud)",
    ]
    assert [text_of(r[5]) for r in metrics[1:]] == ["plan", "ARPU", "bill"]
    assert text_of(metrics[2][3]) == "100,000"
    params = {text_of(r[0]): text_of(r[1]) for r in table_with(tokens, "Parameter")[1:]}
    assert params["Effort half-life"].startswith("4 person-weeks")
    assert params["Quick win: minimum value per year"] == "median of ranked values = $36k"
    questions = review(golden)
    if questions:
        q = table_with(tokens, "Item", "Field")
        assert len(q) - 1 == len(questions)
        assert [text_of(r[2]) for r in q[1:]] == [w.message for w in questions]


def test_the_chart_block_reads_under_the_quadrant_grammar(golden_md: str) -> None:
    fences = [t for t in PARSER.parse(golden_md) if t.type == "fence" and t.info == "mermaid"]
    assert len(fences) == 1
    kinds = check_chart(fences[0].content.rstrip("\n"))
    assert kinds.count("point") == 5


def test_the_calculation_of_each_planned_item_is_shown(golden, golden_md: str) -> None:
    from fulcrum.plan import build_plan
    from fulcrum.scoring import explain_item

    plan = build_plan(golden)
    fences = [t for t in PARSER.parse(golden_md) if t.type == "fence" and t.info == "text"]
    assert [f.content.splitlines()[0] for f in fences] == [
        f"{p.id}: {p.scored.item.title}" for p in plan.planned
    ]
    assert fences[0].content == "\n".join(explain_item(plan.ranking, plan.planned[0].id).lines()) + "\n"
    assert "sum 40,000 * confidence 0.9 = 36,000" in fences[0].content


def test_same_input_same_bytes_in_separate_processes(golden_toml) -> None:
    code = "import sys; from fulcrum.backlog import load_backlog; "
    code += "from fulcrum.output import render_markdown; "
    code += "sys.stdout.write(render_markdown(load_backlog(sys.argv[1])))"
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", code, str(golden_toml)], capture_output=True, env=env, check=True
        )
        outs.append(run.stdout)
    assert outs[0] == outs[1] == render_markdown(load_backlog(golden_toml)).encode()


def test_start_overrides_the_date(golden) -> None:
    text = render_markdown(golden, start=date(2030, 5, 1))
    assert "**Date:** 2030-05-01" in text and "2027-01-04" not in text


def test_lens_reranks_and_is_named(golden) -> None:
    text = render_markdown(golden, "cfo")
    assert "**Lens:** cfo, C (CFO): cloud x1" in text
    with pytest.raises(ScoringError):
        render_markdown(golden, "nobody")


# -- hostile text ------------------------------------------------------------------------------


@pytest.fixture
def hostile():
    return parse_backlog(hostile_backlog())


def test_hostile_titles_are_literal_cell_text(hostile) -> None:
    text = render_markdown(hostile)
    tokens = PARSER.parse(text)
    ranked = table_with(tokens, "Rank", "Title")
    titles = {it.id: it.title for it in hostile.items}
    assert sorted(text_of(r[1]) for r in ranked[1:]) == sorted(t for i, t in titles.items() if i != "gone")
    assert {text_of(r[7]) for r in ranked[1:]} == {"[@click=app.quit]Eve[/] (C|O <x>)"}
    for t in tables(tokens):
        assert len({len(r) for r in t}) == 1
    phase_rows = [
        r for t in tables(tokens) if text_of(t[0][0]) == "Item" and text_of(t[0][1]) == "Owner" for r in t[1:]
    ]
    for row in phase_rows:
        assert text_of(row[0]) == text_of(row[1])  # owner = title in this backlog
        assert text_of(row[0]) in titles.values()


def test_hostile_text_makes_no_link_image_html_or_code(hostile) -> None:
    tokens = PARSER.parse(render_markdown(hostile))
    assert not {t.type for t in tokens} & {"html_block"}
    kinds = inline_types(tokens)
    assert not kinds & {"link_open", "image", "s_open", "em_open"}
    html = [
        c.content for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "html_inline"
    ]
    assert set(html) <= {"<br>"}
    assert headings(tokens)[0] == ("h1", "Plan | <b>ours</b> [x](y) #1")


def test_decision_with_newlines_stays_in_one_cell(hostile) -> None:
    t = table_with(PARSER.parse(render_markdown(hostile)), "Item", "Status")
    row = next(r for r in t[1:] if text_of(r[0]) == "<b>dropped</b> | x")
    assert len(row) == 3
    assert text_of(row[2]) == "First line | one\n- not a list\n<i>second</i> [link](http://x)"


def test_hostile_metric_and_owner_are_literal(hostile) -> None:
    text = render_markdown(hostile)
    tokens = PARSER.parse(text)
    metrics = table_with(tokens, "Metric")
    cells = [text_of(c) for c in metrics[1]]
    assert cells == [
        "Rev | enue (revenue)",
        "<USD>",
        "1 USD/yr per unit",
        "",
        "",
        "[CFO](javascript:x) | *said*",
    ]
    assert "**Owner:** \\*\\*me\\*\\* \\| you" in text


def test_hostile_chart_reads_under_the_grammar(hostile) -> None:
    fences = [t for t in PARSER.parse(render_markdown(hostile)) if t.type == "fence" and t.info == "mermaid"]
    kinds = check_chart(fences[0].content.rstrip("\n"))
    assert kinds.count("point") == len(HOSTILE)


def test_backticks_in_titles_do_not_close_the_calculation_blocks() -> None:
    b = parse_backlog(
        '[backlog]\ntitle = "T"\nstart = 2027-01-04\n[capacity]\ndays_30 = 5\n'
        "[metrics.revenue]\nlabel = 'R'\nvalue_per_unit = 1.0\n"
        "[[items]]\nid = 'x'\ntitle = 'a ```` b'\neffort = 1\n[items.impact]\nrevenue = 1000\n"
    )
    tokens = PARSER.parse(render_markdown(b, internal=True))
    fences = [t for t in tokens if t.type == "fence" and t.info == "text"]
    assert len(fences) == 1 and "a ```` b" in fences[0].content
    assert headings(tokens)[-1][1] == "Open questions"


# -- the committed example --------------------------------------------------------------------------


def test_docs_example_plan_is_current(example_toml) -> None:
    committed = (ROOT / "docs" / "example-plan.md").read_text(encoding="utf-8")
    assert committed == render_markdown(load_backlog(example_toml)), "run `make example-plan`"


def test_docs_example_plan_is_well_formed(example_toml) -> None:
    backlog = load_backlog(example_toml)
    tokens = PARSER.parse((ROOT / "docs" / "example-plan.md").read_text(encoding="utf-8"))
    for t in tables(tokens):
        assert len({len(r) for r in t}) == 1
    ranked = table_with(tokens, "Rank", "Title")
    assert [text_of(r[1]) for r in ranked[1:]] == [s.item.title for s in score_backlog(backlog).ranked]
    (chart,) = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert check_chart(chart.content.rstrip("\n")).count("point") == len(ranked) - 1


titles = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\u2028\u2029\x85\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
    | st.sampled_from('|\\`*_[]<>&#$~!-+=.()"'),
    min_size=1,
    max_size=40,
)


@settings(max_examples=25, deadline=None)
@given(st.lists(titles, min_size=1, max_size=4), titles)
@example(["0"], " ")  # found in a fresh clone: a decision of blanks only
def test_any_titles_and_decision_come_out_literal(item_titles: list[str], decision: str) -> None:
    from fulcrum.backlog import Backlog, BacklogMeta, Estimate, Item, Metric

    items = [
        Item(id=f"i{n}", title=t, effort=Estimate.point(1 + n), impact={"r": Estimate.point(1000 * (n + 1))})
        for n, t in enumerate(item_titles)
    ]
    items.append(Item(id="x", title=decision, effort=Estimate.point(1), status="dropped", decision=decision))
    b = Backlog(
        backlog=BacklogMeta(title=decision, start=date(2027, 1, 4)),
        metrics={"r": Metric(label="R", value_per_unit=1.0)},
        items=items,
    )
    tokens = PARSER.parse(render_markdown(b))
    norm = lambda s: re.sub(r"[ \t]+", " ", s).strip()  # noqa: E731  (what md() does to one line)
    assert headings(tokens)[0] == ("h1", norm(decision) or "Plan")  # a blank title reads "Plan"
    ranked = table_with(tokens, "Rank", "Title")
    assert sorted(text_of(r[1]) for r in ranked[1:]) == sorted(norm(t) for t in item_titles)
    for t in tables(tokens):
        assert len({len(r) for r in t}) == 1
    not_doing = table_with(tokens, "Item", "Status")
    # a blank decision is no reason, as a blank title is no title
    assert [text_of(c) for c in not_doing[-1]] == [
        norm(decision),
        "dropped",
        norm(decision) or "no reason written down",
    ]
    (chart,) = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    check_chart(chart.content.rstrip("\n"))


OVERRUN = """
[backlog]
title = "Overrun"
start = 2027-01-04
[capacity]
days_30 = 1
days_60 = 1
days_90 = 1
[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0
[[items]]
id = "w1"
title = "In progress one"
effort = 2
status = "doing"
impact = { revenue = 1000 }
[[items]]
id = "w2"
title = "In progress two"
effort = 2
status = "doing"
phase = 60
impact = { revenue = 1000 }
"""


def test_over_capacity_phases_never_show_negative_capacity() -> None:
    text = render_markdown(parse_backlog(OVERRUN, "overrun.toml"))
    capacity_lines = [ln for ln in text.splitlines() if ln.startswith("Capacity used:")]
    assert len(capacity_lines) == 3
    assert not any(re.search(r"of -\d", ln) for ln in capacity_lines)
    # Days 31-60 start 1 wk in the red: 1 wk of its own, less what day 30 ran over.
    assert "less the 1 person-week earlier phases ran over" in capacity_lines[1]
    assert "Over capacity" in capacity_lines[0] and "Over capacity" in capacity_lines[1]


def test_the_metrics_table_says_what_each_metric_also_moves(example_toml) -> None:
    tokens = PARSER.parse(render_markdown(load_backlog(example_toml)))
    metrics = table_with(tokens, "Metric")
    assert text_of(metrics[0][4]) == "Also moves"
    moves = {text_of(r[0]): text_of(r[4]) for r in metrics[1:]}
    assert moves["Card authorization rate (auth_rate)"] == "chargebacks x 20,000"
    assert moves["Net revenue (revenue)"] == ""
