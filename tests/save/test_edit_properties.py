"""Property: random edits saved with render_edits change exactly the edited values.

Over the golden backlog, the bundled example and a comment-rich file, each also with CRLF line
endings: the new text reads back as the edited backlog, keeps the line endings, keeps every
comment not inside an edited value or a deleted item, leaves untouched items byte-identical, and
changes no line that does not belong to an edited value.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum.backlog import STATUSES, Backlog, Estimate, Item, cross_check, parse_backlog
from fulcrum.save.backlog_file import render_edits
from toml_layouts import backlog_texts

RICH = """\
# Payments platform backlog, kept in git and edited by hand.
# Comments everywhere on purpose: a save must keep every one of them.

[backlog]
title = "Payments: first 90 days"   # the plan's title
owner = 'Sam Rivera'                # a literal string
start = 2026-12-01

[scoring]
method = "value_density"  # CD3
effort_half_life_weeks = 6
coordination_penalty = 0.15

[capacity]
days_30 = 1.0
days_60 = 3.0
days_90 = 4.0

# --- metrics -------------------------------------------------------------
[metrics.revenue]
label = "Revenue"
unit = "USD/yr"
value_per_unit = 1.0
source = "Finance FY27 plan"

[metrics.mau]
label = "Monthly active users"
value_per_unit = 3.5      # annual value of one more MAU
baseline = 2_000_000

[metrics.infra_cost]
label = "Infrastructure cost"
value_per_unit = -1.0
baseline = 20_000_000

# --- people --------------------------------------------------------------
[stakeholders.cfo]
name = "Dana Smith"
role = "CFO"
cares_about = ["infra_cost", "revenue"]
influence = 5

[stakeholders.pm]
name = "Lee"
cares_about = { mau = 1.0, revenue = 0.5 }   # weights
met = 2026-12-02

# --- the work ------------------------------------------------------------

# The CDN one is the obvious quick win.
[[items]]
id = "cdn-images"         # unique slug
title = "Serve product images from the CDN"
requested_by = ["cfo"]
effort = 2                # person-weeks
confidence = 0.8          # the team's guess
needs = ["sre"]
depends_on = []
status = "idea"
owner = "me"
due = 2026-12-20
decision = ""
phase = 30
tags = ["cost"]
fields = { reach = 5000, impact = 2 }

[items.impact]            # per year
infra_cost = { low = -300_000, likely = -250_000, high = -150_000 }
mau = 20_000  # from the A/B test

[items.evidence]
infra_cost = "AWS bill Oct 2026 + CDN vendor quote"

# Growth: big but uncertain.
[[items]]
id = "onboarding"
title = "Rework onboarding"
requested_by = ["pm"]
effort = { low = 3, likely = 5, high = 10 }  # wide
confidence = 0.5
needs = [
    "mobile",  # they are busy until January
    "design",
]
decision = \"\"\"
Waiting for the January roadmap.
Then decide.\"\"\"

[items.impact]
mau = { low = 10_000, likely = 50_000, high = 120_000 }

[items.impact.revenue]    # written as a sub-table on purpose
low = 0
likely = 100_000
high = 250_000

[[items]]
id = "db-upgrade"
title = "Upgrade the database"
effort = 4.0
status = "planned"
depends_on = ["cdn-images"]
# no impact yet: tracked only

[[items]]
id = "old"
title = "Old idea"
effort = 1
status = "dropped"
decision = "Not worth it."
impact = { revenue = 1_000 }   # inline on purpose

# end of file
"""


def _fixtures() -> dict[str, str]:
    base = {
        "golden": (ROOT / "tests" / "golden" / "small.toml").read_text(encoding="utf-8"),
        "rich": RICH,
    }
    example = ROOT / "src" / "fulcrum" / "backlog.example.toml"
    if example.exists():
        base["example"] = example.read_text(encoding="utf-8")
    out = dict(base)
    for name, text in base.items():
        out[name + "-crlf"] = text.replace("\n", "\r\n")
    return out


FIXTURES = _fixtures()
PARSED = {name: parse_backlog(text) for name, text in FIXTURES.items()}

# --- what each line of a file is about (a deliberately simple reader, independent of fulcrum) --

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\" -]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def lines_of(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def classify(text: str, b: Backlog) -> list[tuple[str, tuple[str, ...], str]]:
    """Per line: (kind, context, comment). kind is header/key/more/comment/blank; the context of a
    key is its path, e.g. ("items", "a", "impact", "mau"); a comment or blank line has the
    context of the table it is in; comment is the text of the line's comment, if any."""
    out = []
    table: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    n_item = -1
    in_ml = ""  # the delimiter of the multi-line string the line is in, if any
    for line in lines_of(text):
        s = line.strip()
        if in_ml:
            out.append(("more", key, ""))
            if in_ml in line:
                in_ml = ""
            continue
        bare = _STRINGS.sub('""', s.replace('"""', ""))
        comment = bare[bare.index("#") :] if "#" in bare else ""
        if s.startswith("#"):
            out.append(("comment", table, s))
        elif not s:
            out.append(("blank", table, ""))
        elif (h := _HEADER.match(line)) and s.startswith("["):
            keys = tuple(k.strip().strip('"') for k in h.group(2).split("."))
            if h.group(1) == "[[":
                n_item += 1
                table = ("items", b.items[n_item].id)
            elif keys[0] == "items":
                table = ("items", b.items[n_item].id, *keys[1:])
            else:
                table = keys
            key = table
            out.append(("header", table, comment))
        elif m := _KEY.match(line):
            key = table + tuple(m.group(1).split("."))
            out.append(("key", key, comment))
            value = line.split("=", 1)[1].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and quote not in value[3:]:
                    in_ml = quote
        else:
            out.append(("more", key, comment))
    return out


