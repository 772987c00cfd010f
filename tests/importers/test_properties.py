"""Properties of an import: whatever the export holds, importing it again changes nothing, and the
user's edits survive a re-import byte for byte."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlogs import HEAD, item
from fulcrum.backlog import Estimate, parse_backlog
from fulcrum.importers import READERS, merge
from fulcrum.save import render_edits

BASE = HEAD + item("mine", effort="2") + '\n[import]\nstatus = { "Waiting" = "planned" }\n'
STATUSES = ["To Do", "In Progress", "Done", "Backlog", "Waiting", "Won't Do", "Something else"]
# Any text a tracker may hold: markup, quotes, commas, newlines, controls, bidi overrides.
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("[]\"',\n\r\t\x1b\u202e#"),
    max_size=40,
)


@st.composite
def issues(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 8))
    keys = [f"PAY-{k}" for k in draw(st.lists(st.integers(1, 60), min_size=n, max_size=n, unique=True))]
    out = []
    for key in keys:
        out.append(
            {
                "key": key,
                "title": draw(TEXT),
                "status": draw(st.sampled_from(STATUSES)),
                "owner": draw(TEXT),
                "labels": draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), max_size=3)),
                "points": draw(st.none() | st.sampled_from([0, 1, 2, 3, 5, 8, 13, 2.5])),
                "due": draw(st.none() | st.dates(date(2026, 1, 1), date(2028, 12, 31))),
                "blocks": draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)),
            }
        )
    return out


def jira_csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["Summary", "Issue key", "Status", "Assignee", "Labels", "Labels", "Labels",
                "Custom field (Story Points)", "Due date", "Outward issue link (Blocks)",
                "Outward issue link (Blocks)"])  # fmt: skip
    for r in rows:
        labels = (r["labels"] + ["", "", ""])[:3]
        due = r["due"].strftime("%d/%b/%y 12:00 AM") if r["due"] else ""
        links = (r["blocks"] + ["", ""])[:2]
        points = "" if r["points"] is None else str(r["points"])
        w.writerow([r["title"], r["key"], r["status"], r["owner"], *labels, points, due, *links])
    return buf.getvalue().encode()


def github_json(rows: list[dict[str, Any]]) -> bytes:
    def number(key: str) -> int:
        return int(key.split("-")[1])

    doc = [
        {
            "number": number(r["key"]),
            "title": r["title"],
            "state": "CLOSED" if r["status"] == "Done" else "OPEN",
            "url": f"https://github.com/o/r/issues/{number(r['key'])}",
            "body": "".join(f"Depends on #{number(k)}\n" for k in r["blocks"]),
            "labels": [{"name": x} for x in r["labels"]],
            "assignees": [{"login": r["owner"]}] if r["owner"] else [],
            "milestone": {"title": "m", "dueOn": f"{r['due']}T00:00:00Z"} if r["due"] else None,
        }
        for r in rows
    ]
    return json.dumps(doc).encode()


WRITERS = {"jira": jira_csv, "github": github_json}


def _import(text: str, system: str, data: bytes) -> str:
    backlog = parse_backlog(text)
    merged, _ = merge(backlog, READERS[system](data, "export"))
    return render_edits(text, backlog, merged)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=issues(), system=st.sampled_from(sorted(WRITERS)))
def test_importing_any_export_again_is_a_no_op(rows: list[dict[str, Any]], system: str) -> None:
    data = WRITERS[system](rows)
    once = _import(BASE, system, data)
    backlog = parse_backlog(once)  # a valid backlog, whatever the tracker's text
    assert len(backlog.items) == 1 + len(rows)
    assert _import(once, system, data) == once


#: Keys whose lines the tracker owns (they may change on a re-import).
TRACKER_KEYS = ("title", "status", "owner", "tags", "due", "depends_on", "fields", "effort", "source")


def _user_lines(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    """The lines the tracker does not own, without the blocks of the items ``skip`` (new ones)."""
    out: list[str] = []
    lines = text.splitlines()
    dropping = False
    for i, line in enumerate(lines):
        if line.startswith("["):
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            dropping = line == "[[items]]" and nxt.startswith("id = ") and nxt[6:-1] in skip
        if not dropping and not line.startswith(TRACKER_KEYS):
            out.append(line)
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=issues(), later=issues(), edits=st.data())
def test_user_edits_survive_a_reimport_byte_for_byte(
    rows: list[dict[str, Any]], later: list[dict[str, Any]], edits: st.DataObject
) -> None:
    once = _import(BASE, "jira", jira_csv(rows))
    backlog = parse_backlog(once)
    items = list(backlog.items)
    for i in range(1, len(items)):
        if edits.draw(st.booleans()):
            it = items[i]
            items[i] = it.model_copy(
                update={
                    "effort": Estimate(low=1, likely=2, high=edits.draw(st.sampled_from([3, 7.5]))),
                    "impact": {"revenue": Estimate(low=5000, likely=5000, high=5000)},
                    "evidence": {"revenue": edits.draw(st.sampled_from(["CFO", "a\nb"]))},
                    "confidence": 0.6,
                    "requested_by": ["cfo"],
                    "decision": "2026-12-09: later",
                    "phase": edits.draw(st.sampled_from([30, 60, 90])),
                }
            )
    edited = backlog.model_copy(update={"items": items})
    mine = render_edits(once, backlog, edited)
    # The tracker's new export: the same keys with other titles, statuses, points... and new ones.
    changed = [dict(r, key=rows[j % len(rows)]["key"]) for j, r in enumerate(later[: len(rows)])]
    changed += [r for r in later[len(rows) :] if r["key"] not in {c["key"] for c in changed}]
    for r in changed:
        r["blocks"] = [k for k in r["blocks"] if k in {c["key"] for c in changed}]
    again = _import(mine, "jira", jira_csv(changed))
    after = parse_backlog(again)
    for before in edited.items:
        now = after.item(before.id)
        for field in ("impact", "evidence", "confidence", "requested_by", "decision", "phase"):
            assert getattr(now, field) == getattr(before, field)
        if not before.effort.is_point:
            assert now.effort == before.effort  # an edited effort is the user's
    # Every line the user owns is kept as it was, in the same order; new items are whole blocks.
    new = frozenset(it.id for it in after.items) - {it.id for it in edited.items}
    assert _user_lines(again, new) == _user_lines(mine)
