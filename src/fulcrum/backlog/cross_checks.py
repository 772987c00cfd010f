"""Cross-checks between the tables of a backlog: ids, references, cycles, field names, the formula.

They run on a plain TOML document, not on a validated :class:`~fulcrum.backlog.model.Backlog`, so that a
file with a wrong type in one item still gets its dangling references and cycles reported in the
same run: every part that is well-formed enough to be read is checked, the rest is skipped
(pydantic already names what is wrong with it).
"""

from __future__ import annotations

import difflib
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain, repeat
from typing import Any

from fulcrum.backlog.values import ordinal, quoted
from fulcrum.formula import FORMULA_BUILTINS

Loc = tuple[str | int, ...]


def check_document(doc: Mapping[str, Any]) -> list[tuple[Loc, str]]:
    """Every cross-table problem of a (possibly invalid) document, as (path, message)."""
    out: list[tuple[Loc, str]] = []
    # A missing table has no keys; a malformed one (metrics = 5) is unknown, and its checks skipped.
    metrics = doc.get("metrics", {})
    metric_keys = list(metrics) if isinstance(metrics, dict) else None
    people = doc.get("stakeholders", {})
    people_keys = list(people) if isinstance(people, dict) else None
    teams = doc.get("teams", {})
    team_keys = list(teams) if isinstance(teams, dict) else None
    raw_items = doc.get("items")
    items = raw_items if isinstance(raw_items, list) else []

    cols = _columns(items)
    ids_col = cols["id"] if cols is not None else None
    if ids_col is not None and all(map(isinstance, ids_col, repeat(str))):
        ids = set(ids_col)  # every id a string: the same set as _item_ids
        unique_ids = len(ids) == len(ids_col)
    else:
        ids, unique_ids = _item_ids(items), False
    known = _Known(metric_keys, people_keys, ids, team_keys)
    out.extend(_couplings(metrics, known))
    out.extend(_teams(teams, known))
    if isinstance(people, dict) and metric_keys is not None:
        for key, person in people.items():
            cares = person.get("cares_about") if isinstance(person, dict) else None
            for m in cares if isinstance(cares, (list, dict)) else []:
                if isinstance(m, str) and m not in metric_keys:
                    out.append((("stakeholders", key, "cares_about"), known.metrics.unknown(m)))

    if not unique_ids:
        out.extend(_duplicate_ids(items))
    if cols is None or any(cols["source"]):  # else no item has a source
        out.extend(_duplicate_sources(items))
    clean = _CleanRefs(known)
    if cols is None or not clean.all(cols):
        for i, it in enumerate(items):
            if not isinstance(it, dict) or clean(it):
                continue
            out.extend(_item_refs(i, it, known))
    # A duplicate id is reported above; the cycles follow the first item of each id.
    deps: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    if cols is not None and ids_col is not None and unique_ids and _string_lists(cols["depends_on"]):
        deps = dict(zip(ids_col, cols["depends_on"], strict=True))  # the loop below, without copies
        first = dict(zip(ids_col, range(len(ids_col)), strict=True))
    else:
        for i, it in enumerate(items):
            if isinstance(it, dict) and isinstance(it.get("id"), str) and it["id"] not in deps:
                deps[it["id"]] = _strings(it.get("depends_on"))
                first[it["id"]] = i
    for cycle in cycles(deps):
        out.append((("items", first[cycle[0]], "depends_on"), "dependency cycle: " + " -> ".join(cycle)))
    out.extend(_formula(doc, metric_keys or [], items))
    return out


#: The keys of an item the cross-checks read.
_COLUMNS = ("id", "requested_by", "impact", "evidence", "depends_on", "excludes", "team", "fields", "source")


#: An item's values of :data:`_COLUMNS`, in one call (KeyError when one is missing).
_COLUMN_VALUES = operator.itemgetter(*_COLUMNS)


