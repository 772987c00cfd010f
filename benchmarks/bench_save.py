"""Save benchmarks: one edit written back to a 1,000-item backlog full of comments.

Prints (never asserts) issue 4's target: save of one edit to a 1,000-item file with comments
under 200 ms, end to end (conflict check, targeted render, verification by a full parse, atomic
write with fsync). Also the parts of that time, other kinds of edit, and the whole-document
tomlkit rewrite the targeted render avoids. Times are the median and best wall clock of several
runs, and the best CPU time.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fulcrum.backlog import Backlog, Estimate, Item
from fulcrum.backlog.load import parse_backlog
from fulcrum.save.atomic import write_atomic
from fulcrum.save.backlog_file import Snapshot, read_snapshot, render_edits, save_backlog
from fulcrum.save.new_text import render_document, render_segments

RUNS = 9


def commented_backlog(n: int, seed: int = 4) -> str:
    """A hand-written-looking backlog: comments above items, beside values, between sections."""
    rng = random.Random(seed)
    out = [
        "# Synthetic backlog for the save benchmark: comments everywhere, as people write them.",
        "",
        "[backlog]",
        f'title = "{n} items"   # generated',
        "start = 2027-01-04",
        "",
        "[scoring]",
        'method = "value_density"  # CD3',
        "",
        "# --- metrics ---",
        "[metrics.revenue]",
        'label = "Revenue"',
        "value_per_unit = 1.0",
        "",
        "[metrics.mau]",
        'label = "Monthly active users"',
        "value_per_unit = 3.5      # ARPU",
        "baseline = 2_000_000",
        "",
        "# --- people ---",
        "[stakeholders.cfo]",
        'name = "Dana"',
        'cares_about = ["revenue"]',
        "influence = 5",
        "",
        "[stakeholders.pm]",
        'name = "Lee"',
        "cares_about = { mau = 1.0, revenue = 0.5 }",
        "",
        "# --- the work ---",
        "",
    ]
    for i in range(n):
        lo = rng.randint(1, 5)
        effort = f"{{ low = {lo}, likely = {lo + 2}, high = {lo + 6} }}" if i % 3 else str(lo)
        out += [
            f"# Item {i}: from the listening tour, week {i % 6 + 1}.",
            "[[items]]",
            f'id = "item-{i}"',
            f'title = "Candidate piece of work number {i}"   # short',
            f'requested_by = ["{"cfo" if i % 2 else "pm"}"]',
            f"effort = {effort}    # person-weeks",
            f"confidence = 0.{rng.randint(3, 9)}  # the team's guess",
            'needs = ["sre"]' if i % 4 == 0 else 'tags = ["q1"]',
            "[items.impact]",
            f"revenue = {rng.randint(1, 900)}_000  # finance model",
            f"mau = {{ low = {rng.randint(1, 9)}_000, likely = 20_000, high = 90_000 }}",
            "[items.evidence]",
            'revenue = "Finance, Q3 review"',
            "",
        ]
    return "\n".join(out)


def timed(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float, float]:
    """(median wall, best wall, best CPU) milliseconds of ``fn``. CPU time is the fairer figure on
    a busy machine: waiting for a core is not the code's cost (an fsync's wait is not CPU either)."""
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), min(walls), min(cpus)


def show(label: str, figures: tuple[float, float, float], note: str = "") -> None:
    med, best, cpu = figures
    print(f"  {label:<46} median {med:7.1f} ms   best {best:7.1f} ms   cpu {cpu:7.1f} ms  {note}")


def bench_end_to_end(path: Path) -> None:
    backlog, snap = read_snapshot(path)
    middle = len(backlog.items) // 2
    n = 0

    def one_save() -> None:
        nonlocal backlog, snap, n
        n += 1
        it = backlog.items[middle]
        edited = backlog.replace_item(it.model_copy(update={"confidence": 0.41 if n % 2 else 0.42}))
        snap = save_backlog(snap, backlog, edited)
        backlog = edited

    show("save one edit (end to end)", timed(one_save), "target < 200 ms")


def bench_parts(text: str, b: Backlog) -> None:
    middle = b.items[len(b.items) // 2]
    one = b.replace_item(middle.model_copy(update={"effort": Estimate(low=1, likely=3, high=9)}))
    show("  render: targeted (segments)", timed(lambda: render_segments(text, b, one)))
    out = render_segments(text, b, one)
    show("  verify: parse_backlog of the new text", timed(lambda: parse_backlog(out)))
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "w.toml"
        p.write_text(text)
        _, snap = read_snapshot(p)
        # Render + verify + write, without the conflict check, so each run replaces the same file.
        show("  render + verify + write (no conflict check)", timed(lambda: _write(snap, b, one)))
    changed = sum(1 for x, y in zip(text.splitlines(), out.splitlines(), strict=False) if x != y)
    print(f"  lines changed by that edit: {changed} of {text.count(chr(10))}")


def _write(snap: Snapshot, b: Backlog, edited: Backlog) -> None:
    data = render_edits(snap.text, b, edited).encode()
    write_atomic(Path(snap.path), data)


def bench_kinds(text: str, b: Backlog) -> None:
    new = Item(
        id="new-item", title="Brand new", effort=Estimate.point(2), impact={"revenue": Estimate.point(5000)}
    )
    people = dict(b.stakeholders, cfo=b.stakeholders["cfo"].model_copy(update={"met": date(2027, 1, 6)}))
    kinds = {
        "render: append a new item": b.replace_item(new),
        "render: delete an item": b.model_copy(update={"items": b.items[1:]}),
        "render: stakeholder met (listening tour)": b.model_copy(update={"stakeholders": people}),
    }
    for label, edited in kinds.items():
        show(label, timed(lambda e=edited: render_segments(text, b, e), runs=5))


def bench_document(text: str, b: Backlog) -> None:
    middle = b.items[len(b.items) // 2]
    one = b.replace_item(middle.model_copy(update={"confidence": 0.5}))
    show(
        "render: whole-document tomlkit (the fallback)", timed(lambda: render_document(text, b, one), runs=2)
    )


def main() -> int:
    for n in (100, 1_000):
        text = commented_backlog(n)
        b = parse_backlog(text)
        print(f"{n} items, {len(text.encode()) / 1024:.0f} KiB, {text.count('#')} comments")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "backlog.toml"
            path.write_text(text)
            bench_end_to_end(path)
        bench_parts(text, b)
        if n == 1_000:
            bench_kinds(text, b)
            bench_document(text, b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
