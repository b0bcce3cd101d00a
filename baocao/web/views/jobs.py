"""Background jobs in the browser: start a big import or a batch extraction, follow progress,
read a failure, retry, cancel, download the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baocao import uploads
from baocao.access.access import AccessDenied, Perm
from baocao.jobs import services
from baocao.jobs.models import Job, JobState
from baocao.jobs.tasks import TASKS

from .. import labels, scope
from ..forms import BulkImportForm, ExtractArchiveForm

PAGE_SIZE = 50


def _job(request: HttpRequest, pk: int) -> Job:
    job = services.visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(f"Không có tác vụ #{pk} (hoặc không phải của bạn)")
    return job


def _why(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _enqueue(request: HttpRequest, form: forms.Form, kind: str, params: dict[str, Any]) -> Job | None:
    """The job, or None with the refusal written on the form."""
    try:
        return services.enqueue(request.user, kind, params)
    except (ValidationError, AccessDenied) as exc:
        form.add_error(None, _why(exc))
        return None


def _label(job: Job) -> str:
    return TASKS[job.kind].label if job.kind in TASKS else job.kind


def _page(
    request: HttpRequest, bulk: BulkImportForm | None = None, extract: ExtractArchiveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    services.reap_stale()
    page = Paginator(services.visible_jobs(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    import_units = scope.pickable_units(request.user, Perm.ENTER)
    return render(request, "web/jobs/list.html", {
        "jobs": [(job, services.status_of(job), _label(job)) for job in page],
        "page": page,
        # A viewer is not offered forms whose submission would be refused.
        "can_import": bool(import_units),
        "can_extract": bool(import_units) or scope.is_system_admin(request.user),
        "bulk_form": bulk or BulkImportForm(units=import_units),
        "extract_form": extract or ExtractArchiveForm(),
        "max_bytes": settings.BAOCAO_MAX_BULK_UPLOAD_BYTES,
    }, status=status)  # fmt: skip


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "web/jobs/detail.html", {
        "job": job, "status": services.job_status(job.pk), "label": _label(job),
        "params": labels.job_items(job.params),
        "result": labels.job_items(job.result),
        "raw": json.dumps({"params": job.params, "result": job.result}, ensure_ascii=False, indent=2),
        "show_traceback": scope.is_system_admin(request.user),
    })  # fmt: skip


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _job(request, pk)
    return JsonResponse(services.job_status(job.pk), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    if job.state != JobState.DONE or not job.result_file:
        raise Http404(f"Tác vụ #{pk} chưa có tệp kết quả")
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / job.result_file).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404(f"Tệp kết quả của tác vụ #{pk} không còn")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        again = services.retry(request.user, job)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _why(exc))
        return redirect("web:job", pk=job.pk)
    messages.success(request, _("Tác vụ #%(old)s chạy lại thành #%(new)s.") % {"old": job.pk, "new": again.pk})
    return redirect("web:job", pk=again.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.cancel(request.user, job)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _why(exc))
    else:
        messages.success(request, _("Đã yêu cầu hủy tác vụ #%(id)s.") % {"id": job.pk})
    return redirect("web:job", pk=job.pk)


@login_required
@require_POST
def start_import(request: HttpRequest) -> HttpResponse:
    """A file of figures too big for the entry form, imported all-or-nothing in the background."""
    units = scope.pickable_units(request.user, Perm.ENTER)
    form = BulkImportForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _page(request, bulk=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        kind = uploads.check_bulk(upload)
    except uploads.UploadRejected as exc:
        form.add_error("file", str(exc))
        return _page(request, bulk=form, status=400)
    path = uploads.keep_for_job(upload, kind)
    unit = form.cleaned_data.get("unit")
    params = {"path": str(path), "fmt": kind, "name": Path(upload.name or path.name).name,
              "reason": form.cleaned_data.get("reason") or "", "unit_id": unit.pk if unit else None}  # fmt: skip
    job = _enqueue(request, form, "bulk_import", params)
    if job is None:
        return _page(request, bulk=form, status=400)
    messages.success(request, _("Đã đưa tệp %(name)s vào hàng đợi (tác vụ #%(id)s).")
                     % {"name": params["name"], "id": job.pk})  # fmt: skip
    return redirect("web:job", pk=job.pk)


@login_required
@require_POST
def start_extract(request: HttpRequest) -> HttpResponse:
    """A ZIP of narrative reports read in the background; the result is a ZIP of JSON files."""
    form = ExtractArchiveForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, extract=form, status=400)
    try:
        folder = uploads.unpack_reports(form.cleaned_data["file"])
    except uploads.UploadRejected as exc:
        form.add_error("file", str(exc))
        return _page(request, extract=form, status=400)
    params = {"folder": str(folder), "unit": form.cleaned_data.get("unit") or None,
              "period": form.cleaned_data.get("period") or None}  # fmt: skip
    job = _enqueue(request, form, "extract_folder", params)
    if job is None:
        return _page(request, extract=form, status=400)
    messages.success(request, _("Đã đưa %(n)s báo cáo vào hàng đợi trích xuất (tác vụ #%(id)s).")
                     % {"n": sum(1 for _p in folder.iterdir()), "id": job.pk})  # fmt: skip
    return redirect("web:job", pk=job.pk)
