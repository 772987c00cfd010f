"""`fulcrum export`: stdout, atomic -o, and every failure a clear line with exit code 2.

stdout and `-o -`; `-o` writes exactly the render and leaves no temporary file, keeps the mode and
a symlink, respects the umask; it refuses to overwrite the backlog; a missing folder, a directory,
a read-only folder, a failed replace, a bad lens or date, an invalid or missing backlog.
"""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from fulcrum.backlog import load_backlog
from fulcrum.commands.export import OutputError
from fulcrum.output import render_markdown
from fulcrum.save import write_atomic


def test_stdout_is_the_rendered_plan(cli, golden_toml) -> None:
    code, out, err = cli("export", golden_toml)
    assert code == 0 and err == ""
    assert out == render_markdown(load_backlog(golden_toml))


def test_dash_means_stdout(cli, golden_toml) -> None:
    code, out, _ = cli("export", golden_toml, "-o", "-")
    assert code == 0 and out.startswith("# Golden example\n")


def test_output_file_is_written_and_said(cli, golden_toml, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    code, out, err = cli("export", golden_toml, "-o", target, "--lens", "pm", "--start", "2027-02-01")
    assert code == 0 and out == ""
    assert str(target) in err
    expected = render_markdown(load_backlog(golden_toml), "pm", start=date(2027, 2, 1))
    assert target.read_bytes() == expected.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]  # no temporary file left behind


def test_overwrite_keeps_the_mode_and_follows_a_symlink(cli, golden_toml, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    code, _, _ = cli("export", golden_toml, "-o", link)
    assert code == 0
    assert link.is_symlink() and real.read_text().startswith("# Golden example")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "n.md", b"x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.md").stat().st_mode) == 0o644


def test_refuses_to_overwrite_the_backlog(cli, golden_toml, tmp_path: Path) -> None:
    copy = tmp_path / "b.toml"
    copy.write_bytes(golden_toml.read_bytes())
    code, out, err = cli("export", copy, "-o", copy)
    assert code == 2 and out == ""
    assert "is the backlog itself" in err and len(err.strip().splitlines()) == 1
    assert copy.read_bytes() == golden_toml.read_bytes()


@pytest.mark.parametrize(
    ("where", "message"),
    [("missing/plan.md", "does not exist"), (".", "is a directory")],
)
def test_unwritable_targets_are_one_line_errors(
    cli, golden_toml, tmp_path: Path, where: str, message: str
) -> None:
    code, out, err = cli("export", golden_toml, "-o", tmp_path / where)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_is_an_error_and_the_old_file_survives(golden_toml, tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="cannot write"):
            write_atomic(target, b"new\n")
    finally:
        tmp_path.chmod(0o700)
    assert target.read_text() == "old\n"


def test_a_failed_replace_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")

    def fail(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="the disk is full"):
        write_atomic(target, b"new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.md"]
    assert target.read_text() == "old\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lens", "nobody"], "unknown lens 'nobody'"),
        (["--start", "2027-13-01"], "is not a date"),
    ],
)
def test_bad_options_exit_2(cli, golden_toml, args: list[str], message: str) -> None:
    code, out, err = cli("export", golden_toml, *args)
    assert code == 2 and out == ""
    assert message in err


def test_bad_backlog_exit_2_with_the_location(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[backlog]\ntitle = "x"\n[[items]]\nid = "a"\ntitle = "A"\neffort = -1\n')
    code, out, err = cli("export", bad, "-o", tmp_path / "plan.md")
    assert code == 2 and out == ""
    assert f"{bad}:6" in err and "effort" in err
    assert not (tmp_path / "plan.md").exists()


def test_missing_backlog_exit_2(cli, tmp_path: Path) -> None:
    code, _, err = cli("export", tmp_path / "nope.toml")
    assert code == 2 and "no such file" in err
