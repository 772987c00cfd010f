"""Form values -> a validated edit of one item (pure; no textual).

An edit is checked exactly as `fulcrum check` checks a file: the form becomes the item's
document, and ``backlog.check_edit`` checks it and what it touches (its id, its references, a
cycle through it ...) with the problems ``validate_document`` would report of the whole edited
file, in the same words. Only the validated item is new, so every other Item object stays shared
with the previous backlog (undo keeps whole backlogs cheaply).

Form fields are keyed by strings: ``id``, ``title``, ``effort``, ``impact.<metric>``,
``evidence.<metric>``, ``evidence.effort``, ``needs`` ... An estimate is one field holding a number
(``2``) or ``low / likely / high`` (``1 / 2 / 4``). A problem is reported under its *row* key
(``effort``, ``impact.<metric>``, ``evidence.<metric>``, ``needs`` ...), or under ``""`` when it
belongs to no field of the form.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from fulcrum.backlog import Backlog, BacklogError, Item, check_edit, item_positions, with_item
from fulcrum.scoring import Ranking, ScoringError
from fulcrum.ui.state import rank

ESTIMATE_PARTS = ("low", "likely", "high")
LIST_FIELDS = ("requested_by", "needs", "depends_on", "excludes", "tags")
#: The decisions of `d`, and the status each stores.
VERDICT_STATUS = {"plan": "planned", "defer": "deferred", "drop": "dropped", "done": "done"}
#: The date fields of the form: blank means none.
DATE_FIELDS = ("due", "done_on")


class FormError(Exception):
    """The form cannot become a valid item; ``problems`` maps a row key to its messages."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in problems.values() for m in ms))
        self.problems = problems


def _fmt_num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 2**53 else repr(x)


def form_values(item: Item | None) -> dict[str, str]:
    """The text of every form field for an item (empty strings for a new one)."""
    if item is None:
        return {"status": "idea", "phase": ""}
    v: dict[str, str] = {"id": item.id, "title": item.title, "owner": item.owner, "decision": item.decision}
    v["confidence"] = _fmt_num(item.confidence)
    for key in LIST_FIELDS:
        v[key] = ", ".join(getattr(item, key))
    v["status"] = item.status
    v["team"] = item.team or ""
    v["due"] = item.due.isoformat() if item.due else ""
    v["done_on"] = item.done_on.isoformat() if item.done_on else ""
    v["actual_effort"] = "" if item.actual_effort is None else _fmt_num(item.actual_effort)
    v["phase"] = str(item.phase) if item.phase else ""
    v["fields"] = ", ".join(f"{k}={_fmt_num(x)}" for k, x in item.fields.items())
    v["effort"] = estimate_text(item.effort.low, item.effort.likely, item.effort.high)
    for metric, est in item.impact.items():
        v[f"impact.{metric}"] = estimate_text(est.low, est.likely, est.high)
    for key, text in item.evidence.items():
        v[f"evidence.{key}"] = text
    return v


def estimate_text(low: float, likely: float, high: float) -> str:
    """``2`` for a point estimate, ``1 / 2 / 4`` for a range."""
    if low == likely == high:
        return _fmt_num(likely)
    return " / ".join(_fmt_num(x) for x in (low, likely, high))


def parse_number(text: str) -> Any:
    """A number when the text is one; otherwise the text itself, so validation names the problem."""
    s = text.strip()
    for conv in (int, float):
        try:
            return conv(s)
        except ValueError:
            pass
    return s


def _estimate(text: str, row: str) -> Any:
    """``""`` -> None (missing), ``2`` -> 2, ``1 / 2 / 4`` -> {low, likely, high}; else FormError."""
    parts = [p.strip() for p in text.split("/")]
    if parts == [""]:
        return None
    if len(parts) == 1:
        return parse_number(parts[0])
    if len(parts) != len(ESTIMATE_PARTS):
        raise FormError({row: [f"write one number, or low / likely / high (not {text.strip()!r})"]})
    return {p: parse_number(t) for p, t in zip(ESTIMATE_PARTS, parts, strict=True) if t}


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


