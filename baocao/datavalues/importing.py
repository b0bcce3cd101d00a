"""Importing values from CSV, XLSX and JSON (including the gold/extraction JSON shape).

A file is read completely and checked before anything is stored; a bad file raises
`ImportFileError` whose messages name the file, the line/row and the field, and stores
nothing. The rows then go through `services.save_values` (permission, audit, atomic).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

from baocao.core.cells import restore
from baocao.core.limits import LimitExceeded, check_size, check_zip, current
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.core.vnnum import VietnameseNumberError, parse_number
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.orgunits.models import OrgUnit

from .models import Qualifier, Source
from .services import DEFAULT_REGIME, SaveResult, ValueError_, ValueInput, save_values
from .validation import Finding, validate

Actor = AbstractBaseUser | AnonymousUser
COLUMN_ALIASES = {
    "indicator": ("indicator", "chi_tieu", "ma_chi_tieu", "mã chỉ tiêu", "code"),
    "unit": ("unit", "don_vi", "đơn vị", "unit_code"),
    "period": ("period", "ky", "kỳ", "kỳ báo cáo"),
    "value": ("value", "gia_tri", "giá trị", "số liệu"),
    "qualifier": ("qualifier", "loai_so", "tính chất"),
    "target": ("target", "is_target", "ke_hoach", "kế hoạch"),
    "regime": ("regime", "che_do", "chế độ"),
    "comment": ("comment", "ghi_chu", "ghi chú"),
}
TRUE_WORDS = {"1", "true", "x", "có", "co", "yes", "kế hoạch", "ke hoach", "chỉ tiêu"}


class ImportFileError(ValidationError):
    """The file was refused; nothing from it was stored."""


@dataclass
class ImportResult:
    path: str
    saved: SaveResult
    findings: list[Finding] = field(default_factory=list)
    pairs: list[tuple[OrgUnit, Period]] = field(default_factory=list)


class _Resolver:
    """Caches unit and period look-ups; collects errors with their place instead of raising."""

    def __init__(self, default_unit: OrgUnit | None) -> None:
        self.default_unit = default_unit
        self.units: dict[tuple[str, date], OrgUnit] = {}
        self.periods: dict[str, Period] = {}

    def period(self, text: str) -> Period:
        if text not in self.periods:
            self.periods[text] = parse_period(text)
        return self.periods[text]

    def unit(self, text: str, period: Period) -> OrgUnit:
        if not text:
            if self.default_unit is None:
                raise UnitNotFound("chưa có đơn vị: thêm cột unit hoặc dùng --unit")
            return self.default_unit
        key = (text, period.start)
        if key not in self.units:
            self.units[key] = find_unit(text, on=period.end)
        return self.units[key]


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise VietnameseNumberError(f"'{raw}' không phải là số")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    return parse_number(str(raw))


def _flag(raw: Any) -> bool:
    return str(raw or "").strip().lower() in TRUE_WORDS


def _rows_from_table(
    header: list[str], rows: Iterator[tuple[int, list[Any]]], name: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    wanted = {}
    lowered = [str(h or "").strip().lower() for h in header]
    for canonical, aliases in COLUMN_ALIASES.items():
        for i, h in enumerate(lowered):
            if h in aliases:
                wanted[canonical] = i
                break
    missing = [c for c in ("indicator", "period", "value") if c not in wanted]
    if missing:
        raise ImportFileError(f"{name}, dòng 1: thiếu cột {', '.join(missing)} (có: {', '.join(lowered)})")
    for line, cells in rows:
        if not any(str(c or "").strip() for c in cells):
            continue
        record = {k: (cells[i] if i < len(cells) else None) for k, i in wanted.items()}
        yield f"{name}, dòng {line}", record


def _read_csv(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    _bounded_text(path)
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        raise ImportFileError(f"{path.name}: tệp trống")
    yield from _rows_from_table(header, ((n, r) for n, r in enumerate(reader, start=2)), path.name)


def bounded_workbook(source: Path | IO[bytes], name: str) -> None:
    """Refuse a workbook that would inflate past the bounds of baocao.core.limits (or is damaged)
    before openpyxl opens it: openpyxl builds shared strings and styles in memory."""
    try:
        check_zip(source, name)
    except LimitExceeded as exc:
        raise ImportFileError(str(exc)) from None


def _read_xlsx(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    from openpyxl import load_workbook

    bounded_workbook(path, path.name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(f"{path.name}: không đọc được tệp Excel ({exc})") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(f"{path.name}: trang tính trống")
    name = f"{path.name} (trang {sheet.title})"
    yield from _rows_from_table(list(header), ((n, list(r)) for n, r in enumerate(rows, start=2)), name)


def _bounded_text(path: Path) -> None:
    """This reader holds the whole file: bounded like a report's text (`baocao import --bulk`
    streams files of any size)."""
    try:
        check_size(path.name, path.stat().st_size, current().max_text_bytes)
    except LimitExceeded as exc:
        raise ImportFileError(f"{exc}; tệp lớn hãy nhập bằng tác vụ nền (baocao import --bulk)") from None


def _read_json(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]:
    _bounded_text(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path.name}, dòng {exc.lineno}, cột {exc.colno}: JSON không hợp lệ ({exc.msg})"
        ) from exc
    if isinstance(data, dict) and "facts" in data:
        return _gold_rows(path, data), data
    items = data.get("values") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportFileError(
            f"{path.name}: cần một danh sách giá trị, một đối tượng có 'values' hoặc 'facts'"
        )
    return [(f"{path.name}, phần tử {i}", item) for i, item in enumerate(items, start=1)], {}


def _gold_rows(path: Path, data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Facts of a gold/extraction file; a fact's own period defaults to the report's period."""
    try:
        report_period = Period.from_dict(data["period"])
    except (KeyError, TypeError, ValueError, PeriodError) as exc:
        raise ImportFileError(f"{path.name}, trường period: kỳ báo cáo không hợp lệ ({exc})") from exc
    rows = []
    for i, fact in enumerate(data["facts"], start=1):
        where = f"{path.name}, facts[{i}] ({fact.get('indicator', '?')})"
        try:
            period = Period.from_dict(fact["period"]) if fact.get("period") else report_period
        except (TypeError, ValueError, PeriodError) as exc:
            rows.append((where, {"error": f"trường period: {exc}"}))
            continue
        evidence = fact.get("evidence") or ""
        rows.append(
            (
                where,
                {
                    "indicator": fact.get("indicator"),
                    "period": period.code,
                    "value": fact.get("value"),
                    "qualifier": fact.get("qualifier") or Qualifier.EXACT,
                    "target": bool(fact.get("target")),
                    "flag": fact.get("flag") or "",
                    "comment": f"Trích: «{evidence}»" if evidence else "",
                    "unit": data.get("province") or "",
                },
            )
        )
    return rows


