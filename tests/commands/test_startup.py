"""The printing commands start lean: no UI library imported, no pydantic plugin scan."""

from __future__ import annotations

import os


def test_rank_and_explain_import_no_ui_library(golden_toml) -> None:
    """Start-up stays lean: printing commands never import textual, plotext or rich."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom fulcrum.cli import main\n"
        "assert main(['rank', sys.argv[1]]) == 0\nassert main(['explain', sys.argv[1], 'b']) == 0\n"
        "top = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(top & {'textual', 'plotext', 'rich'}), file=sys.stderr)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(golden_toml)], capture_output=True, text=True, check=True
    )
    assert out.stderr.strip() == "[]"


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


def test_a_command_that_ends_with_os_exit_keeps_its_objects_for_the_exit(tmp_path) -> None:
    """`fulcrum COMMAND` ends with os._exit: no cyclic collection walks what the command made on its
    way out (loading pauses it and would re-enable it), and a big invalid document is left to the
    exit instead of being freed object by object; a long-lived process keeps nothing."""
    import subprocess
    import sys

    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[backlog]\ntitle = "t"\n[[items]]\nid = "a"\ntitle = "A"\neffort = 1\ndepends_on = ["zz"]\n'
    )
    code = (
        "import gc, os, sys\nimport fulcrum.cli as cli\nfrom fulcrum import errors\n"
        "def end(status):\n"
        "    held = errors._HELD or []\n"
        "    print(status, gc.isenabled(), [type(x).__name__ for x in held],\n"
        "          [type(x).__name__ for x in getattr(held[0], 'held', ())] if held else None,\n"
        "          file=sys.__stdout__, flush=True)\n"
        "    os._exit(0)\n"
        "os._exit = end\nsys.argv = ['fulcrum', 'check', sys.argv[1]]\ncli.run()\n"
    )
    env = {**os.environ, "FULCRUM_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, env=env)
    assert out.stdout.split("\n")[0] == "2 False ['BacklogError'] ['dict', 'dict', 'Locator']"
    assert "unknown item 'zz'" in out.stderr

    from fulcrum import errors
    from fulcrum.backlog import BacklogError

    assert errors._HELD is None  # this process (the tests, like the TUI) lives on: nothing is held
    errors.hold(BacklogError([]))
    assert errors._HELD is None


def test_only_the_planning_commands_load_the_solver_and_numpy(golden_toml, tmp_path) -> None:
    """highspy and numpy are for `plan`, `export`, `risk` and `brief`: `rank`, `explain`, `matrix`
    and `check` load neither (the matrix shares a package with the Markdown plan)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom fulcrum.cli import main\nf = sys.argv[1]\n"
        "assert main(['rank', f]) == 0\nassert main(['explain', f, 'b']) == 0\n"
        "assert main(['matrix', f, '--width', '60', '--height', '20']) == 0\nassert main(['check', f]) == 0\n"
        "def heavy():\n    return sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'highspy'})\n"
        "loaded = heavy()\nassert main(['plan', f, '--today', '2026-12-02']) == 0\n"
        "print(loaded, heavy(), file=sys.stderr)"
    )
    env = {**os.environ, "FULCRUM_NO_CACHE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(golden_toml)], capture_output=True, text=True, check=True, env=env
    )
    assert out.stderr.strip().splitlines()[-1] == "[] ['highspy', 'numpy']"
