"""Which province and which period a report is about.

The province comes from the places a text names (rules/places.yaml, read by
places.py): "Sở Thông tin và Truyền thông tỉnh Bến Tre", the header "UBND TỈNH
TRÀ VINH", the dateline "Trà Vinh, ngày 05 tháng 01 năm 2023", a web address, a
newspaper's masthead code, a district of one province.
The period is the first period label of the title ("Công tác quý I/2020 và
kế hoạch quý II/2020" -> quý I/2020), else of the closing sentence
("Trên đây là kết quả công tác năm 2022 ..."), else the most cited one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from baocao.core.periods import Period, PeriodError, PeriodType, parse_period, quarter_number
from baocao.extraction import places
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
# Dates are not periods: "ngày 05 tháng 01 năm 2023", "24/02/2022", a header's "14\ntháng 11 năm
# 2023" or "Hà Nội, tháng 7 năm 2024"; a month alone is ("Kết quả thực hiện nhiệm vụ tháng 5 năm 2024").
_DATE = re.compile(
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|(?:(?<!\d)\d{1,2}\s+|,\s*)tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.IGNORECASE,
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
# 2020", "tháng 10 và phương hướng nhiệm vụ tháng 11 năm 2023": the first period of the title writes
# no year; it takes the year of the next label (the year before for "tháng 12 … tháng 1 năm 2024").
_YEARLESS = re.compile(
    r"(?<!\w)(?:(?P<half>(?:6|06|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm)(?!\s*\d)"
    r"|(?P<three>(?:3|03|ba)\s+tháng\s+(?P<end>đầu|cuối)(?=\s+năm))"
    r"|(?P<quarter>quý\s+(?:IV|I{1,3}|[1-4]))(?!\s*(?:/|năm|-)?\s*\d)"
    r"|tháng\s+(?P<month>1[0-2]|0?[1-9])(?![\d/\-])(?!\s*năm\s*\d))",
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
    title = press_period_rules().titled.title.search(text, 0, max(head_end, 1))
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
        if first.group("month"):
            return _yearless_month(int(first.group("month")), labels[0][2])
        text = f"{first.group('half')} {year}" if first.group("half") else f"{first.group('quarter')}/{year}"
        try:
            return parse_period(text)
        except PeriodError:
            pass
    return labels[0][2]


def _yearless_month(month: int, next_label: Period) -> Period:
    """A title's month without its year before the next label: of that label's year, the year
    before where the label is an earlier month ("tháng 12 và phương hướng tháng 1 năm 2024")."""
    before = next_label.type == PeriodType.MONTH and next_label.index < month
    return Period.of_month(next_label.year - (1 if before else 0), month)


def _year_of_a_final_quarter(text: str, title: str, title_start: int, found: Period) -> Period:
    """ "Kết quả … quý IV và năm 2024" reports the year when its results part is headed by the
    year alone ("A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024", "Riêng quý IV, …" below); headed
    "… QUÝ IV VÀ NĂM 2025" it reports the quarter, with the year's running totals beside."""
    if found.type != PeriodType.QUARTER or found.index != 4:
        return found
    year = Period.of_year(found.year)
    if year not in {p for _, _, p in period_labels(title)}:
        return found
    heading = press_period_rules().titled.results_heading.search(text, title_start)
    if heading is None:
        return found
    named = {p for _, _, p in period_labels(heading.group(0))}
    if named == {year} and not re.search(r"(?i)quý", heading.group(0)):
        return year
    return found


def find_period(text: str, title_end: int) -> Period | None:
    planned = _plan_period(text)
    if planned is not None:
        return planned
    if not _is_titled_report(text, title_end):
        return press_period(text)
    start, title_text = _title_text(text, title_end)
    found = first_period(title_text)
    if found is not None:
        return _year_of_a_final_quarter(text, title_text, start, found)
    closing = list(press_period_rules().titled.closing.finditer(text))
    if closing:
        labels = period_labels(closing[-1].group(0))
        if labels:
            return labels[0][2]
    every = period_labels(text)
    if not every:
        return None
    return Counter(p for _, _, p in every).most_common(1)[0][0]


