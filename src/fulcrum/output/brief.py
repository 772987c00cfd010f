"""A brief to one stakeholder, as Markdown: what they asked for, what else serves their metrics,
what is planned (when, by whom, why now), what is not and why, what I need from them, when we meet.

:func:`render_brief` is deterministic (no clock: the dates are the plan's) and escapes every user
string with :func:`fulcrum.output.markdown_escape.md`, as the export does, so the note can be pasted
into an email or a document as it is. Plain words, addressed to the person ("you asked for").
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from fulcrum.backlog import YOU, Backlog, Item, Stakeholder
from fulcrum.output.markdown_escape import md
from fulcrum.plan import Later, Plan, PlannedItem, build_plan, pool_name
from fulcrum.risk import Question, Risk, analyse, range_text
from fulcrum.scoring import QUADRANT_LABELS, Ranking, ReviewWarning, ScoringError, review, score_backlog
from fulcrum.text import fmt

#: Items listed under "what else serves your metrics" (best for them first); the rest are counted.
MAX_OTHERS = 8
#: The value-of-information sampling behind "what I need from you" (fixed seed: deterministic).
RISK_SAMPLES = 1000
RISK_PLAN_SAMPLES = 40
#: Questions by value of information asked of one stakeholder, at most.
MAX_VOI_QUESTIONS = 3
#: Value of information is sampled for backlogs of at most this many ranked items (a minute's work
#: beyond); a bigger one's brief asks the review's questions only (`fulcrum risk` has the rest).
MAX_RISK_ITEMS = 500
#: Their requests listed (planned first); the rest are counted, so the note stays short.
MAX_ASKED = 25
#: Questions asked in one note; the rest are counted.
MAX_QUESTIONS = 8
NOTHING_TO_ASK = "- Nothing right now: tell me if any number above looks wrong."
_DAYS = {30: "days 1-30", 60: "days 31-60", 90: "days 61-90"}
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def unknown_stakeholder(backlog: Backlog, key: str) -> ScoringError:
    """The error for a key that names nobody: a "did you mean", or the keys there are."""
    known = list(backlog.stakeholders)
    if not known:
        return ScoringError([(None, f"unknown stakeholder {key!r}: the backlog has no [stakeholders]")])
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    by_name = [k for k, s in backlog.stakeholders.items() if key.casefold() in s.name.casefold()]
    hint = close or by_name[:1]
    if hint:
        person = backlog.stakeholders[hint[0]]
        return ScoringError(
            [(None, f"unknown stakeholder {key!r}; did you mean {hint[0]!r} ({person.name})?")]
        )
    return ScoringError([(None, f"unknown stakeholder {key!r}; the stakeholders are: {', '.join(known)}")])


@dataclass(frozen=True)
class BriefItem:
    """One item of the brief with where it stands."""

    item: Item
    status: str
    """"planned", "later", "deferred", "dropped" or "done"."""
    phase: int | None
    """The plan's phase of a planned item."""
    words: str
    """Where it stands, in plain words (not yet escaped)."""


def brief_items(plan: Plan, key: str) -> tuple[list[BriefItem], list[BriefItem], int]:
    """(what they asked for, what else serves their metrics, how many more serve them than are listed).

    Asked for: every item that names ``key`` in ``requested_by``, file order. Also serving them:
    open items they did not ask for that are worth more than 0 under their lens, best for them first.
    """
    backlog = plan.ranking.backlog
    if key not in backlog.stakeholders:
        raise unknown_stakeholder(backlog, key)
    theirs = score_backlog(backlog, key, backlog.scoring.method)
    company = plan.ranking if plan.ranking.lens in (None, "everyone") else score_backlog(backlog)
    facts = _Facts(plan, theirs, company)
    asked = sorted((facts.item(it) for it in backlog.items if key in it.requested_by), key=_order)
    others = [s.item for s in sorted(theirs.ranked, key=lambda s: (-s.value, s.rank)) if s.value > 0]
    others = [it for it in others if key not in it.requested_by]
    return asked, [facts.item(it) for it in others[:MAX_OTHERS]], max(0, len(others) - MAX_OTHERS)


