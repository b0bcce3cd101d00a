"""The interpreter of the decision rules in rules/*.yaml.

Every decision the engine takes about a figure besides its indicator — which
period it belongs to, whether it is a target, whether to skip it, whether it
is approximate — is a list of named rules in a data file, one file per kind of
decision (period.yaml, target.yaml, skip.yaml, qualifier.yaml), one section
per decision.  As in duckling, a rule has a name (``id``), a pattern and a
production; as in spaCy's Matcher the patterns are data with ids.  A rule:

    - id: period.clause.label              # unique, shown in a fact's ``why``
      priority: 10                         # lower runs first (ties: file order)
      where: clause_left                   # the text it looks at (see SPANS)
      match: '<regex>'                     # or search: / last: / fullmatch: (a regex,
                                           # or {lexicon: target_markers} for a lexicon pattern)
      also: {search: '...'}                # optional: a second test that must hold
      unless: {where: ..., search: '...'}  # optional: a test that must not hold
      when: {report: year, table: false}   # optional: conditions on the figure and report
      gives: label                         # the production (see productions.py)
      args: {...}                          # what the production needs besides the match
      examples:                            # short texts with the expected result; a rule
        - text: "Tháng 12/2023 tiếp nhận [[31.200]] hồ sơ"   # without one fails the tests
          report: "2023"
          gives: "2023M12"

``decide(kind, probe)`` runs the rules of a kind by priority and returns the
first that applies, with its id.  A production returns NOTHING when it does
not apply (the next rule is tried); any other value, None included, is the
decision.  ``<<name>>`` in a pattern is replaced by the file's ``defs``.
A province overlay (rules/provinces/<file>.yaml, same shape) adds rules or
replaces rules of the same id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from .errors import ExtractionError

RULES_DIR = Path(__file__).with_name("rules")
RULE_FILES = ("period.yaml", "target.yaml", "skip.yaml", "qualifier.yaml")
HOWS = ("match", "search", "last", "fullmatch")
WHEN_KEYS = ("report", "table", "zero", "figure", "breakdown", "nine_months", "yearlike", "fraction")


class _Nothing:
    def __repr__(self) -> str:
        return "NOTHING"


NOTHING: Any = _Nothing()

# (string, pos, endpos): a pattern test runs as pattern.match(string, pos, endpos)
Piece = tuple[str, int, int]


class Probe(Protocol):
    """What a rule sees of one figure: the engine builds it from a figure's context."""

    def spans(self, where: str) -> list[Piece]: ...

    def holds(self, key: str, wanted: Any) -> bool: ...

    def lexicon_pattern(self, name: str) -> re.Pattern[str]: ...


@dataclass(frozen=True)
class Hit:
    """What a production receives: the match (None for a rule without a pattern), the piece
    of text it was looked for in, and which piece of its ``where`` that was (a heading's rank)."""

    m: re.Match[str] | None
    piece: Piece
    index: int

    @property
    def string(self) -> str:
        s, a, b = self.piece
        return s[a:b]


@dataclass(frozen=True)
class Test:
    where: str | None
    how: str
    pattern: re.Pattern[str] | None = None
    lexicon: str | None = None
    when: Mapping[str, Any] = field(default_factory=dict)

    def find(self, probe: Probe, piece: Piece) -> re.Match[str] | None:
        pattern = self.pattern if self.pattern is not None else probe.lexicon_pattern(str(self.lexicon))
        s, a, b = piece
        if self.how == "last":
            found = None
            for found in pattern.finditer(s, a, b):  # noqa: B007 - the last one is wanted
                pass
            return found
        method: Callable[[str, int, int], re.Match[str] | None] = getattr(pattern, self.how)
        return method(s, a, b)

    def holds_anywhere(self, probe: Probe, default: list[Piece]) -> bool:
        if not all(probe.holds(k, v) for k, v in self.when.items()):
            return False
        pieces = probe.spans(self.where) if self.where else default
        return any(self.find(probe, p) is not None for p in pieces)


@dataclass(frozen=True)
class DecisionRule:
    id: str
    kind: str
    priority: int
    where: str | None
    test: Test | None
    gives: str
    args: Mapping[str, Any]
    when: Mapping[str, Any]
    also: Test | None = None
    unless: Test | None = None
    examples: tuple[Mapping[str, Any], ...] = ()
    source: str = ""

    def apply(self, probe: Probe) -> Any:
        """The production's value where the rule applies, else NOTHING."""
        if not all(probe.holds(k, v) for k, v in self.when.items()):
            return NOTHING
        pieces = probe.spans(self.where) if self.where else [("", 0, 0)]
        for index, piece in enumerate(pieces):
            m = self.test.find(probe, piece) if self.test is not None else None
            if self.test is not None and m is None:
                continue
            if self.also is not None and not self.also.holds_anywhere(probe, [piece]):
                continue
            if self.unless is not None and self.unless.holds_anywhere(probe, [piece]):
                continue
            value = PRODUCTIONS[self.gives](Hit(m, piece, index), probe, self.args)
            if value is not NOTHING:
                return value
        return NOTHING


@dataclass(frozen=True)
class Decision:
    rule: str
    value: Any
    args: Mapping[str, Any] = field(default_factory=dict)


