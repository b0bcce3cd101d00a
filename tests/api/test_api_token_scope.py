"""Tokens narrowed in scope: read-only, some units, an expiry — enforced by the permission policy
on every read list and every write the token reaches; `baocao token create` sets them."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from baocao.access.models import Membership, Role
from baocao.api.models import ApiToken
from baocao.api.services import issue_token
from baocao.audit.models import AuditEvent
from baocao.datavalues.models import DataValue

pytestmark = pytest.mark.django_db


def _call(secret: str, method: str, path: str, data: object = None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {secret}"}
    if method == "get":
        return Client().get(f"/api/v1{path}", headers=headers)
    return Client().post(f"/api/v1{path}", data, content_type="application/json", headers=headers)


def _value(unit_code: str, value: int = 5) -> dict[str, object]:
    return {"values": [{"indicator": "cntt.qlvb.vb_di", "unit": unit_code, "period": "2022", "value": value}]}


@pytest.fixture
def clerk(travinh):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="nhap.api", password="mat-khau-rat-dai-1")
    Membership.objects.create(user=user, unit=travinh, role=Role.DATA_ENTRY)
    return user


def test_a_read_only_token_reads_but_never_writes(clerk, travinh, system_actor) -> None:  # type: ignore[no-untyped-def]
    full = issue_token(system_actor, clerk, "đầy đủ").secret
    read = issue_token(system_actor, clerk, "chỉ đọc", read_only=True).secret
    assert _call(read, "get", "/units").status_code == 200
    refused = _call(read, "post", "/values", _value(travinh.code))
    assert refused.status_code == 403, refused.content
    assert not DataValue.objects.exists()
    assert _call(full, "post", "/values", _value(travinh.code)).status_code == 200
    assert DataValue.objects.count() == 1


def test_a_unit_token_sees_and_writes_only_its_units(clerk, travinh, system_actor) -> None:  # type: ignore[no-untyped-def]
    district, other = list(travinh.children.filter(level="district").order_by("code")[:2])
    secret = issue_token(system_actor, clerk, "một huyện", units=[district]).secret
    listed = {u["code"] for u in _call(secret, "get", "/units").json()["items"]}
    assert district.code in listed and travinh.code not in listed and other.code not in listed
    assert _call(secret, "post", "/values", _value(district.code)).status_code == 200
    assert _call(secret, "post", "/values", _value(other.code)).status_code == 403
    assert _call(secret, "post", "/values", _value(travinh.code)).status_code == 403
    assert list(DataValue.objects.values_list("unit__code", flat=True)) == [district.code]


def test_an_expired_token_is_401(clerk, system_actor) -> None:  # type: ignore[no-untyped-def]
    issued = issue_token(system_actor, clerk, "ngắn hạn", expires=timezone.now() + timedelta(hours=1))
    assert _call(issued.secret, "get", "/me").status_code == 200
    ApiToken.objects.filter(pk=issued.token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = _call(issued.secret, "get", "/me")
    assert response.status_code == 401 and "hết hạn" in response.json()["message"]


def test_the_command_issues_a_limited_token(clerk, travinh) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("baocao_token", "create", "--user", "nhap.api", "--name", "Cổng dữ liệu", "--read-only",
                 "--unit", travinh.code, "--expires", "30d", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(name="Cổng dữ liệu")
    assert token.read_only and list(token.units.all()) == [travinh]
    assert timedelta(days=29) < token.expires - timezone.now() <= timedelta(days=30)
    assert "chỉ đọc" in out.getvalue()
    assert _call(secret, "post", "/values", _value(travinh.code)).status_code == 403
    event = AuditEvent.objects.get(action="token.create", entity_id=str(token.pk))
    assert event.after["read_only"] is True and event.after["units"] == [travinh.code]
    listing = StringIO()
    call_command("baocao_token", "list", stdout=listing)
    assert "chỉ đọc" in listing.getvalue() and "hết hạn" in listing.getvalue()
    with pytest.raises(CommandError, match="--expires"):
        call_command("baocao_token", "create", "--user", "nhap.api", "--name", "x", "--expires", "mai", stdout=out)
    with pytest.raises(CommandError, match="--unit"):
        call_command("baocao_token", "create", "--user", "nhap.api", "--name", "x", "--unit", "Không Có", stdout=out)
