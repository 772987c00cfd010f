"""`fulcrum risk FILE [--samples N] [--plan-samples N] [--seed S] [--top K] [--lens KEY] [--format F] ...`.

How sure the ranking and the plan are, and which number is worth checking first. The table is for
people; the JSON is the contract of docs/FORMAT.md (ASCII only). A progress bar goes to stderr
when it is a terminal; Ctrl-C stops with exit 130 (``cli.main``).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from fulcrum.commands._args import add_file, add_lens, add_start, add_today, today_of, whole_number
from fulcrum.errors import EXIT_OK
from fulcrum.risk import PLAN_SAMPLES, SAMPLES, SEED, TOP, Risk
from fulcrum.text import clip, columns, fmt, one_line

#: Bounds of the options: enough samples to bin, few enough to fit in memory at 10k items.
MAX_SAMPLES = 100_000
MAX_PLAN_SAMPLES = 10_000
#: Verify-first entries the table shows (the JSON has every input).
SHOWN_QUESTIONS = 10
TITLE_WIDTH = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum risk`."""
    add_file(parser)
    add_lens(parser)
    add_start(parser)
    add_today(parser)
    parser.add_argument(
        "--samples",
        type=whole_number(10, MAX_SAMPLES),
        default=SAMPLES,
        metavar="N",
        help=f"samples of every estimate (default {SAMPLES})",
    )
    parser.add_argument(
        "--plan-samples",
        type=whole_number(0, MAX_PLAN_SAMPLES),
        default=PLAN_SAMPLES,
        metavar="N",
        help=f"samples the plan is re-solved on (default {PLAN_SAMPLES}; at most --samples)",
    )
    parser.add_argument(
        "--seed", type=whole_number(0, 2**63 - 1), default=SEED, metavar="S", help="random seed (default 0)"
    )
    parser.add_argument(
        "--top", type=whole_number(1), default=TOP, metavar="K", help=f"report P(rank <= K) (default {TOP})"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def run(args: argparse.Namespace) -> int:
    """Print the analysis; exit 2 on bad input."""
    from fulcrum.backlog import BacklogError, load_backlog
    from fulcrum.errors import report
    from fulcrum.plan import build_plan
    from fulcrum.risk import analyse, risk_to_json
    from fulcrum.scoring import ScoringError

    try:
        plan = build_plan(load_backlog(args.file), lens=args.lens, start=args.start, today=today_of(args))
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        risk = analyse(
            plan,
            samples=args.samples,
            plan_samples=args.plan_samples,
            seed=args.seed,
            top=args.top,
            progress=bar.show if bar else None,
        )
    finally:
        if bar:
            bar.clear()
    if args.format == "json":
        sys.stdout.write(json.dumps(risk_to_json(risk), indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write("\n".join(table_lines(risk)) + "\n")
    return EXIT_OK


class ProgressBar:
    """One line on a terminal, redrawn in place: "risk [#####.....] 52%"."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = -1

    def show(self, done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if pct == self.last:
            return
        self.last = pct
        filled = self.WIDTH * done // max(total, 1)
        self.stream.write(f"\rrisk [{'#' * filled}{'.' * (self.WIDTH - filled)}] {pct:3d}%")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r" + " " * (self.WIDTH + 14) + "\r")
        self.stream.flush()


def table_lines(risk: Risk) -> list[str]:
    """The analysis for a terminal; every piece of user text is terminal-safe."""
    from fulcrum.risk import INDEPENDENCE, ask, change_text, ends_text, percent, range_text

    plan = risk.plan
    b = plan.ranking.backlog
    cur = b.backlog.currency
    v = risk.value
    out = [
        f"{one_line(b.backlog.title)}: how sure is this plan (lens {one_line(plan.ranking.lens)})",
        f"  {risk.samples:,} samples, the plan re-solved on {risk.plan_samples:,}, seed {risk.seed};",
        f"  {INDEPENDENCE}",
        "",
        f"The plan finishes by day 90 in {percent(risk.fits)} of samples.",
        f"First-year value: mean {fmt.money(v.mean, cur)}, P10 {fmt.money(v.p10, cur)}, "
        f"P50 {fmt.money(v.p50, cur)}, P90 {fmt.money(v.p90, cur)} "
        f"(from expected values: {fmt.money(plan.objective, cur)})",
        f"Knowing every number exactly would add {fmt.money(risk.evpi, cur)} on average (EVPI; "
        f"{risk.candidates} candidate plan{'s' if risk.candidates != 1 else ''} compared).",
    ]
    if risk.better:
        gain = fmt.money(risk.better_by, cur)
        out.append(one_line(f"A re-solved plan does better on average (+{gain}): {change_text(risk.better)}"))
    out += ["", "Items (rank order):"]
    head = [
        "id",
        "title",
        "value P10",
        "P50",
        "P90",
        "rank P10-P90",
        f"P(top {risk.top})",
        "P(plan)",
        "P(first)",
        "on time",
    ]
    body = []
    for it, s in zip(risk.items, plan.ranking.ranked, strict=True):
        body.append(
            [
                one_line(it.id),
                clip(one_line(s.item.title), TITLE_WIDTH),
                fmt.money(it.value.p10, cur),
                fmt.money(it.value.p50, cur),
                fmt.money(it.value.p90, cur),
                f"{int(it.rank.p10)}-{int(it.rank.p90)}",
                percent(it.p_top),
                percent(it.p_in_plan),
                percent(it.p_first_phase),
                "-" if it.p_on_time is None else f"{percent(it.p_on_time)} by {it.planned_phase}",
            ]
        )
    out += [f"  {line}" for line in columns(head, body, {2, 3, 4, 6, 7, 8})] if body else ["  no open items"]
    frm = "; the ends are said as changes from the re-solved plan above" if risk.better else ""
    out += ["", f"Verify first (what checking each number is worth to the plan{frm}):"]
    shown = [q for q in risk.verify_first if q.evppi > 0][:SHOWN_QUESTIONS]
    if not shown:
        out.append("  nothing: no single number, checked, would change the plan")
    for n, q in enumerate(shown, 1):
        low, high = ends_text(q)
        out.append(one_line(f"  {n}. {q.id} {q.input}: {range_text(b, q)}: worth {fmt.money(q.evppi, cur)}"))
        who = ask(b, q)
        if who:
            out.append(one_line("     ask: " + "; ".join(who)))
        out.append(one_line(f"     {low}: {change_text(q.at_low)}"))
        out.append(one_line(f"     {high}: {change_text(q.at_high)}"))
    return out
