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
