"""Series, comparisons and key figures for the dashboards, and their CSV form.

Values come from the Aggregator, so rates are recomputed from their parts at every level
and units created by the 2025 reorganisation are rolled up from their predecessors.
The caller has checked that the user may view every unit passed here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from baocao.catalog.models import Indicator
from baocao.core.cells import neutralise_row
from baocao.core.display import format_value
from baocao.core.periods import Period, PeriodType
from baocao.datavalues.aggregation import Aggregator, How, Resolved, comparability_note
from baocao.datavalues.rollup import Rollup, provinces_on, provinces_on_days
from baocao.orgunits.lookup import predecessors
from baocao.orgunits.models import OrgUnit, UnitLevel

MAX_PERIODS = 40

# The figures a province's leadership asks for first (tỷ lệ ký số, hồ sơ trực tuyến, DVC mức 4,
# thuê bao/100 dân …), in the order the key-figures page shows them.
KEY_FIGURES = [
    "cntt.qlvb.ty_le_ky_so",
    "cntt.hoso.ty_le_giai_quyet_truc_tuyen",
    "cntt.hoso.muc4.ty_le_truc_tuyen",
    "cntt.dvc.muc4",
    "cntt.dvc.ty_le_muc4",
    "cntt.dvc.quoc_gia.ty_le_tich_hop",
    "vt.mat_do_dien_thoai",
    "vt.mat_do_di_dong",
    "vt.mat_do_internet",
    "cntt.cts.tong",
    "cntt.email.ty_le_su_dung",
    "bc.doanh_thu",
    "vt.doanh_thu",
    "vt.tram_bts",
]


@dataclass
class Point:
    unit: OrgUnit
    period: Period
    resolved: Resolved
    plan: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        return self.resolved.value


@dataclass
class Series:
    indicator: Indicator
    points: list[Point]
    note: str = ""
    # the series this one replaced, for the periods before the change (drawn apart)
    replaced: list[Point] = field(default_factory=list)
    replaced_name: str = ""

    @property
    def with_values(self) -> list[Point]:
        return [p for p in self.points if p.value is not None]

    @property
    def missing(self) -> int:
        return len(self.points) - len(self.with_values)

    def chart(self, title: str, *, labels: list[str], kind: str = "line", horizontal: bool = False,
              points: list[Point] | None = None) -> dict[str, object]:
        shown = self.points if points is None else points
        data = [as_float(p.value) for p in shown]
        plans = [as_float(p.plan) for p in shown]
        datasets: list[dict[str, object]] = [{"label": self.indicator.name_vi, "data": data}]
        if any(v is not None for v in plans):
            datasets.append({"label": str(_("Kế hoạch")), "data": plans, "plan": True})
        old = {p.period: p.value for p in self.replaced}
        if any(v is not None for v in old.values()):
            datasets.append({"label": f"{self.replaced_name} ({_('cách tính cũ')})",
                             "data": [as_float(old.get(p.period)) for p in shown], "plan": True})
        return {"type": kind, "labels": labels, "datasets": datasets, "unit": self.indicator.unit, "title": title,
                "horizontal": horizontal}


@dataclass
class KeyFigure:
    indicator: Indicator
    now: Resolved
    before: Resolved
    plan: Decimal | None
    spark: list[float | None] = field(default_factory=list)

    @property
    def spark_text(self) -> str:
        """The last periods' values for the card's small line, blanks where there is no figure."""
        return ",".join("" if v is None else repr(v) for v in self.spark)

    @property
    def change(self) -> Decimal | None:
        """Change against the previous period: points for a percentage, a share otherwise."""
        if self.now.value is None or self.before.value is None or self.indicator.begins_after(self.before.period):
            return None
        if self.indicator.is_percent:
            return self.now.value - self.before.value
        if self.before.value == 0:
            return None
        return 100 * (self.now.value - self.before.value) / self.before.value

    @property
    def attainment(self) -> Decimal | None:
        if self.now.value is None or not self.plan:
            return None
        return 100 * self.now.value / self.plan


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _plan(plans: Aggregator, code: str, unit: OrgUnit, period: Period) -> Decimal | None:
    found = plans.reported(code, unit, period)
    return found[0] if found else None


def periods_between(kind: PeriodType, first: int, last: int) -> list[Period]:
    """Every period of `kind` from the start of year `first` to the end of year `last` (capped)."""
    first, last = min(first, last), max(first, last)
    periods: list[Period] = []
    for year in range(first, last + 1):
        periods.extend(Period.of_year(year).subperiods(kind))
    return periods[-MAX_PERIODS:]


def _merged_in_full(agg: Aggregator, resolved: Resolved) -> Resolved:
    """A merged unit's figure before the merger counts only when every predecessor reported it;
    otherwise it is no figure, and the note names the predecessors that are missing."""
    if resolved.how != How.PREDECESSORS or resolved.value is None:
        return resolved
    preds = predecessors(resolved.unit, transitive=False)
    preds = [p for p in preds if p.valid_to is not None] or preds
    missing = sorted(p.name for p in preds if agg.resolve(resolved.indicator, p, resolved.period).value is None)
    if not missing:
        return resolved
    note = _("chưa đủ số liệu các đơn vị trước sắp xếp: thiếu %(names)s") % {"names": ", ".join(missing)}
    return Resolved(resolved.indicator, resolved.unit, resolved.period, None, note=note, incomplete=True)


def national_coverage(code: str, periods: list[Period], rollup: Rollup | None = None) -> dict[str, str]:
    """For the country: per period, a note when its figure comes from only some provinces
    ("chỉ từ số liệu của 1/63 tỉnh: Trà Vinh"), so that one province is not read as the nation."""
    keys = coverage_keys(periods)
    return coverage_notes(keys, (rollup or Rollup()).resolve_many(code, keys), periods)


def coverage_keys(periods: list[Period]) -> list[tuple[OrgUnit, Period]]:
    """(province, period) for every province of each period's structure (one query for all)."""
    by_end = provinces_on_days(sorted({p.end for p in periods}))
    return [(p, period) for period in periods for p in by_end[period.end]]