def _plan_period(text: str) -> Period | None:
    """A formal plan ("KẾ HOẠCH" in its head) with a part on the state it starts from: the period
    that part's heading names ("ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2023"), else ("I. HIỆN TRẠNG") the
    month of the plan's own date; None for any other text."""
    rules = press_period_rules()
    titled = rules.titled
    title = titled.plan_title.search(text, 0, titled.plan_head_chars)
    if title is None:
        return None
    status = titled.plan_status.search(text, title.end())
    if status is None:
        return None
    named = first_period(status.group(0))
    if named is not None:
        return named
    day = published_date(text, rules)
    return Period.of_month(int(day.group("year")), int(day.group("month"))) if day is not None else None


def _is_titled_report(text: str, title_end: int) -> bool:
    """A department's report (a "BÁO CÁO" title or a "Trên đây là …" closing), not a press text."""
    head_end = title_end if title_end > 0 else min(len(text), 1500)
    titled = press_period_rules().titled
    return bool(titled.title.search(text, 0, max(head_end, 1)) or titled.closing.search(text))


def find_province(text: str, names: list[str], period: Period | None = None) -> str | None:
    """The province the text is from: the signs of rules/places.yaml (places.py); a text of a
    period after the 2025 merger names the merged province."""
    return places.find_province(text, names, period.end if period is not None else None)


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
    # a rule that names no year counts from the page's date: "reviewed" the year it speaks
    # of (January: the year before), "date" the date's own year ("năm nay")
    base: str = "reviewed"
    # the shift holds only where the text holds this pattern (<<shifted_year>>: the year shifted)
    shift_if: str | None = None
    # a weak sign ("so với năm 2023" alone): it counts only where no other rule votes
    fallback: bool = False
    # the text looks back on the year voted ("tổng kết năm 2022"): it stands though the text
    # cites a later document
    reviewed: bool = False
    # `base: past` ("Năm qua, …", naming no year): on a page of one of `previous_year_months` the
    # year before the page's, of one of `year_months` the page's own year, of another month nothing
    previous_year_months: frozenset[int] = frozenset()
    year_months: frozenset[int] = frozenset()
    # naming no year on an undated page ("Trong quý III, …", "6 tháng đầu năm"): no vote, but the
    # period it names narrows the year the text is found to be of
    narrows: bool = False

    def past_year(self, dated: Period | None) -> int | None:
        """The year "năm qua" names on a page of the month `dated`."""
        if dated is None:
            return None
        if dated.index in self.previous_year_months:
            return dated.year - 1
        return dated.year if dated.index in self.year_months else None

    def year_voted(self, text: str, year: int) -> int:
        if self.shift_if is None:
            return year + self.shift
        looked_back = self.shift_if.replace("<<shifted_year>>", str(year + self.shift))
        return year + self.shift if re.search(looked_back, text, re.IGNORECASE) else year


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
    page_month_weight: int = 0
    # days of one month a text tells of ("Từ ngày 09/5 đến 13/5/2008, … tiến hành thanh tra"):
    # that month, whatever span its end might close
    whole_month: bool = False
    # a month written without its year ("Đến tháng 5, tỉnh đã phủ sóng …"): no vote, but the span
    # it closes in the year the text is found to be of (the month itself where it closes none)
    of_found_year: bool = False
    # a month counted up to closes the months of the year up to it ("đến hết tháng 9/2023": the
    # first nine months, the third quarter; "đến tháng 5/2009": May), as "9 tháng đầu năm" does
    first_months: bool = False

    def period(self, m: re.Match[str]) -> Period | None:
        return self.closed(int(m.group("year")), int(m.group("month")))

    def closed(self, year: int, month: int) -> Period | None:
        if self.whole_month:
            return Period.of_month(year, month)
        if self.first_months:
            # up to the end of November the year's figure as far as known: the year (year_months)
            return Period.of_year(year) if month in self.year_months else Period.of_first_months(year, month)
        if month in self.half_months:
            return Period.of_half(year, 1)
        if month in self.year_months:
            return Period.of_year(year)
        return Period.of_year(year - 1) if month in self.previous_year_months else None

    def vote(self, m: re.Match[str], dated: Period | None) -> tuple[Period | None, int]:
        """The span the day closes and its votes; a day of the month the page is dated in that
        closes no span ("Tính đến ngày 06/8/2025" on a page of 11/8/2025) votes for that month."""
        closed = self.period(m)
        if closed is not None:
            return closed, self.weight
        month = Period.of_month(int(m.group("year")), int(m.group("month")))
        if self.page_month_weight and month == dated:
            return month, self.page_month_weight
        return None, 0


