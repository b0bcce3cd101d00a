"""The sources pages (under /quan-tri/nguon-du-lieu/): list with last run, define or edit a
source (form or YAML file), test its mapping on a sample, run it now, its runs, and the review
of held figures. Every change goes through `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baocao.access.access import AccessDenied, Perm, visible_units
from baocao.orgunits.models import OrgUnit, UnitLevel

from . import services
from .models import Arrival, HeldState, Run, Source

SCHEDULES = [
    (0, "Không chạy theo lịch"), (60, "Mỗi giờ"), (360, "Mỗi 6 giờ"), (1440, "Mỗi ngày"),
    (10080, "Mỗi tuần"), (43200, "Mỗi 30 ngày"),
]  # fmt: skip
SAMPLE_SUFFIXES = (".csv", ".xlsx", ".json")
MAPPING_SUFFIXES = (".yaml", ".yml", ".json")


def _why(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", [str(exc)]))


def _unit_choices(user: Any) -> Any:
    """Units a person may give a source: the provinces, districts, departments and enterprises
    they administer (not the country's ten thousand communes)."""
    levels = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.DEPARTMENT, UnitLevel.ENTERPRISE)
    units = visible_units(user, Perm.ADMIN).filter(level__in=levels)
    if units.count() > 400:  # a national administrator: leave the districts out of the list
        units = units.exclude(level=UnitLevel.DISTRICT)
    return units.order_by("path")


