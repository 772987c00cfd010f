"""`fulcrum [FILE]` / `fulcrum --demo`: what happens before the app opens.

No file and no backlog.toml, a missing file, an invalid file (the same first line as `check`),
invalid TOML, and the bundled demo backlog.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from fulcrum.backlog import load_backlog


def test_no_file_and_no_backlog_toml_says_what_to_do(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = cli()
    assert code == 2
    assert "fulcrum init" in err and "fulcrum --demo" in err
    assert out == ""


def test_a_missing_named_file(cli, tmp_path: Path) -> None:
    code, _, err = cli(tmp_path / "nope.toml")
    assert code == 2
    assert "nope.toml" in err and "no such file" in err
    assert "Traceback" not in err


def test_a_bad_file_gets_the_located_errors_of_check(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[backlog]\ntitle = "x"\n\n[[items]]\nid = "a"\ntitle = "A"\neffort = "two"\n')
    code, out, err = cli(bad)
    assert code == 2
    assert f"{bad}:7:1: item 'a' effort:" in err
    assert "Traceback" not in err and out == ""
    check_code, _, check_err = cli("check", bad)
    assert (check_code, check_err.splitlines()[0]) == (2, err.splitlines()[0])


def test_invalid_toml(cli, tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[backlog\n")
    code, _, err = cli(bad)
    assert code == 2
    assert f"{bad}:1:" in err and "invalid TOML" in err


def test_the_demo_backlog_is_bundled_and_valid() -> None:
    example = resources.files("fulcrum").joinpath("backlog.example.toml")
    if not example.is_file():
        pytest.skip("the bundled example is not in the package yet")
    with resources.as_file(example) as path:
        backlog = load_backlog(path)
    assert backlog.items