@dataclass(frozen=True)
class NotBeforeRule:
    """The latest year a text shows it was written in or after (a document it cites was issued,
    a year it compares with): the report's year is not earlier, but for a document's day in
    `months_reviewing_previous_year`."""

    id: str
    patterns: tuple[re.Pattern[str], ...]
    months_reviewing_previous_year: frozenset[int]
    examples: tuple[dict[str, str], ...]
    next_year_months: frozenset[int] = frozenset()
    # names that exist only since a day ("khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
    # số", Nghị quyết 57-NQ/TW of 22/12/2024): the text is written after it, as if it cited a
    # document of that day
    names_since: tuple[tuple[re.Pattern[str], date], ...] = ()
    # a year whose ranking (the DTI) the text gives before telling the state now: the ranking is
    # published the year after, so the text is written then at the earliest
    ranked_years: tuple[re.Pattern[str], ...] = ()
    # a legal norm cited as a basis (a law, a decree, a circular: "theo quy định tại Nghị định số
    # 119/2020/NĐ-CP ngày 7/10/2020"), searched in the words before the cited date and the date:
    # in force for years, its date floors the text's year but never is it
    legal_basis: re.Pattern[str] = re.compile("(?!)")
    legal_basis_chars: int = 0

    def _dates(self, text: str, *, of_writing: bool = False) -> list[tuple[int, int | None]]:
        """(year, month) of every document, compared year, name since a day and year after a
        ranking the text holds (`of_writing`: no legal norm's, whose date tells not when the text
        is written)."""
        found = [
            (int(m.group("year")), _month_of(m))
            for pattern in self.patterns
            for m in pattern.finditer(text)
            if not (of_writing and self._cites_legal_norm(text, m))
        ]
        found += [(day.year, day.month) for pattern, day in self.names_since if pattern.search(text)]
        found += [(int(m.group("year")) + 1, None) for pattern in self.ranked_years for m in pattern.finditer(text)]
        return found

    def earliest_year(self, text: str) -> int | None:
        years = [
            year - (1 if month in self.months_reviewing_previous_year else 0)
            for year, month in self._dates(text)
        ]
        return max(years, default=None)

    def written_in(self, text: str) -> int | None:
        """The year an undated text with no vote is written in: its earliest year, the year after
        for a document of `next_year_months` ("Thực hiện Nghị quyết … ngày 22/12/2024, đến nay
        …" reports what was done since: the next year)."""
        years = [
            year + (1 if month in self.next_year_months else 0) for year, month in self._dates(text, of_writing=True)
        ]
        return max(years, default=None)

    def _cites_legal_norm(self, text: str, m: re.Match[str]) -> bool:
        return any(
            found.start() <= m.start() < found.end()
            for found in self.legal_basis.finditer(text, max(0, m.start() - self.legal_basis_chars), m.end())
        )


