"""The engine against the hand-checked gold of the real reports and of the synthetic ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao.extraction import extract_file, score

from .conftest import FIXTURES, corpus_dir

FACT_F1 = 0.95
DOC_F1 = 0.97


def _gold_files(directory: Path) -> list[Path]:
    return sorted((directory / "gold").glob("*.json")) if (directory / "gold").is_dir() else []


@pytest.mark.parametrize("gold_path", _gold_files(corpus_dir()), ids=lambda p: p.stem)
def test_corpus_report_meets_f1(gold_path: Path, corpus: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    predicted = extract_file(corpus / gold["source"])
    s = score(predicted, gold)
    assert predicted["province"] == gold["province"]
    assert predicted["period"] == gold["period"]
    assert s.facts.f1 >= FACT_F1, (s.missing, s.extra)
    assert s.documents.f1 >= DOC_F1


def test_corpus_evidence_is_verbatim(corpus: Path) -> None:
    for text_path in sorted(corpus.glob("*.txt")):
        raw = text_path.read_text(encoding="utf-8")
        result = extract_file(text_path)
        assert result["facts"], text_path.name
        for fact in result["facts"]:
            ev = fact["evidence"]
            assert ev in raw, (text_path.name, fact)
            assert 0 < len(ev) <= 160, fact
            assert any(ch.isdigit() for ch in ev) or "không có" in ev.lower(), fact
        for doc in result["documents"]:
            assert doc["evidence"] in raw
            assert doc["number"] in doc["evidence"]


@pytest.mark.parametrize("gold_path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_other_province_fixture(gold_path: Path) -> None:
    """Synthetic reports of other provinces in other layouts (tab tables, other wording)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = FIXTURES / gold["source"]
    predicted = extract_file(text_path)
    raw = text_path.read_text(encoding="utf-8")
    assert predicted["province"] == gold["province"]
    assert predicted["period"] == gold["period"]
    s = score(predicted, gold)
    assert s.facts.f1 >= FACT_F1, (s.missing, s.extra)
    assert s.documents.f1 >= DOC_F1
    assert all(f["evidence"] in raw for f in predicted["facts"])


def test_shape_of_result(corpus: Path) -> None:
    result = extract_file(next(iter(sorted(corpus.glob("*.txt")))))
    assert list(result) == ["source", "province", "period", "facts", "documents"]
    for fact in result["facts"]:
        # the gold shape, and the optional trace "why" (the lexicon entry and rule ids)
        assert set(fact) - {"why"} == {"indicator", "value", "qualifier", "period", "target", "evidence", "flag"}
        assert fact["qualifier"] in {"exact", "approx", "more_than", "less_than"}
        assert isinstance(fact["value"], int | float)
        assert fact["why"]["lexicon"] and all(isinstance(r, str) for r in fact["why"]["rules"])
    for doc in result["documents"]:
        assert set(doc) - {"why"} == {"kind", "number", "date", "evidence"}
        assert doc["why"]["rules"][0] == "docref.reference"
