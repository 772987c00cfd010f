"""A safe evaluator for user score formulas: arithmetic over named numbers, nothing else.

The text is parsed with :func:`ast.parse` (``mode="eval"``) after a length cap, then every node
is checked against a short allow-list and compiled into plain Python closures. Nothing the user
wrote is ever passed to ``eval``, ``exec`` or ``compile``. Work is bounded by construction: the
text, the node count and the nesting depth are capped, every number is a float (so ``**`` is
constant-time) and exponents are bounded, so any input is refused or evaluated in a few
microseconds.
"""

from __future__ import annotations

import ast
import difflib
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

#: Longest formula text accepted (the file format caps it at 500).
MAX_LENGTH = 1000
#: Most AST nodes in one formula.
MAX_NODES = 250
#: Deepest nesting of operations.
MAX_DEPTH = 40
#: Largest magnitude of an exponent in ``a ** b``.
MAX_EXPONENT = 100.0
#: Names every formula knows, whatever the backlog: an item's value, effort, feasibility and
#: confidence. Metric keys and ``fields`` keys may not repeat them (they would shadow the built-in;
#: :mod:`fulcrum.backlog.model`, :mod:`fulcrum.backlog.cross_checks`).
FORMULA_BUILTINS = frozenset({"value", "effort", "feasibility", "confidence"})
#: Functions a formula may call, with the number of arguments each takes (min, max).
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 50),
    "max": (2, 50),
    "abs": (1, 1),
    "log": (1, 2),
    "sqrt": (1, 1),
}

Env = Mapping[str, float]
_Fn = Callable[[Env], float]


class FormulaError(ValueError):
    """A formula is refused (at compile time) or cannot be evaluated for one item."""


_REFUSED: dict[type, str] = {
    ast.Attribute: "attribute access ('.name')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.NamedExpr: "assignment (':=')",
    ast.BoolOp: "'and' / 'or' (use min, max or * instead)",
    ast.IfExp: "'if ... else' (use a comparison, which gives 1 or 0)",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "'*' unpacking",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}