def covered(ctx: tuple[str, ...], touched: set[tuple[str, ...]]) -> bool:
    return any(ctx[: len(t)] == t or t[: len(ctx)] == ctx for t in touched)


# --- random edits ---------------------------------------------------------------------------

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_chars = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=_BIDI),
    st.sampled_from(list("\t\"\\'#[]{}= .,")),
)
line_text = st.text(_chars, max_size=25)
long_text = st.lists(
    st.one_of(line_text, st.sampled_from(["\n", "\r\n", '"""', "'''", "\\", "\t"])), max_size=6
).map("".join)
numbers = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
)


def estimates(low: float = -1e9, high: float = 1e9) -> st.SearchStrategy[Estimate]:
    one = st.one_of(st.integers(math.ceil(low), math.floor(high)), st.floats(low, high, allow_nan=False))
    point = one.map(Estimate.point)
    ranged = (
        st.lists(one, min_size=3, max_size=3)
        .map(sorted)
        .map(lambda v: Estimate(low=v[0], likely=v[1], high=v[2]))
    )
    return st.one_of(point, ranged)


@st.composite
def field_edit(draw: st.DrawFn, b: Backlog, it: Item) -> tuple[str, object]:
    ids = [x.id for x in b.items if x.id != it.id]
    name = draw(
        st.sampled_from(
            [
                *("effort", "confidence", "status", "owner", "due", "decision", "phase", "tags"),
                *("needs", "title", "requested_by", "depends_on", "fields"),
            ]
        )
    )
    strategies = {
        "effort": estimates(0.01, 500),
        "confidence": st.one_of(st.sampled_from([0, 1, 0.5]), st.floats(0, 1)),
        "status": st.sampled_from(STATUSES),
        "owner": line_text,
        "due": st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2100, 1, 1))),
        "decision": long_text,
        "phase": st.sampled_from([None, 30, 60, 90]),
        "tags": st.lists(line_text, max_size=3),
        "needs": st.lists(line_text, max_size=3),
        "title": line_text.filter(bool),
        "requested_by": st.lists(st.sampled_from(sorted(b.stakeholders) or ["x"]), unique=True, max_size=2)
        if b.stakeholders
        else st.just([]),
        "depends_on": st.one_of(st.just([]), st.sampled_from(ids).map(lambda x: [x])) if ids else st.just([]),
        "fields": st.dictionaries(st.sampled_from(["reach", "ease", "job_size", "bv"]), numbers, max_size=3),
    }
    return name, draw(strategies[name])


@st.composite
def edited_backlogs(draw: st.DrawFn, b: Backlog) -> tuple[Backlog, set[tuple[str, ...]], set[str]]:
    """An edited backlog, the contexts it touched, and the ids of deleted items."""
    touched: set[tuple[str, ...]] = set()
    deleted: set[str] = set()
    metrics = sorted(b.metrics)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(["field"] * 4 + ["impact"] * 2 + ["evidence", "delete", "new", "met", "method"])
        )
        if kind in ("field", "impact", "evidence") and b.items:
            it = draw(st.sampled_from(b.items))
            if kind == "field":
                name, value = draw(field_edit(b, it))
                touched.add(("items", it.id, name))
                it = it.model_copy(update={name: value})
            else:
                keys = metrics + (["effort"] if kind == "evidence" else [])
                key = draw(st.sampled_from(keys))
                value = draw(st.one_of(st.none(), estimates() if kind == "impact" else long_text))
                table = dict(getattr(it, kind))
                table.pop(key, None)
                if value is not None:
                    table[key] = value
                touched.add(("items", it.id, kind, key))
                it = it.model_copy(update={kind: table})
            b = b.replace_item(it)
        elif kind == "delete" and b.items:
            it = draw(st.sampled_from(b.items))
            if any(it.id in x.depends_on for x in b.items):
                continue
            touched.add(("items", it.id))
            deleted.add(it.id)
            b = b.model_copy(update={"items": [x for x in b.items if x.id != it.id]})
        elif kind == "new":
            new_id = draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True))
            if any(x.id == new_id for x in b.items) or new_id in deleted:
                continue
            impact = (
                draw(st.dictionaries(st.sampled_from(metrics), estimates(), max_size=2)) if metrics else {}
            )
            item = Item(
                id=new_id,
                title=draw(line_text.filter(bool)),
                effort=draw(estimates(0.01, 500)),
                impact=impact,
                evidence={k: draw(long_text) for k in impact if draw(st.booleans())},
                tags=draw(st.lists(line_text, max_size=2)),
            )
            touched.add(("items", new_id))
            b = b.model_copy(update={"items": [*b.items, item]})
        elif kind == "met" and b.stakeholders:
            key = draw(st.sampled_from(sorted(b.stakeholders)))
            met = draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 1, 1))))
            people = dict(b.stakeholders, **{key: b.stakeholders[key].model_copy(update={"met": met})})
            touched.add(("stakeholders", key, "met"))
            b = b.model_copy(update={"stakeholders": people})
        elif kind == "method":
            method = draw(st.sampled_from(["value_density", "rice", "ice", "wsjf"]))
            touched.add(("scoring", "method"))
            b = b.model_copy(update={"scoring": b.scoring.model_copy(update={"method": method})})
    return b, touched, deleted