def read_values(path: Path, *, unit: OrgUnit | None = None, regime: str = DEFAULT_REGIME) -> list[ValueInput]:
    """Read and check every row of a file; raise ImportFileError listing every bad row."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileError(f"{path}: không tìm thấy tệp")
    if suffix == ".csv":
        raw_rows: list[tuple[str, dict[str, Any]]] = list(_read_csv(path))
    elif suffix in (".xlsx", ".xlsm"):
        raw_rows = list(_read_xlsx(path))
    elif suffix == ".json":
        raw_rows, _ = _read_json(path)
    else:
        raise ImportFileError(f"{path.name}: định dạng '{suffix}' không được hỗ trợ (CSV, XLSX, JSON)")
    resolver = _Resolver(unit)
    errors: list[str] = []
    inputs: list[ValueInput] = []
    for where, row in raw_rows:
        if "error" in row:
            errors.append(f"{where}, {row['error']}")
            continue
        try:
            period = resolver.period(str(row.get("period") or "").strip())
        except PeriodError as exc:
            errors.append(f"{where}, cột period: {exc}")
            continue
        try:
            # A unit named in the row is where the row goes; `unit` only fills rows naming none.
            row_unit = resolver.unit(str(row.get("unit") or "").strip(), period)
        except UnitNotFound as exc:
            errors.append(f"{where}, cột unit: {exc}")
            continue
        try:
            value = _number(row.get("value"))
        except (VietnameseNumberError, ArithmeticError, ValueError) as exc:
            errors.append(f"{where}, cột value: '{row.get('value')}' không phải là số ({exc})")
            continue
        inputs.append(
            ValueInput(
                indicator=str(row.get("indicator") or "").strip(),
                unit=row_unit,
                period=period,
                value=value,
                qualifier=str(row.get("qualifier") or Qualifier.EXACT).strip(),
                is_target=row["target"] if isinstance(row.get("target"), bool) else _flag(row.get("target")),
                regime=str(row.get("regime") or regime).strip(),
                comment=restore(str(row.get("comment") or "")),
                flag=str(row.get("flag") or ""),
                where=where,
            )
        )
    if errors:
        raise ImportFileError(errors)
    return inputs


def _is_extraction(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    data = json.loads(path.read_text(encoding="utf-8"))
    return isinstance(data, dict) and "facts" in data


def import_file(
    actor: Actor,
    path: Path,
    *,
    unit: OrgUnit | None = None,
    regime: str = DEFAULT_REGIME,
    source: str | None = None,
    reason: str = "",
) -> ImportResult:
    """Import one file all-or-nothing, then validate every (unit, period) it touched.

    Figures of a report's extraction JSON (the gold shape, with "facts") are stored with source
    "extraction" and the file's name, other files with source "import".
    """
    inputs = read_values(path, unit=unit, regime=regime)
    if source is None:
        source = Source.EXTRACTION if _is_extraction(path) else Source.IMPORT
    try:
        saved = save_values(
            actor, inputs, source=source, source_ref=path.name, reason=reason or f"Nhập từ {path.name}"
        )
    except ValueError_ as exc:
        raise ImportFileError(exc.messages) from exc
    pairs = sorted({(i.unit.pk, i.period) for i in inputs if not i.is_target}, key=lambda p: (p[0], p[1]))
    units = {i.unit.pk: i.unit for i in inputs}
    result = ImportResult(str(path), saved, pairs=[(units[u], p) for u, p in pairs])
    for unit_obj, period in result.pairs:
        result.findings.extend(f for f in validate(unit_obj, period) if f.status == "fail")
    return result