_BINOPS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_COMPARE: dict[type, Callable[[float, float], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


@dataclass(frozen=True)
class Formula:
    """A compiled formula. ``names`` are the variables it reads (each must be in the env)."""

    source: str
    names: frozenset[str]
    _fn: _Fn = field(repr=False, compare=False)
    _tree: ast.expr = field(repr=False, compare=False)

    def evaluate(self, env: Env) -> float:
        """The formula's value for one item; FormulaError for a missing name or a math error."""
        try:
            result = self._fn(env)
        except KeyError as exc:
            raise FormulaError(f"this item has no field {exc.args[0]!r}") from None
        except ZeroDivisionError:
            raise FormulaError("division by zero") from None
        except OverflowError:
            raise FormulaError("a number got too large (overflow)") from None
        return _finite(result)

    def substitute(self, env: Env, show: Callable[[float], str] = repr) -> str:
        """The formula with each name replaced by its value from ``env``, e.g. ``36000 / 1``."""

        class Put(ast.NodeTransformer):
            def visit_Name(self, node: ast.Name) -> ast.Name:
                return ast.Name(id=show(env[node.id]) if node.id in env else node.id)

        return ast.unparse(Put().visit(_copy(self._tree)))


def compile_formula(expr: str, names: Iterable[str]) -> Formula:
    """Check ``expr`` against the allow-list and compile it; FormulaError says what is refused."""
    if not isinstance(expr, str):
        raise FormulaError("a formula must be text")
    if len(expr) > MAX_LENGTH:
        raise FormulaError(f"the formula is too long: {len(expr):,} characters; the limit is {MAX_LENGTH:,}")
    if not expr.strip():
        raise FormulaError("the formula is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. SyntaxWarning for "1 is 1": we refuse it anyway
            tree = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise FormulaError(f"not a valid expression{where}: {exc.msg}") from None
    except (ValueError, MemoryError, RecursionError, OverflowError) as exc:
        raise FormulaError(f"not a valid expression: {exc}") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(f"the formula is too complex: {count:,} parts; the limit is {MAX_NODES}")
    compiler = _Compiler(frozenset(names))
    fn = compiler.compile(tree, 0)
    formula = Formula(expr, frozenset(compiler.used), fn, tree)
    if not compiler.used:  # a constant: evaluate now, so 10**400 or 1/0 fails at load time
        formula.evaluate({})
    return formula


class _Compiler:
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.used: set[str] = set()

    def compile(self, node: ast.expr, depth: int) -> _Fn:
        if depth > MAX_DEPTH:
            raise FormulaError(f"the formula is nested too deeply; the limit is {MAX_DEPTH} levels")
        d = depth + 1
        if isinstance(node, ast.Constant):
            return self._constant(node.value)
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.compile(node.operand, d)
            if isinstance(node.op, ast.USub):
                return lambda env: -inner(env)
            return inner
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = self.compile(node.left, d), self.compile(node.right, d)
            if isinstance(node.op, ast.Pow) and _is_constant(node.right):
                # A constant exponent out of bounds is refused now, as 10**400 is, not n/a per item.
                _power(1.0, Formula("", frozenset(), right, node.right).evaluate({}))
            return _binop(type(node.op), left, right)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            parts = [self.compile(node.left, d)] + [self.compile(c, d) for c in node.comparators]
            return _compare([_COMPARE[type(op)] for op in node.ops], parts)
        if isinstance(node, ast.Call):
            return self._call(node, d)
        raise FormulaError(f"a formula may not use {_describe(node)}")

    def _constant(self, value: object) -> _Fn:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            what = "text" if isinstance(value, (str, bytes)) else repr(value)
            raise FormulaError(f"a formula may not use {what}: only numbers, names and min max abs log sqrt")
        try:
            x = float(value)
        except OverflowError:
            raise FormulaError("a number in the formula is too large") from None
        if not math.isfinite(x):
            raise FormulaError("a number in the formula is too large")
        return lambda env: x

    def _name(self, name: str) -> _Fn:
        if name not in self.names:
            if name in FUNCTIONS:
                raise FormulaError(f"{name!r} is a function: call it, e.g. {name}(x)")
            raise FormulaError(_unknown(f"unknown name {name!r}", name, self.names))
        self.used.add(name)
        return lambda env: float(env[name])

    def _call(self, node: ast.Call, depth: int) -> _Fn:
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"a formula may not use {_describe(node.func)} as a function")
        name = node.func.id
        if name not in FUNCTIONS:
            raise FormulaError(_unknown(f"unknown function {name!r}", name, FUNCTIONS))
        if node.keywords:
            raise FormulaError(f"a formula may not use keyword arguments ({name}(...))")
        args = [self.compile(a, depth) for a in node.args]
        lo, hi = FUNCTIONS[name]
        if not lo <= len(args) <= hi:
            n = f"{lo}" if lo == hi else f"{lo} to {hi}"
            raise FormulaError(f"{name}() takes {n} argument{'s' if hi > 1 else ''}, got {len(args)}")
        if name == "min":
            return lambda env: min(a(env) for a in args)
        if name == "max":
            return lambda env: max(a(env) for a in args)
        if name == "abs":
            return lambda env: abs(args[0](env))
        if name == "sqrt":
            return lambda env: _sqrt(args[0](env))
        if len(args) == 2:
            return lambda env: _log(args[0](env)) / _nonzero(_log(args[1](env)), "log of the base is 0")
        return lambda env: _log(args[0](env))


def _is_constant(node: ast.expr) -> bool:
    """True when ``node`` names nothing but functions: its value is the same for every item."""
    return all(n.id in FUNCTIONS for n in ast.walk(node) if isinstance(n, ast.Name))


def _binop(op: type, a: _Fn, b: _Fn) -> _Fn:
    if op is ast.Add:
        return lambda env: _finite(a(env) + b(env))
    if op is ast.Sub:
        return lambda env: _finite(a(env) - b(env))
    if op is ast.Mult:
        return lambda env: _finite(a(env) * b(env))
    if op is ast.Div:
        return lambda env: _finite(a(env) / b(env))
    return lambda env: _power(a(env), b(env))


def _compare(ops: list[Callable[[float, float], bool]], parts: list[_Fn]) -> _Fn:
    def run(env: Env) -> float:
        values = [p(env) for p in parts]
        ok = all(op(values[i], values[i + 1]) for i, op in enumerate(ops))
        return 1.0 if ok else 0.0

    return run


def _power(base: float, exp: float) -> float:
    if abs(exp) > MAX_EXPONENT:
        raise FormulaError(f"exponent {exp:g} is too large; the limit in a ** b is {MAX_EXPONENT:g}")
    try:
        return _finite(math.pow(base, exp))
    except ValueError:
        if base == 0:
            raise FormulaError("0 raised to a negative power (division by zero)") from None
        raise FormulaError(f"({base:g}) ** {exp:g} is not a real number") from None


def _sqrt(x: float) -> float:
    if x < 0:
        raise FormulaError(f"sqrt of a negative number ({x:g})")
    return math.sqrt(x)


def _log(x: float) -> float:
    if x <= 0:
        raise FormulaError(f"log of zero or a negative number ({x:g})")
    return math.log(x)


def _nonzero(x: float, message: str) -> float:
    if x == 0:
        raise FormulaError(message)
    return x


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise FormulaError("a number got too large (overflow)")
    return x


def _describe(node: ast.AST) -> str:
    for typ, text in _REFUSED.items():
        if isinstance(node, typ):
            return text
    if isinstance(node, ast.BinOp):
        return f"the operator {_OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)!r}"
    if isinstance(node, ast.UnaryOp):
        return f"the operator {_OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)!r}"
    if isinstance(node, ast.Compare):
        return "'is' / 'in' comparisons"
    if isinstance(node, ast.Call):
        return "calling the result of an expression"
    return type(node).__name__


_OPERATOR_TEXT: dict[type, str] = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Not: "not",
    ast.Invert: "~",
}


def _unknown(message: str, name: str, known: Iterable[str]) -> str:
    # A key such as "cloud-cost" cannot be written in a formula ("cloud - cost"): never suggest it.
    options = sorted(k for k in known if k.isidentifier())
    hint = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if hint:
        return f"{message}; did you mean {hint[0]!r}?"
    unusable = sorted(k for k in known if not k.isidentifier() and k.startswith(name))
    if unusable:
        return (
            f"{message}; {unusable[0]!r} cannot be named in a formula (a '-' or '.' reads as "
            "an operator): rename the key with letters, digits and '_' only"
        )
    shown = ", ".join(options[:20]) + (", ..." if len(options) > 20 else "")
    return f"{message}; known: {shown}" if options else message


def _copy(tree: ast.expr) -> ast.expr:
    """A deep copy of a (small, capped) tree, so substitution never touches the compiled one."""
    return ast.parse(ast.unparse(tree), mode="eval").body
