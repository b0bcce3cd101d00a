"""Which province and which period a report is about.

The province comes from the places a report names its author: "Sở Thông tin
và Truyền thông tỉnh Bến Tre", the header "UBND TỈNH TRÀ VINH", the place
and date line "Trà Vinh, ngày 05 tháng 01 năm 2023", the closing sentence.
The period is the first period label of the title ("Công tác quý I/2020 và
kế hoạch quý II/2020" -> quý I/2020), else of the closing sentence
("Trên đây là kết quả công tác năm 2022 ..."), else the most cited one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from baocao.core.periods import Period, PeriodError, PeriodType, parse_period
from baocao.extraction.errors import ExtractionError

# Period labels as they appear inside sentences; parse_period reads them.
PERIOD_LABEL = re.compile(
    r"(?<!\w)(?:"
    r"quý\s+(?:IV|I{1,3}|[1-4])\s*(?:/|năm|-)\s*\d{4}"
    r"|(?:6|06|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}"
    r"|(?:6|06|sáu)\s+tháng\s+năm\s+\d{4}"
    r"|(?:6|06|sáu)\s+tháng(?:\s+(?:đầu|cuối))?\s*(?:/|-)?\s*\d{4}"
    r"|tháng\s+(?:1[0-2]|0?[1-9])\s*(?:/|năm)\s*\d{4}"
    r"|năm\s+\d{4}"
    r")(?!\d)",
    re.IGNORECASE,
)
# Dates are not periods: "ngày 05 tháng 01 năm 2023", "24/02/2022".
_DATE = re.compile(
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.IGNORECASE,
)
_TITLE = re.compile(r"(?<!\w)BÁO\s+CÁO(?!\w)")
_CLOSING = re.compile(r"Trên\s+đây\s+là[^.]{0,300}", re.IGNORECASE)
# the Department: Sở TT&TT, and since the 2025 merger Sở KH&CN, which took over its work
_SO_TTTT = (
    r"Sở\s+(?:Thông\s+tin\s+và\s+Truyền\s+thông|TT\s*&\s*TT|TTTT"
    r"|Khoa\s+học\s+và\s+Công\s+nghệ|KH\s*&\s*CN|KHCN)"
)


def _mask_dates(text: str) -> str:
    return _DATE.sub(lambda m: " " * len(m.group(0)), text)


def period_labels(text: str) -> list[tuple[int, int, Period]]:
    """Every period label in the text (dates excluded), with its span."""
    masked = _mask_dates(text)
    out = []
    for m in PERIOD_LABEL.finditer(masked):
        try:
            out.append((m.start(), m.end(), parse_period(m.group(0))))
        except PeriodError:
            continue
    return out


# "Kết quả … 6 tháng đầu năm, phương hướng … 6 tháng cuối năm 2021", "quý I và kế hoạch quý II năm
# 2020": the first period of the title writes no year; it takes the year of the next label.
_YEARLESS = re.compile(
    r"(?<!\w)(?:(?P<half>(?:6|06|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm)(?!\s*\d)"
    r"|(?P<three>(?:3|03|ba)\s+tháng\s+(?P<end>đầu|cuối)(?=\s+năm))"
    r"|(?P<quarter>quý\s+(?:IV|I{1,3}|[1-4]))(?!\s*(?:/|năm|-)?\s*\d))",
    re.IGNORECASE,
)


# "Kết quả … 9 tháng đầu năm và phương hướng … 3 tháng cuối năm 2023": a nine-month report,
# read as the quarter that ends it (no period of the catalog spans nine months)
NINE_MONTHS = re.compile(
    r"(?<!\w)(?:9|09|chín)\s+tháng(?:\s+đầu\s+năm)?(?:\s+(?:năm\s+)?(?P<year>\d{4}))?(?!\w)", re.IGNORECASE
)


def _opening_nine_months(title: str, labels: list[tuple[int, int, Period]]) -> re.Match[str] | None:
    """ "9 tháng đầu năm" named first ("quý III và 9 tháng năm 2024" is a quarter's report)."""
    masked = _mask_dates(title)
    nine = NINE_MONTHS.search(masked)
    if nine is None or (labels and labels[0][0] < nine.start()):
        return None
    return None if _YEARLESS.search(masked, 0, nine.start()) else nine


def is_nine_month_report(text: str, title_end: int) -> bool:
    title = _title_text(text, title_end)[1]
    return _opening_nine_months(title, period_labels(title)) is not None


def _title_text(text: str, title_end: int) -> tuple[int, str]:
    """Where the title starts ("BÁO CÁO"), and its text up to the first numbered heading."""
    head_end = title_end if title_end > 0 else min(len(text), 1500)
    title = _TITLE.search(text, 0, max(head_end, 1))
    start = title.end() if title else 0
    return start, text[start : max(head_end, start + 400)]


def first_period(title: str) -> Period | None:
    """The first period a title or heading names, a year-less first label taking the next one's year."""
    labels = period_labels(title)
    nine = _opening_nine_months(title, labels)
    if nine is not None:
        year = nine.group("year") or (str(labels[0][2].year) if labels else None)
        if year is not None:
            return Period.of_quarter(int(year), 3)
    if not labels:
        return None
    first = _YEARLESS.search(_mask_dates(title))  # its lookaheads may read into the first label
    if first is not None and first.start() < labels[0][0]:
        year = labels[0][2].year
        if first.group("three"):  # "3 tháng cuối năm 2023": the last quarter
            return Period.of_quarter(year, 1 if first.group("end").lower() == "đầu" else 4)
        text = f"{first.group('half')} {year}" if first.group("half") else f"{first.group('quarter')}/{year}"
        try:
            return parse_period(text)
        except PeriodError:
            pass
    return labels[0][2]


# "A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024": the first heading of the results part
_RESULTS_HEADING = re.compile(
    r"(?im)^[ \t*#]*(?:PHẦN\s+\S+|[A-Z]|[IVX]+|\d+)\s*[./):]?\s+(?:\S+\s+){0,4}?KẾT\s+QUẢ[^\n]{0,160}$"
)


def _year_of_a_final_quarter(text: str, title: str, title_start: int, found: Period) -> Period:
    """ "Kết quả … quý IV và năm 2024" reports the year when its results part is headed by the
    year alone ("A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024", "Riêng quý IV, …" below); headed
    "… QUÝ IV VÀ NĂM 2025" it reports the quarter, with the year's running totals beside."""
    if found.type != PeriodType.QUARTER or found.index != 4:
        return found
    year = Period.of_year(found.year)
    if year not in {p for _, _, p in period_labels(title)}:
        return found
    heading = _RESULTS_HEADING.search(text, title_start)
    if heading is None:
        return found
    named = {p for _, _, p in period_labels(heading.group(0))}
    if named == {year} and not re.search(r"(?i)quý", heading.group(0)):
        return year
    return found


def find_period(text: str, title_end: int) -> Period | None:
    if not _is_titled_report(text, title_end):
        return press_period(text)
    start, title_text = _title_text(text, title_end)
    found = first_period(title_text)
    if found is not None:
        return _year_of_a_final_quarter(text, title_text, start, found)
    closing = list(_CLOSING.finditer(text))
    if closing:
        labels = period_labels(closing[-1].group(0))
        if labels:
            return labels[0][2]
    every = period_labels(text)
    if not every:
        return None
    return Counter(p for _, _, p in every).most_common(1)[0][0]


def _is_titled_report(text: str, title_end: int) -> bool:
    """A department's report (a "BÁO CÁO" title or a "Trên đây là …" closing), not a press text."""
    head_end = title_end if title_end > 0 else min(len(text), 1500)
    return bool(_TITLE.search(text, 0, max(head_end, 1)) or _CLOSING.search(text))


def find_province(text: str, names: list[str]) -> str | None:
    ordered = sorted(names, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in ordered)
    name_re = rf"(?P<name>{alt})(?!\w)"
    patterns = [
        (3.0, rf"{_SO_TTTT}\s+(?:tỉnh\s+|thành\s+phố\s+|TP\.?\s*)?{name_re}"),
        (
            3.0,
            rf"(?:UBND|Ủy\s+ban\s+nhân\s+dân|ỦY\s+BAN\s+NHÂN\s+DÂN)\s+(?:tỉnh|thành\s+phố|TP\.?)\s+{name_re}",
        ),
        (2.0, rf"(?m)^[\s*_#]*{name_re}\s*,\s*ngày\s+\d"),
        (0.5, rf"(?:tỉnh|thành\s+phố)\s+{name_re}"),
        # agencies and enterprises named after their province: "Bưu điện tỉnh Lào Cai", "Viettel
        # Nam Định", "VNPT Cà Mau", the newspaper "Báo Đắk Lắk", "Sở Y tế tỉnh …"
        (
            1.0,
            rf"(?:Bưu\s+điện|Viettel|VNPT|MobiFone|Vinaphone|Báo|Đài\s+PT-?TH|Sở\s+[^\W\d][\w\s&]{{0,40}}?|Công\s+an|Tỉnh\s+ủy)\s+(?:tỉnh\s+|thành\s+phố\s+|TP\.?\s*)?{name_re}",
        ),
        # the name alone, a place of the text ("Người dân thị trấn … (Đồng Hỷ)"): the weakest sign
        (0.25, rf"(?<!\w){name_re}"),
    ]
    score: dict[str, float] = {}
    canon = {n.casefold(): n for n in names}
    for weight, pattern in patterns:
        for m in re.finditer(pattern, text, re.IGNORECASE):
            found = re.sub(r"\s+", " ", m.group("name"))
            name = canon.get(found.casefold(), found)
            score[name] = score.get(name, 0.0) + weight
    if score:
        return max(score, key=lambda name: score[name])
    # an unknown name after the Department's title: up to four capitalised words
    fallback = re.search(rf"{_SO_TTTT}\s+(?:tỉnh|thành\s+phố)\s+((?:[A-ZĐ][\wÀ-ỹ]*\s?){{1,4}})", text)
    return fallback.group(1).strip() if fallback else None


# -- the period of a press text: votes of the rules in rules/report_period.yaml -------------------

REPORT_PERIOD_RULES = Path(__file__).parent / "rules" / "report_period.yaml"


@dataclass(frozen=True)
class VoteRule:
    """One rule of rules/report_period.yaml: the years its pattern holds get `weight` votes."""

    id: str
    pattern: re.Pattern[str]
    weight: int
    shift: int
    kind: str
    examples: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class AsOfRule:
    """A day a text counts up to ("tính đến ngày 04/7/2025") and the span it closes."""

    id: str
    pattern: re.Pattern[str]
    weight: int
    half_months: frozenset[int]
    year_months: frozenset[int]
    previous_year_months: frozenset[int]
    examples: tuple[dict[str, str], ...]

    def period(self, m: re.Match[str]) -> Period | None:
        year, month = int(m.group("year")), int(m.group("month"))
        if month in self.half_months:
            return Period.of_half(year, 1)
        if month in self.year_months:
            return Period.of_year(year)
        return Period.of_year(year - 1) if month in self.previous_year_months else None


@dataclass(frozen=True)
class PressPeriodRules:
    votes: tuple[VoteRule, ...]
    as_of: tuple[AsOfRule, ...]
    published: re.Pattern[str]
    head_chars: int
    previous_year_months: frozenset[int]
    published_weight: int


@lru_cache(maxsize=1)
def press_period_rules() -> PressPeriodRules:
    """The rules of rules/report_period.yaml, checked (a bad one names the file and its id)."""
    data = yaml.safe_load(REPORT_PERIOD_RULES.read_text(encoding="utf-8"))
    defs: dict[str, str] = data.get("defs", {})

    def compile_(rule_id: str, pattern: str) -> re.Pattern[str]:
        expanded = re.sub(r"<<(\w+)>>", lambda m: defs[m.group(1)], pattern)
        try:
            return re.compile(expanded, re.IGNORECASE | re.MULTILINE)
        except re.error as exc:
            raise ExtractionError(f"{REPORT_PERIOD_RULES.name}: rule {rule_id}: bad pattern: {exc}") from None

    votes = tuple(
        VoteRule(
            id=r["id"],
            pattern=compile_(r["id"], r["pattern"]),
            weight=int(r.get("weight", 1)),
            shift=int(r.get("shift", 0)),
            kind=r.get("kind", "year"),
            examples=tuple(r.get("examples", ())),
        )
        for r in data["votes"]
    )
    as_of = tuple(
        AsOfRule(
            id=r["id"],
            pattern=compile_(r["id"], r["pattern"]),
            weight=int(r.get("weight", 1)),
            half_months=frozenset(r.get("half_months", ())),
            year_months=frozenset(r.get("year_months", ())),
            previous_year_months=frozenset(r.get("previous_year_months", ())),
            examples=tuple(r.get("examples", ())),
        )
        for r in data.get("as_of_dates", ())
    )
    pub = data["published"]
    return PressPeriodRules(
        votes=votes,
        as_of=as_of,
        published=compile_("published", pub["pattern"]),
        head_chars=int(pub.get("head_chars", 400)),
        previous_year_months=frozenset(int(m) for m in pub.get("months_reviewing_previous_year", ())),
        published_weight=int(pub.get("weight", 0)),
    )


def published_year(text: str, rules: PressPeriodRules) -> int | None:
    """The year a dated page speaks of: its date's year, the year before for a January page."""
    m = rules.published.search(text, 0, rules.head_chars)
    if m is None:
        return None
    year, month = int(m.group("year")), int(m.group("month"))
    return year - 1 if month in rules.previous_year_months else year


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def press_period_votes(text: str, fallback: int | None = None) -> Counter[Period]:
    """Each year the text names, claimed by the first rule that holds it, as votes per period
    (a rule that names no year takes `fallback`, the year of the page's date)."""
    rules = press_period_rules()
    taken: list[tuple[int, int]] = []
    votes: Counter[Period] = Counter()
    for rule in rules.votes:
        for m in rule.pattern.finditer(text):
            named = m.groupdict().get("year")
            span = m.span("year") if named else m.span()
            if _overlaps(span, taken):
                continue
            taken.append(span)
            year = int(named) if named else fallback
            if year is None or rule.weight <= 0:
                continue
            votes[_voted_period(rule.kind, year + rule.shift, m)] += rule.weight
    return votes


_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _voted_period(kind: str, year: int, m: re.Match[str]) -> Period:
    """The period a vote is for: the year, its first half, its first nine months (reported as
    the third quarter, as a "9 tháng" report is) or the quarter the match names."""
    if kind == "half":
        return Period.of_half(year, 1)
    if kind == "nine_months":
        return Period.of_quarter(year, 3)
    if kind == "quarter":
        named = m.group("quarter").lower()
        return Period.of_quarter(year, _ROMAN_QUARTERS.get(named) or int(named))
    return Period.of_year(year)


def press_period(text: str) -> Period | None:
    """The period of a text with no report title: most votes (the later on a tie), else its date."""
    year = published_year(text, press_period_rules())
    votes = press_period_votes(_mask_dates_keeping_years(text), year)
    for rule in press_period_rules().as_of:
        for m in rule.pattern.finditer(text):
            closed = rule.period(m)
            if closed is not None:
                votes[closed] += rule.weight
    if year is not None and press_period_rules().published_weight:
        votes[Period.of_year(year)] += press_period_rules().published_weight
    if votes:
        return max(votes, key=lambda p: (votes[p], p.year, p.type == PeriodType.YEAR))
    return Period.of_year(year) if year is not None else None


def _mask_dates_keeping_years(text: str) -> str:
    """Dates ("ngày 29/12/2017", "31-12-2022") blanked, so their years vote for nothing."""
    return _DAY_DATE.sub(lambda m: " " * len(m.group(0)), text)


_DAY_DATE = re.compile(
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|(?<!\d)\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}(?!\d)",
    re.IGNORECASE,
)
