"""Risk benchmark (issue 13; printed only): `fulcrum risk` on the example with the defaults (target
under 3 s, whole process), on 200 candidates (under 20 s, whole process, defaults), the sampling core
for 2,000 samples x 1,000 items (under 1 s, in-process CPU: the draws, values and efforts; the ranks
per sample beside it), and the peak memory of `fulcrum risk` on 1,000 items (under 300 MB RSS;
with `--plan-samples 20`, because the memory is the sample arrays, not the re-solves).
Whole-process figures are wall clock, median and best of a few runs.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_text

from fulcrum.backlog import parse_backlog
from fulcrum.plan import build_plan
from fulcrum.risk import draw, sample_ranks, sample_scores
from fulcrum.scoring import lens_weights, score_backlog

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def open_items(candidates: int) -> str:
    """A synthetic backlog with at least ``candidates`` open items."""
    n = candidates
    while True:
        text = synth_text(n, 0)
        closed = len(re.findall(r'^status = "(?:done|dropped)"$', text, re.M))
        if n - closed >= candidates:
            return text
        n += candidates - (n - closed)


def timed(args: list[str], runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "fulcrum", *args], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def peak_rss_mb(args: list[str]) -> float:
    """Peak RSS of one whole `fulcrum` process, measured by a fresh parent that only waits for it."""
    probe = (
        "import resource, subprocess, sys; "
        f"subprocess.run([sys.executable, '-m', 'fulcrum', *{args!r}], check=True, capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def core(items: int, samples: int) -> None:
    import numpy as np

    backlog = parse_backlog(open_items(items), "b.toml")
    ranking = score_backlog(backlog)
    weights = lens_weights(backlog)
    draws, ranks = [], []
    for _ in range(RUNS):
        t0 = time.process_time()
        smp = draw(backlog, ranking.ranked, weights, samples, np.random.Generator(np.random.PCG64(0)))
        t1 = time.process_time()
        sample_ranks(ranking, sample_scores(ranking, smp))
        t2 = time.process_time()
        draws.append(t1 - t0)
        ranks.append(t2 - t1)
    n = len(ranking.ranked)
    print(
        f"sampling core, {samples:,} samples x {n:,} items: best {min(draws):.3f} s CPU "
        f"({len(smp.inputs):,} uncertain inputs; target < 1 s); ranks per sample +{min(ranks):.3f} s"
    )


def main() -> None:
    example = str(ROOT / "backlog.example.toml")
    median, best = timed(["risk", example])
    print(f"risk on the example, defaults:    median {median:6.2f} s  best {best:6.2f} s  (target < 3 s)")
    with tempfile.TemporaryDirectory() as tmp:
        two = Path(tmp) / "b200.toml"
        two.write_text(open_items(200), encoding="utf-8")
        plan = build_plan(parse_backlog(two.read_text(encoding="utf-8"), "b200.toml"))
        median, best = timed(["risk", str(two)], runs=2)
        print(
            f"risk on 200 candidates, defaults: median {median:6.2f} s  best {best:6.2f} s  "
            f"(target < 20 s; {len(plan.planned)} planned)"
        )
        core(1000, 2000)
        thousand = Path(tmp) / "b1000.toml"
        thousand.write_text(open_items(1000), encoding="utf-8")
        mb = peak_rss_mb(["risk", str(thousand), "--plan-samples", "20", "--format", "json"])
        print(f"peak RSS of `fulcrum risk` on 1,000 items (--plan-samples 20): {mb:.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
