"""Find the figures of a report: numbers that could be a statistic.

Dates, years, document numbers, list numbering, levels ("mức độ 3"),
ordinals, durations and the like are numbers but not figures; the words
that reveal them live in the lexicon (``not_figures``) so they can be
extended without code.  Values are read with baocao.core.vnnum.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from baocao.core.vnnum import QUALIFIER_WORDS, SCALE_WORDS, VietnameseNumberError, parse_quantity

from .lexicon import Lexicon
from .segment import Paragraph, Segmented

# "40.722", "73,95", "5773", "1,1": Vietnamese grouping; not glued to letters,
# '/', '-' (dates, symbols, ranges) or another digit group. Careless forms too: "2 137" grouped
# by spaces (as typeset or exported), "73.5%", "1.75 km", "92.4 tỷ đồng" with an English decimal
# point (one or two digits after it can be no thousands group).
# "DTI đạt 0.7024 điểm": a fraction of one written with an English decimal point (no thousands
# group starts with 0)
_NUMBER = (
    r"(?:0\.\d+(?![\d.,])|\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d|\.\d)"
    r"|\d{1,3}\.\d{1,2}(?=\s*(?:%|(?:km|tỷ|tỉ|triệu|nghìn|ngàn|thuê\s+bao)(?!\w)))|\d+)(?:,\d+)?"
)
# "đạt mật độ điện thoại 105,9/100 dân": a density with its unit glued to it
# "xếp thứ 13/63": a rank among the 63 provinces is a figure (the 63 is none)
_NUM_RE = re.compile(
    rf"(?<![\w/\-.,])(?<![\w/][.,])({_NUMBER})"
    r"(?=đ(?![\w/])|(?![\w/]|[.,]\d)|/\s*100\s+(?:người\s+)?dân(?!\w)|/\s*63(?![\w/]|[.,]\d))"
)
_UNIT_RE = re.compile(
    r"\s*(?:%|(?:(?:nghìn|ngàn)\s+t[ỷỉ]|tỷ|tỉ|triệu|nghìn|ngàn)(?![\w])(?:\s*(?:đồng|VNĐ|VND|vnđ)(?!\w)|\s*đ(?![\w/]))?"
    r"|(?:đồng|VNĐ|VND|vnđ)(?!\w)|đ(?![\w/]))",
    re.IGNORECASE,
)
# "hơn 1 triệu 200 nghìn", "2 tỷ 500 triệu đồng": a number partly in words goes on with a
# smaller scale
# the scale words vnnum reads ("1,2 nghìn tỷ đồng": a thousand billion), as whole numbers
_SCALES = {word: int(factor) for word, factor in SCALE_WORDS.items()}
_REST_RE = re.compile(
    r"\s+(\d{1,3})\s*(tỷ|tỉ|triệu|nghìn|ngàn)(?!\w)(\s*(?:đồng|VNĐ|VND|vnđ)(?!\w))?", re.IGNORECASE
)
# "nộp ngân sách đạt 1,4 tỷ;", "doanh thu đạt 2.420 tỷ, tăng 10%": billions with no noun after
# them are đồng (a count of billions names what it counts: "1,2 tỷ tin nhắn")
_BARE_BILLIONS_RE = re.compile(r"\s*(?:[,;.)]|$|(?:tăng|giảm|so\s+với)(?!\w))", re.IGNORECASE)
# whole words: a unit column "điểm" is no "đ"
_CURRENCY_RE = re.compile(r"(?<!\w)(?:đồng|vnđ|vnd|đ)(?!\w)", re.IGNORECASE)
# "21/47 hệ thống": a part of a whole, both are figures.
_RATIO_RE = re.compile(rf"(?<![\w/\-.,])({_NUMBER})\s*/\s*({_NUMBER})(?![\w/]|[.,]\d)(?=\s+[^\W\d])")
_TIME_OF_DAY_RE = re.compile(r"(?<![\w:.,/])(?:[01]?\d|2[0-3]):[0-5]\d(?![\w:])")
# "Tiếp nhận đơn tố cáo: Không có", "không có đơn khiếu nại", "chưa có dịch vụ công mức 4": a count of zero
_ZERO_RE = re.compile(
    r"(?:(?<=:)\s*(không có)(?!\w)|(?<!\w)((?:không|chưa) có)(?=\s+(?:đơn|vụ|trường hợp|lượt|công dân|cuộc|hồ sơ|dịch vụ)(?!\w)))",
    re.IGNORECASE,
)
_QUAL_WORDS = sorted((w for w, _ in QUALIFIER_WORDS), key=len, reverse=True)
_QUAL_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in _QUAL_WORDS) + r")\s*(?:đạt|là|:|có|được|tới|đến)?\s*$",
    re.IGNORECASE,
)


@dataclass
class Figure:
    start: int  # the number (with % or money words) in the view
    end: int
    num_start: int  # digits only
    num_end: int
    value: Decimal
    kind: str  # count | percent | money
    qualifier: str
    para: int
    zero: bool = False  # "Không có" read as 0
    yearlike: bool = False  # "2000": a year unless a counted noun follows
    ratio: str | None = None  # "part" / "whole" of "21/47 hệ thống"; "part_of" a total named after it
    cell: int | None = None  # table cell index when in a table row


def _quantity(
    text: str, view: str, start: int, num_end: int, para_start: int
) -> tuple[int, str, Decimal, str, str]:
    """(end, kind, value, qualifier, qualifier text) of the number ending at num_end."""
    m = _UNIT_RE.match(view, num_end)
    end = m.end() if m else num_end
    unit_text = view[num_end:end].strip()
    before = view[max(para_start, start - 30) : start]
    q = _QUAL_RE.search(before)
    qual_text = q.group(1) if q else ""
    number = _canonical(view[start:num_end])
    try:
        qty = parse_quantity(f"{qual_text} {number}{view[num_end:end]}".strip())
    except VietnameseNumberError:
        qty = parse_quantity(number)
    value = qty.value
    scale = _SCALES.get(" ".join(unit_text.lower().split()))
    rest = _REST_RE.match(view, end) if scale else None
    if rest and scale and _SCALES[rest.group(2).lower()] < scale:
        value += int(rest.group(1)) * _SCALES[rest.group(2).lower()]
        end = rest.end()
        unit_text = rest.group(3) or ""
    if unit_text == "%":
        kind = "percent"
    elif _is_money(unit_text, view, end):
        kind = "money"
    else:
        kind = "count"
    return end, kind, value, qty.qualifier, qual_text


def _is_money(unit_text: str, view: str, end: int) -> bool:
    """ "1.250 tỷ đồng", "45 triệu đ", and billions with no noun after them ("đạt 1,4 tỷ;")."""
    if unit_text and _CURRENCY_RE.search(unit_text):
        return True
    return (
        unit_text.lower().split()[-1:] in (["tỷ"], ["tỉ"]) and _BARE_BILLIONS_RE.match(view, end) is not None
    )


def _canonical(number: str) -> str:
    """The Vietnamese spelling of a number written carelessly: "2 137" → "2137", "73.5" → "73,5"."""
    number = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3})", "", number)
    number = re.sub(r"^0\.(\d+)$", r"0,\1", number)
    return re.sub(r"^(\d{1,3})\.(\d{1,2})$", r"\1,\2", number)


def find_figures(seg: Segmented, lex: Lexicon) -> list[Figure]:
    text = seg.text
    out: list[Figure] = []
    for pi, para in enumerate(seg.paragraphs):
        start, end = para.span
        if para.numbering:
            start = max(start, para.numbering[1])
        # "06:01, 06/01/2022", "(25/11/2020, 15:06)": a time of day holds no figure
        taken: list[tuple[int, int]] = [m.span() for m in _TIME_OF_DAY_RE.finditer(text, start, end)]
        for m in _RATIO_RE.finditer(text, start, end):
            if (_is_date_like(text, m.start(), start) and _date_numbers(m)) or not _ratio_ok(m):
                continue
            for role, g in (("part", 1), ("whole", 2)):
                a, b = m.span(g)
                fig = _make(text, a, b, pi, para, start, lex)
                if fig:
                    fig.ratio = role
                    out.append(fig)
            taken.append(m.span())
        for m in _NUM_RE.finditer(text, start, end):
            a, b = m.span(1)
            if any(s <= a < e for s, e in taken):
                continue
            fig = _make(text, a, b, pi, para, start, lex)
            if fig:
                out.append(fig)
                if fig.end > b:  # "1 triệu 200 nghìn": the "200" is part of this figure
                    taken.append((b, fig.end))
        for m in _ZERO_RE.finditer(text, start, end):
            g = 1 if m.group(1) else 2
            a, b = m.span(g)
            out.append(Figure(a, b, a, b, Decimal(0), "count", "exact", pi, zero=True))
    out.sort(key=lambda f: f.start)
    _mark_parts_of_totals(text, out)
    return out


# "1.579 trong tổng số 1.937 dịch vụ công trực tuyến": the first counts a part of the second;
# the second stays a figure of its own
_PART_OF_TOTAL_RE = re.compile(r"\s+trong\s+(?:tổng\s+)?số\s+", re.IGNORECASE)


def _mark_parts_of_totals(text: str, figures: list[Figure]) -> None:
    for part, total in itertools.pairwise(figures):
        if (
            part.ratio is None
            and part.para == total.para
            and part.kind == total.kind == "count"
            and part.value <= total.value
            and _PART_OF_TOTAL_RE.fullmatch(text, part.end, total.start)
        ):
            part.ratio = "part_of"


# "năm 2021", "quý 2", "tháng 12" name a time; "trong năm 430 hộp thư" does not
_TIME_RANGE = {
    "năm": (1900, 2100),
    "quý": (1, 4),
    "tháng": (1, 12),
    # "cấp độ 3" is a security level, "phê duyệt cấp độ 62/75 hệ thống" a count
    "cấp độ": (1, 5),
    "mức độ": (1, 4),
    "mức": (1, 4),
}
_TIME_WORDS = {"năm", "quý", "tháng"}


def _names_time(word: str, digits: str) -> bool:
    """False when a time word stands before a number that cannot be that time."""
    key = " ".join(word.split()).lower()
    # "mức độ 3, 4" names two levels; "mức độ 3 và 174 dịch vụ" a level and a count
    key = re.sub(r"\s+[1-4]\s*(?:,|và|&|/|-)$", "", key)
    if key not in _TIME_RANGE:
        return True
    if not digits.isdigit():
        # "mức độ 3,4" lists levels; "trong năm 430,5 …" is no year; "ở mức 0,6383" is a value
        return key not in _TIME_WORDS and not digits.startswith("0,")
    low, high = _TIME_RANGE[key]
    return low <= int(digits) <= high


def _ratio_ok(m: re.Match[str]) -> bool:
    try:
        part = parse_quantity(_canonical(m.group(1))).value
        whole = parse_quantity(_canonical(m.group(2))).value
    except VietnameseNumberError:
        return False
    return 0 <= part <= whole


def _date_numbers(m: re.Match[str]) -> bool:
    """ "5/2023", "12/5" could be a day or a month; "126/126 xã" cannot."""
    try:
        a, b = int(m.group(1).replace(".", "")), int(m.group(2).replace(".", ""))
    except ValueError:
        return False
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1900 <= b <= 2100)


def _is_footnote_mark(text: str, a: int, b: int) -> bool:
    """ "tăng 252 điểm so với năm 2021(1).": a note's number glued to the word before it."""
    return (
        b - a <= 2
        and a >= 2
        and text[a - 1] == "("
        and text[b : b + 1] == ")"
        and not text[a - 2].isspace()
        and text[a - 2] != "("
    )


