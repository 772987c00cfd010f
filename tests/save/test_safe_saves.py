"""Safe saves: targeted text edits, atomic writes, conflicts, and failures that leave the file intact.

Each kind of edit with its exact expected lines; CRLF inside a rewritten multi-line string; mixed
line endings; dotted keys; items written inline (the whole-document fallback); a file that tries to
fool the scanner (`[[items]]` and `#` inside strings, comments in arrays); a sub-table written away
from its item; refused invalid edits; snapshots and disk_changed; conflict, deletion, save as; BOM,
mode and symlink kept; read-only file and folder; a full disk on write and on fsync; a write that
does not read back; a change between check and replace. Every failure leaves the original
byte-identical and no temporary file.
"""

from __future__ import annotations

import errno
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from fulcrum.backlog import Backlog, BacklogError, Estimate, Item, Review, Stakeholder, parse_backlog
from fulcrum.save import SaveConflict, SaveError, disk_changed, read_snapshot, save_backlog
from fulcrum.save import backlog_file as save_mod
from fulcrum.save.backlog_file import render_edits

SMALL = """\
# My backlog
[backlog]
title = "T"   # the title

[scoring]
method = "value_density"

[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0

[metrics.users]
label = "Users"
value_per_unit = 2.0
baseline = 100_000

[stakeholders.cfo]
name = "C"
cares_about = ["revenue"]
influence = 5

# --- work ---

[[items]]
id = "a"
title = "First"
effort = 2          # person-weeks
confidence = 0.8    # a guess
[items.impact]
revenue = 40_000    # from finance

# The second one.
[[items]]
id = "b"
title = "Second"
effort = { low = 1, likely = 2, high = 4 }
depends_on = ["a"]
[items.impact]
users = { low = 1_000, likely = 2_000, high = 5_000 }
"""


def edit_item(b: Backlog, item_id: str, **changes: object) -> Backlog:
    return b.replace_item(b.item(item_id).model_copy(update=changes))


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines only in ``before`` and lines only in ``after`` (a multiset difference)."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    gone = list(a)
    for line in b:
        if line in gone:
            gone.remove(line)
    new = list(b)
    for line in a:
        if line in new:
            new.remove(line)
    return gone, new


@pytest.fixture
def small() -> tuple[str, Backlog]:
    return SMALL, parse_backlog(SMALL)


# --- render_edits: only the edited values change ------------------------------------------


def test_no_edit_is_the_same_text(small):
    text, b = small
    assert render_edits(text, b, b) == text


def test_value_replaced_in_place_keeps_its_comment(small):
    text, b = small
    out = render_edits(text, b, edit_item(b, "a", effort=Estimate.point(3)))
    assert changed_lines(text, out) == (
        ["effort = 2          # person-weeks\n"],
        ["effort = 3          # person-weeks\n"],
    )


def test_point_to_range_and_back(small):
    text, b = small
    ranged = edit_item(b, "a", effort=Estimate(low=1, likely=2, high=5))
    out = render_edits(text, b, ranged)
    assert "effort = { low = 1, likely = 2, high = 5 }          # person-weeks\n" in out
    back = render_edits(out, ranged, edit_item(ranged, "a", effort=Estimate.point(2.5)))
    assert "effort = 2.5          # person-weeks\n" in back


def test_range_edit_changes_only_the_changed_bound(small):
    text, b = small
    out = render_edits(text, b, edit_item(b, "b", effort=Estimate(low=1, likely=3, high=4)))
    assert changed_lines(text, out) == (
        ["effort = { low = 1, likely = 2, high = 4 }\n"],
        ["effort = { low = 1, likely = 3, high = 4 }\n"],
    )


def test_underscores_and_integers_kept(small):
    text, b = small
    edited = edit_item(b, "a", impact={"revenue": Estimate.point(55_000)})
    out = render_edits(text, b, edited)
    assert changed_lines(text, out) == (
        ["revenue = 40_000    # from finance\n"],
        ["revenue = 55_000    # from finance\n"],
    )


