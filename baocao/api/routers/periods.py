"""Periods: read a label or code, and tell its dates, neighbours and reporting window."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from baocao.core.periods import REGIMES, Period, PeriodError, Regime, regime_for

from ..params import DEFAULT_REGIME, PERIOD_EXAMPLES, PERIOD_MAX, RegimeCode, due_date, period_of, text_query
from ..schemas import ERRORS, PeriodOut, PeriodRef, RegimeOut

router = Router(tags=["Kỳ báo cáo / Periods"])


def period_ref(period: Period) -> PeriodRef:
    return PeriodRef(code=period.code, label=period.label)


def regime_out(regime: Regime) -> dict[str, object]:
    return {
        "code": regime.code,
        "name_vi": regime.name_vi,
        "name_en": regime.name_en,
        "kind": regime.kind,
        "legal_basis": regime.legal_basis,
    }


def _neighbour(period: Period, step: str) -> PeriodRef | None:
    # The years 1000 and 9999 have no neighbour on one side; the core says so with PeriodError.
    try:
        return period_ref(getattr(period, step)())
    except PeriodError:
        return None


@router.get(
    "/periods/parse", response={200: PeriodOut, **ERRORS}, summary="Đọc một kỳ báo cáo (mã hoặc nhãn)"
)
def parse(
    request: HttpRequest,
    text: str = text_query(
        ..., PERIOD_MAX, "'quý I/2020', '6 tháng đầu năm 2022', '2022Q1'", PERIOD_EXAMPLES[1]
    ),
    regime: RegimeCode = Query(DEFAULT_REGIME, description="Chế độ báo cáo"),  # type: ignore[valid-type]
) -> dict[str, object]:
    period = period_of(text, "text")
    chosen = regime_for(RegimeCode(regime).value)
    start, end = chosen.window(period)
    return {
        "code": period.code,
        "label": period.label,
        "label_en": period.label_en,
        "slug": period.slug,
        "type": period.type.value,
        "year": period.year,
        "index": period.index,
        "start": period.start,
        "end": period.end,
        "previous": _neighbour(period, "previous"),
        "next": _neighbour(period, "next"),
        "same_period_last_year": _neighbour(period, "same_period_last_year"),
        "regime": {
            **regime_out(chosen),
            "window_start": start,
            "window_end": end,
            "due_date": due_date(chosen.code, period, "text"),
        },
    }


@router.get("/periods/regimes", response={200: list[RegimeOut], **ERRORS}, summary="Các chế độ báo cáo")
def regimes(request: HttpRequest) -> list[dict[str, object]]:
    return [regime_out(r) for r in REGIMES.values()]
