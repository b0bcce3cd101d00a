"""The mapping interpreter: a source system's export (CSV, XLSX, JSON) read into figures.

Pure Python, no Django. A mapping is data (YAML or JSON, see docs/SOURCES.md): where the
indicator label, the unit, the period and the value sit in the export, which header rows to
skip, the source's own words for each indicator, the scale and the number style. This module
only reads it; it knows nothing of any particular system.

`parse_mapping(text)` checks a mapping and says what is wrong in Vietnamese, naming the key;
`read_export(mapping, data, filename)` returns the figures with the cell each came from and
the rows it could not map (with a catalog code suggested from the label where the extraction
lexicon knows one). A layout that no longer matches the mapping (a column renamed or gone)
is a `MappingError` naming the missing column and the headers that are there.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import yaml

from baocao.core.periods import Period, PeriodError, parse_period
from baocao.core.vnnum import SCALE_WORDS, VietnameseNumberError, parse_number

FORMATS = ("csv", "xlsx", "json")
NUMBER_STYLES = ("vi", "en")
MAX_SUGGESTED = 30
BLANKS = frozenset({"", "-", "–", "—", "x", "n/a", "k/c"})
COLUMN_ROLES = ("label", "value", "unit", "period", "measure")
KNOWN_KEYS = frozenset(
    {
        "name", "description", "format", "sheet", "skip_rows", "header_rows", "delimiter", "encoding",
        "columns", "labels", "cells", "units", "period", "scale", "numbers", "other_rows", "ignore",
        "records", "fields", "regime", "source",
    }
)  # fmt: skip
_CODE_RE = re.compile(r"^[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
# Period phrases inside a longer title ("BÁO CÁO SỐ LIỆU THÁNG 10 NĂM 2024").
_PERIOD_PHRASES = re.compile(
    r"(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}|quý\s+[IVX\d]+\s*(?:/|năm)\s*\d{4}"
    r"|tháng\s+\d{1,2}\s*(?:/|năm)\s*\d{4}|năm\s+\d{4}|\d{4}-\d{2}(?!\d)|\d{1,2}/\d{4}",
    re.IGNORECASE,
)


def source_block(text: str) -> dict[str, Any]:
    """The optional `source:` block of a mapping file: how the source arrives, for
    administrators who define sources as files (`baocao sources add FILE.yaml`)."""
    block = _mapping_dict(text).get("source") or {}
    if not isinstance(block, dict):
        raise MappingError("source: cần một bảng khóa (units, arrival, url, folder, every_minutes …)")
    return block


class MappingError(ValueError):
    """A mapping that cannot be read, or an export that does not match it (message in Vietnamese)."""


# -- the mapping --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """Where a label sends its figure: an indicator code and an optional scale of its own."""

    code: str
    scale: Decimal | None = None
    target: bool = False  # a plan figure (kế hoạch), not a result


@dataclass(frozen=True)
class PeriodSpec:
    fixed: Period | None = None
    column: str = ""
    cell: str = ""
    path: str = ""
    title: bool = False  # search the rows above the header


@dataclass
class Mapping:
    name: str = ""
    format: str = ""
    sheet: str | int | None = None
    skip_rows: int = 0
    header_rows: int = 1
    delimiter: str = ""
    encoding: str = "utf-8-sig"
    columns: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Target] = field(default_factory=dict)
    cells: dict[str, dict[str, Target]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    period: PeriodSpec = field(default_factory=PeriodSpec)
    scale: Decimal = Decimal(1)
    numbers: str = "vi"
    other_rows: str = "report"
    ignore: frozenset[str] = frozenset()
    records: str = ""
    fields: dict[str, Target] = field(default_factory=dict)
    regime: str = "hanh_chinh"

    def codes(self) -> set[str]:
        found = {t.code for t in self.labels.values()} | {t.code for t in self.fields.values()}
        for row in self.cells.values():
            found |= {t.code for t in row.values()}
        return found


def fold(text: Any) -> str:
    """A label as compared: NFC, case-folded, bullets and numbering dropped, spaces collapsed."""
    value = unicodedata.normalize("NFC", str(text if text is not None else "")).casefold()
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r"^(?:[-+•*–]\s*|\d+(?:\.\d+)*[.)]\s+|[a-zđ]\)\s+)", "", value)
    return value.rstrip(" :").strip()


def _scale_of(raw: Any, where: str) -> Decimal:
    if raw is None or raw == "":
        return Decimal(1)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = fold(raw)
    if text in ("", "1", "đơn vị", "đồng"):
        return Decimal(1)
    word = text.split()[0]
    if word in SCALE_WORDS:
        return SCALE_WORDS[word]
    raise MappingError(f"{where}: thang số '{raw}' không hiểu (dùng nghìn, triệu, tỷ hoặc một số)")


def _target(raw: Any, where: str) -> Target:
    if isinstance(raw, str):
        code, scale, plan = raw.strip(), None, False
    elif isinstance(raw, dict):
        code = str(raw.get("code", "")).strip()
        scale = _scale_of(raw["scale"], f"{where}.scale") if raw.get("scale") not in (None, "") else None
        plan = bool(raw.get("target", False))
    else:
        raise MappingError(f"{where}: cần một mã chỉ tiêu hoặc {{code: …, scale: …}}, không phải {raw!r}")
    if not _CODE_RE.match(code):
        raise MappingError(f"{where}: '{code}' không phải là mã chỉ tiêu (ví dụ vt.tram_bts)")
    return Target(code, scale, plan)


def _period_spec(raw: Any) -> PeriodSpec:
    if raw is None:
        return PeriodSpec()
    if isinstance(raw, (str, int)):
        return PeriodSpec(fixed=_parse_period_text(str(raw), "period"))
    if not isinstance(raw, dict):
        raise MappingError("period: cần một kỳ ('quý III/2024') hoặc {column|cell|path|title: …}")
    spec = PeriodSpec(
        column=str(raw.get("column", "") or ""), cell=str(raw.get("cell", "") or "").upper(),
        path=str(raw.get("path", "") or ""), title=bool(raw.get("title", False)),
    )  # fmt: skip
    if not (spec.column or spec.cell or spec.path or spec.title):
        raise MappingError("period: cần một trong column (cột), cell (ô, ví dụ A3), path (JSON) hoặc title: true")
    if spec.cell and not re.fullmatch(r"[A-Z]{1,3}\d{1,6}", spec.cell):
        raise MappingError(f"period.cell: '{spec.cell}' không phải địa chỉ ô (ví dụ A3)")
    return spec


def _mapping_dict(text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (dòng {mark.line + 1}, cột {mark.column + 1})" if mark is not None else ""
        raise MappingError(f"Bảng ánh xạ không đọc được{where}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise MappingError("Bảng ánh xạ phải là một bảng khóa: giá trị (YAML hoặc JSON)")
    unknown = sorted(set(map(str, data)) - KNOWN_KEYS)
    if unknown:
        raise MappingError(f"Khóa không biết trong bảng ánh xạ: {', '.join(unknown)}")
    return data


def _int_key(data: dict[str, Any], key: str, default: int, low: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise MappingError(f"{key}: cần một số nguyên từ {low} trở lên, không phải {value!r}")
    return value


def _str_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise MappingError(f"{key}: cần một bảng khóa: giá trị")
    return {str(k): v for k, v in value.items()}


def _columns(data: dict[str, Any]) -> dict[str, str]:
    columns = {k: str(v) for k, v in _str_dict(data, "columns").items()}
    unknown = sorted(set(columns) - set(COLUMN_ROLES))
    if unknown:
        raise MappingError(f"columns: vai trò không biết {', '.join(unknown)} (dùng {', '.join(COLUMN_ROLES)})")
    return columns


def parse_mapping(text: str) -> Mapping:
    """A mapping from its YAML/JSON text, checked; MappingError says what is wrong and where."""
    data = _mapping_dict(text)
    fmt = str(data.get("format", "") or "").lower()
    if fmt and fmt not in FORMATS:
        raise MappingError(f"format: '{fmt}' không hỗ trợ (dùng {', '.join(FORMATS)})")
    numbers = str(data.get("numbers", "vi"))
    if numbers not in NUMBER_STYLES:
        raise MappingError(f"numbers: '{numbers}' không hỗ trợ (vi: 1.234,5; en: 1,234.5)")
    other = str(data.get("other_rows", "report"))
    if other not in ("report", "ignore"):
        raise MappingError(f"other_rows: '{other}' không hỗ trợ (report hoặc ignore)")
    mapping = Mapping(
        name=str(data.get("name", "") or ""), format=fmt, sheet=data.get("sheet"),
        skip_rows=_int_key(data, "skip_rows", 0, 0), header_rows=_int_key(data, "header_rows", 1, 1),
        delimiter=str(data.get("delimiter", "") or ""), encoding=str(data.get("encoding", "utf-8-sig")),
        columns=_columns(data), scale=_scale_of(data.get("scale"), "scale"), numbers=numbers, other_rows=other,
        ignore=frozenset(fold(x) for x in data.get("ignore") or []), records=str(data.get("records", "") or ""),
        period=_period_spec(data.get("period")), regime=str(data.get("regime", "hanh_chinh")),
    )  # fmt: skip
    mapping.labels = {fold(k): _target(v, f"labels['{k}']") for k, v in _str_dict(data, "labels").items()}
    mapping.fields = {k: _target(v, f"fields['{k}']") for k, v in _str_dict(data, "fields").items()}
    for row, cols in _str_dict(data, "cells").items():
        if not isinstance(cols, dict):
            raise MappingError(f"cells['{row}']: cần một bảng cột: mã chỉ tiêu")
        mapping.cells[fold(row)] = {str(c): _target(v, f"cells['{row}']['{c}']") for c, v in cols.items()}
    mapping.units = {fold(k): str(v) for k, v in _str_dict(data, "units").items()}
    _check_shape(mapping)
    return mapping


def _check_shape(m: Mapping) -> None:
    if not (m.labels or m.cells or m.fields):
        raise MappingError("Bảng ánh xạ chưa có chỉ tiêu nào: cần labels, cells (bảng) hoặc fields (JSON)")
    if m.labels and not ({"label", "value"} <= set(m.columns)):
        raise MappingError("labels cần columns.label (cột tên chỉ tiêu) và columns.value (cột số liệu)")
    if m.cells and "label" not in m.columns:
        raise MappingError("cells cần columns.label: cột ghi tên dòng")
    if m.fields and m.format not in ("", "json"):
        raise MappingError("fields (đường dẫn JSON) chỉ dùng với format: json")


# -- what a reading produces ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    code: str
    label: str  # the source's own words
    unit: str  # as the export names it ("" = the source's own unit)
    period: Period
    value: Decimal
    where: str  # the cell: "Trang 'TB_BTS', ô D7", "dòng 12, cột F", "$.thong_ke[2].so_luong"
    target: bool = False


@dataclass(frozen=True)
class Unmapped:
    where: str
    label: str
    reason: str
    suggestion: str = ""  # a catalog code the extraction lexicon reads the label as


@dataclass
class Reading:
    figures: list[Figure] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    ignored: int = 0
    rows: int = 0

    def suggest(self, label: str) -> str:
        """A code for an unmapped label, for the first rows only: the extraction engine takes a
        fifth of a second per label, and a file of a thousand strange rows needs a mapping
        fixed, not a thousand guesses."""
        return suggest_code(label) if len(self.unmapped) < MAX_SUGGESTED else ""


# -- numbers and periods ------------------------------------------------------------------------------------
def read_number(raw: Any, style: str) -> Decimal | None:
    """A cell as a Decimal; None for a blank ("", "-", "x"); ValueError for anything else."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        number = Decimal(repr(raw))
        return Decimal(int(number)) if number == number.to_integral_value() else number
    if isinstance(raw, Decimal):
        return raw
    text = unicodedata.normalize("NFC", str(raw)).replace("\u00a0", " ").strip()
    if text.casefold() in BLANKS:
        return None
    text = text.replace(" ", "").rstrip("%")
    if style == "en":
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise ValueError(text) from None
    try:
        return parse_number(text)
    except VietnameseNumberError:
        raise ValueError(text) from None


