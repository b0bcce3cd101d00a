"""The one permission policy, on a real database: a closed period closes every period and unit
inside it, whichever way the data comes in (form service, registers, CSV/XLSX/JSON imports,
the web form); separation of duties; an approved figure changes only through an audited reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from baocao.access.access import AccessDenied
from baocao.access.models import DutyRule, Membership, Role
from baocao.access.policy import POLICY, Action
from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues import workflow
from baocao.datavalues.bulk import bulk_import
from baocao.datavalues.importing import import_file
from baocao.datavalues.models import DataValue, State
from baocao.datavalues.services import set_value
from baocao.registers.services import TaskInput, create_task

pytestmark = pytest.mark.django_db

Y2021 = Period.from_code("2021")
Q1_2021 = Period.from_code("2021Q1")
M3_2021 = Period.from_code("202103")
IND = "cntt.qlvb.vb_di"


def _user(username: str, unit: Any, role: str) -> Any:
    user = get_user_model().objects.create_user(username=username, password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def closed(travinh):  # type: ignore[no-untyped-def]
    """Trà Vinh's 2021 submitted, approved and locked by two different people; a district clerk."""
    district = travinh.children.filter(level="district").order_by("code").first()
    people = {
        "entry": _user("nhap.tinh", travinh, Role.DATA_ENTRY),
        "approver": _user("duyet.tinh", travinh, Role.APPROVER),
        "district": _user("nhap.huyen", district, Role.DATA_ENTRY),
        "admin": _user("qt.tinh", travinh, Role.ADMIN),
    }
    set_value(people["district"], indicator=IND, unit=district, period=Q1_2021, value=7)
    workflow.submit(people["entry"], travinh, Y2021)
    workflow.approve(people["approver"], travinh, Y2021)
    workflow.lock(people["approver"], travinh, Y2021)
    return {**people, "province": travinh, "unit": district}


def test_a_locked_year_cannot_be_changed_through_its_quarters_or_months(closed):  # type: ignore[no-untyped-def]
    for who in ("entry", "approver", "admin"):
        for period in (Q1_2021, M3_2021):
            with pytest.raises(AccessDenied, match=r"thuộc số liệu Trà Vinh năm 2021\) đã khóa"):
                set_value(closed[who], indicator=IND, unit=closed["province"], period=period, value=1)
    assert not DataValue.objects.filter(unit=closed["province"]).exists()
    # 2022 is open.
    set_value(closed["entry"], indicator=IND, unit=closed["province"], period=Period.from_code("2022Q1"), value=1)


def test_a_locked_province_year_closes_its_districts(closed):  # type: ignore[no-untyped-def]
    with pytest.raises(AccessDenied, match="thuộc số liệu Trà Vinh năm 2021"):
        set_value(closed["district"], indicator=IND, unit=closed["unit"], period=Q1_2021, value=8)
    with pytest.raises(AccessDenied, match="khóa"):
        create_task(closed["district"], closed["unit"], TaskInput("Việc mới", due_period="2021Q2", field="cntt"))
    assert DataValue.objects.get(unit=closed["unit"]).value == 7
    assert not POLICY.may(closed["district"], Action.CHANGE, closed["unit"], Q1_2021, "hanh_chinh")
    assert POLICY.may(closed["district"], Action.CHANGE, closed["unit"], Period.from_code("2022Q1"), "hanh_chinh")


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["indicator,unit,period,value", *rows]) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "unit", "period", "value"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_bulk_csv_and_xlsx_cannot_change_a_locked_year_through_a_district(closed, tmp_path):  # type: ignore[no-untyped-def]
    code = closed["unit"].code
    open_row = f"{IND},{code},2022Q1,3"
    csv_path = _csv(tmp_path / "huyen.csv", [open_row, f"{IND},{code},2021Q1,9"])
    with pytest.raises(AccessDenied, match=r"huyen\.csv, dòng 3: .*Trà Vinh năm 2021\) đã khóa"):
        bulk_import(closed["district"], csv_path)
    xlsx_path = _xlsx(tmp_path / "huyen.xlsx", [[IND, code, "quý I/2021", 9]])
    with pytest.raises(AccessDenied, match=r"huyen\.xlsx, dòng 2: .*đã khóa"):
        bulk_import(closed["district"], xlsx_path)
    with pytest.raises(AccessDenied, match=r"dòng 3: .*đã khóa"):
        import_file(closed["district"], csv_path)  # the small-file importer asks the same policy
    assert DataValue.objects.get(unit=closed["unit"]).value == 7
    assert not DataValue.objects.filter(period="2022Q1").exists()  # all or nothing


