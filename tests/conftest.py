"""Shared fixtures: the golden backlog, the bundled example, a runner for the CLI; and the `ui` marker
on everything under tests/ui/, so that `pytest -m "not ui"` runs the core tests alone."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from backlogs import ROOT, TESTS

# `plan` and `export` default --today to the current date: pinned here to 1970-01-01, before every
# test's start (so "as of day 1"), for the CLI in-process and in subprocesses alike. Tests of
# --today pass it explicitly.
os.environ["SOURCE_DATE_EPOCH"] = "0"
# The output cache (fulcrum.cache) is on, as for a user, but in a folder of this run's own, for the
# CLI in-process and in subprocesses alike: no test reads or writes the real ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="fulcrum-test-cache-")

GOLDEN = TESTS / "golden"
#: The hand-worked originals (beside the repository in the workplace); tests/golden is their copy.
SHARED_GOLDEN = ROOT.parent / "shared" / "golden"
EXAMPLE = ROOT / "backlog.example.toml"
UI_TESTS = TESTS / "ui"


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.resolve().is_relative_to(UI_TESTS):
            item.add_marker(pytest.mark.ui)


@pytest.fixture
def golden_dir() -> Path:
    return GOLDEN


@pytest.fixture
def golden_toml() -> Path:
    return GOLDEN / "small.toml"


@pytest.fixture
def golden_json():
    def read(name: str):
        return json.loads((GOLDEN / name).read_text())

    return read


@pytest.fixture
def example_toml() -> Path:
    return EXAMPLE


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: cli("rank", path) -> (exit code, stdout, stderr)."""
    from fulcrum.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
