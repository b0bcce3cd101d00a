"""Safe arithmetic formulas over indicator codes.

The catalog defines derived indicators by formulas such as
``100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di``.  They come from data files
and from users, so they are never handed to ``eval``: a small tokenizer and
recursive-descent parser build a tree that is evaluated with Decimal.

Grammar::

    expr   := term (('+' | '-') term)*
    term   := factor (('*' | '/') factor)*
    factor := '-' factor | '+' factor | atom
    atom   := NUMBER | CODE | '(' expr ')'
    NUMBER := digits ['.' digits]
    CODE   := (letter | '_') (letter | digit | '_' | '.')*     -- not ending in '.'
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext

__all__ = [
    "BinaryOp",
    "Formula",
    "FormulaError",
    "Negate",
    "Node",
    "Number",
    "Reference",
    "check_formulas",
    "evaluate_all",
    "evaluation_order",
    "parse_formula",
]

# Enough nesting for any real formula; far below Python's recursion limit.
MAX_DEPTH = 100
# Division results are kept to this many significant digits.
PRECISION = 28


class FormulaError(ValueError):
    """A formula that cannot be parsed, or a set of formulas that cannot be ordered."""

    def __init__(self, message: str, *, text: str = "", position: int = -1, token: str = "") -> None:
        super().__init__(message)
        self.text = text
        self.position = position
        self.token = token


# -- syntax tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Reference:
    code: str


@dataclass(frozen=True)
class Negate:
    operand: Node


@dataclass(frozen=True)
class BinaryOp:
    op: str
    left: Node
    right: Node


Node = Number | Reference | Negate | BinaryOp

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def _codes(node: Node) -> Iterator[str]:
    if isinstance(node, Reference):
        yield node.code
    elif isinstance(node, Negate):
        yield from _codes(node.operand)
    elif isinstance(node, BinaryOp):
        yield from _codes(node.left)
        yield from _codes(node.right)


def _render(node: Node) -> str:
    if isinstance(node, Number):
        return format(node.value, "f")
    if isinstance(node, Reference):
        return node.code
    if isinstance(node, Negate):
        inner = _render(node.operand)
        # Parenthesise compound operands so "-(a + b)" and "-(-a)" read back as written.
        return f"-({inner})" if isinstance(node.operand, BinaryOp | Negate) else f"-{inner}"
    precedence = _PRECEDENCE[node.op]
    left = _render(node.left)
    if isinstance(node.left, BinaryOp) and _PRECEDENCE[node.left.op] < precedence:
        left = f"({left})"
    right = _render(node.right)
    # Operators are left-associative, so an equal-precedence right operand needs
    # brackets too; that keeps parse(str(f)) structurally equal to f.
    if isinstance(node.right, BinaryOp) and _PRECEDENCE[node.right.op] <= precedence:
        right = f"({right})"
    return f"{left} {node.op} {right}"


class _Missing(Exception):
    """A referenced code has no value or a division by zero: the result is unknown."""


def _evaluate(node: Node, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Reference):
        value = values.get(node.code)
        if value is None:
            raise _Missing
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            raise _Missing
        return number
    if isinstance(node, Negate):
        return -_evaluate(node.operand, values)
    left = _evaluate(node.left, values)
    right = _evaluate(node.right, values)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise _Missing
    return left / right


@dataclass(frozen=True)
class Formula:
    """A parsed formula.  Two formulas are equal when their trees are equal."""

    root: Node
    source: str = field(default="", compare=False)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(_codes(self.root))

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal | None:
        """The value, or None when a referenced code has no value or a divisor is zero."""
        try:
            with localcontext() as ctx:
                ctx.prec = PRECISION
                ctx.traps[DivisionByZero] = True
                ctx.traps[InvalidOperation] = True
                return _evaluate(self.root, values)
        except (_Missing, DivisionByZero, InvalidOperation, Overflow):
            return None

    def __str__(self) -> str:
        return _render(self.root)


# -- tokenizer and parser -------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?(?![\w.,]|[^\x00-\x7f]))
  | (?P<code>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?![\w.]|[^\x00-\x7f]))
  | (?P<op>[-+*/()])
    """,
    re.VERBOSE | re.ASCII,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number" | "code" | "op" | "end"
    text: str
    position: int


