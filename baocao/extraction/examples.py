"""Run the examples of the decision rules (rules/*.yaml) through the real engine.

An example is a short report text with its figure marked ``[[…]]``, the report's period
(``report``, as the CLI's --period) and the expected result (``gives``), or ``applies: false``
for a text the rule must leave alone.  The text is segmented, matched and probed exactly
as in an extraction; then the one rule runs on its own, so each rule is tested alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from baocao.core.periods import Period

from .decisions import NOTHING, DecisionRule
from .engine import _Run
from .errors import ExtractionError
from .lexicon import Lexicon, default_lexicon

MARK_OPEN, MARK_CLOSE = "[[", "]]"


def _unmarked(text: str) -> tuple[str, int]:
    start = text.find(MARK_OPEN)
    end = text.find(MARK_CLOSE, start + 2)
    if start < 0 or end < 0:
        raise ExtractionError(f"example without a [[figure]]: {text!r}")
    return text[:start] + text[start + 2 : end] + text[end + 2 :], start


def shown(value: Any) -> Any:
    """A production's value as an example writes it: a period as its code."""
    return value.code if isinstance(value, Period) else value


def run_example(rule: DecisionRule, example: Mapping[str, Any], lex: Lexicon | None = None) -> Any:
    """What ``rule`` gives on the example's marked figure (NOTHING where it does not apply)."""
    text, pos = _unmarked(str(example["text"]))
    report = example.get("report")
    run = _Run(text, lex or default_lexicon(), None, str(report) if report is not None else None)
    fig = next(
        (
            f
            for f in run.figures
            if run.view.raw_span(f.start, f.end)[0] <= pos < run.view.raw_span(f.start, f.end)[1]
        ),
        None,
    )
    if fig is None:
        raise ExtractionError(f"{rule.id}: the marked number is no figure in {example['text']!r}")
    return rule.apply(run.probe(run.matcher.context(fig)))


def check_example(rule: DecisionRule, example: Mapping[str, Any]) -> str | None:
    """None when the example holds, else what went wrong."""
    got = run_example(rule, example)
    if example.get("applies") is False:
        return None if got is NOTHING else f"should not apply, gives {shown(got)!r}"
    if got is NOTHING:
        return f"does not apply, expected {example.get('gives')!r}"
    if shown(got) != example.get("gives"):
        return f"gives {shown(got)!r}, expected {example.get('gives')!r}"
    return None
