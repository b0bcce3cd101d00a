"""score() semantics and the folder mode."""

from __future__ import annotations

import json
from pathlib import Path

from baocao.extraction import extract_many, score

from .conftest import FIXTURES

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
