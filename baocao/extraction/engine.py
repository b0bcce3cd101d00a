"""extract_text: one report text in, one gold-shaped JSON object out."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from baocao.core.docrefs import find_references
from baocao.core.periods import Period, PeriodError, PeriodType, parse_period

from .errors import ExtractionError
from .figures import Figure, find_figures
from .lexicon import Indicator, Lexicon, default_lexicon
from .matcher import Context, Matcher
from .province import (
    NINE_MONTHS,
    find_period,
    find_province,
    first_period,
    is_nine_month_report,
    period_labels,
)
from .segment import Segmented, segment
from .textview import TextView, build_view

EVIDENCE_MAX = 160
EVIDENCE_LEFT = 90
EVIDENCE_RIGHT = 60
# a clause opening with a period label: "Tháng 12/2023 tiếp nhận ...", "Riêng quý IV/2023, ..."
_CLAUSE_PERIOD = re.compile(
    r"[\s\-–+•*]*(?:(?:trong|riêng|tính\s+riêng)\s+)?(?P<label>(?:tháng|quý)\s+[\dIV]{1,4}\s*(?:/|năm|-)\s*\d{4})"
    r"(?!\d)\s*[,:]?\s",
    re.IGNORECASE,
)
# "Riêng quý IV, văn bản Sở ban hành: 612" in a yearly report: that year's quarter, for the
# whole sentence ("Riêng quý IV: 02 cuộc; 11 tổ chức, cá nhân")
_YEARLESS_QUARTER = re.compile(
    r"[\s\-–+•*]*(?:riêng|tính\s+riêng|trong)\s+quý\s+(?P<q>IV|I{1,3}|[1-4])(?!\s*(?:/|năm|-)?\s*\d)\s*[,:]",
    re.IGNORECASE,
)
# "Từ ngày 01/7/2025 đến ngày 31/12/2025, …" and "Đến ngày 30/6/2025, tổng số trạm …" in a
# yearly report: dates that bound exactly a half or a quarter of it name that period
_CLAUSE_DATES = re.compile(
    r"[\s\-–+•*]*(?:(?:từ\s+ngày\s+(?P<d1>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>\d{4})\s+)?"
    r"(?:tính\s+)?đến\s+(?:hết\s+)?ngày\s+(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))\s*,",
    re.IGNORECASE,
)
# "6 tháng cuối năm, hệ thống … tiếp nhận 486.230 hồ sơ", "; trong đó 6 tháng cuối năm là 34.615
# hồ sơ", "6 tháng đầu năm 2025 của 03 tỉnh trước sắp xếp đạt …": a clause opening with a half
_CLAUSE_HALF = re.compile(
    r"[\s\-–+•*]*(?:trong\s+đó,?\s+|riêng\s+|tính\s+riêng\s+|trong\s+)?(?:6|06|sáu)\s+tháng\s+(?P<half>đầu|cuối)\s+năm"
    r"(?:\s+(?P<year>\d{4}))?(?!\s*[/\-]?\s*\d)",
    re.IGNORECASE,
)
_BARE_SAME_PERIOD = re.compile(r"so\s+với\s+cùng\s+kỳ(?:\s+năm\s+trước)?\s*$", re.IGNORECASE)
# "Cùng kỳ năm 2021, toàn tỉnh tiếp nhận 47.960 hồ sơ", "; cùng kỳ năm 2024 tiếp nhận …"
_CLAUSE_SAME_PERIOD = re.compile(r"[\s\-+•*]*(?:so\s+với\s+)?cùng\s+kỳ(?:\s+năm\s+(?P<year>\d{4}))?(?!\d)\s*[,:]?\s", re.IGNORECASE)
# "cả năm 2023", "trong năm 2024" before a figure: the year it is counted in
_STATED_PERIOD = re.compile(
    r"(?<!với )(?:(?:cả|trong|lũy\s+kế|giải\s+ngân|đến\s+hết|hết)\s+"
    r"(?P<label>năm\s+\d{4}|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4})(?!\d)"
    # "lũy kế 6 tháng đầu năm ước đạt …" in a second-quarter report: that year's first half
    r"|lũy\s+kế\s+(?P<half>(?:6|sáu)\s+tháng\s+đầu\s+năm)(?!\s*\d)"
    r"|(?P<subject>năm\s+\d{4}|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4})"
    # "6 tháng đầu năm 2025 của 03 tỉnh trước sắp xếp đạt 2.146 tỷ đồng"
    r"(?:\s+của\s+(?:\d{1,2}\s+)?[^,;.\d]{1,40}?)?"
    r"\s+(?:được\s+)?(?:phấn\s+đấu\s+)?(?:ước\s+(?:tính\s+|thực\s+hiện\s+)?)?đạt(?!\w))",
    re.IGNORECASE,
)
_SENTENCE_PERIOD = re.compile(
    r"[\s\-+•*]*(?:cả|trong|riêng|tính\s+chung)\s+(?P<label>năm\s+\d{4}|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4})"
    r"(?!\d)\s*,",
    re.IGNORECASE,
)
# a goal of a plan year: "chỉ tiêu kế hoạch năm 2021 về tỷ lệ hồ sơ … đạt 30%"
_PLAN_PERIOD = re.compile(r"(?:chỉ\s+tiêu|kế\s+hoạch|mục\s+tiêu)\s+(?:kế\s+hoạch\s+)?(?P<label>năm\s+\d{4})(?!\d)", re.IGNORECASE)
_RESULT_HEADING = re.compile(r"kết\s+quả|tình\s+hình\s+thực\s+hiện|tổng\s+kết|đánh\s+giá", re.IGNORECASE)
# "kế hoạch năm", "chỉ tiêu cả năm" with no year written: the year of the report
_YEAR_PLAN = re.compile(r"(?:kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu)\s+(?:cả\s+)?năm(?!\s*\d)", re.IGNORECASE)


@dataclass
class Fact:
    indicator: str
    value: Decimal
    qualifier: str
    period: Period | None
    target: bool
    span: tuple[int, int]
    fig: Figure
    flag: str | None = None

    @property
    def zero(self) -> bool:
        return self.fig.zero


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class _Run:
    """The state of one extraction."""

    def __init__(self, raw: str, lex: Lexicon, unit: str | None, period: str | None) -> None:
        self.lex = lex
        self.view: TextView = build_view(raw, lex.spelling)
        text = self.view.text
        self.text = text
        glue = bytearray(len(text) + 1)
        for m in lex.glue.finditer(text):
            glue[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        self.seg: Segmented = segment(text, [])
        # segment() needs no glue; the matcher does (commas inside "tin, bài" are not boundaries)
        self.figures = find_figures(self.seg, lex)
        self.matcher = Matcher(self.seg, self.figures, lex, glue)
        if period:
            try:
                self.period: Period | None = parse_period(period)
            except PeriodError as exc:
                raise ExtractionError(f"period override {period!r}: {exc}") from None
        else:
            self.period = find_period(text, self.seg.title_end)
        # in a nine-month report "lũy kế 9 tháng" is the report's own span, not another one
        self.nine_months = bool(
            self.period is not None and self.period.type == PeriodType.QUARTER and self.period.index == 3
            and is_nine_month_report(text, self.seg.title_end)
        )  # fmt: skip
        self.province = unit or find_province(text, lex.provinces)

    # -- per-figure decisions -------------------------------------------------------------------

    def skipped(self, ctx: Context) -> bool:
        text, fig, lex = self.text, ctx.fig, self.lex
        if not fig.zero:
            before = text[max(ctx.clause[0], fig.start - 40) : fig.start]
            if lex.skip_pre.search(before):
                return True
            # inside "trong đó …" the remainder "và các … khác" is the total's, not this part's
            in_breakdown = any(text[g[0]] != "(" for g in ctx.groups)
            if not in_breakdown and lex.skip_post.match(text, fig.end, min(len(text), fig.end + 120)):
                return True
            if lex.score_points.match(text, fig.end, min(len(text), fig.end + 40)) and not (
                lex.score_points_unless.search(text, ctx.clause[0], fig.start)
            ):
                return True
            if (
                fig.kind == "percent"
                and lex.skip_post_percent.match(text, fig.end, min(len(text), fig.end + 60))
                and not lex.keep_plan_percent.search(text, ctx.clause[0], fig.start)
            ):
                return True
        for a, _ in ctx.heads:
            if lex.skip_headings.match(text, a) and not self._stated_rate(ctx):
                return True
        if self.period is not None:
            kind = self._period_word(ctx)
            if (
                kind
                and kind != self.period.type.value
                and self.stated_period(ctx) is None
                and self.clause_period(ctx) is None
            ):
                return True
        if fig.yearlike and not self.matcher.resolve(ctx, "obj", ("post",))[0]:
            return True
        para = ctx.para
        # "So sánh (%)", "Tăng/giảm" columns hold comparisons, not values;
        # "Lũy kế 9 tháng" columns a span no report period names
        header = para.table_header
        other = lex.period_words.get("other")
        return bool(
            header
            and fig.cell is not None
            and fig.cell < len(header)
            and (
                lex.skip_columns.search(header[fig.cell])
                or (
                    other is not None
                    and other.search(header[fig.cell]) is not None
                    and not (self.nine_months and NINE_MONTHS.search(header[fig.cell]))
                )
            )
        )

    def _stated_rate(self, ctx: Context) -> bool:
        """ "Tỷ lệ hồ sơ giải quyết trực tuyến mới đạt 5,24%" under "Tồn tại, hạn chế": a named rate
        is the period's level even where the report laments it (counts there are subsets)."""
        return ctx.fig.kind == "percent" and bool(
            re.search(r"(?<!\w)tỷ\s+lệ(?!\w)", self.text[ctx.clause[0] : ctx.fig.start], re.IGNORECASE)
        )

    def stated_period(self, ctx: Context, pattern: re.Pattern[str] | None = None) -> Period | None:
        """ "phấn đấu tổng doanh thu ... cả năm 2023 đạt 2.650 tỷ đồng", "Doanh thu … năm 2025 ước đạt
        228 tỷ đồng" in a quarterly report: the clause says the year it speaks of (not after "so
        với", which compares); "Cả năm 2025, …; …" opening the sentence speaks for all its clauses."""
        found = None
        for m in (pattern or _STATED_PERIOD).finditer(self.text, ctx.clause[0], ctx.fig.start):
            found = m
        if found is None and pattern is None:
            found = _SENTENCE_PERIOD.match(self.text, ctx.sentence[0], ctx.fig.start)
        if found is None:
            return None
        try:
            groups = found.groupdict()
            if groups.get("half"):
                return Period.of_half(self.period.year, 1) if self.period is not None else None
            return parse_period(groups.get("label") or groups["subject"])
        except PeriodError:
            return None

    def _period_word(self, ctx: Context) -> str | None:
        # inside "(kế hoạch năm 2024: 2.800 tỷ đồng)" the words before the parenthesis do not count
        start = max([ctx.clause[0]] + [g[0] for g in ctx.groups[:1]])
        left = (start, ctx.fig.start)
        best: tuple[int, str] | None = None
        for kind, pattern in self.lex.period_words.items():
            for m in pattern.finditer(self.text, *left):
                if kind == "other" and self.nine_months and self._own_nine_months(m.group(0)):
                    kind = PeriodType.QUARTER.value
                if best is None or m.start() > best[0]:
                    best = (m.start(), kind)
        return best[1] if best else None

    def _own_nine_months(self, words: str) -> bool:
        return bool(NINE_MONTHS.search(words) or re.fullmatch(r"(?i)lũy\s+kế\s+(?:9\s+)?tháng", words))

    def approx(self, ctx: Context) -> bool:
        text = self.text
        if any(re.search(r"(?<!\w)ước(?!\w)", text[a:b], re.IGNORECASE) for a, b in ctx.pre):
            return True
        spans = [s for s in (ctx.label, ctx.lead) if s] + ctx.heads
        return any(self.lex.approx_context.search(text, a, b) for a, b in spans)

    def target(self, ctx: Context) -> tuple[bool, Period | None]:
        text = self.text
        for i, (a, b) in enumerate(ctx.heads):
            # "KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV VÀ NĂM 2025" reports results, whatever it names
            if self.lex.target_headings.search(text, a, b) and not _RESULT_HEADING.search(text, a, b):
                # "KẾ HOẠCH QUÝ I VÀ NĂM 2026" › "2. Năm 2026": the nearest heading naming a period
                inner = (first_period(text[x:y]) for x, y in ctx.heads[: i + 1])
                own = next((p for p in inner if p is not None), None)
                if own is not None and self.period is not None and own == self.period:
                    continue
                return True, own or (self.period.next() if self.period else None)
        left = text[ctx.clause[0] : ctx.fig.start]
        if self.lex.target_markers.search(left):
            labels = period_labels(text[ctx.clause[0] : ctx.clause[1]])
            later = [p for _, _, p in labels if self.period is None or p != self.period]
            if later:
                return True, later[0]
            if self.period is not None and _YEAR_PLAN.search(left):
                # "vượt chỉ tiêu kế hoạch năm (95%)": the plan of the report's year
                return True, Period.of_year(self.period.year)
            return True, self.period.next() if self.period else None
        return False, None

    def clause_period(self, ctx: Context) -> Period | None:
        """ "Tháng 12/2023 tiếp nhận 31.200 hồ sơ" in a yearly report: the clause names its period."""
        if ctx.para.cells:
            return None
        m = _CLAUSE_PERIOD.match(self.text, ctx.clause[0], ctx.fig.start)
        half = None if m or self.period is None else _CLAUSE_HALF.match(self.text, ctx.clause[0], ctx.fig.start)
        if half is None and not m and self.period is not None:
            # "6 tháng cuối năm, …; đã giải quyết 471.908 hồ sơ": set off by a comma, for the sentence
            opening = _CLAUSE_HALF.match(self.text, ctx.sentence[0], ctx.fig.start)
            if opening is not None and self.text[opening.end() : opening.end() + 2].lstrip().startswith(","):
                half = opening
        if half is not None and self.period is not None:
            year = int(half.group("year") or self.period.year)
            return Period.of_half(year, 1 if half.group("half").lower() == "đầu" else 2)
        if not m and self.period is not None and self.period.type == PeriodType.YEAR:
            dates = _CLAUSE_DATES.match(self.text, ctx.sentence[0], ctx.fig.start)
            if dates is not None and (bounded := self._bounded_by(dates)) is not None:
                return bounded
            quarter = _YEARLESS_QUARTER.match(self.text, ctx.clause[0], ctx.fig.start) or _YEARLESS_QUARTER.match(
                self.text, ctx.sentence[0], ctx.fig.start
            )
            if quarter is not None:
                return parse_period(f"quý {quarter.group('q')}/{self.period.year}")
        if not m:
            same = _CLAUSE_SAME_PERIOD.match(self.text, ctx.clause[0], ctx.fig.start)
            if same is None or self.period is None:
                return None
            year = int(same.group("year")) if same.group("year") else self.period.year - 1
            if self.period.type.value == "year":
                return Period.of_year(year) if year != self.period.year else None
            return self._same_period_of(Period.of_year(year))
        labels = period_labels(m.group("label"))
        if len(labels) != 1 or labels[0][0] != 0:
            return None
        return labels[0][2]

    def _bounded_by(self, dates: re.Match[str]) -> Period | None:
        """The half or quarter of the report's year that ends on the last date (and, when
        written, starts on the first); None when the dates bound no such period."""
        assert self.period is not None
        try:
            end = datetime.date(int(dates["y2"]), int(dates["m2"]), int(dates["d2"]))
            start = datetime.date(int(dates["y1"]), int(dates["m1"]), int(dates["d1"])) if dates["y1"] else None
        except ValueError:
            return None
        year = self.period.year
        if end == self.period.end and (start is None or start == self.period.start):
            return None  # up to the report's own end: its own period
        # "đến ngày 30/6" alone: the half it closes before the quarter
        for part in (*(Period.of_half(year, h) for h in (1, 2)), *(Period.of_quarter(year, q) for q in range(1, 5))):
            if part.end == end and (start is None or part.start == start):
                return part
        return None

    def indicator_period(self, ctx: Context, indicator: Indicator) -> Period | None:
        """The period an indicator's own words give it: "kế hoạch vốn năm 2021 được giao 35,8 tỷ"."""
        if indicator.period_pattern is None:
            return None
        scope = ctx.sentence if indicator.period_scope == "sentence" else ctx.clause
        m = indicator.period_pattern.search(self.text, *scope)
        if not m:
            return None
        try:
            return parse_period(next(g for g in m.groups() if g))
        except PeriodError:
            return None

    def comparison(self, ctx: Context) -> Period | None:
        """The period of "tăng 2,17% so với năm 2021 (78,54%)"."""
        if not ctx.groups:
            return None
        g = ctx.groups[0]
        default_year = self.period.year if self.period else None
        opening = self.lex.comparison_group.match(self.text[g[0] : ctx.fig.start])
        before = self.text[max(ctx.sentence[0], g[0] - 80) : g[0]]
        m = opening or self.lex.comparison.search(before)
        if not m:
            # "tăng 12% so với cùng kỳ (16.737 hồ sơ)": the same period of the year before
            if self.period is not None and _BARE_SAME_PERIOD.search(before):
                return self.period.same_period_last_year()
            return None
        try:
            compared = parse_period(m.group("p"), default_year=default_year)
        except PeriodError:
            return None
        return self._same_period_of(compared) if re.search(r"cùng\s+kỳ", m.group(0), re.I) else compared

    def _same_period_of(self, compared: Period) -> Period:
        """ "cùng kỳ năm 2024" in a report of 6 tháng đầu năm 2025: the first half of 2024."""
        own = self.period
        if own is None or compared.type.value != "year" or own.type.value == "year":
            return compared
        shift = own.year - compared.year
        p = own
        for _ in range(max(shift, 0)):
            p = p.same_period_last_year()
        return p

    def column_period(self, ctx: Context) -> tuple[Period | None, bool]:
        """A table column headed "Năm 2021" or "Kế hoạch 2023" gives the figure its period."""
        para = ctx.para
        if not para.cells or para.table_header is None or ctx.fig.cell is None:
            return None, False
        if ctx.fig.cell >= len(para.table_header):
            return None, False
        head = para.table_header[ctx.fig.cell]
        if re.search(r"cùng\s+kỳ", head, re.IGNORECASE) and self.period is not None:
            return self.period.same_period_last_year(), False
        nine = NINE_MONTHS.search(head) if self.nine_months else None
        if nine is not None and nine.group("year"):
            return Period.of_quarter(int(nine.group("year")), 3), False  # "9 tháng 2022" beside "9 tháng 2023"
        labels = period_labels(head)
        # "Kế hoạch năm 2022", "KH 2024", "Chỉ tiêu 2023", "Mục tiêu"
        is_target = bool(
            self.lex.target_markers.search(head)
            or re.search(r"kế\s+hoạch|chỉ\s+tiêu|mục\s+tiêu|(?<!\w)KH(?!\w)", head, re.I)
        )
        if not labels:
            m = re.search(r"(?<!\d)(19|20)\d\d(?!\d)", head)
            if m:
                try:
                    return parse_period(m.group(0)), is_target
                except PeriodError:
                    pass
            return None, is_target
        return labels[0][2], is_target

    def evidence_span(self, ctx: Context) -> tuple[int, int]:
        fig = ctx.fig
        # a table cell's header words are context, not evidence: the evidence stays in its row
        row_start = ctx.para.span[0] if ctx.para.cells else 0
        left = min([a for a, _ in ctx.pre if a >= row_start] + [fig.start])
        left = max(left, fig.start - EVIDENCE_LEFT)
        right = min(max(ctx.post[1], fig.end), fig.end + EVIDENCE_RIGHT)
        if fig.ratio == "part":
            right = max(right, min(len(self.text), fig.end + 12))
        text = self.text
        # whole words only
        while left > 0 and left < fig.start and text[left - 1].isalnum() and text[left].isalnum():
            left += 1
        while right < len(text) and right > fig.end and text[right - 1].isalnum() and text[right].isalnum():
            right -= 1
        return left, right

    def raw_evidence(self, span: tuple[int, int], fig: Figure) -> str:
        a, b = span
        ra, rb = self.view.raw_span(a, b)
        na, nb = self.view.raw_span(fig.start, fig.end)
        while rb - ra > EVIDENCE_MAX:
            # trim the side farther from the number
            if na - ra > rb - nb:
                ra = self.view.raw.find(" ", ra + 1, na) + 1 or na
            else:
                cut = self.view.raw.rfind(" ", nb, rb - 1)
                rb = cut if cut > nb else nb
        raw = self.view.raw
        while ra < na and raw[ra] in " \t\n,;:.)":
            ra += 1
        while rb > nb and raw[rb - 1] in " \t\n,;:(":
            rb -= 1
        return raw[ra:rb]

    # -- the run --------------------------------------------------------------------------------

    def facts(self, unmatched: list[dict[str, Any]] | None) -> list[Fact]:
        out: list[Fact] = []
        keys: dict[tuple[str, str | None, bool], int] = {}
        seen_values: set[tuple[str, Decimal, bool]] = set()
        for fig in self.figures:
            ctx = self.matcher.context(fig)
            if self.skipped(ctx):
                continue
            period: Period | None = None
            is_target = False
            indicator = None
            compared = self.comparison(ctx)
            if compared is not None:
                prior = [
                    f
                    for f in out
                    if f.fig.para == fig.para and f.fig.kind == fig.kind and f.span[0] >= ctx.sentence[0]
                ]
                if prior:
                    indicator = self.lex.indicators[prior[-1].indicator]
                    period = compared
                elif (own := self.matcher.match(ctx)) is not None:
                    # "tăng 4,1% (năm 2019: 1.042.700 thuê bao)": the words in the parenthesis
                    # name the indicator, the opening names the period
                    indicator, period = own, compared
            if indicator is None:
                indicator = self.matcher.match(ctx)
                if indicator is None:
                    if unmatched is not None:
                        unmatched.append(
                            {
                                "value": _number(fig.value),
                                "evidence": self.raw_evidence(self.evidence_span(ctx), fig),
                            }
                        )
                    continue
                col_period, col_target = self.column_period(ctx)
                is_target, target_period = self.target(ctx)
                if col_target:
                    is_target = True
                elif col_period is not None:
                    # "Ước TH 2022" under "KẾ HOẠCH NĂM 2023": the column says it is a result
                    is_target = False
                own_period = self.indicator_period(ctx, indicator)
                stated = self.stated_period(ctx)
                if is_target and stated is None:
                    # "hoàn thành chỉ tiêu kế hoạch năm 2021 về tỷ lệ … đạt 30%"
                    stated = self.stated_period(ctx, _PLAN_PERIOD)
                if is_target:
                    # "phấn đấu giải ngân 100% kế hoạch vốn năm 2025" under "NHIỆM VỤ QUÝ IV/2025"
                    period = col_period or own_period or stated or target_period
                elif col_period is not None:
                    period = col_period
                elif (opening := self.clause_period(ctx)) is not None:
                    period = opening
                elif stated is not None and indicator.period_scope == "sentence":
                    # "… kế hoạch vốn năm 2022 …; lũy kế 6 tháng đầu năm ước giải ngân 12,3 tỷ đồng":
                    # the figure's own clause says its span, the sentence only the plan's year
                    period = stated
                else:
                    period = own_period or stated
            if period is not None and self.period is not None and period == self.period:
                period = None
            qualifier = fig.qualifier
            if qualifier == "exact" and self.approx(ctx):
                qualifier = "approx"
            fact = Fact(indicator.code, fig.value, qualifier, period, is_target, self.evidence_span(ctx), fig)
            key = (fact.indicator, period.code if period else None, is_target)
            if key in keys:
                old = out[keys[key]]
                if (old.zero and not fact.zero) or (
                    indicator.stock and self._states_level(fact) and not self._states_level(old)
                ):
                    out[keys[key]] = fact
                continue
            if period is None and (fact.indicator, fact.value, is_target) in seen_values:
                continue  # the same figure restated
            keys[key] = len(out)
            seen_values.add((fact.indicator, fact.value, is_target))
            out.append(fact)
            if fact.zero:
                for code in self._shared_zero(fact):
                    twin_key = (code, key[1], is_target)
                    if twin_key not in keys and code in self.lex.indicators:
                        keys[twin_key] = len(out)
                        out.append(Fact(code, fact.value, qualifier, period, is_target, fact.span, fig))
        self._flag(out)
        return out

    def _states_level(self, fact: Fact) -> bool:
        """ "nâng tổng số ... lên 47/62 hệ thống": the clause gives the level reached."""
        ctx = self.matcher.context(fact.fig)
        return bool(self.lex.stock_markers.search(self.text, ctx.clause[0], fact.fig.start))

    def _shared_zero(self, fact: Fact) -> list[str]:
        """ "không có đơn khiếu nại, tố cáo": the other kinds listed after the zero."""
        kinds = self.lex.shared_zero
        if not kinds:
            return []
        words = "|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True))
        listed = rf"(?:đơn(?:\s+thư)?\s+)?(?:{words})(?:\s*(?:,|và|hoặc)\s*(?:{words}))+(?!\w)"
        m = re.match(rf"\s*{listed}", self.text[fact.fig.end : fact.fig.end + 80], re.IGNORECASE)
        if not m:
            # "Tiếp nhận đơn khiếu nại, tố cáo: Không có"
            before = self.text[max(0, fact.fig.start - 80) : fact.fig.start]
            m = re.search(rf"{listed}\s*:\s*$", before, re.IGNORECASE)
        if not m:
            return []
        found = [kinds[w.lower()] for w in re.findall(words, m.group(0), re.IGNORECASE)]
        return [code for code in dict.fromkeys(found) if code != fact.indicator]

    def _flag(self, facts: list[Fact]) -> None:
        by_key = {(f.indicator, f.period, f.target): f for f in facts}
        for f in facts:
            if self.lex.indicators[f.indicator].value == "percent" and f.value > 100:
                f.flag = "implausible"
        for left, op, right in self.lex.checks:
            for f in facts:
                if f.indicator != left:
                    continue
                other = by_key.get((right, f.period, f.target))
                if other is None:
                    continue
                ok = {
                    "<=": f.value <= other.value,
                    "<": f.value < other.value,
                    ">=": f.value >= other.value,
                    ">": f.value > other.value,
                }[op]
                if not ok:
                    f.flag = "implausible"


