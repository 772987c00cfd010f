"""GitHub issues as ``gh issue list --state all --json number,title,body,labels,assignees,state,url,
milestone`` prints them: a JSON array of objects; ``labels`` and ``assignees`` are arrays of
objects (``name``; ``login``), ``milestone`` an object with ``title`` and ``dueOn`` (or null),
``state`` OPEN or CLOSED (with ``stateReason`` NOT_PLANNED when closed as not planned, if asked for).

Blocking links come from ``blockedBy`` / ``blocking`` where the JSON has them (arrays of issues,
or of numbers), else from the lines people write in bodies: "Blocked by #12", "Depends on #12,
#14", "depends on other/repo#3".
"""

from __future__ import annotations

import json
import re
from typing import Any

from fulcrum.importers.csv_table import decode_export
from fulcrum.importers.issues import MAX_KEY, Export, ExportError, Issue, clean_line, parse_date, unique

WHAT = "the JSON of `gh issue list --state all --json number,title,body,labels,assignees,state,url,milestone`"
_REPO_URL = re.compile(r"https?://[^/\s]+/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/(?:issues|pull)/([0-9]+)/?")
_LINK_LINE = re.compile(r"(?im)^[ \t>*_-]*(?:blocked[ \t]+by|depends[ \t]+on)\b[*_: \t]*(.*)$")
_REF = re.compile(r"(?<![\w/])((?:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?)#([0-9]+)\b")


def _load(data: bytes, name: str) -> list[Any]:
    text = decode_export(data, name, WHAT)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        first = text.lstrip()[:1]
        if first not in ("[", "{"):
            raise ExportError(f"{name}: not JSON (it looks like CSV or text); expected {WHAT}") from None
        raise ExportError(f"{name}: line {exc.lineno:,}: not valid JSON; expected {WHAT}") from None
    except RecursionError:
        raise ExportError(f"{name}: nested too deeply to be gh output; expected {WHAT}") from None
    if not isinstance(doc, list) or not all(
        isinstance(x, dict) and _number(x.get("number")) and isinstance(x.get("title"), str) for x in doc
    ):
        raise ExportError(f"{name}: not a list of issues with a number and a title each; expected {WHAT}")
    return doc


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**12


def _repo(issue: dict[str, Any]) -> str:
    m = _REPO_URL.fullmatch(str(issue.get("url") or ""))
    return f"{m.group(1)}/{m.group(2)}" if m else ""


def key_of(repo: str, number: int) -> str:
    """owner/repo#17, or #17 when the export gives no url."""
    return f"{repo}#{number}"


def _names(value: Any, field: str) -> list[str]:
    if isinstance(value, dict):
        value = value.get("nodes", [])
    if not isinstance(value, list):
        return []
    out = []
    for x in value:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict) and isinstance(x.get(field), str):
            out.append(x[field])
    return out


def _linked(value: Any, repo: str) -> list[str]:
    """Keys of the issues in a ``blockedBy`` / ``blocking`` value (issues, numbers or {nodes})."""
    if isinstance(value, dict):
        value = value.get("nodes", [])
    if not isinstance(value, list):
        return []
    out = []
    for x in value:
        if _number(x):
            out.append(key_of(repo, x))
        elif isinstance(x, dict) and _number(x.get("number")):
            m = _REPO_URL.fullmatch(str(x.get("url") or ""))
            out.append(key_of(f"{m.group(1)}/{m.group(2)}" if m else repo, x["number"]))
    return out


def _from_body(body: str, repo: str) -> list[str]:
    out = []
    for line in _LINK_LINE.finditer(body):
        for ref in _REF.finditer(line.group(1)):
            out.append(key_of(ref.group(1) or repo, int(ref.group(2))))
    return out


def _status(issue: dict[str, Any]) -> str:
    state = str(issue.get("state") or "").lower()
    if state == "closed" and str(issue.get("stateReason") or "").upper() == "NOT_PLANNED":
        return "not planned"
    return state


def read_github(data: bytes, name: str) -> Export:
    """The issues of ``gh issue list --json ...`` output; ExportError when it is not that."""
    out = Export("github")
    seen: set[str] = set()
    notes = out.notes
    for issue in _load(data, name):
        repo = _repo(issue)
        key = key_of(repo, issue["number"])
        if len(key) > MAX_KEY:
            notes.append(f"{key[:60]}...: the key is longer than {MAX_KEY} characters; left out")
            continue
        body = issue.get("body") if isinstance(issue.get("body"), str) else ""
        has_links = "blockedBy" in issue or "blocking" in issue
        depends = _linked(issue.get("blockedBy"), repo) if has_links else _from_body(body, repo)
        milestone = issue.get("milestone") if isinstance(issue.get("milestone"), dict) else {}
        due = str(milestone.get("dueOn") or "")
        assignees = [clean_line(x, f"{key} assignee", notes) for x in _names(issue.get("assignees"), "login")]
        labels = [clean_line(x, f"{key} label", notes) for x in _names(issue.get("labels"), "name")]
        item = Issue(
            key=key,
            title=clean_line(issue["title"], f"{key} title", notes) or key,
            status=_status(issue),
            url=clean_line(str(issue.get("url") or ""), f"{key} url", notes),
            owner=clean_line(", ".join(unique(assignees)), f"{key} assignees", notes),
            labels=unique(labels),
            due=parse_date(due, f"{key} milestone due date", notes),
            depends_on=unique([k for k in depends if k != key]),
            blocks=unique(_linked(issue.get("blocking"), repo)),
        )
        out.add(item, seen)
    return out
