"""extract_text: one report text in, one gold-shaped JSON object out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from baocao.core.docrefs import DocRef, find_references, header_date, issue_day_before
from baocao.core.periods import Period, PeriodError, PeriodType, parse_period

from .decisions import Decision, Piece, RuleSet, default_rules
from .errors import ExtractionError
from .figures import Figure, find_figures
from .lexicon import Indicator, Lexicon, default_lexicon
from .matcher import Context, Matcher
from .overlays import has_overlays, overlay_path, province_lexicon, province_rules
from .province import (
    find_period,
    find_province,
    is_nine_month_report,
)
from .segment import Segmented, segment
from .textview import TextView, build_view

EVIDENCE_MAX = 160
EVIDENCE_LEFT = 90
EVIDENCE_RIGHT = 60


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
    # the lexicon entry and the rule ids that decided the fact (see decisions.py)
    why: dict[str, Any] | None = None

    @property
    def zero(self) -> bool:
        return self.fig.zero


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class _Run:
    """The state of one extraction."""

    def __init__(
        self, raw: str, lex: Lexicon, unit: str | None, period: str | None, rules: RuleSet | None = None
    ) -> None:
        self.lex = lex
        self.rules = rules or default_rules()
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
        self.province = unit or find_province(text, lex.provinces, self.period)
        # every fact read, before a restated one is dropped (see _Kept)
        self.read_facts: list[Fact] = []

    # -- per-figure decisions (rules/*.yaml) -----------------------------------------------------

    def probe(self, ctx: Context) -> FigureProbe:
        return FigureProbe(self, ctx)

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

    def column_reading(self, probe: FigureProbe) -> tuple[Decision | None, Decision | None]:
        """(period, target) decisions of the figure's table column: "Năm 2021", "Kế hoạch 2023";
        a column of the same period last year or of another nine months is a result whatever
        its words."""
        period = probe.decide("column_period")
        if period is not None and period.args.get("result"):
            return period, None
        return period, probe.decide("column_target")

    def period_and_target(
        self, probe: FigureProbe, indicator: Indicator
    ) -> tuple[Period | None, bool, list[str]]:
        """The figure's period and target flag, and the ids of the rules that decided them."""
        col_period, col_target = self.column_reading(probe)
        target = probe.decide("target")  # its value is the target's period
        is_target, target_rule = target is not None, target
        if col_target is not None:
            is_target, target_rule = True, col_target
        elif col_period is not None and col_period.value is not None:
            # "Ước TH 2022" under "KẾ HOẠCH NĂM 2023": the column says it is a result
            is_target = False
        own = self.indicator_period(probe.ctx, indicator)
        own_period = Decision(f"lexicon:{indicator.code}.period", own) if own is not None else None
        stated = probe.decide("stated_period")
        if is_target and (stated is None or stated.value is None):
            # "hoàn thành chỉ tiêu kế hoạch năm 2021 về tỷ lệ … đạt 30%"
            stated = probe.decide("plan_period")
        if is_target:
            # "phấn đấu giải ngân 100% kế hoạch vốn năm 2025" under "NHIỆM VỤ QUÝ IV/2025"
            order = [col_period, own_period, stated, target]
        elif col_period is not None and col_period.value is not None:
            order = [col_period]
        elif (row_period := probe.decide("row_period")) is not None:
            # a yearbook's table: the years go down its first column
            order = [row_period]
        else:
            # "… kế hoạch vốn năm 2022 …; lũy kế 6 tháng đầu năm ước giải ngân 12,3 tỷ đồng": the
            # figure's own clause says its span, the sentence only the plan's year
            order = [probe.decide("clause_period")]
            order += [stated] if indicator.period_scope == "sentence" else []
            order += [own_period, stated]
        chosen = next((d for d in order if d is not None and d.value is not None), None)
        rules = [d.rule for d in (chosen, target_rule if is_target else None) if d is not None]
        return (chosen.value if chosen else None), is_target, list(dict.fromkeys(rules))

    def qualifier(self, probe: FigureProbe) -> tuple[str, str | None]:
        fig = probe.ctx.fig
        if fig.qualifier != "exact":
            return fig.qualifier, None
        decided = probe.decide("qualifier")
        return (str(decided.value), decided.rule) if decided is not None else (fig.qualifier, None)

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

    def facts(
        self, unmatched: list[dict[str, Any]] | None, skipped: list[dict[str, Any]] | None = None
    ) -> list[Fact]:
        kept = _Kept(self)
        for fig in self.figures:
            fact = self.read(fig, kept.out, unmatched, skipped)
            if fact is not None:
                self.read_facts.append(fact)
                kept.add(fact)
        self._flag(kept.out)
        return kept.out

    def read(
        self,
        fig: Figure,
        out: list[Fact],
        unmatched: list[dict[str, Any]] | None,
        skipped: list[dict[str, Any]] | None = None,
    ) -> Fact | None:
        """The fact one figure states, or None (skipped, or no indicator fits)."""
        ctx = self.matcher.context(fig)
        probe = self.probe(ctx)
        skip = probe.decide("skip")
        if skip is not None:
            self._skipped(ctx, skip.rule, skipped)
            return None
        indicator, entry, period, is_target, rules = self._compared(probe, out)
        if indicator is None:
            # "đạt 96% (vượt mục tiêu … là 85%)": the goal the result passed is of the result's
            # indicator, whatever the words of the parenthesis would read as on their own
            indicator, entry, restated = self._restated_goal(probe)
            if indicator is None:
                indicator, entry = self.matcher.match_entry(ctx)
            if indicator is None:
                if unmatched is not None:
                    evidence = self.raw_evidence(self.evidence_span(ctx), fig)
                    unmatched.append({"value": _number(fig.value), "evidence": evidence})
                return None
            period, is_target, rules = self.period_and_target(probe, indicator)
            if restated is not None:
                is_target, rules = True, [restated, *rules]
        if indicator.flow and (skip := probe.decide("skip_flow")) is not None:
            # "Hiện tại … có 08 cơ sở in …, trong đó Sở đã cấp 05 giấy phép": no flow of the period
            self._skipped(ctx, skip.rule, skipped)
            return None
        if self._before_series(indicator, period):
            earlier = self.lex.indicators.get(indicator.before_series or "")
            if earlier is None or self._before_series(earlier, period):
                self._skipped(ctx, f"catalog:{indicator.code}.valid_from", skipped)
                return None
            indicator, entry = earlier, f"{entry} before_series"
        if period is not None and period == self.period:
            period = None
        qualifier, approx_rule = self.qualifier(probe)
        why = {"lexicon": entry, "rules": rules + ([approx_rule] if approx_rule else [])}
        return Fact(
            indicator.code, fig.value, qualifier, period, is_target, self.evidence_span(ctx), fig, why=why
        )

    def _before_series(self, indicator: Indicator, period: Period | None) -> bool:
        """The figure's year is before the catalog's series starts (a code of Nghị định 42/2022 in a
        2020 report). The old series running on past their end keep their codes: reports used the
        old words for a while, and the figure stays what the words say."""
        when = period or self.period
        return indicator.first_year is not None and when is not None and when.year < indicator.first_year

    def _skipped(self, ctx: Context, rule: str, skipped: list[dict[str, Any]] | None) -> None:
        """Note a figure left out, with the rule that left it out (the review page's list)."""
        if skipped is not None:
            evidence = self.raw_evidence(self.evidence_span(ctx), ctx.fig)
            skipped.append({"value": _number(ctx.fig.value), "evidence": evidence, "why": {"rules": [rule]}})

    def _compared(
        self, probe: FigureProbe, out: list[Fact]
    ) -> tuple[Indicator | None, str, Period | None, bool, list[str]]:
        """ "tăng 2,17% so với năm 2021 (78,54%)": the indicator of the figure just before in the
        sentence, for the period compared with; "tăng 4,1% (năm 2019: 1.042.700 thuê bao)": the
        words in the parenthesis name the indicator, the opening names the period."""
        compared = probe.decide("comparison_period")
        if compared is None or compared.value is None:
            return None, "", None, False, []
        ctx, fig = probe.ctx, probe.ctx.fig
        prior = [
            f
            for f in out
            if f.fig.para == fig.para and f.fig.kind == fig.kind and f.span[0] >= ctx.sentence[0]
        ]
        if prior:
            entry = str(prior[-1].why.get("lexicon", "")) if prior[-1].why else prior[-1].indicator
            return self.lex.indicators[prior[-1].indicator], entry, compared.value, False, [compared.rule]
        own, entry = self.matcher.match_entry(ctx)
        if own is None:
            return None, "", None, False, []
        return own, entry, compared.value, False, [compared.rule]

    def _restated_goal(self, probe: FigureProbe) -> tuple[Indicator | None, str, str | None]:
        """ "… đạt 71%, … và vượt mục tiêu tối thiểu 65%": a goal restated after the result that
        passed it is of the indicator of the sentence's last figure of its kind (rules/target.yaml),
        kept or not (a result restating one read before is still the one the goal follows)."""
        out = self.read_facts
        restated = probe.decide("restated_goal")
        if restated is None:
            return None, "", None
        ctx, fig = probe.ctx, probe.ctx.fig
        start = ctx.para.span[0] if restated.value == "paragraph" else ctx.sentence[0]
        prior = [
            f
            for f in out
            if f.fig.para == fig.para and f.fig.kind == fig.kind and f.span[0] >= start and not f.target
        ]
        if not prior:
            return None, "", None
        entry = str(prior[-1].why.get("lexicon", "")) if prior[-1].why else prior[-1].indicator
        return self.lex.indicators[prior[-1].indicator], entry, restated.rule

    def _goal_equalled(self, fact: Fact) -> Decision | None:
        """The goal a result is said to equal (rules/target.yaml goal_equalled), with its period."""
        if fact.target:
            return None
        return self.probe(self.matcher.context(fact.fig)).decide("goal_equalled")

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

    def _full_share_part(self, fact: Fact, out: list[Fact]) -> str | None:
        """ "tích hợp 100% dịch vụ công trực tuyến … (1.935 dịch vụ) trên Cổng DVC quốc gia": a count
        opening the parenthesis right after a 100% share restates the whole, which is all of the
        share's part too (lexicon ``full_share``: share code -> part code)."""
        fig, full = fact.fig, self.lex.full_share
        share = next(
            (
                f
                for f in reversed(out[-3:])
                if f.indicator in full and f.value == 100 and f.fig.end <= fig.start
            ),
            None,
        )
        # the share is the figure just before, in the same clause, and the count opens its parenthesis
        if share is None or fig.kind != "count" or re.search(r"\d", self.text[share.fig.end : fig.start]):
            return None
        ctx = self.matcher.context(fig)
        if not ctx.groups or not share.fig.end <= ctx.groups[0][0] or share.fig.start < ctx.clause[0]:
            return None
        return full[share.indicator]

    def _flag(self, facts: list[Fact]) -> None:
        by_key = {(f.indicator, f.period, f.target): f for f in facts}
        for f in facts:
            indicator = self.lex.indicators[f.indicator]
            if indicator.value == "percent" and f.value > 100:
                f.flag = "implausible"
            if indicator.percent_slip and f.fig.kind == "percent":
                f.flag = "implausible"  # "đạt 0,71%": the index's value with a stray % sign
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


