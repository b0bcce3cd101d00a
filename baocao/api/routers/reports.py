"""Reports rendered on request: the DOCX (or PDF) a department would sign, built from the
figures, registers and narrative of the unit and period."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from baocao.access.access import Perm
from baocao.reports.config import ConfigError
from baocao.reports.services import (
    PdfError,
    ReportBuildError,
    ReportOptions,
    build_report,
    report_bytes,
    report_filename,
)
from baocao.reports.units import ReportUnitError

from ..auth import actor
from ..errors import ApiError
from ..params import PeriodField, UnitField, due_date, period_of, unit_of
from ..schemas import ERRORS, Error

router = Router(tags=["Báo cáo / Reports"])

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class ReportIn(Schema):
    unit: UnitField
    period: PeriodField
    format: Literal["docx", "pdf"] = "docx"
    final: bool = Field(False, description="Bản để ký: không kèm phụ lục rà soát số liệu")
    number: str | None = Field(None, pattern=r"^[0-9]{1,20}$", description="Số báo cáo (chỉ chữ số)")
    issued_on: datetime.date | None = Field(
        None, description="Ngày ký (YYYY-MM-DD); mặc định hạn báo cáo của kỳ"
    )


FILE_RESPONSE = {
    "description": "Tệp báo cáo",
    "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()},
}


@router.post(
    "/reports/render",
    response={**ERRORS, 503: Error},
    summary="Viết báo cáo của một đơn vị, một kỳ (DOCX hoặc PDF)",
    openapi_extra={"responses": {"200": FILE_RESPONSE}},
)
def render(request: HttpRequest, payload: ReportIn) -> HttpResponse:
    """Needs only the right to view the unit: the report says what the data says. A PDF is
    converted from the DOCX with LibreOffice (503 when it is not installed)."""
    user = actor(request)
    period = period_of(payload.period)
    unit = unit_of(user, payload.unit, perm=Perm.VIEW, on=period.end)
    due_date("hanh_chinh", period)  # the report's default date; a period without one is a 422
    options = ReportOptions(issued_on=payload.issued_on, number=payload.number, final=payload.final)
    try:
        report = build_report(unit, period, options)
        content = report_bytes(report, payload.format)
    except (ReportBuildError, ReportUnitError) as exc:
        # The unit does not report (a country, a unit without a department) or cannot for
        # this period: the request's choice.
        raise ApiError(422, "report_error", str(exc), field="unit") from None
    except ConfigError as exc:
        # No template applies to this period (or a template is broken; the message says which).
        raise ApiError(422, "report_error", str(exc), field="period") from None
    except PdfError as exc:
        raise ApiError(503, "pdf_unavailable", str(exc), field="format") from None
    response = HttpResponse(content, content_type=MEDIA_TYPES[payload.format])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, payload.format)}"'
    return response
