"""The task register: what a report sets for the next period, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from baocao.audit.services import record
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

from ._common import (
    Actor,
    RegisterError,
    field_or_none,
    period_or_none,
    require_writable,
    save_changes,
    user_or_none,
)
from .entries import check_text
from .models import Task, TaskStatus


@dataclass(frozen=True)
class TaskInput:
    content: str
    due_period: Period | str
    field: str | None = None
    owner: OrgUnit | None = None
    owner_name: str = ""
    set_in_period: Period | str | None = None
    status: str = TaskStatus.TODO
    note: str = ""
    order: int | None = None
    where: str = ""


def _clean_task(unit: OrgUnit, data: TaskInput) -> dict[str, Any]:
    where = f"{data.where}: " if data.where else ""
    errors: list[str] = []
    content = data.content.strip()
    if not content:
        errors.append(f"{where}trường content: nội dung nhiệm vụ trống")
    else:
        errors.extend(f"{where}trường content: {m}" for m in check_text(unit, content))
    if data.status not in TaskStatus.values:
        errors.append(f"{where}trường status: '{data.status}' không hợp lệ ({', '.join(TaskStatus.values)})")
    due = set_in = None
    field_obj = None
    try:
        due = period_or_none(data.due_period, "due_period")
        set_in = period_or_none(data.set_in_period, "set_in_period")
        field_obj = field_or_none(data.field)
    except RegisterError as exc:
        errors.extend(f"{where}{m}" for m in exc.messages)
    if due is None and not errors:
        errors.append(f"{where}trường due_period: cần kỳ phải thực hiện")
    if data.owner is not None and not unit.is_ancestor_of(data.owner):
        errors.append(f"{where}trường owner: {data.owner} không thuộc {unit}")
    if errors:
        raise RegisterError(errors)
    assert due is not None
    values: dict[str, Any] = {
        "content": content,
        "due_period": due.code,
        "set_in_period": set_in.code if set_in else "",
        "field": field_obj,
        "owner": data.owner,
        "owner_name": data.owner_name.strip(),
        "status": data.status,
        "note": data.note.strip(),
    }
    if data.order is not None:
        values["order"] = data.order
    return values


def _task_snapshot(task: Task) -> dict[str, Any]:
    return {
        "content": task.content,
        "due_period": task.due_period,
        "set_in_period": task.set_in_period,
        "field": task.field.code if task.field else None,
        "owner": task.owner.code if task.owner else None,
        "owner_name": task.owner_name,
        "status": task.status,
        "note": task.note,
        "order": task.order,
    }


def create_task(actor: Actor, unit: OrgUnit, data: TaskInput, *, reason: str = "") -> Task:
    values = _clean_task(unit, data)
    require_writable(actor, unit, values["due_period"])
    with transaction.atomic():
        if "order" not in values:
            last = Task.objects.filter(unit=unit, due_period=values["due_period"]).order_by("-order").first()
            values["order"] = (last.order + 1) if last else 1
        task = Task.objects.create(unit=unit, updated_by=user_or_none(actor), **values)
        record(
            actor,
            "task.create",
            "task",
            task.pk,
            unit=unit,
            period=task.due_period,
            summary=f"Nhiệm vụ: {task.content[:120]}",
            after=_task_snapshot(task),
            reason=reason,
        )
    return task


def update_task(actor: Actor, task: Task, data: TaskInput, *, reason: str = "") -> Task:
    values = _clean_task(task.unit, data)
    require_writable(actor, task.unit, task.due_period, values["due_period"])
    with transaction.atomic():
        change = save_changes(actor, task, values, _task_snapshot)
        if change is None:
            return task
        before, after = change
        record(
            actor,
            "task.update",
            "task",
            task.pk,
            unit=task.unit,
            period=task.due_period,
            summary=f"Nhiệm vụ: {task.content[:120]}",
            before=before,
            after=after,
            reason=reason,
        )
    return task


def set_task_status(
    actor: Actor, task: Task, status: str, *, note: str | None = None, reason: str = ""
) -> Task:
    """Record how a task ended (the next report shows it)."""
    data = TaskInput(
        content=task.content,
        due_period=task.due_period,
        field=task.field.code if task.field else None,
        owner=task.owner,
        owner_name=task.owner_name,
        set_in_period=task.set_in_period or None,
        status=status,
        note=task.note if note is None else note,
        order=task.order,
    )
    return update_task(actor, task, data, reason=reason)


def delete_task(actor: Actor, task: Task, *, reason: str) -> None:
    require_writable(actor, task.unit, task.due_period)
    if not reason.strip():
        raise RegisterError("trường reason: cần ghi lý do khi xóa nhiệm vụ")
    with transaction.atomic():
        record(
            actor,
            "task.delete",
            "task",
            task.pk,
            unit=task.unit,
            period=task.due_period,
            summary=f"Nhiệm vụ: {task.content[:120]}",
            before=_task_snapshot(task),
            reason=reason,
        )
        task.delete()