def _day(value: object) -> date:
    """A day of the rules file: a YAML date or "2024-12-22"."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _month_of(date: re.Match[str]) -> int | None:
    """The month of a date matched as "15/3/2021" (group `month`) or in words (group `in_words`)."""
    groups = date.groupdict()
    month = groups.get("month") or groups.get("in_words")
    return int(month) if month else None


@dataclass(frozen=True)
class TitledRules:
    """A department's formal report: its title, its closing, the heading of its results part."""

    id: str
    title: re.Pattern[str]
    closing: re.Pattern[str]
    results_heading: re.Pattern[str]
    examples: tuple[dict[str, str], ...]
    # a formal plan: its document type in the head, the heading of its part on the state it starts from
    plan_title: re.Pattern[str] = re.compile("(?!)")
    plan_status: re.Pattern[str] = re.compile("(?!)")
    plan_head_chars: int = 0


@dataclass(frozen=True)
class PressPeriodRules:
    titled: TitledRules
    votes: tuple[VoteRule, ...]
    as_of: tuple[AsOfRule, ...]
    not_before: NotBeforeRule
    published: tuple[re.Pattern[str], ...]
    # "Chiều 26/9/2023, Sở tổ chức …": the day of the event a text tells, where nothing votes
    event_day: re.Pattern[str]
    # "Từ đầu năm 2021 đến nay": the year an undated text is written in
    year_so_far: re.Pattern[str]
    head_chars: int
    previous_year_months: frozenset[int]
    published_weight: int
    # the page's date on a line no longer than this is the day it was written ("16:39, 23/03/2024")
    dateline_chars: int = 0
    # what before a date says it is a span's start or end in the body ("Từ ngày 01/01/2019, …")
    not_page_date_after: re.Pattern[str] = re.compile("(?!)")


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
            base=r.get("base", "reviewed"),
            shift_if=r.get("shift_if"),
            fallback=bool(r.get("fallback", False)),
            reviewed=bool(r.get("reviewed", False)),
            previous_year_months=frozenset(int(m) for m in r.get("previous_year_months", ())),
            year_months=frozenset(int(m) for m in r.get("year_months", ())),
            narrows=bool(r.get("narrows", False)),
        )
        for r in data["votes"]
    )
    for rule in votes:
        needed = {"quarter": "q", "through_quarter": "q", "month": "month", "months": "months", "anniversary": "years"}.get(rule.kind)
        if needed is not None and needed not in rule.pattern.groupindex:
            raise ExtractionError(
                f"{REPORT_PERIOD_RULES.name}: rule {rule.id}: kind {rule.kind} needs a group {needed}"
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
            page_month_weight=int(r.get("page_month_weight", 0)),
            whole_month=bool(r.get("whole_month", False)),
            of_found_year=bool(r.get("of_found_year", False)),
            first_months=bool(r.get("first_months", False)),
        )
        for r in data.get("as_of_dates", ())
    )
    pub, titled, floor = data["published"], data["titled"], data["not_before"]
    return PressPeriodRules(
        titled=TitledRules(
            id="report_period.titled",
            title=compile_("titled.title", titled["title"]),
            closing=compile_("titled.closing", titled["closing"]),
            results_heading=compile_("titled.results_heading", titled["results_heading"]),
            examples=tuple(titled.get("examples", ())) + tuple(titled.get("plan_examples", ())),
            plan_title=compile_("titled.plan_title", titled.get("plan_title", "(?!)")),
            plan_status=compile_("titled.plan_status", titled.get("plan_status", "(?!)")),
            plan_head_chars=int(titled.get("plan_head_chars", 0)),
        ),
        votes=votes,
        as_of=as_of,
        not_before=NotBeforeRule(
            id=floor["id"],
            patterns=tuple(compile_(floor["id"], pattern) for pattern in floor["patterns"]),
            months_reviewing_previous_year=frozenset(int(m) for m in floor["months_reviewing_previous_year"]),
            examples=tuple(floor.get("examples", ())),
            next_year_months=frozenset(int(m) for m in floor.get("next_year_months", ())),
            names_since=tuple(
                (compile_(floor["id"], n["pattern"]), _day(n["since"])) for n in floor.get("names_since", ())
            ),
            ranked_years=tuple(compile_(floor["id"], pattern) for pattern in floor.get("ranked_years", ())),
            legal_basis=compile_(floor["id"], floor.get("legal_basis", "(?!)")),
            legal_basis_chars=int(floor.get("legal_basis_chars", 0)),
        ),
        published=tuple(compile_("published", p) for p in pub["patterns"]),
        event_day=compile_("published.event_day", pub["event_day"]),
        year_so_far=compile_("published.year_so_far", pub.get("year_so_far", "(?!)")),
        head_chars=int(pub.get("head_chars", 400)),
        previous_year_months=frozenset(int(m) for m in pub.get("months_reviewing_previous_year", ())),
        published_weight=int(pub.get("weight", 0)),
        dateline_chars=int(pub.get("dateline_chars", 0)),
        not_page_date_after=compile_("published.not_page_date_after", pub.get("not_page_date_after", "(?!)")),
    )


