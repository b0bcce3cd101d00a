"""The productions the decision rules name in ``gives`` (see decisions.py).

A production turns a rule's match into a decision: a period, a target's
period, a skip's reason.  It holds no pattern of its own (patterns are in
rules/*.yaml, passed as the match or in ``args``) and returns NOTHING when
the match does not decide after all, so the next rule is tried.  The probe is
the engine's FigureProbe: the report's period (``report``), the text, the
figure's context (``ctx``) and a few helpers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from baocao.core.periods import Period, PeriodError, PeriodType, parse_period, quarter_number

from .decisions import NOTHING, Hit, arg_pattern, production
from .province import first_period, period_labels


def same_period_of(own: Period | None, compared: Period) -> Period:
    """ "cùng kỳ năm 2024" in a report of 6 tháng đầu năm 2025: the first half of 2024."""
    if own is None or compared.type.value != "year" or own.type.value == "year":
        return compared
    p = own
    for _ in range(max(own.year - compared.year, 0)):
        p = p.same_period_last_year()
    return p


def _group(hit: Hit, name: str) -> str | None:
    assert hit.m is not None
    return hit.m.groupdict().get(name)


# -- periods ---------------------------------------------------------------------------------------


@production("label")
def label(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The one period label the match's group "label" holds; None when it holds none or several."""
    labels = period_labels(_group(hit, "label") or "")
    if len(labels) != 1 or labels[0][0] != 0:
        return None
    return labels[0][2]


@production("later_year")
def later_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "Đến 2015 đạt 65,51 máy/100 dân" in a report of 2008: the bare year of the group "year", when
    it comes after the report's period (a figure of a year still to come can only be a goal);
    NOTHING for the report's year or an earlier one ("Đến 2019 đạt …" in 2019 states a result)."""
    year = int(_group(hit, "year") or 0)
    if probe.report is None or year <= probe.report.year:
        return NOTHING
    return Period.of_year(year)