def _columns(items: Sequence[Any]) -> dict[str, list[Any]] | None:
    """Each key of :data:`_COLUMNS` -> its value in every item (None where missing), read in C;
    None when an item is not a table. The checks of a whole column (:meth:`_CleanRefs.all`) spare
    a loop in Python per item where a big file has nothing wrong. Each item is read once when it
    has every key (a valid item's model does), else once per key."""
    if not all(map(isinstance, items, repeat(dict))):
        return None
    try:
        rows = list(map(_COLUMN_VALUES, items))
    except KeyError:  # a raw item without some key
        return {key: list(map(dict.get, items, repeat(key))) for key in _COLUMNS}
    if not rows:
        return {key: [] for key in _COLUMNS}
    return dict(zip(_COLUMNS, map(list, zip(*rows, strict=True)), strict=True))


def _string_lists(values: list[Any]) -> bool:
    """Every value a list of strings (what :func:`_strings` keeps whole)."""
    return all(map(isinstance, values, repeat(list))) and all(
        map(isinstance, chain.from_iterable(values), repeat(str))
    )


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _item_ids(items: Sequence[Any]) -> set[str]:
    ids = set()
    for it in items:
        iid = it.get("id") if isinstance(it, dict) else None
        # A number where the id should be is reported by the model; count it as known here.
        if isinstance(iid, (str, int)) and not isinstance(iid, bool):
            ids.add(str(iid))
    return ids


def _duplicate_ids(items: Sequence[Any]) -> Iterable[tuple[Loc, str]]:
    seen: dict[str, int] = {}
    for i, it in enumerate(items):
        iid = it.get("id") if isinstance(it, dict) else None
        if isinstance(iid, str):
            if iid in seen:
                first = f"the {ordinal(seen[iid] + 1)} [[items]]"
                yield ("items", i, "id"), f"duplicate id {iid!r}: {first} has it already"
            else:
                seen[iid] = i


def _item_refs(i: int, it: dict[str, Any], known: _Known) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    own_id = it.get("id")
    who = it.get("requested_by")
    if known.people_keys is not None and isinstance(who, list):
        for j, key in enumerate(who):
            if isinstance(key, str) and key not in known.people_keys:
                out.append((("items", i, "requested_by", j), known.people.unknown(key)))
    if known.metric_keys is not None:
        impact = it.get("impact")
        for m in impact if isinstance(impact, dict) else []:
            if m not in known.metric_keys:
                out.append((("items", i, "impact", m), known.metrics.unknown(m)))
        evidence = it.get("evidence")
        for m in evidence if isinstance(evidence, dict) else []:
            if m not in known.metric_keys and m != "effort":
                out.append((("items", i, "evidence", m), known.evidence.unknown(m)))
    deps = it.get("depends_on")
    for j, dep in enumerate(deps if isinstance(deps, list) else []):
        if not isinstance(dep, str):
            continue
        if dep == own_id:
            out.append((("items", i, "depends_on", j), "an item cannot depend on itself"))
        elif dep not in known.ids:
            out.append((("items", i, "depends_on", j), known.items.unknown(dep)))
    excludes = it.get("excludes")
    for j, other in enumerate(excludes if isinstance(excludes, list) else []):
        if not isinstance(other, str):
            continue
        if other == own_id:
            out.append((("items", i, "excludes", j), "an item cannot exclude itself"))
        elif other not in known.ids:
            out.append((("items", i, "excludes", j), known.items.unknown(other)))
    team = it.get("team")
    if isinstance(team, str) and known.team_keys is not None and team not in known.team_keys:
        out.append((("items", i, "team"), known.teams.unknown(team)))
    fields = it.get("fields")
    clash = set(fields if isinstance(fields, dict) else ()) & (
        set(known.metric_keys or ()) | FORMULA_BUILTINS
    )
    for key in sorted(clash):
        what = "a built-in name of formulas" if key in FORMULA_BUILTINS else "a metric key"
        out.append((("items", i, "fields", key), f"field {key!r} repeats {what}; rename it"))
    return out


