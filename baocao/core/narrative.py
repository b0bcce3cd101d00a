"""Narrative text of a report item, with figures and document citations filled in at render time.

A department writes the bullets of its report once, with placeholders instead of literal
figures, so that a corrected figure corrects every report that uses it:

    {code}                     the value of a catalog indicator for the report's unit and period
    {code|mod|mod:arg}         the same with modifiers (see FIGURE_MODIFIERS)
    [16/KH-UBND]               a document of the register: "Kế hoạch số 16/KH-UBND ngày 24/02/2022"
    [16/KH-UBND|mod]           the same with modifiers (see CITATION_MODIFIERS)
    *nghiêng*  **đậm**         italic and bold text
    {{  }}  [[  ]]  \\*          a literal brace, bracket or asterisk

Square brackets whose content is not a document number stay as written ("[1]").

Comparisons follow the reports' own wording.  A rate (a "%" figure or a rate indicator) is
compared by its difference in points, written with "%" and followed by the earlier value, as
in "tỷ lệ 80,71%, tăng 2,17% so với năm 2021 (78,54%)"; a count or an amount is compared
by its relative change: "doanh thu ước đạt 76 tỷ đồng (giảm 13,24% so với năm 2021)".

This module is pure: it parses, validates the syntax and formats numbers that the caller
has resolved.  It never looks anything up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from baocao.core.docrefs import DocRefError, parse_reference
from baocao.core.periods import Period, PeriodError, PeriodType, parse_period
from baocao.core.vnnum import format_count, format_money, format_number, format_percent

__all__ = [
    "CITATION_MODIFIERS",
    "FIGURE_MODIFIERS",
    "PERIOD_REFS",
    "Citation",
    "CitationOptions",
    "Figure",
    "FigureOptions",
    "NarrativeError",
    "Problem",
    "Segment",
    "Text",
    "comparison_label",
    "format_change",
    "format_citation",
    "format_doc_date",
    "format_figure",
    "format_plan",
    "missing_citation",
    "missing_figure",
    "pad_day",
    "pad_month",
    "parse",
    "resolve_period_ref",
]

MONEY_UNIT = "đồng"
PERCENT_UNIT = "%"

# Relative period names an author may use instead of a period code.
PERIOD_REFS: dict[str, str] = {
    "ky_truoc": "kỳ trước (quý trước, năm trước …)",
    "cung_ky": "cùng kỳ năm trước",
    "nam_truoc": "năm trước (với báo cáo quý: cùng kỳ năm trước)",
    "ky_toi": "kỳ tới (kỳ sau kỳ báo cáo)",
}

FIGURE_MODIFIERS: dict[str, str] = {
    "don_vi": "thêm đơn vị tính của chỉ tiêu: 2.597 chứng thư",
    "dat": "viết kèm động từ 'đạt': đạt 1.062 tỷ đồng, ước đạt 76 tỷ đồng",
    "tren": "số 'hơn' viết là 'trên': trên 30",
    "khong_so_0": "không thêm số 0 trước số đếm dưới 10 (5 thay vì 05)",
    "khong:<chữ>": "chữ viết khi giá trị bằng 0: {tt.don.to_cao|khong:Không có}",
    "ky:<kỳ>": "giá trị của kỳ khác: ky:nam_truoc, ky:2019, ky:2021Q4",
    "so_voi:<kỳ>": "câu so sánh: tăng 2,17% so với năm 2021 (78,54%)",
    "ke_hoach": "mức đạt so với chỉ tiêu kế hoạch của kỳ: đạt 29,74% so với mục tiêu kế hoạch",
    "chi_tieu": "giá trị chỉ tiêu kế hoạch (không phải kết quả): {ttcs.tap_huan.luot|ky:ky_toi|chi_tieu}",
}

CITATION_MODIFIERS: dict[str, str] = {
    "ngan": "không ghi ngày: Kế hoạch số 16/KH-UBND",
    "so": "chỉ ghi số ký hiệu: 16/KH-UBND",
    "trich_yeu": "thêm trích yếu của văn bản",
    "thuong": "viết thường loại văn bản: kế hoạch số …",
    "nam:<năm>": "chọn văn bản của năm này khi số ký hiệu trùng giữa các năm",
}


@dataclass(frozen=True)
class Problem:
    """One syntax problem, placed by line and column (1-based) in the entry's text."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"dòng {self.line}, cột {self.column}: {self.message}"


