"""`fulcrum.scoring` exports its names lazily: each means what its module defines, whatever was
imported first, and the plain-data part loads no models."""

from __future__ import annotations

import importlib
import subprocess
import sys

import fulcrum.scoring as scoring


def test_every_exported_name_is_its_modules_even_where_a_submodule_has_the_name() -> None:
    for module in ("couplings", "review", "rescore", "table", "rank"):
        importlib.import_module(f"fulcrum.scoring.{module}")  # sets the submodule's name on the package
    for name in scoring.__all__:
        home = importlib.import_module(f"fulcrum.scoring.{scoring._HOME[name]}")
        assert getattr(scoring, name) is getattr(home, name), name
    assert callable(scoring.couplings) and callable(scoring.review) and callable(scoring.rescore)


def test_the_plain_data_scoring_loads_no_models() -> None:
    code = (
        "import sys\nimport fulcrum.scoring.table, fulcrum.scoring.methods, fulcrum.scoring.quadrants\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'fulcrum.backlog'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
