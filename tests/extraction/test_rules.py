"""Every decision rule (rules/*.yaml) runs on each of its own examples; a rule without
examples, a duplicate id or an unknown `where` fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from baocao.extraction import overlays
from baocao.extraction.decisions import RULE_FILES, RULES_DIR, DecisionRule, default_rules, load_rules
from baocao.extraction.engine import SPAN_NAMES
from baocao.extraction.errors import ExtractionError
from baocao.extraction.examples import check_example


def _all_rules() -> list[DecisionRule]:
    """The shared rules, then each province file's own (rules/provinces/*.yaml)."""
    shared = default_rules().rules
    own = [
        r
        for path in sorted(overlays.PROVINCES_DIR.glob("*.yaml"))
        for r in overlays.province_rules(path).rules
        if r.source == path.name
    ]
    return [*shared, *own]


RULES = _all_rules()


def _cases() -> list[Any]:
    return [pytest.param(rule, i, id=f"{rule.id}[{i}]") for rule in RULES for i in range(len(rule.examples))]


@pytest.mark.parametrize(("rule", "index"), _cases())
def test_rule_example(rule: DecisionRule, index: int) -> None:
    example = rule.examples[index]
    problem = check_example(rule, example)
    assert problem is None, f"{rule.source} {rule.id}: {example['text']!r}: {problem}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_a_positive_example_and_a_known_where(rule: DecisionRule) -> None:
    assert any(e.get("applies") is not False for e in rule.examples), (
        f"{rule.source}: rule {rule.id} has no example"
    )
    for where in (rule.where, *(t.where for t in (rule.also, rule.unless) if t is not None)):
        assert where is None or where in SPAN_NAMES, f"{rule.id}: unknown where {where!r}"


def test_every_rule_file_is_read() -> None:
    assert set(RULE_FILES) <= {r.source for r in RULES}
    kinds = {r.kind for r in RULES}
    assert {"clause_period", "stated_period", "target", "skip", "qualifier", "column_period"} <= kinds


def test_a_bad_rule_file_names_the_file_and_the_rule(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("skip:\n  - id: skip.x\n    search: '(unclosed'\n    gives: value\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match=r"bad\.yaml: skip rule skip\.x: bad pattern"):
        load_rules([bad])
    bad.write_text("skip:\n  - id: skip.x\n    gives: nowhere\n", encoding="utf-8")
    with pytest.raises(ExtractionError, match="unknown production 'nowhere'"):
        load_rules([bad])


def test_an_overlay_replaces_a_rule_by_id_and_adds_new_ones(tmp_path: Path) -> None:
    overlay = tmp_path / "province.yaml"
    overlay.write_text(
        "qualifier:\n"
        "  - id: qualifier.estimate_word\n    where: pre_text\n    search: '(?<!\\w)dự\\s+tính(?!\\w)'\n"
        "    gives: value\n    args: {value: approx}\n"
        "  - id: qualifier.about\n    priority: 5\n    where: pre_text\n    search: 'khoảng'\n"
        "    gives: value\n    args: {value: approx}\n",
        encoding="utf-8",
    )
    rules = load_rules([RULES_DIR / name for name in RULE_FILES], overlays=[overlay])
    assert rules["qualifier.estimate_word"].source == "province.yaml"
    assert [r.id for r in rules.by_kind["qualifier"]][:1] == ["qualifier.about"]
    assert len(rules.rules) == len(RULES) + 1


def test_a_skipped_figure_is_listed_with_its_rule_for_review() -> None:
    from baocao.extraction import extract_text

    result = extract_text(
        "I. KẾT QUẢ\nTiếp nhận 18.745 hồ sơ, tăng 1.250 hồ sơ.\n", period="2023", include_unmatched=True
    )
    assert [(f["indicator"], f["value"]) for f in result["facts"]] == [("cntt.hoso.tiep_nhan", 18745)]
    assert {"value": 1250, "evidence": "tăng 1.250 hồ sơ.", "why": {"rules": ["skip.words_before"]}} in result[
        "skipped"
    ]
    assert "skipped" not in extract_text("Tiếp nhận 18.745 hồ sơ.", period="2023")