class NarrativeError(ValueError):
    """The text does not follow the placeholder syntax; ``problems`` lists every place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class FigureOptions:
    with_unit: bool = False
    verb: bool = False
    more_word: str = "hơn"
    pad: bool = True
    zero_text: str | None = None
    period_ref: str | None = None
    compare_to: str | None = None
    plan: bool = False
    target: bool = False


@dataclass(frozen=True)
class CitationOptions:
    with_date: bool = True
    number_only: bool = False
    with_summary: bool = False
    lower_kind: bool = False
    year: int | None = None


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Figure:
    code: str
    options: FigureOptions
    source: str
    line: int
    column: int
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Citation:
    number: str
    options: CitationOptions
    source: str
    line: int
    column: int
    bold: bool = False
    italic: bool = False


Segment = Text | Figure | Citation

_CODE_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")


@dataclass
class _Scanner:
    text: str
    problems: list[Problem] = field(default_factory=list)

    def place(self, index: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, index) + 1
        column = index - (self.text.rfind("\n", 0, index) + 1) + 1
        return line, column

    def error(self, index: int, message: str) -> None:
        line, column = self.place(index)
        self.problems.append(Problem(line, column, message))


def _check_period_ref(ref: str) -> str | None:
    """None when ``ref`` names a period (relative or absolute), else the reason it does not."""
    if ref in PERIOD_REFS:
        return None
    try:
        parse_period(ref)
    except PeriodError:
        names = ", ".join(PERIOD_REFS)
        return f"kỳ '{ref}' không hợp lệ (dùng {names} hoặc mã kỳ như 2021, 2021Q4)"
    return None


def _figure_options(scanner: _Scanner, at: int, modifiers: list[str]) -> FigureOptions:
    values: dict[str, object] = {}
    for raw in modifiers:
        name, has_arg, arg = raw.partition(":")
        name = name.strip()
        arg = arg.strip()
        if name == "don_vi":
            values["with_unit"] = True
        elif name == "dat":
            values["verb"] = True
        elif name == "tren":
            values["more_word"] = "trên"
        elif name == "khong_so_0":
            values["pad"] = False
        elif name == "khong":
            if not arg:
                scanner.error(at, "'khong:' cần chữ thay cho số 0, ví dụ khong:Không có")
            values["zero_text"] = arg
        elif name in ("ky", "so_voi"):
            if not has_arg or not arg:
                scanner.error(at, f"'{name}:' cần tên kỳ, ví dụ {name}:nam_truoc")
                continue
            reason = _check_period_ref(arg)
            if reason:
                scanner.error(at, reason)
                continue
            values["period_ref" if name == "ky" else "compare_to"] = arg
        elif name == "ke_hoach":
            values["plan"] = True
        elif name == "chi_tieu":
            values["target"] = True
        else:
            known = ", ".join(m.split(":")[0] for m in FIGURE_MODIFIERS)
            scanner.error(at, f"tùy chọn '{name}' không có (dùng: {known})")
    if sum(bool(values.get(k)) for k in ("compare_to", "plan", "target")) > 1:
        scanner.error(at, "chỉ dùng một trong 'so_voi', 'ke_hoach', 'chi_tieu' ở một chỗ số liệu")
    return FigureOptions(**values)  # type: ignore[arg-type]


def _citation_options(scanner: _Scanner, at: int, modifiers: list[str]) -> CitationOptions:
    values: dict[str, object] = {}
    for raw in modifiers:
        name, _, arg = raw.partition(":")
        name, arg = name.strip(), arg.strip()
        if name == "ngan":
            values["with_date"] = False
        elif name == "so":
            values["number_only"] = True
        elif name == "trich_yeu":
            values["with_summary"] = True
        elif name == "thuong":
            values["lower_kind"] = True
        elif name == "nam":
            if not re.fullmatch(r"\d{4}", arg):
                scanner.error(at, f"'nam:' cần năm bốn chữ số, không phải '{arg}'")
                continue
            values["year"] = int(arg)
        else:
            known = ", ".join(m.split(":")[0] for m in CITATION_MODIFIERS)
            scanner.error(at, f"tùy chọn trích dẫn '{name}' không có (dùng: {known})")
    return CitationOptions(**values)  # type: ignore[arg-type]


def _figure(scanner: _Scanner, start: int, body: str, bold: bool, italic: bool) -> Figure | None:
    code, *modifiers = (part.strip() for part in body.split("|"))
    if not code:
        scanner.error(start, "chỗ số liệu trống: cần mã chỉ tiêu, ví dụ {cntt.qlvb.vb_di}")
        return None
    if not _CODE_RE.fullmatch(code):
        scanner.error(start, f"mã chỉ tiêu '{code}' không hợp lệ (chữ thường không dấu, số, '_' và '.')")
        return None
    before = len(scanner.problems)
    options = _figure_options(scanner, start, modifiers)
    if len(scanner.problems) > before:
        return None
    line, column = scanner.place(start)
    return Figure(code, options, "{" + body + "}", line, column, bold, italic)


def _citation(scanner: _Scanner, start: int, body: str, bold: bool, italic: bool) -> Citation | None:
    number_text, *modifiers = (part.strip() for part in body.split("|"))
    try:
        ref = parse_reference(number_text)
    except DocRefError:
        return None
    if ref.text.strip() != number_text:
        # Brackets around a sentence that merely contains a reference are text, not a citation.
        return None
    before = len(scanner.problems)
    options = _citation_options(scanner, start, modifiers)
    if len(scanner.problems) > before:
        return None
    line, column = scanner.place(start)
    return Citation(ref.number, options, "[" + body + "]", line, column, bold, italic)


def parse(text: str) -> list[Segment]:
    """Split an entry's text into text, figures and citations; NarrativeError lists every problem."""
    if not isinstance(text, str):
        raise NarrativeError([Problem(1, 1, f"cần một đoạn văn bản, không phải {type(text).__name__}")])
    scanner = _Scanner(text)
    segments: list[Segment] = []
    buffer: list[str] = []
    bold = italic = False

    def flush() -> None:
        if buffer:
            segments.append(Text("".join(buffer), bold, italic))
            buffer.clear()

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        pair = text[i : i + 2]
        if pair in ("{{", "}}", "[[", "]]"):
            buffer.append(ch)
            i += 2
        elif pair == "\\*":
            buffer.append("*")
            i += 2
        elif pair == "**":
            flush()
            bold = not bold
            i += 2
        elif ch == "*":
            flush()
            italic = not italic
            i += 1
        elif ch == "{":
            close = text.find("}", i + 1)
            newline = text.find("\n", i + 1)
            if close == -1 or (newline != -1 and newline < close):
                scanner.error(i, "thiếu dấu '}' đóng chỗ số liệu")
                buffer.append(ch)
                i += 1
                continue
            figure = _figure(scanner, i, text[i + 1 : close], bold, italic)
            if figure is not None:
                flush()
                segments.append(figure)
            i = close + 1
        elif ch == "}":
            scanner.error(i, "dấu '}' thừa (viết '}}' để có dấu ngoặc)")
            i += 1
        elif ch == "[":
            close = text.find("]", i + 1)
            citation = (
                _citation(scanner, i, text[i + 1 : close], bold, italic)
                if close != -1 and "\n" not in text[i:close]
                else None
            )
            if citation is None:
                buffer.append(ch)
                i += 1
                continue
            flush()
            segments.append(citation)
            i = close + 1
        else:
            buffer.append(ch)
            i += 1
    flush()
    if bold:
        scanner.error(text.rfind("**"), "thiếu '**' đóng chữ đậm")
    if italic:
        scanner.error(text.rfind("*"), "thiếu '*' đóng chữ nghiêng")
    if scanner.problems:
        raise NarrativeError(scanner.problems)
    return segments


