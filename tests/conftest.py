"""Shared fixtures: the golden backlog, the bundled example, a runner for the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backlogs import ROOT, TESTS

GOLDEN = ROOT.parent / "shared" / "golden"
if not GOLDEN.is_dir():  # CI lays shared/ beside the clone; a developer checkout too
    GOLDEN = TESTS / "golden"
EXAMPLE = ROOT / "backlog.example.toml"


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
