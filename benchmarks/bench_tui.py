"""TUI benchmarks: the first frame, the ranks, one edit, and memory, on the example and on
synthetic backlogs.

Prints (never asserts) issue 16's targets (and issue 4's at 1,000 items), each beside its figure:
- first frame: ``fulcrum --demo`` under 500 ms, ``fulcrum FILE`` at 1,000 items under 1 s and at
  10,000 items under 1.5 s; and
  when the table shows the ranks. Measured on the real program in a pseudo-terminal (120x40),
  its modules compiled to bytecode first as an install has them (``compile_bytecode``):
  from starting the process to the first byte of the frame that holds the header, then to the
  frame with the status line "N of M ranked shown" (imports included: that is what the user
  waits for). The best of several runs (the least disturbed by the other processes);
- one edit at 1,000 and at 10,000 items re-ranked and repainted under 100 ms: what Apply in the edit form does
  (the edit checked as `check` would check the file, and the candidate scored:
  ``edits.apply_form``), then the session's commit, the table and pane redrawn
  (``FulcrumApp._edited``) and the frame composed, headless, in-process; between edits the pane's
  rank under every lens (a timer) is let finish and the toast cleared, as seconds between a user's
  edits would. CPU time is printed beside the wall clock: on a busy machine the wall clock measures
  the other processes too;
- the cyclic garbage collector during those edits at 10,000 items: how many full collections ran
  and the longest pause of any collection (``gc.callbacks``; the app leaves full collections to a
  quiet second, ``ui.collect``: none should run while edits follow each other);
- peak memory with 10,000 items loaded: under 250 MB (max RSS of a process that opens the app
  headless on the file, paints, and opens the edit form).
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import os
import pty
import resource
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import write_synth  # noqa: E402

from fulcrum.save import read_snapshot  # noqa: E402
from fulcrum.ui.edits import apply_form, form_values  # noqa: E402

SIZE = (120, 40)
FULCRUM = Path(sys.executable).with_name("fulcrum")
MEMORY = """
import asyncio, resource, sys
from pathlib import Path
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp

