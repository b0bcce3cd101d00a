"""Compare an extraction with a hand-checked gold file.

Facts are compared as (indicator, value, period, target) tuples; values
numerically (so 76000000000 == 7.6e10), and a period of None means the
report's own period on both sides.  Documents are compared by number, and
a second time by (number, kind, date): a reference found with the wrong
kind or date counts in the first score and not in the second; a kind is a
category, compared whatever its letter case ("Nghị Quyết" as written in a
title is the kind "Nghị quyết").
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

FactKey = tuple[str, Decimal, tuple[tuple[str, Any], ...] | None, bool]


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Score:
    facts: PRF
    documents: PRF
    missing: tuple[FactKey, ...] = ()
    extra: tuple[FactKey, ...] = ()
    # documents compared by number, kind and date
    documents_dated: PRF = PRF(0, 0, 0)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.facts + other.facts,
            self.documents + other.documents,
            documents_dated=self.documents_dated + other.documents_dated,
        )


def _value(v: Any) -> Decimal:
    try:
        # through str so that 80.71 stays 80.71; normalize so 76e9 == 76000000000
        return Decimal(str(v)).normalize()
    except (InvalidOperation, ValueError):
        return Decimal("NaN")


def _period(p: dict[str, Any] | None, own: dict[str, Any] | None) -> tuple[tuple[str, Any], ...] | None:
    p = p if p is not None else own
    return tuple(sorted(p.items())) if p else None


def fact_keys(doc: dict[str, Any], own_period: dict[str, Any] | None = None) -> Counter[FactKey]:
    own = own_period if own_period is not None else doc.get("period")
    return Counter(
        (f["indicator"], _value(f["value"]), _period(f.get("period"), own), bool(f.get("target", False)))
        for f in doc.get("facts", [])
    )


def _prf(pred: Counter[Any], gold: Counter[Any]) -> PRF:
    tp = sum((pred & gold).values())
    return PRF(tp=tp, fp=sum(pred.values()) - tp, fn=sum(gold.values()) - tp)


def _dated_docs(doc: dict[str, Any]) -> Counter[tuple[str, str, str | None]]:
    """(number, kind, date) of each document, once per number (as the extractor lists them)."""
    seen: dict[str, tuple[str, str, str | None]] = {}
    for d in doc.get("documents", []):
        seen.setdefault(d["number"], (d["number"], _kind(d.get("kind")), d.get("date")))
    return Counter(seen.values())


def _kind(kind: Any) -> str:
    """A document's kind as compared: one spelling (NFC, single spaces), any letter case."""
    return " ".join(unicodedata.normalize("NFC", str(kind or "")).split()).casefold()


def fact_key(f: dict[str, Any], own: dict[str, Any] | None) -> FactKey:
    """The compared shape of one fact dict."""
    return (f["indicator"], _value(f["value"]), _period(f.get("period"), own), bool(f.get("target", False)))


def score(predicted: dict[str, Any], gold: dict[str, Any]) -> Score:
    """Precision/recall/F1 of facts and of document numbers of one report."""
    # both sides are normalised to the GOLD report period, so a wrongly detected
    # report period costs the facts that leaned on it
    own = gold.get("period")
    pred_facts = fact_keys(predicted, own)
    if predicted.get("period") != own:
        # facts the extractor tied to its own (wrong) period keep that period
        pred_facts = Counter(
            (
                f["indicator"],
                _value(f["value"]),
                _period(f.get("period"), predicted.get("period")),
                bool(f.get("target")),
            )
            for f in predicted.get("facts", [])
        )
    gold_facts = fact_keys(gold, own)
    pred_docs = Counter({d["number"]: 1 for d in predicted.get("documents", [])})
    gold_docs = Counter({d["number"]: 1 for d in gold.get("documents", [])})
    return Score(
        facts=_prf(pred_facts, gold_facts),
        documents=_prf(pred_docs, gold_docs),
        documents_dated=_prf(_dated_docs(predicted), _dated_docs(gold)),
        missing=tuple(sorted((gold_facts - pred_facts).elements(), key=str)),
        extra=tuple(sorted((pred_facts - gold_facts).elements(), key=str)),
    )
