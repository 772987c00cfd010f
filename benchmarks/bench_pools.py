"""Planner benchmark with capacity pools (issue 12's targets: 5 pools and 2,000 candidates under 2 s,
500 candidates with pools under 1 s; printed only, never asserted).

Backlogs come from the shared generator (benchmarks/synth.py) with teams added: four teams beside
your own capacity (five pools), each item given to a team or to you at random (seeded), and one
item in twenty given an alternative (``excludes``) among its neighbours; no in-progress items
(they would fill every pool's first phase before any choice is left). Two sets of capacities:
teams of a leader's size (4-12 person-weeks per phase each), and a stress case where every pool
grows with the backlog (so hundreds of items compete for each of the five pools). Each figure is
build_plan end to end (scoring included), median and best of several runs and the least CPU time,
with the plan's size, whether it is proven optimal and its gap; then the whole `fulcrum plan
--format json` process once.
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan import backlog_text, with_capacity
from synth import timed_plans

RUNS = 3
#: Teams of a leader's size: person-weeks per phase.
REAL_TEAMS = {
    "payments": (8, 12, 12),
    "platform": (10, 12, 12),
    "data": (4, 6, 8),
    "mobile": (6, 8, 10),
}
REAL_YOURS = (1, 3, 4)
#: The stress case: each team's person-weeks per phase for every 100 candidates (a few hundred
#: items of 2,000 compete for each pool); yours is scaled alike.
TEAMS = {
    "payments": (3, 5, 6),
    "platform": (4, 6, 6),
    "data": (2, 3, 4),
    "mobile": (2.5, 4, 5),
}
YOURS = (1, 3, 4)
FULCRUM = Path(sys.executable).with_name("fulcrum")


def pooled(text: str, candidates: int, seed: int = 0, stress: bool = True) -> str:
    """The synthetic backlog with four teams, items spread over five pools, and some alternatives;
    ``stress``: capacities grow with the backlog (else teams of a leader's size)."""
    rng = random.Random(seed)
    k = candidates / 100 if stress else 1.0
    yours, team_caps = (YOURS, TEAMS) if stress else (REAL_YOURS, REAL_TEAMS)
    a, b, c = (round(x * k, 1) for x in yours)
    text = with_capacity(text, (a, b, c), doing=False)
    teams = []
    for key, (a, b, c) in team_caps.items():
        teams += [f"[teams.{key}]", f'name = "{key.title()} team"']
        teams += [f"capacity = {{ days_30 = {a * k:g}, days_60 = {b * k:g}, days_90 = {c * k:g} }}", ""]
    text = text.replace("\n[metrics.", "\n" + "\n".join(teams) + "\n[metrics.", 1)
    keys = [None, *TEAMS]
    ids = re.findall(r'^id = "(item-\d+)"$', text, re.M)

    def assign(m: re.Match[str]) -> str:
        extra = []
        team = rng.choice(keys)
        if team is not None:
            extra.append(f'team = "{team}"')
        n = int(m.group(1).removeprefix("item-"))
        if n > 0 and rng.random() < 0.05:
            extra.append(f'excludes = ["{ids[max(0, n - rng.randint(1, 5))]}"]')
        return m.group(0) + "".join("\n" + e for e in extra)

    return re.sub(r'^id = "(item-\d+)"$', assign, text, flags=re.M)


def measure(name: str, text: str, runs: int = RUNS) -> None:
    plan, times, cpu = timed_plans(text, name, runs)
    planned = [len(ph.items) for ph in plan.phases]
    print(
        f"{name:<28} {len(plan.ranking.ranked):>5} candidates  median {statistics.median(times):6.3f} s"
        f"  best {min(times):6.3f} s  cpu {min(cpu):6.3f} s  planned {planned}  "
        f"{'optimal' if plan.optimal else 'stopped'}, proven gap {plan.gap:.4%}"
    )


def whole_process(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pools.toml"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(FULCRUM), "plan", str(path), "--format", "json", "--today", "2027-01-04"],
            capture_output=True,
            check=False,
        )
        took = time.perf_counter() - t0
    status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
    print(f"{name:<28} whole process `fulcrum plan --format json`: {took:6.3f} s ({status})")


def main() -> None:
    t0 = time.perf_counter()
    import highspy  # noqa: F401  (the solver's first import, paid once per process)

    print(f"import highspy: {time.perf_counter() - t0:.3f} s (once per process, not in the figures below)")
    real = ", ".join(f"{k} {a:g}/{b:g}/{c:g}" for k, (a, b, c) in {"you": REAL_YOURS, **REAL_TEAMS}.items())
    print(f"leader-sized pools, person-weeks per phase: {real}")
    for size in (500, 2000):
        text = pooled(backlog_text(size), size, stress=False)
        measure(f"5 pools, {size:,} candidates", text)
        whole_process(f"5 pools, {size:,} candidates", text)
    caps = ", ".join(f"{k} {a:g}/{b:g}/{c:g}" for k, (a, b, c) in {"you": YOURS, **TEAMS}.items())
    print(f"stress: pools per phase for every 100 candidates: {caps}")
    for size in (500, 2000):
        measure(f"stress, 5 pools, {size:,} candidates", pooled(backlog_text(size), size), runs=1)


if __name__ == "__main__":
    main()
