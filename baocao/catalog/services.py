"""Loading and editing the indicator catalog — the only write path to catalog tables."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from baocao.access.access import require_admin
from baocao.audit.services import record
from baocao.core.formulas import FormulaError, check_formulas, parse_formula

from .models import RULE_PARAM_CODES, Field, Indicator, IndicatorKind, RuleKind, Severity, ValidationRule

DATA_DIR = Path(__file__).resolve().parent / "data"
INDICATORS_CSV = DATA_DIR / "indicators.csv"
FIELDS_CSV = DATA_DIR / "fields.csv"
RULES_YAML = DATA_DIR / "rules.yaml"

INDICATOR_COLUMNS = ("code", "field", "name_vi", "unit", "kind", "formula")


class CatalogError(ValidationError):
    """Every problem of a catalog file at once, each naming file, line and field."""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.created)} mới, {len(self.updated)} cập nhật, {self.unchanged} không đổi"


def _read_fields(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {
                "code": r["code"],
                "order": int(r["order"]),
                "name_vi": r["name_vi"],
                "name_en": r.get("name_en", ""),
            }
            for r in csv.DictReader(fh)
        ]


def read_indicator_file(path: Path, field_codes: set[str]) -> list[dict[str, Any]]:
    """Parse and check an indicator CSV; raise CatalogError listing every bad line."""
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in INDICATOR_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path.name}: thiếu cột {', '.join(missing)}")
        seen: set[str] = set()
        for line, raw in enumerate(reader, start=2):
            code = (raw["code"] or "").strip()
            where = f"{path.name}, dòng {line}"
            if not code:
                errors.append(f"{where}, cột code: trống")
                continue
            if code in seen:
                errors.append(f"{where}, cột code: mã {code} lặp lại")
            seen.add(code)
            if raw["field"] not in field_codes:
                errors.append(
                    f"{where}, cột field: lĩnh vực '{raw['field']}' không có trong danh mục lĩnh vực"
                )
            if raw["kind"] not in IndicatorKind.values:
                errors.append(f"{where}, cột kind: '{raw['kind']}' không phải flow, stock hoặc rate")
            formula = (raw["formula"] or "").strip()
            if formula:
                try:
                    parse_formula(formula)
                except FormulaError as exc:
                    errors.append(f"{where}, cột formula: {exc}")
            rows.append(
                {
                    "code": code,
                    "field": raw["field"],
                    "name_vi": raw["name_vi"].strip(),
                    "name_en": (raw.get("name_en") or "").strip(),
                    "unit": raw["unit"].strip(),
                    "kind": raw["kind"],
                    "formula": formula,
                    "yearly_attribute": (raw.get("yearly_attribute") or "").strip() in {"1", "true", "x"},
                    "note": (raw.get("note") or "").strip(),
                    "order": line,
                    **_validity(raw, where, errors),
                }
            )
    if not errors:
        errors.extend(_series_problems(rows, path.name))
        formulas = {r["code"]: r["formula"] for r in rows if r["formula"]}
        errors.extend(f"{path.name}: {msg}" for msg in check_formulas(formulas, {r["code"] for r in rows}))
    if errors:
        raise CatalogError(errors)
    return rows


def _date_cell(raw: dict[str, Any], column: str, where: str, errors: list[str]) -> date | None:
    text = (raw.get(column) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"{where}, cột {column}: '{text}' không phải ngày dạng YYYY-MM-DD")
        return None


def _validity(raw: dict[str, Any], where: str, errors: list[str]) -> dict[str, Any]:
    """The optional columns of a reporting change: interval, replaced series, source."""
    valid_from = _date_cell(raw, "valid_from", where, errors)
    valid_to = _date_cell(raw, "valid_to", where, errors)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(f"{where}, cột valid_to: {valid_to:%d/%m/%Y} trước valid_from {valid_from:%d/%m/%Y}")
    return {
        "valid_from": valid_from,
        "valid_to": valid_to,
        "replaces": (raw.get("replaces") or "").strip(),
        "source": (raw.get("source") or "").strip(),
    }


def _series_problems(rows: list[dict[str, Any]], file_name: str) -> list[str]:
    """A replaced series must exist, end before its successor starts, and not be replaced twice."""
    by_code = {r["code"]: r for r in rows}
    problems: list[str] = []
    successors: dict[str, str] = {}
    for row in rows:
        old_code = row["replaces"]
        if not old_code:
            continue
        where = f"{file_name}, mã {row['code']}, cột replaces"
        old = by_code.get(old_code)
        if old is None:
            problems.append(f"{where}: mã chỉ tiêu '{old_code}' không có trong danh mục")
            continue
        if old_code in successors:
            problems.append(f"{where}: '{old_code}' đã được thay bằng {successors[old_code]}")
        successors[old_code] = row["code"]
        if row["valid_from"] is None or old["valid_to"] is None or old["valid_to"] >= row["valid_from"]:
            problems.append(
                f"{where}: chỉ tiêu cũ '{old_code}' phải có valid_to trước valid_from của chỉ tiêu mới"
            )
    return problems


def read_rule_file(path: Path, indicators: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Parse rules.yaml, add the derived rate and percent-range rules, check every code."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    errors: list[str] = []
    rules: list[dict[str, Any]] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, quy tắc thứ {number} ({entry.get('code', '?')})"
        if entry.get("kind") not in RuleKind.values:
            errors.append(f"{where}, trường kind: '{entry.get('kind')}' không hợp lệ")
            continue
        params = entry.get("params") or {}
        for key in RULE_PARAM_CODES:
            value = params.get(key)
            for code in value if isinstance(value, list) else [value] if value else []:
                if code not in indicators:
                    errors.append(
                        f"{where}, trường params.{key}: mã chỉ tiêu '{code}' không có trong danh mục"
                    )
        rules.append(
            {
                "code": entry["code"],
                "kind": entry["kind"],
                "name_vi": entry["name_vi"],
                "params": params,
                "severity": entry.get("severity", Severity.ERROR),
            }
        )
    if errors:
        raise CatalogError(errors)
    for code, ind in indicators.items():
        if ind["kind"] == IndicatorKind.RATE and ind["formula"]:
            rules.append(
                {
                    "code": f"rate:{code}",
                    "kind": RuleKind.RATE,
                    "name_vi": f"{ind['name_vi']} khớp với thành phần ({ind['formula']})",
                    "params": {"indicator": code},
                    "severity": Severity.ERROR,
                }
            )
        if ind["unit"] == "%":
            rules.append(
                {
                    "code": f"range:{code}",
                    "kind": RuleKind.RANGE,
                    "name_vi": f"{ind['name_vi']} trong khoảng 0–100%",
                    "params": {"indicator": code, "min": 0, "max": 100},
                    "severity": Severity.ERROR,
                }
            )
    return rules


def _upsert(model: Any, key: str, rows: list[dict[str, Any]], result: LoadResult, actor: Any) -> None:
    name = model._meta.model_name
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    for row in rows:
        # Audit the field by its code rather than the Field instance.
        wanted = {k: (v.code if k == "field" else v) for k, v in row.items()}
        obj = existing.get(row[key])
        if obj is None:
            model.objects.create(**row)
            result.created.append(row[key])
            record(actor, f"{name}.create", name, row[key], after=wanted)
            continue
        before = {k: (obj.field.code if k == "field" else getattr(obj, k)) for k in row}
        if before == wanted:
            result.unchanged += 1
            continue
        for k, v in row.items():
            setattr(obj, k, v)
        obj.save()
        result.updated.append(row[key])
        record(actor, f"{name}.update", name, row[key], before=before, after=wanted)


def load_catalog(
    actor: AbstractBaseUser | AnonymousUser,
    *,
    indicators_csv: Path = INDICATORS_CSV,
    fields_csv: Path = FIELDS_CSV,
    rules_yaml: Path = RULES_YAML,
) -> LoadResult:
    """Create or update fields, indicators and rules from the catalog files (idempotent).

    Codes present in the database but absent from the files are kept: data may refer to them.
    """
    require_admin(actor)
    field_rows = _read_fields(fields_csv)
    indicator_rows = read_indicator_file(indicators_csv, {f["code"] for f in field_rows})
    rule_rows = read_rule_file(rules_yaml, {r["code"]: r for r in indicator_rows})
    result = LoadResult()
    with transaction.atomic():
        _upsert(Field, "code", field_rows, result, actor)
        fields = {f.code: f for f in Field.objects.all()}
        for row in indicator_rows:
            row["field"] = fields[row["field"]]
        _upsert(Indicator, "code", indicator_rows, result, actor)
        _upsert(ValidationRule, "code", rule_rows, result, actor)
    return result


def update_indicator(
    actor: AbstractBaseUser | AnonymousUser, indicator: Indicator, *, reason: str = "", **changes: Any
) -> Indicator:
    """Edit one indicator (administrators); a formula must parse and refer to known codes."""
    require_admin(actor)
    allowed = {"name_vi", "name_en", "unit", "formula", "note", "is_active", "order"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: "Không sửa được trường này" for name in unknown})
    if changes.get("formula"):
        formulas = dict(Indicator.objects.exclude(formula="").values_list("code", "formula"))
        formulas[indicator.code] = changes["formula"]
        problems = check_formulas(formulas, set(Indicator.objects.values_list("code", flat=True)))
        if problems:
            raise ValidationError({"formula": problems})
    with transaction.atomic():
        before = {k: getattr(indicator, k) for k in changes}
        for k, v in changes.items():
            setattr(indicator, k, v)
        indicator.save()
        record(
            actor,
            "indicator.update",
            "indicator",
            indicator.code,
            before=before,
            after=changes,
            reason=reason,
        )
    return indicator