@production("half")
def half(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "6 tháng cuối năm": that half of the group "year", else of the report's year."""
    year = int(_group(hit, "year") or probe.report.year)
    return Period.of_half(year, 1 if (_group(hit, "half") or "").lower() == "đầu" else 2)


@production("bounded_by_dates")
def bounded_by_dates(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The half or quarter of the report's year that ends on the date d2/m2/y2 (and, when
    written, starts on d1/m1/y1); NOTHING when the dates bound no such period."""
    g = hit.m.groupdict() if hit.m else {}
    own: Period = probe.report
    try:
        end = datetime.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        start = datetime.date(int(g["y1"]), int(g["m1"]), int(g["d1"])) if g.get("y1") else None
    except (ValueError, TypeError, KeyError):
        return NOTHING
    if end == own.end and (start is None or start == own.start):
        return NOTHING  # up to the report's own end: its own period
    year = own.year
    for part in (
        *(Period.of_half(year, h) for h in (1, 2)),
        *(Period.of_quarter(year, q) for q in range(1, 5)),
    ):
        if part.end == end and (start is None or part.start == start):
            return part
    return NOTHING


@production("in_report_year")
def in_report_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The period args.label names, its {fields} filled from the match's named groups and
    {year} from the report: "quý {q}/{year}" for "Riêng quý IV, …" in a yearly report."""
    assert hit.m is not None
    fields = {k: v for k, v in hit.m.groupdict().items() if v is not None}
    try:
        return parse_period(str(args["label"]).format(**fields, year=probe.report.year))
    except (PeriodError, KeyError):
        return NOTHING


@production("same_period")
def same_period(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "Cùng kỳ năm 2021, …": that year (the year before the report's when not written), as the
    report's span of it; in a yearly report the report's own year is no other period."""
    own: Period = probe.report
    written = _group(hit, "year")
    year = int(written) if written else own.year - 1
    if own.type.value == "year":
        return Period.of_year(year) if year != own.year else None
    return same_period_of(own, Period.of_year(year))


@production("stated")
def stated(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The period the group "label" or "subject" names; the group "half" is the report year's
    first half.  None when it names no period."""
    try:
        if _group(hit, "half"):
            return Period.of_half(probe.report.year, 1) if probe.report is not None else None
        return parse_period(_group(hit, "label") or _group(hit, "subject") or "")
    except PeriodError:
        return None


@production("earlier_label")
def earlier_label(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "năm 2006 toàn tỉnh chỉ có 86 trạm" in a text of 2016: the period the group "label" names
    when it ends before the report's starts; NOTHING for the report's own period or a later one."""
    try:
        named = parse_period(_group(hit, "label") or "")
    except PeriodError:
        return NOTHING
    if probe.report is None or named.end >= probe.report.start:
        return NOTHING
    return named


@production("through_quarter")
def through_quarter(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "tính đến hết quý II/2023": the year so far through the quarter "q" of the year "y" (the
    first quarter, the first half, the nine months read as the third quarter, the year)."""
    q, year = _group(hit, "q"), _group(hit, "y")
    if not q or not year:
        return NOTHING
    found = Period.of_first_months(int(year), 3 * quarter_number(q))
    # "Tính đến hết quý IV/2025, toàn tỉnh có 4.312 trạm BTS" in the report of that quarter: its own
    return NOTHING if probe.report is not None and found.end == probe.report.end else found


@production("year_so_far")
def year_so_far(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "Tính từ ngày 1.1.2019 đến 15.08.2019, …": the year of the group "y" counted so far; in a
    report whose own span starts on the year's first day (the first quarter, the first half, the
    year) the report's own span (NOTHING)."""
    year = _group(hit, "y")
    if not year:
        return NOTHING
    own: Period | None = probe.report
    if own is not None and own.year == int(year) and own.start == datetime.date(own.year, 1, 1):
        return NOTHING
    return Period.of_year(int(year))


@production("year_before")
def year_before(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "chỉ số DTI được công bố vào cuối tháng 5/2025": an evaluation published in the year of the
    group "y" scores the year before it."""
    year = _group(hit, "y")
    return Period.of_year(int(year) - 1) if year else NOTHING


@production("earlier_month")
def earlier_month(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "đến cuối tháng 12-2014" in a report of 2015: a stock counted on a date before the report's
    period is that month's (groups "m", "y"); NOTHING for a date inside or after the report's."""
    try:
        month = Period.of_month(int(_group(hit, "y") or ""), int(_group(hit, "m") or ""))
    except (ValueError, PeriodError):
        return NOTHING
    if probe.report is None or month.end >= probe.report.start:
        return NOTHING
    # "Tính đến ngày 25/7/2025, …" in a month's news of August: a recent day the month's text counts
    # up to, no figure of July (args.month_report_recent)
    if (
        args.get("month_report_recent")
        and probe.report.type == PeriodType.MONTH
        and month.next() == probe.report
    ):
        return NOTHING
    return month


@production("constant")
def constant(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """args.value (true when not given): the rule's match is the whole decision."""
    return args.get("value", True)


@production("compared")
def compared(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The period of "so với năm 2021" (group "p"); "cùng kỳ năm 2024" (args.same_period) is the
    report's span of that year."""
    assert hit.m is not None
    report: Period | None = probe.report
    try:
        period = parse_period(hit.m.group("p"), default_year=report.year if report else None)
    except PeriodError:
        return None
    if args.get("same_period") and arg_pattern(args["same_period"]).search(hit.m.group(0)):
        return same_period_of(report, period)
    return period


@production("own_period")
def own_period(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The report's own period (a figure restated after a comparison is no figure of the other)."""
    return None


@production("same_period_last_year")
def same_period_last_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    return probe.report.same_period_last_year()


@production("nine_months_of_year")
def nine_months_of_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "9 tháng 2022" beside "9 tháng 2023" in a nine-month report: that year's nine months."""
    year = _group(hit, "year")
    return Period.of_quarter(int(year), 3) if year else NOTHING


@production("first_label")
def first_label(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    labels = period_labels(hit.string)
    return labels[0][2] if labels else NOTHING


@production("matched_period")
def matched_period(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    assert hit.m is not None
    named = hit.m.groupdict().get("p")  # the period inside a longer label: "Sơ bộ - Prel. 2020"
    try:
        return parse_period(named or hit.m.group(0))
    except PeriodError:
        return NOTHING


# -- targets ---------------------------------------------------------------------------------------


@production("plan_heading")
def plan_heading(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "KẾ HOẠCH QUÝ I VÀ NĂM 2026" › "2. Năm 2026": the target's period is the nearest heading
    naming one, else the period after the report's; a heading naming the report's own period
    plans nothing beyond it (NOTHING: the next heading is looked at)."""
    text, heads = probe.text, probe.ctx.heads
    inner = (first_period(text[x:y]) for x, y in heads[: hit.index + 1])
    own = next((p for p in inner if p is not None), None)
    if own is not None and probe.report is not None and own == probe.report:
        return NOTHING
    return own or (probe.report.next() if probe.report else None)


@production("later_period_in_clause")
def later_period_in_clause(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "phấn đấu đến năm 2025 đạt 100%": the first period in the clause other than the report's."""
    ctx = probe.ctx
    a, b = ctx.clause
    fig_end = ctx.fig.end
    labels = [
        (a + i, p)
        for i, _, p in period_labels(probe.text[a:b])
        # "(… dự kiến triển khai năm 2026)": an aside about something else
        if not any(g[0] <= a + i < g[1] for g in ctx.excluded)
    ]
    # "… đề ra là 25% vào năm 2025": the year right after the figure is its own
    after = [
        p
        for i, p in labels
        if fig_end <= i <= fig_end + 24
        and re.match(r"[\s%]*(?:\w+\s+){0,3}?(?:vào|đến|trong)\s", probe.text[fig_end:i])
    ]
    if after:
        return after[0] if probe.report is None or after[0] != probe.report else NOTHING
    later = [p for _, p in labels if probe.report is None or p != probe.report]
    return later[0] if later else NOTHING


@production("report_year")
def report_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    return Period.of_year(probe.report.year)


@production("next_period")
def next_period(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    return probe.report.next() if probe.report else None


# -- skips -----------------------------------------------------------------------------------------


@production("other_period_word")
def other_period_word(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "trong tháng" before a figure of a quarterly report: a span the report does not name,
    unless the clause states its own period."""
    kind = period_word(probe, args)
    if not kind or kind == probe.report.type.value:
        return NOTHING
    if probe.decide("stated_period") is not None or probe.decide("clause_period") is not None:
        return NOTHING
    return args.get("value", True)


def period_word(probe: Any, args: Mapping[str, Any]) -> str | None:
    """The kind of the last period word (lexicon period_words) before the figure in its clause;
    inside "(kế hoạch năm 2024: 2.800 tỷ đồng)" the words before the parenthesis do not count."""
    ctx, text = probe.ctx, probe.text
    start = max([ctx.clause[0]] + [g[0] for g in ctx.groups[:1]])
    asides = probe.asides()  # "(dự kiến trong năm 2009, … ngầm hóa 63 km cáp)": another figure's words
    best: tuple[int, str] | None = None
    for kind, pattern in probe.lex.period_words.items():
        for m in pattern.finditer(text, start, ctx.fig.start):
            if any(o <= m.start() < c for o, c in asides):
                continue
            if kind == "other" and probe.nine_months and _own_nine_months(m.group(0), args):
                kind = PeriodType.QUARTER.value
            if best is None or m.start() > best[0]:
                best = (m.start(), kind)
    return best[1] if best else None


def _own_nine_months(words: str, args: Mapping[str, Any]) -> bool:
    """In a nine-month report "lũy kế 9 tháng" is the report's own span."""
    return bool(
        arg_pattern(args["nine_months"]).search(words) or arg_pattern(args["cumulative"]).fullmatch(words)
    )


@production("year_without_object")
def year_without_object(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "2023" read as a figure with no counted object after it is a year, not a count."""
    return NOTHING if probe.resolve("obj", ("post",)) else args.get("value", True)


@production("disjoint_periods")
def disjoint_periods(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "doanh thu năm 2008 và quý I/2009 khoảng 125 tỷ đồng": one figure for two periods neither of
    which holds the other (groups "a", "b") is their sum, no figure of one period; "quý III và 9
    tháng năm 2024" names a period and the span holding it, and NOTHING is decided."""
    year = probe.report.year if probe.report is not None else None
    try:
        first = parse_period(_group(hit, "a") or "", default_year=year)
        second = parse_period(_group(hit, "b") or "", default_year=year)
    except PeriodError:
        return NOTHING
    if first.contains(second) or second.contains(first):
        return NOTHING
    return args.get("value", True)


@production("span_from_earlier_year")
def span_from_earlier_year(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "Từ năm 2011 đến nay, … tổ chức 50 cuộc thanh tra": a sum over years before the report's,
    no figure of its period; NOTHING when the span starts in the report's own year."""
    year = _group(hit, "year")
    if probe.report is None or year is None or int(year) >= probe.report.year:
        return NOTHING
    return args.get("value", True)


def _year_to_date(report: Period | None) -> Period | None:
    """The span from the first of January to the end of the report's period, when the catalog
    has a period for it (a first quarter, a first half, a year); None for any other span."""
    if report is None:
        return None
    year = report.year
    for span in (Period.of_quarter(year, 1), Period.of_half(year, 1), Period.of_year(year)):
        if span.end == report.end:
            return span
    return None


@production("year_to_date")
def year_to_date(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """ "Lũy kế từ đầu năm đến nay, tiếp nhận 45.000 hồ sơ" in a report of the second quarter: the
    first half; NOTHING when that span is the report's own or has no period of the catalog."""
    span = _year_to_date(probe.report)
    if span is None or span == probe.report:
        return NOTHING
    return span


@production("year_to_date_unnamed")
def year_to_date_unnamed(hit: Hit, probe: Any, args: Mapping[str, Any]) -> Any:
    """The same words in a report of the third quarter or of a month other than March, June or
    December: nine months, five months … a span the catalog has no period for (args.value)."""
    if probe.report is None or probe.report.type.value == "year" or _year_to_date(probe.report) is not None:
        return NOTHING
    return args.get("value", True)
