"""Users and roles page: administrators grant and revoke roles on their units, audited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from web_helpers import PASSWORD, client_for

from baocao.access.models import Membership
from baocao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_only_administrators_open_the_page(people):  # type: ignore[no-untyped-def]
    assert client_for(people.admin).get(reverse("web:users")).status_code == 200
    for user in (people.entry, people.approver, people.viewer, people.ministry):
        assert client_for(user).get(reverse("web:users")).status_code == 403
    assert "Phân quyền" not in client_for(people.entry).get("/").content.decode()


def test_province_admin_grants_and_revokes_a_role_in_the_province(people):  # type: ignore[no-untyped-def]
    client = client_for(people.admin)
    response = client.post(reverse("web:users-grant"), {
        "username": "cv.huyen.b", "unit": people.district_a.code, "role": "viewer", "reason": "hỗ trợ huyện A",
    })
    assert response.status_code == 302
    membership = Membership.objects.get(user=people.entry_b, unit=people.district_a, role="viewer")
    event = AuditEvent.objects.get(action="permission.grant", entity_id=str(membership.pk))
    assert event.actor_name == "qt.tinh" and event.reason == "hỗ trợ huyện A"
    response = client.post(reverse("web:users-revoke", kwargs={"membership": membership.pk}), {"reason": "hết hạn"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="permission.revoke", reason="hết hạn").exists()


def test_province_admin_cannot_grant_elsewhere_or_create_accounts(people):  # type: ignore[no-untyped-def]
    client = client_for(people.admin)
    response = client.post(reverse("web:users-grant"), {"username": "cv.tinh", "unit": "VN", "role": "admin"})
    assert response.status_code == 400  # the country is not among the units offered
    assert not Membership.objects.filter(user=people.entry, unit__code="VN").exists()
    response = client.post(reverse("web:users-create"), {"username": "moi", "password": PASSWORD})
    assert response.status_code == 403
    ministry_role = Membership.objects.get(user=people.ministry)
    assert client.post(reverse("web:users-revoke", kwargs={"membership": ministry_role.pk})).status_code == 403


def test_system_administrator_creates_an_account(people):  # type: ignore[no-untyped-def]
    client = client_for(people.superuser)
    response = client.post(reverse("web:users-create"), {
        "username": "cv.moi", "full_name": "Chuyên viên mới", "email": "", "password": "ngan",
    })
    assert response.status_code == 400
    response = client.post(reverse("web:users-create"), {
        "username": "cv.moi", "full_name": "Chuyên viên mới", "email": "", "password": PASSWORD,
    })
    assert response.status_code == 302
    assert get_user_model().objects.get(username="cv.moi").check_password(PASSWORD)
    response = client.post(reverse("web:users-grant"), {"username": "khong.co", "unit": "VN", "role": "viewer"})
    assert response.status_code == 400 and "Không có tài khoản" in response.content.decode()
