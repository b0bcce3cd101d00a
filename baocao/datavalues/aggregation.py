"""Resolving the value of an indicator for any unit and period.

How a value is obtained depends on the indicator's kind:
* flow  (văn bản đi): sums over sub-periods and over child units;
* stock (chứng thư số đang hoạt động): the last sub-period's value, summed over child units;
* rate  (tỷ lệ ký số): always recomputed from its formula's parts at the level asked for,
  never summed or averaged; a reported rate is used only when the parts are missing.
A unit that did not exist yet in the period asked (the new Vĩnh Long in 2020) is rolled up
from the units it succeeded, and the result says so.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from baocao.catalog.models import Indicator, IndicatorKind
from baocao.core.formulas import Formula, parse_formula
from baocao.core.periods import Period, PeriodType
from baocao.core.vnnum import format_number
from baocao.orgunits.models import OrgUnit, UnitSuccession

from .models import DataValue

DEFAULT_REGIME = "hanh_chinh"


class How:
    REPORTED = "reported"
    COMPUTED = "computed"
    CHILDREN = "children"
    SUBPERIODS = "subperiods"
    LAST_SUBPERIOD = "last_subperiod"
    PREDECESSORS = "predecessors"
    YEAR_VALUE = "year_value"
    MISSING = "missing"


@dataclass(frozen=True)
class Resolved:
    indicator: str
    unit: OrgUnit
    period: Period
    value: Decimal | None
    qualifier: str = "exact"
    how: str = How.MISSING
    note: str = ""
    parts: dict[str, Decimal | None] = field(default_factory=dict)
    incomplete: bool = False
    via_predecessors: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.value is not None


def combine_qualifiers(qualifiers: list[str]) -> str:
    kinds = set(qualifiers) - {"exact"}
    if not kinds:
        return "exact"
    if len(kinds) == 1:
        return kinds.pop()
    return "approx"


_SUBPERIOD_TYPES = {
    PeriodType.YEAR: (PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.HALF: (PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.QUARTER: (PeriodType.MONTH,),
    PeriodType.MONTH: (),
}


@functools.lru_cache(maxsize=4096)
def _subperiods(period: Period, kind: PeriodType) -> list[Period]:
    """A period's sub-periods, made once: a roll-up over a province's units asks for the same
    quarters and months of the same period for each of its thousands of units."""
    return period.subperiods(kind)


@functools.lru_cache(maxsize=4096)
def _span_codes(period: Period) -> frozenset[str]:
    """The period's code and those of every period within it (halves, quarters, months)."""
    codes = {period.code}
    for kind in _ALL_FINER[period.type]:
        codes.update(p.code for p in _subperiods(period, kind))
    return frozenset(codes)


