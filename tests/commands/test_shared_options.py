"""Argument pieces the commands share: ISO dates, bounded whole numbers, one --lens option."""

from __future__ import annotations

import pytest


def test_shared_date_and_number_types() -> None:
    import argparse
    from datetime import date

    from fulcrum.commands._args import iso_date, whole_number

    assert iso_date("2027-01-04") == date(2027, 1, 4)
    with pytest.raises(argparse.ArgumentTypeError, match="is not a date; use YYYY-MM-DD"):
        iso_date("2027-02-30")
    assert whole_number(1, 3)("3") == 3
    for bad, why in [("0", "at least 1"), ("4", "at most 3"), ("x", "not a whole number")]:
        with pytest.raises(argparse.ArgumentTypeError, match=why):
            whole_number(1, 3)(bad)


@pytest.mark.parametrize("command", ["rank", "plan", "matrix", "export", "explain"])
def test_commands_share_one_lens_option(command) -> None:
    import argparse
    import importlib

    parser = argparse.ArgumentParser()
    importlib.import_module(f"fulcrum.commands.{command}").add_arguments(parser)
    lens = next(a for a in parser._actions if a.dest == "lens")
    assert lens.help == "value through a stakeholder's eyes (default: everyone)"
