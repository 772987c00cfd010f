"""Run every ``benchmarks/bench_*.py`` in turn, each in its own process, print its figures and
write them to ``docs/performance.md``.

    python benchmarks/run.py            # all of them (`make bench`), then docs/performance.md
    python benchmarks/run.py scoring    # only bench_scoring.py (printed; the file is not written)

Benchmarks print figures and never assert them: speed depends on the machine. A benchmark that
crashes is reported and makes the exit status 1; docs/performance.md is then left as it was.
The file names the machine (cores, Python) but no date: git holds when it was measured.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORT = ROOT / "docs" / "performance.md"


@dataclass(frozen=True)
class Target:
    """A figure the issues set a target for, and how to read it off a benchmark's output."""

    what: str
    issue: int
    script: str
    limit: float
    unit: str
    read: Callable[[str], tuple[float, str] | None]
    """Output -> (the figure compared with ``limit``, how it is shown), or None if absent."""


def _first(pattern: str, unit: str) -> Callable[[str], tuple[float, str] | None]:
    """The first number captured by ``pattern``."""

    def read(out: str) -> tuple[float, str] | None:
        m = re.search(pattern, out, re.M)
        if not m:
            return None
        x = float(m.group(1).replace(",", ""))
        return x, f"{m.group(1)} {unit}"

    return read


def _rescore(out: str) -> tuple[float, str] | None:
    m = re.search(r"^\s*10,000 .*re-score: lens\s+([\d.]+), weight\s+([\d.]+)", out, re.M)
    if not m:
        return None
    lens, weight = float(m.group(1)), float(m.group(2))
    return max(lens, weight), f"lens {lens:g} ms, weight {weight:g} ms (CPU, best)"


def _floor(out: str) -> tuple[float, str] | None:
    m = re.search(
        r"^\s*10,000  fulcrum rank --format json\s+(\d+) ms.*\n\s+tomllib floor\s+(\d+) ms.*"
        r"rank / floor:\s+([\d.]+)x wall",
        out,
        re.M,
    )
    if not m:
        return None
    ratio = float(m.group(3))
    return ratio, f"{ratio:g}x ({m.group(1)} ms vs {m.group(2)} ms, best)"


def _save(out: str) -> tuple[float, str] | None:
    m = re.search(
        r"^1000 items.*\n\s+save one edit \(end to end\)\s+median\s+([\d.]+) ms\s+best\s+([\d.]+) ms",
        out,
        re.M,
    )
    if not m:
        return None
    return float(m.group(2)), f"{m.group(2)} ms (best; median {m.group(1)} ms)"


def _plan(out: str) -> tuple[float, str] | None:
    # Every case but the 200-candidate one has about 500 candidates; the slowest is the figure.
    found = re.findall(r"^(?!200 candidates).*\scandidates\s+median\s+([\d.]+) s", out, re.M)
    if not found:
        return None
    slowest = max(float(x) for x in found)
    return slowest, f"slowest median {slowest:g} s of {len(found)} capacity cases"


def _vs_task(size: str, which: str) -> Callable[[str], tuple[float, str] | None]:
    """bench_cache.py: the ``which`` (warm or cold) figure at ``size`` items, as a ratio to `task next`."""

    def read(out: str) -> tuple[float, str] | None:
        m = re.search(
            rf"^\s*{size}  task next\s+([\d.]+) ms.*?{which}\s+([\d.]+) ms \(([\d.]+)x\)", out, re.M
        )
        if not m:
            return None
        return float(m.group(3)), f"{m.group(3)}x ({m.group(2)} ms vs {m.group(1)} ms, median)"

    return read


def _ms_and_median(label: str) -> Callable[[str], tuple[float, str] | None]:
    """bench_tui.py's ``label   N ms   (target ...); median M``: the best, with the median shown."""

    def read(out: str) -> tuple[float, str] | None:
        m = re.search(label + r"\s+(\d+) ms.*?median (\d+)", out, re.M)
        if not m:
            return None
        return float(m.group(1)), f"{m.group(1)} ms (best; median {m.group(2)} ms)"

    return read


def _latency(case: str) -> Callable[[str], tuple[float, str] | None]:
    """bench_tui_latency.py: the slowest key while ``case`` ("no key takes longer than 100 ms")."""

    def read(out: str) -> tuple[float, str] | None:
        figures = r"p50\s+(\d+) ms, p90\s+(\d+) ms, max\s+(\d+) ms"
        m = re.search(rf"^key latency, 10,000 items, {case}:\s+{figures}", out, re.M)
        if not m:
            return None
        return float(m.group(3)), f"max {m.group(3)} ms (p50 {m.group(1)}, p90 {m.group(2)})"

    return read