_FIELD = re.compile(r"^\s*([^=\s]+)\s*=\s*(\S+)\s*$")


def _fields(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in _list(text):
        m = _FIELD.match(part)
        if not m:
            raise FormError({"fields": [f"write fields as key=number, separated by commas (not {part!r})"]})
        out[m[1]] = parse_number(m[2])
    return out


def item_document(
    backlog: Backlog, original: Item | None, values: dict[str, str], refused: dict[str, list[str]]
) -> dict[str, Any]:
    """The item as a TOML-like document: the original's values with the form's on top.

    A field refused before validation (a blank confidence, a date that is no date) goes into
    ``refused`` (row -> messages) and the document keeps the original's value, so validation still
    reports the form's other problems.
    """
    doc: dict[str, Any] = original.model_dump(mode="python") if original else {}
    for key in ("id", "title"):
        if key in values or (key == "id" and original is None):
            text = values.get(key, "").strip()
            if text:
                doc[key] = text
            else:  # "required but missing", as check says of a file without it
                doc.pop(key, None)
    for key in ("owner", "decision"):
        if key in values:
            doc[key] = values[key].strip()
    for key in LIST_FIELDS:
        if key in values:
            doc[key] = _list(values[key])
    if "confidence" in values:
        conf = values["confidence"].strip()
        if conf:
            doc["confidence"] = parse_number(conf)
        else:  # never a silent default: 1.0 would raise the item's value
            was = f" (it was {_fmt_num(original.confidence)})" if original else ""
            refused["confidence"] = [f"confidence is blank: write how likely the value is, from 0 to 1{was}"]
    if "status" in values:
        doc["status"] = values["status"]
    if "team" in values:
        doc["team"] = values["team"].strip() or None  # blank: your own capacity
    for key in DATE_FIELDS:
        if key in values:
            text = values[key].strip()
            day = _date(text) if text else None  # blank: none
            if text and day is None:
                refused[key] = [f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2026-12-01 (blank: none)"]
            else:
                doc[key] = day
    if "actual_effort" in values:
        actual = values["actual_effort"].strip()
        doc["actual_effort"] = parse_number(actual) if actual else None  # blank: not recorded
    if "phase" in values:
        phase = values["phase"].strip()
        doc["phase"] = parse_number(phase) if phase else None
    if "fields" in values:
        doc["fields"] = _fields(values["fields"])
    if "effort" in values:
        effort = _estimate(values["effort"], "effort")
        if effort is None:
            doc.pop("effort", None)
        else:
            doc["effort"] = effort
    impact = dict(doc.get("impact", {}))
    evidence = dict(doc.get("evidence", {}))
    for metric in [*backlog.metrics, "effort"]:
        if metric != "effort" and f"impact.{metric}" in values:
            est = _estimate(values[f"impact.{metric}"], f"impact.{metric}")
            if est is None:
                impact.pop(metric, None)
            else:
                impact[metric] = est
        if f"evidence.{metric}" in values:
            text = values[f"evidence.{metric}"].strip()
            if text:
                evidence[metric] = text
            else:
                evidence.pop(metric, None)
    doc["impact"], doc["evidence"] = impact, evidence
    return doc


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(text: str) -> date | None:
    """A TOML date (YYYY-MM-DD), else None; its bounds are checked by validation, as in a file."""
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return None


def apply_form(
    backlog: Backlog,
    original_id: str | None,
    values: dict[str, str],
    lens: str | None = None,
    method: str | None = None,
    ranking: Ranking | None = None,
) -> Backlog:
    """The backlog with the item edited (or added when ``original_id`` is None), or FormError.

    Validation is `check`'s, of the item and what it touches (``backlog.check_edit``); then the
    candidate must still score under the current lens and method (e.g. rice needs its fields), so
    the app can always re-rank it. ``ranking`` (the backlog's, under that lens and method) makes
    that scoring an incremental one (``state.rank``), which the session then reuses.
    """
    items = backlog.items
    index = len(items) if original_id is None else item_positions(items).get(original_id)
    if index is None:
        raise KeyError(original_id)
    original = items[index] if index < len(items) else None
    refused: dict[str, list[str]] = {}
    item_doc = item_document(backlog, original, values, refused)
    try:
        item = check_edit(backlog, index, item_doc)
    except BacklogError as exc:
        raise FormError({**_by_row(exc, index), **refused}) from None
    if refused:
        raise FormError(refused)
    if original is not None and item.id != original.id:
        raise FormError({"id": ["the id of an existing item cannot change here"]})
    candidate = with_item(backlog, index, item)
    try:
        rank(candidate, lens, method, ranking)
    except ScoringError as exc:
        why = [m for i, m in exc.problems if i in (None, item.id)] or [str(exc)]
        if method is not None and method != candidate.scoring.method:  # the view's, not the file's
            why.append(
                f"{method} is the method the ranking is viewed by (picked with m), not the file's "
                f"({candidate.scoring.method}): view by another with m, or give the item what {method} needs"
            )
        raise FormError({"": why}) from None
    return candidate


def _by_row(exc: BacklogError, index: int) -> dict[str, list[str]]:
    """Problems keyed by the form row they belong to ("" for the rest, with their location)."""
    out: dict[str, list[str]] = {}
    prefix = f"items[{index}]"
    for p in exc.problems:
        if p.field == prefix or p.field.startswith(prefix + "."):
            key = row_key(p.field[len(prefix) + 1 :])
            out.setdefault(key, []).append(p.message)
        else:
            where = " ".join(x for x in (f"item {p.item!r}" if p.item else "", p.field) if x)
            out.setdefault("", []).append(f"{where}: {p.message}" if where else p.message)
    return out


def row_key(path: str) -> str:
    """The form row of a field path: ``impact.mau.low`` -> ``impact.mau``, ``needs[0]`` -> ``needs``."""
    parts = re.sub(r"\[\d+\]", "", path).split(".")
    if parts[0] in ("impact", "evidence") and len(parts) > 1:
        return f"{parts[0]}.{parts[1]}"
    return parts[0]


def decide(
    backlog: Backlog,
    item_id: str,
    verdict: str,
    reason: str,
    today: date,
    lens: str | None = None,
    method: str | None = None,
    actual_effort: str = "",
    ranking: Ranking | None = None,
) -> Backlog:
    """Plan, defer, drop or finish an item, dated ``today``.

    plan -> status "planned"; defer -> "deferred" (still ranked, never planned, listed under
    "Not doing now, and why"); drop -> "dropped": each needs a reason, and ``decision`` becomes
    "YYYY-MM-DD: reason", so the file says when each call was made. done -> status "done" and
    ``done_on = today``, with ``actual_effort`` when given (the estimate accuracy) and the dated
    reason when one is given (the decision is kept otherwise).
    """
    reason = reason.strip()
    if verdict not in VERDICT_STATUS:
        raise FormError({"verdict": [f"choose plan, defer, drop or done (not {verdict!r})"]})
    if not reason and verdict != "done":
        raise FormError({"reason": ["a reason is required: say why, so you can say no with a reason later"]})
    values = {"status": VERDICT_STATUS[verdict]}
    if reason:
        values["decision"] = f"{today.isoformat()}: {reason}"
    if verdict == "done":
        values["done_on"] = today.isoformat()
        if actual_effort.strip():
            values["actual_effort"] = actual_effort
    try:
        return apply_form(backlog, item_id, values, lens, method, ranking)
    except FormError as exc:
        if verdict == "done" and "actual_effort" in exc.problems:
            raise FormError({"actual_effort": exc.problems.pop("actual_effort")}) from None
        # The only field the user typed is the reason: show every problem there.
        raise FormError({"reason": [m for ms in exc.problems.values() for m in ms]}) from None
