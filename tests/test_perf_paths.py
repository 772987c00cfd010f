"""The fast paths of loading give the same answers as the plain ones.

- TOML: fulcrum parses with tomli (compiled); the pure-Python tomli (no wheel for the platform) and
  the stdlib's tomllib (no tomli at all) must locate every syntax error at the same line and column.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli

import fulcrum.load as load
from fulcrum.load import BacklogError, parse_toml

HEAD = '[backlog]\ntitle = "t"\n'
BROKEN = {
    "two commas": HEAD + "x = [1,,2]\n",
    "bare text": HEAD + "x = hello\n",
    "set twice": HEAD + "x = 1\nx = 2\n",
    "table twice": HEAD + "[backlog]\n",
    "unclosed string": HEAD + 'x = "abc\n',
    "at the end": HEAD + "x =",
    "crlf lines": HEAD.replace("\n", "\r\n") + "x = [1,,2]\r\n",
    "a bom": "\ufeff" + HEAD + "x = ]\n",
}


def located(text: str) -> tuple[str, int | None, int | None, str | None]:
    with pytest.raises(BacklogError) as err:
        parse_toml(text, "b.toml")
    (p,) = err.value.problems
    return p.message, p.line, p.column, p.source_line


@pytest.mark.parametrize("case", list(BROKEN))
def test_tomllib_and_tomli_locate_a_syntax_error_alike(case: str, monkeypatch) -> None:
    """tomli's error attributes and tomllib's message (parsed) give the same place and words."""
    text = BROKEN[case]
    fast = located(text)
    monkeypatch.setattr(load, "toml", tomllib)
    slow = located(text)
    assert fast[1:] == slow[1:]
    assert fast[0].startswith("invalid TOML: ") and slow[0].startswith("invalid TOML: ")
    if case in ("set twice", "table twice"):
        assert fast[0] == slow[0]  # the hints and the table name are found in both
    if case == "at the end":
        assert fast[2] is None and fast[0].endswith("(at the end of the file)")
    else:
        assert fast[1] is not None and fast[2] is not None and fast[3] is not None


def test_a_parser_error_without_attributes_is_read_off_its_message() -> None:
    lines = ["a", "bb", "x = ]"]
    p = load._toml_problem(ValueError("Invalid value (at line 3, column 5)"), lines, "f.toml")
    assert (p.line, p.column, p.source_line) == (3, 5, "x = ]")
    assert p.message.startswith("invalid TOML: Invalid value: text needs quotes")
    p = load._toml_problem(ValueError("Unclosed array (at end of document)"), lines, "f.toml")
    assert (p.line, p.column) == (3, None) and p.message.endswith("(at the end of the file)")
    p = load._toml_problem(ValueError("something else"), lines, "f.toml")
    assert (p.line, p.message) == (3, "invalid TOML: something else")


def test_fulcrum_parses_with_tomli() -> None:
    assert load.toml is tomli


PURE = """
import sys, tomli._parser
from fulcrum.load import BacklogError, parse_backlog
assert tomli._parser.__file__.endswith(".py"), tomli._parser.__file__
print(len(parse_backlog(sys.argv[1]).items))
for text in (sys.argv[2], sys.argv[3]):
    try:
        parse_backlog(text, "b.toml")
    except BacklogError as exc:
        (p,) = exc.problems
        print(p.line, p.column, p.message)
"""


def test_the_pure_python_tomli_gives_the_same_results(tmp_path: Path, example_toml: Path) -> None:
    """Where no compiled wheel exists, pip installs tomli's pure-Python one: it must work the same."""
    pure = tmp_path / "tomli"
    pure.mkdir()
    for src in Path(tomli.__file__).parent.glob("*.py"):
        shutil.copy(src, pure / src.name)
    (pure / "py.typed").touch()
    deep = HEAD + "x = " + "[" * 5000 + "]" * 5000 + "\n"
    good = example_toml.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run(
        [sys.executable, "-c", PURE, good, BROKEN["two commas"], deep],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.splitlines()
    assert int(out[0]) == len(load.parse_backlog(good).items)
    message, line, column, _ = located(BROKEN["two commas"])
    assert out[1] == f"{line} {column} {message}" == f"3 8 {message}"
    assert out[2] == "None None invalid TOML: arrays or tables are nested too deeply"


def test_the_cli_turns_off_pydantic_plugin_discovery_unless_the_user_chose(monkeypatch) -> None:
    """Scanning every installed package's entry points costs start-up time; fulcrum uses no plugin."""
    from pydantic.plugin import _loader

    from fulcrum.cli import main

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["--version"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"

    def scan(**kwargs: object) -> list[object]:
        raise AssertionError("entry points were scanned")

    # The value is one pydantic honours: it returns no plugins without scanning.
    monkeypatch.setattr(_loader, "entry_points", scan)
    monkeypatch.setattr(_loader, "_plugins", None)
    assert list(_loader.get_plugins()) == []

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    assert main(["--version"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""