def test_new_key_goes_after_its_neighbour_in_field_order(small):
    text, b = small
    out = render_edits(text, b, edit_item(b, "a", requested_by=["cfo"], owner="me"))
    lines = out.splitlines()
    i = lines.index('title = "First"')
    assert lines[i + 1] == 'requested_by = ["cfo"]'
    j = lines.index("confidence = 0.8    # a guess")
    assert lines[j + 1] == 'owner = "me"'
    assert changed_lines(text, out)[0] == []


def test_metric_added_and_removed(small):
    text, b = small
    edited = edit_item(b, "a", impact={"users": Estimate.point(10)})
    out = render_edits(text, b, edited)
    gone, new = changed_lines(text, out)
    assert gone == ["revenue = 40_000    # from finance\n"]
    assert new == ["users = 10\n"]
    assert parse_backlog(out) == edited


def test_first_evidence_becomes_a_sub_table_at_the_end_of_the_item(small):
    text, b = small
    edited = edit_item(b, "a", evidence={"revenue": 'Finance "FY27" plan'})
    out = render_edits(text, b, edited)
    assert (
        "[items.impact]\nrevenue = 40_000    # from finance\n"
        '[items.evidence]\nrevenue = "Finance \\"FY27\\" plan"\n' in out
    )
    assert parse_backlog(out) == edited


def test_phase_and_due_set_and_unset(small):
    text, b = small
    pinned = edit_item(b, "a", phase=60, due=date(2027, 1, 31))
    out = render_edits(text, b, pinned)
    assert "phase = 60\n" in out and "due = 2027-01-31\n" in out
    unpinned = edit_item(pinned, "a", phase=None, due=None)
    assert render_edits(out, pinned, unpinned) == text


def test_new_item_appended_in_the_file_style(small):
    text, b = small
    new = Item(
        id="c",
        title="Third",
        effort=Estimate(low=1, likely=2, high=3),
        impact={"revenue": Estimate.point(12_000)},
        evidence={"revenue": "quote"},
        tags=["x"],
    )
    edited = b.replace_item(new)
    out = render_edits(text, b, edited)
    assert out.startswith(text)
    assert out[len(text) :] == (
        '\n[[items]]\nid = "c"\ntitle = "Third"\neffort = { low = 1, likely = 2, high = 3 }\n'
        'tags = ["x"]\n[items.impact]\nrevenue = 12_000\n[items.evidence]\nrevenue = "quote"\n'
    )
    assert parse_backlog(out) == edited


def test_deleted_item_block_removed_cleanly(small):
    text, b = small
    edited = b.model_copy(update={"items": [b.item("a")]})
    out = render_edits(text, b, edited)
    assert out == text[: text.index("# The second one.")].rstrip("\n") + "\n"
    assert parse_backlog(out) == edited


def test_deleting_the_first_item_keeps_the_section_comment(small):
    text, b = small
    edited = b.model_copy(update={"items": [b.item("b").model_copy(update={"depends_on": []})]})
    out = render_edits(text, b, edited)
    assert '# --- work ---\n\n# The second one.\n[[items]]\nid = "b"' in out
    assert 'id = "a"' not in out and "# a guess" not in out


def test_dependency_on_a_deleted_item_is_refused(small):
    text, b = small
    edited = b.model_copy(update={"items": [b.item("b")]})
    with pytest.raises(SaveError, match="unknown item 'a'"):
        render_edits(text, b, edited)


def test_stakeholder_met_and_scoring_method(small):
    text, b = small
    people = {"cfo": b.stakeholders["cfo"].model_copy(update={"met": date(2027, 1, 5)})}
    edited = b.model_copy(
        update={"stakeholders": people, "scoring": b.scoring.model_copy(update={"method": "ice"})}
    )
    out = render_edits(text, b, edited)
    assert changed_lines(text, out) == (
        ['method = "value_density"\n'],
        ['method = "ice"\n', "met = 2027-01-05\n"],
    )
    assert "influence = 5\nmet = 2027-01-05\n" in out


def test_new_table_and_new_stakeholder(small):
    text, b = small
    people = dict(b.stakeholders, pm=Stakeholder(name="P", influence=2))
    edited = b.model_copy(update={"stakeholders": people, "review": Review(min_value=300_000)})
    out = render_edits(text, b, edited)
    assert '[scoring]\nmethod = "value_density"\n\n[review]\nmin_value = 300_000\n\n[metrics.revenue]' in out
    assert 'influence = 5\n\n[stakeholders.pm]\nname = "P"\ninfluence = 2\n\n# --- work ---' in out
    assert parse_backlog(out) == edited