def _rounds(rough: Fact, exact: Fact) -> bool:
    """Whether ``rough`` ("hơn 2,5 triệu") is a rounding of ``exact`` (2.584.060): a figure
    with a qualifier and at most three significant digits, within a tenth of the exact one; or a
    figure written with fewer decimals that the exact one rounds or cuts to (a headline's "43
    máy/100 dân" for the body's "43,3 máy/100 dân")."""
    if exact.qualifier != "exact" or not exact.value:
        return False
    if rough.qualifier == "exact":
        return _fewer_decimals(rough.value, exact.value)
    digits = len(rough.value.normalize().as_tuple().digits)
    if digits > 3 or len(exact.value.normalize().as_tuple().digits) <= digits:
        return False
    return abs(exact.value - rough.value) <= abs(exact.value) / 10


def _fewer_decimals(rough: Decimal, exact: Decimal) -> bool:
    """ "43" of 43,3 (or 43,6): ``rough`` has fewer decimal places than ``exact`` and is ``exact``
    rounded or cut to them."""
    places = max(0, -int(rough.as_tuple().exponent))
    if places >= max(0, -int(exact.as_tuple().exponent)):
        return False
    step = Decimal(1).scaleb(-places)
    return rough in (exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_DOWN))


class _Kept:
    """The facts kept so far: one per (indicator, period, target); a restated figure once."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.out: list[Fact] = []
        self.keys: dict[tuple[str, str | None, bool], int] = {}
        self.seen_values: set[tuple[str, Decimal, bool]] = set()

    def add(self, fact: Fact) -> None:
        key = (fact.indicator, fact.period.code if fact.period else None, fact.target)
        if key in self.keys:
            if self._replace(self.keys[key], fact):
                self._add_goal(fact)
            return
        if fact.period is None and (fact.indicator, fact.value, fact.target) in self.seen_values:
            return  # the same figure restated
        self.keys[key] = len(self.out)
        self.seen_values.add((fact.indicator, fact.value, fact.target))
        self.out.append(fact)
        if fact.zero:
            self._add_shared_zeros(fact, key[1])
        part = self.run._full_share_part(fact, self.out)
        if part is not None:
            self._add_twin(part, fact, key[1], "full_share")
        self._add_goal(fact)

    def _add_goal(self, fact: Fact) -> None:
        """ "đạt 43,3 máy/100 dân, bằng chỉ tiêu … cho cả năm 2007": the goal the result equals,
        the same figure as a target of its period (unless that target has a figure already)."""
        goal = self.run._goal_equalled(fact)
        if goal is None:
            return
        period = None if goal.value == self.run.period else goal.value
        key = (fact.indicator, period.code if period else None, True)
        if key in self.keys:
            return
        self.keys[key] = len(self.out)
        why = {"lexicon": str((fact.why or {}).get("lexicon", fact.indicator)), "rules": [goal.rule]}
        self.out.append(Fact(fact.indicator, fact.value, fact.qualifier, period, True, fact.span, fact.fig, why=why))

    def _replace(self, index: int, fact: Fact) -> bool:
        """A non-zero figure beats a zero; for a stock, a figure stating the level reached wins;
        the exact figure beats its rounding ("đạt hơn 2,5 triệu" in the lead, 2.584.060 below)."""
        old, run = self.out[index], self.run
        stock = run.lex.indicators[fact.indicator].stock
        if (
            (old.zero and not fact.zero)
            or (stock and run._states_level(fact) and not run._states_level(old))
            or _rounds(old, fact)
        ):
            self.out[index] = fact
            return True
        return False

    def _add_shared_zeros(self, fact: Fact, period_code: str | None) -> None:
        for code in self.run._shared_zero(fact):
            self._add_twin(code, fact, period_code, "shared_zero")

    def _add_twin(self, code: str, fact: Fact, period_code: str | None, entry: str) -> None:
        """The same figure stated for a second indicator, unless that one has a figure already."""
        twin_key = (code, period_code, fact.target)
        if twin_key not in self.keys and code in self.run.lex.indicators:
            self.keys[twin_key] = len(self.out)
            why = {"lexicon": entry, "rules": list((fact.why or {}).get("rules", []))}
            twin = Fact(
                code, fact.value, fact.qualifier, fact.period, fact.target, fact.span, fact.fig, why=why
            )
            self.out.append(twin)


class FigureProbe:
    """What the decision rules see of one figure (see decisions.py): the pieces of text each
    ``where`` names, the conditions of ``when``, the lexicon's patterns, and the decisions of
    other kinds a production may ask for (each taken once)."""

    def __init__(self, run: _Run, ctx: Context) -> None:
        self.run = run
        self.ctx = ctx
        self.text = run.text
        self.lex = run.lex
        self.report = run.period
        self.nine_months = run.nine_months
        self._decided: dict[str, Decision | None] = {}

    def decide(self, kind: str) -> Decision | None:
        if kind not in self._decided:
            self._decided[kind] = self.run.rules.decide(kind, self)
        return self._decided[kind]

    def resolve(self, slot: str, reach: tuple[str, ...]) -> bool:
        return bool(self.run.matcher.resolve(self.ctx, slot, reach)[0])

    def lexicon_pattern(self, name: str) -> re.Pattern[str]:
        if name.startswith("period_words."):
            return self.lex.period_words.get(name.split(".", 1)[1], _NEVER)
        pattern = getattr(self.lex, name, None)
        if not isinstance(pattern, re.Pattern):
            raise ExtractionError(f"rules: no lexicon pattern {name!r}")
        return pattern

    def holds(self, key: str, wanted: Any) -> bool:
        if key == "report":
            return self.report is not None and (wanted == "any" or self.report.type.value == wanted)
        ctx = self.ctx
        facts: dict[str, Callable[[], object]] = {
            "table": lambda: bool(ctx.para.cells),
            "zero": lambda: ctx.fig.zero,
            "figure": lambda: ctx.fig.kind,
            "breakdown": lambda: any(self.text[g[0]] != "(" for g in ctx.groups),
            "nine_months": lambda: self.nine_months,
            "yearlike": lambda: ctx.fig.yearlike,
            # "0,6512": a value between 0 and 1, as an index's
            "fraction": lambda: ctx.fig.kind == "count" and 0 < ctx.fig.value < 1,
        }
        actual = facts[key]()
        return bool(actual == wanted)

    def spans(self, where: str) -> list[Piece]:
        return _SPANS[where](self)

    def _text_piece(self, a: int, b: int) -> Piece:
        """A piece as a string of its own: ^, $ and look-behinds see only it."""
        s = self.text[a:b]
        return (s, 0, len(s))

    def _column_text(self) -> list[Piece]:
        para, cell = self.ctx.para, self.ctx.fig.cell
        header = para.table_header
        if not para.cells or header is None or cell is None or cell >= len(header):
            return []
        return [(header[cell], 0, len(header[cell]))]

    def _row_text(self) -> list[Piece]:
        """The first cell of the figure's table row, when the figure stands in another."""
        para, cell = self.ctx.para, self.ctx.fig.cell
        if len(para.cells) < 2 or not cell:
            return []
        return [self._text_piece(*para.cells[0])]

    def asides(self) -> list[tuple[int, int]]:
        """The parentheses opened and closed in the figure's clause before it that hold a figure of
        their own (each as [open, close + 1))."""
        ctx = self.ctx
        a, b = ctx.clause[0], ctx.fig.start
        return [(o, c + 1) for o, c in ctx.excluded if a <= o < c < b and self.run.matcher._has_figure(o, c)]

    def _clause_left(self, own_string: bool) -> list[Piece]:
        """The clause up to the figure. An aside before it that holds a figure of its own ("hơn
        6.000 km cáp quang (dự kiến trong năm 2009, … sẽ ngầm hóa 63 km cáp), … và 782 trạm") speaks
        of that figure: its words are blanked, so its period or its goal is not this figure's."""
        a, b = self.ctx.clause[0], self.ctx.fig.start
        asides = self.asides()
        if not asides:
            return [self._text_piece(a, b)] if own_string else [(self.text, a, b)]
        chars = list(self.text[a:b])
        for o, c in asides:
            chars[o - a : c - a] = " " * (c - o)
        s = "".join(chars)
        return [(s, 0, len(s))]

    def _recent_start(self, back: int = 2) -> int:
        """Where the paragraphs just before the figure's (up to ``back``, under the same headings) start."""
        paragraphs = self.run.seg.paragraphs
        index = self.ctx.fig.para
        heads = [h.span for h in paragraphs[index].headings]
        first = index
        while first > 0 and index - first < back and [h.span for h in paragraphs[first - 1].headings] == heads:
            first -= 1
        return paragraphs[first].span[0]

    def _group(self, left: bool) -> list[Piece]:
        if not self.ctx.groups:
            return []
        g0 = self.ctx.groups[0][0]
        if left:
            return [self._text_piece(g0, self.ctx.fig.start)]
        return [self._text_piece(max(self.ctx.sentence[0], g0 - 80), g0)]