class _CleanRefs:
    """Whether :func:`_item_refs` finds nothing in an item, by set operations in C: most items of
    a big file name only known keys, and only the others are read entry by entry (in order, for
    the messages). True only when :func:`_item_refs` returns no problem; False may be wrong."""

    def __init__(self, known: _Known) -> None:
        no_keys: set[str] = set()
        self.people = set(known.people_keys) if known.people_keys is not None else None
        self.metrics = set(known.metric_keys) if known.metric_keys is not None else None
        self.evidence = (self.metrics or no_keys) | {"effort"}
        self.ids = known.ids
        self.teams = known.team_keys
        self.not_fields = set(known.metric_keys or ()) | FORMULA_BUILTINS

    def all(self, cols: dict[str, list[Any]]) -> bool:
        """Whether no item has a problem :func:`_item_refs` finds, from the union of each kind of
        reference of every item (see :func:`_columns`). True only when each item is clean; a
        missing key or an odd value answers False (each item is then read on its own)."""
        try:
            ids, who = cols["id"], cols["requested_by"]
            if self.people is not None and not self.people.issuperset(chain.from_iterable(who)):
                return False
            if self.metrics is not None:
                if not self.metrics.issuperset(chain.from_iterable(cols["impact"])):
                    return False
                if not self.evidence.issuperset(chain.from_iterable(cols["evidence"])):
                    return False
            for refs in (cols["depends_on"], cols["excludes"]):
                if not self.ids.issuperset(chain.from_iterable(refs)):
                    return False
                if any(map(operator.contains, refs, ids)):  # an item naming itself
                    return False
            teams = set(cols["team"])
            teams.discard(None)
            if teams and self.teams is not None and not teams.issubset(self.teams):
                return False
            return self.not_fields.isdisjoint(chain.from_iterable(cols["fields"]))
        except TypeError:  # a missing key (None), a number where a list should be, an unhashable entry
            return False

    def __call__(self, it: dict[str, Any]) -> bool:
        get = it.get
        try:
            who = get("requested_by")
            if self.people is not None and isinstance(who, list) and not self.people.issuperset(who):
                return False
            if self.metrics is not None:
                impact, evidence = get("impact"), get("evidence")
                if isinstance(impact, dict) and not self.metrics.issuperset(impact):
                    return False
                if isinstance(evidence, dict) and not self.evidence.issuperset(evidence):
                    return False
            own_id = get("id")
            for refs in (get("depends_on"), get("excludes")):
                if isinstance(refs, list) and refs and (own_id in refs or not self.ids.issuperset(refs)):
                    return False
            team = get("team")
            if isinstance(team, str) and self.teams is not None and team not in self.teams:
                return False
            fields = get("fields")
            return not (isinstance(fields, dict) and fields and not self.not_fields.isdisjoint(fields))
        except TypeError:  # an unhashable entry (a broken file): read it entry by entry
            return False


def _couplings(metrics: Any, known: _Known) -> list[tuple[Loc, str]]:
    """``drives`` targets are known metrics, and the couplings form no cycle."""
    if not isinstance(metrics, dict):
        return []
    out: list[tuple[Loc, str]] = []
    graph: dict[str, list[str]] = {}
    for key, metric in metrics.items():
        drives = metric.get("drives") if isinstance(metric, dict) else None
        if not isinstance(drives, dict):
            continue
        graph[key] = []
        for target in drives:
            if target == key:
                out.append((("metrics", key, "drives", target), f"metric {key!r} cannot drive itself"))
            elif target not in metrics:
                out.append((("metrics", key, "drives", target), known.metrics.unknown(target)))
            else:
                graph[key].append(target)
    for cycle in cycles(graph):
        out.append((("metrics", cycle[0], "drives"), "coupling cycle: " + " -> ".join(cycle)))
    return out


