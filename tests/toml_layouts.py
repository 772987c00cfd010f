"""Random valid backlog files in every layout TOML allows for an item, for the save properties.

Each item's maps (``impact``, ``evidence``, ``fields``) and its ``effort`` range are written one of
several ways: an inline table, dotted keys inside the ``[[items]]`` block, an ``[items.NAME]``
sub-table right below the block, or one written *far* from it (after other tables, where TOML still
gives it to the last ``[[items]]``); an impact's range may be its own ``[items.impact.KEY]`` table or
dotted ``KEY.low = ...`` keys. Keys come in random order with random comments and blank lines. The
whole file may also be written as ``items = [ {...}, ... ]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import tomlkit
from hypothesis import strategies as st

METRICS = ("revenue", "mau", "infra")
PEOPLE = ("cfo", "pm")
#: Plain text for the file as first written (the edits use every character).
_PLAIN = st.text(st.sampled_from(list("abc XYZ-#[]{}=.'\"\\é✓")), max_size=12)
MAP_STYLES = ("inline", "dotted", "sub", "far")


def _s(text: str) -> str:
    return tomlkit.string(text).as_string()


def _num(draw: st.DrawFn, low: float, high: float) -> float:
    x: float = draw(st.one_of(st.integers(math.ceil(low), math.floor(high)), st.floats(low, high)))
    return x


def _n(x: float) -> str:
    if isinstance(x, float):
        return repr(x)
    return f"{x:_}" if abs(x) >= 10_000 and x % 2 else str(x)


def _estimate(draw: st.DrawFn, low: float, high: float) -> tuple[float, ...]:
    if draw(st.booleans()):
        return (_num(draw, low, high),)
    return tuple(sorted(_num(draw, low, high) for _ in range(3)))


def _inline_estimate(e: tuple[float, ...]) -> str:
    if len(e) == 1:
        return _n(e[0])
    return (
        "{ " + ", ".join(f"{k} = {_n(x)}" for k, x in zip(("low", "likely", "high"), e, strict=True)) + " }"
    )


@dataclass
class _Item:
    head: list[str] = field(default_factory=list)  # lines of the [[items]] block
    subs: list[str] = field(default_factory=list)  # sub-tables right below it
    far: list[str] = field(default_factory=list)  # sub-tables after other tables


def _comment(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(["", "", "", "  # note", " # [items.x] not a header"]))


def _lines(draw: st.DrawFn, lines: list[str]) -> list[str]:
    """The lines with random trailing comments, and comment or blank lines between them."""
    out = []
    for line in lines:
        extra = draw(st.sampled_from(["", "", "", "", "# a comment line", ""]))
        if extra:
            out.append(extra)
        out.append(line + (_comment(draw) if not line.endswith('"""') else ""))
    return out


def _table(header: str, lines: list[str], draw: st.DrawFn) -> str:
    above = draw(st.sampled_from(["", "", "# about this table\n"]))
    return above + header + _comment(draw) + "\n" + "".join(ln + "\n" for ln in _lines(draw, lines))


def _map_parts(
    draw: st.DrawFn, name: str, values: dict[str, tuple[float, ...] | str], it: _Item, style: str
) -> None:
    """Write ``name`` (impact, evidence, fields) in ``style`` into the item."""

    def val(v: tuple[float, ...] | str) -> str:
        return _s(v) if isinstance(v, str) else _inline_estimate(v)

    if style == "inline":
        body = ", ".join(f"{k} = {val(v)}" for k, v in values.items())
        it.head.append(f"{name} = {{ {body} }}" if body else f"{name} = {{}}")
        return
    if style == "dotted":
        for k, v in values.items():
            if isinstance(v, tuple) and len(v) == 3 and draw(st.booleans()):
                it.head += [
                    f"{name}.{k}.{p} = {_n(x)}" for p, x in zip(("low", "likely", "high"), v, strict=True)
                ]
            else:
                it.head.append(f"{name}.{k} = {val(v)}")
        return
    where = it.subs if style == "sub" else it.far
    own: list[str] = []
    apart: list[str] = []
    for k, v in values.items():
        if isinstance(v, tuple) and len(v) == 3 and name == "impact":
            how = draw(st.sampled_from(["inline", "dotted", "table"]))
            if how == "dotted":
                own += [f"{k}.{p} = {_n(x)}" for p, x in zip(("low", "likely", "high"), v, strict=True)]
                continue
            if how == "table":
                lines = [f"{p} = {_n(x)}" for p, x in zip(("low", "likely", "high"), v, strict=True)]
                apart.append(_table(f"[items.{name}.{k}]", lines, draw))
                continue
        own.append(f"{k} = {val(v)}")
    if own or not apart or draw(st.booleans()):
        where.append(_table(f"[items.{name}]", own, draw))
    where += apart