def figures(segments: list[Segment]) -> list[Figure]:
    return [s for s in segments if isinstance(s, Figure)]


def citations(segments: list[Segment]) -> list[Citation]:
    return [s for s in segments if isinstance(s, Citation)]


# -- periods ------------------------------------------------------------------------------------


def resolve_period_ref(ref: str, period: Period) -> Period:
    """The period a reference names, seen from the report's period."""
    if ref == "ky_truoc":
        return period.previous()
    if ref == "cung_ky":
        return period.same_period_last_year()
    if ref == "nam_truoc":
        return period.previous() if period.type is PeriodType.YEAR else period.same_period_last_year()
    if ref == "ky_toi":
        return period.next()
    return parse_period(ref)


def comparison_label(other: Period, period: Period) -> str:
    """How reports name the period compared with: "năm 2021", "cùng kỳ năm 2019", "quý IV/2019"."""
    if other.type is not PeriodType.YEAR and other == period.same_period_last_year():
        return f"cùng kỳ năm {other.year}"
    return other.label


# -- formatting ---------------------------------------------------------------------------------


def _is_integral(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _round2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_figure(
    value: Decimal, unit: str, qualifier: str = "exact", options: FigureOptions | None = None
) -> str:
    """One value as the reports write it: "217.199", "05", "80,71%", "ước đạt 76 tỷ đồng", "trên 30"."""
    opts = options or FigureOptions()
    if value == 0 and opts.zero_text is not None:
        return opts.zero_text
    if unit == PERCENT_UNIT:
        body = format_percent(value, 2)
    elif unit == MONEY_UNIT:
        body = format_money(value)
    else:
        if _is_integral(value) and opts.pad and value >= 0:
            body = format_count(int(value))
        else:
            body = format_number(value, max_decimals=2)
        if opts.with_unit and unit:
            body = f"{body} {unit}"
    word = {"approx": "ước", "more_than": opts.more_word, "less_than": "dưới"}.get(qualifier, "")
    if opts.verb:
        if qualifier == "approx":
            return f"ước đạt {body}"
        return f"đạt {word} {body}" if word else f"đạt {body}"
    return f"{word} {body}" if word else body


def format_change(
    current: Decimal,
    previous: Decimal,
    unit: str,
    *,
    is_rate: bool,
    label: str,
) -> str:
    """The comparison clause: "tăng 2,17% so với năm 2021 (78,54%)", "giảm 5,3% so với năm 2021".

    Rates are compared in points and quote the earlier rate, because "tăng 2,17%" alone
    would read as a relative change; counts and amounts are compared relatively.
    """
    if is_rate or unit == PERCENT_UNIT:
        # The difference of the rounded rates, so that the sentence adds up as printed.
        diff = _round2(current) - _round2(previous)
        earlier = format_figure(previous, unit, options=FigureOptions(pad=False))
        if diff == 0:
            return f"không thay đổi so với {label} ({earlier})"
        direction = "tăng" if diff > 0 else "giảm"
        amount = format_percent(abs(diff)) if unit == PERCENT_UNIT else format_number(abs(diff))
        if unit != PERCENT_UNIT and unit:
            amount = f"{amount} {unit}"
        return f"{direction} {amount} so với {label} ({earlier})"
    if current == previous:
        return f"không thay đổi so với {label}"
    direction = "tăng" if current > previous else "giảm"
    if previous == 0:
        amount = format_figure(abs(current - previous), unit, options=FigureOptions(with_unit=True))
        return f"{direction} {amount} so với {label}"
    change = abs(current - previous) / abs(previous) * 100
    return f"{direction} {format_percent(change, 2)} so với {label}"


def format_plan(current: Decimal, target: Decimal) -> str:
    """Attainment of a plan target: "đạt 29,74% so với mục tiêu kế hoạch"."""
    if target == 0:
        raise ZeroDivisionError("chỉ tiêu kế hoạch bằng 0: không tính được mức đạt")
    return f"đạt {format_percent(current / target * 100, 2)} so với mục tiêu kế hoạch"


def missing_figure(code: str, period_label: str | None = None, *, plan: bool = False) -> str:
    """The visible mark for a figure that has no value yet."""
    what = "chưa có chỉ tiêu kế hoạch" if plan else "chưa có số liệu"
    if period_label:
        what = f"{what} {period_label}"
    return f"[{what}: {code}]"


def missing_citation(number: str) -> str:
    return f"[chưa có trong sổ văn bản: {number}]"


def pad_day(day: int) -> str:
    """Nghị định 30/2020 (Phụ lục I, II.5.b): a day below 10 is written with a leading zero."""
    return f"{day:02d}"


def pad_month(month: int) -> str:
    """Nghị định 30/2020 (Phụ lục I, II.5.b): only months 1 and 2 get a leading zero ("01", "02",
    "3" … "12"), so that nobody can turn a 1 into 11 or 12."""
    return f"{month:02d}" if month < 3 else str(month)


def format_doc_date(day: date) -> str:
    """A document date as reports cite it: "24/02/2022", "31/3/2022", "07/6/2022"."""
    return f"{pad_day(day.day)}/{pad_month(day.month)}/{day.year}"


def format_citation(
    kind: str | None,
    number: str,
    issued_on: date | None,
    summary: str = "",
    options: CitationOptions | None = None,
) -> str:
    """ "Kế hoạch số 16/KH-UBND ngày 24/02/2022" (and the variants the options ask for)."""
    opts = options or CitationOptions()
    if opts.number_only:
        return number
    word = kind or "Văn bản"
    if opts.lower_kind:
        word = word[:1].lower() + word[1:]
    text = f"{word} số {number}"
    if opts.with_date and issued_on is not None:
        text += f" ngày {format_doc_date(issued_on)}"
    if opts.with_summary and summary.strip():
        text += f" {summary.strip()}"
    return text
