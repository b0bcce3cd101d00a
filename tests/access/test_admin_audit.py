"""Django's admin is a login path and a writer like the others: throttled the same way as the
web login (one count for both), and every change made there is in the project's audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from baocao.access.models import Membership, Role
from baocao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-thu-2026"


@pytest.fixture(autouse=True)
def _fresh_counts():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def boss(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user(
        username="quantri.admin", password=PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.fixture
def clerk(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user(username="nhanvien", password=PASSWORD, email="nv@so.gov.vn")


def test_the_admin_login_is_throttled_like_the_web_login(boss):  # type: ignore[no-untyped-def]
    client = Client()
    admin_login = "/admin/login/"
    for _ in range(3):
        assert client.post(reverse("web:login"), {"username": "quantri.admin", "password": "sai"}).status_code == 200
    for _ in range(2):
        assert client.post(admin_login, {"username": "quantri.admin", "password": "sai"}).status_code == 200
    # Five failures across the two pages: both are closed, even to the right password.
    blocked = client.post(admin_login, {"username": "quantri.admin", "password": PASSWORD})
    assert blocked.status_code == 429 and "thử lại sau" in blocked.content.decode()
    assert client.post(reverse("web:login"), {"username": "quantri.admin", "password": PASSWORD}).status_code == 429
    cache.clear()  # the few minutes pass
    assert client.post(admin_login, {"username": "quantri.admin", "password": PASSWORD}).status_code == 302


def test_the_admin_login_alone_blocks_after_five_failures(boss):  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "quantri.admin", "password": "sai"})
    assert client.post("/admin/login/", {"username": "quantri.admin", "password": PASSWORD}).status_code == 429


def _change_form(user, **changes):  # type: ignore[no-untyped-def]
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"), "is_active": "on",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_admin_changes_to_a_user_are_audited(boss, clerk):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(boss)
    url = f"/admin/auth/user/{clerk.pk}/change/"
    response = client.post(url, _change_form(clerk, is_active=None))  # unticked: deactivated
    assert response.status_code == 302, response.content.decode()[:2000]
    clerk.refresh_from_db()
    assert not clerk.is_active
    event = AuditEvent.objects.get(action="admin.user.change")
    assert event.actor_name == "quantri.admin" and event.entity_id == str(clerk.pk)
    assert event.before["is_active"] is True and event.after["is_active"] is False
    assert "is_superuser" not in event.after  # only what changed

    client.post(url, _change_form(clerk, is_superuser="on", is_staff="on"))
    made = AuditEvent.objects.filter(action="admin.user.change").latest("pk")
    assert made.after["is_superuser"] is True and made.before["is_superuser"] is False

    old_hash = get_user_model().objects.get(pk=clerk.pk).password
    response = client.post(f"/admin/auth/user/{clerk.pk}/password/",
                           {"password1": "Mot-mat-khau-moi-2026", "password2": "Mot-mat-khau-moi-2026",
                            "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = AuditEvent.objects.filter(action="admin.user.change").latest("pk")
    assert "is_active" not in changed.after and changed.after["password"] == "*** (mới)"
    assert old_hash not in str(changed.before) and get_user_model().objects.get(pk=clerk.pk).password not in str(
        changed.after
    )


def test_admin_role_grants_and_deletions_are_audited(boss, clerk, travinh):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(boss)
    response = client.post("/admin/access/membership/add/",
                           {"user": clerk.pk, "unit": travinh.pk, "role": Role.APPROVER})
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=clerk)
    added = AuditEvent.objects.get(action="admin.membership.add")
    assert added.after["role"] == Role.APPROVER and added.actor_name == "quantri.admin"
    response = client.post(f"/admin/access/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert AuditEvent.objects.get(action="admin.membership.delete").before["user_id"] == clerk.pk