def coverage_notes(keys: list[tuple[OrgUnit, Period]], results: list[Any], periods: list[Period]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    for (province, period), result in zip(keys, results, strict=True):
        totals[period.code] = totals.get(period.code, 0) + 1
        if result.value is not None:
            found.setdefault(period.code, []).append(province.name)
    notes: dict[str, str] = {}
    for period in periods:
        names, total = found.get(period.code, []), totals.get(period.code, 0)
        if names and len(names) < total:
            shown = ", ".join(sorted(names)[:5]) + (" …" if len(names) > 5 else "")
            notes[period.code] = _("chỉ từ số liệu của %(n)s/%(total)s tỉnh: %(names)s") % {
                "n": len(names), "total": total, "names": shown}
    return notes


def _labelled(resolved: Resolved, note: str) -> Resolved:
    if not note or resolved.value is None:
        return resolved
    return Resolved(resolved.indicator, resolved.unit, resolved.period, resolved.value, resolved.qualifier,
                    resolved.how, note, resolved.parts, incomplete=True,
                    via_predecessors=resolved.via_predecessors)


def trend(indicator: Indicator, unit: OrgUnit, periods: list[Period]) -> Series:
    plans = Aggregator(is_target=True, codes=[indicator.code])
    if unit.level == UnitLevel.COUNTRY:
        # The country from every commune: the database's roll-up, labelled with its coverage.
        # one batch: the provinces behind each period's coverage note, and the country itself
        keys = coverage_keys(periods)
        results = Rollup().resolve_many(indicator.code, [*keys, *((unit, p) for p in periods)])
        coverage = coverage_notes(keys, results[: len(keys)], periods)
        rolled = results[len(keys) :]
        resolved = [_labelled(r.resolved(indicator.code), coverage.get(r.period.code, "")) for r in rolled]
    else:
        agg = Aggregator(codes=[indicator.code])
        resolved = [_merged_in_full(agg, agg.resolve(indicator.code, unit, p)) for p in periods]
    national = unit.level == UnitLevel.COUNTRY  # no national plan is entered; its look-up walks every unit
    points = [Point(unit, p, r, None if national else _plan(plans, indicator.code, unit, p))
              for p, r in zip(periods, resolved, strict=True)]
    series = Series(indicator, points, comparability_note([p.resolved for p in points]))
    _mark_series_break(series, periods)
    return series


def _mark_series_break(series: Series, periods: list[Period]) -> None:
    """A series that replaced an older one (levels 3/4 → "toàn trình/một phần"): the older
    series is drawn apart for the periods before the change, and the note says why."""
    ind, unit = series.indicator, series.points[0].unit if series.points else None
    before = [p for p in periods if ind.begins_after(p)]
    if not before or unit is None:
        return
    old = Indicator.objects.filter(code=ind.replaces).first() if ind.replaces else None
    if old is not None:
        if unit.level == UnitLevel.COUNTRY:
            resolved = [r.resolved(old.code) for r in Rollup().series(old.code, unit, before)]
        else:
            agg = Aggregator(codes=[old.code])
            resolved = [agg.resolve(old.code, unit, p) for p in before]
        series.replaced = [Point(unit, p, r) for p, r in zip(before, resolved, strict=True)]
        series.replaced_name = old.name_vi
    note = _("Chỉ tiêu %(name)s: %(why)s; các kỳ trước không so sánh trực tiếp.") % {
        "name": ind.name_vi, "why": ind.break_note()
    }
    series.note = f"{series.note} {note}".strip()


def comparison(indicator: Indicator, parent: OrgUnit, units: list[OrgUnit], period: Period) -> tuple[Series, Resolved]:
    """`units` compared for `period`, and `parent`'s total.

    The provinces of the country are rolled up by the database (`rollup.Rollup`, kept in the
    summary table on PostgreSQL): walking every commune of the country unit by unit takes
    seconds per province at national scale. Within a province the Aggregator explains each
    figure, incomplete sub-periods and units included."""
    if parent.level == UnitLevel.COUNTRY:
        results = Rollup().resolve_many(indicator.code, [(u, period) for u in [*units, parent]])
        resolved = [r.resolved(indicator.code) for r in results]
    else:
        agg = Aggregator()
        resolved = [agg.resolve(indicator.code, u, period) for u in [*units, parent]]
    points = [Point(u, period, r) for u, r in zip(units, resolved, strict=False)]
    points.sort(key=lambda p: (p.value is None, -(p.value or 0), p.unit.search_name))
    return Series(indicator, points, comparability_note([p.resolved for p in points])), resolved[-1]


def key_figures(unit: OrgUnit, period: Period, codes: list[str] | None = None) -> list[KeyFigure]:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes or KEY_FIGURES)}
    agg, plans = Aggregator(codes=indicators), Aggregator(is_target=True, codes=indicators)
    history = [period]
    for _step in range(4):
        history.insert(0, history[0].previous())
    figures = []
    if unit.level == UnitLevel.COUNTRY:
        return _national_key_figures(unit, period, [indicators[c] for c in codes or KEY_FIGURES if c in indicators],
                                     history)
    for code in codes or KEY_FIGURES:
        ind = indicators.get(code)
        if ind is None:
            continue
        figures.append(
            KeyFigure(
                ind, agg.resolve(code, unit, period), agg.resolve(code, unit, period.previous()),
                _plan(plans, code, unit, period), [as_float(agg.resolve(code, unit, p).value) for p in history],
            )
        )
    return figures


