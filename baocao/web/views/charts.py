"""Dashboards: an indicator's trend for a unit, units compared for a period, a province's key
figures. Each chart has its numbers in a table under it and a CSV download (same URL,
?dinh_dang=csv); the PNG is made in the browser from the chart itself."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baocao.access.access import Perm, visible_units
from baocao.catalog.models import Field, Indicator
from baocao.core.periods import PeriodType
from baocao.datavalues.models import DataValue, ScopePeriod
from baocao.orgunits.lookup import province_of
from baocao.orgunits.models import OrgUnit, UnitLevel

from .. import charts_data, scope, wording
from .common import chosen_period
from .xlsx import xlsx_response

DEFAULT_INDICATOR = "cntt.qlvb.ty_le_ky_so"
PERIOD_KINDS = [(PeriodType.YEAR, gettext_lazy("Năm")), (PeriodType.HALF, gettext_lazy("6 tháng")),
                (PeriodType.QUARTER, gettext_lazy("Quý")), (PeriodType.MONTH, gettext_lazy("Tháng"))]


def _csv(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _indicator(request: HttpRequest) -> Indicator:
    code = str(request.GET.get("chi_tieu", "")) or DEFAULT_INDICATOR
    return Indicator.objects.filter(code=code).first() or Indicator.objects.get(code=DEFAULT_INDICATOR)


def _default_unit(request: HttpRequest) -> OrgUnit:
    """The country for a ministry account; else the unit of the latest figures the user may see;
    else the top of their scope."""
    roots = scope.roots(request.user)
    country = next((u for u in roots if u.level == UnitLevel.COUNTRY), None)
    if country is not None:
        return country
    visible = visible_units(request.user, Perm.VIEW)
    # The latest period end from the trigger-kept summary, then that period's values only: asked
    # of the values alone this sorted every figure of the province (65 000 rows) to pick one.
    # The summary's rows of the scope's top units hold their whole subtrees' periods: asked of
    # every unit under them it was read in full (400 000 rows, 10–30 ms each time).
    top = ScopePeriod.objects.filter(unit_id__in=[u.pk for u in roots])
    last = top.order_by("-period_end").first()
    latest = None if last is None else (
        DataValue.objects.filter(unit__in=visible, is_target=False, period_end=last.period_end, period__in=(
            top.filter(period_end=last.period_end).values("period")))
        .select_related("unit").order_by("-period_end").first()
    )  # fmt: skip
    if latest is not None:
        return latest.unit
    if not roots:
        raise scope.forbid("Tài khoản chưa được phân quyền xem đơn vị nào")
    return roots[0]


def _unit(request: HttpRequest, default: OrgUnit | None = None) -> OrgUnit:
    code = str(request.GET.get("don_vi", ""))
    if code:
        return scope.unit_for(request.user, code, Perm.VIEW)
    return default or _default_unit(request)


def _common(request: HttpRequest, unit: OrgUnit) -> dict[str, Any]:
    units = scope.pickable_units(request.user, Perm.VIEW)
    if unit not in units:
        units = [unit, *units]
    return {
        "unit": unit,
        "units": units,
        "fields": Field.objects.prefetch_related("indicators").order_by("order"),
        "periods": scope.recent_periods(request.user),
    }


@login_required
def trend(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    indicator = _indicator(request)
    try:
        kind = PeriodType(str(request.GET.get("loai", PeriodType.YEAR)))
    except ValueError:
        kind = PeriodType.YEAR
    this_year = timezone.localdate().year
    first_data = (
        DataValue.objects.filter(unit__path__startswith=unit.path, indicator=indicator, is_target=False)
        .order_by("period_start").values_list("period_start", flat=True).first()
    )
    try:
        first = int(request.GET.get("tu") or (first_data.year if first_data else this_year - 5))
        last = int(request.GET.get("den") or this_year)
    except ValueError:
        first, last = this_year - 5, this_year
    first, last = max(1990, min(first, 2100)), max(1990, min(last, 2100))
    periods = charts_data.periods_between(kind, first, last)
    series = charts_data.trend(indicator, unit, periods)
    if request.GET.get("dinh_dang") == "csv":
        return _csv(charts_data.to_csv(series), f"xu-huong-{indicator.code}-{unit.code}")
    if request.GET.get("dinh_dang") == "xlsx":
        return _series_xlsx(series, f"{indicator.name_vi} — {unit.name}", f"xu-huong-{unit.code}", by="period")
    labels = [p.label for p in periods]
    chart = series.chart(f"{indicator.name_vi} — {unit.name}", labels=labels, kind="line")
    context = {
        **_common(request, unit),
        "indicator": indicator,
        "series": series,
        "chart": chart,
        "kind": kind,
        "kinds": PERIOD_KINDS,
        "first": first,
        "last": last,
        "csv_query": _with(request, dinh_dang="csv"),
        "xlsx_query": _with(request, dinh_dang="xlsx"),
    }
    return render(request, "web/charts/trend.html", context)


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    roots = scope.roots(request.user)
    parent = _unit(request, default=roots[0] if roots else None)
    indicator = _indicator(request)
    period = chosen_period(request)
    if parent.level not in (UnitLevel.COUNTRY, UnitLevel.PROVINCE):
        # A district or a department has nothing below it to compare: compare its siblings.
        province = province_of(parent)
        parent = province if province is not None and scope.can_view(request.user, province) else parent
    units = scope.comparable_children(request.user, parent, period)
    series, total = charts_data.comparison(indicator, parent, units, period)
    if request.GET.get("dinh_dang") == "csv":
        return _csv(charts_data.to_csv(series), f"so-sanh-{indicator.code}-{parent.code}-{period.code}")
    if request.GET.get("dinh_dang") == "xlsx":
        return _series_xlsx(series, f"{indicator.name_vi} — {parent.name}, {period.label}",
                            f"so-sanh-{parent.code}-{period.code}", by="unit")
    # Only units with a figure are drawn (the table lists the others); long names read best
    # on horizontal bars, one bar per line.
    drawn = series.with_values
    chart = series.chart(
        f"{indicator.name_vi} — {period.label}", labels=[p.unit.name for p in drawn], kind="bar",
        horizontal=True, points=drawn,
    )
    context = {
        **_common(request, parent),
        "parent": parent,
        "indicator": indicator,
        "period": period,
        "series": series,
        "chart": chart,
        "total": total,
        "chart_height": max(220, 34 * len(drawn) + 110),
        "parents": [u for u in scope.pickable_units(request.user, Perm.VIEW)
                    if u.level in (UnitLevel.COUNTRY, UnitLevel.PROVINCE)],
        "csv_query": _with(request, dinh_dang="csv"),
        "xlsx_query": _with(request, dinh_dang="xlsx"),
    }
    return render(request, "web/charts/compare.html", context)


@login_required
def key_figures(request: HttpRequest) -> HttpResponse:
    default = _default_unit(request)
    province = province_of(default)
    if province is not None and scope.can_view(request.user, province):
        default = province
    unit = _unit(request, default=default)
    period = chosen_period(request)
    figures = charts_data.key_figures(unit, period)
    if request.GET.get("dinh_dang") == "csv":
        return _csv(charts_data.key_figures_csv(unit, period, figures), f"chi-so-chinh-{unit.code}-{period.code}")
    if request.GET.get("dinh_dang") == "xlsx":
        return _key_figures_xlsx(unit, period, figures)
    percents = [f for f in figures if f.indicator.is_percent]
    chart = {
        "type": "bar",
        "labels": [f.indicator.name_vi for f in percents],
        "datasets": [
            {"label": period.previous().label, "data": [charts_data.as_float(f.before.value) for f in percents]},
            {"label": period.label, "data": [charts_data.as_float(f.now.value) for f in percents]},
        ],
        "unit": "%",
        "title": f"{_('Các tỷ lệ chính')} — {unit.name}",
        "horizontal": True,
    }
    context = {
        **_common(request, unit),
        "period": period,
        "previous": period.previous(),
        "figures": figures,
        "chart": chart,
        "csv_query": _with(request, dinh_dang="csv"),
        "xlsx_query": _with(request, dinh_dang="xlsx"),
    }
    return render(request, "web/charts/key_figures.html", context)


def _with(request: HttpRequest, **params: str) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _series_xlsx(series: charts_data.Series, title: str, name: str, *, by: str) -> HttpResponse:
    """A chart's table as a workbook: the same rows as the page, numbers as numbers, notes in words."""
    unit = series.indicator.unit
    first = _("Kỳ") if by == "period" else _("Đơn vị")
    headers = [first, f"{_('Giá trị')} ({unit})" if unit else _("Giá trị"), _("Kế hoạch"), _("Cách tính")]
    rows = [[p.period.label if by == "period" else p.unit.name, _number(p.value), _number(p.plan),
             wording.in_words(p.resolved.note)] for p in series.points]
    return xlsx_response(title, headers, rows, name)


def _key_figures_xlsx(unit: OrgUnit, period: Any, figures: list[charts_data.KeyFigure]) -> HttpResponse:
    headers = [_("Chỉ tiêu"), _("Đơn vị tính"), period.label, period.previous().label, _("Kế hoạch"), _("Cách tính")]
    rows = [[f.indicator.name_vi, f.indicator.unit, _number(f.now.value), _number(f.before.value), _number(f.plan),
             wording.in_words(f.now.note)] for f in figures]
    return xlsx_response(f"{_('Chỉ số chính')} — {unit.name}, {period.label}", headers, rows,
                         f"chi-so-chinh-{unit.code}-{period.code}")
