"""TUI benchmarks: first paint, edit -> re-rank -> repaint, and memory, on synthetic backlogs.

Prints (never asserts) issue 4's targets:
- first paint with 1,000 items: under 1 s (app start to the first frame, headless);
- edit -> re-rank -> repaint with 1,000 items: under 100 ms (the session edit, the table and
  pane redrawn, and the frame painted); the form's validation of the edit is shown apart;
- peak memory with 10,000 items loaded: under 250 MB (max RSS of a process that opens the app
  headless on the file and paints once).

Times are wall clock, the best of several runs (the least disturbed by other processes); the
CPU time of the edit cycle is shown too, as it depends less on what else the machine runs.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import write_synth  # noqa: E402

from fulcrum.save.backlog_file import read_snapshot  # noqa: E402
from fulcrum.ui.edits import apply_form, form_values  # noqa: E402

SIZE = (120, 40)
MEMORY = """
import asyncio, resource, sys
from pathlib import Path
from fulcrum.save.backlog_file import read_snapshot
from fulcrum.ui.app import FulcrumApp

async def main():
    backlog, snapshot = read_snapshot(Path(sys.argv[1]))
    app = FulcrumApp(backlog, path=Path(sys.argv[1]), snapshot=snapshot, watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in ("down", "e"):
            await pilot.press(key)
        await pilot.pause()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

asyncio.run(main())
"""


async def first_paint(path: Path) -> float:
    """ms from creating the app to its first painted frame."""
    from fulcrum.ui.app import FulcrumApp

    backlog, snapshot = read_snapshot(path)
    t0 = time.perf_counter()
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - t0
    return elapsed * 1e3


async def edit_cycle(path: Path, repeat: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """(validate, re-rank + redraw, repaint, CPU of all three) in ms, per edit of one item's effort."""
    from fulcrum.ui.app import FulcrumApp

    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    validate, rerank, paint, cpu = [], [], [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(repeat):
            item_id = app.session.ranking.ranked[len(app.session.ranking.ranked) // 2].id
            values = form_values(app.session.backlog.item(item_id))
            values["effort"] = str(0.25 + i % 7)
            c0, t0 = time.process_time(), time.perf_counter()
            edited = apply_form(app.session.backlog, item_id, values, app.session.lens, app.session.method)
            t1 = time.perf_counter()
            app._edited(item_id, "edited", edited)
            t2 = time.perf_counter()
            # The repaint: every message the edit caused processed, then one frame composed
            # (what pilot.pause() does, without its wait for the CPU to go idle).
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            t3, c3 = time.perf_counter(), time.process_time()
            await pilot.pause()
            cpu.append((c3 - c0) * 1e3)
            validate.append((t1 - t0) * 1e3)
            rerank.append((t2 - t1) * 1e3)
            paint.append((t3 - t2) * 1e3)
    return validate, rerank, paint, cpu


def peak_rss_mb(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        b1k = write_synth(Path(tmp) / "b1k.toml", 1_000)
        b10k = write_synth(Path(tmp) / "b10k.toml", 10_000)

        paints = [asyncio.run(first_paint(b1k)) for _ in range(3)]
        print(f"first paint, 1,000 items:              {min(paints):7.0f} ms   (target < 1000 ms)")

        validate, rerank, paint, cpu = asyncio.run(edit_cycle(b1k, 12))
        total = [r + p for r, p in zip(rerank, paint, strict=True)]
        med = statistics.median(total)
        print(
            f"edit -> re-rank -> repaint, 1,000:      {min(total):7.1f} ms   (target < 100; median {med:.1f})"
        )
        print(f"  of which re-rank + redraw:            {min(rerank):7.1f} ms,  paint {min(paint):.1f} ms")
        print(
            f"  validating the edit as `check` does:  {min(validate):7.1f} ms   (on Apply, before the above)"
        )
        cpu_med = statistics.median(cpu)
        print(f"  CPU of validate + re-rank + repaint:  {min(cpu):7.1f} ms   (median {cpu_med:.1f})")

        paints = [asyncio.run(first_paint(b10k)) for _ in range(1)]
        print(f"first paint, 10,000 items:             {min(paints):7.0f} ms")
        print(f"peak memory, 10,000 items, app open:   {peak_rss_mb(b10k):7.0f} MB   (target < 250 MB)")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  (this benchmark process peaked at {own:.0f} MB)")


if __name__ == "__main__":
    main()
