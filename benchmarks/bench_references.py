"""`check` on a backlog full of dangling references (issue 11): 10,000 items, 2,000 of which depend on
an id that does not exist (a typo of a real one, each different). Each dangling reference gets a
"did you mean" hint; that used to run difflib over all 10,000 ids once per reference (346 s).
The figure is the wall clock of the whole process (`python -m fulcrum check FILE`), median and best
of a few runs, printed beside its target; the command must name every dangling reference.
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

RUNS = 3
ITEMS = 10_000
DANGLING = 2_000
TARGET_S = 2.0
FLOOR = "import sys, tomli; tomli.loads(open(sys.argv[1], encoding='utf-8').read())"


def dangling_text(n: int = ITEMS, dangling: int = DANGLING) -> str:
    """The synthetic backlog of ``n`` items, the first ``dangling`` of which (after the first) depend
    on a misspelt id: ``itme-00042`` for ``item-00042``."""
    head, *items = re.split(r"(?m)^(?=\[\[items\]\]$)", synth_text(n))
    for i in range(1, dangling + 1):
        typo = f'depends_on = ["itme-{i - 1:05d}"]'
        block = items[i]
        if re.search(r"(?m)^depends_on = ", block):
            items[i] = re.sub(r"(?m)^depends_on = .*$", typo, block, count=1)
        else:
            items[i] = block.replace("\nstatus = ", f"\n{typo}\nstatus = ", 1)
    return head + "".join(items)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dangling.toml"
        path.write_text(dangling_text(), encoding="utf-8")
        times = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "fulcrum", "check", str(path)], capture_output=True)
            times.append(time.perf_counter() - t0)
        found = run.stdout.decode().count("unknown item") + run.stderr.decode().count("unknown item")
        hinted = (run.stdout + run.stderr).decode().count("did you mean 'item-")
        assert run.returncode == 2 and found == DANGLING, (run.returncode, found)
        median, best = statistics.median(times), min(times)
        print(
            f"check, {ITEMS:,} items, {DANGLING:,} dangling references: median {median:6.2f} s  "
            f"best {best:6.2f} s  (target < {TARGET_S:g} s; {found:,} named, {hinted:,} with a hint)"
        )
        # The floor on this machine at this moment: a process that only reads and parses the file.
        floor = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", FLOOR, str(path)], check=True)
            floor.append(time.perf_counter() - t0)
        print(
            f"  floor (python -c 'tomli.loads(...)' of the file): median {statistics.median(floor):6.2f} s"
            f"  best {min(floor):6.2f} s"
        )


if __name__ == "__main__":
    main()