def _is_date_like(text: str, pos: int, para_start: int) -> bool:
    before = text[max(para_start, pos - 12) : pos].lower()
    # "ngày 12/5", "từ 5/2023 - 6/2023"; a bullet dash ("- 119/143 đài ...") is no range
    return bool(re.search(r"(?:ngày|đến|từ|\w\s*[-–])\s*$", before))


_PER_PEOPLE = re.compile(r"\s*(?:người\s+)?dân(?!\w)", re.IGNORECASE)


def _make(
    text: str, a: int, b: int, pi: int, para: Paragraph, para_start: int, lex: Lexicon
) -> Figure | None:
    nf = lex.not_figure_before.search(text[max(para_start, a - 40) : a])
    if nf and _names_time(nf.group(0), text[a:b]):
        return None
    if _is_footnote_mark(text, a, b):
        return None
    after = text[b : min(b + 30, para.span[1])]  # the next paragraph's words say nothing of it
    if lex.not_figure_after.match(after):
        return None
    if after.startswith(("[…", "[...")):
        return None  # "Viettel đã chiếm 4[…]": a number cut where the stored copy of a page has a gap
    if _PER_PEOPLE.match(after) and re.search(r"/\s*$", text[max(para_start, a - 3) : a]):
        return None  # "4,36 thuê bao/ 100 dân": the density's unit
    digits = text[a:b]
    yearlike = bool(re.fullmatch(r"(19|20)\d\d", digits))
    if yearlike and (
        re.match(r"\s*[-–]\s*\d{4}", after) or re.search(r"[-–(]\s*$", text[max(para_start, a - 3) : a])
    ):
        return None
    cell = None
    if para.cells:
        cell = next((i for i, (s, e) in enumerate(para.cells) if s <= a < e), None)
        if cell == 0 and len(para.cells) > 1 and re.fullmatch(r"[\dIVX.]+", text[slice(*para.cells[0])]):
            return None  # the STT column
    try:
        end, kind, value, qualifier, _ = _quantity(text, text, a, b, para_start)
    except VietnameseNumberError:
        return None
    if cell is not None and kind == "count" and end == b:
        unit = _table_unit(text, para, cell)
        if unit:
            kind, value = _apply_unit(unit, value, kind)
    return Figure(a, end, a, b, value, kind, qualifier, pi, yearlike=yearlike, cell=cell)


