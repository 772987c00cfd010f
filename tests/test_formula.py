"""The safe formula evaluator: what it computes, what it refuses, and that it always answers."""

from __future__ import annotations

import ast
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fulcrum import formula as formula_mod
from fulcrum.backlog import BacklogError, parse_backlog
from fulcrum.formula import MAX_LENGTH, MAX_NODES, Formula, FormulaError, compile_formula

NAMES = {"value", "effort", "feasibility", "confidence", "reach", "revenue"}
ENV = {
    "value": 36000.0,
    "effort": 2.0,
    "feasibility": 0.5,
    "confidence": 0.8,
    "reach": 100.0,
    "revenue": -4.0,
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("value * confidence / effort", 36000 * 0.8 / 2),
        ("value - effort + 1", 36000 - 2 + 1),
        ("-revenue", 4.0),
        ("+revenue", -4.0),
        ("effort ** 3", 8.0),
        ("2 ** -1", 0.5),
        ("value > 1000", 1.0),
        ("value < 1000", 0.0),
        ("1 < effort <= 2", 1.0),  # chained, as in Python
        ("effort == 2", 1.0),
        ("effort != 2", 0.0),
        ("min(value, 10, reach)", 10.0),
        ("max(value, reach)", 36000.0),
        ("abs(revenue)", 4.0),
        ("sqrt(reach)", 10.0),
        ("log(reach)", math.log(100)),
        ("log(reach, 10)", 2.0),
        ("(min)(1, 2)", 1.0),
        ("value * (feasibility >= 0.5)", 36000.0),
        ("1_000 + 0.5e1", 1005.0),
    ],
)
def test_evaluates_arithmetic_in_floats(expr: str, expected: float) -> None:
    f = compile_formula(expr, NAMES)
    assert math.isclose(f.evaluate(ENV), expected)
    assert isinstance(f.evaluate(ENV), float)


def test_names_lists_the_variables_used() -> None:
    assert compile_formula("value * confidence / effort + 1", NAMES).names == {
        "value",
        "confidence",
        "effort",
    }


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("().__class__", "attribute access"),
        ("value.real", "attribute access"),
        ("lambda: 1", "lambda"),
        ("[x for x in value]", "comprehensions"),
        ("(x for x in value)", "comprehensions"),
        ("9**9**9", "exponent"),
        ("10**400", "exponent"),
        # A constant exponent out of bounds is refused when compiled, not n/a for every item.
        ("value ** 1e10", "exponent 1e+10 is too large; the limit in a ** b is 100"),
        ("value ** max(150, 2)", "exponent 150 is too large"),
        ("value ** (1/0)", "division by zero"),
        ("10.0**99 * 10.0**99 * 10.0**99 * 10.0**99", "overflow"),
        ("1e400", "too large"),
        ("9" * 400, "too large"),
        ("x" * 100_000, "too long"),
        ("(" * 250 + "1" + ")" * 250, "too many nested parentheses"),
        ("-(" * 45 + "1" + ")" * 45, "nested too deeply"),
        ("-" * 60 + "1", "nested too deeply"),
        ("1+" * 300 + "1", "too complex"),
        ("value[0]", "subscripts"),
        ("max(value, key=abs)", "keyword arguments"),
        ("f'{value}'", "f-strings"),
        ("(x := 1)", "':='"),
        ("valu * 2", "unknown name 'valu'; did you mean 'value'?"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("value % 2", "'%'"),
        ("value // 2", "'//'"),
        ("not value", "'not'"),
        ("value and effort", "'and' / 'or'"),
        ("1 if value else 2", "'if ... else'"),
        ("'text'", "text"),
        ("True", "True"),
        ("value in reach", "'is' / 'in'"),
        ("[1, 2]", "lists"),
        ("{1: 2}", "dicts"),
        ("min(*value)", "'*' unpacking"),
        ("min(value)", "min() takes 2 to 50 arguments"),
        ("sqrt(1, 2)", "sqrt() takes 1 argument, got 2"),
        ("min", "'min' is a function"),
        ("value(1)", "unknown function 'value'"),
        ("abs(value)(1)", "calling the result"),
        ("value +", "not a valid expression"),
        ("import os", "not a valid expression"),
        ("value = 1", "not a valid expression"),
        ("", "empty"),
        ("   ", "empty"),
        ("1/0", "division by zero"),
        ("sqrt(-1)", "sqrt of a negative"),
        ("log(0)", "log of zero"),
        ("(-8) ** (1/3)", "not a real number"),
        ("0 ** -1", "division by zero"),
        ("a\x00b", "not a valid expression"),
    ],
)
def test_refuses_with_a_clear_message(expr: str, message: str) -> None:
    with pytest.raises(FormulaError) as err:
        compile_formula(expr, NAMES)
    assert message in str(err.value)


def test_parentheses_within_the_cap_are_fine() -> None:
    assert compile_formula("(" * 100 + "value" + ")" * 100, NAMES).evaluate(ENV) == 36000.0


def test_overlong_input_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(formula_mod.ast, "parse", boom)
    with pytest.raises(FormulaError, match="too long"):
        compile_formula("1+" * 50_000 + "1", NAMES)


