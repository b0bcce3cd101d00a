"""The document register: entries read from references, audited, and counted into vb.* figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from baocao.access.access import AccessDenied
from baocao.access.models import Membership, Role
from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import set_value
from baocao.registers.counting import SYNC_MARK, count_documents, register_conflicts, sync_document_counts
from baocao.registers.models import Document, Origin
from baocao.registers.services import (
    DocumentInput,
    RegisterError,
    create_document,
    delete_document,
    document_period,
    input_from_reference,
    register_references,
    update_document,
)

pytestmark = pytest.mark.django_db
Y2022 = Period.from_code("2022")


def _value(unit, code: str, period: str) -> DataValue | None:  # type: ignore[no-untyped-def]
    return DataValue.objects.filter(unit=unit, indicator__code=code, period=period, is_target=False).first()


def _drafted(number_text: str, **extra: object) -> DocumentInput:
    return input_from_reference(number_text, origin=Origin.DRAFTED, **extra)  # type: ignore[arg-type]


def test_a_document_is_read_from_its_reference_and_audited(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    data = input_from_reference(
        "Kế hoạch số 16/KH-UBND ngày 24/02/2022", origin=Origin.DRAFTED, field="cntt", summary="về X"
    )
    doc = create_document(system_actor, travinh, data, reason="nhập sổ")
    assert (doc.kind, doc.number, doc.issued_on, doc.issuer, doc.year) == (
        "Kế hoạch",
        "16/KH-UBND",
        date(2022, 2, 24),
        "UBND",
        2022,
    )
    assert doc.period == "2022Q1" and doc.field.code == "cntt"
    event = AuditEvent.objects.get(action="document.create")
    assert event.after["number"] == "16/KH-UBND" and event.reason == "nhập sổ" and event.unit == travinh


def test_the_reporting_period_follows_the_administrative_cut_off() -> None:
    # NĐ 09/2019: the year 2022 runs from 15/12/2021, so a plan of 31/12/2021 counts in 2022.
    assert document_period(date(2021, 12, 31)) == Period.from_code("2022Q1")
    assert document_period(date(2021, 12, 14)) == Period.from_code("2021Q4")
    assert document_period(date(2022, 3, 15)) == Period.from_code("2022Q2")


def test_undated_documents_take_the_year_of_their_symbol_or_need_a_period(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    doc = create_document(system_actor, travinh, input_from_reference("Thông tư số 27/2021/TT-BTTTT"))
    assert doc.period == "2021" and doc.year == 2021 and doc.issuer == "BTTTT" and doc.kind == "Thông tư"
    with pytest.raises(RegisterError, match="cần ngày ban hành hoặc kỳ báo cáo"):
        create_document(system_actor, travinh, input_from_reference("Công văn 4366/BTTTT-HTQT"))
    letter = create_document(
        system_actor, travinh, input_from_reference("Công văn 4366/BTTTT-HTQT", period="quý I/2020")
    )
    assert letter.period == "2020Q1" and letter.year == 0


def test_wrong_input_is_refused_with_the_field_named(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    create_document(system_actor, travinh, _drafted("Kế hoạch số 16/KH-UBND ngày 24/02/2022"))
    with pytest.raises(RegisterError) as info:
        create_document(system_actor, travinh, _drafted("Kế hoạch số 16/KH-UBND ngày 24/02/2022"))
    assert "đã có trong sổ văn bản" in info.value.messages[0]
    # The same number in another year is another document.
    create_document(system_actor, travinh, _drafted("Kế hoạch số 16/KH-UBND ngày 20/02/2021"))
    with pytest.raises(RegisterError) as info:
        create_document(
            system_actor,
            travinh,
            DocumentInput(number="14/2022/QĐ-UBND", issued_on=date(2021, 7, 18), origin="khac", field="zz"),
        )
    messages = " | ".join(info.value.messages)
    assert "trường origin" in messages and "trường field" in messages
    with pytest.raises(RegisterError, match="trường number"):
        create_document(system_actor, travinh, DocumentInput(number="quý I/2020", issued_on=date(2020, 1, 1)))


def test_only_data_entry_users_of_the_unit_may_write(travinh) -> None:  # type: ignore[no-untyped-def]
    viewer = get_user_model().objects.create_user(username="xem", password="x-very-long-pass-1")
    Membership.objects.create(user=viewer, unit=travinh, role=Role.VIEWER)
    with pytest.raises(AccessDenied):
        create_document(viewer, travinh, _drafted("Kế hoạch số 16/KH-UBND ngày 24/02/2022"))
    assert not Document.objects.exists()


def test_register_counts_feed_the_vb_indicators(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    create_document(system_actor, travinh, _drafted("Kế hoạch số 108/KH-UBND ngày 31/12/2021"))
    create_document(system_actor, travinh, _drafted("Quyết định số 373/QĐ-UBND ngày 15/02/2022"))
    create_document(system_actor, travinh, _drafted("Kế hoạch số 50/KH-UBND ngày 12/7/2022"))
    # Drafted for the Party committee, or by another body: not "tham mưu UBND tỉnh ban hành".
    create_document(system_actor, travinh, _drafted("Nghị quyết số 09-NQ/TU ngày 26/01/2022"))
    create_document(system_actor, travinh, _drafted("Kế hoạch số 12/KH-BTC ngày 14/02/2022"))
    issued = input_from_reference("Kế hoạch số 38/KH-STTTT-BCVTCNTT ngày 12/5/2022", origin=Origin.ISSUED)
    create_document(system_actor, travinh, issued)
    create_document(system_actor, travinh, input_from_reference("Nghị định số 45/2020/NĐ-CP ngày 08/4/2020"))

    assert count_documents(travinh, Y2022)["vb.thammuu_ubnd.tong"] == 3
    year = {
        code: _value(travinh, code, "2022") for code in ("vb.thammuu_ubnd.tong", "vb.thammuu_ubnd.ke_hoach")
    }
    assert year["vb.thammuu_ubnd.tong"].value == 3 and year["vb.thammuu_ubnd.ke_hoach"].value == 2
    assert year["vb.thammuu_ubnd.tong"].source_ref == SYNC_MARK
    assert _value(travinh, "vb.thammuu_ubnd.quyet_dinh", "2022Q1").value == 1
    assert _value(travinh, "vb.thammuu_ubnd.ke_hoach", "2022S2").value == 1
    assert _value(travinh, "vb.so_ban_hanh.ke_hoach", "2022Q2").value == 1
    # Counts go through the audited write path of data values.
    assert AuditEvent.objects.filter(action="value.create", reason__contains="sổ văn bản").exists()

    plan = Document.objects.get(number="50/KH-UBND")
    delete_document(system_actor, plan, reason="nhập nhầm")
    assert _value(travinh, "vb.thammuu_ubnd.ke_hoach", "2022").value == 1
    assert _value(travinh, "vb.thammuu_ubnd.ke_hoach", "2022Q3").value == 0


def test_moving_a_document_recounts_both_periods(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    doc = create_document(system_actor, travinh, _drafted("Quyết định số 373/QĐ-UBND ngày 15/02/2022"))
    assert _value(travinh, "vb.thammuu_ubnd.quyet_dinh", "2022Q1").value == 1
    update_document(system_actor, doc, _drafted("Quyết định số 373/QĐ-UBND ngày 15/5/2022"))
    assert _value(travinh, "vb.thammuu_ubnd.quyet_dinh", "2022Q1").value == 0
    assert _value(travinh, "vb.thammuu_ubnd.quyet_dinh", "2022Q2").value == 1
    assert _value(travinh, "vb.thammuu_ubnd.quyet_dinh", "2022").value == 1


def test_a_value_entered_by_hand_is_never_overwritten(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="vb.so_ban_hanh.ke_hoach", unit=travinh, period=Y2022, value=57)
    issued = input_from_reference("Kế hoạch số 38/KH-STTTT-BCVTCNTT ngày 12/5/2022", origin=Origin.ISSUED)
    create_document(system_actor, travinh, issued)
    assert _value(travinh, "vb.so_ban_hanh.ke_hoach", "2022").value == Decimal(57)
    result = sync_document_counts(system_actor, travinh, Y2022)
    assert result.saved is None
    (conflict,) = result.conflicts
    assert (conflict.indicator, conflict.entered, conflict.counted) == ("vb.so_ban_hanh.ke_hoach", 57, 1)
    assert (
        "số liệu đã nhập 57, sổ văn bản ghi nhận 1 văn bản" in register_conflicts(travinh, Y2022)[0].message()
    )


def test_references_pasted_from_a_report_become_register_entries(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Triển khai Quyết định số 37/2021/QĐ-TTg ngày 18/12/2021 của Thủ tướng Chính phủ; "
        "Kế hoạch số 97/KH-UBND ngày 17/11/2021; lại Quyết định số 37/2021/QĐ-TTg."
    )
    docs = register_references(system_actor, travinh, text)
    assert [d.number for d in docs] == ["37/2021/QĐ-TTg", "97/KH-UBND"]
    assert all(d.origin == Origin.CITED for d in docs)
    again = register_references(system_actor, travinh, text)
    assert [d.pk for d in again] == [d.pk for d in docs]
    assert Document.objects.count() == 2
