"""The core is reachable without the TUI: no core module imports textual (STYLE.md, harlequin)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "fulcrum"
UI_LAYERS = {"ui", "commands"}


def _core_modules() -> list[Path]:
    return [
        p
        for p in sorted(SRC.rglob("*.py"))
        if p.relative_to(SRC).parts[0] not in UI_LAYERS and p.name != "cli.py"
    ]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_exist() -> None:
    names = {p.stem for p in _core_modules()}
    assert {"model", "load", "scoring"} <= names


def test_no_core_module_imports_textual() -> None:
    offenders = [
        str(p.relative_to(SRC)) for p in _core_modules() if {"textual", "textual_plotext"} & _imports(p)
    ]
    assert offenders == []


def test_cli_commands_do_not_load_the_tui() -> None:
    """Printing commands start lean: importing the CLI and scoring pulls in no textual."""
    code = (
        "import sys, fulcrum.cli, fulcrum.load, fulcrum.scoring; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