_STATUS_ORDER = {"planned": 0, "later": 1, "deferred": 2, "dropped": 3, "done": 4}


def _order(b: BriefItem) -> tuple[int, int]:
    """Planned first (by phase), then what waits, what was deferred, dropped, done (stable)."""
    return _STATUS_ORDER[b.status], b.phase or 0


class _Facts:
    """What the brief says of each item: the plan's place for it, its value to them, its rank."""

    def __init__(self, plan: Plan, theirs: Ranking, company: Ranking) -> None:
        self.plan = plan
        self.theirs = theirs
        self.company = company
        self.planned: dict[str, PlannedItem] = {p.id: p for p in plan.planned}
        self.later: dict[str, Later] = {lt.id: lt for lt in plan.later}
        self.cur = plan.ranking.backlog.backlog.currency
        self.by_id = {it.id: it for it in plan.ranking.backlog.items}

    def money(self, x: float) -> str:
        return fmt.money(x, self.cur)

    def item(self, it: Item) -> BriefItem:
        if it.status == "done":
            when = f" on {it.done_on.isoformat()}" if it.done_on else ""
            return BriefItem(it, "done", None, f"Done{when}.")
        if it.status in ("dropped", "deferred"):
            return BriefItem(it, it.status, None, _decision(it))
        p = self.planned.get(it.id)
        if p is not None:
            return BriefItem(it, "planned", p.phase, self._planned_words(p))
        return BriefItem(it, "later", None, self._later_words(it))

    def _for_them(self, it: Item) -> str:
        s = self.theirs.get(it.id)
        if s is None or s.value == 0:
            return ""
        return f"worth {self.money(s.value)}/yr on your metrics"

    def _planned_words(self, p: PlannedItem) -> str:
        it = p.scored.item
        who = it.owner or ("me" if p.pool == YOU else "")
        if p.pool != YOU:
            team = pool_name(self.plan, p.pool)
            who = f"{who}, {team}" if who else team
        late = p.due_flag is not None or (self.plan.today is not None and p.due < self.plan.today)
        due = f"due {p.due.isoformat()}" + (", late" if late else "")
        head = f"Planned for {_DAYS[p.phase]}, {due}, owner: {who or 'to be named'}."
        why = []
        if it.status == "doing":
            why.append("it is already in progress")
        if p.pinned:
            why.append(f"it is committed to the first {it.phase or p.phase} days")
        if it.due is not None and late:
            why.append(f"it was due {it.due.isoformat()} and is late")
        elif it.due is not None and it.due <= p.due:
            why.append(f"it is due {it.due.isoformat()}")
        if p.quick_win and p.phase == 30 and it.status != "doing":
            why.append("it is a quick win: high value for little effort, so it comes first")
        elif not why:
            why.append(_quadrant_words(p.scored.quadrant))
        value = self._for_them(it)
        tail = f" ({value})" if value else ""
        rank = self.company.get(it.id)
        ranks = f" It ranks {_nth(rank.rank)} of {len(self.company.ranked)} for the company." if rank else ""
        return f"{head} Why now: {'; '.join(why)}{tail}.{ranks}"

    def _later_words(self, it: Item) -> str:
        lt = self.later.get(it.id)
        reason = _titled(self.plan.ranking.backlog, _their_terms(lt))
        s = self.company.get(it.id)
        rank = f"it ranks {_nth(s.rank)} of {len(self.company.ranked)} for the company" if s else ""
        parts = [f"Not in these 90 days: {reason}"]
        if rank:
            parts.append(rank)
        if lt is not None and lt.short_of_time == "waits" and s is not None:
            out = self._displace(it, s.effort)
            if out:
                parts.append(out)
        value = self._for_them(it)
        if value:
            parts.append(value)
        return "; ".join(parts) + "."

    def _displace(self, it: Item, effort: float) -> str:
        """What it would take to fit: the cheapest planned work of the same pool to give up."""
        pool = it.team or YOU
        phases = [ph for ph in self.plan.phases if not ph.past and pool in ph.pools]
        free = sum(ph.pools[pool].capacity - ph.pools[pool].used for ph in phases)
        short = effort - max(free, 0.0)
        if short <= 0:
            return ""
        # Not what it needs done first (giving it up would make it impossible), nor work planned to
        # meet its deadline (the plan meets deadlines before it weighs value).
        needed = _prerequisites(self.by_id, it)
        last_day = self.plan.phases[-1].end
        movable = [
            p
            for p in self.plan.planned
            if p.pool == pool
            and not p.pinned
            and p.scored.item.status != "doing"
            and p.id not in needed
            and not (p.scored.item.due is not None and p.scored.item.due <= last_day)
        ]
        movable.sort(key=lambda p: (p.scored.value, p.id))
        out: list[PlannedItem] = []
        freed = 0.0
        for p in movable:
            if freed >= short:
                break
            out.append(p)
            freed += p.scored.effort
        if freed < short or not out:
            return ""
        names = " and ".join(
            f"{p.scored.item.title} (worth {self.money(p.scored.value)}/yr to the company)" for p in out
        )
        return f"to fit, it would need to displace {names}"