# "Kế hoạch số 545/KH-" at a line's end and "UBND ngày …" on the next: a symbol the layout broke
_BROKEN_SYMBOL = re.compile(r"(?<=[-/])\n[ \t]*(?=[A-ZĐ0-9])")


def _documents(raw: str) -> list[dict[str, Any]]:
    joined, offsets = _join_broken_symbols(raw)
    docs = []
    seen: set[str] = set()
    for ref in find_references(joined):
        if ref.number in seen:
            continue
        seen.add(ref.number)
        docs.append(
            {
                "kind": ref.kind,
                "number": ref.number,
                "date": ref.date.isoformat() if ref.date else None,
                "evidence": raw[offsets[ref.start] : offsets[ref.end - 1] + 1],
            }
        )
    return docs


def _join_broken_symbols(raw: str) -> tuple[str, list[int]]:
    """The text with broken symbols joined, and the raw offset of each of its characters."""
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _BROKEN_SYMBOL.finditer(raw):
        pieces.append(raw[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(raw[pos:])
    offsets.extend(range(pos, len(raw)))
    return "".join(pieces), offsets


def extract_text(
    text: str,
    *,
    source: str = "",
    unit: str | None = None,
    period: str | None = None,
    lexicon: Lexicon | None = None,
    include_unmatched: bool = False,
) -> dict[str, Any]:
    """Extract the facts and document references of one report text.

    ``unit`` (province name) and ``period`` (a label such as "quý I/2020" or
    a code "2020Q1") override what the text says or fills in what it does
    not.  With ``include_unmatched`` the figures that fit no indicator are
    listed under "unmatched" for review.
    """
    if not isinstance(text, str):
        raise ExtractionError(f"{source or 'input'}: expected text, got {type(text).__name__}")
    run = _Run(text, lexicon or default_lexicon(), unit, period)
    unmatched: list[dict[str, Any]] | None = [] if include_unmatched else None
    facts = run.facts(unmatched)
    result: dict[str, Any] = {
        "source": source,
        "province": run.province,
        "period": run.period.to_dict() if run.period else None,
        "facts": [
            {
                "indicator": f.indicator,
                "value": _number(f.value),
                "qualifier": f.qualifier,
                "period": f.period.to_dict() if f.period else None,
                "target": f.target,
                "evidence": run.raw_evidence(f.span, f.fig),
                "flag": f.flag,
            }
            for f in facts
        ],
        "documents": _documents(text),
    }
    if unmatched is not None:
        result["unmatched"] = unmatched
    return result
