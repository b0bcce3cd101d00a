"""A province's file (rules/provinces/<province>.yaml) adds phrases and rules for that
province only — the worked example of docs/ARCHITECTURE.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.extraction import extract_text, overlays
from baocao.extraction.errors import ExtractionError

OVERLAY = """
lexicon:
  slots:
    act:
      values:
        tiep_nhan: ["tiếp đón"]
clause_period:
  - id: period.clause.month_without_year
    priority: 45
    where: clause_left
    match: '[\\s\\-–+•*]*riêng\\s+tháng\\s+(?P<m>1[0-2]|0?[1-9])(?!\\s*(?:/|năm|-)?\\s*\\d)\\s*[,:]'
    when: {table: false, report: year}
    gives: in_report_year
    args: {label: "tháng {m}/{year}"}
    examples:
      - text: "Riêng tháng 12, tiếp nhận [[3.100]] hồ sơ."
        report: "2023"
        gives: "202312"
"""
TEXT = "I. KẾT QUẢ\nBộ phận Một cửa tiếp đón 41.200 hồ sơ. Riêng tháng 12, tiếp đón 3.100 hồ sơ.\n"


@pytest.fixture
def province_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(overlays, "PROVINCES_DIR", tmp_path)
    (tmp_path / "tra_vinh.yaml").write_text(OVERLAY, encoding="utf-8")
    return tmp_path


def _facts(unit: str) -> list[tuple[str, int, str | None, list[str]]]:
    result = extract_text(TEXT, unit=unit, period="2023")
    return [
        (
            f["indicator"],
            f["value"],
            f["period"] and f"{f['period']['year']}-{f['period'].get('month')}",
            f["why"]["rules"],
        )
        for f in result["facts"]
    ]


def test_the_province_file_counts_for_that_province_only(province_dir: Path) -> None:
    assert overlays.slug("Trà Vinh") == "tra_vinh" and overlays.slug("TP. Hồ Chí Minh") == "tp_ho_chi_minh"
    assert _facts("Trà Vinh") == [
        ("cntt.hoso.tiep_nhan", 41200, None, []),
        ("cntt.hoso.tiep_nhan", 3100, "2023-12", ["period.clause.month_without_year"]),
    ]
    assert _facts("Bến Tre") == []  # "tiếp đón" is no phrasing of the shared lexicon


def test_without_province_files_nothing_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overlays, "PROVINCES_DIR", tmp_path / "none")
    assert not overlays.has_overlays()
    assert _facts("Trà Vinh") == []


def test_a_broken_province_file_names_itself(province_dir: Path) -> None:
    (province_dir / "ben_tre.yaml").write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"ben_tre\.yaml: a province overlay is a mapping"):
        extract_text(TEXT, unit="Bến Tre", period="2023")


def test_the_province_rules_keep_their_examples(province_dir: Path) -> None:
    from baocao.extraction.examples import check_example

    rules = overlays.province_rules(province_dir / "tra_vinh.yaml")
    rule = rules["period.clause.month_without_year"]
    assert all(check_example(rule, e) is None for e in rule.examples)
