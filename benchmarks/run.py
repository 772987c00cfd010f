"""Run every ``benchmarks/bench_*.py`` in turn, each in its own process, and print its figures.

    python benchmarks/run.py            # all of them (`make bench`)
    python benchmarks/run.py scoring    # only bench_scoring.py

Benchmarks print figures and never assert them: speed depends on the machine. A benchmark that
crashes is reported and makes the exit status 1.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the selected benchmarks; 1 if any of them failed."""
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv or s.stem in argv]
        if not scripts:
            names = ", ".join(s.stem.removeprefix("bench_") for s in sorted(HERE.glob("bench_*.py")))
            print(f"no such benchmark; choose from: {names}", file=sys.stderr)
            return 2
    failed = []
    for script in scripts:
        print(f"== {script.name} ==", flush=True)
        t0 = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        print(
            f"-- {script.name}: {time.perf_counter() - t0:.1f} s{'' if code == 0 else f', FAILED ({code})'}\n"
        )
        if code:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
