"""`baocao check`: the catalog's validation rules run on the figures of one report.

A department can check its own draft before sending it: parts that do not add up, a rate that
disagrees with its parts, an implausible magnitude (a "tỷ" for a "triệu"), a plan for the next
period below what was already reached. Each finding quotes the sentences its figures came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from baocao.catalog.models import Indicator, IndicatorKind, ValidationRule
from baocao.core.periods import Period
from baocao.core.vnnum import format_number
from baocao.datavalues.aggregation import Aggregator
from baocao.datavalues.validation import FAIL, Finding, Validator
from baocao.orgunits.models import OrgUnit, UnitLevel

RULE_CODE_FIELDS = ("total", "parts", "stock", "inflows", "outflows", "indicator")


@dataclass(frozen=True)
class CheckFinding:
    rule: str
    severity: str
    message: str
    evidence: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        mark = "✘ LỖI" if self.severity == "error" else "! CẢNH BÁO"
        return [f"{mark} [{self.rule}] {self.message}"] + [f"      «{e}»" for e in self.evidence]


def _report_unit(name: str) -> OrgUnit:
    # Never saved: stands for the report's province while its figures are checked.
    return OrgUnit(pk=-1, code="__report__", name=name or "báo cáo", level=UnitLevel.PROVINCE, path="/-1/")


def _rule_codes(rule: ValidationRule) -> list[str]:
    codes: list[str] = []
    for key in RULE_CODE_FIELDS:
        value = rule.params.get(key)
        codes.extend(value if isinstance(value, list) else [value] if value else [])
    return codes


def check_extraction(result: dict[str, Any]) -> list[CheckFinding]:
    report_period = Period.from_dict(result["period"])
    unit = _report_unit(result.get("province") or "")
    facts = result.get("facts", [])
    evidence: dict[tuple[str, str], str] = {}
    rows: list[tuple[str, str, Decimal, str]] = []
    targets: list[dict[str, Any]] = []
    findings: list[CheckFinding] = []
    for fact in facts:
        period = Period.from_dict(fact["period"]) if fact.get("period") else report_period
        if fact.get("target"):
            targets.append({**fact, "period_obj": period})
            continue
        rows.append((fact["indicator"], period.code, Decimal(str(fact["value"])), fact.get("qualifier", "exact")))
        evidence.setdefault((fact["indicator"], period.code), fact.get("evidence", ""))
        if fact.get("flag") == "implausible":
            findings.append(
                CheckFinding("so_lieu_bat_thuong", "warning",
                             f"{fact['indicator']} = {format_number(Decimal(str(fact['value'])))}: số liệu như đã viết khó có thể đúng",
                             [fact.get("evidence", "")])
            )
    agg = Aggregator.over_values(unit, rows)
    rules = list(ValidationRule.objects.filter(is_active=True))
    for finding in Validator(agg).validate(unit, report_period, rules):
        if finding.status != FAIL:
            continue
        rule = next(r for r in rules if r.code == finding.rule)
        if rule.kind == "jump":
            codes = [finding.message.split(":")[0]]
        else:
            codes = _rule_codes(rule)
            codes += [c for code in codes for c in sorted(agg.formula_codes(code))]
        quotes = [evidence[(c, p)] for c in codes for p in (report_period.code, report_period.previous().code)
                  if (c, p) in evidence]
        findings.append(CheckFinding(finding.rule, finding.severity, _describe(finding), quotes))
    findings.extend(_plan_contradictions(agg, unit, report_period, targets))
    return findings


TEMPLATES = Path(__file__).resolve().parent.parent / "reports" / "templates_config"


@cache
def review_titles() -> frozenset[str]:
    """Titles of the review appendix the report writer adds to a draft (its own list of what to
    look at before signing, from the report templates): not part of the report's figures."""
    titles = set()
    for path in sorted(TEMPLATES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for appendix in data.get("appendices", []) or []:
            if isinstance(appendix, dict) and appendix.get("kind") == "review" and appendix.get("title"):
                titles.add(str(appendix["title"]).strip())
    return frozenset(titles)


def without_review(text: str) -> str:
    """The report's text up to the writer's review appendix, if it has one."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() in review_titles():
            return "\n".join(lines[:i])
    return text


def check_file(path: Path, *, unit: str | None = None, period: str | None = None) -> tuple[dict[str, Any], list[CheckFinding]]:
    """Read a report and check its figures; a draft's review appendix is not read as figures.
    Raises ExtractionError for an unreadable file, ValueError when the period is unknown."""
    from baocao.extraction import extract_text
    from baocao.extraction.readers import read_file

    text = without_review(read_file(path))
    result = extract_text(text, source=path.name, unit=unit, period=period)
    if not result.get("period"):
        raise ValueError(f"{path}: không xác định được kỳ báo cáo — dùng --period")
    return result, check_extraction(result)


def _describe(finding: Finding) -> str:
    return f"{finding.rule_name} — {finding.period.label}: {finding.message}"


def _plan_contradictions(
    agg: Aggregator, unit: OrgUnit, report_period: Period, targets: list[dict[str, Any]]
) -> list[CheckFinding]:
    """A stock planned for a later period below what the report says is already reached."""
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    found = []
    for target in targets:
        code, period = target["indicator"], target["period_obj"]
        if kinds.get(code) != IndicatorKind.STOCK or period.end <= report_period.end:
            continue
        reached = agg.reported(code, unit, report_period)
        planned = Decimal(str(target["value"]))
        if reached is not None and planned < reached[0]:
            found.append(
                CheckFinding(
                    "ke_hoach_thap_hon_ket_qua", "warning",
                    f"{code}: kế hoạch {period.label} ({format_number(planned)}) thấp hơn kết quả "
                    f"{report_period.label} ({format_number(reached[0])})",
                    [target.get("evidence", "")],
                )
            )
    return found
