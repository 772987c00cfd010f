"""Planner benchmark: the 30-60-90 plan of 500 candidates (issue 6's target: under 1 s; printed only).

Backlogs come from the shared generator (benchmarks/synth.py) with about 500 open items, under
several capacities: the generator's own (2/6/8 person-weeks, with its in-progress items that
already overrun the first phase), the same without in-progress items, a team's (40/60/80), and a
stress case where a third of all the effort fits (the hardest for the solver: hundreds of items
compete). Each figure is build_plan end to end (scoring included), median and best of several
runs and the least CPU time, with how many items were planned, whether the plan is proven optimal
and its proven gap.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_text, timed_plans

RUNS = 5
CANDIDATES = 500


def backlog_text(candidates: int, seed: int = 0) -> str:
    """A synthetic backlog with at least ``candidates`` open items."""
    n = candidates
    while True:
        text = synth_text(n, seed)
        closed = len(re.findall(r'^status = "(?:done|dropped)"$', text, re.M))
        if n - closed >= candidates:
            return text
        n += max(1, (candidates - (n - closed)))


def with_capacity(text: str, days: tuple[float, float, float], doing: bool = True) -> str:
    for key, value in zip(("days_30", "days_60", "days_90"), days, strict=True):
        text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
    return text if doing else text.replace('status = "doing"', 'status = "idea"')


def measure(name: str, text: str) -> None:
    plan, times, cpu = timed_plans(text, name, RUNS)
    planned = [len(ph.items) for ph in plan.phases]
    print(
        f"{name:<34} {len(plan.ranking.ranked):>4} candidates  median {statistics.median(times):6.3f} s"
        f"  best {min(times):6.3f} s  cpu {min(cpu):6.3f} s  planned {planned}  "
        f"{'optimal' if plan.optimal else 'stopped'}, proven gap {plan.gap:.4%}  "
        f"early wins {plan.early_wins_planned}/{plan.early_wins_required}"
    )


def main() -> None:
    t0 = time.perf_counter()
    import highspy  # noqa: F401  (the solver's first import, paid once per process)

    print(f"import highspy: {time.perf_counter() - t0:.3f} s (once per process, not in the figures below)")
    base = backlog_text(CANDIDATES)
    total = sum(float(x) for x in re.findall(r"^effort = ([\d.]+)$", base, re.M))
    third = round(total / 3 / 3, 1)
    print(f"synthetic backlog: {CANDIDATES}+ open items; point-estimate efforts alone sum to {total:.0f} wk")
    measure("generator capacity 2/6/8", base)
    measure("2/6/8, no in-progress items", with_capacity(base, (2, 6, 8), doing=False))
    measure("team capacity 40/60/80", with_capacity(base, (40, 60, 80), doing=False))
    measure(f"stress: a third fits ({third}/phase)", with_capacity(base, (third, third, third), doing=False))
    small = backlog_text(200, seed=1)
    small_total = sum(float(x) for x in re.findall(r"^effort = ([\d.]+)$", small, re.M))
    s3 = round(small_total / 3 / 3, 1)
    measure(f"200 candidates, stress ({s3}/phase)", with_capacity(small, (s3, s3, s3), doing=False))


if __name__ == "__main__":
    main()
