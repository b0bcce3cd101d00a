"""The indicator catalog: fields (sections of the report), indicators and validation rules.

The catalog is the same for every unit, so reading it needs only an authenticated caller.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Path, Query, Router

from baocao.catalog.models import Field, Indicator, IndicatorKind, ValidationRule, in_force
from baocao.core.formulas import FormulaError, parse_formula

from ..errors import not_found
from ..params import (
    FIELD_MAX,
    INDICATOR_EXAMPLES,
    INDICATOR_MAX,
    NO_NUL,
    PERIOD_MAX,
    SEARCH_MAX,
    indicator_of,
    period_of,
    text_query,
)
from ..schemas import ERRORS, FieldDetail, FieldOut, IndicatorOut, RuleOut

router = Router(tags=["Danh mục chỉ tiêu / Catalog"])


def _parts(formula: str) -> list[str]:
    if not formula:
        return []
    try:
        return sorted(parse_formula(formula).codes)
    except FormulaError:
        # The catalog loader refuses bad formulas; an old row must not break a listing.
        return []


def indicator_out(ind: Indicator) -> dict[str, object]:
    return {
        "code": ind.code,
        "field": ind.field.code,
        "field_name": ind.field.name_vi,
        "name_vi": ind.name_vi,
        "name_en": ind.name_en,
        "unit": ind.unit,
        "kind": ind.kind,
        "formula": ind.formula,
        "parts": _parts(ind.formula),
        "note": ind.note,
        "yearly_attribute": ind.yearly_attribute,
        "is_active": ind.is_active,
        "valid_from": ind.valid_from,
        "valid_to": ind.valid_to,
        "replaces": ind.replaces,
        "source": ind.source,
    }


def field_out(field: Field, count: int) -> dict[str, object]:
    return {
        "code": field.code,
        "name_vi": field.name_vi,
        "name_en": field.name_en,
        "order": field.order,
        "indicator_count": count,
    }


@router.get("/fields", response={200: list[FieldOut], **ERRORS}, summary="Lĩnh vực (mục của báo cáo)")
def list_fields(request: HttpRequest) -> list[dict[str, object]]:
    rows = Field.objects.annotate(n=Count("indicators", filter=Q(indicators__is_active=True)))
    return [field_out(f, f.n) for f in rows]


@router.get("/fields/{code}", response={200: FieldDetail, **ERRORS}, summary="Một lĩnh vực và các chỉ tiêu")
def get_field(
    request: HttpRequest,
    code: str = Path(..., min_length=1, max_length=FIELD_MAX, pattern=NO_NUL, example="cntt"),
) -> dict[str, object]:
    field = Field.objects.filter(code=code).first()
    if field is None:
        raise not_found(f"Không có lĩnh vực mã '{code}'", "code")
    indicators = list(field.indicators.select_related("field").order_by("order", "code"))
    return {
        **field_out(field, sum(1 for i in indicators if i.is_active)),
        "indicators": [indicator_out(i) for i in indicators],
    }


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="Danh mục chỉ tiêu")
def list_indicators(
    request: HttpRequest,
    field: str | None = text_query(None, FIELD_MAX, "Mã lĩnh vực: cntt", "cntt"),
    kind: IndicatorKind | None = None,
    active: bool | None = Query(True, description="Chỉ chỉ tiêu đang dùng (mặc định); false: đã ngừng"),
    search: str | None = text_query(None, SEARCH_MAX, "Mã hoặc tên"),
    period: str | None = text_query(
        None, PERIOD_MAX, "Chỉ các chỉ tiêu áp dụng trong kỳ (đổi cách báo cáo theo thời gian)", "2023"
    ),
) -> list[dict[str, object]]:
    qs = Indicator.objects.select_related("field")
    if period is not None:
        qs = qs.filter(in_force(period_of(period)))
    if field is not None:
        qs = qs.filter(field__code=field)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    if search is not None:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name_vi__icontains=search) | Q(name_en__icontains=search)
        )
    return [indicator_out(i) for i in qs]


@router.get("/indicators/{code}", response={200: IndicatorOut, **ERRORS}, summary="Một chỉ tiêu")
def get_indicator(
    request: HttpRequest,
    code: str = Path(
        ..., min_length=1, max_length=INDICATOR_MAX, pattern=NO_NUL, example=INDICATOR_EXAMPLES[0]
    ),
) -> dict[str, object]:
    return indicator_out(indicator_of(code, "code"))


@router.get("/rules", response={200: list[RuleOut], **ERRORS}, summary="Quy tắc kiểm tra số liệu")
def list_rules(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "code": r.code,
            "kind": r.kind,
            "name_vi": r.name_vi,
            "severity": r.severity,
            "params": r.params,
            "is_active": r.is_active,
        }
        for r in ValidationRule.objects.all()
    ]
