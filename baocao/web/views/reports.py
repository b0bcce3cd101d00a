"""The reports page: pick a unit and a period, preview and download, set the issuing details
(number, date, signer, recipients), and render every province in the background."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baocao.access.access import Perm, can, require
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.jobs.services import enqueue
from baocao.orgunits.models import OrgUnit, UnitLevel
from baocao.reports.document import ISSUE_CATEGORIES
from baocao.reports.models import ReportSettings
from baocao.reports.pdf import soffice_path
from baocao.reports.services import save_report_settings
from baocao.reports.views import report_for

from .. import scope, wording
from ..forms import ReportSettingsForm
from .common import chosen_period, parsed_period

REPORT_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DEPARTMENT)


def _report_units(request: HttpRequest) -> list[OrgUnit]:
    return [u for u in scope.pickable_units(request.user, Perm.VIEW) if u.level in REPORT_LEVELS]


def _chosen(request: HttpRequest, units: list[OrgUnit]) -> tuple[OrgUnit | None, Period]:
    period = chosen_period(request)
    code = str(request.GET.get("don_vi") or request.POST.get("don_vi") or "")
    if code:
        return scope.unit_for(request.user, code, Perm.VIEW), period
    return _default_report_unit(units, period), period


def _default_report_unit(units: list[OrgUnit], period: Period) -> OrgUnit | None:
    """The unit a report is most likely wanted for: one that existed in the period and has figures
    for it (the latest entered first); else the one province (or unit) in scope; else None, and the page
    asks which one rather than failing on a unit that could not report then."""
    existing = [u for u in units if u.overlaps(period.start, period.end)]
    with_data = (
        DataValue.objects.filter(unit__in=existing, period=period.code, is_target=False)
        .order_by("-updated_at").values_list("unit_id", flat=True).first()
    )
    if with_data is not None:
        return next(u for u in existing if u.pk == with_data)
    provinces = [u for u in existing if u.level == UnitLevel.PROVINCE]
    if len(provinces) == 1:
        return provinces[0]  # a province's own people: their province
    return existing[0] if len(existing) == 1 else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Reports of a unit: preview and downloads, the issuing details, and rendering all in the background."""
    units = _report_units(request)
    unit, period = _chosen(request, units)
    context: dict[str, object] = {
        "units": units, "unit": unit, "period": period, "periods": scope.recent_periods(request.user),
        "provinces": [u for u in units if u.level == UnitLevel.PROVINCE and u.overlaps(period.start, period.end)],
        "pdf_available": soffice_path() is not None,  # PDF is converted by LibreOffice
    }  # fmt: skip
    if unit is None:
        return render(request, "web/reports.html", context)
    if unit not in units:
        context["units"] = [unit, *units]
    form: ReportSettingsForm | None = None
    if request.method == "POST":
        require(request.user, unit, Perm.ENTER)
        form = ReportSettingsForm(request.POST)
        if _save_settings(request, unit, period, form):
            return redirect(f"{reverse('web:reports')}?don_vi={unit.code}&ky={period.code}")
    report = report_for(request, unit.code, period.code)
    if isinstance(report, HttpResponse):
        context["problem"] = report.content.decode()
        return render(request, "web/reports.html", context)
    saved = ReportSettings.objects.filter(unit=unit, period=period.code).first()
    if form is None:
        form = ReportSettingsForm(initial=ReportSettingsForm.initial_from(
            report, saved.number if saved else "", saved.missing_figures if saved else ""
        ))
    issues: dict[str, list[str]] = {}
    for issue in report.issues:
        issues.setdefault(ISSUE_CATEGORIES.get(issue.category, issue.category), []).append(
            wording.in_words(f"{issue.message} ({issue.where})" if issue.where else issue.message)
        )
    context.update({
        "report": report, "form": form, "saved": saved, "issues": issues,
        "can_edit": can(request.user, unit, Perm.ENTER), "signing_problems": report.signing_problems,
    })  # fmt: skip
    return render(request, "web/reports.html", context)


def _save_settings(request: HttpRequest, unit: OrgUnit, period: Period, form: ReportSettingsForm) -> bool:
    if not form.is_valid():
        return False
    try:
        save_report_settings(
            request.user, unit, period, form.settings_input(), reason=str(form.cleaned_data.get("reason") or "")
        )
    except ValidationError as exc:
        # the service names the field of each error ("trường number: …"): show it on that field
        for message in exc.messages:
            field, _sep, text = message.partition(": ")
            name = field.removeprefix("trường ").strip()
            form.add_error(name if name in form.fields else None, text if name in form.fields else message)
        return False
    messages.success(request, _("Đã lưu thông tin ban hành của báo cáo %(period)s.") % {"period": period.label})
    return True


@login_required
@require_POST
def render_all(request: HttpRequest) -> HttpResponse:
    """Every province of the user's scope, for one period, in the background."""
    period = parsed_period(str(request.POST.get("ky", "")))
    if period is None:
        messages.error(request, _("Kỳ báo cáo không hợp lệ: %(text)s") % {"text": request.POST.get("ky", "")})
        return redirect("web:reports")
    fmt = "pdf" if request.POST.get("dinh_dang") == "pdf" else "docx"
    try:
        job = enqueue(request.user, "render_reports", {"period": period.code, "fmt": fmt})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('web:reports')}?ky={period.code}")
    messages.success(request, _("Đã đưa vào hàng đợi: viết báo cáo %(period)s (tác vụ #%(id)s).")
                     % {"period": period.label, "id": job.pk})  # fmt: skip
    return redirect("web:job", pk=job.pk)