def published_year(text: str, rules: PressPeriodRules, *, reviewed: bool = True) -> int | None:
    """The year a dated page speaks of: its date's year, the year before for a January page
    (`reviewed=False`: the date's own year)."""
    m = published_date(text, rules)
    if m is None:
        return None
    year, month = int(m.group("year")), int(m.group("month"))
    return year - 1 if reviewed and month in rules.previous_year_months else year


def published_date(text: str, rules: PressPeriodRules) -> re.Match[str] | None:
    """The page's date: the first of the `published` patterns found in the head, not the date
    of a document the head cites ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024, …") nor the
    start or end of a span its body tells ("Từ ngày 01/01/2019, …")."""
    cited = [m.span() for p in rules.not_before.patterns for m in p.finditer(text, 0, rules.head_chars)]
    found = [
        m
        for p in rules.published
        for m in p.finditer(text, 0, rules.head_chars)
        if not _overlaps(m.span(), cited)
        and not rules.not_page_date_after.search(text[text.rfind("\n", 0, m.start()) + 1 : m.start()])
    ]
    return min(found, key=lambda m: m.start()) if found else None


def written_on(text: str, page: re.Match[str] | None, rules: PressPeriodRules) -> date | None:
    """The day the page was written: its date on a line of its own ("16:39, 23/03/2024"), not a
    day its body tells ("Ngày 23/6/2022, Thủ tướng ban hành …")."""
    if page is None:
        return None
    start = text.rfind("\n", 0, page.start()) + 1
    end = text.find("\n", page.end())
    line = text[start : len(text) if end < 0 else end]
    if len(line.strip()) > rules.dateline_chars:
        return None
    day = page.groupdict().get("day")
    if day is None:  # a stamp of the month alone ("date 2023-10") names no day
        return None
    try:
        return date(int(page.group("year")), int(page.group("month")), int(day))
    except ValueError:
        return None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


@dataclass
class PressVotes:
    """The votes of a press text: of the rules, of the weak signs (`fallback:` rules, counted
    where the rules give none), and the periods a rule says the text looks back on."""

    votes: Counter[Period] = field(default_factory=Counter)
    weak: Counter[Period] = field(default_factory=Counter)
    reviewed: set[Period] = field(default_factory=set)
    # an undated text's periods named without a year (rules with `narrows`): the kind and match
    narrowing: list[tuple[str, re.Match[str]]] = field(default_factory=list)


