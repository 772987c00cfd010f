"""Saving an item's ``source`` (format v1.1): an inline table, on a new item, an edited one, in any
layout; what the import writes through the targeted save."""

from __future__ import annotations

import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from backlogs import HEAD, item
from fulcrum.backlog import Item, Source, parse_backlog
from fulcrum.save import render_edits
from fulcrum.save.toml_values import basic_string

TEXT = HEAD + item("a")


def _with_source(text: str, item_id: str, source: Source | None) -> tuple[str, str]:
    before = parse_backlog(text)
    edited = before.replace_item(before.item(item_id).model_copy(update={"source": source}))
    return render_edits(text, before, edited), text


def test_a_source_is_written_as_an_inline_table_after_the_items_other_keys() -> None:
    out, text = _with_source(TEXT, "a", Source(system="jira", key="PAY-1"))
    assert out == text.replace("effort = 1\n", 'effort = 1\nsource = { system = "jira", key = "PAY-1" }\n')


def test_a_changed_url_changes_only_that_line() -> None:
    text, _ = _with_source(TEXT, "a", Source(system="github", key="o/r#1", url="https://x/1"))
    out, _ = _with_source(text, "a", Source(system="github", key="o/r#1", url="https://x/2"))
    assert out == text.replace("https://x/1", "https://x/2")
    removed, _ = _with_source(out, "a", None)
    assert removed == TEXT


def test_a_new_item_with_a_source_in_each_layout() -> None:
    for text in (TEXT, 'items = [ { id = "a", title = "A", effort = 1 } ]\n' + HEAD):
        before = parse_backlog(text)
        new = Item.model_validate(
            {"id": "pay-1", "title": "T", "effort": 1, "source": {"system": "jira", "key": "PAY-1"}}
        )
        out = render_edits(text, before, before.replace_item(new))
        assert parse_backlog(out).item("pay-1").source == Source(system="jira", key="PAY-1")
        assert HEAD in out and 'source = { system = "jira", key = "PAY-1" }' in out


KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@settings(max_examples=30, deadline=None)
@given(
    system=st.sampled_from(["jira", "linear", "github"]),
    key=KEYS,
    url=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    new=st.booleans(),
)
def test_any_source_saves_and_reads_back(system: str, key: str, url: str, new: bool) -> None:
    source = Source.model_validate({"system": system, "key": key, "url": url})
    before = parse_backlog(TEXT)
    if new:
        edited = before.replace_item(
            Item.model_validate({"id": "n", "title": "N", "effort": 2, "source": source.model_dump()})
        )
    else:
        edited = before.replace_item(before.item("a").model_copy(update={"source": source}))
    out = render_edits(TEXT, before, edited)  # verified: it reads back as edited
    assert parse_backlog(out) == edited


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from('"\\\x7f\x1b\t\n')))
def test_basic_strings_are_written_as_tomlkit_writes_them(s: str) -> None:
    assert basic_string(s) == tomlkit.string(s).as_string()
