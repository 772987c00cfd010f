"""Whole commands on big backlogs (issue 11): `plan` and `export` at 10,000 items, and `plan` on a
10,000-item dependency chain (which used to be quadratic). Each figure is the wall clock of the
whole process (`python -m fulcrum ...`), median and best of a few runs, printed beside its target.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_synth

RUNS = 3


def chain_text(n: int) -> str:
    """``n`` items, each depending on the one before: the longest dependency chain there is."""
    out = ["[backlog]", 'title = "chain"', "start = 2027-01-04", "", "[capacity]"]
    out += ["days_30 = 5", "days_60 = 10", "days_90 = 10", "", "[metrics.revenue]", 'label = "R"']
    out += ["value_per_unit = 1.0", ""]
    for i in range(n):
        out += ["[[items]]", f'id = "c{i:05d}"', f'title = "Chain {i}"', "effort = 1"]
        out.append(f"impact = {{ revenue = {1000 + (i * 7919) % 5000} }}")
        if i:
            out.append(f'depends_on = ["c{i - 1:05d}"]')
        out.append("")
    return "\n".join(out)


def timed(args: list[str]) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        env = {**os.environ, "FULCRUM_NO_CACHE": "1"}  # each run computes (no output cache)
        subprocess.run([sys.executable, "-m", "fulcrum", *args], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = write_synth(Path(tmp) / "b10k.toml", 10_000)
        chain = Path(tmp) / "chain10k.toml"
        chain.write_text(chain_text(10_000), encoding="utf-8")
        out = str(Path(tmp) / "plan.md")
        cases = [
            ("plan, 10,000 items", ["plan", str(big), "--format", "json"], 3.0),
            ("plan, a 10,000-item dependency chain", ["plan", str(chain), "--format", "json"], 3.0),
            ("export, 10,000 items", ["export", str(big), "-o", out], 5.0),
        ]
        for name, args, target in cases:
            median, best = timed(args)
            print(f"{name + ':':<42} median {median:6.2f} s  best {best:6.2f} s  (target < {target:g} s)")


if __name__ == "__main__":
    main()