def _prerequisites(by_id: dict[str, Item], it: Item) -> set[str]:
    """Every item ``it`` depends on, directly or through others (``by_id``: the backlog's items)."""
    seen: set[str] = set()
    todo = list(it.depends_on)
    while todo:
        d = todo.pop()
        if d not in seen and d in by_id:
            seen.add(d)
            todo.extend(by_id[d].depends_on)
    return seen


_WAITS = re.compile(r"^(waits for |alternative )(.+?)(, which | (?:is|are) planned instead)")


def _titled(backlog: Backlog, reason: str) -> str:
    """Item ids in a "waits for a, b, which ..." or "alternative 'a' is planned instead" reason as
    their titles: a stakeholder knows the work by its name."""
    m = _WAITS.match(reason)
    if m is None:
        return reason
    ids = [i.strip().strip("'") for i in m.group(2).split(",")]
    known = {it.id: it.title for it in backlog.items}
    if not all(i in known for i in ids):
        return reason
    names = ", ".join(f'"{known[i]}"' for i in ids)
    verb = "it waits for " if m.group(1) == "waits for " else "the alternative "
    return verb + names + m.group(3) + reason[m.end() :]


def _their_terms(lt: Later | None) -> str:
    """The planner's reason for people outside the team: capacity in words, the numbers kept."""
    if lt is None:
        return "not planned"
    detail = _WEEKS.sub(
        lambda m: m.group(1) + (" person-week" if m.group(1) == "1" else " person-weeks"),
        lt.reason.partition(": ")[2],
    )
    if lt.short_of_time == "bigger":
        return f"it is bigger than all the time there is in 90 days ({detail})"
    if lt.short_of_time is None:
        return lt.reason
    # "waits for ... capacity" and "does not fit the remaining capacity": the time left is too short
    return f"it waits for capacity ({detail})" if detail else "it waits for capacity"


_DATED = re.compile(r"(\d{4}-\d{2}-\d{2}): (.*)", re.DOTALL)
_WEEKS = re.compile(r"\b([0-9][0-9.,]*) wk\b")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\b")


def _decision(it: Item) -> str:
    """ "Deferred on 2026-12-07: the reason", from a decision written by the TUI or by hand."""
    verb = "Dropped" if it.status == "dropped" else "Deferred (not in these 90 days)"
    text = it.decision.strip()
    when = ""
    dated = _DATED.fullmatch(text)
    if dated:
        when, text = f" on {dated.group(1)}", dated.group(2).strip()
    word = it.status.casefold()
    if text.casefold().startswith(word):
        text = text[len(word) :].lstrip(" :,-")
    if not text:
        return f"{verb}{when}; no reason written down yet."
    return f"{verb}{when} {text}" if _DAY.match(text) else f"{verb}{when}: {text}"


