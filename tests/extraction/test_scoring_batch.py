"""score() semantics and the folder mode."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from baocao.extraction import extract_many, score

from .conftest import FIXTURES

BENCH = Path(__file__).resolve().parents[2] / "bench"

Q1 = {"type": "quarter", "year": 2020, "quarter": 1}


def _fact(
    ind: str, value: float, period: dict[str, object] | None = None, target: bool = False
) -> dict[str, object]:
    return {"indicator": ind, "value": value, "qualifier": "exact", "period": period, "target": target}


def test_period_none_means_report_period_and_values_compare_numerically() -> None:
    gold = {
        "period": Q1,
        "facts": [_fact("a", 76000000000), _fact("b", 1.5, Q1)],
        "documents": [{"number": "1/QĐ"}],
    }
    pred = {
        "period": Q1,
        "facts": [_fact("a", 7.6e10, Q1), _fact("b", 1.50)],
        "documents": [{"number": "1/QĐ"}],
    }
    s = score(pred, gold)
    assert (s.facts.tp, s.facts.fp, s.facts.fn) == (2, 0, 0)
    assert s.facts.f1 == 1.0 and s.documents.f1 == 1.0


def test_target_and_other_period_are_distinct_facts() -> None:
    gold = {
        "period": Q1,
        "facts": [_fact("a", 5), _fact("a", 5, {"type": "year", "year": 2019})],
        "documents": [],
    }
    pred = {"period": Q1, "facts": [_fact("a", 5, None, True)], "documents": [{"number": "x"}]}
    s = score(pred, gold)
    assert (s.facts.tp, s.facts.fp, s.facts.fn) == (0, 1, 2)
    assert s.documents.precision == 0.0


def test_extract_many_writes_one_json_per_report(tmp_path: Path) -> None:
    paths = [*sorted(FIXTURES.glob("*.txt")), tmp_path / "missing.txt"]
    results = extract_many(paths, tmp_path / "out", workers=2, progress=False)
    assert [r.path for r in results] == paths
    assert results[-1].error and "missing.txt" in results[-1].error
    for r in results[:-1]:
        assert r.error is None and r.output is not None
        data = json.loads(r.output.read_text(encoding="utf-8"))
        assert data["source"] == r.path.name and data["facts"]


def test_documents_scored_by_number_and_by_kind_and_date() -> None:
    gold = {
        "period": Q1,
        "facts": [],
        "documents": [
            {"number": "1/QĐ", "kind": "Quyết định", "date": "2020-01-02"},
            {"number": "2/KH", "kind": "Kế hoạch", "date": None},
        ],
    }
    pred = {
        "period": Q1,
        "facts": [],
        "documents": [
            {"number": "1/QĐ", "kind": "Quyết định", "date": "2020-01-03"},  # the wrong day
            {"number": "2/KH", "kind": "Kế hoạch", "date": None},
        ],
    }
    s = score(pred, gold)
    assert s.documents.f1 == 1.0
    assert (s.documents_dated.tp, s.documents_dated.fp, s.documents_dated.fn) == (1, 1, 1)
    assert (s + s).documents_dated.tp == 2


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score_extraction", BENCH / "score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scorer_scores_batch_folders_with_and_without_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real-corpus folder of batch01/, batch02/ …: each batch scored, then the total; the
    hints mode passes the gold's province and period as the CLI's --unit/--period would."""
    for batch, stem in (("batch01", "bentre_6thang_2023"), ("batch02", "quangngai_quy3_2021")):
        (tmp_path / batch).mkdir()
        for suffix in (".txt", ".json"):
            shutil.copy(FIXTURES / (stem + suffix), tmp_path / batch / (stem + suffix))
    scorer = _scorer()
    gold = json.loads((FIXTURES / "quangngai_quy3_2021.json").read_text(encoding="utf-8"))
    assert scorer.hints(gold) == {"unit": gold["province"], "period": "2021Q3"}
    for mode in ([], ["--no-hints"]):
        assert scorer.main([str(tmp_path), "--by-rule", *mode]) == 0
        out = capsys.readouterr().out
        assert "TOTAL batch01" in out and "TOTAL batch02" in out
        total = [
            line for line in out.splitlines() if line.split()[:1] == ["TOTAL"] and len(line.split()) == 9
        ]
        assert len(total) == 1  # the grand total: 7 scores + ms after the word
        assert float(total[0].split()[3]) > 0.9  # fact F1 of both reports
        assert "misses by rule" in out and "false positives by rule" in out
        # without hints the scorer says how often the report's own period was read right
        assert ("own period of the report: right in 2 of 2 texts" in out) == bool(mode)
    assert scorer.main([str(tmp_path / "batch01" / "nothing")]) == 2


def test_a_documents_kind_is_compared_whatever_its_letter_case() -> None:
    gold = {"period": Q1, "facts": [], "documents": [{"number": "5/NQ-TU", "kind": "Nghị Quyết", "date": "2022-06-08"}]}
    pred = {"period": Q1, "facts": [], "documents": [{"number": "5/NQ-TU", "kind": "Nghị quyết", "date": "2022-06-08"}]}
    assert score(pred, gold).documents_dated.tp == 1
    pred["documents"][0]["kind"] = "Quyết định"
    assert score(pred, gold).documents_dated.tp == 0