_NEVER = re.compile(r"(?!x)x")


def _after(n: int) -> Callable[[FigureProbe], list[Piece]]:
    return lambda p: [(p.text, p.ctx.fig.end, min(len(p.text), p.ctx.fig.end + n))]


# the pieces of text a rule's `where` names (documented in rules/period.yaml)
_SPANS: dict[str, Callable[[FigureProbe], list[Piece]]] = {
    "clause_left": lambda p: p._clause_left(False),
    "clause_left_text": lambda p: p._clause_left(True),
    "sentence_left": lambda p: [(p.text, p.ctx.sentence[0], p.ctx.fig.start)],
    "paragraph_left": lambda p: [(p.text, p.ctx.para.span[0], p.ctx.fig.start)],
    "recent_left": lambda p: [(p.text, p._recent_start(), p.ctx.fig.start)],
    "group_left_text": lambda p: p._group(True),
    "before_group_text": lambda p: p._group(False),
    "before40_text": lambda p: [p._text_piece(max(p.ctx.clause[0], p.ctx.fig.start - 40), p.ctx.fig.start)],
    "after40": _after(40),
    "after60": _after(60),
    "after120": _after(120),
    "sentence_right": lambda p: [(p.text, p.ctx.fig.end, max(p.ctx.fig.end, p.ctx.sentence[1]))],
    "heading": lambda p: [(p.text, a, b) for a, b in p.ctx.heads],
    "heading_from": lambda p: [(p.text, a, len(p.text)) for a, _ in p.ctx.heads],
    "column_text": lambda p: p._column_text(),
    "row_text": lambda p: p._row_text(),
    "pre_text": lambda p: [p._text_piece(a, b) for a, b in p.ctx.pre],
    "context_spans": lambda p: [
        (p.text, a, b) for a, b in [s for s in (p.ctx.label, p.ctx.lead) if s] + p.ctx.heads
    ],
}
SPAN_NAMES = frozenset(_SPANS)