_UNIT_IN_PARENS = re.compile(r"\(\s*((?:tỷ|tỉ|triệu|nghìn|ngàn)?\s*(?:đồng|VNĐ)|%)\s*\)", re.IGNORECASE)


def _table_unit(text: str, para: Paragraph, cell: int) -> str | None:
    """The unit of a table figure: the "Đơn vị tính" column, else "(tỷ đồng)" in the row label or header."""
    col = para.unit_column
    if col is not None and col < len(para.cells) and col != cell:
        return text[slice(*para.cells[col])].strip()
    for a, b in para.cells[:cell]:
        m = _UNIT_IN_PARENS.search(text, a, b)
        if m:
            return m.group(1)
    if para.table_header and cell < len(para.table_header):
        m = _UNIT_IN_PARENS.search(para.table_header[cell])
        if m:
            return m.group(1)
    return None


def _apply_unit(unit: str, value: Decimal, kind: str) -> tuple[str, Decimal]:
    folded = unit.strip().lower()
    if folded == "%":
        return "percent", value
    if _CURRENCY_RE.search(folded):
        for word, factor in SCALE_WORDS.items():
            if folded.startswith(word):
                value = value * factor
                break
        return "money", _tidy(value)
    # "Triệu bưu gửi", "Nghìn thuê bao": a count kept in thousands or millions
    for word, factor in SCALE_WORDS.items():
        if re.match(rf"{word}(?!\w)", folded):
            return kind, _tidy(value * factor)
    return kind, value


def _tidy(value: Decimal) -> Decimal:
    return value.normalize() if value != value.to_integral_value() else Decimal(int(value))