@st.composite
def backlog_texts(draw: st.DrawFn) -> str:
    """A valid backlog file in a random layout."""
    metrics = draw(st.lists(st.sampled_from(METRICS), min_size=1, max_size=3, unique=True))
    people = draw(st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True))
    floating = [
        _table(
            f"[metrics.{m}]", [f"label = {_s(m.title())}", f"value_per_unit = {_n(_num(draw, -5, 5))}"], draw
        )
        for m in metrics
    ]
    floating += [_table(f"[stakeholders.{p}]", [f'name = "{p.upper()}"'], draw) for p in people]
    floating.append(_table("[capacity]", ["days_30 = 2.0"], draw))
    floating = draw(st.permutations(floating))
    head = _table("[backlog]", ['title = "Random layout"'], draw)
    n = draw(st.integers(1, 4))
    ids = [f"i{k}" for k in range(n)]
    inline_array = draw(st.integers(0, 9)) == 0
    items: list[_Item] = []
    inline_items: list[str] = []
    for k, iid in enumerate(ids):
        keys = {"id": _s(iid), "title": _s(draw(_PLAIN.filter(lambda t: t.strip())) or "t")}
        optional = {
            "confidence": lambda: _n(draw(st.sampled_from([0, 0.5, 1, 0.25]))),
            "owner": lambda: _s(draw(_PLAIN)),
            "due": lambda: draw(st.dates(date(2020, 1, 1), date(2030, 1, 1))).isoformat(),
            "tags": lambda: "[" + ", ".join(_s(t) for t in draw(st.lists(_PLAIN, max_size=2))) + "]",
            "status": lambda: _s(draw(st.sampled_from(["idea", "planned", "deferred", "doing", "done"]))),
            "phase": lambda: str(draw(st.sampled_from([30, 60, 90]))),
            "decision": lambda: draw(st.sampled_from(['"one line"', '"""\nTwo\nlines."""', "'literal'"])),
            "requested_by": lambda: "[" + ", ".join(_s(p) for p in people[:1]) + "]",
            "depends_on": lambda k=k: f'["{ids[0]}"]' if k > 0 else "[]",
            "needs": lambda: '["sre"]',
        }
        for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=6)):
            keys[name] = optional[name]()
        effort = _estimate(draw, 0.5, 40)
        impact = {
            m: _estimate(draw, -1e6, 1e6) for m in draw(st.lists(st.sampled_from(metrics), unique=True))
        }
        evidence = {
            m: draw(_PLAIN) for m in draw(st.lists(st.sampled_from([*metrics, "effort"]), unique=True))
        }
        fields = {
            f: (_num(draw, 0, 100),) for f in draw(st.lists(st.sampled_from(["reach", "ease"]), unique=True))
        }
        if inline_array:
            parts = [f"{k2} = {v}" for k2, v in keys.items()] + [f"effort = {_inline_estimate(effort)}"]
            for name, values in (("impact", impact), ("evidence", evidence), ("fields", fields)):
                if values or draw(st.booleans()):
                    body = ", ".join(
                        f"{m} = {_s(v) if isinstance(v, str) else _inline_estimate(v)}"
                        for m, v in values.items()
                    )
                    parts.append(f"{name} = {{ {body} }}" if body else f"{name} = {{}}")
            inline_items.append("  { " + ", ".join(parts) + " }," + _comment(draw))
            continue
        it = _Item()
        plain = [f"{k2} = {v}" for k2, v in keys.items()]
        effort_style = (
            draw(st.sampled_from(["inline", "inline", "dotted", "sub", "far"]))
            if len(effort) == 3
            else "inline"
        )
        if effort_style == "inline":
            plain.append(f"effort = {_inline_estimate(effort)}")
        elif effort_style == "dotted":
            plain += [f"effort.{p} = {_n(x)}" for p, x in zip(("low", "likely", "high"), effort, strict=True)]
        else:
            lines = [f"{p} = {_n(x)}" for p, x in zip(("low", "likely", "high"), effort, strict=True)]
            (it.subs if effort_style == "sub" else it.far).append(_table("[items.effort]", lines, draw))
        order = draw(st.permutations(range(len(plain))))
        it.head = [plain[j] for j in order]
        for name, values in (("impact", impact), ("evidence", evidence), ("fields", fields)):
            if values or draw(st.integers(0, 4)) == 0:  # sometimes an empty table is written too
                _map_parts(draw, name, dict(values), it, draw(st.sampled_from(MAP_STYLES)))
        items.append(it)
    out = [head]
    if inline_array:
        out.insert(0, "items = [\n" + "\n".join(inline_items) + "\n]\n\n")
        out += floating
    else:
        for it in items:
            block = _table("[[items]]", it.head, draw)
            out.append(block + "".join(it.subs))
            if it.far:
                take = draw(st.integers(1, max(1, len(floating))))
                out += floating[:take]
                floating = floating[take:]
                out += it.far
            elif floating and draw(st.booleans()):
                out.append(floating.pop(0))
        out += floating
    sep = draw(st.sampled_from(["\n", "", "\n\n"]))
    text = sep.join(part if part.endswith("\n") else part + "\n" for part in out)
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", "\r\n")
    return text