async def main():
    path = Path(sys.argv[1])
    app = FulcrumApp(path=path, load=lambda: read_snapshot(path), watch_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.ready:
            await pilot.pause()
        await pilot.pause()
        for key in ("down", "e"):
            await pilot.press(key)
        await pilot.pause()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

asyncio.run(main())
"""


def cpu_ms(pid: int) -> float:
    """CPU time (user + system, every thread) the process has used so far, from /proc (10 ms steps)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e3 / os.sysconf("SC_CLK_TCK")


def in_terminal(args: list[str], timeout: float = 60.0) -> tuple[float, float, float, float]:
    """(first frame, ranks shown) in ms of wall clock after starting ``fulcrum ARGS`` in a 120x40
    pty, then the CPU time the process had used at each."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, as a user runs it
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
        os.execve(str(FULCRUM), [str(FULCRUM), *args], env)
    t0 = time.perf_counter()
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    seen = b""
    first = ranks = None
    cpu_first = cpu_ranks = 0.0
    deadline = t0 + timeout
    try:
        while ranks is None and time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                break
            now = time.perf_counter()
            seen = seen[-200:] + chunk
            if first is None and (b"lens" in seen or b"loading" in seen):
                first, cpu_first = now, cpu_ms(pid)
            if b"ranked shown" in seen:
                ranks, cpu_ranks = now, cpu_ms(pid)
        os.write(fd, b"q")
        end = time.perf_counter() + 10
        while time.perf_counter() < end:  # drain until it exits (the terminal restored)
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    if not os.read(fd, 1 << 16):
                        break
                except OSError:
                    break
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    if first is None or ranks is None:
        raise RuntimeError(f"fulcrum {' '.join(args)}: no frame seen in {timeout:.0f} s")
    return (first - t0) * 1e3, (ranks - t0) * 1e3, cpu_first, cpu_ranks


async def edit_cycle(path: Path, repeat: int) -> dict[str, list[float]]:
    """ms per edit of one item's effort: validate (with the scoring check), re-rank + redraw,
    repaint, their sum, and the CPU time of the three."""
    from fulcrum.ui.app import FulcrumApp
    from fulcrum.ui.widgets.explain_pane import ExplainPane

    backlog, snapshot = read_snapshot(path)
    app = FulcrumApp(backlog, path=path, snapshot=snapshot, watch_interval=None)
    kinds = ("validate", "rerank", "paint", "total", "cpu", "full", "gc")
    out: dict[str, list[float]] = {k: [] for k in kinds}
    started = [0.0]

    def timed(phase: str, info: dict[str, int]) -> None:  # every collection during the edits
        if phase == "start":
            started[0] = time.perf_counter()
            return
        out["gc"].append((time.perf_counter() - started[0]) * 1e3)
        if info["generation"] == 2:
            out["full"].append(out["gc"][-1])

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(200):  # the load settled: the session frozen (ui.collect)
            if app.collector.frozen:
                break
            await pilot.pause()
        gc.callbacks.append(timed)
        for i in range(repeat):
            s = app.session
            item_id = s.ranking.ranked[len(s.ranking.ranked) // 2].id
            values = form_values(s.backlog.item(item_id))
            values["effort"] = str(0.25 + i % 7)
            c0, t0 = time.process_time(), time.perf_counter()
            edited = apply_form(s.backlog, item_id, values, s.lens, s.method, s.ranking)  # Apply
            t1 = time.perf_counter()
            app._edited(item_id, "edited", edited)
            t2 = time.perf_counter()
            # The repaint: every message the edit caused processed, then one frame composed
            # (what pilot.pause() does, without its wait for the CPU to go idle).
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
            t3, c3 = time.perf_counter(), time.process_time()
            # Then what follows an edit before the user's next one, seconds later: the pane's
            # rank under every lens (on a timer), and the toast gone.
            pane = app.query_one(ExplainPane)
            for _ in range(100):
                await pilot.pause()
                if pane._lens_rankings is not None and pane._lens_rankings[0] is app.session.ranking:
                    break
            app.clear_notifications()
            out["validate"].append((t1 - t0) * 1e3)
            out["rerank"].append((t2 - t1) * 1e3)
            out["paint"].append((t3 - t2) * 1e3)
            out["total"].append((t3 - t0) * 1e3)
            out["cpu"].append((c3 - c0) * 1e3)
        gc.callbacks.remove(timed)
    return out


def peak_rss_mb(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY, str(path)], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def line(label: str, ms: float, target: str, note: str = "") -> None:
    print(f"{label:<44}{ms:8.0f} ms   (target {target}){note}")


def compile_bytecode() -> bool:
    """Compile fulcrum's modules to bytecode first, as an installed program has them: with
    PYTHONDONTWRITEBYTECODE set (as here), every module edited since it was last compiled would
    be compiled again on each start, a cost of the edit and not of the program."""
    import compileall

    import fulcrum

    return bool(compileall.compile_dir(str(Path(fulcrum.__file__).parent), quiet=1))


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if compile_bytecode():
        print("(fulcrum's bytecode compiled first, as an install compiles it)")
    with tempfile.TemporaryDirectory() as tmp:
        b10k = write_synth(Path(tmp) / "b10k.toml", 10_000)
        b1k = write_synth(Path(tmp) / "b1k.toml", 1_000)

        sizes = (
            ("the example (--demo)", ["--demo"], 5, "< 500 ms"),
            ("1,000 items", [str(b1k)], 3, "< 1000 ms"),
            ("10,000 items", [str(b10k)], 3, "< 1500 ms"),
        )
        for label, args, n, target in sizes:
            runs = [in_terminal(args) for _ in range(n)]
            wall, cpu = min(r[0] for r in runs), min(r[2] for r in runs)
            line(f"first frame, {label}:", wall, target, f"; CPU {cpu:.0f} ms")
            wall, cpu = min(r[1] for r in runs), min(r[3] for r in runs)
            line("  the table shows the ranks:", wall, "-", f"; CPU {cpu:.0f} ms")

        small = asyncio.run(edit_cycle(b1k, 12))
        line(
            "one edit at 1,000 items, checked + re-ranked + repainted:",
            min(small["total"]),
            "< 100 ms",
            f"; median {statistics.median(small['total']):.0f}",
        )
        cycle = asyncio.run(edit_cycle(b10k, 12))
        best = min(cycle["total"])
        med = statistics.median(cycle["total"])
        line(
            "one edit at 10,000 items, checked + re-ranked + repainted:",
            best,
            "< 100 ms",
            f"; median {med:.0f}",
        )
        print(
            f"  of which: check + scoring {min(cycle['validate']):.1f} ms, commit + redraw "
            f"{min(cycle['rerank']):.1f} ms, paint {min(cycle['paint']):.1f} ms"
        )
        cpu = cycle["cpu"]
        print(f"  CPU time of the three: {min(cpu):.1f} ms (median {statistics.median(cpu):.1f})")
        full = cycle["full"]
        print(
            f"  garbage collections during the 12 edits: {len(cycle['gc'])}, the longest "
            f"{max(cycle['gc'], default=0):.0f} ms; full ones {len(full)}"
            + (f" (longest {max(full):.0f} ms)" if full else "")
        )

        print(f"peak memory, 10,000 items, app open:        {peak_rss_mb(b10k):8.0f} MB   (target < 250 MB)")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  (this benchmark process peaked at {own:.0f} MB)")


if __name__ == "__main__":
    main()