def _describe(token: _Token) -> str:
    return "end of formula" if token.kind == "end" else repr(token.text)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None:
            # Report the whole run of junk, not one character, so "1.2.3" or "a..b" reads clearly.
            bad = re.match(r"[^\s()+\-*/]+", text[position:])
            token = bad.group(0) if bad else text[position]
            # Formulas are code, not report text: "1,5" is the likeliest slip.
            hint = " (formulas use '.' as the decimal point)" if "," in token else ""
            raise FormulaError(
                f"invalid token {token!r} at position {position} in formula {text!r}{hint}",
                text=text,
                position=position,
                token=token,
            )
        kind = match.lastgroup
        if kind != "space" and kind is not None:
            tokens.append(_Token(kind, match.group(0), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def error(self, token: _Token, expected: str) -> FormulaError:
        return FormulaError(
            f"expected {expected} but found {_describe(token)} at position {token.position} "
            f"in formula {self.text!r}",
            text=self.text,
            position=token.position,
            token=token.text,
        )

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise FormulaError(f"empty formula {self.text!r}", text=self.text, position=0, token="")
        node = self.expr()
        if self.current.kind != "end":
            raise self.error(self.current, "an operator")
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.current.kind == "op" and self.current.text in "+-":
            op = self.advance().text
            node = BinaryOp(op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.current.kind == "op" and self.current.text in "*/":
            op = self.advance().text
            node = BinaryOp(op, node, self.factor())
        return node

    def factor(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            token = self.current
            raise FormulaError(
                f"formula nested deeper than {MAX_DEPTH} levels at position {token.position} "
                f"in formula {self.text!r}",
                text=self.text,
                position=token.position,
                token=token.text,
            )
        try:
            token = self.current
            if token.kind == "op" and token.text == "-":
                self.advance()
                return Negate(self.factor())
            if token.kind == "op" and token.text == "+":
                self.advance()
                return self.factor()
            return self.atom()
        finally:
            self.depth -= 1

    def atom(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            return Number(Decimal(token.text))
        if token.kind == "code":
            self.advance()
            return Reference(token.text)
        if token.kind == "op" and token.text == "(":
            self.advance()
            node = self.expr()
            if self.current.kind != "op" or self.current.text != ")":
                raise self.error(self.current, "')'")
            self.advance()
            return node
        raise self.error(token, "a number, a code or '('")


def parse_formula(text: str) -> Formula:
    """Parse a formula; FormulaError names the position and the offending token."""
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a text, got {type(text).__name__}: {text!r}")
    return Formula(_Parser(text).parse(), source=text)


# -- sets of formulas -----------------------------------------------------------------------------


def _parse_all(formulas: Mapping[str, str]) -> tuple[dict[str, Formula], list[str]]:
    parsed: dict[str, Formula] = {}
    errors: list[str] = []
    for code in sorted(formulas):
        try:
            parsed[code] = parse_formula(formulas[code])
        except FormulaError as exc:
            errors.append(f"{code}: syntax error: {exc}")
    return parsed, errors


def _find_cycles(graph: Mapping[str, frozenset[str]]) -> list[list[str]]:
    """Every elementary cycle reached by depth-first search, each once, as a closed path."""
    cycles: list[list[str]] = []
    seen_cycles: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, frozenset())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                loop = path[path.index(nxt) :]
                # Rotate so the smallest code leads; a cycle found from two entry points is one cycle.
                pivot = loop.index(min(loop))
                canonical = tuple(loop[pivot:] + loop[:pivot])
                if canonical not in seen_cycles:
                    seen_cycles.add(canonical)
                    cycles.append([*canonical, canonical[0]])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start)
    return cycles


def check_formulas(formulas: Mapping[str, str], known_codes: set[str]) -> list[str]:
    """Human-readable problems: syntax errors, unknown codes, cycles ("a → b → a").

    A code counts as known when it is in ``known_codes`` or itself has a formula.
    An empty list means the formulas can be evaluated in evaluation_order().
    """
    parsed, errors = _parse_all(formulas)
    known = set(known_codes) | set(formulas)
    for code, formula in parsed.items():
        for ref in sorted(formula.codes - known):
            errors.append(f"{code}: formula {str(formula)!r} refers to unknown code {ref!r}")
    graph = {code: formula.codes for code, formula in parsed.items()}
    for cycle in _find_cycles(graph):
        errors.append(f"cycle: {' → '.join(cycle)}")
    return errors


def evaluation_order(formulas: Mapping[str, str]) -> list[str]:
    """The codes with formulas, each after every formula code it depends on.

    Ties are broken alphabetically so the order is stable.  Raises
    FormulaError on a syntax error or a cycle.
    """
    parsed, errors = _parse_all(formulas)
    if errors:
        raise FormulaError("; ".join(errors))
    depends = {code: formula.codes & parsed.keys() for code, formula in parsed.items()}
    dependants: dict[str, set[str]] = {code: set() for code in parsed}
    for code, deps in depends.items():
        for dep in deps:
            dependants[dep].add(code)
    waiting = {code: len(deps) for code, deps in depends.items()}
    ready = [code for code, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        code = heapq.heappop(ready)
        order.append(code)
        for child in dependants[code]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, child)
    if len(order) != len(parsed):
        cycles = _find_cycles(depends)
        described = "; ".join(" → ".join(cycle) for cycle in cycles)
        raise FormulaError(f"formulas form a cycle: {described}")
    return order


def evaluate_all(formulas: Mapping[str, str], values: Mapping[str, Decimal]) -> dict[str, Decimal | None]:
    """Compute every formula in dependency order; later formulas see earlier results.

    When a formula cannot be computed its result is None, but a value stored
    for that code in ``values`` (a rate the report states directly, say) still
    feeds the formulas that depend on it.
    """
    known: dict[str, Decimal] = dict(values)
    results: dict[str, Decimal | None] = {}
    for code in evaluation_order(formulas):
        result = parse_formula(formulas[code]).evaluate(known)
        results[code] = result
        if result is not None:
            known[code] = result
    return results