def comments_kept(before, after_lines, touched: set[tuple[str, ...]], deleted: set[str]) -> None:
    """Every comment outside an edited value or a deleted item is still in the file."""
    required: Counter[str] = Counter()
    for i, (kind, ctx, comment) in enumerate(before):
        if not comment:
            continue
        if kind == "comment":
            below = next((b for b in before[i + 1 :] if b[0] != "comment"), None)
            attached = (
                below is not None
                and below[0] == "header"
                and below[1][:1] == ("items",)
                and below[1][1] in deleted
            )
            inside = any(ctx[: len(t)] == t for t in touched if len(t) > 2)  # in a rewritten value
            if (ctx[:1] == ("items",) and len(ctx) > 1 and ctx[1] in deleted) or attached or inside:
                continue
        elif covered(ctx, touched):
            continue
        required[comment] += 1
    present = Counter(c for _, _, c in after_lines if c)
    missing = required - present
    assert not missing, f"comments lost: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(FIXTURES))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_change_exactly_the_edited_values(name: str, data: st.DataObject) -> None:
    text, original = FIXTURES[name], PARSED[name]
    edited, touched, deleted = data.draw(edited_backlogs(original))
    assume(not cross_check(edited))
    assert_exact_save(text, original, edited, touched, deleted)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_layout_saves_every_edit(data: st.DataObject) -> None:
    """Far sub-tables, dotted keys, inline tables, sub-tables of ranges, items = [...]: each edit,
    clear, addition and deletion saves, reads back as edited and changes only what was edited."""
    text = data.draw(backlog_texts())
    original = parse_backlog(text)
    edited, touched, deleted = data.draw(edited_backlogs(original))
    assume(not cross_check(edited))
    assert_exact_save(text, original, edited, touched, deleted, lines=not text.startswith("items"))


def assert_exact_save(
    text: str,
    original: Backlog,
    edited: Backlog,
    touched: set[tuple[str, ...]],
    deleted: set[str],
    *,
    lines: bool = True,
) -> None:
    """The save reads back as ``edited``, keeps the line endings and every comment outside an
    edited value, and (with ``lines``) changes no line outside the edited values."""
    out = render_edits(text, original, edited)

    assert parse_backlog(out) == edited
    if "\r\n" in text:
        assert out.count("\n") == out.count("\r\n"), "a line lost its CRLF ending"
    else:
        assert "\r" not in out
    if not lines:
        return

    before, after = classify(text, original), classify(out, edited)
    old_lines, new_lines = lines_of(text), lines_of(out)
    # Lines with their context, so that identical lines ([[items]]) of different items never match.
    matcher = difflib.SequenceMatcher(
        None,
        [(ctx, ln) for (_, ctx, _), ln in zip(before, old_lines, strict=True)],
        [(ctx, ln) for (_, ctx, _), ln in zip(after, new_lines, strict=True)],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for kind, ctx, _ in before[i1:i2] + after[j1:j2]:
            if kind in ("header", "key", "more"):
                assert covered(ctx, touched), f"changed a line of {ctx}, edited only {touched}"

    comments_kept(before, after, touched, deleted)

    # Items nobody touched are byte-identical, from their header to their last key.
    for it in original.items:
        if any(t[:2] == ("items", it.id) for t in touched):
            continue
        # Each run of its lines (a sub-table may be written apart from the block).
        own = [i for i, (_, ctx, _) in enumerate(before) if ctx[:2] == ("items", it.id)]
        runs = [
            [i for i in own if i >= start and all(j in own for j in range(start, i + 1))] for start in own
        ]
        for run in [r for r in runs if r and (r[0] - 1) not in own]:
            while run and before[run[-1]][0] in ("comment", "blank"):
                run.pop()
            assert "".join(old_lines[run[0] : run[-1] + 1]) in out