class SourceForm(forms.Form):
    name = forms.CharField(label="Tên nguồn dữ liệu", max_length=120)
    description = forms.CharField(label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    units = forms.ModelMultipleChoiceField(label="Đơn vị mà nguồn báo số liệu", queryset=OrgUnit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 6}))  # fmt: skip
    arrival = forms.ChoiceField(label="Cách nhận dữ liệu", choices=Arrival.choices)
    url = forms.CharField(label="Địa chỉ URL (lấy bằng HTTP GET)", required=False, max_length=500)
    auth_header = forms.CharField(label="Tiêu đề xác thực (nếu cần)", required=False, max_length=80,
                                  help_text="Ví dụ: Authorization")  # fmt: skip
    auth_value = forms.CharField(label="Giá trị tiêu đề (bí mật)", required=False, max_length=500,
                                 widget=forms.PasswordInput(render_value=False),
                                 help_text="Để trống khi sửa: giữ giá trị đã lưu")  # fmt: skip
    folder = forms.CharField(label="Thư mục theo dõi", required=False, max_length=500)
    every_minutes = forms.TypedChoiceField(label="Lịch chạy", choices=SCHEDULES, coerce=int, initial=0)
    mapping = forms.CharField(label="Bảng ánh xạ (YAML)", required=False,
                              widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}))  # fmt: skip
    mapping_file = forms.FileField(label="… hoặc tải tệp bảng ánh xạ (.yaml)", required=False)
    sample = forms.FileField(label="Tệp mẫu để thử (CSV, XLSX, JSON)", required=False)
    is_active = forms.BooleanField(label="Đang hoạt động", required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _unit_choices(user)  # type: ignore[attr-defined]

    def clean_mapping_file(self) -> str:
        upload = self.cleaned_data.get("mapping_file")
        if not upload:
            return ""
        return _text_of(upload, MAPPING_SUFFIXES, "bảng ánh xạ")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("mapping_file") or data.get("mapping") or ""
        if not text.strip():
            self.add_error("mapping", "Cần bảng ánh xạ: gõ vào ô hoặc tải tệp .yaml")
        data["mapping"] = text
        return data


def _text_of(upload: UploadedFile, suffixes: tuple[str, ...], what: str) -> str:
    name = upload.name or "tep"
    if not name.lower().endswith(suffixes):
        raise ValidationError(f"{name}: {what} cần tệp {', '.join(suffixes)}")
    if (upload.size or 0) > 1024 * 1024:
        raise ValidationError(f"{name}: tệp {what} lớn quá 1 MB")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{name}: tệp {what} không phải văn bản UTF-8") from None


def _sample_bytes(upload: UploadedFile) -> bytes:
    name = upload.name or "tep"
    if not name.lower().endswith(SAMPLE_SUFFIXES):
        raise ValidationError(f"{name}: tệp mẫu cần là CSV, XLSX hoặc JSON")
    if (upload.size or 0) > int(settings.BAOCAO_MAX_UPLOAD_BYTES):
        raise ValidationError(f"{name}: tệp lớn quá giới hạn tải lên")
    return upload.read()


def _source(request: HttpRequest, slug: str) -> Source:
    source = get_object_or_404(Source.objects.prefetch_related("units"), slug=slug)
    if not services.can_manage(request.user, source):
        raise PermissionDenied(f"Bạn không quản trị các đơn vị của nguồn dữ liệu «{source.name}»")
    return source


def _require_some_admin(request: HttpRequest) -> None:
    if not visible_units(request.user, Perm.ADMIN).exists():
        raise PermissionDenied("Trang nguồn dữ liệu dành cho quản trị viên của đơn vị")


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    _require_some_admin(request)
    sources = services.managed_sources(request.user)
    last = services.last_runs(sources)
    pending = services.pending_counts(sources)
    rows = [(s, last.get(s.pk), pending.get(s.pk, 0)) for s in sources]
    held = services.reviewable(request.user).filter(state=HeldState.PENDING).count()
    return render(request, "sources/list.html", {"rows": rows, "held_count": held})


def _preview_of(form: SourceForm, units: list[OrgUnit]) -> services.Preview | None:
    upload = form.cleaned_data.get("sample")
    if not upload:
        form.add_error("sample", "Chọn một tệp mẫu để thử bảng ánh xạ")
        return None
    try:
        data = _sample_bytes(upload)
    except ValidationError as exc:
        form.add_error("sample", _why(exc))
        return None
    return services.interpret(units, form.cleaned_data["mapping"], data, upload.name or "")


def _save(request: HttpRequest, form: SourceForm, source: Source | None) -> Source | None:
    data = dict(form.cleaned_data)
    fields = {k: data[k] for k in ("name", "description", "arrival", "url", "auth_header", "auth_value", "folder",
                                   "mapping", "every_minutes")}  # fmt: skip
    try:
        if source is None:
            return services.create_source(request.user, units=list(data["units"]), **fields)
        return services.update_source(request.user, source, units=list(data["units"]),
                                      is_active=data["is_active"], **fields)  # fmt: skip
    except (ValidationError, AccessDenied) as exc:
        error_dict = getattr(exc, "error_dict", None)
        if error_dict:
            for key, errors in error_dict.items():
                form.add_error(key if key in form.fields else None, [e.message % (e.params or {}) for e in errors])  # type: ignore[union-attr]
        else:
            form.add_error(None, _why(exc))
        return None


def _edit(request: HttpRequest, source: Source | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if source is not None:
        initial = {k: getattr(source, k) for k in ("name", "description", "arrival", "url", "auth_header", "folder",
                                                    "every_minutes", "mapping", "is_active")}  # fmt: skip
        initial["units"] = list(source.units.all())
    form = SourceForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "test" in request.POST:
            preview = _preview_of(form, list(form.cleaned_data["units"]))
        else:
            saved = _save(request, form, source)
            if saved is not None:
                messages.success(request, f"Đã lưu nguồn dữ liệu «{saved.name}».")
                return redirect("sources:detail", slug=saved.slug)
    return render(request, "sources/edit.html", {"form": form, "source": source, "preview": preview})


@login_required
def source_create(request: HttpRequest) -> HttpResponse:
    _require_some_admin(request)
    return _edit(request, None)


@login_required
def source_edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _edit(request, _source(request, slug))


class SampleForm(forms.Form):
    sample = forms.FileField(label="Tệp dữ liệu (CSV, XLSX, JSON)")


@login_required
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = _source(request, slug)
    form = SampleForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            data = _sample_bytes(form.cleaned_data["sample"])
        except ValidationError as exc:
            form.add_error("sample", _why(exc))
        else:
            name = form.cleaned_data["sample"].name or ""
            if "load" in request.POST:
                run = services.run_upload(request.user, source, data, name)
                return redirect("sources:run", pk=run.pk)
            preview = services.interpret(list(source.units.all()), source.mapping, data, name)
    runs = list(source.runs.select_related("started_by")[:30])
    pending = source.held_figures.filter(state=HeldState.PENDING).count()
    return render(request, "sources/detail.html", {
        "source": source, "form": form, "preview": preview, "runs": runs, "pending": pending,
    })  # fmt: skip


@login_required
@require_POST
def source_run_now(request: HttpRequest, slug: str) -> HttpResponse:
    source = _source(request, slug)
    try:
        job = services.run_now(request.user, source)
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _why(exc))
        return redirect("sources:detail", slug=source.slug)
    job.refresh_from_db()
    run = Run.objects.filter(source=source, job_id=job.pk).first()
    if run is not None and run.finished_at is not None:
        return redirect("sources:run", pk=run.pk)
    messages.success(request, f"Đã đưa lần chạy nguồn «{source.name}» vào hàng đợi (tác vụ #{job.pk}).")
    return redirect("sources:detail", slug=source.slug)


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(Run.objects.select_related("source", "started_by"), pk=pk)
    if not services.can_manage(request.user, run.source):
        raise Http404(f"Không có lần chạy #{pk}")
    held = list(run.held_figures.select_related("unit", "indicator", "decided_by"))
    return render(request, "sources/run.html", {"run": run, "source": run.source, "held": held})


@login_required
def held_list(request: HttpRequest) -> HttpResponse:
    pending = list(services.reviewable(request.user).filter(state=HeldState.PENDING)[:300])
    decided = list(services.reviewable(request.user).exclude(state=HeldState.PENDING)
                   .select_related("decided_by").order_by("-decided_at")[:30])  # fmt: skip
    return render(request, "sources/held.html", {"pending": pending, "decided": decided})


@login_required
@require_POST
def held_decide(request: HttpRequest, pk: int) -> HttpResponse:
    held = services.reviewable(request.user).filter(pk=pk).first()
    if held is None:
        raise Http404(f"Không có số liệu chờ duyệt #{pk}")
    reason = str(request.POST.get("reason", "")).strip()[:2000]
    try:
        if request.POST.get("action") == "accept":
            services.accept_held(request.user, held, reason=reason)
            messages.success(request, f"Đã lưu số liệu {held.label or held.code} từ nguồn «{held.source.name}».")
        else:
            services.reject_held(request.user, held, reason=reason)
            messages.success(request, f"Đã bỏ số liệu {held.label or held.code} từ nguồn «{held.source.name}».")
    except (ValidationError, AccessDenied) as exc:
        messages.error(request, _why(exc))
    return redirect("sources:held")

