"""fulcrum.save.atomic: the one atomic write behind saves and exports (failure paths are also covered
through save_backlog in test_save.py and through `fulcrum export` in test_export_cli.py)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum.save import WriteError, write_atomic


def names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@settings(max_examples=25, deadline=None)
@given(old=st.binary(max_size=2000) | st.none(), new=st.binary(max_size=2000))
def test_the_file_holds_exactly_the_data_and_nothing_else_is_left(old: bytes | None, new: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "f.md"
        if old is not None:
            target.write_bytes(old)
        assert write_atomic(target, new) == target.resolve()
        assert target.read_bytes() == new
        assert names(Path(tmp)) == ["f.md"]


def test_protected_file_is_refused_through_a_symlink_and_a_hard_link(tmp_path: Path) -> None:
    backlog = tmp_path / "b.toml"
    backlog.write_bytes(b"[backlog]\n")
    (tmp_path / "link.toml").symlink_to(backlog)
    os.link(backlog, tmp_path / "hard.toml")
    for target in ("b.toml", "link.toml", "hard.toml"):
        with pytest.raises(WriteError, match="is the backlog itself"):
            write_atomic(tmp_path / target, b"# plan\n", protect=backlog)
    assert backlog.read_bytes() == b"[backlog]\n"
    assert names(tmp_path) == ["b.toml", "hard.toml", "link.toml"]
    write_atomic(tmp_path / "plan.md", b"# plan\n", protect=backlog)  # any other file is fine
    assert (tmp_path / "plan.md").read_bytes() == b"# plan\n"


def test_before_replace_can_stop_the_write(tmp_path: Path) -> None:
    target = tmp_path / "f.md"
    target.write_bytes(b"old")
    seen: list[list[str]] = []

    class Changed(Exception):
        pass

    def check() -> None:
        seen.append(names(tmp_path))  # the new data is in a temp file by now
        raise Changed

    with pytest.raises(Changed):
        write_atomic(target, b"new", before_replace=check)
    assert len(seen[0]) == 2 and seen[0][0].endswith(".fulcrum-tmp")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["f.md"]


def test_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "f.md"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(WriteError, match="read-only; choose another file name"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["f.md"]


@pytest.mark.parametrize("kind", ["dir", "fifo"])
def test_only_a_regular_file_is_replaced(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x"
    if kind == "dir":
        target.mkdir()
    else:
        os.mkfifo(target)
    with pytest.raises(WriteError, match="is a directory" if kind == "dir" else "not a regular file"):
        write_atomic(target, b"new")
    assert names(tmp_path) == ["x"]


def test_missing_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=f"the folder {tmp_path / 'nope'} does not exist"):
        write_atomic(tmp_path / "nope" / "f.md", b"x")


def test_new_file_failure_says_nothing_was_written(tmp_path: Path, monkeypatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match="the disk is full; nothing was written"):
        write_atomic(tmp_path / "f.md", b"x")
    monkeypatch.undo()
    assert names(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file away")
def test_owner_and_mode_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "f.md"
    target.write_bytes(b"old")
    os.chown(target, 1234, 1234)
    target.chmod(0o604)
    write_atomic(target, b"new")
    st_ = target.stat()
    assert (st_.st_uid, st_.st_gid, stat.S_IMODE(st_.st_mode)) == (1234, 1234, 0o604)
