"""Filling narrative placeholders with the unit's figures and register documents at render time.

Figures are resolved through the Aggregator, so rates are recomputed from their parts.  One
nuance: when the unit also reported the rate and the reported value agrees with the parts to
the precision it was written with (29,65% for 551/1.858 = 29,655…), the report prints the
reported value — the department's own rounding of the same figure.  When it disagrees
(100% against 31,858/30,5 tỷ = 104,45%), the computed value is printed and the validation
finding lists the difference for the department to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from baocao.catalog.models import Indicator, IndicatorKind
from baocao.core import narrative
from baocao.core.narrative import Citation, Figure, FigureOptions, Segment, Text
from baocao.core.periods import Period
from baocao.core.vnnum import format_number
from baocao.datavalues.aggregation import Aggregator, How
from baocao.orgunits.models import OrgUnit
from baocao.registers.models import Document

from .document import ERROR, MISSING, Issue, Paragraph, Run


@dataclass(frozen=True)
class Shown:
    value: Decimal
    qualifier: str


def shown_decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


@dataclass
class FigureSource:
    """The figures of one unit, as a report shows them, for any period (actual and planned)."""

    unit: OrgUnit
    actual: Aggregator = field(default_factory=Aggregator)
    planned: Aggregator = field(default_factory=lambda: Aggregator(is_target=True))

    def indicator(self, code: str) -> Indicator:
        return self.actual.indicator(code)

    def is_rate(self, code: str) -> bool:
        ind = self.indicator(code)
        return ind.kind == IndicatorKind.RATE or ind.unit == "%"

    def shown(self, code: str, period: Period, *, target: bool = False) -> Shown | None:
        agg = self.planned if target else self.actual
        resolved = agg.resolve(code, self.unit, period)
        if resolved.value is None:
            return None
        if resolved.how == How.COMPUTED:
            reported = agg.reported(code, self.unit, period)
            if reported is not None:
                tolerance = Decimal(1).scaleb(-shown_decimals(reported[0]))
                if abs(reported[0] - resolved.value) < tolerance:
                    return Shown(reported[0], reported[1])
        return Shown(resolved.value, resolved.qualifier)

    def problem(self, code: str, period: Period, *, target: bool = False) -> str | None:
        """Why the figure must not be written as it stands — what `baocao check` would flag on
        the written report: a rate whose parts disagree with the rate stated, or a percentage
        above the 100% its range allows. None when it can be written."""
        agg = self.planned if target else self.actual
        resolved = agg.resolve(code, self.unit, period)
        if resolved.value is None:
            return None
        ind = self.indicator(code)
        if resolved.how == How.COMPUTED:
            reported = agg.reported(code, self.unit, period)
            if reported is not None:
                tolerance = Decimal(1).scaleb(-shown_decimals(reported[0]))
                if abs(reported[0] - resolved.value) >= tolerance:
                    return (f"đơn vị ghi {format_number(reported[0], max_decimals=2)}{ind.unit}, tính từ thành phần "
                            f"là {format_number(resolved.value, max_decimals=2)}{ind.unit}")
        shown = self.shown(code, period, target=target)
        if ind.unit == "%" and shown is not None and shown.value > 100:
            return f"{format_number(shown.value, max_decimals=2)}% vượt 100%"
        return None


@dataclass(frozen=True)
class MissingFigure:
    code: str
    name: str
    period: Period
    plan: bool
    where: str


class Filler:
    """Turns parsed narrative into runs; remembers what was missing or wrong, and where."""

    def __init__(self, unit: OrgUnit, period: Period, figures: FigureSource | None = None) -> None:
        self.unit = unit
        self.period = period
        self.figures = figures or FigureSource(unit)
        self.missing: dict[tuple[str, str, bool], MissingFigure] = {}
        self.issues: list[Issue] = []
        self.cited: set[int] = set()
        self.wrong: set[tuple[str, str]] = set()
        # Indicators whose figure of the report's own period the text already shows: the
        # key-figures appendix lists the rest, so no stored figure is left out of the report.
        self.shown_codes: set[str] = set()
        self._documents: dict[str, list[Document]] = {}
        for doc in Document.objects.filter(unit=unit).select_related("field"):
            self._documents.setdefault(doc.number, []).append(doc)

    # -- documents ------------------------------------------------------------------------------
    def document(self, number: str, year: int | None = None) -> Document | None:
        """The registered document a citation means: of the year asked, else the latest issued
        before the period ends (the same number recurs every year)."""
        candidates = self._documents.get(number, [])
        if year is not None:
            candidates = [d for d in candidates if d.year == year]
        if not candidates:
            return None
        end = self.period.end
        before = [d for d in candidates if (d.issued_on or date(d.year or 1, 1, 1)) <= end]
        pool = before or candidates
        return max(pool, key=lambda d: (d.issued_on or date(d.year or 1, 1, 1), d.pk))

    def _citation(self, seg: Citation, where: str) -> list[Run]:
        doc = self.document(seg.number, seg.options.year)
        if doc is None:
            self.issues.append(
                Issue("content", f"Văn bản {seg.number} được trích dẫn nhưng chưa có trong sổ văn bản", where)
            )
            return [Run(narrative.missing_citation(seg.number), seg.bold, seg.italic, MISSING)]
        self.cited.add(doc.pk)
        head = narrative.format_citation(
            doc.kind or None, doc.number, doc.issued_on, options=replace(seg.options, with_summary=False)
        )
        text = narrative.format_citation(
            doc.kind or None, doc.number, doc.issued_on, doc.summary, seg.options
        )
        # Only the reference itself is kept on one line; the summary wraps like any text.
        return [Run(head, seg.bold, seg.italic, nobreak=True), Run(text[len(head) :], seg.bold, seg.italic)]

    # -- figures --------------------------------------------------------------------------------
    def mark_missing(self, code: str, period: Period, where: str, *, plan: bool = False) -> str:
        try:
            name = self.figures.indicator(code).name_vi
        except LookupError:
            name = code
        self.missing.setdefault((code, period.code, plan), MissingFigure(code, name, period, plan, where))
        label = period.label if plan or period != self.period else None
        return narrative.missing_figure(code, label, plan=plan)

    def mark_wrong(self, ind: Indicator, period: Period, problem: str, where: str) -> str:
        """A figure the report's own check would flag: not written; listed for the department."""
        key = (ind.code, period.code)
        if key not in self.wrong:
            self.wrong.add(key)
            self.issues.append(Issue(
                "validation", f"{ind.name_vi} {period.label}: {problem} — không ghi vào báo cáo, cần xem lại", where
            ))
        return f"[cần xem lại: {ind.name_vi}]"

    def figure_text(self, seg: Figure, where: str) -> tuple[str, str]:
        """The text of one placeholder and its flag ("" when filled)."""
        try:
            ind = self.figures.indicator(seg.code)
        except LookupError:
            self.issues.append(Issue("content", f"Mã chỉ tiêu '{seg.code}' không có trong danh mục", where))
            return f"[mã chỉ tiêu không có trong danh mục: {seg.code}]", ERROR
        opts = seg.options
        period = (
            narrative.resolve_period_ref(opts.period_ref, self.period) if opts.period_ref else self.period
        )
        current = self.figures.shown(seg.code, period, target=opts.target)
        if current is None:
            return self.mark_missing(seg.code, period, where, plan=opts.target), MISSING
        problem = self.figures.problem(seg.code, period, target=opts.target)
        if problem:
            return self.mark_wrong(ind, period, problem, where), ERROR
        if period == self.period and not opts.target:
            self.shown_codes.add(seg.code)
        if opts.compare_to:
            other = narrative.resolve_period_ref(opts.compare_to, self.period)
            if ind.begins_after(other):
                return f"({ind.break_note()})", ""
            earlier = self.figures.shown(seg.code, other)
            if earlier is None:
                return self.mark_missing(seg.code, other, where), MISSING
            label = narrative.comparison_label(other, self.period)
            text = narrative.format_change(
                current.value, earlier.value, ind.unit, is_rate=self.figures.is_rate(seg.code), label=label
            )
            return text, ""
        if opts.plan:
            target = self.figures.shown(seg.code, period, target=True)
            if target is None or target.value == 0:
                return self.mark_missing(seg.code, period, where, plan=True), MISSING
            return narrative.format_plan(current.value, target.value), ""
        return narrative.format_figure(current.value, ind.unit, current.qualifier, opts), ""

    # -- whole texts ----------------------------------------------------------------------------
    def runs(self, text: str, where: str) -> list[Run]:
        try:
            segments: list[Segment] = narrative.parse(text)
        except narrative.NarrativeError as exc:
            for problem in exc.problems:
                self.issues.append(Issue("content", str(problem), where))
            return [Run(text, flag=ERROR)]
        runs: list[Run] = []
        for seg in segments:
            if isinstance(seg, Text):
                runs.append(Run(seg.text, seg.bold, seg.italic))
            elif isinstance(seg, Citation):
                runs.extend(r for r in self._citation(seg, where) if r.text)
            else:
                value, flag = self.figure_text(seg, where)
                runs.append(Run(value, seg.bold, seg.italic, flag))
        return runs

    def paragraphs(self, text: str, where: str) -> list[Paragraph]:
        """One paragraph per line of the text (an entry may hold several)."""
        result: list[Paragraph] = []
        current: list[Run] = []
        for run in self.runs(text, where):
            pieces = run.text.split("\n")
            for i, piece in enumerate(pieces):
                if i:
                    result.append(Paragraph(current))
                    current = []
                if piece:
                    current.append(Run(piece, run.bold, run.italic, run.flag, run.nobreak))
        result.append(Paragraph(current))
        return [p for p in result if p.text.strip()]

    def missing_figures(self) -> list[MissingFigure]:
        return list(self.missing.values())


__all__ = ["FigureOptions", "FigureSource", "Filler", "MissingFigure", "Shown", "shown_decimals"]
