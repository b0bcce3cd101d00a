"""Validation rules a department's checker would apply, run on resolved values.

Each finding names the rule, the unit, the period and the numbers, and says whether the rule
holds ("ok"), fails ("fail") or could not be checked for lack of figures ("skipped").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from baocao.catalog.models import IndicatorKind, RuleKind, ValidationRule
from baocao.core.periods import Period
from baocao.core.vnnum import format_number
from baocao.orgunits.models import OrgUnit

from .aggregation import Aggregator

OK, FAIL, SKIPPED = "ok", "fail", "skipped"
# A total stated with "ước"/"khoảng" may differ from its parts by this share.
APPROX_TOLERANCE = Decimal("0.02")


@dataclass(frozen=True)
class Finding:
    rule: str
    rule_name: str
    kind: str
    severity: str
    status: str
    unit: OrgUnit
    period: Period
    message: str
    numbers: dict[str, Decimal | None] = field(default_factory=dict)

    def line(self) -> str:
        mark = {OK: "✔ đạt", FAIL: "✘ LỖI" if self.severity == "error" else "! CẢNH BÁO", SKIPPED: "– bỏ qua"}
        return f"{mark[self.status]} [{self.rule}] {self.rule_name} — {self.unit.name}, {self.period.label}: {self.message}"


def _fmt(value: Decimal | None) -> str:
    return "?" if value is None else format_number(value, max_decimals=2)


def _shown_decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class Validator:
    def __init__(self, aggregator: Aggregator | None = None) -> None:
        self.agg = aggregator or Aggregator()

    def validate(
        self, unit: OrgUnit, period: Period, rules: Iterable[ValidationRule] | None = None
    ) -> list[Finding]:
        rules = list(rules if rules is not None else ValidationRule.objects.filter(is_active=True))
        findings: list[Finding] = []
        for rule in rules:
            check = getattr(self, f"_check_{rule.kind}")
            findings.extend(check(rule, unit, period))
        return findings

    def _finding(
        self,
        rule: ValidationRule,
        unit: OrgUnit,
        period: Period,
        status: str,
        message: str,
        **numbers: Decimal | None,
    ) -> Finding:
        return Finding(
            rule.code, rule.name_vi, rule.kind, rule.severity, status, unit, period, message, numbers
        )

    def _value(self, code: str, unit: OrgUnit, period: Period) -> tuple[Decimal | None, str]:
        r = self.agg.resolve(code, unit, period)
        return r.value, r.qualifier

    def _check_sum(self, rule: ValidationRule, unit: OrgUnit, period: Period) -> list[Finding]:
        total_code, part_codes = rule.params["total"], rule.params["parts"]
        mode = rule.params.get("mode", "eq")
        total, total_q = self._value(total_code, unit, period)
        parts = {c: self._value(c, unit, period) for c in part_codes}
        present = {c: v for c, (v, _) in parts.items() if v is not None}
        if total is None or not present or (mode == "eq" and len(present) < len(parts)):
            missing = [c for c, (v, _) in parts.items() if v is None] + (
                [total_code] if total is None else []
            )
            return [self._finding(rule, unit, period, SKIPPED, f"thiếu số liệu: {', '.join(missing)}")]
        parts_sum = sum(present.values(), Decimal(0))
        approx = total_q != "exact" or any(q != "exact" for _, q in parts.values())
        slack = abs(total) * APPROX_TOLERANCE if approx else Decimal(0)
        shown = " + ".join(_fmt(v) for v in present.values())
        if len(present) > 1:
            shown = f"{shown} = {_fmt(parts_sum)}"
        if mode == "le":
            holds = parts_sum <= total + slack
            relation = "≤" if holds else ">"
        else:
            holds = abs(total - parts_sum) <= slack
            relation = "=" if holds else "≠"
        message = f"{shown} {relation} {_fmt(total)} ({total_code})"
        return [
            self._finding(
                rule, unit, period, OK if holds else FAIL, message, total=total, parts_sum=parts_sum
            )
        ]

    def _check_rate(self, rule: ValidationRule, unit: OrgUnit, period: Period) -> list[Finding]:
        code = rule.params["indicator"]
        reported = self.agg.reported(code, unit, period)
        computed = self.agg.resolve(code, unit, period)
        if reported is None or computed.how != "computed" or computed.value is None:
            why = "chưa có tỷ lệ báo cáo" if reported is None else "thiếu thành phần để tính lại"
            return [self._finding(rule, unit, period, SKIPPED, why)]
        value = reported[0]
        tolerance = Decimal(1).scaleb(-_shown_decimals(value))
        holds = abs(value - computed.value) < tolerance
        parts = ", ".join(f"{c} = {_fmt(v)}" for c, v in computed.parts.items())
        message = f"báo cáo {_fmt(value)}, tính từ thành phần {format_number(computed.value, 2)} ({parts})"
        return [
            self._finding(
                rule, unit, period, OK if holds else FAIL, message, reported=value, computed=computed.value
            )
        ]

    def _check_continuity(self, rule: ValidationRule, unit: OrgUnit, period: Period) -> list[Finding]:
        stock_code = rule.params["stock"]
        previous = period.previous()
        stock, _ = self._value(stock_code, unit, period)
        before, _ = self._value(stock_code, unit, previous)
        inflows = {c: self._value(c, unit, period)[0] for c in rule.params.get("inflows", [])}
        outflows = {c: self._value(c, unit, period)[0] for c in rule.params.get("outflows", [])}
        missing = [c for c, v in {**inflows, **outflows}.items() if v is None]
        if stock is None or before is None or missing:
            gaps = (
                ([f"{stock_code} ({period.label})"] if stock is None else [])
                + ([f"{stock_code} ({previous.label})"] if before is None else [])
                + missing
            )
            return [self._finding(rule, unit, period, SKIPPED, f"thiếu số liệu: {', '.join(gaps)}")]
        expected = (
            before
            + sum(v for v in inflows.values() if v is not None)
            - sum(v for v in outflows.values() if v is not None)
        )
        holds = expected == stock
        ins = "".join(f" + {_fmt(v)}" for v in inflows.values())
        outs = "".join(f" − {_fmt(v)}" for v in outflows.values())
        message = f"{previous.label}: {_fmt(before)}{ins}{outs} = {_fmt(expected)} {'=' if holds else '≠'} {_fmt(stock)}"
        return [
            self._finding(rule, unit, period, OK if holds else FAIL, message, expected=expected, stock=stock)
        ]

    def _check_range(self, rule: ValidationRule, unit: OrgUnit, period: Period) -> list[Finding]:
        levels = rule.params.get("levels")
        if levels and unit.level not in levels:
            return []
        code = rule.params["indicator"]
        # A figure as the unit reported it; the rate rules judge recomputed rates.
        reported = self.agg.reported(code, unit, period)
        value = reported[0] if reported is not None else self._value(code, unit, period)[0]
        if value is None:
            return [self._finding(rule, unit, period, SKIPPED, f"thiếu số liệu: {code}")]
        low, high = Decimal(str(rule.params.get("min", 0))), Decimal(str(rule.params["max"]))
        holds = low <= value <= high
        relation = "trong khoảng" if holds else "ngoài khoảng"
        message = f"{code} = {_fmt(value)} {relation} {_fmt(low)} – {_fmt(high)}"
        return [self._finding(rule, unit, period, OK if holds else FAIL, message, value=value)]

    def _check_jump(self, rule: ValidationRule, unit: OrgUnit, period: Period) -> list[Finding]:
        factor = Decimal(str(rule.params.get("factor", 10)))
        previous = period.previous()
        findings: list[Finding] = []
        compared = 0
        for code in sorted(self.agg.codes_with_kind(IndicatorKind.FLOW, IndicatorKind.STOCK)):
            now = self.agg.reported(code, unit, period)
            before = self.agg.reported(code, unit, previous)
            if now is None or before is None or before[0] <= 0 or now[0] <= 0:
                continue
            compared += 1
            ratio = now[0] / before[0]
            if ratio > factor or ratio < 1 / factor:
                change = (
                    f"gấp {format_number(ratio, max_decimals=1)} lần"
                    if ratio > 1
                    else f"chỉ bằng {format_number(ratio * 100, max_decimals=2)}%"
                )
                message = f"{code}: {_fmt(now[0])} so với {_fmt(before[0])} ({previous.label}), {change}"
                findings.append(
                    self._finding(rule, unit, period, FAIL, message, now=now[0], before=before[0])
                )
        if not findings:
            status = OK if compared else SKIPPED
            message = (
                f"{compared} chỉ tiêu so với {previous.label}, không có biến động quá {format_number(factor)} lần"
                if compared
                else f"chưa có số liệu {previous.label} để so sánh"
            )
            findings.append(self._finding(rule, unit, period, status, message))
        return findings


def validate(unit: OrgUnit, period: Period, *, aggregator: Aggregator | None = None) -> list[Finding]:
    return Validator(aggregator).validate(unit, period)


__all__ = ["FAIL", "OK", "SKIPPED", "Finding", "RuleKind", "Validator", "validate"]