def press_period_votes(
    text: str,
    fallback: int | None = None,
    date_year: int | None = None,
    dated: Period | None = None,
    *,
    undated: bool = False,
) -> PressVotes:
    """Each year the text names, claimed by the first rule that holds it, as votes per period
    (a rule that names no year takes `fallback`, the year the page's date speaks of, or with
    `base: date` `date_year`, the date's own year; a month without a year, `dated`, the page's
    month).  In an `undated` text (no page date, no year it counts from) a rule that `narrows`
    casts no vote without a year: its phrase is kept to narrow the year found."""
    taken: list[tuple[int, int]] = []
    found = PressVotes()
    for rule in press_period_rules().votes:
        for m in rule.pattern.finditer(text):
            named = m.groupdict().get("year")
            span = m.span("year") if named else m.span()
            if _overlaps(span, taken):
                continue
            taken.append(span)
            if rule.narrows and not named and undated:
                found.narrowing.append((rule.kind, m))
                continue
            if rule.kind in _OF_PAGE and not named:
                voted = _of_page(rule.kind, m, dated)
                if voted is not None and rule.weight > 0:
                    found.votes[voted] += rule.weight
                continue
            year = int(named) if named else _base_year(rule, fallback, date_year, dated)
            if year is None or rule.weight <= 0:
                continue
            period = _voted_period(rule.kind, m, rule.year_voted(text, year))
            (found.weak if rule.fallback else found.votes)[period] += rule.weight
            if rule.reviewed:
                found.reviewed.add(period)
    return found


# kinds of a rule naming no year that vote for a period of the page's date
_OF_PAGE = frozenset({"month", "quarter", "page", "page_quarter", "page_previous_month", "page_previous_quarter"})


def _base_year(rule: VoteRule, fallback: int | None, date_year: int | None, dated: Period | None) -> int | None:
    """The year of a rule naming none: the page's date's own (`base: date`), the year "năm qua"
    names there (`base: past`), else `fallback`, the year the page's date speaks of."""
    if rule.base == "date":
        return date_year
    return rule.past_year(dated) if rule.base == "past" else fallback


def _of_page(kind: str, m: re.Match[str], dated: Period | None) -> Period | None:
    """The period a rule naming no year votes for on a page of the month `dated`: that month
    (`page`: "tính đến thời điểm này"), its quarter (`page_quarter`: "trong quý này"), the month or
    quarter before it (`page_previous_month`: "trong tháng trước"), or the month or quarter it
    names, if of the page."""
    if dated is None:
        return None
    quarter = Period.for_date(dated.start, PeriodType.QUARTER)
    of_page = {
        "page": dated,
        "page_quarter": quarter,
        "page_previous_month": dated.previous(),
        "page_previous_quarter": quarter.previous(),
    }
    if kind in of_page:
        return of_page[kind]
    return _month_of_page(m, dated) if kind == "month" else _quarter_of_page(m, dated)


def _month_of_page(m: re.Match[str], dated: Period | None) -> Period | None:
    """A month named without its year ("Trong tháng 10, Sở …") on a page of that month or the
    month after: that month; any other month says nothing of the page's own."""
    if dated is None:
        return None
    month = int(m.group("month"))
    for candidate in (dated, dated.previous()):
        if candidate.index == month:
            return candidate
    return None


def _quarter_of_page(m: re.Match[str], dated: Period | None) -> Period | None:
    """A quarter named without its year ("Trong quý I, …") on a page of that quarter or the
    quarter after: that quarter; any other quarter says nothing of the page's own."""
    if dated is None:
        return None
    quarter = Period.for_date(dated.start, PeriodType.QUARTER)
    for candidate in (quarter, quarter.previous()):
        if candidate.index == quarter_number(m.group("q")):
            return candidate
    return None


