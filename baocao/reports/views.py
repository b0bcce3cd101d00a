"""HTML preview of a report and its DOCX/PDF download (login required, Perm.VIEW on the unit)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from baocao.access.access import Perm, require
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.orgunits.models import OrgUnit

from .builder import ReportBuildError, ReportOptions, SigningBlocked, build_report
from .config import ConfigError
from .document import Report
from .pdf import PdfError
from .services import FORMATS, report_bytes, report_filename
from .units import ReportUnitError

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def report_for(
    request: HttpRequest, unit_code: str, period_text: str, *, signing: bool | None = None
) -> Report | HttpResponse:
    unit = get_object_or_404(OrgUnit, code=unit_code)
    try:
        period: Period = parse_period(period_text)
    except PeriodError:
        raise Http404(f"Kỳ báo cáo không hợp lệ: {period_text}") from None
    require(request.user, unit, Perm.VIEW)
    # "?ban=ky": the version to sign, without the review appendix and without placeholders.
    final = request.GET.get("ban") == "ky" if signing is None else signing
    try:
        return build_report(unit, period, ReportOptions(final=final))
    except SigningBlocked as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    except (ReportUnitError, ReportBuildError, ConfigError) as exc:
        return HttpResponse(
            f"Không lập được báo cáo: {exc}", status=422, content_type="text/plain; charset=utf-8"
        )


@require_GET
@login_required
def preview(request: HttpRequest, unit_code: str, period: str) -> HttpResponse:
    report = report_for(request, unit_code, period)
    if isinstance(report, HttpResponse):
        return report
    return render(
        request,
        "reports/preview.html",
        {"report": report, "unit_code": unit_code, "period_code": report.period.code},
    )


@require_GET
@login_required
def download(request: HttpRequest, unit_code: str, period: str, fmt: str) -> HttpResponse:
    return _download(request, unit_code, period, fmt, signing=request.GET.get("ban") == "ky")


@require_GET
@login_required
def download_signing(request: HttpRequest, unit_code: str, period: str, fmt: str) -> HttpResponse:
    """The version to sign ("Bản để ký"): its own address and file name."""
    return _download(request, unit_code, period, fmt, signing=True)


def _download(request: HttpRequest, unit_code: str, period: str, fmt: str, *, signing: bool) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(f"Định dạng không hỗ trợ: {fmt}")
    report = report_for(request, unit_code, period, signing=signing)
    if isinstance(report, HttpResponse):
        return report
    try:
        content = report_bytes(report, fmt)
    except PdfError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, fmt, signing=signing)}"'
    return response
