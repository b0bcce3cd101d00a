"""The ministry's national overview: provinces in rows, key indicators in columns, with how
complete and how timely each province's report is; sortable, and exported to Excel.

Figures come from the set-based roll-up (`datavalues.rollup.Rollup`, the one the compare page
uses): walking every commune of the country unit by unit would take seconds per province.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baocao.access.access import Perm
from baocao.catalog.models import Indicator
from baocao.core.display import format_value
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.rollup import Rollup, provinces_on
from baocao.datavalues.services import DEFAULT_REGIME
from baocao.datavalues.workflow import timeliness
from baocao.orgunits.models import OrgUnit, UnitLevel

from .. import scope
from .common import chosen_period
from .xlsx import xlsx_response

NATIONAL_CODES = [
    "cntt.qlvb.ty_le_ky_so",
    "cntt.hoso.ty_le_giai_quyet_truc_tuyen",
    "cntt.dvc.ty_le_muc4",
    "vt.mat_do_internet",
    "vt.mat_do_di_dong",
    "cntt.cts.tong",
    "bc.doanh_thu",
]


@dataclass
class ProvinceRow:
    unit: OrgUnit
    values: list[tuple[Decimal | None, str]] = field(default_factory=list)
    entered: int = 0
    expected: int = 0
    state_label: str = ""
    timely_label: str = ""
    is_late: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.entered / self.expected) if self.expected else 0


def _rows(request: HttpRequest, period: Period, indicators: list[Indicator]) -> list[ProvinceRow]:
    provinces = [p for p in provinces_on(period.end, user=request.user) if p.level == UnitLevel.PROVINCE]
    rollup = Rollup()
    rows = {p.pk: ProvinceRow(p) for p in provinces}
    for ind in indicators:
        for result in rollup.resolve_many(ind.code, [(p, period) for p in provinces]):
            shown = format_value(result.value, ind.unit, result.qualifier) if result.value is not None else ""
            rows[result.unit.pk].values.append((result.value, shown))
    expected = Indicator.objects.filter(is_active=True, formula="").count()
    entered = dict(
        DataValue.objects.filter(unit__in=provinces, period=period.code, regime=DEFAULT_REGIME, is_target=False)
        .values_list("unit_id").annotate(n=Count("indicator", distinct=True))
    )
    states = {t.unit.pk: t for t in timeliness(provinces, period)}
    for row in rows.values():
        row.entered, row.expected = min(entered.get(row.unit.pk, 0), expected), expected
        t = states.get(row.unit.pk)
        if t is not None:
            row.state_label, row.timely_label, row.is_late = _state_label(t.state), t.label, t.is_late
    return sorted(rows.values(), key=lambda r: r.unit.search_name)


def _state_label(state: str) -> str:
    from baocao.datavalues.models import State

    return str(State(state).label)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    country = next((u for u in scope.roots(request.user) if u.level == UnitLevel.COUNTRY), None)
    if country is None:
        raise scope.forbid(_("Trang toàn quốc dành cho tài khoản cấp Bộ"))
    scope.unit_for(request.user, country.code, Perm.VIEW)
    period = chosen_period(request)
    by_code = {i.code: i for i in Indicator.objects.filter(code__in=NATIONAL_CODES)}
    indicators = [by_code[c] for c in NATIONAL_CODES if c in by_code]
    rows = _rows(request, period, indicators)
    if request.GET.get("dinh_dang") == "xlsx":
        return _excel(rows, indicators, period)
    context: dict[str, Any] = {
        "period": period,
        "periods": scope.recent_periods(request.user),
        "indicators": indicators,
        "rows": rows,
        "reported": sum(1 for r in rows if r.entered),
        "submitted": sum(1 for r in rows if r.state_label and r.timely_label not in ("chưa gửi", "quá hạn, chưa gửi")),
    }
    return render(request, "web/national.html", context)


def _excel(rows: list[ProvinceRow], indicators: list[Indicator], period: Period) -> HttpResponse:
    headers = [_("Tỉnh, thành phố"), *[f"{i.name_vi} ({i.unit})" if i.unit else i.name_vi for i in indicators],
               _("Chỉ tiêu đã nhập"), _("Tỷ lệ đầy đủ (%)"), _("Trạng thái"), _("Đúng hạn")]
    body: list[list[Any]] = [
        [r.unit.name, *[float(v) if v is not None else None for v, _shown in r.values],
         r.entered, r.percent, r.state_label, r.timely_label]
        for r in rows
    ]
    return xlsx_response(f"Toàn quốc — {period.label}", headers, body, f"toan-quoc-{period.code}")