def _voted_period(kind: str, m: re.Match[str], year: int) -> Period:
    """The period a rule's vote is for: the year, its first half, its first nine months
    (reported as the third quarter, as a "9 tháng" report is), the quarter in group `q`, the
    month in group `month` or the first months of the year (group `months`: "10 tháng đầu năm"
    reports October, "3 tháng" the first quarter)."""
    if kind == "month":
        return Period.of_month(year, int(m.group("month")))
    if kind == "months":
        return Period.of_first_months(year, int(m.group("months")))
    if kind == "half":
        return Period.of_first_months(year, 6)
    if kind == "nine_months":
        return Period.of_first_months(year, 9)
    if kind == "quarter":
        return Period.of_quarter(year, quarter_number(m.group("q")))
    if kind == "through_quarter":  # "tính đến hết quý II/2023": the year so far, the first half
        return Period.of_first_months(year, 3 * quarter_number(m.group("q")))
    if kind == "next_month":
        return Period.of_month(year, int(m.group("month"))).next()
    if kind == "anniversary":  # founded in `year`, "sau 10 năm xây dựng": the tenth year after
        return Period.of_year(year + int(m.group("years")))
    return Period.of_year(year)


def press_period(text: str) -> Period | None:
    """The period of a text with no report title: most votes (the later on a tie), else the
    votes of the weak signs, else its date; none before a document the text cites was issued."""
    rules = press_period_rules()
    year = published_year(text, rules)
    date_year = published_year(text, rules, reviewed=False)
    earliest = rules.not_before.earliest_year(text)
    page = published_date(text, rules)
    written = written_on(text, page, rules)
    if written is not None and earliest is not None:
        earliest = min(earliest, written.year)
    counted_in = date_year
    if counted_in is None and (so_far := rules.year_so_far.search(text)) is not None:
        # an undated text counting from a year's start is written in that year (no vote of a date)
        counted_in = int(so_far.group("year"))
    undated = counted_in is None
    # else the earliest year it can be written in (an event of 2023 it tells)
    counted_in = earliest if counted_in is None else counted_in
    dated = Period.of_month(int(page.group("year")), int(page.group("month"))) if page else None
    found = press_period_votes(
        _mask_dates_keeping_years(text),
        year if year is not None else counted_in,
        counted_in,
        dated,
        undated=undated,
    )
    for rule in rules.as_of:
        for m in rule.pattern.finditer(text) if not rule.of_found_year else ():
            closed, weight = rule.vote(m, dated)
            if closed is not None:
                found.votes[closed] += weight
    if not found.votes and not found.weak and (told := _event_period(text, rules, earliest, written)) is not None:
        return told
    if year is not None and rules.published_weight:
        found.votes[Period.of_year(year)] += rules.published_weight
    for counted in (found.votes, found.weak):
        kept = Counter(
            {
                p: n
                for p, n in counted.items()
                if _may_be_reported(p, earliest, found.reviewed) and (written is None or p.start <= written)
            }
        )
        if kept:
            best = max(kept, key=lambda p: (kept[p], p.year, p.type == PeriodType.YEAR, p.end))
            return _narrowed(text, rules, best, found.narrowing, kept)
    dated_year = _year_without_votes(text, rules, year, earliest)
    return _narrowed(text, rules, dated_year, found.narrowing) if dated_year is not None else None


def _narrowed(
    text: str,
    rules: PressPeriodRules,
    found: Period,
    named: Sequence[tuple[str, re.Match[str]]] = (),
    voted: Counter[Period] | None = None,
) -> Period:
    """A year found, narrowed by the one month the text counts up to without writing its year
    ("Đến tháng 5, tỉnh đã phủ sóng …": that month of the year; "Tính đến hết tháng 6, …" its first
    half) or the one period an undated text names without its year (`named`: "Trong quý III, …",
    "6 tháng đầu năm") unless the votes already weighed it against the year (`voted`: "9 tháng
    đầu năm 2018" beside "tổng kết năm 2018"); two such, or none, leave the year."""
    if found.type != PeriodType.YEAR:
        return found
    closed = {
        rule.closed(found.year, int(m.group("month"))) or Period.of_month(found.year, int(m.group("month")))
        for rule in rules.as_of
        if rule.of_found_year
        for m in rule.pattern.finditer(text)
    }
    in_year = {p for kind, m in named if (p := _in_year(kind, m, found.year)) is not None}
    if not in_year & set(voted or ()):
        closed |= in_year
    return closed.pop() if len(closed) == 1 else found


