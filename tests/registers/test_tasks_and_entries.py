"""Tasks of the next period and narrative entries: validated, audited, replaced as a whole."""

from __future__ import annotations

import pytest

from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.registers.models import NarrativeEntry, Origin, Task, TaskStatus
from baocao.registers.services import (
    EntryInput,
    RegisterError,
    TaskInput,
    check_text,
    create_document,
    create_entry,
    create_task,
    delete_task,
    input_from_reference,
    replace_entries,
    set_task_status,
    update_entry,
)

pytestmark = pytest.mark.django_db
Q1 = Period.from_code("2020Q1")


def test_a_task_records_how_it_ended(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    task = create_task(
        system_actor,
        travinh,
        TaskInput(
            "Tổ chức Ngày Sách Việt Nam lần thứ 7", due_period="quý II/2020", field="xb", set_in_period=Q1
        ),
    )
    assert (task.due_period, task.set_in_period, task.status, task.order) == (
        "2020Q2",
        "2020Q1",
        TaskStatus.TODO,
        1,
    )
    set_task_status(
        system_actor, task, TaskStatus.CARRIED, note="Hoãn do dịch Covid-19", reason="kết quả quý II"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CARRIED and task.note == "Hoãn do dịch Covid-19"
    actions = list(AuditEvent.objects.filter(entity="task").order_by("id").values_list("action", flat=True))
    assert actions == ["task.create", "task.update"]
    with pytest.raises(RegisterError, match="lý do"):
        delete_task(system_actor, task, reason=" ")
    delete_task(system_actor, task, reason="trùng")
    assert not Task.objects.exists()


def test_a_task_is_checked_before_it_is_stored(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterError) as info:
        create_task(system_actor, travinh, TaskInput(" ", due_period="quý 5/2020", status="xong"))
    messages = " | ".join(info.value.messages)
    assert "trường content" in messages and "trường status" in messages and "trường due_period" in messages


def test_entries_refuse_unknown_codes_sections_and_documents(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RegisterError) as info:
        create_entry(
            system_actor,
            travinh,
            Q1,
            EntryInput(
                "khong_co", "- Có {cntt.qlvb.vb_den_nham} văn bản theo [16/KH-UBND].\n- {cntt.cts.tong|xx}"
            ),
        )
    messages = " | ".join(info.value.messages)
    assert "mục 'khong_co' không có trong mẫu báo cáo" in messages
    assert "dòng 2, cột 3: tùy chọn 'xx' không có" in messages
    assert not NarrativeEntry.objects.exists()

    with pytest.raises(RegisterError) as info:
        create_entry(
            system_actor,
            travinh,
            Q1,
            EntryInput("cntt", "- Có {cntt.qlvb.vb_den_nham} văn bản theo [16/KH-UBND]."),
        )
    messages = " | ".join(info.value.messages)
    assert "dòng 1, cột 6: mã chỉ tiêu 'cntt.qlvb.vb_den_nham' không có trong danh mục" in messages
    assert "văn bản 16/KH-UBND chưa có trong sổ văn bản" in messages


def test_an_entry_cites_registered_documents(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    create_document(
        system_actor,
        travinh,
        input_from_reference("Kế hoạch số 16/KH-UBND ngày 24/02/2020", origin=Origin.DRAFTED),
    )
    entry = create_entry(
        system_actor,
        travinh,
        Q1,
        EntryInput("vb", "- Ban hành [16/KH-UBND]; {vb.thammuu_ubnd.tong} văn bản."),
    )
    assert entry.order == 1 and entry.period == "2020Q1"
    update_entry(system_actor, entry, EntryInput("vb", "- Ban hành [16/KH-UBND|ngan]."), reason="sửa câu")
    event = AuditEvent.objects.filter(action="entry.update").get()
    assert event.before["text"].endswith("văn bản.") and event.reason == "sửa câu"
    assert check_text(travinh, "{cntt.cts.tong} [16/KH-UBND]") == []


def test_replacing_the_entries_of_a_period_is_idempotent(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    items = [
        EntryInput("vb", "- Một."),
        EntryInput("vb", "- Hai {cntt.cts.tong}."),
        EntryInput("cntt", "- Ba."),
    ]
    first = replace_entries(system_actor, travinh, Q1, items)
    assert (first.created, first.updated, first.deleted) == (3, 0, 0)
    again = replace_entries(system_actor, travinh, Q1, items)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 3)
    changed = replace_entries(
        system_actor, travinh, Q1, [EntryInput("vb", "- Một."), EntryInput("vb", "- Hai sửa.")]
    )
    assert (changed.created, changed.updated, changed.deleted, changed.unchanged) == (0, 1, 1, 1)
    texts = list(
        NarrativeEntry.objects.filter(unit=travinh)
        .order_by("section", "order")
        .values_list("text", flat=True)
    )
    assert texts == ["- Một.", "- Hai sửa."]
    with pytest.raises(RegisterError):
        replace_entries(system_actor, travinh, Q1, [EntryInput("vb", "{sai")])
    assert NarrativeEntry.objects.count() == 2


def test_registers_of_a_submitted_or_locked_period_are_protected(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from baocao.access.access import AccessDenied
    from baocao.access.models import Membership, Role
    from baocao.datavalues.workflow import lock, submit

    clerk = get_user_model().objects.create_user(username="cv.tv", password="x-very-long-pass-1")
    Membership.objects.create(user=clerk, unit=travinh, role=Role.DATA_ENTRY)
    task = create_task(clerk, travinh, TaskInput("Triển khai IPv6", due_period="2020Q2", field="cntt"))
    submit(clerk, travinh, Period.from_code("2020"))
    # The quarter belongs to the submitted year: its tasks, entries and documents are closed too.
    with pytest.raises(AccessDenied, match="đã gửi"):
        set_task_status(clerk, task, TaskStatus.DONE)
    with pytest.raises(AccessDenied):
        create_entry(clerk, travinh, Period.from_code("2020"), EntryInput(section="cntt", text="Hoàn thành."))
    create_task(clerk, travinh, TaskInput("Việc năm sau", due_period="2021Q1", field="cntt"))
    Membership.objects.create(user=system_actor, unit=travinh, role=Role.APPROVER)
    from baocao.datavalues.workflow import approve

    approve(system_actor, travinh, Period.from_code("2020"))
    lock(system_actor, travinh, Period.from_code("2020"))
    with pytest.raises(AccessDenied, match="khóa"):  # locked: reopened first, even by an administrator
        set_task_status(system_actor, task, TaskStatus.DONE, reason="quản trị sửa sau khi khóa")
    from baocao.datavalues.workflow import reopen

    reopen(system_actor, travinh, Period.from_code("2020"), reason="quản trị sửa sau khi khóa")
    set_task_status(system_actor, task, TaskStatus.DONE, reason="quản trị sửa sau khi khóa")
