"""The data-entry form as an Excel workbook: download, fill in offline, upload back.

The template lists the indicators of one section (or all of them) for one unit and period,
with codes, names, units, last period's value and the values stored so far; only the input
columns are unlocked, and they carry data validation (non-negative numbers, a qualifier list).
A hidden sheet records which unit and period the template belongs to.

Uploading reads the whole file first and refuses it with row-level messages if anything is
wrong; the values then go through `services.save_values`, which is all-or-nothing itself.
Files that are not this template (an export, a CSV) are read by `importing.read_values`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from baocao.access.access import Perm, require
from baocao.catalog.models import Field, Indicator, in_force
from baocao.core.cells import neutralise, restore
from baocao.core.periods import Period
from baocao.core.vnnum import VietnameseNumberError, parse_number, parse_quantity
from baocao.orgunits.models import OrgUnit

from .aggregation import Aggregator
from .importing import ImportFileError, bounded_workbook, read_values
from .models import DataValue, Qualifier, Source
from .services import DEFAULT_REGIME, SaveResult, ValueError_, ValueInput, save_values
from .validation import FAIL, Finding, validate

Actor = AbstractBaseUser | AnonymousUser

MARKER = "baocao-entry-template"
VERSION = "1"
META_SHEET = "_baocao"
DATA_SHEET = "Nhập liệu"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
COLUMNS = ("STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Kỳ trước", "Kế hoạch kỳ này",
           "Số liệu kỳ này", "Tính chất", "Ghi chú")
COL_CODE, COL_PLAN, COL_VALUE, COL_QUALIFIER, COL_COMMENT = 2, 6, 7, 8, 9
COLUMN_LETTER = {COL_PLAN: "F", COL_VALUE: "G", COL_QUALIFIER: "H", COL_COMMENT: "I"}
QUALIFIER_WORDS: dict[str, str] = {"chính xác": Qualifier.EXACT, "ước": Qualifier.APPROX, "hơn": Qualifier.MORE_THAN,
                   "dưới": Qualifier.LESS_THAN}
WORD_OF_QUALIFIER: dict[str, str] = {str(v): k for k, v in QUALIFIER_WORDS.items()}


@dataclass
class TemplateImport:
    saved: SaveResult
    rows: int
    findings: list[Finding] = field(default_factory=list)


# -- download ---------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _row_cells(
    number: int, ind: Indicator, value: DataValue | None, plan: DataValue | None, before: Decimal | None
) -> list[Any]:
    """The cells of one indicator's row, in the order of COLUMNS."""
    return [
        number,
        ind.code,
        ind.name_vi + (f" (= {ind.formula})" if ind.formula else ""),
        ind.unit,
        _number(before),
        _number(plan.value) if plan else None,
        _number(value.value) if value else None,
        WORD_OF_QUALIFIER.get(value.qualifier, "chính xác") if value else "chính xác",
        value.comment if value else "",
    ]


