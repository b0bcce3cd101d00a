"""Registers of a reporting unit: documents (sổ văn bản) and tasks (nhiệm vụ).

Reads are scoped to the caller's units; writes go through baocao.registers.services, which
check the data-entry role, validate, audit and re-count the vb.* indicators.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest
from ninja import Router

from baocao.access.access import Perm
from baocao.core.periods import Period, PeriodType
from baocao.registers import services
from baocao.registers.models import Document, Origin, Task, TaskStatus

from ..auth import actor
from ..params import (
    FIELD_MAX,
    PERIOD_EXAMPLES,
    PERIOD_MAX,
    SEARCH_MAX,
    IdParam,
    LimitParam,
    OffsetParam,
    OptionalUnitParam,
    ReasonParam,
    SubtreeParam,
    locate_unit,
    period_of,
    scoped,
    text_query,
    unit_of,
    visible_row,
)
from ..present import page
from ..schemas import (
    ERRORS,
    Deleted,
    DocumentIn,
    DocumentNew,
    DocumentOut,
    DocumentPage,
    TaskIn,
    TaskNew,
    TaskOut,
    TaskPage,
    TaskStatusIn,
)

router = Router(tags=["Sổ văn bản, nhiệm vụ / Documents and tasks"])


def contained_codes(period: Period) -> list[str]:
    """Codes of every period inside `period` (itself included): a year holds its halves,
    quarters and months, so asking for 2022 finds a document counted in 2022Q1."""
    codes = []
    for kind in (PeriodType.YEAR, PeriodType.HALF, PeriodType.QUARTER, PeriodType.MONTH):
        if kind.months <= period.type.months:
            codes.extend(p.code for p in period.subperiods(kind))
    return codes


def _label(code: str) -> str:
    try:
        return Period.from_code(code).label
    except ValueError:
        return code


def _who(user: Any) -> str | None:
    return user.get_username() if user is not None else None


# -- documents ------------------------------------------------------------------------------------
def document_out(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "unit": doc.unit.code,
        "unit_name": doc.unit.name,
        "kind": doc.kind,
        "number": doc.number,
        "issued_on": doc.issued_on,
        "year": doc.year,
        "issuer": doc.issuer,
        "issuing_body": doc.issuing_body,
        "summary": doc.summary,
        "field": doc.field.code if doc.field else None,
        "origin": doc.origin,
        "period": doc.period,
        "period_label": _label(doc.period),
        "note": doc.note,
        "updated_at": doc.updated_at,
        "updated_by": _who(doc.updated_by),
    }


def _document_input(data: DocumentIn) -> services.DocumentInput:
    return services.DocumentInput(
        number=data.number,
        kind=data.kind or None,
        issued_on=data.issued_on,
        issuing_body=data.issuing_body,
        summary=data.summary,
        field=data.field or None,
        origin=data.origin.value,
        period=data.period or None,
        note=data.note,
    )


def _document(user: AbstractBaseUser, document_id: int) -> Document:
    return visible_row(
        user,
        Document.objects.select_related("unit", "field", "updated_by"),
        document_id,
        f"Không có văn bản số {document_id} trong sổ",
        "document_id",
    )


@router.get(
    "/documents", response={200: DocumentPage, **ERRORS}, summary="Sổ văn bản (trong phạm vi được xem)"
)
def list_documents(
    request: HttpRequest,
    *,
    unit: OptionalUnitParam,
    subtree: SubtreeParam,
    period: str | None = text_query(None, PERIOD_MAX, "Kỳ (gồm các kỳ con)", "2022"),
    field: str | None = text_query(None, FIELD_MAX, example="vb"),
    origin: Origin | None = None,
    search: str | None = text_query(None, SEARCH_MAX, "Số ký hiệu, trích yếu"),
    limit: LimitParam,
    offset: OffsetParam,
) -> dict[str, Any]:
    qs = scoped(actor(request), Document.objects.all(), unit, subtree)
    if period is not None:
        qs = qs.filter(period__in=contained_codes(period_of(period)))
    if field is not None:
        qs = qs.filter(field__code=field)
    if origin is not None:
        qs = qs.filter(origin=origin)
    if search is not None:
        qs = qs.filter(Q(number__icontains=search) | Q(summary__icontains=search) | Q(kind__icontains=search))
    qs = qs.select_related("unit", "field", "updated_by").order_by("unit__path", "issued_on", "number", "id")
    return page(qs, limit, offset, lambda rows: [document_out(d) for d in rows])


@router.get("/documents/{int:document_id}", response={200: DocumentOut, **ERRORS}, summary="Một văn bản")
def get_document(request: HttpRequest, document_id: IdParam) -> dict[str, Any]:
    return document_out(_document(actor(request), document_id))


@router.post("/documents", response={200: DocumentOut, **ERRORS}, summary="Thêm văn bản vào sổ")
def create_document(request: HttpRequest, payload: DocumentNew) -> dict[str, Any]:
    user = actor(request)
    found = unit_of(user, payload.unit, perm=Perm.ENTER)
    doc = services.create_document(user, found, _document_input(payload), reason=payload.reason)
    return document_out(_document(user, doc.pk))


@router.put(
    "/documents/{int:document_id}", response={200: DocumentOut, **ERRORS}, summary="Sửa văn bản (ghi đè)"
)
def update_document(request: HttpRequest, payload: DocumentIn, document_id: IdParam) -> dict[str, Any]:
    user = actor(request)
    doc = services.update_document(
        user, _document(user, document_id), _document_input(payload), reason=payload.reason
    )
    return document_out(_document(user, doc.pk))


@router.delete(
    "/documents/{int:document_id}", response={200: Deleted, **ERRORS}, summary="Xóa văn bản (cần lý do)"
)
def delete_document(request: HttpRequest, document_id: IdParam, reason: ReasonParam) -> dict[str, Any]:
    user = actor(request)
    services.delete_document(user, _document(user, document_id), reason=reason)
    return {"id": document_id, "deleted": True}


# -- tasks ----------------------------------------------------------------------------------------
def task_out(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "unit": task.unit.code,
        "unit_name": task.unit.name,
        "field": task.field.code if task.field else None,
        "content": task.content,
        "owner": task.owner.code if task.owner else None,
        "owner_name": task.owner_name or (task.owner.name if task.owner else ""),
        "set_in_period": task.set_in_period or None,
        "due_period": task.due_period,
        "due_period_label": _label(task.due_period),
        "status": task.status,
        "status_label": TaskStatus(task.status).label if task.status in TaskStatus.values else task.status,
        "note": task.note,
        "order": task.order,
        "updated_at": task.updated_at,
        "updated_by": _who(task.updated_by),
    }


def _task(user: AbstractBaseUser, task_id: int) -> Task:
    return visible_row(
        user,
        Task.objects.select_related("unit", "field", "owner", "updated_by"),
        task_id,
        f"Không có nhiệm vụ số {task_id}",
        "task_id",
    )


def _task_input(user: AbstractBaseUser, data: TaskIn, day: datetime.date | None) -> services.TaskInput:
    owner = locate_unit(user, data.owner, on=day, field="owner") if data.owner else None
    return services.TaskInput(
        content=data.content,
        due_period=data.due_period,
        field=data.field or None,
        owner=owner,
        owner_name=data.owner_name,
        set_in_period=data.set_in_period or None,
        status=data.status.value,
        note=data.note,
        order=data.order,
    )


@router.get("/tasks", response={200: TaskPage, **ERRORS}, summary="Nhiệm vụ (trong phạm vi được xem)")
def list_tasks(
    request: HttpRequest,
    *,
    unit: OptionalUnitParam,
    subtree: SubtreeParam,
    due_period: str | None = text_query(
        None, PERIOD_MAX, "Kỳ phải thực hiện (gồm các kỳ con)", PERIOD_EXAMPLES[0]
    ),
    status: TaskStatus | None = None,
    field: str | None = text_query(None, FIELD_MAX, example="cntt"),
    limit: LimitParam,
    offset: OffsetParam,
) -> dict[str, Any]:
    qs = scoped(actor(request), Task.objects.all(), unit, subtree)
    if due_period is not None:
        qs = qs.filter(due_period__in=contained_codes(period_of(due_period, "due_period")))
    if status is not None:
        qs = qs.filter(status=status)
    if field is not None:
        qs = qs.filter(field__code=field)
    qs = qs.select_related("unit", "field", "owner", "updated_by").order_by(
        "unit__path", "due_period", "order", "id"
    )
    return page(qs, limit, offset, lambda rows: [task_out(t) for t in rows])


@router.get("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="Một nhiệm vụ")
def get_task(request: HttpRequest, task_id: IdParam) -> dict[str, Any]:
    return task_out(_task(actor(request), task_id))


@router.post("/tasks", response={200: TaskOut, **ERRORS}, summary="Thêm nhiệm vụ")
def create_task(request: HttpRequest, payload: TaskNew) -> dict[str, Any]:
    user = actor(request)
    found = unit_of(user, payload.unit, perm=Perm.ENTER)
    task = services.create_task(user, found, _task_input(user, payload, None), reason=payload.reason)
    return task_out(_task(user, task.pk))


@router.put("/tasks/{int:task_id}", response={200: TaskOut, **ERRORS}, summary="Sửa nhiệm vụ (ghi đè)")
def update_task(request: HttpRequest, payload: TaskIn, task_id: IdParam) -> dict[str, Any]:
    user = actor(request)
    task = services.update_task(
        user, _task(user, task_id), _task_input(user, payload, None), reason=payload.reason
    )
    return task_out(_task(user, task.pk))


@router.post("/tasks/{int:task_id}/status", response={200: TaskOut, **ERRORS}, summary="Ghi kết quả nhiệm vụ")
def set_task_status(request: HttpRequest, payload: TaskStatusIn, task_id: IdParam) -> dict[str, Any]:
    user = actor(request)
    task = services.set_task_status(
        user, _task(user, task_id), payload.status.value, note=payload.note, reason=payload.reason
    )
    return task_out(_task(user, task.pk))


@router.delete("/tasks/{int:task_id}", response={200: Deleted, **ERRORS}, summary="Xóa nhiệm vụ (cần lý do)")
def delete_task(request: HttpRequest, task_id: IdParam, reason: ReasonParam) -> dict[str, Any]:
    user = actor(request)
    services.delete_task(user, _task(user, task_id), reason=reason)
    return {"id": task_id, "deleted": True}