def _national_key_figures(unit: OrgUnit, period: Period, indicators: list[Indicator],
                          history: list[Period]) -> list[KeyFigure]:
    """The country's key figures from the roll-up (one query batch for every indicator: the
    country's history and every province of this period and the last), each labelled with its
    coverage. National plans are not entered: no attainment is shown for the country."""
    rollup = Rollup()
    previous = period.previous()
    province_keys = [(p, q) for q in (period, previous) for p in provinces_on(q.end)]
    own_keys = [(unit, p) for p in history]
    per_indicator = len(own_keys) + len(province_keys)
    every = rollup.resolve_codes([(ind.code, u, p) for ind in indicators for u, p in own_keys + province_keys])
    figures = []
    for i, ind in enumerate(indicators):
        results = every[i * per_indicator : (i + 1) * per_indicator]
        rolled = {r.period.code: r.resolved(ind.code) for r in results[: len(own_keys)]}
        coverage = coverage_notes(province_keys, results[len(own_keys):], [period, previous])
        now = _labelled(rolled[period.code], coverage.get(period.code, ""))
        before = _labelled(rolled[previous.code], coverage.get(previous.code, ""))
        spark = [as_float(rolled[p.code].value) for p in history]
        figures.append(KeyFigure(ind, now, before, None, spark))
    return figures


def plain(value: Decimal | None) -> str:
    """No grouping, decimal comma: what the importer and a Vietnamese Excel read back."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def to_csv(series: Series) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ma_don_vi", "don_vi", "ky", "nhan_ky", "ma_chi_tieu", "chi_tieu", "gia_tri",
                     "don_vi_tinh", "tinh_chat", "ke_hoach", "cach_tinh"])
    for p in series.points:
        writer.writerow(neutralise_row([
            p.unit.code, p.unit.name, p.period.code, p.period.label, series.indicator.code,
            series.indicator.name_vi, plain(p.value), series.indicator.unit, p.resolved.qualifier,
            plain(p.plan), p.resolved.note]))
    return buffer.getvalue().encode("utf-8-sig")


def key_figures_csv(unit: OrgUnit, period: Period, figures: list[KeyFigure]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ma_don_vi", "don_vi", "ky", "ma_chi_tieu", "chi_tieu", "gia_tri", "don_vi_tinh",
                     "ky_truoc", "gia_tri_ky_truoc", "ke_hoach", "hien_thi", "cach_tinh"])
    for f in figures:
        shown = format_value(f.now.value, f.indicator.unit, f.now.qualifier) if f.now.value is not None else ""
        writer.writerow(neutralise_row([
            unit.code, unit.name, period.code, f.indicator.code, f.indicator.name_vi, plain(f.now.value),
            f.indicator.unit, period.previous().code, plain(f.before.value), plain(f.plan), shown, f.now.note]))
    return buffer.getvalue().encode("utf-8-sig")
