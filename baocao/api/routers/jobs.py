"""Background jobs through the API: a big file of figures imported as a job (streamed, checked
in sets, all-or-nothing), and the progress, failure record and retry of one's jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from baocao import uploads
from baocao.access.access import Perm
from baocao.jobs import services
from baocao.jobs.models import Job

from ..auth import actor
from ..errors import invalid, not_found
from ..params import NO_NUL, REASON_MAX, UNIT_MAX, IdParam, LimitParam, OffsetParam, unit_of
from ..present import page
from ..schemas import ERRORS, Page

router = Router(tags=["Tác vụ nền / Background jobs"])

UnitForm = Annotated[
    str | None,
    Form(None, min_length=1, max_length=UNIT_MAX, pattern=NO_NUL, description="Đơn vị cho các dòng không ghi đơn vị"),
]
ReasonForm = Annotated[
    str, Form("", max_length=REASON_MAX, pattern=NO_NUL, description="Lý do (ghi nhật ký khi sửa số đã có)")
]


class ProgressOut(Schema):
    current: int
    total: int | None
    percent: int | None


class JobOut(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    progress: ProgressOut
    message: str
    error: str
    result: dict[str, Any] | None
    result_file: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    can_retry: bool
    retry_of: int | None
    finished: bool


class JobPage(Page):
    items: list[JobOut]


def _job(request: HttpRequest, job_id: int) -> Job:
    """One of the caller's jobs (an administrator's: any); another person's does not exist for them."""
    job = services.visible_jobs(actor(request)).filter(pk=job_id).first()
    if job is None:
        raise not_found(f"Không có tác vụ số {job_id}", "job_id")
    return job


@router.post(
    "/values/import",
    response={200: JobOut, **ERRORS},
    summary="Nhập tệp số liệu lớn (CSV, XLSX, JSON) thành tác vụ nền",
)
def import_values(
    request: HttpRequest,
    file: File[UploadedFile],
    unit: UnitForm = None,
    reason: ReasonForm = "",
) -> dict[str, Any]:
    """The file is checked by its head (type, size) and kept; the import then runs as a job:
    the whole file or nothing, each wrong row named with its line and field in the job's error.
    Follow it with `GET /jobs/{id}`. Needs the data-entry role on every unit the file writes."""
    user = actor(request)
    try:
        kind = uploads.check_bulk(file)
    except uploads.UploadRejected as exc:
        raise invalid(str(exc), "file") from None
    default_unit = unit_of(user, unit, perm=Perm.ENTER) if unit else None
    path = uploads.keep_for_job(file, kind)
    params = {"path": str(path), "fmt": kind, "name": Path(file.name or path.name).name, "reason": reason,
              "unit_id": default_unit.pk if default_unit else None, "source": "api"}  # fmt: skip
    job = services.enqueue(user, "bulk_import", params)
    return services.job_status(job.pk)


@router.get("/jobs", response={200: JobPage, **ERRORS}, summary="Tác vụ nền của mình (quản trị: mọi tác vụ)")
def list_jobs(request: HttpRequest, limit: LimitParam, offset: OffsetParam) -> dict[str, Any]:
    qs = services.visible_jobs(actor(request)).order_by("-created_at", "-id")
    return page(qs, limit, offset, lambda rows: [services.status_of(j) for j in rows])


@router.get("/jobs/{int:job_id}", response={200: JobOut, **ERRORS}, summary="Tiến độ và kết quả của một tác vụ")
def get_job(request: HttpRequest, job_id: IdParam) -> dict[str, Any]:
    return services.status_of(_job(request, job_id))


@router.post("/jobs/{int:job_id}/retry", response={200: JobOut, **ERRORS}, summary="Chạy lại tác vụ lỗi hoặc đã hủy")
def retry_job(request: HttpRequest, job_id: IdParam) -> dict[str, Any]:
    """A new job with the same parameters, pointing back to this one (`retry_of`)."""
    return services.status_of(services.retry(actor(request), _job(request, job_id)))


@router.post("/jobs/{int:job_id}/cancel", response={200: JobOut, **ERRORS}, summary="Hủy tác vụ đang chờ hoặc đang chạy")
def cancel_job(request: HttpRequest, job_id: IdParam) -> dict[str, Any]:
    return services.status_of(services.cancel(actor(request), _job(request, job_id)))