def read_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().casefold() in BLANKS)


def _parse_period_text(text: str, where: str) -> Period:
    found = find_period(text)
    if found is None:
        raise MappingError(f"{where}: '{text}' không phải là kỳ báo cáo (ví dụ 'quý III/2024', 'tháng 10/2024')")
    return found


def find_period(text: Any) -> Period | None:
    """The period a cell or a title names: the whole text, or a period phrase inside it."""
    if text is None:
        return None
    raw = str(text).strip()
    if not raw:
        return None
    try:
        return parse_period(raw)
    except PeriodError:
        pass
    for match in _PERIOD_PHRASES.finditer(raw):
        phrase = match.group(0)
        if re.fullmatch(r"\d{1,2}/\d{4}", phrase):
            phrase = f"tháng {phrase}"
        try:
            return parse_period(phrase)
        except PeriodError:
            continue
    return None


# -- label suggestions from the extraction lexicon -------------------------------------------------------
@lru_cache(maxsize=512)
def suggest_code(label: str) -> str:
    """The catalog code the extraction lexicon reads a label as ("" when it reads none).

    The extractor is asked about a one-line sentence "<label>: 1.234", the way reports state a
    figure, so the phrasings it knows serve mappings too without a second list of them."""
    from baocao.extraction import extract_text

    text = str(label).strip().rstrip(":")
    if not text or len(text) > 200:
        return ""
    try:
        result = extract_text(f"{text}: 1.234.", source="nhan")
    except Exception:  # a suggestion is a convenience; an engine failure must not stop a mapping test
        return ""
    for fact in result.get("facts", []) or result.get("indicators", []) or []:
        code = fact.get("indicator") or fact.get("code")
        if code:
            return str(code)
    return ""