# "Kế hoạch số 545/KH-" at a line's end and "UBND ngày …" on the next: a symbol the layout broke
_BROKEN_SYMBOL = re.compile(r"(?<=[-/])\n[ \t]*(?=[A-ZĐ0-9])")


def _documents(raw: str) -> list[dict[str, Any]]:
    joined, offsets = _join_broken_symbols(raw)
    refs = find_references(joined)
    # a reference without its date ("Kế hoạch 15/KH-UBND" in a title, the header's own "Số:
    # 15/KH-UBND") is dated where the text dates the number: its own header ("Số: 15/KH-UBND" …
    # "Phú Yên, ngày 3 tháng 5 năm 2024"), a sentence opening with the day of issue ("Ngày 20
    # tháng 6 năm 2025, UBND tỉnh … có báo cáo số 198/BC-UBND") or a later citation
    own = {ref.start: _own_date(joined, ref) for ref in refs}
    dated: dict[str, date] = {}
    for ref in refs:
        when = ref.date or own[ref.start][1]
        if when is not None:
            dated.setdefault(ref.number, when)
    docs = []
    seen: set[str] = set()
    for ref in refs:
        if ref.number in seen:
            continue
        seen.add(ref.number)
        evidence = raw[offsets[ref.start] : offsets[ref.end - 1] + 1]
        when = ref.date or dated.get(ref.number)
        rules = _document_trace(ref, evidence)
        if ref.date is None and when is not None:
            rules.append(own[ref.start][0] or "docref.date.later_occurrence")
        docs.append(
            {
                "kind": ref.kind,
                "number": ref.number,
                "date": when.isoformat() if when else None,
                "evidence": evidence,
                "why": {"rules": rules},
            }
        )
    return docs