_ALL_FINER = {
    PeriodType.YEAR: (PeriodType.HALF, PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.HALF: (PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.QUARTER: (PeriodType.MONTH,),
    PeriodType.MONTH: (),
}


class Aggregator:
    """Resolves values with one query per unit subtree; reuse it for a whole report or series."""

    def __init__(self, *, regime: str = DEFAULT_REGIME, is_target: bool = False, codes: Iterable[str] | None = None) -> None:
        """`codes`: the indicators a page shows; only their values (and their formulas' parts')
        are read — a dashboard of one indicator read a province's every figure of every year."""
        self.regime = regime
        self.is_target = is_target
        self._indicators = {i.code: i for i in Indicator.objects.all()}
        self._formulas: dict[str, Formula] = {
            code: parse_formula(i.formula) for code, i in self._indicators.items() if i.formula
        }
        self._only: frozenset[str] | None = None if codes is None else self._with_parts(codes)
        self._values: dict[tuple[str, int, str], tuple[Decimal, str]] = {}
        # (code, unit id) for every unit whose subtree holds some value of the code: lets a
        # resolution skip the thousands of communes that never report a department figure.
        self._has_data: set[tuple[str, int]] = set()
        # (code, unit id) -> the period codes with some value of the code in the unit's subtree:
        # lets an indicator that nobody reported in the period stop at once (see _nothing_to_read).
        self._data_periods: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Unit id -> the latest start of a unit with predecessors in its subtree (None: none), and
        # per code whether the short cut may be taken at all; both made once.
        self._latest_succession: dict[int, date | None] = {}
        self._closures: dict[str, frozenset[str] | None] = {}
        self.shortcut = True  # False: every resolution in full (to compare the answers)
        # Subtrees loaded, each with the years loaded (None: every year). Values are loaded a year
        # at a time: a province with a million historical values reads one year's, not all.
        self._loaded: dict[str, set[int] | None] = {}
        self._subtrees: set[str] = set()
        self._ready: set[tuple[int, int]] = set()  # (unit id, year) found loaded
        self._paths: dict[int, str] = {}
        self._loaded_codes: set[tuple[str, int, str]] = set()
        self._children: dict[int, list[OrgUnit]] = defaultdict(list)
        self._predecessors: dict[int, list[OrgUnit]] = {}
        self._memo: dict[tuple[str, int, str], Resolved] = {}
        self._in_progress: set[tuple[str, int, str]] = set()

    def _with_parts(self, codes: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        todo = [self.indicator(c).code for c in codes]
        while todo:
            code = todo.pop()
            if code not in found:
                found.add(code)
                todo.extend(self.formula_codes(code))
        return frozenset(found)

    @classmethod
    def over_values(cls, unit: OrgUnit, values: list[tuple[str, str, Decimal, str]]) -> Aggregator:
        """An aggregator over given (code, period code, value, qualifier) rows of one unit that is
        not stored — the figures of a report being checked — instead of the database."""
        agg = cls()
        agg._loaded[unit.path] = None
        agg._subtrees.add(unit.path)
        for code, period, value, qualifier in values:
            agg._values[(code, unit.pk, period)] = (value, qualifier)
            agg._has_data.add((code, unit.pk))
            agg._data_periods[(code, unit.pk)].add(period)
        agg._predecessors[unit.pk] = []
        return agg

    # -- loading -------------------------------------------------------------------------------
    def _ensure_loaded(self, unit: OrgUnit, period: Period, code: str | None = None) -> None:
        """The values of `period`'s year under `unit` (only `code`'s when given: a look-back over
        earlier years needs one indicator, not a province's every figure of ten years)."""
        year = period.year  # a period lies within its calendar year
        if self._year_loaded(unit, year, code):
            return
        self._load_tree(unit)
        # Load for the widest subtree already known, so that the children a roll-up resolves
        # next find their year loaded (one query per year, not one per commune).
        root = min((p for p in self._subtrees if unit.path.startswith(p)), key=len)
        rows = DataValue.objects.filter(
            unit__path__startswith=root, regime=self.regime, is_target=self.is_target,
            period__gte=str(year), period__lt=str(year + 1),
        )  # fmt: skip
        if code is None and self._only is not None:
            rows = rows.filter(indicator__code__in=sorted(self._only))
        if code is None:
            self._loaded.setdefault(root, set())
            years = self._loaded[root]
            assert years is not None
            years.add(year)
            self._ready.add((unit.pk, year))
        else:
            rows = rows.filter(indicator__code=code)
            self._loaded_codes.add((root, year, code))
        self._take(rows)

    def _year_loaded(self, unit: OrgUnit, year: int, code: str | None) -> bool:
        """Whether the year's values under `unit` are loaded (`code`'s at least, when given)."""
        if (unit.id, year) in self._ready:  # asked thousands of times per page: no scan of the loaded list
            return True
        for path, years in self._loaded.items():
            if unit.path.startswith(path) and (years is None or year in years):
                self._ready.add((unit.pk, year))
                return True
        return code is not None and any(
            unit.path.startswith(p) and (y, c) == (year, code) for p, y, c in self._loaded_codes
        )

    def _ensure_code_years(self, unit: OrgUnit, code: str, years: range) -> None:
        """`code`'s values under `unit` for every year of `years` not loaded yet, in one query:
        a yearly attribute's look-back (population, up to ten earlier years) read them one
        query per year, on every page showing a unit without this year's figure."""
        missing = [y for y in years if not self._year_loaded(unit, y, code)]
        if not missing:
            return
        self._load_tree(unit)
        root = min((p for p in self._subtrees if unit.path.startswith(p)), key=len)
        rows = DataValue.objects.filter(
            unit__path__startswith=root, regime=self.regime, is_target=self.is_target, indicator__code=code,
            period__gte=str(min(missing)), period__lt=str(max(missing) + 1),
        )  # fmt: skip
        self._take(rows, {str(y) for y in missing})
        self._loaded_codes.update((root, y, code) for y in missing)

    def _take(self, rows: QuerySet[DataValue], years: set[str] | None = None) -> None:
        """Keep the values read (only those of `years`, "2021", when given: a year between them
        may have been loaded before) and note where each code has data."""
        # Period codes start with their year ("2022", "2022Q1", "2022S1", "202203"): one range of
        # the (unit, period) index per unit.
        paths = self._paths
        data_periods = self._data_periods
        for found_code, unit_id, period_code, value, qualifier in rows.values_list(
            "indicator__code", "unit_id", "period", "value", "qualifier"
        ):
            if years is not None and period_code[:4] not in years:
                continue
            self._values[(found_code, unit_id, period_code)] = (value, qualifier)
            for ancestor in paths[unit_id].strip("/").split("/"):
                self._has_data.add((found_code, int(ancestor)))
                data_periods[(found_code, int(ancestor))].add(period_code)

    def _load_tree(self, unit: OrgUnit) -> None:
        """The subtree's units once (children lists, paths), whatever years are loaded."""
        if any(unit.path.startswith(p) for p in self._subtrees):
            return
        self._subtrees.add(unit.path)
        members = []
        starts: dict[int, date | None] = {}
        for child in OrgUnit.objects.filter(path__startswith=unit.path).order_by("path"):
            self._paths[child.pk] = child.path
            members.append(child.pk)
            starts[child.pk] = child.valid_from
            if child.parent_id is not None and child.pk != unit.pk:
                self._children[child.parent_id].append(child)
        # The subtree's predecessors in the same go: one query, not one per unit resolved (a
        # province's report asked for them unit by unit, two hundred queries).
        preds: dict[int, list[OrgUnit]] = {pk: [] for pk in members}
        successions = (
            UnitSuccession.objects.filter(successor__path__startswith=unit.path, predecessor__valid_to__isnull=False)
            .select_related("predecessor").order_by("id")
        )
        for s in successions:
            preds[s.successor_id].append(s.predecessor)
        for pk, found in preds.items():
            self._predecessors.setdefault(pk, found)
        self._note_successions(members, starts)

    def _note_successions(self, members: list[int], starts: dict[int, date | None]) -> None:
        """For each unit of a subtree, the latest start of a unit under it (itself included)
        with a predecessor outside it: for a period beginning before that date a roll-up under
        the unit reads figures of units outside it. (A predecessor inside it — the department
        that Sở KH&CN succeeded in 3/2025 — is read from within.)"""
        latest: dict[int, date | None] = dict.fromkeys(members)
        for pk in members:
            start = starts[pk]
            preds = self._predecessors.get(pk)
            if start is None or not preds:
                continue
            for ancestor in self._paths[pk].strip("/").split("/"):
                if int(ancestor) not in latest:
                    continue
                inside = self._paths[int(ancestor)]
                if all(p.path.startswith(inside) for p in preds):
                    continue
                known = latest.get(int(ancestor))
                if known is None or start > known:
                    latest[int(ancestor)] = start
        for pk, found in latest.items():
            self._latest_succession.setdefault(pk, found)

    def _preds(self, unit: OrgUnit) -> list[OrgUnit]:
        if unit.pk not in self._predecessors:
            self._predecessors[unit.pk] = [
                s.predecessor
                for s in UnitSuccession.objects.filter(successor=unit).select_related("predecessor").order_by("id")
                if s.predecessor.valid_to is not None
            ]
        return self._predecessors[unit.pk]

    def indicator(self, code: str) -> Indicator:
        try:
            return self._indicators[code]
        except KeyError:
            raise LookupError(f"Mã chỉ tiêu '{code}' không có trong danh mục") from None

    def formula_codes(self, code: str) -> set[str]:
        formula = self._formulas.get(code)
        return set(formula.codes) if formula is not None else set()

    def codes_with_kind(self, *kinds: str) -> list[str]:
        return [code for code, ind in self._indicators.items() if ind.kind in kinds]

    def _check_read(self, code: str) -> None:
        if self._only is not None and code not in self._only:
            raise LookupError(f"'{code}' is not among the indicators this aggregator reads: {sorted(self._only)}")

    def reported(self, code: str, unit: OrgUnit, period: Period) -> tuple[Decimal, str] | None:
        self._check_read(code)
        self._ensure_loaded(unit, period)
        return self._values.get((code, unit.pk, period.code))

    # -- resolving ------------------------------------------------------------------------------
    def resolve(self, code: str, unit: OrgUnit, period: Period) -> Resolved:
        key = (code, unit.id, period.code)  # .id: .pk goes through a method, thousands of times
        if key not in self._memo:
            self._check_read(code)
            if key in self._in_progress:
                # A formula or roll-up that leads back to itself yields nothing, not a loop.
                return Resolved(code, unit, period, None, note="phụ thuộc vòng")
            self._in_progress.add(key)
            try:
                self._ensure_loaded(unit, period)
                self._memo[key] = self._resolve(self.indicator(code), unit, period)
            finally:
                self._in_progress.discard(key)
        return self._memo[key]

    def series(self, code: str, unit: OrgUnit, periods: list[Period]) -> list[Resolved]:
        return [self.resolve(code, unit, p) for p in periods]

    def _resolve(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved:
        if self.shortcut and self._nothing_to_read(ind.code, unit, period):
            note = "thiếu thành phần để tính" if ind.kind == IndicatorKind.RATE else "chưa có số liệu"
            return Resolved(ind.code, unit, period, None, note=note)
        reported = self._values.get((ind.code, unit.id, period.code))
        if ind.kind == IndicatorKind.RATE:
            computed = self._from_formula(ind, unit, period)
            if computed is not None:
                return computed
            if reported is not None:
                return Resolved(
                    ind.code, unit, period, reported[0], reported[1], How.REPORTED, "số liệu báo cáo"
                )
            return Resolved(ind.code, unit, period, None, note="thiếu thành phần để tính")
        if reported is not None:
            return Resolved(ind.code, unit, period, reported[0], reported[1], How.REPORTED, "số liệu báo cáo")
        before_unit = unit.valid_from is not None and unit.valid_from > period.start
        skip = ind.code in self._formulas or before_unit or ind.yearly_attribute
        if not skip and (ind.code, unit.id) not in self._has_data:
            return Resolved(ind.code, unit, period, None, note="chưa có số liệu")
        if ind.code in self._formulas:
            computed = self._from_formula(ind, unit, period)
            if computed is not None:
                return computed
        attempts = (
            (self._from_predecessors, self._from_children, self._from_year)
            if ind.yearly_attribute
            else (self._from_predecessors, self._from_children, self._from_subperiods)
        )
        for attempt in attempts:
            found = attempt(ind, unit, period)
            if found is not None:
                return found
        return Resolved(ind.code, unit, period, None, note="chưa có số liệu")

    def _nothing_to_read(self, code: str, unit: OrgUnit, period: Period) -> bool:
        """True when resolving `code` could read no figure at all: neither it nor any indicator
        its formula uses (transitively) has a value under `unit` within `period`, and the
        resolution cannot leave the unit's subtree or the period — so it would answer "no
        figure" after trying every child unit and sub-period (a province's form tried ~35 000 of
        them for last year's rates nobody reported, and ~150 000 for last year's counts when the
        province had figures in other years only: `_has_data` knows a code's units, not its
        periods)."""
        closure = self._shortcut_closure(code)
        if closure is None:
            return False
        if unit.id not in self._latest_succession:  # a unit not loaded as part of a subtree
            return False
        latest = self._latest_succession[unit.id]
        if latest is not None and latest > period.start:
            # Some unit under it (or itself) began after the period did: its part of the
            # period is its predecessors', which may lie elsewhere.
            return False
        span = _span_codes(period)
        data = self._data_periods
        return all(span.isdisjoint(data.get((c, unit.id), ())) for c in closure)

    def _shortcut_closure(self, code: str) -> frozenset[str] | None:
        """The codes an indicator's resolution reads (itself and its formula's parts,
        transitively), or None when the short cut must not
        be taken: a yearly attribute among them (population is carried over from the year and
        from earlier years), or a formula that gives a figure without any part (a constant)."""
        if code not in self._closures:
            closure = self._with_parts([code])
            safe = all(not self._indicators[c].yearly_attribute for c in closure) and all(
                self._formulas[c].evaluate({}) is None for c in closure if c in self._formulas
            )
            self._closures[code] = closure if safe else None
        return self._closures[code]

    def _from_formula(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved | None:
        formula = self._formulas.get(ind.code)
        if formula is None:
            return None
        parts = {c: self.resolve(c, unit, period) for c in sorted(formula.codes)}
        values = {c: r.value for c, r in parts.items() if r.value is not None}
        value = formula.evaluate(values)
        if value is None:
            return None
        shown = ", ".join(f"{c} = {format_number(v)}" for c, v in values.items())
        return Resolved(
            ind.code,
            unit,
            period,
            value,
            combine_qualifiers([r.qualifier for r in parts.values()]),
            How.COMPUTED,
            f"tính từ thành phần ({ind.formula}; {shown})",
            parts={c: r.value for c, r in parts.items()},
            incomplete=any(r.incomplete for r in parts.values()),
            via_predecessors=tuple(sorted({n for r in parts.values() for n in r.via_predecessors})),
        )

    def _sum(
        self, ind: Indicator, unit: OrgUnit, period: Period, items: list[Resolved], how: str, note: str
    ) -> Resolved | None:
        found = [r for r in items if r.value is not None]
        if not found:
            return None
        return Resolved(
            ind.code,
            unit,
            period,
            sum((r.value for r in found if r.value is not None), Decimal(0)),
            combine_qualifiers([r.qualifier for r in found]),
            how,
            note,
            incomplete=len(found) < len(items) or any(r.incomplete for r in found),
            via_predecessors=tuple(sorted({n for r in found for n in r.via_predecessors})),
        )

    def _from_predecessors(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved | None:
        if unit.valid_from is None or unit.valid_from <= period.start:
            return None
        preds = self._preds(unit)
        if not preds:
            return None
        if unit.valid_from <= period.end:
            # The unit appeared during the period: only sub-periods can be attributed cleanly.
            return self._from_subperiods(ind, unit, period)
        items = [self.resolve(ind.code, p, period) for p in preds]
        names = ", ".join(p.name for p in preds)
        result = self._sum(
            ind, unit, period, items, How.PREDECESSORS, f"cộng gộp từ đơn vị trước sắp xếp: {names}"
        )
        if result is None:
            return None
        return Resolved(
            result.indicator,
            unit,
            period,
            result.value,
            result.qualifier,
            result.how,
            result.note,
            incomplete=result.incomplete,
            via_predecessors=tuple(sorted({p.name for p in preds} | set(result.via_predecessors))),
        )

    def _from_children(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved | None:
        start, end = period.start, period.end
        children = [c for c in self._children.get(unit.pk, []) if c.overlaps(start, end)]
        if not children:
            return None
        resolved = {c.pk: self.resolve(ind.code, c, period) for c in children}
        # A unit created during the period counts its predecessors' part of it (their figures
        # or its own for the whole period): siblings it succeeded would be counted twice.
        covered = {
            p.pk
            for c in children
            if resolved[c.pk].value is not None and c.valid_from is not None and c.valid_from > period.start
            for p in self._preds(c)
        }
        items = [r for pk, r in resolved.items() if pk not in covered]
        count = sum(1 for r in items if r.value is not None)
        return self._sum(ind, unit, period, items, How.CHILDREN, f"cộng từ {count} đơn vị trực thuộc")

    def _from_subperiods(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved | None:
        for sub_type in _SUBPERIOD_TYPES[period.type]:
            subs = _subperiods(period, sub_type)
            if ind.kind == IndicatorKind.STOCK:
                for sub in reversed(subs):
                    if not unit.overlaps(sub.start, sub.end) and not self._preds(unit):
                        continue
                    r = self.resolve(ind.code, unit, sub)
                    if r.value is not None:
                        return Resolved(
                            ind.code,
                            unit,
                            period,
                            r.value,
                            r.qualifier,
                            How.LAST_SUBPERIOD,
                            f"số liệu cuối kỳ ({sub.label})",
                            incomplete=sub != subs[-1] or r.incomplete,
                            via_predecessors=r.via_predecessors,
                        )
                continue
            items = [self.resolve(ind.code, unit, s) for s in subs]
            found = [s.label for s, r in zip(subs, items, strict=True) if r.value is not None]
            if found:
                note = f"cộng {len(found)}/{len(subs)} kỳ ({', '.join(found)})"
                return self._sum(ind, unit, period, items, How.SUBPERIODS, note)
        return None

    def _from_year(self, ind: Indicator, unit: OrgUnit, period: Period) -> Resolved | None:
        """A yearly attribute (population) for any period: that year's value, else the latest
        earlier year's within ten years, marked approximate."""
        if not ind.yearly_attribute:
            return None
        year = period.parent(PeriodType.YEAR)
        if period.type != PeriodType.YEAR:
            r = self.resolve(ind.code, unit, year)
            if r.value is not None:
                note = f"số liệu {year.label}" + (f": {r.note}" if r.how != How.REPORTED else "")
                return Resolved(
                    ind.code, unit, period, r.value, r.qualifier, How.YEAR_VALUE, note,
                    via_predecessors=r.via_predecessors,
                )
            return None
        for back in range(1, 11):
            if back == 2:  # not in the year before: the nine years before that in one query
                self._ensure_code_years(unit, ind.code, range(year.year - 10, year.year - 1))
            earlier = Period.of_year(year.year - back)
            found = self._stated_year_value(ind.code, unit, earlier)
            if found is not None:
                value, names = found
                return Resolved(
                    ind.code, unit, period, value, "approx", How.YEAR_VALUE,
                    f"dùng số liệu {earlier.label} (số gần nhất)", via_predecessors=names,
                )
        return None

    def _stated_year_value(self, code: str, unit: OrgUnit, year: Period) -> tuple[Decimal, tuple[str, ...]] | None:
        """A year's value as stated for the unit or, before it existed, for its predecessors —
        without looking further back, so that a look-back cannot recurse through the years."""
        self._ensure_loaded(unit, year, code)
        reported = self._values.get((code, unit.pk, year.code))
        if reported is not None:
            return reported[0], ()
        if unit.valid_from is None or unit.valid_from <= year.start:
            return None
        parts = [(p, self._stated_year_value(code, p, year)) for p in self._preds(unit)]
        found = [(p, f) for p, f in parts if f is not None]
        if not found:
            return None
        names = tuple(sorted({p.name for p, _ in found} | {n for _, f in found for n in f[1]}))
        return sum((f[0] for _, f in found), Decimal(0)), names


def comparability_note(results: list[Resolved]) -> str:
    """Say when a series mixes units from before and after a reorganisation."""
    names = sorted({n for r in results for n in r.via_predecessors})
    if not names:
        return ""
    periods = [r.period.label for r in results if r.via_predecessors]
    return (
        f"Chuỗi số liệu so sánh được: {', '.join(periods)} được cộng gộp từ các đơn vị trước sắp xếp "
        f"({', '.join(names)})."
    )
