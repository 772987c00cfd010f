"""Synthetic backlogs of any size, in valid format v1, for benchmarks (deterministic by seed).

    from synth import synth_text, write_synth
    path = write_synth(tmp_dir / "b10k.toml", 10_000)

Every item is open or closed in a realistic mix, with point and range estimates, needs,
dependencies on earlier items (so there are no cycles), fields for rice/ice/wsjf and evidence.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

METRICS = [
    ("revenue", "Revenue", "USD/yr", 1.0, None),
    ("mau", "Monthly active users", "users", 3.5, 2_000_000),
    ("infra_cost", "Infrastructure cost", "USD/yr", -1.0, 20_000_000),
    ("churn", "Churned accounts", "accounts", -1200.0, 5_000),
    ("tickets", "Support tickets", "tickets/yr", -15.0, 90_000),
    ("ticket_minutes", "Median ticket resolution", "minutes", None, 120),
]
STAKEHOLDERS = [
    ("cfo", "Dana Smith", "CFO", '["infra_cost", "revenue"]', 5),
    ("pm", "Lee Park", "Product", "{ mau = 1.0, revenue = 0.5 }", 4),
    ("support", "Ana Costa", "Head of Support", '["tickets", "ticket_minutes", "churn"]', 3),
    ("sales", "Omar Haddad", "Sales", '["revenue", "churn"]', 4),
    ("sre", "Kim Yu", "SRE lead", "{ infra_cost = 1.0, tickets = 0.2 }", 2),
]
TEAMS = ["sre", "data", "mobile", "security", "legal", "design"]
STATUSES = ["idea"] * 14 + ["planned"] * 3 + ["doing", "done", "dropped"]
DELTA = {
    "revenue": (5_000, 400_000),
    "mau": (500, 60_000),
    "infra_cost": (-500_000, 20_000),
    "churn": (-60, 5),
    "tickets": (-8_000, 500),
    "ticket_minutes": (-40, 5),
}


def _estimate(rng: random.Random, lo: float, hi: float, whole: bool = True) -> str:
    likely = rng.uniform(lo, hi)
    if rng.random() < 0.6:
        return f"{round(likely)}" if whole else f"{likely:.1f}"
    a, b = likely - abs(likely) * rng.uniform(0.1, 0.6), likely + abs(likely) * rng.uniform(0.1, 1.0)
    if whole:
        return f"{{ low = {round(a)}, likely = {round(likely)}, high = {round(b)} }}"
    return f"{{ low = {a:.1f}, likely = {likely:.1f}, high = {b:.1f} }}"


def synth_text(n: int, seed: int = 0) -> str:
    """A backlog of ``n`` items as TOML text."""
    rng = random.Random(seed)
    out = [
        "[backlog]",
        f'title = "Synthetic backlog of {n} items"',
        'owner = "bench"',
        "start = 2027-01-04",
        "",
        "[scoring]",
        'method = "value_density"',
        'formula = "value * confidence / effort"',
        "effort_half_life_weeks = 6",
        "coordination_penalty = 0.15",
        "",
        "[capacity]",
        "days_30 = 2.0",
        "days_60 = 6.0",
        "days_90 = 8.0",
        "",
    ]
    for key, label, unit, price, baseline in METRICS:
        out += [f"[metrics.{key}]", f'label = "{label}"', f'unit = "{unit}"']
        if price is not None:
            out.append(f"value_per_unit = {price}")
        if baseline is not None:
            out.append(f"baseline = {baseline}")
        out += ['source = "finance model 2026"', ""]
    for key, name, role, cares, influence in STAKEHOLDERS:
        out += [f"[stakeholders.{key}]", f'name = "{name}"', f'role = "{role}"']
        out += [f"cares_about = {cares}", f"influence = {influence}", ""]
    keys = [m[0] for m in METRICS]
    for i in range(n):
        iid = f"item-{i:05d}"
        out += [
            "[[items]]",
            f'id = "{iid}"',
            f'title = "Candidate work number {i} ({rng.choice(TEAMS)} area)"',
        ]
        who = rng.sample([s[0] for s in STAKEHOLDERS], rng.randint(0, 2))
        out.append("requested_by = [" + ", ".join(f'"{w}"' for w in who) + "]")
        out.append(f"effort = {_estimate(rng, 0.5, 12, whole=False)}")
        out.append(f"confidence = {rng.choice([0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])}")
        needs = rng.sample(TEAMS, rng.choice([0, 0, 0, 1, 1, 2]))
        if needs:
            out.append("needs = [" + ", ".join(f'"{t}"' for t in needs) + "]")
        if i > 0 and rng.random() < 0.2:
            out.append(f'depends_on = ["item-{rng.randrange(i):05d}"]')
        out.append(f'status = "{rng.choice(STATUSES)}"')
        out.append(f'tags = ["{rng.choice(["cost", "growth", "ops", "quality"])}"]')
        out.append(
            f"fields = {{ reach = {rng.randint(10, 50_000)}, impact = {rng.choice([0.25, 0.5, 1, 2, 3])}, "
            f"ease = {rng.randint(1, 10)} }}"
        )
        out.append("[items.impact]")
        moved = rng.sample(keys, rng.randint(1, 3))
        for k in moved:
            out.append(f"{k} = {_estimate(rng, *DELTA[k])}")
        out.append("[items.evidence]")
        out.append(f'{moved[0]} = "estimate from the {rng.choice(TEAMS)} team, Q3 review"')
        out.append("")
    return "\n".join(out)


def write_synth(path: Path | str, n: int, seed: int = 0) -> Path:
    """Write a synthetic backlog of ``n`` items to ``path`` and return the path."""
    p = Path(path)
    p.write_text(synth_text(n, seed), encoding="utf-8")
    return p


if __name__ == "__main__":  # python benchmarks/synth.py 1000 > big.toml
    import sys

    print(synth_text(int(sys.argv[1]) if len(sys.argv) > 1 else 100))


def timed_plans(text: str, name: str, runs: int) -> tuple[Any, list[float], list[float]]:
    """The plan of ``text``, built ``runs`` times: the last one, and each run's wall clock and CPU
    seconds (CPU of every thread of the process: on a busy machine the wall clock measures the
    other processes too)."""
    from fulcrum.backlog.load import parse_backlog
    from fulcrum.plan.build import build_plan

    backlog = parse_backlog(text, name)
    times, cpu = [], []
    plan = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        plan = build_plan(backlog)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert plan is not None
    return plan, times, cpu
