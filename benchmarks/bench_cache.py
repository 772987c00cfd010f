"""Whole-process `fulcrum rank --format json` beside Taskwarrior's `task next` (issue 16), on the
same number of items (100, 1,000, 10,000), cold (no cache: FULCRUM_NO_CACHE=1) and warm (the
output cache holds this request), with each process's peak memory.

Runs alternate (task, warm, cold, task, ...) so a drift of the machine's speed touches each alike;
each figure is the median wall clock of RUNS runs, and the ratio is to `task next` in the same run.
Taskwarrior is installed with apt-get when it is missing and this process may (root); otherwise the
anchor is skipped with a note. The Taskwarrior data is made with `task import` (pending tasks with
a project, tags, priority and a due date on some, so `next` computes a real urgency for each).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_synth

RUNS = 9
SIZES = (100, 1_000, 10_000)
EXAMPLE = Path(__file__).resolve().parent.parent / "backlog.example.toml"
FULCRUM = [sys.executable, "-m", "fulcrum"]
# The console script, as a user runs it, when it sits beside this interpreter.
_SCRIPT = Path(sys.executable).with_name("fulcrum")
if _SCRIPT.exists():
    FULCRUM = [str(_SCRIPT)]


def taskwarrior() -> str | None:
    """The `task` binary, installed with apt-get if missing and allowed; None (with a note) if not."""
    found = shutil.which("task")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for args in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "taskwarrior"]):
            subprocess.run(args, capture_output=True, env=env, check=False)
        found = shutil.which("task")
    if not found:
        print("note: Taskwarrior (`task`) is not installed and could not be: the anchor is skipped")
    return found


def task_env(folder: Path, n: int, task: str) -> dict[str, str]:
    """A Taskwarrior of its own in ``folder`` holding ``n`` pending tasks."""
    data = folder / "task"
    data.mkdir()
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n", encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(data)}
    tasks = [
        {
            "description": f"Candidate work number {i}",
            "status": "pending",
            "entry": "20261101T000000Z",
            "uuid": f"00000000-0000-4000-8000-{i:012d}",
            "project": ("payments", "growth", "infra", "support")[i % 4],
            "tags": [("cost", "ux", "risk")[i % 3]],
            **({"priority": "HML"[i % 3]} if i % 2 else {}),
            **({"due": f"202701{1 + i % 28:02d}T000000Z"} if i % 5 == 0 else {}),
        }
        for i in range(n)
    ]
    src = folder / "tasks.json"
    src.write_text(json.dumps(tasks), encoding="utf-8")
    subprocess.run([task, "import", str(src)], env=env, capture_output=True, check=True)
    return env


def once(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def peak_mb(args: list[str], env: dict[str, str]) -> float:
    """Peak RSS of one run of ``args`` (a fresh child process measures only its own children)."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
    return int(out.stdout.strip() or 0) / 1024


def measure(label: str, path: Path, task: str | None, folder: Path) -> None:
    cache = folder / "xdg"
    warm_env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    warm_env.pop("FULCRUM_NO_CACHE", None)
    cold_env = {**warm_env, "FULCRUM_NO_CACHE": "1"}
    rank = [*FULCRUM, "rank", str(path), "--format", "json"]
    first = once(rank, warm_env)  # a miss: computes, and writes the entry
    cases: dict[str, tuple[list[str], dict[str, str]]] = {"warm": (rank, warm_env), "cold": (rank, cold_env)}
    if task:
        tenv = task_env(folder, int(label.replace(",", "")), task) if label != "example" else None
        if tenv is not None:
            cases = {"task next": ([task, "next"], tenv), **cases}
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(RUNS):
        for name, (args, env) in cases.items():
            times[name].append(once(args, env))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    anchor = med.get("task next")
    parts = []
    for name in cases:
        ratio = f" ({med[name] / anchor:.2f}x)" if anchor and name != "task next" else ""
        parts.append(f"{name} {med[name]:7.1f} ms{ratio}")
    print(f"{label:>7}  " + "  |  ".join(parts) + f"  |  first run (writes the cache) {first * 1000:.0f} ms")
    peaks = {name: peak_mb(args, env) for name, (args, env) in cases.items()}
    print(f"{'':>7}  peak RSS: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in peaks.items()))


def main() -> None:
    task = taskwarrior()
    print(f"median wall clock of {RUNS} runs each, alternating; ratio to `task next` on as many items")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ex = root / "example"
        ex.mkdir()
        measure("example", EXAMPLE, None, ex)
        for n in SIZES:
            folder = root / str(n)
            folder.mkdir()
            measure(f"{n:,}", write_synth(folder / "b.toml", n), task, folder)


if __name__ == "__main__":
    main()