def _own_date(text: str, ref: DocRef) -> tuple[str | None, date | None]:
    """The date ``text`` gives a reference written without one, and the rule that found it."""
    if (when := header_date(text, ref)) is not None:
        return "docref.date.header", when
    if (when := issue_day_before(text, ref)) is not None:
        return "docref.date.issue_day_before", when
    return None, None


def _document_trace(ref: DocRef, evidence: str) -> list[str]:
    """How a reference was read (baocao.core.docrefs): its kind from a word written before the
    number or from the symbol's type ("/KH-UBND"), its date when one is written, and whether a
    line break inside the symbol was joined."""
    rules = ["docref.reference"]
    if ref.kind and ref.kind.casefold() in ref.text.casefold():
        rules.append("docref.kind.word")
    elif ref.kind:
        rules.append("docref.kind.symbol_type")
    if ref.date is not None:
        rules.append("docref.date.written")
    if "\n" in evidence:
        rules.append("docref.symbol.line_break_joined")
    return rules


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
    listed under "unmatched" for review, and the figures a skip rule left out
    under "skipped" with the rule's id.
    """
    if not isinstance(text, str):
        raise ExtractionError(f"{source or 'input'}: expected text, got {type(text).__name__}")
    rules = None
    if lexicon is None and has_overlays():
        # a province's own phrasings and rules (rules/provinces/<province>.yaml)
        default = default_lexicon()
        overlay = overlay_path(
            unit or find_province(build_view(text, default.spelling).text, default.provinces)
        )
        if overlay is not None:
            lexicon, rules = province_lexicon(overlay), province_rules(overlay)
    run = _Run(text, lexicon or default_lexicon(), unit, period, rules)
    unmatched: list[dict[str, Any]] | None = [] if include_unmatched else None
    skipped: list[dict[str, Any]] | None = [] if include_unmatched else None
    facts = run.facts(unmatched, skipped)
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
                "why": f.why,
            }
            for f in facts
        ],
        "documents": _documents(text),
    }
    if unmatched is not None:
        result["unmatched"] = unmatched
        result["skipped"] = skipped
    return result