def test_text_is_escaped_and_reads_back(small):
    text, b = small
    title = 'He said "hi" \\ [b]bold[/b] # not a comment'
    edited = edit_item(b, "a", title=title, decision='line one\nline two\t"quoted"')
    out = render_edits(text, b, edited)
    assert parse_backlog(out) == edited
    assert "# a guess" in out


def test_multiline_string_stays_multiline():
    text = SMALL.replace('title = "First"\n', 'title = "First"\ndecision = """\nWaiting.\nFor Q1."""\n')
    b = parse_backlog(text)
    edited = edit_item(b, "a", decision="Done.\nShipped in Q1.")
    out = render_edits(text, b, edited)
    assert 'decision = """\nDone.\nShipped in Q1."""\n' in out


def test_range_written_as_a_sub_table_stays_one():
    text = SMALL.replace(
        "users = { low = 1_000, likely = 2_000, high = 5_000 }\n",
        "[items.impact.users]   # a sub-table\nlow = 1_000\nlikely = 2_000\nhigh = 5_000\n",
    )
    b = parse_backlog(text)
    edited = edit_item(b, "b", impact={"users": Estimate(low=1_000, likely=3_000, high=5_000)})
    out = render_edits(text, b, edited)
    assert changed_lines(text, out) == (["likely = 2_000\n"], ["likely = 3_000\n"])


def test_crlf_kept_on_edited_and_new_lines(small):
    text, b = small
    crlf = text.replace("\n", "\r\n")
    edited = edit_item(b, "a", effort=Estimate.point(3), owner="me", evidence={"revenue": "x"})
    edited = edited.replace_item(Item(id="c", title="New", effort=Estimate.point(1)))
    out = render_edits(crlf, b, edited)
    assert out.count("\n") == out.count("\r\n")
    assert parse_backlog(out) == edited


def test_mixed_line_endings_stay_as_they_are(small):
    text, b = small
    lines = text.splitlines(keepends=True)
    mixed = "".join(ln.replace("\n", "\r\n") if i % 2 else ln for i, ln in enumerate(lines))
    out = render_edits(mixed, b, edit_item(b, "b", title="Second!"))
    before, after = mixed.splitlines(keepends=True), out.splitlines(keepends=True)
    assert len(before) == len(after)
    diff = [(x, y) for x, y in zip(before, after, strict=True) if x != y]
    assert diff == [('title = "Second"\r\n', 'title = "Second!"\r\n')] or diff == [
        ('title = "Second"\n', 'title = "Second!"\n')
    ]


def test_items_written_inline_fall_back_to_the_whole_document():
    text = (
        "# top\n"
        'items = [\n  { id = "a", title = "A", effort = 1 },  # first\n'
        '  { id = "b", title = "B", effort = 2 },\n]\n'
        '\n[backlog]\ntitle = "T"\n'
    )
    b = parse_backlog(text)
    edited = edit_item(b, "b", effort=Estimate.point(5)).replace_item(
        Item(id="c", title="C", effort=Estimate.point(1))
    )
    out = render_edits(text, b, edited)
    assert "# first" in out and "# top" in out
    assert parse_backlog(out) == edited


def test_dotted_keys_are_edited_in_place():
    text = (
        '[backlog]\ntitle = "T"\n[metrics.m]\nlabel = "M"\n\n'
        '[[items]]\nid = "a"\ntitle = "A"\neffort = 1\nimpact.m = 5  # dotted\n'
    )
    b = parse_backlog(text)
    edited = edit_item(b, "a", impact={"m": Estimate.point(7)})
    out = render_edits(text, b, edited)
    assert out == text.replace("impact.m = 5", "impact.m = 7")