def _quadrant_words(quadrant: str) -> str:
    return {
        "quick_win": "it is a quick win: high value for little effort",
        "big_bet": "it is a big bet: high value that takes real effort, so it starts now",
        "fill_in": "it is cheap and fits the time left",
        "money_pit": "it unlocks other work or was committed",
    }.get(quadrant, QUADRANT_LABELS.get(quadrant, quadrant))


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, "th")
    return f"{n}{suffix}"


def worth_asking(backlog: Backlog, key: str, risk: Risk) -> list[Question]:
    """The inputs they can confirm, by value of information: the confidence and impacts of items they
    asked for, and impacts on their metrics (an effort is the team's to check, not theirs); worth at
    least a thousandth of the plan's value (and $1)."""
    person = backlog.stakeholders[key]
    floor = max(1.0, 1e-3 * abs(risk.plan.objective))
    out = []
    for q in risk.verify_first:
        theirs = key in q.requesters or q.input.removeprefix("impact.") in person.weights
        if theirs and q.input != "effort" and q.evppi >= floor:
            out.append(q)
    return out[:MAX_VOI_QUESTIONS]


def _voi_words(backlog: Backlog, q: Question) -> str:
    title = backlog.item(q.id).title
    worth = fmt.money(q.evppi, backlog.backlog.currency)
    if q.input == "confidence":
        ask = f"how sure can we be that it pays off? The plan assumes {q.likely:.0%}"
    else:
        label = _label(backlog, q.input.removeprefix("impact."))
        ask = f"how big is the change in {label}? The estimate is {range_text(backlog, q)}"
    return f"{title}: {ask}; knowing it before I commit is worth about {worth} of first-year value."


def questions(
    backlog: Backlog,
    key: str,
    items: list[Item],
    warnings: list[ReviewWarning],
    voi: list[Question] | None = None,
) -> list[str]:
    """What I need from them, in plain words: the inputs worth checking by value of information,
    the review's questions about their items and metrics, then their items' impacts with no source."""
    person = backlog.stakeholders[key]
    mine = {it.id for it in items}
    metrics = set(person.weights)
    out: list[str] = [_voi_words(backlog, q) for q in voi or []]
    asked: set[tuple[str, str]] = {(q.id, q.input.removeprefix("impact.")) for q in voi or []}
    for w in warnings:
        if w.item is not None and w.item in mine:
            title = backlog.item(w.item).title
            if w.kind == "no_evidence" and w.field.startswith("impact."):
                metric = w.field.removeprefix("impact.")
                asked.add((w.item, metric))
                out.append(
                    f"{title}: the change in {_label(backlog, metric)} is a big number with no source yet. "
                    "Who told us, and can you point me to the calculation?"
                )
            elif w.kind == "unrequested":
                continue
            else:
                out.append(f"{title}: {w.message}")
        elif w.item is None and w.field.startswith("metrics."):
            metric = w.field.split(".")[1]
            if metric not in metrics:
                continue
            label = _label(backlog, metric)
            if w.kind == "metric_unpriced":
                unit = backlog.metrics[metric].unit
                per = f" (in {unit})" if unit else ""
                out.append(
                    f"What is a change of {label} worth to the business per year{per}? Without a "
                    "price the plan counts it as 0, so work on it never wins."
                )
            elif w.kind == "metric_no_source":
                out.append(f"Where does the price of {label} come from? I would like to cite it.")
            else:
                out.append(f"{label}: {w.message}")
    for it in items:
        if key not in it.requested_by or it.status in ("done", "dropped"):
            continue
        for metric in it.impact:
            if metric not in it.evidence and (it.id, metric) not in asked:
                out.append(f"{it.title}: where does the estimate for {_label(backlog, metric)} come from?")
    return out


def _label(backlog: Backlog, metric: str) -> str:
    m = backlog.metrics.get(metric)
    return m.label if m is not None else metric


