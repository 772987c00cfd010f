"""Scoring benchmarks: load, validate, score and rank synthetic backlogs; whole-process `rank`.

Prints (never asserts) the figures of issue 3's targets:
- whole-process ``fulcrum rank --format json`` on the example: under 150 ms;
- on 10,000 items: within 2x the floor of Python just parsing the same file (with the stdlib's
  tomllib, and with tomli, the compiled parser fulcrum uses);
- re-scoring 10,000 items after a lens or weight change: under 50 ms in-process;
- peak memory of ``rank`` on 10,000 items: under 100 MB.

In-process times are the CPU time of the best of several runs (the least disturbed by other
processes); whole-process times show wall clock and CPU (user + sys) of the best run.
"""

from __future__ import annotations

import compileall
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synth import write_synth  # noqa: E402

from fulcrum import scoring  # noqa: E402
from fulcrum.backlog.load import load_backlog, parse_toml, read_text, validate_document  # noqa: E402
from fulcrum.commands.rank import iter_json  # noqa: E402
from fulcrum.scoring import rank as scoring_rank  # noqa: E402  (its cache of prepared rows)
from fulcrum.scoring.table import rank_table  # noqa: E402

SIZES = (100, 1_000, 10_000)
PY = sys.executable
FLOOR = "import sys, {0}\nwith open(sys.argv[1], 'rb') as f: {0}.load(f)"
RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
UI_MODULES = (
    "import sys\nfrom fulcrum.cli import main\nmain(sys.argv[1:])\n"
    "top = {m.split('.')[0] for m in sys.modules}\n"
    "print(','.join(sorted(top & {'textual', 'plotext', 'rich'})) or 'none', file=sys.stderr)"
)


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU time of ``repeat`` runs, in ms (CPU, not wall: other processes share the machine)."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times) * 1e3


