"""The audit page: every change listed with who, when, before and after; filterable; scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_helpers import Y2022, client_for

from baocao.access.models import Role
from baocao.access.services import grant_role
from baocao.datavalues import workflow
from baocao.datavalues.services import set_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(people):  # type: ignore[no-untyped-def]
    set_value(people.entry, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=1500)
    set_value(people.entry, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=1599,
              reason="sửa theo số liệu của Văn phòng")
    set_value(people.entry_b, indicator="cntt.qlvb.vb_di", unit=people.district_b, period=Y2022, value=77)
    workflow.submit(people.entry, people.province, Y2022)
    workflow.reopen(people.approver, people.province, Y2022, reason="thiếu số liệu")
    grant_role(people.admin, people.viewer, people.district_a, Role.APPROVER, reason="phân công mới")
    return people


def page(client, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("web:audit"), params).content.decode()


def test_changes_are_listed_with_who_before_after_and_reason(history):  # type: ignore[no-untyped-def]
    html = page(client_for(history.approver))
    assert "Sửa số liệu" in html and "Mở lại" in html and "Cấp quyền" in html
    assert "1.500" in html and "1.599" in html
    assert "sửa theo số liệu của Văn phòng" in html and "thiếu số liệu" in html
    assert "cv.tinh" in html and "ld.tinh" in html and "qt.tinh" in html


def test_filters_by_user_action_unit_and_period(history):  # type: ignore[no-untyped-def]
    client = client_for(history.approver)
    by_user = page(client, nguoi_dung="ld.tinh")
    assert 'data-action="state.draft"' in by_user and 'data-action="value.update"' not in by_user
    by_action = page(client, hanh_dong="permission.")
    assert 'data-action="permission.grant"' in by_action and 'data-action="state.draft"' not in by_action
    by_unit = page(client, don_vi=history.district_b.code)
    assert "77" in by_unit and "1.599" not in by_unit
    assert 'data-action="value.create"' in page(client, ky="năm 2022")
    assert 'data-action=' not in page(client, ky="2019")
    assert "Không hiểu kỳ" in page(client, ky="bất kỳ")


def test_a_district_user_sees_only_its_districts_changes(history):  # type: ignore[no-untyped-def]
    html = page(client_for(history.entry_b))
    assert "77" in html and "1.599" not in html and "sửa theo số liệu" not in html
    assert 'data-action="value.create"' in html
    assert "thiếu số liệu" not in html


def test_account_events_without_a_unit_are_for_system_administrators(history):  # type: ignore[no-untyped-def]
    assert 'data-action="user.create"' in page(client_for(history.superuser))
    assert 'data-action="user.create"' not in page(client_for(history.ministry))