Production = Callable[[Hit, Any, Mapping[str, Any]], Any]
PRODUCTIONS: dict[str, Production] = {}


def production(name: str) -> Callable[[Production], Production]:
    """Register a production under the name rules give in ``gives``."""

    def register(fn: Production) -> Production:
        PRODUCTIONS[name] = fn
        return fn

    return register


@production("value")
def _constant(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The rule's ``args.value`` (a skip's reason, "approx", a column's target flag)."""
    return args.get("value", True)


class RuleSet:
    """The rules of every kind, sorted by priority."""

    def __init__(self, rules: list[DecisionRule]) -> None:
        self.rules = rules
        self.by_kind: dict[str, list[DecisionRule]] = {}
        for rule in sorted(rules, key=lambda r: r.priority):  # sorted() is stable: file order on ties
            self.by_kind.setdefault(rule.kind, []).append(rule)

    def decide(self, kind: str, probe: Probe) -> Decision | None:
        for rule in self.by_kind.get(kind, []):
            value = rule.apply(probe)
            if value is not NOTHING:
                return Decision(rule.id, value, rule.args)
        return None

    def __getitem__(self, rule_id: str) -> DecisionRule:
        return next(r for r in self.rules if r.id == rule_id)


# -- loading ---------------------------------------------------------------------------------------


def _expand(pattern: str, defs: Mapping[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defs:
            raise ExtractionError(f"{where}: unknown definition <<{name}>>")
        return defs[name]

    for _ in range(5):  # a definition may use another
        pattern = re.sub(r"<<(\w+)>>", sub, pattern)
    return pattern


def _test(data: Mapping[str, Any], defs: Mapping[str, str], where: str, default_where: str | None) -> Test:
    hows = [h for h in HOWS if h in data]
    if len(hows) != 1:
        raise ExtractionError(f"{where}: give exactly one of {', '.join(HOWS)}")
    how = hows[0]
    body = data[how]
    when = dict(data.get("when") or {})
    test_where = data.get("where", default_where)
    if isinstance(body, dict):
        return Test(test_where, how, lexicon=str(body["lexicon"]), when=when)
    try:
        pattern = re.compile(_expand(str(body), defs, where), re.IGNORECASE)
    except re.error as exc:
        raise ExtractionError(f"{where}: bad pattern: {exc}") from None
    return Test(test_where, how, pattern=pattern, when=when)


def _rule(kind: str, data: Mapping[str, Any], defs: Mapping[str, str], source: str) -> DecisionRule:
    rid = data.get("id")
    where = f"{source}: {kind} rule {rid or '?'}"
    if not rid or "gives" not in data:
        raise ExtractionError(f"{where}: a rule needs an id and gives")
    if data["gives"] not in PRODUCTIONS:
        raise ExtractionError(f"{where}: unknown production {data['gives']!r}")
    unknown = set(data.get("when") or {}) - set(WHEN_KEYS)
    if unknown:
        raise ExtractionError(f"{where}: unknown condition(s) {sorted(unknown)}")
    has_test = any(h in data for h in HOWS)
    args = {
        k: _expand(v, defs, where) if isinstance(v, str) else v for k, v in (data.get("args") or {}).items()
    }
    return DecisionRule(
        id=str(rid),
        kind=kind,
        priority=int(data.get("priority", 50)),
        where=data.get("where"),
        test=_test(data, defs, where, data.get("where")) if has_test else None,
        gives=str(data["gives"]),
        args=args,
        when=dict(data.get("when") or {}),
        # without a where of its own, also/unless test the piece the rule's pattern matched in
        also=_test(data["also"], defs, where, None) if data.get("also") else None,
        unless=_test(data["unless"], defs, where, None) if data.get("unless") else None,
        examples=tuple(data.get("examples") or ()),
        source=source,
    )


def _read(path: Path) -> list[DecisionRule]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"{path.name}: cannot read rules: {exc}") from None
    defs = {str(k): str(v) for k, v in (data.pop("defs", None) or {}).items()}
    data.pop("lexicon", None)  # a province overlay's phrases (overlays.py)
    return [_rule(kind, r, defs, path.name) for kind, rules in data.items() for r in rules or ()]


def load_rules(paths: list[Path] | None = None, overlays: list[Path] | None = None) -> RuleSet:
    """The rules of ``paths`` (default: the four files of rules/), then each overlay's rules
    added, or put in place of the rule with the same id."""
    from . import productions  # noqa: F401 - registers the productions the rules name

    rules: list[DecisionRule] = []
    for path in paths or [RULES_DIR / name for name in RULE_FILES]:
        rules.extend(_read(path))
    for path in overlays or []:
        for rule in _read(path):
            rules = [r for r in rules if r.id != rule.id] + [rule]
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ExtractionError(f"rules: duplicate id(s) {dupes}")
    return RuleSet(rules)


@lru_cache(maxsize=2)
def default_rules() -> RuleSet:
    return load_rules()


@lru_cache(maxsize=64)
def arg_pattern(pattern: str) -> re.Pattern[str]:
    """A regex given in a rule's args, compiled once."""
    return re.compile(pattern, re.IGNORECASE)