def _teams(teams: Any, known: _Known) -> list[tuple[Loc, str]]:
    """A team's lead is a stakeholder; "you" names your own pool, so no team may take it."""
    if not isinstance(teams, dict):
        return []
    out: list[tuple[Loc, str]] = []
    for key, team in teams.items():
        if key == "you":
            out.append(
                (("teams", key), 'team key "you" is taken by your own capacity ([capacity]); rename the team')
            )
        lead = team.get("lead") if isinstance(team, dict) else None
        if isinstance(lead, str) and known.people_keys is not None and lead not in known.people_keys:
            out.append((("teams", key, "lead"), known.people.unknown(lead)))
    return out


def _duplicate_sources(items: Sequence[Any]) -> Iterable[tuple[Loc, str]]:
    """``source.key`` is unique per system: one tracker issue is one item."""
    seen: dict[tuple[str, str], int] = {}
    for i, it in enumerate(items):
        src = it.get("source") if isinstance(it, dict) else None
        if not isinstance(src, dict):
            continue
        system, key = src.get("system"), src.get("key")
        if not (isinstance(system, str) and isinstance(key, str)):
            continue
        if (system, key) in seen:
            first = f"the {ordinal(seen[system, key] + 1)} [[items]]"
            msg = f"{system} issue {key!r} is imported twice: {first} has it already"
            yield ("items", i, "source", "key"), msg
        else:
            seen[system, key] = i


def _formula(doc: Mapping[str, Any], metric_keys: list[str], items: Sequence[Any]) -> list[tuple[Loc, str]]:
    """Checked at load time so an unknown name is named with its line, not found item by item."""
    scoring = doc.get("scoring")
    if not isinstance(scoring, dict) or scoring.get("method") != "formula":
        return []
    formula = scoring.get("formula")
    if not isinstance(formula, str) or not formula.strip():
        return []
    from fulcrum.formula import FormulaError, compile_formula

    names = {*FORMULA_BUILTINS, *metric_keys}
    for it in items:
        fields = it.get("fields") if isinstance(it, dict) else None
        if isinstance(fields, dict):
            names.update(k for k in fields if isinstance(k, str))
    try:
        compile_formula(formula, names)
    except FormulaError as exc:
        return [(("scoring", "formula"), f"formula {quoted(formula)}: {exc}")]
    return []


class _Known:
    """The names a reference may use, each kind with its own did-you-mean index (built when first
    needed: a file without dangling references builds none)."""

    def __init__(
        self,
        metric_keys: list[str] | None,
        people_keys: list[str] | None,
        ids: set[str],
        team_keys: list[str] | None = None,
    ) -> None:
        self.metric_keys = metric_keys
        self.people_keys = people_keys
        self.ids = ids
        self.team_keys = team_keys
        self._hints: dict[str, CloseMatches] = {}

    def _get(self, key: str, kind: str, names: Callable[[], Sequence[str]]) -> CloseMatches:
        if key not in self._hints:
            self._hints[key] = CloseMatches(kind, names())
        return self._hints[key]

    @property
    def metrics(self) -> CloseMatches:
        return self._get("metrics", "metric", lambda: self.metric_keys or [])

    @property
    def evidence(self) -> CloseMatches:
        """Evidence may also be about the effort."""
        return self._get("evidence", "metric", lambda: [*(self.metric_keys or []), "effort"])

    @property
    def people(self) -> CloseMatches:
        return self._get("people", "stakeholder", lambda: self.people_keys or [])

    @property
    def teams(self) -> CloseMatches:
        return self._get("teams", "team", lambda: self.team_keys or [])

    @property
    def items(self) -> CloseMatches:
        return self._get("items", "item", lambda: sorted(self.ids))