# --- reading and conflicts ------------------------------------------------------------------


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def test_read_snapshot(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    backlog, snap = read_snapshot(p)
    assert backlog == parse_backlog(SMALL)
    assert snap.text == SMALL and not snap.bom and snap.size == len(SMALL.encode())
    assert not disk_changed(snap)


def test_read_snapshot_bad_input_is_a_backlog_error(tmp_path):
    with pytest.raises(BacklogError, match="no such file"):
        read_snapshot(tmp_path / "missing.toml")
    with pytest.raises(BacklogError, match="directory"):
        read_snapshot(tmp_path)
    with pytest.raises(BacklogError, match="invalid TOML"):
        read_snapshot(write(tmp_path / "bad.toml", "[backlog\n"))


def test_disk_changed(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    _, snap = read_snapshot(p)
    os.utime(p, ns=(snap.mtime_ns + 10**9, snap.mtime_ns + 10**9))
    assert not disk_changed(snap), "same bytes with a new time is not a change"
    write(p, SMALL.replace('"T"', '"U"'))
    assert disk_changed(snap)
    p.unlink()
    assert disk_changed(snap)


def test_save_writes_only_the_edit_and_returns_a_fresh_snapshot(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    edited = edit_item(b, "a", confidence=0.5)
    new_snap = save_backlog(snap, b, edited)
    assert p.read_text() == SMALL.replace("confidence = 0.8 ", "confidence = 0.5 ")
    assert new_snap.text == p.read_text() and not disk_changed(new_snap)
    assert read_snapshot(p)[0] == edited
    again = edit_item(edited, "b", title="Again")
    save_backlog(new_snap, edited, again)
    assert read_snapshot(p)[0] == again
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def test_saving_no_edit_writes_nothing(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    os.utime(p, ns=(10**18, 10**18))
    b, snap = read_snapshot(p)
    assert save_backlog(snap, b, b) == snap
    assert p.stat().st_mtime_ns == 10**18


def test_conflict_when_the_file_changed_on_disk(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    theirs = SMALL.replace("# My backlog", "# edited elsewhere")
    write(p, theirs)
    with pytest.raises(SaveConflict, match="changed on disk"):
        save_backlog(snap, b, edit_item(b, "a", title="Mine"))
    assert p.read_text() == theirs
    save_backlog(snap, b, edit_item(b, "a", title="Mine"), force=True)
    assert read_snapshot(p)[0].item("a").title == "Mine"


def test_conflict_when_the_file_was_deleted(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    p.unlink()
    with pytest.raises(SaveConflict, match="deleted or moved"):
        save_backlog(snap, b, edit_item(b, "a", title="Mine"))
    assert not p.exists()


def test_save_as(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    edited = edit_item(b, "a", title="Elsewhere")
    other = tmp_path / "copy.toml"
    new_snap = save_backlog(snap, b, edited, path=other)
    assert new_snap.path == other and read_snapshot(other)[0] == edited
    assert p.read_text() == SMALL
    with pytest.raises(SaveConflict, match="already exists"):
        save_backlog(snap, b, edited, path=other)
    save_backlog(snap, b, edit_item(b, "a", title="Over"), path=other, force=True)
    assert read_snapshot(other)[0].item("a").title == "Over"


# --- files kept safe ------------------------------------------------------------------------


def test_bom_and_mode_kept(tmp_path):
    p = write(tmp_path / "b.toml", SMALL, bom=True)
    p.chmod(0o640)
    b, snap = read_snapshot(p)
    assert snap.bom
    save_backlog(snap, b, edit_item(b, "a", title="X"))
    assert p.read_bytes().startswith(b"\xef\xbb\xbf# My backlog")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_symlink_kept_and_target_updated(tmp_path):
    real = write(tmp_path / "real.toml", SMALL)
    real.chmod(0o600)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    b, snap = read_snapshot(link)
    new_snap = save_backlog(snap, b, edit_item(b, "a", title="Via link"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_snapshot(real)[0].item("a").title == "Via link"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert new_snap.path == link and not disk_changed(new_snap)
    assert sorted(os.listdir(tmp_path)) == ["link.toml", "real.toml"]


def test_read_only_file_is_not_replaced(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    p.chmod(0o444)
    b, snap = read_snapshot(p)
    with pytest.raises(SaveError, match="read-only"):
        save_backlog(snap, b, edit_item(b, "a", title="X"))
    assert p.read_text() == SMALL
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def _deny_create(real_open):
    def fake_open(path, flags, mode=0o777, *args, **kwargs):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, *args, **kwargs)

    return fake_open


def test_read_only_folder(tmp_path, monkeypatch):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    if os.geteuid() != 0:
        tmp_path.chmod(0o555)
    else:  # root writes anywhere: make creating the temp file fail as it would
        monkeypatch.setattr(save_mod.os, "open", _deny_create(os.open))
    try:
        with pytest.raises(SaveError, match="permission denied"):
            save_backlog(snap, b, edit_item(b, "a", title="X"))
    finally:
        tmp_path.chmod(0o755)
    assert p.read_text() == SMALL
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_full_disk_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch, failing):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    real_write = os.write

    def half_then_full(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(save_mod.os, "write", half_then_full)
    else:
        monkeypatch.setattr(save_mod.os, "fsync", no_space)
    edited = edit_item(b, "a", title="Lost?")
    with pytest.raises(SaveError, match="disk is full"):
        save_backlog(snap, b, edited)
    monkeypatch.undo()
    assert p.read_text() == SMALL
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]
    save_backlog(snap, b, edited)  # the edits were kept: once there is room, the same save works
    assert read_snapshot(p)[0] == edited


def test_write_that_does_not_read_back_is_not_installed(tmp_path, monkeypatch):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    real_write = os.write
    monkeypatch.setattr(
        save_mod.os, "write", lambda fd, data: real_write(fd, bytes(data).replace(b"X", b"Y"))
    )
    with pytest.raises(SaveError, match="did not read back"):
        save_backlog(snap, b, edit_item(b, "a", title="X"))
    assert p.read_text() == SMALL
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def test_change_between_check_and_replace_is_a_conflict(tmp_path, monkeypatch):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    real_fsync = os.fsync

    def sneaky(fd):
        real_fsync(fd)
        write(p, SMALL + "# theirs\n")

    monkeypatch.setattr(save_mod.os, "fsync", sneaky)
    with pytest.raises(SaveConflict):
        save_backlog(snap, b, edit_item(b, "a", title="Mine"))
    monkeypatch.undo()
    assert p.read_text() == SMALL + "# theirs\n"
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def test_unwritable_edit_is_refused_before_touching_the_file(tmp_path):
    p = write(tmp_path / "b.toml", SMALL)
    b, snap = read_snapshot(p)
    dup = b.model_copy(update={"items": [*b.items, b.item("a")]})
    with pytest.raises(SaveError, match="duplicate id 'a'"):
        save_backlog(snap, b, dup)
    assert p.read_text() == SMALL


def test_crlf_kept_inside_a_rewritten_multiline_string():
    text = SMALL.replace('title = "First"\n', 'title = "First"\ndecision = """\nWaiting.\nFor Q1."""\n')
    crlf = text.replace("\n", "\r\n")
    b = parse_backlog(crlf)
    edited = edit_item(b, "a", decision="Done.\nShipped.\nIn Q1.")
    out = render_edits(crlf, b, edited)
    assert 'decision = """\r\nDone.\r\nShipped.\r\nIn Q1."""\r\n' in out
    assert out.count("\n") == out.count("\r\n")
    assert parse_backlog(out) == edited


TRICKY = '''\
[backlog]
title = "Tricky"
owner = "x" # [not] a header

[scoring]
method = "formula"
formula = "value / effort" # "quoted" [brackets] {braces}

[[items]]
id = "a"
title = 'literal # not a comment [x]'
effort = 1
decision = """
[[items]]
# not a comment either
id = "fake"
"""
tags = [
  "one",   # a comment in an array
  "two",
]
fields = { reach = 1, "odd.key" = 2 }

[[items]]
id = "b"
title = "B \\" [[items]] \\""
effort = 2
'''


def test_scanner_is_not_fooled_by_strings_and_arrays():
    from fulcrum.save.new_text import render_segments

    b = parse_backlog(TRICKY)
    edited = edit_item(edit_item(b, "a", effort=Estimate.point(3)), "b", owner="me")
    out = render_segments(TRICKY, b, edited)  # the fast strategy itself, not the fallback
    assert parse_backlog(out) == edited
    assert changed_lines(TRICKY, out) == (["effort = 1\n"], ["effort = 3\n", 'owner = "me"\n'])


APART = """\
[backlog]
title = "T"

[[items]]
id = "a"
title = "A"
effort = 1

[metrics.m]   # between an item and its impact
label = "M"

[items.impact]   # still item a's, as TOML says
m = 5

[[items]]
id = "b"
title = "B"
effort = 2
"""


def test_sub_table_written_apart_from_its_item_is_edited_where_it_is():
    b = parse_backlog(APART)
    edited = edit_item(b, "a", effort=Estimate.point(4), impact={"m": Estimate.point(6)})
    out = render_edits(APART, b, edited)
    assert changed_lines(APART, out) == (["effort = 1\n", "m = 5\n"], ["effort = 4\n", "m = 6\n"])
    gone = b.model_copy(update={"items": [b.item("b")]})
    out = render_edits(APART, b, gone)
    assert (
        out
        == '[backlog]\ntitle = "T"\n\n[metrics.m]   # between an item and its impact\nlabel = "M"\n\n'
        + ('[[items]]\nid = "b"\ntitle = "B"\neffort = 2\n')
    )
    assert parse_backlog(out) == gone


def test_whole_document_strategy_refuses_to_move_tables():
    from fulcrum.save.new_text import render_document
    from fulcrum.save.toml_values import Unsupported

    b = parse_backlog(APART)
    with pytest.raises(Unsupported, match="reorder the tables"):
        render_document(APART, b, edit_item(b, "a", effort=Estimate.point(4)))


# --- layouts that once could not be saved ---------------------------------------------------

LAST_APART = """\
[backlog]
title = "T"

[metrics.m]
label = "M"

[[items]]
id = "a"
title = "A"
effort = 1

[stakeholders.cfo]   # between the last item and its impact
name = "C"

[items.impact]   # still item a's
m = 5
"""


def test_a_new_item_goes_after_the_last_items_own_sub_table(tmp_path):
    """It used to go right after the [[items]] block, taking [items.impact] from item a."""
    b = parse_backlog(LAST_APART)
    edited = b.replace_item(Item(id="n", title="New", effort=Estimate.point(2)))
    out = render_edits(LAST_APART, b, edited)
    assert out == LAST_APART + '\n[[items]]\nid = "n"\ntitle = "New"\neffort = 2\n'
    assert parse_backlog(out) == edited
    p = write(tmp_path / "b.toml", LAST_APART)
    b, snap = read_snapshot(p)
    save_backlog(snap, b, edited, path=tmp_path / "copy.toml")  # save as
    save_backlog(snap, b, edited)
    assert read_snapshot(p)[0] == edited == read_snapshot(tmp_path / "copy.toml")[0]


def test_a_new_item_after_an_item_with_a_far_sub_table_in_the_middle():
    text = LAST_APART + '\n[[items]]\nid = "z"\ntitle = "Z"\neffort = 3\n'
    b = parse_backlog(text)
    new = Item(id="n", title="New", effort=Estimate.point(2))
    edited = b.model_copy(update={"items": [b.items[0], new, b.items[1]]})
    out = render_edits(text, b, edited)
    assert parse_backlog(out) == edited
    assert out.index("m = 5") < out.index('id = "n"') < out.index('id = "z"')


DOTTED = """\
[backlog]
title = "T"

[metrics.revenue]
label = "Revenue"

[metrics.mau]
label = "MAU"

[[items]]
id = "a"
title = "A"
effort.low = 1     # a range in dotted keys
effort.likely = 2
effort.high = 4
impact.revenue = 1   # dotted
impact.mau.low = 10
impact.mau.likely = 20
impact.mau.high = 30
owner = "me"
"""


@pytest.mark.parametrize(
    ("impact", "removed", "added"),
    [
        (
            {},
            [
                "impact.revenue = 1   # dotted\n",
                *[f"impact.mau.{p} = {x}\n" for p, x in (("low", 10), ("likely", 20), ("high", 30))],
            ],
            [],
        ),
        ({"mau": Estimate(low=10, likely=20, high=30)}, ["impact.revenue = 1   # dotted\n"], []),
        (
            {"revenue": Estimate.point(1)},
            [f"impact.mau.{p} = {x}\n" for p, x in (("low", 10), ("likely", 20), ("high", 30))],
            [],
        ),
        (
            {"revenue": Estimate.point(3), "mau": Estimate(low=10, likely=25, high=30)},
            ["impact.revenue = 1   # dotted\n", "impact.mau.likely = 20\n"],
            ["impact.revenue = 3   # dotted\n", "impact.mau.likely = 25\n"],
        ),
        (
            {"revenue": Estimate.point(1), "mau": Estimate.point(7)},
            [f"impact.mau.{p} = {x}\n" for p, x in (("low", 10), ("likely", 20), ("high", 30))],
            ["impact.mau = 7\n"],
        ),
    ],
)
def test_dotted_impacts_edit_and_clear_cleanly(impact, removed, added):
    """Clearing them used to fail with "list index out of range" (tomlkit's dotted-key proxy)."""
    b = parse_backlog(DOTTED)
    edited = edit_item(b, "a", impact=impact)
    out = render_edits(DOTTED, b, edited)
    assert parse_backlog(out) == edited
    assert changed_lines(DOTTED, out) == (removed, added)


def test_dotted_keys_gain_a_key_and_a_dotted_range_becomes_a_number():
    b = parse_backlog(DOTTED.replace("[metrics.mau]", '[metrics.x]\nlabel = "X"\n\n[metrics.mau]'))
    text = DOTTED.replace("[metrics.mau]", '[metrics.x]\nlabel = "X"\n\n[metrics.mau]')
    edited = edit_item(
        b, "a", impact={**b.item("a").impact, "x": Estimate.point(9)}, effort=Estimate.point(3)
    )
    out = render_edits(text, b, edited)
    assert parse_backlog(out) == edited
    assert changed_lines(text, out) == (
        ["effort.low = 1     # a range in dotted keys\n", "effort.likely = 2\n", "effort.high = 4\n"],
        ["effort = 3\n", "impact.x = 9\n"],
    )


FORM_FIELDS = {
    "owner": ("Lee", "Lee Chen", ""),
    "due": (date(2027, 1, 29), date(2027, 2, 1), None),
    "tags": (["cost"], ["cost", "q1"], []),
    "status": ("deferred", "planned", "idea"),
    "phase": (30, 90, None),
    "decision": ("2026-12-09: Deferred: after Q1", "2026-12-10: Planned", ""),
}


@pytest.mark.parametrize("layout", ["small", "apart", "dotted"])
@pytest.mark.parametrize("name", sorted(FORM_FIELDS))
def test_form_fields_are_set_changed_and_cleared(layout, name):
    """What the TUI's edit form writes: each value saves, then another, then none (the default)."""
    text = {"small": SMALL, "apart": APART, "dotted": DOTTED}[layout]
    b = parse_backlog(text)
    for value in FORM_FIELDS[name]:
        edited = edit_item(b, "a", **{name: value})
        out = render_edits(text, b, edited)
        assert parse_backlog(out) == edited
        text, b = out, edited
    if value is None:  # a date or phase cleared is no longer written (text and lists stay, empty)
        assert name not in {line.split("=")[0].strip() for line in text.splitlines()}


def test_a_save_that_cannot_be_made_says_what_to_change_in_plain_words():
    text = (
        'items = [\n  { id = "a", title = "A", effort = 1 },\n  { id = "b", title = "B", effort = 2 },\n]\n'
    )
    text += '\n[backlog]\ntitle = "T"\n'
    b = parse_backlog(text)
    with pytest.raises(SaveError) as caught:
        render_edits(text, b, b.model_copy(update={"items": b.items[::-1]}))
    assert str(caught.value) == (
        "cannot save: the items are written as one array (items = [...]) and the edit reorders them; "
        "write each item as an [[items]] block. Nothing was written."
    )


def test_a_librarys_exception_never_reaches_the_user(monkeypatch):
    def broken(text, original, edited):
        raise IndexError("list index out of range")

    monkeypatch.setattr(save_mod, "STRATEGIES", (("segments", broken), ("document", broken)))
    b = parse_backlog(SMALL)
    with pytest.raises(SaveError) as caught:
        render_edits(SMALL, b, edit_item(b, "a", title="X"))
    assert "index" not in str(caught.value) and "tomlkit" not in str(caught.value)
    assert str(caught.value).startswith("cannot save: fulcrum could not write the edits")