@pytest.mark.parametrize(
    ("expr", "env", "message"),
    [
        ("value / effort", {"value": 1.0, "effort": 0.0}, "division by zero"),
        ("log(value)", {"value": -1.0}, "log of zero or a negative number"),
        ("sqrt(value)", {"value": -4.0}, "sqrt of a negative number"),
        ("value ** effort", {"value": 10.0, "effort": 101.0}, "exponent 101 is too large"),
        ("value ** effort", {"value": 1e300, "effort": 2.0}, "overflow"),
        ("value * effort", {"value": 1e300, "effort": 1e300}, "overflow"),
        ("reach * 2", {"value": 1.0}, "this item has no field 'reach'"),
        ("log(value, effort)", {"value": 2.0, "effort": 1.0}, "log of the base is 0"),
    ],
)
def test_evaluation_errors_are_formula_errors(expr: str, env: dict[str, float], message: str) -> None:
    f = compile_formula(expr, NAMES)
    with pytest.raises(FormulaError, match=message):
        f.evaluate(env)


def test_substitute_shows_the_numbers() -> None:
    f = compile_formula("value * confidence / effort", NAMES)
    assert f.substitute(ENV) == "36000.0 * 0.8 / 2.0"
    assert f.substitute(ENV, lambda x: f"{x:g}") == "36000 * 0.8 / 2"
    assert f.evaluate(ENV) == 14400.0  # substitution leaves the compiled formula alone


def test_formula_is_never_evaluated_by_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_compile = builtins.compile

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec called")

    def ast_only(
        source: str, filename: str, mode: str, flags: int = 0, *args: object, **kw: object
    ) -> object:
        assert flags & ast.PyCF_ONLY_AST, "compiled to bytecode"  # ast.parse is the only compile allowed
        return real_compile(source, filename, mode, flags, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(builtins, "compile", ast_only)
    assert compile_formula("max(value, 1) / effort", NAMES).evaluate(ENV) == 18000.0


# --- load-time check ----------------------------------------------------------------------------

BACKLOG = """\
[backlog]
title = "t"

[scoring]
method = "formula"
formula = "{formula}"

[metrics.revenue]
label = "Revenue"
value_per_unit = 1

[[items]]
id = "a"
title = "A"
effort = 1
fields = {{ reach = 3 }}
"""


def test_unknown_name_in_the_file_formula_is_a_load_error_with_its_line() -> None:
    with pytest.raises(BacklogError) as err:
        parse_backlog(BACKLOG.format(formula="valeu * reech"), "b.toml")
    (p,) = err.value.problems
    assert (p.file, p.line, p.field) == ("b.toml", 6, "scoring.formula")
    assert "unknown name 'valeu'" in p.message
    assert "did you mean 'value'?" in p.message


def test_a_known_formula_loads_and_field_names_count_as_known() -> None:
    b = parse_backlog(BACKLOG.format(formula="value * reach + revenue"))
    assert b.scoring.formula == "value * reach + revenue"


def test_formula_checked_only_when_it_is_the_method() -> None:
    text = BACKLOG.format(formula="nonsense").replace('method = "formula"', 'method = "value_density"')
    assert parse_backlog(text).scoring.method == "value_density"


# --- properties: any input gives a number or a FormulaError --------------------------------------

TOKENS = [*sorted(NAMES), "min", "max", "abs", "log", "sqrt", "0", "1", "2.5", "1e308", "100", "-", "+", "*"]
TOKENS += ["/", "**", "(", ")", ",", "<", "<=", "==", " ", "x", "9**9", ".", "[", "]", "lambda", ":", "_"]


def _bounded(f: Formula) -> None:
    """What makes evaluation constant-time: a small tree, bounded depth and exponents, floats only."""
    tree = ast.parse(f.source.strip(), mode="eval")
    assert len(f.source) <= MAX_LENGTH
    assert sum(1 for _ in ast.walk(tree)) <= MAX_NODES
    for node in ast.walk(tree):
        assert not isinstance(node, (ast.Attribute, ast.Subscript, ast.Lambda, ast.comprehension))


def _answers(expr: str) -> None:
    try:
        f = compile_formula(expr, NAMES)
    except FormulaError as exc:
        assert str(exc)
        return
    _bounded(f)
    try:
        x = f.evaluate(ENV)
    except FormulaError as exc:
        assert str(exc)
        return
    assert isinstance(x, float)
    assert math.isfinite(x)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_number_or_a_formula_error(expr: str) -> None:
    _answers(expr)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_any_token_soup_gives_a_number_or_a_formula_error(expr: str) -> None:
    _answers(expr)


expressions = st.recursive(
    st.one_of(st.sampled_from(sorted(NAMES)), st.floats(-1e6, 1e6, allow_nan=False).map(repr)),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**", "<", ">=", "=="]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["abs", "sqrt", "log"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        inner.map(lambda e: f"-{e}"),
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(expressions)
def test_any_generated_expression_gives_a_number_or_a_formula_error(expr: str) -> None:
    _answers(expr)


def test_a_key_with_a_dash_is_never_suggested_and_the_message_says_why() -> None:
    with pytest.raises(FormulaError) as err:
        compile_formula("cloud-cost / effort", {"cloud-cost", "effort", "value"})
    message = str(err.value)
    assert "did you mean 'cloud-cost'" not in message
    assert "'cloud-cost' cannot be named in a formula" in message
