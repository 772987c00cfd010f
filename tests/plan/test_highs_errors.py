"""A HiGHS run that fails is an error, never a plan (milp._run).

The real failure (a second thread count in one process: HiGHS's thread pool is per process) would
break every later solve of the test process, so the solver is stood in for here.
"""

from __future__ import annotations

from typing import Any

import highspy
import pytest

from fulcrum.plan import milp
from fulcrum.plan.model import Problem


class Failing:
    def run(self) -> Any:
        return highspy.HighsStatus.kError

    def getModelStatus(self) -> Any:
        return highspy.HighsModelStatus.kNotset


def test_a_failed_run_raises() -> None:
    with pytest.raises(RuntimeError, match="HiGHS failed"):
        milp._run(Failing())


def test_a_solve_whose_runs_fail_raises_instead_of_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    real = milp._highs

    class Broken:
        """A real instance whose runs fail."""

        def __init__(self, gap: float) -> None:
            self.h = real(gap)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.h, name)

        def run(self) -> Any:
            return highspy.HighsStatus.kError

    broken = Broken

    pb = Problem(
        gain=[1.0, 2.0], effort=[1.0, 1.0], deps=[[], []], capacity=(1, 2, 2), weights=(0.9, 0.8, 0.7)
    )
    assert milp.solve(pb) is not None
    monkeypatch.setattr(milp, "_highs", broken)
    with pytest.raises(RuntimeError):
        milp.solve(pb)


def test_every_instance_asks_for_one_thread() -> None:
    assert milp._highs(0.005).getOptionValue("threads") == (highspy.HighsStatus.kOk, 1)
