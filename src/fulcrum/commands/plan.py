"""`fulcrum plan FILE [--lens KEY] [--start DATE] [--format table|json]`: the 30-60-90 plan.

The table is for people: the value it delivers, the early-wins line, the listening tour, each phase
with its capacity and items (owner, due, value, effort, why), what waits and why, and warnings.
The JSON is PRODUCT.md's contract (ASCII only, so no byte of user text reaches the terminal raw).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from datetime import date

from fulcrum import fmt
from fulcrum.model import Backlog
from fulcrum.plan import Plan, PlannedItem, early_wins_text, optimality_text
from fulcrum.scoring import QUADRANT_LABELS
from fulcrum.textsafe import one_line

#: The widest a title may be in the table (terminal cells); longer ones end in "…".
TITLE_WIDTH = 36
_DAYS = {30: "Days 1-30", 60: "Days 31-60", 90: "Days 61-90"}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `fulcrum plan`."""
    parser.add_argument("file", help="backlog file")
    parser.add_argument(
        "--lens", metavar="KEY", help="value through a stakeholder's eyes (default: everyone)"
    )
    parser.add_argument(
        "--start",
        metavar="DATE",
        type=_date,
        help="day 1 of the plan, YYYY-MM-DD (default: [backlog] start, else today)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")


def run(args: argparse.Namespace) -> int:
    """Print the plan; exit 2 on bad input."""
    from fulcrum.errors import report
    from fulcrum.load import BacklogError, load_backlog
    from fulcrum.plan import build_plan, plan_to_json
    from fulcrum.scoring import ScoringError

    try:
        plan = build_plan(load_backlog(args.file), lens=args.lens, start=args.start)
    except (BacklogError, ScoringError) as exc:
        return report(exc, args.file)
    if args.format == "json":
        sys.stdout.write(json.dumps(plan_to_json(plan), indent=2, allow_nan=False) + "\n")
    else:
        sys.stdout.write("\n".join(table_lines(plan)) + "\n")
    return 0


def table_lines(plan: Plan) -> list[str]:
    """The plan for a terminal; every piece of user text is terminal-safe."""
    b = plan.ranking.backlog
    cur = b.backlog.currency
    title = one_line(b.backlog.title)
    out = [
        f"{title}: the 30-60-90 plan from {plan.start.isoformat()} (lens {one_line(plan.ranking.lens)})",
        f"First-year value, counted from the end of each phase: {fmt.money(plan.objective, cur)}"
        + f" ({optimality_text(plan)})",
        early_wins_text(plan),
        "",
        "Listening tour, most influential first:",
    ]
    out += tour_lines(plan) or ["  no stakeholders recorded"]
    for ph in plan.phases:
        out.append("")
        head = (
            f"{_DAYS[ph.phase]} (until {ph.end.isoformat()}): {fmt.weeks(ph.used)} used of "
            f"{fmt.weeks(max(ph.available, 0.0))} available ({fmt.weeks(ph.capacity)} in this phase)"
        )
        out.append(head + ("  OVER CAPACITY" if ph.over_capacity else ""))
        out += _table(plan, ph.items) if ph.items else ["  nothing planned"]
    out += ["", "Later, and why:"]
    later = [f"  {one_line(lt.id)}: {one_line(lt.reason)}" for lt in plan.later]
    out += later or ["  nothing: every open item is planned"]
    if plan.warnings:
        out += ["", "Warnings:"]
        out += [f"  ! {one_line(w)}" for w in plan.warnings]
    return out


def tour_lines(plan: Plan) -> list[str]:
    """One line per stakeholder, those not met by day 30 called out."""
    end = plan.phases[0].end.isoformat()
    out = []
    for n, s in enumerate(plan.listening_tour, 1):
        who = (
            f"{s.name} ({s.role}, influence {s.influence})"
            if s.role
            else f"{s.name} (influence {s.influence})"
        )
        if s.met_in_first_phase and s.met is not None:
            met = f"met {s.met.isoformat()}"
        elif s.met is not None:
            met = f"met {s.met.isoformat()}: after day 30 ({end})"
        else:
            met = f"NOT MET yet: meet by {end}"
        out.append(one_line(f"  {n}. {who}  {met}"))
    return out


def why(plan: Plan, p: PlannedItem) -> str:
    """Why an item is where it is, in a few words."""
    b = plan.ranking.backlog
    it = p.scored.item
    parts = [QUADRANT_LABELS[p.scored.quadrant]]
    if it.status == "doing":
        parts.append("in progress")
    elif p.quick_win and p.phase == 30 and p.scored.value > 0:
        parts.append("early win")
    if p.pinned:
        parts.append(f"pinned to {p.phase}")
    if it.requested_by:
        parts.append("for " + ", ".join(_name(b, k) for k in it.requested_by))
    if p.unmet_stakeholders:
        parts.append("not met yet: " + ", ".join(_name(b, k) for k in p.unmet_stakeholders))
    if p.due_flag:
        parts.append("! " + p.due_flag)
    return "; ".join(parts)


def _name(backlog: Backlog, key: str) -> str:
    person = backlog.stakeholders.get(key)
    return person.name if person else key


def _table(plan: Plan, items: list[PlannedItem]) -> list[str]:
    cur = plan.ranking.backlog.backlog.currency
    head = ["id", "title", "owner", "due", "value/yr", "effort", "why"]
    right = {4, 5}
    body = [
        [
            one_line(p.id),
            _clip(one_line(p.scored.item.title), TITLE_WIDTH),
            one_line(p.scored.item.owner) or "-",
            p.due.isoformat(),
            fmt.money(p.scored.value, cur),
            fmt.weeks(p.scored.effort),
            one_line(why(plan, p)),
        ]
        for p in items
    ]
    widths = [max(_width(r[i]) for r in [head, *body]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if i in right else c + pad)
        return ("  " + "  ".join(out)).rstrip()

    return [line(head), *(line(r) for r in body)]


def _width(text: str) -> int:
    """Terminal cells: wide (East Asian) characters take two, combining marks none."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _clip(text: str, cells: int) -> str:
    if _width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
