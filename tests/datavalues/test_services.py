"""The one write path: permission, validation, audit, all-or-nothing, workflow state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from baocao.access.access import AccessDenied
from baocao.access.models import Membership, Role
from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue, State, Submission
from baocao.datavalues.services import ValueError_, ValueInput, delete_value, save_values, set_value

pytestmark = pytest.mark.django_db
Y2022 = Period.from_code("2022")


def _user(name, unit, role):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username=name, password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def test_every_change_is_audited_with_before_and_after(system_actor, travinh):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=2500)
    set_value(
        system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=2597, reason="sửa số"
    )
    set_value(system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=2597)
    events = list(AuditEvent.objects.filter(entity="datavalue").order_by("id"))
    assert [e.action for e in events] == ["value.create", "value.update"]
    assert events[1].before["value"] == "2500" and events[1].after["value"] == "2597"
    assert events[1].reason == "sửa số" and events[1].actor_name == "he-thong"
    assert DataValue.objects.get(indicator__code="cntt.cts.tong", unit=travinh).value == Decimal(2597)


def test_a_bad_row_stores_nothing_and_names_its_place(system_actor, travinh):  # type: ignore[no-untyped-def]
    rows = [
        ValueInput("cntt.cts.tong", travinh, Y2022, 10, where="a.csv, dòng 2"),
        ValueInput("khong.co.ma", travinh, Y2022, 10, where="a.csv, dòng 3"),
        ValueInput("cntt.cts.sim", travinh, Y2022, "mười", where="a.csv, dòng 4"),
        ValueInput("cntt.cts.usb", travinh, Y2022, 5, qualifier="nhieu", where="a.csv, dòng 5"),
    ]
    with pytest.raises(ValueError_) as info:
        save_values(system_actor, rows)
    messages = info.value.messages
    assert any("dòng 3" in m and "indicator" in m and "khong.co.ma" in m for m in messages)
    assert any("dòng 4" in m and "value" in m for m in messages)
    assert any("dòng 5" in m and "qualifier" in m for m in messages)
    assert not DataValue.objects.exists()


def test_a_unit_that_did_not_exist_in_the_period_is_refused(system_actor):  # type: ignore[no-untyped-def]
    from datetime import date

    from baocao.orgunits.lookup import find_unit

    new_vinh_long = find_unit("Vĩnh Long", on=date(2026, 1, 1), level="province")
    with pytest.raises(ValidationError, match="không tồn tại"):
        set_value(
            system_actor,
            indicator="cntt.cts.tong",
            unit=new_vinh_long,
            period=Period.from_code("2020"),
            value=1,
        )


def test_district_user_cannot_write_another_district(travinh):  # type: ignore[no-untyped-def]
    a, b = list(travinh.children.filter(level="district").order_by("code")[:2])
    user = _user("cv.huyen.a", a, Role.DATA_ENTRY)
    set_value(user, indicator="cntt.qlvb.vb_di", unit=a, period=Y2022, value=5)
    with pytest.raises(AccessDenied, match="không có quyền"):
        set_value(user, indicator="cntt.qlvb.vb_di", unit=b, period=Y2022, value=5)
    viewer = _user("xem.huyen.a", a, Role.VIEWER)
    with pytest.raises(AccessDenied):
        set_value(viewer, indicator="cntt.qlvb.vb_di", unit=a, period=Y2022, value=6)
    assert DataValue.objects.get(unit=a).value == 5


def test_submitted_and_locked_data_are_protected(system_actor, travinh):  # type: ignore[no-untyped-def]
    entry = _user("cv.tinh", travinh, Role.DATA_ENTRY)
    Submission.objects.create(unit=travinh, period="2022", state=State.SUBMITTED)
    with pytest.raises(AccessDenied, match="đã gửi"):
        set_value(entry, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=1)
    Submission.objects.filter(unit=travinh).update(state=State.LOCKED)
    approver = _user("ld.tinh", travinh, Role.APPROVER)
    with pytest.raises(AccessDenied, match="khóa"):
        set_value(approver, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=1)
    # Locked data is changed only by reopening it (audited, with a reason) — even by an administrator.
    with pytest.raises(AccessDenied, match="khóa"):
        set_value(system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=1)
    from baocao.datavalues.workflow import reopen

    reopen(system_actor, travinh, Y2022, reason="quản trị sửa")
    set_value(
        system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=1, reason="quản trị sửa"
    )
    assert AuditEvent.objects.filter(action="state.draft", reason="quản trị sửa").exists()
    assert AuditEvent.objects.filter(action="value.create", reason="quản trị sửa").exists()


def test_delete_needs_a_reason_and_is_audited(system_actor, travinh):  # type: ignore[no-untyped-def]
    value = set_value(system_actor, indicator="cntt.cts.tong", unit=travinh, period=Y2022, value=3)
    with pytest.raises(ValidationError):
        delete_value(system_actor, value, reason=" ")
    delete_value(system_actor, value, reason="nhập nhầm")
    event = AuditEvent.objects.get(action="value.delete")
    assert event.before["value"] == "3" and event.reason == "nhập nhầm"
    assert not DataValue.objects.exists()


def test_more_decimals_than_stored_are_refused_not_rounded(system_actor, travinh):  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError_, match="chữ số thập phân"):
        set_value(system_actor, indicator="cntt.qlvb.ty_le_ky_so", unit=travinh, period=Y2022, value="0.0000001")
    set_value(system_actor, indicator="cntt.qlvb.ty_le_ky_so", unit=travinh, period=Y2022, value="80.7100000")
    assert DataValue.objects.get().value == Decimal("80.71")


def test_the_longest_codes_are_audited_whole(system_actor, travinh):  # type: ignore[no-untyped-def]
    """The audit key of a value joins indicator, unit, period, regime and target: for the longest
    indicator code in a quarter it passes 64 characters, which PostgreSQL refused (a 500 on save)."""
    from baocao.catalog.models import Indicator

    longest = max(Indicator.objects.values_list("code", flat=True), key=len)
    quarter = Period.from_code("2022Q1")
    set_value(system_actor, indicator=longest, unit=travinh, period=quarter, value=50, is_target=True)
    event = AuditEvent.objects.get(entity="datavalue", action="value.create")
    assert len(event.entity_id) > 64
    assert event.entity_id == f"{longest}|{travinh.code}|2022Q1|hanh_chinh|1"
