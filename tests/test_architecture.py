"""The house rules that `lint-imports` (pyproject, ``[tool.importlinter]``) does not express.

- Nothing outside a package imports that package's inner modules: each ``__init__`` names what the
  rest of the code may use.
- The printing commands start lean: importing the CLI and loading pulls in no textual or plotext.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "fulcrum"
PACKAGES = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").exists())


def _fulcrum_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("fulcrum.")]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("fulcrum.")
        ):
            found.append((node.lineno, str(node.module)))
    return found


def inner_imports_from_outside(root: Path) -> list[str]:
    """``file:line: module`` for every import of ``fulcrum.PKG.MODULE`` from outside ``PKG``."""
    offenders = []
    for path in sorted(root.rglob("*.py")):
        home = path.relative_to(root).parts[0]
        for line, module in _fulcrum_imports(path):
            parts = module.split(".")
            if len(parts) > 2 and parts[1] != home and parts[1] not in ("ui", "commands"):
                offenders.append(f"{path.relative_to(root)}:{line}: {module}")
    return offenders


def test_no_module_imports_another_packages_inner_modules() -> None:
    assert PACKAGES and inner_imports_from_outside(SRC) == []


def test_the_rule_catches_an_inner_import(tmp_path: Path) -> None:
    (tmp_path / "scoring").mkdir()
    (tmp_path / "scoring" / "rank.py").write_text("from fulcrum.backlog.model import Backlog\n")
    (tmp_path / "backlog").mkdir()
    (tmp_path / "backlog" / "load.py").write_text("from fulcrum.backlog.model import Backlog\n")
    assert inner_imports_from_outside(tmp_path) == ["scoring/rank.py:1: fulcrum.backlog.model"]


def test_cli_commands_do_not_load_the_tui() -> None:
    """Printing commands start lean: importing the CLI and scoring pulls in no textual."""
    code = (
        "import sys, fulcrum.cli, fulcrum.backlog, fulcrum.scoring, fulcrum.plan, fulcrum.output; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext', 'highspy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