def _first_name(person: Stakeholder) -> str:
    return person.name.split()[0] if person.name.split() else person.name


def render_brief(
    backlog: Backlog,
    key: str,
    *,
    today: date | None = None,
    start: date | None = None,
    plan: Plan | None = None,
    risk: Risk | None = None,
) -> str:
    """The brief to stakeholder ``key`` as Markdown ending in one newline.

    The plan is the company's (the default lens), as of ``today``; ``plan`` passes one already
    built, ``risk`` its analysis (else sampled here: :data:`RISK_SAMPLES`, seed 0). Raises
    ScoringError for an unknown stakeholder (with a hint) or an unplannable backlog.
    """
    if key not in backlog.stakeholders:
        raise unknown_stakeholder(backlog, key)
    plan = plan or build_plan(backlog, start=start, today=today)
    if risk is None and len(plan.ranking.ranked) <= MAX_RISK_ITEMS:
        risk = analyse(plan, samples=RISK_SAMPLES, plan_samples=RISK_PLAN_SAMPLES)
    person = backlog.stakeholders[key]
    meta = backlog.backlog
    asked, others, more = brief_items(plan, key)
    cared = [_label(backlog, m) for m, w in person.weights.items() if w]
    metrics = _join(cared) if cared else "no metric yet"
    end = plan.phases[-1].end.isoformat() if plan.phases else ""
    role = f" ({md(person.role)})" if person.role else ""
    out = [f"# {md(meta.title) or 'Plan'}: a note for {md(person.name)}{role}", ""]
    out.append(f"Hi {md(_first_name(person))},")
    out.append("")
    intro = (
        f"This is where your requests stand in my 30-60-90 day plan ({plan.start.isoformat()} to {end}), "
        f"and what else in it moves the metrics you care about: {metrics}."
    )
    out.append(md(intro))
    out += ["", "## What you asked for", ""]
    out += (
        _item_lines(asked[:MAX_ASKED])
        if asked
        else ["You have not asked me for anything yet: what should I know?"]
    )
    if len(asked) > MAX_ASKED:
        rest = asked[MAX_ASKED:]
        planned = sum(1 for b in rest if b.status == "planned")
        which = f", {planned} of them planned" if planned else ", none of them planned"
        out.append(f"- …and {len(rest)} more of your requests{which} (ask me for the whole list).")
    if others:
        out += ["", "## What else serves your metrics", ""]
        out += _item_lines(others)
        if more:
            out.append(f"- …and {more} more items that help your metrics a little (ask me for the list).")
    items = [b.item for b in asked + others]
    voi = worth_asking(backlog, key, risk) if risk is not None else []
    asks = questions(backlog, key, items, review(backlog), voi)
    out += ["", "## What I need from you", ""]
    out += [f"- {md(q)}" for q in asks[:MAX_QUESTIONS]] if asks else [NOTHING_TO_ASK]
    if len(asks) > MAX_QUESTIONS:
        out.append(f"- …and {len(asks) - MAX_QUESTIONS} more questions for when we next talk.")
    out += ["", "## When we meet", "", md(_meeting(plan, key))]
    out += ["", "Thanks,", "", md(meta.owner) if meta.owner else "Me"]
    return "\n".join(out) + "\n"


def _item_lines(items: list[BriefItem]) -> list[str]:
    return [f"- **{md(b.item.title)}**: {md(b.words)}" for b in items]


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _meeting(plan: Plan, key: str) -> str:
    tour = plan.listening_tour
    n = next(i for i, s in enumerate(tour, 1) if s.key == key)
    stop = tour[n - 1]
    first_end = plan.phases[0].end.isoformat() if plan.phases else plan.start.isoformat()
    if stop.met is not None:
        met = stop.met.isoformat()
        return f"We met on {met}; thank you for your time. I will keep you posted as the plan moves."
    return (
        f"We have not met yet: I would like to meet you by {first_end}, within my first 30 days "
        f"(you are {_nth(n)} of {len(tour)} on my listening tour). I will bring this note."
    )
