"""Data values: read (scoped), write in bulk (all-or-nothing), delete with a reason, and
resolve any indicator for any unit and period (rates recomputed from their parts)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja import Query, Router

from baocao.catalog.models import Indicator
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.core.vnnum import VietnameseNumberError, parse_quantity
from baocao.datavalues.aggregation import Aggregator, How, comparability_note
from baocao.datavalues.models import DataValue, Source, State, Submission
from baocao.datavalues.services import ValueError_, ValueInput, delete_value, save_values, version_of
from baocao.orgunits.models import OrgUnit

from ..auth import actor, client_name
from ..errors import ApiError, invalid
from ..params import (
    FIELD_MAX,
    PERIOD_MAX,
    IdParam,
    IndicatorParam,
    LimitParam,
    OffsetParam,
    OptionalIndicatorParam,
    OptionalPeriodParam,
    OptionalUnitParam,
    PeriodParam,
    ReasonParam,
    RegimeCode,
    RegimeParam,
    SubtreeParam,
    UnitParam,
    indicator_of,
    locate_unit,
    period_of,
    scoped,
    text_query,
    unit_of,
    visible_row,
)
from ..present import exact, number_fields, page
from ..schemas import ERRORS, WRITE_ERRORS, Deleted, ResolvedOut, SaveOut, ValueIn, ValuePage, ValuesIn

router = Router(tags=["Số liệu / Data values"])

MAX_SERIES = 60


def value_out(dv: DataValue, states: dict[tuple[int, str, str], str]) -> dict[str, Any]:
    period = Period.from_code(dv.period)
    return {
        "id": dv.pk,
        "indicator": dv.indicator.code,
        "unit": dv.unit.code,
        "unit_name": dv.unit.name,
        "period": dv.period,
        "period_label": period.label,
        "regime": dv.regime,
        "target": dv.is_target,
        **number_fields(dv.value),
        "qualifier": dv.qualifier,
        "source": dv.source,
        "source_ref": dv.source_ref,
        "flag": dv.flag,
        "comment": dv.comment,
        "state": states.get((dv.unit_id, dv.period, dv.regime), State.DRAFT),
        "updated_at": dv.updated_at,
        "updated_by": dv.updated_by.get_username() if dv.updated_by else None,
        "version": version_of(dv),
    }


@router.get("/values", response={200: ValuePage, **ERRORS}, summary="Số liệu đã lưu (trong phạm vi được xem)")
def list_values(
    request: HttpRequest,
    *,
    unit: OptionalUnitParam,
    subtree: SubtreeParam,
    period: OptionalPeriodParam,
    indicator: OptionalIndicatorParam,
    field: str | None = text_query(None, FIELD_MAX, "Mã lĩnh vực"),
    target: bool | None = Query(None, description="true: kế hoạch; false: kết quả; bỏ trống: cả hai"),
    regime: RegimeCode | None = None,  # type: ignore[valid-type]
    limit: LimitParam,
    offset: OffsetParam,
) -> dict[str, Any]:
    chosen_period = period_of(period) if period is not None else None
    day = chosen_period.end if chosen_period else None
    qs = scoped(actor(request), DataValue.objects.all(), unit, subtree, on=day)
    if chosen_period is not None:
        qs = qs.filter(period=chosen_period.code)
    if indicator is not None:
        qs = qs.filter(indicator=indicator_of(indicator))
    if field is not None:
        qs = qs.filter(indicator__field__code=field)
    if target is not None:
        qs = qs.filter(is_target=target)
    if regime is not None:
        qs = qs.filter(regime=RegimeCode(regime).value)
    qs = qs.select_related("indicator", "unit", "updated_by").order_by(
        "unit__path",
        "indicator__field__order",
        "indicator__order",
        "indicator__code",
        "period_start",
        "is_target",
    )
    return page(qs, limit, offset, _values_out)


def _values_out(rows: list[DataValue]) -> list[dict[str, Any]]:
    """The values with the workflow state of their unit and period."""
    states = {
        (s.unit_id, s.period, s.regime): s.state
        for s in Submission.objects.filter(
            unit_id__in={v.unit_id for v in rows}, period__in={v.period for v in rows}
        )
    }
    return [value_out(v, states) for v in rows]


def _number(raw: int | float | str, unit: str | None) -> tuple[Decimal, str | None]:
    """The value and, for a text like 'ước 1.599', the qualifier it states.

    A text may carry its unit ("150 văn bản", "73,95%", "76 tỷ đồng"); a unit that is not the
    indicator's (`unit`) is refused, so that "1e5" is not read as 1 of the unit "e5".
    """
    if isinstance(raw, bool):
        raise VietnameseNumberError(f"'{raw}' không phải là số")
    if isinstance(raw, int):
        return Decimal(raw), None
    if isinstance(raw, float):
        number = Decimal(repr(raw))
        if not number.is_finite():
            raise VietnameseNumberError(f"'{raw}' không phải là số hữu hạn")
        return number, None
    quantity = parse_quantity(raw)
    if quantity.unit is not None and unit is not None and quantity.unit.casefold() != unit.casefold():
        raise VietnameseNumberError(f"đơn vị '{quantity.unit}' khác đơn vị tính của chỉ tiêu ('{unit}')")
    return quantity.value, (quantity.qualifier if quantity.qualifier != "exact" else None)


class _Rows:
    """Reads the rows of a bulk write into ValueInputs, collecting every error with its row."""

    def __init__(self, user: AbstractBaseUser, indicator_codes: set[str]) -> None:
        self.user = user
        # Units of measure of the indicators named, to check a unit written after a number.
        self.measures = dict(Indicator.objects.filter(code__in=indicator_codes).values_list("code", "unit"))
        self.errors: list[str] = []
        self.units: dict[tuple[str, str], OrgUnit] = {}

    def unit(self, text: str, period: Period, where: str) -> OrgUnit | None:
        key = (text, period.code)
        if key not in self.units:
            try:
                self.units[key] = locate_unit(self.user, text, on=period.end, field="unit")
            except ApiError as exc:
                self.errors.append(f"{where}: trường {exc.message}")
                return None
        return self.units[key]

    def read(self, index: int, item: ValueIn) -> ValueInput | None:
        where = f"values[{index}]"
        try:
            period = parse_period(item.period)
        except PeriodError as exc:
            self.errors.append(f"{where}: trường period: '{item.period}' không phải kỳ báo cáo ({exc})")
            return None
        unit = self.unit(item.unit, period, where)
        if unit is None:
            return None
        try:
            number, stated = _number(item.value, self.measures.get(item.indicator.strip()))
        except (VietnameseNumberError, InvalidOperation, ValueError) as exc:
            self.errors.append(f"{where}: trường value: '{item.value}' không phải là số ({exc})")
            return None
        qualifier = item.qualifier.value if item.qualifier is not None else (stated or "exact")
        return ValueInput(
            indicator=item.indicator.strip(),
            unit=unit,
            period=period,
            value=number,
            qualifier=qualifier,
            is_target=item.target,
            regime=RegimeCode(item.regime).value,
            comment=item.comment,
            where=where,
            expected=item.version,
        )


@router.post(
    "/values", response={200: SaveOut, **WRITE_ERRORS}, summary="Ghi số liệu hàng loạt (tất cả hoặc không)"
)
def write_values(request: HttpRequest, payload: ValuesIn) -> dict[str, int]:
    """Every row is checked first; if any row is wrong nothing is stored and the 422 lists
    every wrong row as `values[i]` with its field. Needs the data-entry role on each unit."""
    user = actor(request)
    rows = _Rows(user, {item.indicator.strip() for item in payload.values})
    inputs = [row for i, item in enumerate(payload.values) if (row := rows.read(i, item)) is not None]
    if rows.errors:
        raise ValueError_(rows.errors)
    result = save_values(
        user,
        inputs,
        source=Source.API,
        source_ref=(payload.source_ref or client_name(request))[:255],
        reason=payload.reason,
    )
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "total": len(inputs),
    }


@router.delete(
    "/values/{int:value_id}", response={200: Deleted, **WRITE_ERRORS}, summary="Xóa một số liệu (cần lý do)"
)
def remove_value(
    request: HttpRequest, value_id: IdParam, reason: ReasonParam, version: str | None = None
) -> dict[str, Any]:
    """`version`: the version read; a value changed since is not deleted (409 with both values)."""
    user = actor(request)
    value = visible_row(
        user,
        DataValue.objects.select_related("indicator", "unit"),
        value_id,
        f"Không có số liệu số {value_id}",
        "value_id",
    )
    delete_value(user, value, reason=reason, expected=version, where="version" if version is not None else "")
    return {"id": value_id, "deleted": True}


def _series(period: Period, since: str | None) -> list[Period]:
    if since is None:
        periods = [period]
        while len(periods) < 5:
            try:
                periods.insert(0, periods[0].previous())
            except PeriodError:
                break
        return periods
    start = period_of(since, "series_from")
    if start.type != period.type:
        raise invalid(f"series_from: {start.label} không cùng loại kỳ với {period.label}", "series_from")
    per_year = period.type.count_per_year
    count = (period.year - start.year) * per_year + (period.index - start.index) + 1
    if count < 1:
        raise invalid(f"series_from: {start.label} sau {period.label}", "series_from")
    if count > MAX_SERIES:
        raise invalid(f"series_from: chuỗi dài quá {MAX_SERIES} kỳ", "series_from")
    periods = [start]
    while periods[-1] != period:
        periods.append(periods[-1].next())
    return periods


def _point(resolved: Any) -> dict[str, Any]:
    return {
        "period": resolved.period.code,
        "period_label": resolved.period.label,
        **number_fields(resolved.value, rounded=resolved.how == How.COMPUTED),
        "qualifier": resolved.qualifier,
        "how": resolved.how,
        "note": resolved.note,
        "incomplete": resolved.incomplete,
    }


@router.get(
    "/values/resolved", response={200: ResolvedOut, **ERRORS}, summary="Giá trị tổng hợp của một chỉ tiêu"
)
def resolved_value(
    request: HttpRequest,
    *,
    unit: UnitParam,
    indicator: IndicatorParam,
    period: PeriodParam,
    regime: RegimeParam,
    target: bool = Query(False, description="Kế hoạch thay cho kết quả"),
    series_from: str | None = text_query(None, PERIOD_MAX, "Kỳ đầu của chuỗi (mặc định: 4 kỳ trước)", "2020"),
) -> dict[str, Any]:
    """How the value was obtained is in `how` and `note`: a rate is always recomputed from its
    parts at the level asked for (never summed), a flow summed over sub-periods or child units,
    a unit created in the 2025 merger rolled up from the units it replaced."""
    user = actor(request)
    chosen = period_of(period)
    found = unit_of(user, unit, on=chosen.end)
    ind = indicator_of(indicator)
    periods = _series(chosen, series_from)
    agg = Aggregator(regime=RegimeCode(regime).value, is_target=target)
    series = agg.series(ind.code, found, periods)
    resolved = series[-1]
    return {
        **_point(resolved),
        "indicator": ind.code,
        "indicator_name": ind.name_vi,
        "indicator_unit": ind.unit,
        "unit": found.code,
        "unit_name": found.name,
        "regime": RegimeCode(regime).value,
        "target": target,
        "parts": {code: exact(v) for code, v in resolved.parts.items()},
        "via_predecessors": list(resolved.via_predecessors),
        "series": [_point(r) for r in series],
        "comparability_note": comparability_note(series),
    }
