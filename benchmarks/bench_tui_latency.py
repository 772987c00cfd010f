"""TUI latency while slow work runs: keys during a plan solve, an export and a risk analysis, and a
pin's repaints.

Prints (never asserts) issue 11's targets:
- at 10,000 items, no key takes longer than 100 ms to be acted on while the Plan tab's plan solves,
  nor while the ``x`` export renders: ``down`` pressed in the Backlog table every ~40 ms, the time
  from the key reaching the app to the table's cursor having moved (p50 / p90 / max over the keys
  pressed while the work ran; a finished solve or export is started again until enough keys);
- at 1,000 items, no key takes longer than 100 ms while the Risk tab's analysis computes: ``down``
  in the Backlog table every ~40 ms over one whole analysis (its result arriving included), with
  the analysis in the app's thread (``before``: how every backlog was analysed) and in a child
  process (``after``: from ``remote.RISK_REMOTE_FROM`` items), alternately;
- at 1,000 items, a pin in the Plan tab (``>`` then ``<``, alternately) repaints the table in under
  100 ms (the edit applied, the table re-ranked and the frame painted) and the plan in under 1 s
  (the new plan solved, shown and painted).

Latency is wall clock by nature (a key waits for the GIL, the event loop and the CPU), so the
figures move with the machine's load: run it a few times and compare the spread, not one number.
The app runs headless (``app.run_test``); keys go through the driver as a terminal's would.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import write_synth  # noqa: E402
from textual import events  # noqa: E402

from fulcrum.output import remote  # noqa: E402
from fulcrum.save.backlog_file import read_snapshot  # noqa: E402
from fulcrum.ui.app import FulcrumApp  # noqa: E402
from fulcrum.ui.widgets.plan_view import PlanView  # noqa: E402
from fulcrum.ui.widgets.risk_view import RiskView  # noqa: E402

SIZE = (120, 40)
KEYS = 60
"""Keys measured per kind of work."""
GAP = 0.04
"""Seconds between keys (a fast typist, or a held key at the terminal's slowest repeat)."""
PINS = 8
RISK_ROUNDS = 2
"""Analyses per path (thread, child), alternately."""
POLL = 0.0005


def send(app: FulcrumApp, key: str) -> None:
    """A key as the terminal driver delivers it."""
    driver = app._driver
    assert driver is not None
    driver.send_message(events.Key(key, None))


async def until(check: Callable[[], bool], bound: float = 120.0) -> None:
    t0 = time.perf_counter()
    while not check():
        if time.perf_counter() - t0 > bound:
            raise SystemExit("the app never got there (bench_tui_latency)")
        await asyncio.sleep(POLL)


async def keys_while(
    app: FulcrumApp, busy: Callable[[], bool], start: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """ms from each ``down`` to the table's cursor having moved, pressed while ``busy()``; the work
    is started again (``start``) whenever it finished. Returns the latencies and, per start, the
    ms the UI thread spent starting the work (a key pressed then waits that long too)."""
    table = app.table
    latencies: list[float] = []
    starts: list[float] = []
    while len(latencies) < KEYS:
        if not busy():
            t0 = time.perf_counter()
            start()  # on the UI thread, as the key that asks for the work would run it
            starts.append((time.perf_counter() - t0) * 1e3)
            await until(busy)
            await asyncio.sleep(GAP)  # into the work, past its start on the UI thread
        before = table.cursor_row
        was_busy = busy()
        t0 = time.perf_counter()
        send(app, "down")
        await until(lambda b=before: table.cursor_row != b)
        elapsed = (time.perf_counter() - t0) * 1e3
        if was_busy:
            latencies.append(elapsed)
        await asyncio.sleep(GAP)
    return latencies, starts


def figures(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=10)
    return f"p50 {statistics.median(ms):5.0f} ms, p90 {q[8]:5.0f} ms, max {max(ms):5.0f} ms"


async def latency_10k(path: Path, out: Path) -> None:
    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(PlanView)
        s = app.session

        def solve() -> None:
            # What a pin does to the plan: a new backlog object, solved again (the Backlog tab stays shown).
            view.show(s.shown.model_copy(), s.lens, app.today())

        idle = []
        for _ in range(10):
            before = app.table.cursor_row
            t0 = time.perf_counter()
            send(app, "down")
            await until(lambda b=before: app.table.cursor_row != b)
            idle.append((time.perf_counter() - t0) * 1e3)
            await asyncio.sleep(GAP)
        print(f"key latency, 10,000 items, idle:          {figures(idle)}")

        t0 = time.perf_counter()
        solve()
        await until(lambda: not view.solving)
        print(f"  (one plan solve, nothing else running: {time.perf_counter() - t0:.1f} s wall)")

        ms, starts = await keys_while(app, lambda: view.solving, solve)
        n = len(starts)
        print(f"key latency, 10,000 items, plan solving:  {figures(ms)}   (target < 100 ms; {n} solves)")
        print(f"  (starting a solve on the UI thread:   {max(starts):.0f} ms at most)")
        await until(lambda: not view.solving)

        def export() -> None:
            app.files.export_to(str(out))

        t0 = time.perf_counter()
        export()
        await until(lambda: not app.files.exporting)
        print(f"  (one export, nothing else running:    {time.perf_counter() - t0:.1f} s wall)")
        ms, starts = await keys_while(app, lambda: app.files.exporting, export)
        n = len(starts)
        print(f"key latency, 10,000 items, exporting:     {figures(ms)}   (target < 100 ms; {n} exports)")
        print(f"  (starting an export on the UI thread: {max(starts):.0f} ms at most)")
        await until(lambda: not app.files.exporting)


async def pin_1k(path: Path) -> tuple[list[float], list[float]]:
    """(table repaint, plan repaint) in ms per pin."""
    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    table_ms: list[float] = []
    plan_ms: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(PlanView)
        await pilot.press("3")
        await until(lambda: not view.solving and view.highlighted() is not None)
        await pilot.pause()
        for n in range(PINS):
            got = view.highlighted()
            assert got is not None
            before = app.session.backlog
            t0 = time.perf_counter()
            send(app, "shift+right" if n % 2 == 0 else "shift+left")
            await until(lambda b=before: app.session.backlog is not b)
            await pilot._wait_for_screen()
            app.screen._on_timer_update()  # the frame, painted now
            t1 = time.perf_counter()
            await until(lambda: not view.solving)
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            t2 = time.perf_counter()
            table_ms.append((t1 - t0) * 1e3)
            plan_ms.append((t2 - t0) * 1e3)
            await pilot.pause()
    return table_ms, plan_ms


async def risk_1k(path: Path, in_child: bool) -> tuple[list[float], float, float]:
    """ms per ``down`` pressed while one Risk analysis of ``path`` computes (in the app's thread or
    in a child), the analysis's wall seconds and the ms the UI thread took to start it."""
    remote.RISK_REMOTE_FROM = 0 if in_child else 10**9
    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    latencies: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(RiskView)
        s = app.session
        t0 = time.perf_counter()
        view.show(s.shown.model_copy(), s.lens, app.today())  # what pressing 5 asks for
        start_ms = (time.perf_counter() - t0) * 1e3
        await asyncio.sleep(GAP)
        while view.computing:
            before = app.table.cursor_row
            k0 = time.perf_counter()
            send(app, "down")
            await until(lambda b=before: app.table.cursor_row != b)
            latencies.append((time.perf_counter() - k0) * 1e3)
            await asyncio.sleep(GAP)
        wall = time.perf_counter() - t0
        await pilot.pause()  # the figures' message reaches the app before it closes
        assert view.picture is not None and view.error is None
    return latencies, wall, start_ms


def risk_figures(path: Path) -> None:
    runs: dict[bool, list[tuple[list[float], float, float]]] = {False: [], True: []}
    for _ in range(RISK_ROUNDS):
        for in_child in (False, True):
            runs[in_child].append(asyncio.run(risk_1k(path, in_child)))
    for in_child, label in ((False, "before (thread)"), (True, "after (child) ")):
        for ms, wall, start_ms in runs[in_child]:
            print(
                f"key latency, 1,000 items, risk {label}: {figures(ms)}   (target < 100 ms;"
                f" {len(ms)} keys over one analysis of {wall:.0f} s; start {start_ms:.0f} ms)"
            )


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        b1k = write_synth(Path(tmp) / "b1k.toml", 1_000)
        if "risk" in argv:
            risk_figures(b1k)
            return
        table_ms, plan_ms = asyncio.run(pin_1k(b1k))
        print(
            f"pin, 1,000 items, table repainted:       {statistics.median(table_ms):7.0f} ms median,"
            f" max {max(table_ms):.0f} ms   (target < 100 ms; {PINS} pins)"
        )
        print(
            f"pin, 1,000 items, plan repainted:        {statistics.median(plan_ms):7.0f} ms median,"
            f" max {max(plan_ms):.0f} ms   (target < 1000 ms)"
        )
        if "pin" in argv:
            return
        risk_figures(b1k)
        b10k = write_synth(Path(tmp) / "b10k.toml", 10_000)
        asyncio.run(latency_10k(b10k, Path(tmp) / "plan.md"))


if __name__ == "__main__":
    main(sys.argv[1:])
