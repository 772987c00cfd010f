"""Backlog text shared by tests: a minimal valid head (one priced metric, one stakeholder), the same
head with a cost metric, items to append to them, a backlog over capacity, and where the
repository's files are."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

HEAD = """\
[backlog]
title = "T"

[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0
source = "plan"

[stakeholders.cfo]
name = "C"
cares_about = ["revenue"]
"""

CLOUD = """\
[metrics.cloud]
label = "Cloud"
value_per_unit = -1.0
baseline = 100_000
source = "bill"

"""
# HEAD with a bill to save from (cloud, a cost: 100k/yr), which the CFO cares about too.
COST_HEAD = HEAD.replace("[stakeholders.cfo]", CLOUD + "[stakeholders.cfo]").replace(
    'cares_about = ["revenue"]', 'cares_about = ["cloud", "revenue"]'
)


def item(
    iid: str = "a", extra: str = "", effort: str = "1", *, title: str | None = None, who: str = '["cfo"]'
) -> str:
    """An [[items]] block titled "Item <id>" (or `title`), requested by the CFO (or `who`); `extra`
    is appended as more lines of the item."""
    title = f"Item {iid}" if title is None else title
    return f'\n[[items]]\nid = "{iid}"\ntitle = "{title}"\nrequested_by = {who}\neffort = {effort}\n{extra}\n'


def priced_item(iid: str = "a", extra: str = "", effort: str = "1") -> str:
    """item() with an impact of 1,000 on revenue."""
    return item(iid, "impact = { revenue = 1000 }\n" + extra, effort)


def titled_item(iid: str, extra: str = "", effort: str = "1", who: str = '["cfo"]') -> str:
    """item() titled with its id."""
    return item(iid, extra, effort, title=iid, who=who)


def write(tmp_path: Path, text: str) -> str:
    """`text` written to tmp_path/b.toml; the path, as the CLI takes it."""
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


#: Forced work over capacity: a `doing` item of 2 wk in days 1-30 (1 wk) and one pinned to 60 (1 wk
#: more): days 31-60 and 61-90 are over because the earlier phases ran over.
OVER = """\
[backlog]
title = "Over"
owner = "T"
start = 2027-01-04

[capacity]
days_30 = 1
days_60 = 1
days_90 = 1

[metrics.revenue]
label = "Revenue"
unit = "USD/yr"
value_per_unit = 1.0
source = "plan"

[[items]]
id = "x"
title = "Doing one"
status = "doing"
effort = 2
[items.impact]
revenue = 10_000

[[items]]
id = "y"
title = "Doing two"
status = "doing"
effort = 2
phase = 60
[items.impact]
revenue = 10_000
"""
