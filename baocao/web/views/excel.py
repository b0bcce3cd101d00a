"""The Excel round trip of the entry form: download a template, upload it filled in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baocao import uploads
from baocao.access.access import AccessDenied, Perm
from baocao.catalog.models import Field
from baocao.datavalues.bulk import MAX_ERRORS
from baocao.datavalues.entry_template import build_template, import_upload
from baocao.datavalues.importing import ImportFileError
from baocao.datavalues.models import Source
from baocao.datavalues.services import ValueError_, ValueInput, save_values

from .. import labels, scope, wording
from ..forms import UploadForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fields(field: str | None) -> list[Field]:
    if field:
        return [get_object_or_404(Field, code=field)]
    return list(Field.objects.filter(indicators__is_active=True).distinct().order_by("order"))


@login_required
def download(request: HttpRequest, unit: str, period: str, field: str | None = None) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    content = build_template(request.user, unit_obj, period_obj, _fields(field))
    name = f"bieu-nhap-{unit_obj.code}-{period_obj.slug}{'-' + field if field else ''}.xlsx"
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest, unit: str, period: str, field: str | None = None) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.ENTER)
    period_obj = scope.period_from(period)
    back = (
        redirect("web:entry-section", unit=unit_obj.code, period=period_obj.code, field=field)
        if field
        else redirect("web:entry-overview", unit=unit_obj.code, period=period_obj.code)
    )
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    status = 400
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("file", [])] or [_("Chưa chọn tệp")]
    elif (form.cleaned_data["file"].size or 0) > settings.BAOCAO_INLINE_IMPORT_BYTES:
        return _as_job(request, form.cleaned_data["file"], unit_obj) or back
    else:
        upload_file = form.cleaned_data["file"]
        try:
            kind = uploads.check(upload_file)
            with uploads.saved_copy(upload_file, kind) as path:
                result = import_upload(
                    request.user, path, unit=unit_obj, period=period_obj,
                    reason=str(request.POST.get("reason", "")).strip(),
                )
        except uploads.UploadRejected as exc:
            errors = [str(exc)]
        except ImportFileError as exc:
            errors = list(exc.messages) + _later_checks(request.user, getattr(exc, "parsed", None) or [])
        except AccessDenied as exc:
            # Locked or submitted data: say so on the same page as any other refusal.
            errors, status = [str(exc)], 403
        else:
            saved = result.saved
            messages.success(
                request,
                _("Đã nhập tệp: %(created)s giá trị mới, %(updated)s cập nhật, %(unchanged)s không đổi.")
                % {"created": saved.created, "updated": saved.updated, "unchanged": saved.unchanged},
            )
            if result.findings:
                messages.warning(
                    request, _("Có %(n)s lỗi kiểm tra số liệu; xem bên dưới.") % {"n": len(result.findings)}
                )
            return back
    errors = [in_vietnamese(e) for e in dict.fromkeys(errors)]
    context = {"unit": unit_obj, "period": period_obj, "errors": errors[:MAX_ERRORS], "error_count": len(errors),
               "hidden_errors": max(0, len(errors) - MAX_ERRORS), "back_url": back.url, "field": field}  # fmt: skip
    return render(request, "web/entry/upload_errors.html", context, status=status)


class _DryRun(Exception):
    """Raised inside a savepoint to undo a trial save."""


def _later_checks(user: object, parsed: list[ValueInput]) -> list[str]:
    """The checks a file's readable rows would meet when stored (decimals, size, repeats, a
    locked period), run on a savepoint that is always undone: every kind of error in one pass."""
    if not parsed:
        return []
    try:
        with transaction.atomic():
            save_values(user, parsed, source=Source.IMPORT, reason="kiểm tra thử")  # type: ignore[arg-type]
            raise _DryRun
    except _DryRun:
        return []
    except ValueError_ as exc:
        return list(exc.messages)
    except AccessDenied as exc:
        return [str(exc)]


_FIELD_WORD = re.compile(r"(?:trường|cột) ([a-z_]+)\b")
# The number reader's English aside, after the Vietnamese sentence that already says it.
_ENGLISH_ASIDE = re.compile(r"\s*\((?:not a|expected|invalid)[^)]*\)")


def in_vietnamese(message: str) -> str:
    """A service's message as a clerk reads it: field keys by name, indicator codes by name."""
    message = _ENGLISH_ASIDE.sub("", message)
    return wording.in_words(_FIELD_WORD.sub(lambda m: "cột " + labels.field(m.group(1)), message))


def _as_job(request: HttpRequest, upload_file: Any, unit_obj: Any) -> HttpResponse | None:
    """A file too big to read within a request goes to the background import (all or nothing,
    the unit of the page for rows without one); the person follows it on the job's page."""
    from baocao.jobs.services import enqueue

    try:
        kind = uploads.check_bulk(upload_file)
        path = uploads.keep_for_job(upload_file, kind)
        name = Path(upload_file.name or path.name).name
        job = enqueue(request.user, "bulk_import", {
            "path": str(path), "fmt": kind, "name": name, "unit_id": unit_obj.pk,
            "reason": str(request.POST.get("reason", "")).strip(),
        })  # fmt: skip
    except (uploads.UploadRejected, ValidationError, AccessDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return None
    messages.info(request, _("Tệp %(name)s lớn: đã chuyển thành tác vụ nền #%(id)s; theo dõi tiến độ ở trang tác vụ.")
                  % {"name": name, "id": job.pk})  # fmt: skip
    return redirect("web:job", pk=job.pk)

