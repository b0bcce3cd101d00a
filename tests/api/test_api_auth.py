"""Token authentication: only a hash is stored, missing/invalid/revoked tokens are 401 with a
JSON body, issuing and revoking are audited, and the browser session may only read."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from baocao.access.access import AccessDenied
from baocao.api.models import ApiToken
from baocao.api.services import issue_token, revoke_token
from baocao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _assert_401(response, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401, response.content
    data = response.json()
    assert data["code"] == "unauthorized" and fragment in data["message"]
    assert data["field"] == "Authorization" and data["errors"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_token_is_401(client: Client) -> None:
    _assert_401(client.get("/api/v1/units"), "Bearer")


def test_invalid_token_is_401(client: Client) -> None:
    _assert_401(
        client.get("/api/v1/units", headers={"Authorization": "Bearer bc_khong-dung"}), "không hợp lệ"
    )
    _assert_401(client.get("/api/v1/units", headers={"Authorization": "Bearer "}), "Thiếu token")


def test_revoked_token_is_401_and_revoking_is_audited(make_api, system_actor) -> None:  # type: ignore[no-untyped-def]
    api = make_api("mot.cua")
    assert api.get("/me").status_code == 200
    token = ApiToken.objects.get(user__username="mot.cua")
    revoke_token(system_actor, token, reason="hệ thống ngừng dùng")
    _assert_401(api.get("/me"), "thu hồi")
    event = AuditEvent.objects.get(action="token.revoke")
    assert event.reason == "hệ thống ngừng dùng" and event.before["name"] == "test mot.cua"


def test_only_a_hash_is_stored_and_the_secret_is_never_audited(system_actor) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="httt.motcua", password="mat-khau-rat-dai-1")
    issued = issue_token(system_actor, user, "HTTT một cửa")
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in {token.key_hash, token.prefix, token.name}
    event = AuditEvent.objects.get(action="token.create")
    assert issued.secret not in str(event.after) and event.after["user"] == "httt.motcua"


def test_a_valid_token_authenticates_and_marks_last_used(make_api, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.models import Role

    api = make_api("chuyenvien.api", (travinh, Role.DATA_ENTRY))
    response = api.get("/me")
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "chuyenvien.api"
    assert me["roles"] == [
        {"role": "data_entry", "role_label": "Nhập liệu", "unit": travinh.code, "unit_name": travinh.name}
    ]
    assert ApiToken.objects.get(user__username="chuyenvien.api").last_used is not None


def test_users_issue_tokens_for_themselves_admins_for_anyone(system_actor) -> None:  # type: ignore[no-untyped-def]
    users = get_user_model().objects
    alice = users.create_user(username="alice", password="mat-khau-rat-dai-1")
    bob = users.create_user(username="bob", password="mat-khau-rat-dai-1")
    issue_token(alice, alice, "của tôi")
    with pytest.raises(AccessDenied):
        issue_token(alice, bob, "của người khác")
    token = issue_token(system_actor, bob, "do quản trị cấp").token
    with pytest.raises(AccessDenied):
        revoke_token(alice, token)


def test_session_may_read_but_not_write(client: Client, travinh) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="trinhduyet", password="mat-khau-rat-dai-1")
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/api/v1/values", {"values": []}, content_type="application/json")
    _assert_401(response, "Bearer")


def test_management_command_prints_the_token_once(make_api) -> None:  # type: ignore[no-untyped-def]
    get_user_model().objects.create_user(username="chuyenvien.cli", password="mat-khau-rat-dai-1")
    out = StringIO()
    call_command("baocao_token", "create", "--user", "chuyenvien.cli", "--name", "HTTT một cửa", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("bc_")
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    out = StringIO()
    call_command("baocao_token", "list", "--user", "chuyenvien.cli", stdout=out)
    assert "HTTT một cửa" in out.getvalue() and secret not in out.getvalue()

    token = ApiToken.objects.get(user__username="chuyenvien.cli")
    call_command("baocao_token", "revoke", str(token.pk), "--reason", "thử", stdout=StringIO())
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