def build_template(actor: Actor, unit: OrgUnit, period: Period, fields: list[Field]) -> bytes:
    """The workbook for `unit`, `period` and the indicators of `fields` (the user must see the unit)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    require(actor, unit, Perm.VIEW)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    previous = period.previous()
    navy = "1F3A68"
    bold = Font(bold=True)
    thin = Side(style="thin", color="B8C2D1")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor="FFF8DC")
    unlocked = Protection(locked=False)

    sheet["A1"] = "BIỂU NHẬP SỐ LIỆU BÁO CÁO"
    sheet["A1"].font = Font(bold=True, size=14, color=navy)
    sheet["A2"] = f"Đơn vị: {unit.full_name or unit.name} (mã {unit.code}) — Kỳ báo cáo: {period.label}"
    sheet["A2"].font = bold
    sheet["A3"] = "Lĩnh vực: " + ("; ".join(f.name_vi for f in fields) if len(fields) < 4 else "tất cả")
    sheet["A4"] = (
        "Nhập số liệu vào cột G (kế hoạch vào cột F), chọn tính chất ở cột H. Ô để trống: giữ nguyên "
        "số liệu đã có. Tỷ lệ ghi theo phần trăm (73,95 nghĩa là 73,95%); tiền ghi bằng đồng."
    )
    sheet["A4"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A4:I4")
    sheet.row_dimensions[4].height = 32
    headers = list(COLUMNS)
    headers[4] = f"Kỳ trước ({previous.label})"
    headers[5] = f"Kế hoạch {period.label}"
    headers[6] = f"Số liệu {period.label}"
    for col, title in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=navy)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = box
    sheet.row_dimensions[HEADER_ROW].height = 36

    indicators = [
        i for f in fields for i in f.indicators.filter(in_force(period), is_active=True).order_by("order", "code")
    ]
    stored = {
        (dv.indicator.code, dv.is_target): dv
        for dv in DataValue.objects.filter(
            unit=unit, period=period.code, regime=DEFAULT_REGIME, indicator__in=indicators
        ).select_related("indicator")
    }
    agg = Aggregator()
    numbers = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="Số liệu không hợp lệ", error="Nhập một số không âm (ví dụ 1599 hoặc 73,95).",
    )
    qualifiers = DataValidation(
        type="list", formula1='"' + ",".join(QUALIFIER_WORDS) + '"', allow_blank=True,
        showErrorMessage=True, errorTitle="Tính chất", error="Chọn: chính xác, ước, hơn hoặc dưới.",
    )
    sheet.add_data_validation(numbers)
    sheet.add_data_validation(qualifiers)
    row = FIRST_ROW
    current_field = None
    for number, ind in enumerate(indicators, start=1):
        if len(fields) > 1 and ind.field_id != current_field:
            current_field = ind.field_id
            sheet.cell(row=row, column=1, value=ind.field.name_vi.upper()).font = Font(bold=True, color=navy)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
            row += 1
        before = agg.resolve(ind.code, unit, previous).value
        cells = _row_cells(number, ind, stored.get((ind.code, False)), stored.get((ind.code, True)), before)
        for col, content in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=col, value=neutralise(content))
            cell.border = box
            if col in (5, 6, 7):
                integral = all(v is None or float(v).is_integer() for v in (cells[4], cells[5], cells[6]))
                cell.number_format = "#,##0" if integral and not ind.is_percent else "#,##0.00"
            if col in COLUMN_LETTER:
                cell.protection = unlocked
                cell.fill = input_fill
        numbers.add(f"F{row}:G{row}")
        qualifiers.add(f"H{row}")
        row += 1
    for letter, width in zip("ABCDEFGHI", (5, 30, 60, 14, 16, 16, 16, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"D{FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    meta = book.create_sheet(META_SHEET)
    for r, content in enumerate((MARKER, VERSION, unit.code, period.code, ",".join(f.code for f in fields)), 1):
        meta.cell(row=r, column=1, value=content)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- upload -----------------------------------------------------------------------------------------


def _cell_number(raw: Any) -> tuple[Decimal, str | None]:
    """A number cell, or a text cell written the Vietnamese way ("1.599", "ước 76 tỷ")."""
    if isinstance(raw, bool):
        raise VietnameseNumberError(f"'{raw}' không phải là số")
    if isinstance(raw, int | Decimal):
        return Decimal(raw), None
    if isinstance(raw, float):
        return Decimal(repr(raw)), None
    text = " ".join(str(raw).split())
    try:
        return parse_number(text), None
    except VietnameseNumberError:
        quantity = parse_quantity(text)
        return quantity.value, (quantity.qualifier if quantity.qualifier != Qualifier.EXACT else None)


def _qualifier(raw: Any) -> str | None:
    text = " ".join(str(raw or "").split()).casefold()
    if not text:
        return Qualifier.EXACT
    if text in QUALIFIER_WORDS:
        return QUALIFIER_WORDS[text]
    return text if text in Qualifier.values else None


def is_template(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False
    from openpyxl import load_workbook

    bounded_workbook(path, path.name)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook at all: the generic reader will say so precisely
        return False
    try:
        if META_SHEET not in book.sheetnames:
            return False
        first = next(book[META_SHEET].iter_rows(min_row=1, max_row=1, values_only=True), (None,))
        return first[0] == MARKER
    finally:
        book.close()


def _template_rows(path: Path, *, unit: OrgUnit, period: Period) -> list[tuple[Any, ...]]:
    """The data rows of a template, once its hidden sheet says it is this unit's and period's and
    its header row is intact; ImportFileError saying which check failed."""
    from openpyxl import load_workbook

    name = path.name
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        meta = [r[0] if r else None for r in book[META_SHEET].iter_rows(min_row=1, max_row=5, values_only=True)]
        meta += [None] * (5 - len(meta))
        if str(meta[2]) != unit.code or str(meta[3]) != period.code:
            other = Period.from_code(str(meta[3])).label if meta[3] else "?"
            raise ImportFileError(
                f"{name}: đây là biểu mẫu của đơn vị {meta[2]}, {other}; trang này nhập cho "
                f"{unit.code}, {period.label}. Hãy tải biểu mẫu của đúng đơn vị và kỳ."
            )
        if DATA_SHEET not in book.sheetnames:
            raise ImportFileError(f"{name}: thiếu trang tính '{DATA_SHEET}'")
        sheet = book[DATA_SHEET]
        header = next(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True), ())
        if len(header) < len(COLUMNS) or str(header[COL_CODE - 1] or "") != COLUMNS[COL_CODE - 1]:
            raise ImportFileError(f"{name}, dòng {HEADER_ROW}: dòng tiêu đề của biểu mẫu đã bị sửa")
        return [tuple(cells) for cells in sheet.iter_rows(min_row=FIRST_ROW, values_only=True)]
    finally:
        book.close()


def _row_values(
    where: str, cells: tuple[Any, ...], *, unit: OrgUnit, period: Period, errors: list[str]
) -> list[ValueInput]:
    """The value and the plan of one filled row (a code checked by the caller); its problems are
    added to ``errors``."""
    code = str(cells[COL_CODE - 1] or "").strip()
    qualifier = _qualifier(cells[COL_QUALIFIER - 1])
    if qualifier is None:
        errors.append(
            f"{where}, cột H: tính chất '{cells[COL_QUALIFIER - 1]}' không hợp lệ (chọn {', '.join(QUALIFIER_WORDS)})"
        )
        return []
    comment = restore(str(cells[COL_COMMENT - 1] or "").strip())
    inputs = []
    for column, is_target in ((COL_VALUE, False), (COL_PLAN, True)):
        raw = cells[column - 1]
        if raw is None or str(raw).strip() == "":
            continue
        at = f"{where}, cột {COLUMN_LETTER[column]}"
        try:
            number, typed = _cell_number(raw)
        except (VietnameseNumberError, InvalidOperation, ValueError):
            errors.append(f"{at} ({code}): '{raw}' không phải là số (ví dụ 1599, 1.599 hoặc 73,95)")
            continue
        if number < 0:
            errors.append(f"{at} ({code}): không nhận giá trị âm ({raw})")
            continue
        row_qualifier = typed if typed and qualifier == Qualifier.EXACT else qualifier
        inputs.append(
            ValueInput(
                indicator=code, unit=unit, period=period, value=number,
                qualifier=Qualifier.EXACT if is_target else row_qualifier, is_target=is_target,
                comment="" if is_target else comment, where=at,
            )
        )
    return inputs


def read_template(path: Path, *, unit: OrgUnit, period: Period) -> list[ValueInput]:
    """Every filled row of a template as ValueInputs; ImportFileError listing every bad row."""
    name = path.name
    rows = _template_rows(path, unit=unit, period=period)
    known = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    errors: list[str] = []
    inputs: list[ValueInput] = []
    for offset, row in enumerate(rows):
        cells = row + (None,) * (len(COLUMNS) - len(row))
        filled = [c for c in (cells[COL_VALUE - 1], cells[COL_PLAN - 1]) if c is not None and str(c).strip() != ""]
        if not filled:
            continue
        where = f"{name}, dòng {FIRST_ROW + offset}"
        code = str(cells[COL_CODE - 1] or "").strip()
        if code not in known:
            errors.append(f"{where}, cột B: mã chỉ tiêu '{code}' không có trong danh mục")
            continue
        inputs.extend(_row_values(where, cells, unit=unit, period=period, errors=errors))
    if errors:
        refused = ImportFileError(errors)
        # The rows that did read, so that a caller can check them too and report every kind of
        # error of the file in one pass (the web upload does).
        refused.parsed = inputs  # type: ignore[attr-defined]
        raise refused
    if not inputs:
        raise ImportFileError(f"{name}: không có ô số liệu nào được điền (cột F, G từ dòng {FIRST_ROW})")
    return inputs


def _generic(path: Path, *, unit: OrgUnit, period: Period) -> list[ValueInput]:
    inputs = read_values(path, unit=unit)
    wrong = [i for i in inputs if i.period != period]
    if wrong:
        raise ImportFileError(
            [f"{i.where}, cột period: {i.period.label} không phải kỳ đang nhập ({period.label})" for i in wrong]
        )
    if not inputs:
        raise ImportFileError(f"{path.name}: tệp không có dòng số liệu nào")
    return inputs


def import_upload(
    actor: Actor, path: Path, *, unit: OrgUnit, period: Period, reason: str = ""
) -> TemplateImport:
    """Store a filled template (or a CSV/XLSX in the import format) for one unit and period.

    All-or-nothing: any bad row refuses the whole file (ImportFileError naming every row).
    """
    inputs = read_template(path, unit=unit, period=period) if is_template(path) else _generic(
        path, unit=unit, period=period
    )
    try:
        saved = save_values(
            actor, inputs, source=Source.IMPORT, source_ref=path.name, reason=reason or f"Nhập từ {path.name}"
        )
    except ValueError_ as exc:
        raise ImportFileError(exc.messages) from exc
    findings = [f for f in validate(unit, period) if f.status == FAIL]
    return TemplateImport(saved=saved, rows=len(inputs), findings=findings)