def _pin(what: str) -> Callable[[str], tuple[float, str] | None]:
    """bench_tui_latency.py: a pin's repaint of the table or the plan, median (max shown)."""

    def read(out: str) -> tuple[float, str] | None:
        m = re.search(rf"^pin, 1,000 items, {what} repainted:\s+(\d+) ms median, max (\d+) ms", out, re.M)
        if not m:
            return None
        return float(m.group(1)), f"{m.group(1)} ms (median; max {m.group(2)} ms)"

    return read


TARGETS = (
    Target(
        "whole-process `rank --format json` on the example",
        3,
        "bench_scoring.py",
        150,
        "ms",
        _first(r"^\s+fulcrum rank --format json:\s+(\d+) ms", "ms (best)"),
    ),
    Target("`rank` on 10,000 items, against the tomllib parse floor", 3, "bench_scoring.py", 2, "x", _floor),
    Target("re-score 10,000 items after a lens or weight change", 3, "bench_scoring.py", 50, "ms", _rescore),
    Target(
        "peak memory of `rank` on 10,000 items",
        3,
        "bench_scoring.py",
        100,
        "MB",
        _first(r"^peak RSS of `fulcrum rank --format json` \(whole process\):\s+(\d+) MB", "MB RSS"),
    ),
    Target(
        "TUI first frame with 1,000 items",
        4,
        "bench_tui.py",
        1000,
        "ms",
        _first(r"^first frame, 1,000 items:\s+(\d+) ms", "ms (best)"),
    ),
    Target(
        "TUI edit -> re-rank -> repaint with 1,000 items",
        4,
        "bench_tui.py",
        100,
        "ms",
        _ms_and_median(r"^one edit at 1,000 items, checked \+ re-ranked \+ repainted:"),
    ),
    Target(
        "TUI peak memory with 10,000 items",
        4,
        "bench_tui.py",
        250,
        "MB",
        _first(r"^peak memory, 10,000 items, app open:\s+(\d+) MB", "MB RSS"),
    ),
    Target("save one edit to a 1,000-item file with comments", 4, "bench_save.py", 200, "ms", _save),
    Target("plan for 500 candidates", 6, "bench_plan.py", 1, "s", _plan),
    Target(
        "whole-process `plan` on 10,000 items",
        11,
        "bench_commands.py",
        3,
        "s",
        _first(r"^plan, 10,000 items:\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "whole-process `plan` on a 10,000-item dependency chain",
        11,
        "bench_commands.py",
        3,
        "s",
        _first(r"^plan, a 10,000-item dependency chain:\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "whole-process `export` on 10,000 items",
        11,
        "bench_commands.py",
        5,
        "s",
        _first(r"^export, 10,000 items:\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "whole-process `risk` on the example, defaults",
        13,
        "bench_risk.py",
        3,
        "s",
        _first(r"^risk on the example, defaults:\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "whole-process `risk` on 200 candidates, defaults",
        13,
        "bench_risk.py",
        20,
        "s",
        _first(r"^risk on 200 candidates, defaults:\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "risk sampling core, 2,000 samples x 1,000 items",
        13,
        "bench_risk.py",
        1,
        "s",
        _first(r"^sampling core, 2,000 samples x [\d,]+ items: best ([\d.]+) s", "s CPU (best)"),
    ),
    Target(
        "peak memory of `risk` on 1,000 items",
        13,
        "bench_risk.py",
        300,
        "MB",
        _first(r"^peak RSS of `fulcrum risk` on 1,000 items.*: (\d+) MB", "MB RSS"),
    ),
    Target(
        "plan with 5 pools and 2,000 candidates (leader-sized teams)",
        12,
        "bench_pools.py",
        2,
        "s",
        _first(r"^5 pools, 2,000 candidates\s+\d+ candidates\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "plan with 5 pools and 500 candidates (leader-sized teams)",
        12,
        "bench_pools.py",
        1,
        "s",
        _first(r"^5 pools, 500 candidates\s+\d+ candidates\s+median\s+([\d.]+) s", "s (median)"),
    ),
    Target(
        "whole-process `import` of 5,000 Jira issues into a 1,000-item backlog",
        15,
        "bench_import.py",
        3,
        "s",
        _first(
            r"^import 5,000 Jira issues into 1,000 items \(whole process\):\s+median\s+([\d.]+) s",
            "s (median)",
        ),
    ),
    Target(
        "warm `rank --format json`, 10,000 items, against `task next`",
        16,
        "bench_cache.py",
        1,
        "x",
        _vs_task("10,000", "warm"),
    ),
    Target(
        "warm `rank --format json`, 1,000 items, against `task next`",
        16,
        "bench_cache.py",
        2,
        "x",
        _vs_task("1,000", "warm"),
    ),
    Target(
        "warm `rank --format json` on the example",
        16,
        "bench_cache.py",
        60,
        "ms",
        _first(r"^\s*example  warm\s+([\d.]+) ms", "ms (median)"),
    ),
    Target(
        "cold `rank --format json` on 10,000 items (no cache)",
        16,
        "bench_cache.py",
        1000,
        "ms",
        _first(r"^\s*10,000  task next.*?cold\s+([\d.]+) ms", "ms (median)"),
    ),
    Target(
        "peak memory of warm `rank` on 10,000 items",
        16,
        "bench_cache.py",
        50,
        "MB",
        _first(r"^\s*10,000 .*\n\s+peak RSS: .*?warm (\d+) MB", "MB RSS"),
    ),
    Target(
        "TUI first frame on the example (`fulcrum --demo`)",
        16,
        "bench_tui.py",
        500,
        "ms",
        _first(r"^first frame, the example \(--demo\):\s+(\d+) ms", "ms (best)"),
    ),
    Target(
        "TUI first frame with 10,000 items",
        16,
        "bench_tui.py",
        1500,
        "ms",
        _first(r"^first frame, 10,000 items:\s+(\d+) ms", "ms (best)"),
    ),
    Target(
        "TUI edit -> re-rank -> repaint with 10,000 items",
        16,
        "bench_tui.py",
        100,
        "ms",
        _ms_and_median(r"^one edit at 10,000 items, checked \+ re-ranked \+ repainted:"),
    ),
    Target(
        "TUI: the slowest key at 10,000 items while a plan solves",
        11,
        "bench_tui_latency.py",
        100,
        "ms",
        _latency("plan solving"),
    ),
    Target(
        "TUI: the slowest key at 10,000 items while an export renders",
        11,
        "bench_tui_latency.py",
        100,
        "ms",
        _latency("exporting"),
    ),
    Target(
        "TUI: a pin at 1,000 items repaints the table",
        11,
        "bench_tui_latency.py",
        100,
        "ms",
        _pin("table"),
    ),
    Target(
        "TUI: a pin at 1,000 items repaints the plan",
        11,
        "bench_tui_latency.py",
        1000,
        "ms",
        _pin("plan"),
    ),
    Target(
        "whole-process `check` on 10,000 items with 2,000 dangling references",
        11,
        "bench_references.py",
        2,
        "s",
        _first(r"^check, 10,000 items, 2,000 dangling references:\s+median\s+([\d.]+) s", "s (median)"),
    ),
)

HEAD = """\
# Performance

Generated by `make bench` (`benchmarks/run.py`, which runs every `benchmarks/bench_*.py` in its own
process); do not edit by hand. Nothing here is asserted by the tests: speed depends on the machine.
Synthetic backlogs come from `benchmarks/synth.py` (deterministic; 10,000 items is about 4 MB of TOML).
In-process times are mostly the CPU time of the best of several runs, whole-process times the best
wall clock; each benchmark's own docstring says how it measures.

Machine: {machine}.

The figures are noisy: a small machine shared with other work (test runs, say) can be up to 2x
slower from one minute to the next, so compare runs on the same machine only.
{load}
"""

NOTES = """\
## Spot measurements behind the cache and the cold path (issues 11, 16)

Taken by hand while building them, each pair in one process or one alternating run, so the two
sides saw the same machine (not re-measured by `make bench`):
- Parsing 10,000 items in pieces (`load._pieces`): toml-rs 558M instructions against rtoml's 902M
  (callgrind, the same text; 0.12-0.17 s against 0.18-0.22 s wall, back to back); on a whole text
  toml-rs peaked 45 MB above the pieces. A cold `rank --format json` of 10,000 items went from
  3,506M instructions to 2,691M with the rest of this session's cold-path work (toml-rs, text rules
  in pydantic-core, one validator per estimate, shared points, rows in one loop); an alternating
  run against the session's first commit: 1.02 s against 1.36 s median of 15.
- A cache hit: `fulcrum rank --format json` on the example 25 ms median against 17 ms for
  `python -c pass` (whole process, 10 alternating runs); before the imports were trimmed (no
  `typing`, `argparse`, `hashlib`, `dataclasses`, `pathlib` on a hit) it was 41 ms, and 61 ms with them.
- No cyclic GC while exporting: `render_markdown` of 10,000 items 3.7-3.8 s -> 2.3-2.7 s CPU
  (in-process, alternating, gc on / paused).
- Nothing freed for the exit's sake (`errors.exit_soon`), 5 alternating whole-process runs, CPU:
  `check` with 2,000 dangling references best 2.29 s -> 2.09 s, cold `rank` of 10,000 items best
  1.78 s -> 1.67 s (a loaded machine; the difference is what counts).
- Keys and ids checked by pydantic-core's regex instead of a Python validator: validating 10,000
  items 0.25-0.27 s -> 0.21-0.23 s CPU (best of 9, 3 alternating rounds).
- One TUI edit at 10,000 items, before the edit was checked alone (`backlog.edit_check`) and
  re-ranked from the last ranking (`scoring.rescore`): 670-960 ms CPU.
"""

EARLIER = """\
## Earlier measurements (not re-measured by `make bench`)

Figures from the last full measurement before the code was reshaped into packages, on the same
2-core build machine, kept because they explain decisions in docs/DESIGN.md. CPU times, best of
several runs, cross-checked with valgrind instruction counts where it mattered.

{table}

What made the difference (before -> after, same machine):
- tomli (compiled) instead of the stdlib's tomllib: parsing 10,000 items 1.5 s -> 0.51 s; the save's
  read-back verification ~150 ms -> ~71 ms. tomllib's parse had been ~60% of `rank` on 10,000 items.
- Validating items one at a time (`_validate_by_item` in `fulcrum.backlog.load`): peak of `rank` on
  10,000 items 109 MB -> 93 MB RSS (Python heap 72 -> 53 MB).
- No cyclic GC while loading and ranking (`paused_gc`): ~20-25% less CPU on big files at the same
  peak RSS (10,000 items validate about a third faster in-process).
- Re-scoring 10,000 items reuses the lens-independent part of each item; the identity check over all
  items costs about 0.3 ms. Building `Scored` rows by filling `__dict__` is 3x faster than the frozen
  dataclass `__init__`; JSON one object per line with the C encoder is 3x faster than `indent=`.
- Start-up: importing pydantic ~150 ms; building our models ~60 ms more, of which ~25-30 ms is
  pydantic reading field docstrings from the source (`use_attribute_docstrings`);
  `PYDANTIC_DISABLE_PLUGINS` saves ~3 ms. The realistic floor with pydantic is ~200 ms.
- TUI table: a `DataTable` re-shown with 1,000 rows after each re-rank cost ~1 s (10,000 `measure`
  calls); the virtual table paints only the ~35 rows on screen.
- TUI edit validation: reusing the validated `Item` objects of untouched items, 1,000 items
  ~100 ms -> ~15-30 ms.
- Edit form: building it costs most of a second (~80 widgets); refilled rather than rebuilt, it opens
  in ~0.4 s the first time and ~0.15-0.25 s after, in a real terminal.
- Saving 1,000 items in the worker takes ~0.3 s end to end in the app, ~80% of it the read-back check.
  Parsing the whole 1,000-item file with tomlkit (the fallback) takes 1.6-3.5 s.
- `fulcrum matrix` on the example: 0.75-1.3 s wall, the same as `check` (start-up and the pydantic
  import); the chart itself: plotext import 35-70 ms, `matrix.build` 0.7 ms (80x24) / 1.2 ms
  (200x60), plotext build 12 ms / 39 ms; the TUI rebuilds data and plot per render in ~15-40 ms.
  At the size limit, `matrix --width 1000 --height 500` took 1.6-1.8 s and 54 MB peak (3000 x 1000
  took ~6 s and 150 MB, hence the limit).
- Planner: highspy is imported lazily, ~0.1-0.2 s, only when a plan is built.
- Loading: tomllib took ~30 s on one key of 20,000 dotted parts (quadratic), hence the 64-part limit.
"""


#: The figures of the earlier measurement: (target, issue, figure then, verdict then).
EARLIER_FIGURES = (
    (
        "whole-process `rank --format json` on the example < 150 ms",
        3,
        "237-275 ms (`python -c pass` 14 ms; importing pydantic ~150 ms)",
        "missed",
    ),
    (
        "`rank` on 10,000 items within 2x the tomllib floor",
        3,
        "1.8 s vs 1.39 s tomllib floor (1.28x); 3.1x the tomli floor (0.57 s)",
        "met",
    ),
    (
        "re-score 10,000 items after a lens or weight change < 50 ms",
        3,
        "41-71 ms (41-45 ms on a quiet machine)",
        "borderline",
    ),
    ("peak memory of `rank` on 10,000 items < 100 MB", 3, "93 MB RSS (54 MB Python heap)", "met"),
    ("TUI first paint with 1,000 items < 1 s", 4, "362-584 ms", "met"),
    (
        "TUI edit -> re-rank -> repaint with 1,000 items < 100 ms",
        4,
        "30-63 ms (+20-25 ms validating the edit as `check` does)",
        "met",
    ),
    (
        "save one edit to a 1,000-item file with comments < 200 ms",
        4,
        "best 122-126 ms, median 132-177 ms (render 34 ms, read-back verification 71 ms)",
        "met",
    ),
    ("TUI peak memory with 10,000 items < 250 MB", 4, "143-147 MB", "met"),
    (
        "plan for 500 candidates < 1 s",
        6,
        "0.08-0.24 s (proven gap 0-0.36%); 200-candidate stress 0.3-0.45 s",
        "met",
    ),
)


def machine() -> str:
    """The machine, without a date: cores, CPU model, Python, system."""
    return (
        f"{os.cpu_count()} cores (os.cpu_count()){cpu_model()}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.machine()}"
    )


def cpu_model() -> str:
    """ ", the CPU's model name" as Linux reports it (the same core count can be twice as fast), or ""."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and value.strip():
            return f", {value.strip()}"
    return ""


def run_script(script: Path) -> tuple[int, str, float]:
    """Run one benchmark, echoing its output as it comes: (exit code, output, seconds)."""
    t0 = time.perf_counter()
    # Every figure is a computation, not a cache hit (bench_cache.py measures the cache on purpose).
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "FULCRUM_NO_CACHE": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line)
    code = proc.wait()
    return code, "".join(lines), time.perf_counter() - t0


def report(outputs: dict[str, tuple[str, float]], load: str = "") -> str:
    """The text of docs/performance.md from each benchmark's output and duration."""
    rows = []
    for t in TARGETS:
        target = f"< {t.limit:g}{'' if t.unit == 'x' else ' '}{t.unit}"
        got = t.read(outputs.get(t.script, ("", 0.0))[0])
        if got is None:
            rows.append(f"| {t.what} (issue {t.issue}) | {target} | not in {t.script}'s output | — |")
            continue
        value, shown = got
        verdict = "met" if value < t.limit else "missed"
        rows.append(f"| {t.what} (issue {t.issue}) | {target} | {shown} | {verdict} |")
    parts = [
        HEAD.format(machine=machine(), load=load),
        "## Targets\n",
        "The targets were set by the issues named. Each figure is this run's, read from the output below;\n"
        "where a benchmark repeats a measurement, the column says which run is compared (best or median).\n",
        "| figure | target | measured | verdict |",
        "|---|---|---|---|",
        *rows,
        "",
        "## Figures\n",
    ]
    for name, (out, seconds) in outputs.items():
        parts += [f"### `{name}` ({seconds:.0f} s)\n", "```text", out.rstrip("\n"), "```", ""]
    earlier = ["| target (issue) | figure then | verdict then |", "|---|---|---|"]
    earlier += [
        f"| {what} ({issue}) | {figure} | {verdict} |" for what, issue, figure, verdict in EARLIER_FIGURES
    ]
    parts.append(NOTES)
    parts.append(EARLIER.format(table="\n".join(earlier)))
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    """Run the selected benchmarks; 1 if any of them failed."""
    every = sorted(HERE.glob("bench_*.py"))
    scripts = every
    if argv:
        scripts = [s for s in every if s.stem.removeprefix("bench_") in argv or s.stem in argv]
        if not scripts:
            names = ", ".join(s.stem.removeprefix("bench_") for s in every)
            print(f"no such benchmark; choose from: {names}", file=sys.stderr)
            return 2
    print(f"machine: {machine()}\n", flush=True)
    # As an install has it (pip compiles): with PYTHONDONTWRITEBYTECODE set, a module edited since
    # its last compile would be compiled again in every process each benchmark starts.
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "fulcrum"), quiet=1)
    before = os.getloadavg()[0]
    failed = []
    outputs: dict[str, tuple[str, float]] = {}
    for script in scripts:
        print(f"== {script.name} ==", flush=True)
        code, out, seconds = run_script(script)
        print(f"-- {script.name}: {seconds:.1f} s{'' if code == 0 else f', FAILED ({code})'}\n")
        outputs[script.name] = (out, seconds)
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}; {REPORT.relative_to(ROOT)} not written", file=sys.stderr)
        return 1
    if scripts == every:
        after = os.getloadavg()[0]
        load = (
            f"During this run the load average (1 minute) went from {before:.1f} to {after:.1f}"
            f" on {os.cpu_count()} cores."
        )
        REPORT.write_text(report(outputs, load), encoding="utf-8")
        print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