def _in_year(kind: str, m: re.Match[str], year: int) -> Period | None:
    """The period a phrase naming no year names in `year` (none for the page's own periods)."""
    if kind in ("month", "quarter", "half", "nine_months", "months", "through_quarter"):
        return _voted_period(kind, m, year)
    return None


def _event_period(text: str, rules: PressPeriodRules, earliest: int | None, written: date | None) -> Period | None:
    """A text no rule votes for that tells an event on a day ("Ngày 10/10/2019, Sở tổ chức hội
    nghị …"): the month of that day (January: the year before, looked back on), not before its
    earliest year nor after the page was written."""
    event = _told_event(text, rules)
    if event is None or not 1 <= int(event.group("month")) <= 12:
        return None
    year, month = int(event.group("year")), int(event.group("month"))
    if month in rules.previous_year_months and _issues_a_document(text, rules, event):
        return None  # a January document's issue: the text is of that year, looking back on none
    told = Period.of_year(year - 1) if month in rules.previous_year_months else Period.of_month(year, month)
    if not _may_be_reported(told, earliest, set()) or (written is not None and told.start > written):
        return None
    return told


def _told_event(text: str, rules: PressPeriodRules) -> re.Match[str] | None:
    """The first day of an event the text tells ("Chiều 14/10/2022, …"); past the text's head, a
    day on which a document it cites was issued ("Ngày 31/8/2021, Ban Thường vụ Tỉnh ủy ban hành
    Nghị quyết số 17-NQ/TU …") is that document's date, no event of the text's."""
    cited = [m.span() for p in rules.not_before.patterns for m in p.finditer(text, rules.head_chars)]
    for event in rules.event_day.finditer(text):
        if event.start() < rules.head_chars or not _overlaps(event.span(), cited):
            return event
    return None


def _issues_a_document(text: str, rules: PressPeriodRules, event: re.Match[str]) -> bool:
    """Whether the day told is the day a document was issued ("Ngày 11/1/2022, UBND tỉnh đã ban
    hành Quyết định số 47/QĐ-UBND …"): the text is written that day or after; in January it looks
    back on no year before it (the year of the issue, not its month)."""
    return any(_overlaps(event.span(), [m.span()]) for p in rules.not_before.patterns for m in p.finditer(text))


def _may_be_reported(period: Period, earliest: int | None, reviewed: set[Period]) -> bool:
    """Not before the earliest year the text was written in, unless the text looks back on it."""
    return earliest is None or period.year >= earliest or period in reviewed


def _year_without_votes(
    text: str, rules: PressPeriodRules, dated: int | None, earliest: int | None
) -> Period | None:
    """A text no rule votes for: the year its page's date speaks of, else the day of the event
    it tells ("Chiều 14/10/2022, …"), not before its earliest year; else that earliest year."""
    if dated is None and (event := _told_event(text, rules)) is not None:
        month = int(event.group("month"))
        looks_back = month in rules.previous_year_months and not _issues_a_document(text, rules, event)
        dated = int(event.group("year")) - (1 if looks_back else 0)
    if dated is None and earliest is not None:
        earliest = rules.not_before.written_in(text)
    years = [y for y in (dated, earliest) if y is not None]
    return Period.of_year(max(years)) if years else None


def _mask_dates_keeping_years(text: str) -> str:
    """Dates ("ngày 29/12/2017", "31-12-2022") blanked, so their years vote for nothing."""
    return _DAY_DATE.sub(lambda m: " " * len(m.group(0)), text)


_DAY_DATE = re.compile(
    r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|(?<!\d)\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}(?!\d)",
    re.IGNORECASE,
)