class CloseMatches:
    """ "unknown item 'itme-7'; did you mean 'item-7'?" for any number of names, in linear time.

    A short list of known names (at most :attr:`SMALL`) is searched as :func:`difflib.get_close_matches`
    does (the best ratio of at least 0.6). A long one (10,000 item ids) would cost a full difflib scan
    per name, so it gets an index of its n-grams (bigrams for short names, trigrams for longer ones):
    a name is compared with difflib only against the few known names that share its rarest n-grams.
    Each distinct name is looked up once.
    """

    SMALL = 500
    #: Known names compared with difflib per name, chosen by how many n-grams they share with it.
    SHORTLIST = 3
    #: Entries of the n-gram lists read per name (the rarest n-grams first), at least one list.
    BUDGET = 300
    CUTOFF = 0.6

    def __init__(self, kind: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.known = list(known)
        self._memo: dict[str, str | None] = {}
        self._grams: dict[int, dict[str, list[int]]] = {}

    def unknown(self, key: str) -> str:
        """The message for a reference to ``key``, which is not a known name."""
        msg = f"unknown {self.kind} {key!r}"
        hint = self.best(key)
        if hint is not None:
            return msg + f"; did you mean {hint!r}?"
        if self.known:
            shown = ", ".join(self.known[:12]) + (", ..." if len(self.known) > 12 else "")
            return msg + f" (known: {shown})"
        return msg + f" (there are no {self.kind}s defined)"

    def best(self, key: str) -> str | None:
        """The closest known name (a difflib ratio of at least 0.6), or None."""
        if key not in self._memo:
            pool = self.known if len(self.known) <= self.SMALL else self._shortlist(key)
            hits = difflib.get_close_matches(key, pool, n=1, cutoff=self.CUTOFF)
            self._memo[key] = hits[0] if hits else None
        return self._memo[key]

    def _shortlist(self, key: str) -> list[str]:
        size = 3 if len(key) >= 5 else 2
        grams = self._grams.get(size)
        if grams is None:  # one index per n-gram size, built when a name first needs it
            grams = self._grams[size] = {}
            for i, name in enumerate(self.known):
                for gram in set(_ngrams(name, size)):
                    if gram in grams:
                        grams[gram].append(i)
                    else:
                        grams[gram] = [i]
        lists = sorted((grams.get(g, []) for g in set(_ngrams(key, size))), key=len)
        shared: Counter[int] = Counter()
        budget = self.BUDGET
        for n, entries in enumerate(lists):
            if n and len(entries) > budget:
                break
            shared.update(entries)
            budget -= len(entries)
        return [self.known[i] for i, _ in shared.most_common(self.SHORTLIST)]


def _ngrams(name: str, n: int) -> list[str]:
    padded = f"\x00{name}\x00"
    return [padded[i : i + n] for i in range(len(padded) - n + 1)]


def cycles(deps: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Each dependency cycle once, closed (``[a, b, a]``), starting from its first node in ``deps`` order.

    Self-dependencies are left out (reported on their own). Iterative, so a long chain cannot
    exhaust the stack. Only an item that depends on another can be in a cycle, and only through
    such items: the walk reads those alone (a big file's items mostly depend on nothing).
    """
    depending = {n: ds for n, ds in deps.items() if ds}
    children = {n: [c for c in ds if c in depending and c != n] for n, ds in depending.items()}
    color: dict[str, int] = {}  # 1 on the path, 2 done; a node that depends on nothing is done
    found: list[list[str]] = []
    order: dict[str, int] | None = None  # each node's place in deps, read when a cycle is found
    for start in children:
        if color.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                color[node] = 1
                path.append(node)
            kids = children[node]
            if idx < len(kids):
                stack.append((node, idx + 1))
                child = kids[idx]
                if color.get(child) == 1:
                    if order is None:
                        order = dict(zip(deps, range(len(deps)), strict=True))
                    cyc = path[path.index(child) :]
                    k = min(range(len(cyc)), key=lambda n: order[cyc[n]])
                    cyc = cyc[k:] + cyc[:k]
                    found.append([*cyc, cyc[0]])
                elif not color.get(child):
                    stack.append((child, 0))
            else:
                color[node] = 2
                path.pop()
    return found