def test_a_person_cannot_approve_what_they_submitted_unless_the_province_allows_it(travinh):  # type: ignore[no-untyped-def]
    approver = _user("duyet.a", travinh, Role.APPROVER)
    other = _user("duyet.b", travinh, Role.APPROVER)
    workflow.submit(approver, travinh, Y2021)
    assert not POLICY.may(approver, Action.APPROVE, travinh, Y2021, "hanh_chinh")
    with pytest.raises(AccessDenied, match="không tự phê duyệt"):
        workflow.approve(approver, travinh, Y2021)
    assert workflow.state_of(travinh, Y2021) == State.SUBMITTED
    workflow.approve(other, travinh, Y2021)
    assert workflow.state_of(travinh, Y2021) == State.APPROVED
    # A province may choose otherwise: the rule is data (a DutyRule row), not code.
    DutyRule.objects.create(unit=travinh, submitter_may_not_approve=False)
    y2020 = Period.from_code("2020")
    workflow.submit(approver, travinh, y2020)
    workflow.approve(approver, travinh, y2020)
    assert workflow.state_of(travinh, y2020) == State.APPROVED


def test_a_district_falls_under_its_provinces_duty_rule(travinh):  # type: ignore[no-untyped-def]
    district = travinh.children.filter(level="district").first()
    assert POLICY.separates_duties(district)
    DutyRule.objects.create(unit=travinh, submitter_may_not_approve=False)
    assert not POLICY.separates_duties(district)


def test_an_approved_figure_changes_only_by_an_audited_reopening(travinh):  # type: ignore[no-untyped-def]
    entry = _user("nhap.x", travinh, Role.DATA_ENTRY)
    approver = _user("duyet.x", travinh, Role.APPROVER)
    set_value(entry, indicator=IND, unit=travinh, period=Y2021, value=5)
    workflow.submit(entry, travinh, Y2021)
    workflow.approve(approver, travinh, Y2021)
    for who in (entry, approver):
        with pytest.raises(AccessDenied, match="đã duyệt: chỉ sửa được sau khi mở lại"):
            set_value(who, indicator=IND, unit=travinh, period=Y2021, value=6)
    with pytest.raises(Exception, match="lý do"):
        workflow.reopen(approver, travinh, Y2021, reason=" ")
    workflow.reopen(approver, travinh, Y2021, reason="đính chính số văn bản đi")
    set_value(entry, indicator=IND, unit=travinh, period=Y2021, value=6)
    reopened = AuditEvent.objects.get(action="state.draft")
    assert reopened.reason == "đính chính số văn bản đi" and reopened.before == {"state": "approved"}
    assert DataValue.objects.get(unit=travinh, period="2021").value == 6


def test_the_read_scope_is_the_policys(travinh):  # type: ignore[no-untyped-def]
    district = travinh.children.filter(level="district").first()
    clerk = _user("nhap.y", district, Role.DATA_ENTRY)
    seen = POLICY.visible_units(clerk)
    assert district in seen and travinh not in seen
    assert set(seen.values_list("pk", flat=True)) == set(
        type(district).objects.filter(path__startswith=district.path).values_list("pk", flat=True)
    )


def test_a_period_inside_a_locked_one_does_not_move_on_its_own(closed):  # type: ignore[no-untyped-def]
    assert not POLICY.may(closed["district"], Action.SUBMIT, closed["unit"], Q1_2021, "hanh_chinh")
    with pytest.raises(AccessDenied, match=r"thuộc số liệu Trà Vinh năm 2021 .*cần mở lại số liệu đó trước"):
        workflow.submit(closed["district"], closed["unit"], Q1_2021)
    assert workflow.state_of(closed["unit"], Q1_2021) == State.DRAFT
    assert POLICY.may(closed["district"], Action.SUBMIT, closed["unit"], Period.from_code("2022Q1"), "hanh_chinh")


def test_a_grant_read_once_is_read_again_after_it_changes(travinh, django_assert_num_queries):  # type: ignore[no-untyped-def]
    from baocao.access.policy import Perm

    district = travinh.children.filter(level="district").first()
    clerk = _user("nhap.z", district, Role.DATA_ENTRY)
    assert POLICY.can(clerk, district, Perm.ENTER) and not POLICY.can(clerk, travinh, Perm.ENTER)
    with django_assert_num_queries(0):  # the same request's user: the grants are kept on it
        assert POLICY.can(clerk, district, Perm.ENTER)
    membership = Membership.objects.create(user=clerk, unit=travinh, role=Role.DATA_ENTRY)
    assert POLICY.can(clerk, travinh, Perm.ENTER)  # granted: seen at once
    membership.delete()
    assert not POLICY.can(clerk, travinh, Perm.ENTER)  # taken back: seen at once