def process(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall ms, CPU ms) of the fastest of ``repeat`` runs of a command, output discarded."""
    runs = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, cwd=ROOT, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append((wall * 1e3, cpu * 1e3))
    return min(runs)


def cold_score(backlog: object, **kw: object) -> scoring.Ranking:
    """Score as if for the first time: forget the rows kept from the previous call."""
    scoring_rank._last.clear()
    return scoring.score_backlog(backlog, **kw)  # type: ignore[arg-type]


def in_process(path: Path, n: int) -> None:
    repeat = 3 if n >= 10_000 else 10
    text = read_text(path)
    doc = parse_toml(text, str(path))
    t_parse = best(lambda: parse_toml(text, str(path)), repeat)
    t_validate = best(lambda: validate_document(doc, text, str(path)), repeat)
    t_load = best(lambda: load_backlog(path), repeat)
    b = load_backlog(path)
    t_score = best(lambda: cold_score(b), repeat)
    table = scoring_rank.table_of(b)
    ranked = rank_table(table)
    t_json = best(lambda: "".join(iter_json(table, ranked, ranked.order)), repeat)
    t_lens = best(lambda: scoring.score_backlog(b, lens="cfo"), repeat * 3)
    pm = b.stakeholders["pm"]
    reweighed = b.model_copy(
        update={"stakeholders": {**b.stakeholders, "pm": pm.model_copy(update={"cares_about": {"mau": 2.0}})}}
    )
    t_weight = best(lambda: scoring.score_backlog(reweighed, lens="pm"), repeat * 3)
    print(
        f"{n:>7,}  {path.stat().st_size / 1e6:6.2f} MB  parse {t_parse:8.1f}  validate {t_validate:7.1f}  "
        f"load {t_load:8.1f}  score {t_score:6.1f}  rank->json {t_json:6.1f}  "
        f"re-score: lens {t_lens:5.1f}, weight {t_weight:5.1f}"
    )


def whole_process(path: Path, n: int) -> None:
    repeat = 3
    rank = process([PY, "-m", "fulcrum", "rank", str(path), "--format", "json"], repeat)
    print(f"{n:>7,}  fulcrum rank --format json {rank[0]:7.0f} ms (cpu {rank[1]:6.0f})")
    for parser in ("tomllib", "tomli"):
        floor = process([PY, "-c", FLOOR.format(parser), str(path)], repeat)
        print(
            f"         {parser + ' floor':<13} {floor[0]:7.0f} ms (cpu {floor[1]:6.0f})   rank / floor: "
            f"{rank[0] / floor[0]:4.2f}x wall, {rank[1] / max(floor[1], 1e-9):4.2f}x cpu"
        )


def memory(path: Path) -> None:
    out = subprocess.run(
        [PY, "-c", RSS, PY, "-m", "fulcrum", "rank", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    rss_mb = int(out.stdout.strip()) / 1024
    scoring_rank._last.clear()
    tracemalloc.start()
    b = load_backlog(path)
    table = scoring_rank.table_of(b)
    ranked = rank_table(table)
    "".join(iter_json(table, ranked, ranked.order))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak RSS of `fulcrum rank --format json` (whole process): {rss_mb:.0f} MB")
    print(f"peak Python heap of load + score + json (tracemalloc):    {peak / 2**20:.0f} MB")


def startup(example: Path) -> None:
    # An installed fulcrum has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile ~35 ms of our modules in every process instead.
    compileall.compile_dir(str(ROOT / "src" / "fulcrum"), quiet=1)
    rank_argv = [PY, "-m", "fulcrum", "rank", str(example), "--format", "json"]
    n = 10
    bare = process([PY, "-c", "pass"], n)
    pydantic = process([PY, "-c", "import pydantic.main, pydantic.types"], n)
    models = process([PY, "-c", "import fulcrum.backlog.model"], n)
    rank = process(rank_argv, n)
    scan = process(rank_argv, n, env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": ""})
    explain_args = [PY, "-c", UI_MODULES, "explain", str(example), _first_id(example)]
    loaded = subprocess.run(explain_args, capture_output=True, text=True, check=True).stderr.strip()
    loaded_rank = subprocess.run(
        [PY, "-c", UI_MODULES, "rank", str(example)], capture_output=True, text=True, check=True
    ).stderr.strip()
    print(f"example: {example.relative_to(ROOT) if example.is_relative_to(ROOT) else example} (best of {n})")
    print(f"  python -c pass:                 {bare[0]:5.0f} ms (cpu {bare[1]:4.0f})")
    print(f"  import pydantic (main, types):  {pydantic[0]:5.0f} ms (cpu {pydantic[1]:4.0f})")
    print(f"  import fulcrum.backlog.model:   {models[0]:5.0f} ms (cpu {models[1]:4.0f})   with our models")
    print(f"  fulcrum rank --format json:     {rank[0]:5.0f} ms (cpu {rank[1]:4.0f})   target < 150 ms")
    print(f"    with pydantic's plugin scan:  {scan[0]:5.0f} ms (cpu {scan[1]:4.0f})   (env var set to '')")
    print(f"  UI libraries imported by rank: {loaded_rank}; by explain: {loaded}")


def _first_id(path: Path) -> str:
    return load_backlog(path).items[0].id


def main() -> None:
    example = ROOT / "backlog.example.toml"
    if not example.exists():
        example = ROOT / "tests" / "golden" / "small.toml"
    print("start-up")
    startup(example)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: write_synth(Path(tmp) / f"synth_{n}.toml", n) for n in SIZES}
        print("\nin process (CPU ms, best of several runs)")
        for n in SIZES:
            in_process(paths[n], n)
        print("\nwhole process (best of 3), vs Python only parsing the file (stdlib tomllib; tomli)")
        for n in SIZES:
            whole_process(paths[n], n)
        print("\nmemory, 10,000 items")
        memory(paths[10_000])


if __name__ == "__main__":
    main()