# -- tables (CSV and XLSX) --------------------------------------------------------------------------------------
@dataclass
class Table:
    rows: list[list[Any]]  # all rows of the sheet, as read
    sheet: str = ""  # "" for CSV

    def where(self, row: int, col: int) -> str:
        if self.sheet:
            return f"Trang '{self.sheet}', ô {column_letter(col)}{row + 1}"
        return f"dòng {row + 1}, cột {column_letter(col)}"

    def cell(self, ref: str) -> Any:
        match = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
        if not match:
            return None
        row, col = int(match.group(2)) - 1, column_index(match.group(1))
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


def _read_csv(m: Mapping, data: bytes) -> Table:
    try:
        text = data.decode(m.encoding)
    except (UnicodeDecodeError, LookupError):
        raise MappingError(f"Tệp CSV không đọc được bằng bảng mã {m.encoding} (khóa encoding)") from None
    delimiter = m.delimiter
    if not delimiter:
        sample = "\n".join(text.splitlines()[: m.skip_rows + m.header_rows + 5])
        counts = {d: sample.count(d) for d in (";", ",", "\t")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return Table([list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])


def _read_xlsx(m: Mapping, data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise MappingError(f"Tệp Excel không mở được ({type(exc).__name__})") from None
    try:
        if m.sheet is None or m.sheet == "":
            sheet = book.worksheets[0]
        elif isinstance(m.sheet, int):
            if not 1 <= m.sheet <= len(book.worksheets):
                raise MappingError(f"sheet: tệp chỉ có {len(book.worksheets)} trang, không có trang số {m.sheet}")
            sheet = book.worksheets[m.sheet - 1]
        elif str(m.sheet) in book.sheetnames:
            sheet = book[str(m.sheet)]
        else:
            raise MappingError(f"Không thấy trang '{m.sheet}' trong tệp (có: {', '.join(book.sheetnames)})")
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        return Table(rows, sheet.title)
    finally:
        book.close()


def _headers(m: Mapping, table: Table) -> list[str]:
    """The header of each column; a header of several rows joins its lines with ' / ', and a
    merged cell (read as blank) repeats the one on its left, as people read it."""
    first = m.skip_rows
    block = table.rows[first : first + m.header_rows]
    if len(block) < m.header_rows:
        raise MappingError(f"Tệp chỉ có {len(table.rows)} dòng: không thấy dòng tiêu đề (dòng {first + 1})")
    width = max((len(r) for r in block), default=0)
    lines: list[list[str]] = []
    for row in block:
        line, last = [], ""
        for col in range(width):
            text = str(row[col]).strip() if col < len(row) and row[col] is not None else ""
            if not text and len(block) > 1 and row is not block[-1]:
                text = last
            line.append(text)
            last = text
        lines.append(line)
    headers = []
    for col in range(width):
        parts: list[str] = []
        for line in lines:
            if line[col] and (not parts or parts[-1] != line[col]):
                parts.append(line[col])
        headers.append(" / ".join(parts))
    return headers


def _find_column(headers: list[str], wanted: str, role: str, header_row: int) -> int:
    folded = [fold(h) for h in headers]
    key = fold(wanted)
    if key in folded:
        return folded.index(key)
    if re.fullmatch(r"[A-Z]{1,3}", wanted):  # a column letter
        return column_index(wanted)
    shown = ", ".join(h for h in headers if h) or "(trống)"
    raise MappingError(
        f"Không thấy cột '{wanted}' ({_ROLE_NAMES[role]}) ở dòng tiêu đề {header_row}; "
        f"tệp có các cột: {shown}. Bố cục tệp đã thay đổi, cần sửa bảng ánh xạ."
    )


_ROLE_NAMES = {
    "label": "tên chỉ tiêu", "value": "số liệu", "unit": "đơn vị", "period": "kỳ báo cáo",
    "measure": "đơn vị tính",
}  # fmt: skip


def _table_period(m: Mapping, table: Table) -> Period | None:
    spec = m.period
    if spec.fixed is not None:
        return spec.fixed
    if spec.cell:
        raw = table.cell(spec.cell)
        found = find_period(raw)
        if found is None:
            raise MappingError(f"Ô {spec.cell} ('{raw or ''}') không ghi kỳ báo cáo (ví dụ 'Quý III/2024')")
        return found
    if spec.title:
        for row in table.rows[: m.skip_rows]:
            for value in row:
                found = find_period(value)
                if found is not None:
                    return found
        raise MappingError(f"Không thấy kỳ báo cáo trong {m.skip_rows} dòng đầu của tệp (tiêu đề)")
    return None


def _cell_text(row: list[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


def _value_scale(m: Mapping, target: Target, measure: Any) -> Decimal:
    if target.scale is not None:
        return target.scale
    if measure not in (None, ""):
        word = fold(measure).split()
        if word and word[0] in SCALE_WORDS:
            return SCALE_WORDS[word[0]]
    return m.scale


class _TableReader:
    """One pass over a table's rows with the column positions the mapping names."""

    def __init__(self, m: Mapping, table: Table, default_period: Period | None) -> None:
        self.m, self.table, self.reading = m, table, Reading()
        headers = _headers(m, table)
        header_row = m.skip_rows + m.header_rows
        self.cols = {role: _find_column(headers, name, role, header_row) for role, name in m.columns.items()}
        self.headers = headers
        self.cell_cols: dict[str, dict[int, Target]] = {}
        for row_label, targets in m.cells.items():
            found = {}
            for header, target in targets.items():
                found[_find_column(headers, header, "value", header_row)] = target
            self.cell_cols[row_label] = found
        self.default_period = default_period
        self.first_data = header_row

    def run(self) -> Reading:
        for index in range(self.first_data, len(self.table.rows)):
            row = self.table.rows[index]
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            self.reading.rows += 1
            self._row(index, row)
        return self.reading

    def _row(self, index: int, row: list[Any]) -> None:
        label_col = self.cols.get("label")
        raw_label = _cell_text(row, label_col)
        label = fold(raw_label)
        if label_col is not None and not label:
            return
        if label in self.m.ignore:
            self.reading.ignored += 1
            return
        if label in self.cell_cols:
            for col, cell_target in self.cell_cols[label].items():
                self._figure(index, row, col, cell_target, str(raw_label))
            return
        target: Target | None = self.m.labels.get(label) if label_col is not None else None
        if target is None and label_col is None and len(self.m.labels) == 1:
            target = next(iter(self.m.labels.values()))
        if target is not None:
            self._figure(index, row, self.cols["value"], target, str(raw_label or ""))
            return
        heading = "value" in self.cols and read_blank(_cell_text(row, self.cols["value"]))
        if self.m.other_rows == "ignore" or heading:  # a group heading ("II. Thuê bao Internet") has no figure
            self.reading.ignored += 1
            return
        where = self.table.where(index, label_col if label_col is not None else 0)
        shown = str(raw_label).strip()
        self.reading.unmapped.append(
            Unmapped(where, shown, "nhãn chưa có trong bảng ánh xạ", self.reading.suggest(shown))
        )

    def _figure(self, index: int, row: list[Any], col: int, target: Target, label: str) -> None:
        where = self.table.where(index, col)
        raw = _cell_text(row, col)
        try:
            number = read_number(raw, self.m.numbers)
        except ValueError:
            self.reading.unmapped.append(Unmapped(where, label.strip(), f"'{raw}' không phải là số"))
            return
        if number is None:
            return
        period = self.default_period
        if "period" in self.cols:
            period = find_period(_cell_text(row, self.cols["period"]))
            if period is None:
                pwhere = self.table.where(index, self.cols["period"])
                text = _cell_text(row, self.cols["period"])
                self.reading.unmapped.append(Unmapped(pwhere, label.strip(), f"kỳ '{text or ''}' không đọc được"))
                return
        if period is None:
            raise MappingError("Bảng ánh xạ không nói kỳ báo cáo ở đâu (khóa period)")
        unit = ""
        if "unit" in self.cols:
            unit_text = str(_cell_text(row, self.cols["unit"]) or "").strip()
            unit = self.m.units.get(fold(unit_text), unit_text)
        measure = _cell_text(row, self.cols["measure"]) if "measure" in self.cols else None
        value = number * _value_scale(self.m, target, measure)
        if value == value.to_integral_value():
            value = Decimal(int(value))
        self.reading.figures.append(Figure(target.code, label.strip(), unit, period, value, where, target.target))


# -- JSON --------------------------------------------------------------------------------------------------------
def _json_path(data: Any, path: str) -> tuple[Any, bool]:
    """The value at 'a.b[0].c' (or 'a.b.0.c'); (None, False) when the path leads nowhere."""
    node = data
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None, False
    return node, True


def _need(data: Any, path: str, what: str, base: str = "$") -> Any:
    value, found = _json_path(data, path)
    if not found:
        keys = ", ".join(sorted(map(str, data))) if isinstance(data, dict) else type(data).__name__
        raise MappingError(
            f"Không thấy '{path}' ({what}) trong dữ liệu JSON tại {base} (có: {keys}). "
            "Bố cục dữ liệu đã thay đổi, cần sửa bảng ánh xạ."
        )
    return value


def _read_json(m: Mapping, data: bytes) -> Reading:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(f"Dữ liệu JSON không đọc được: {exc}") from None
    reading = Reading()
    period = m.period.fixed
    if m.period.path:
        raw = _need(doc, m.period.path, "kỳ báo cáo")
        period = find_period(raw)
        if period is None:
            raise MappingError(f"$.{m.period.path} = '{raw}' không phải là kỳ báo cáo")
    for path, target in m.fields.items():
        raw = _need(doc, path, "số liệu")
        _json_figure(m, reading, raw, target, path, f"$.{path}", period, "")
    if m.records:
        records = _need(doc, m.records, "danh sách bản ghi")
        if not isinstance(records, list):
            raise MappingError(f"$.{m.records} phải là một danh sách bản ghi")
        for i, record in enumerate(records):
            reading.rows += 1
            _json_record(m, reading, record, f"$.{m.records}[{i}]", period)
    return reading


def _json_record(m: Mapping, reading: Reading, record: Any, base: str, period: Period | None) -> None:
    label_raw = _need(record, m.columns["label"], "tên chỉ tiêu", base) if "label" in m.columns else ""
    label = fold(label_raw)
    if label in m.ignore:
        reading.ignored += 1
        return
    target = m.labels.get(label)
    if target is None:
        if m.other_rows == "ignore":
            reading.ignored += 1
        else:
            shown = str(label_raw)
            reading.unmapped.append(Unmapped(base, shown, "nhãn chưa có trong bảng ánh xạ", reading.suggest(shown)))
        return
    value_path = m.columns["value"]
    raw = _need(record, value_path, "số liệu", base)
    if "period" in m.columns:
        period = find_period(_need(record, m.columns["period"], "kỳ báo cáo", base))
    unit = ""
    if "unit" in m.columns:
        unit_text = str(_need(record, m.columns["unit"], "đơn vị", base) or "").strip()
        unit = m.units.get(fold(unit_text), unit_text)
    measure = _json_path(record, m.columns["measure"])[0] if "measure" in m.columns else None
    _json_figure(m, reading, raw, target, str(label_raw), f"{base}.{value_path}", period, unit, measure)


def _json_figure(
    m: Mapping, reading: Reading, raw: Any, target: Target, label: str, where: str,
    period: Period | None, unit: str, measure: Any = None,
) -> None:  # fmt: skip
    try:
        number = read_number(raw, m.numbers)
    except ValueError:
        reading.unmapped.append(Unmapped(where, label, f"'{raw}' không phải là số"))
        return
    if number is None:
        return
    if period is None:
        reading.unmapped.append(Unmapped(where, label, "không rõ kỳ báo cáo"))
        return
    value = number * _value_scale(m, target, measure)
    if value == value.to_integral_value():
        value = Decimal(int(value))
    reading.figures.append(Figure(target.code, label, unit, period, value, where, target.target))


# -- entry point ---------------------------------------------------------------------------------------------------
def detect_format(m: Mapping, data: bytes, filename: str) -> str:
    if m.format:
        return m.format
    name = filename.lower()
    for fmt in FORMATS:
        if name.endswith("." + fmt):
            return fmt
    if data[:2] == b"PK":
        return "xlsx"
    if data.lstrip()[:1] in (b"{", b"["):
        return "json"
    return "csv"


def read_export(m: Mapping, data: bytes, filename: str = "") -> Reading:
    """Every figure the export holds under the mapping, and every row it could not map."""
    if not data:
        raise MappingError("Tệp rỗng: không có dữ liệu")
    fmt = detect_format(m, data, filename)
    if fmt == "json":
        return _read_json(m, data)
    table = _read_xlsx(m, data) if fmt == "xlsx" else _read_csv(m, data)
    return _TableReader(m, table, _table_period(m, table)).run()
