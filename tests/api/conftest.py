"""Fixtures of the API tests: users with roles on real units, their tokens, and a client
that calls the API through the whole Django stack (middleware included)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from baocao.access.models import Membership, Role
from baocao.api.services import issue_token
from baocao.orgunits.models import OrgUnit


@dataclass
class Api:
    """A caller of /api/v1/ with one token (or none)."""

    client: Client
    token: str | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self._headers()
        )

    def put(self, path: str, data: Any) -> Any:
        return self.client.put(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self._headers()
        )

    def delete(self, path: str, **params: Any) -> Any:
        query = urlencode(params)
        return self.client.delete(f"/api/v1{path}?{query}", headers=self._headers())


@pytest.fixture
def make_api(db, system_actor):  # type: ignore[no-untyped-def]
    """make_api(username, (unit, role), …) → an Api with a fresh token of a new user."""

    def make(username: str, *grants: tuple[OrgUnit, str], superuser: bool = False) -> Api:
        user = get_user_model().objects.create_user(
            username=username, password="mat-khau-rat-dai-1", is_superuser=superuser
        )
        for unit, role in grants:
            Membership.objects.create(user=user, unit=unit, role=role)
        return Api(Client(), issue_token(system_actor, user, f"test {username}").secret)

    return make


@pytest.fixture
def districts(travinh):  # type: ignore[no-untyped-def]
    """Two districts of Trà Vinh (2022)."""
    found = list(travinh.children.filter(level="district").order_by("code")[:2])
    assert len(found) == 2
    return found


@pytest.fixture
def country(db):  # type: ignore[no-untyped-def]
    return OrgUnit.objects.get(code="VN")


@pytest.fixture
def admin_api(make_api):  # type: ignore[no-untyped-def]
    return make_api("quantri.api", superuser=True)


@pytest.fixture
def district_entry(make_api, districts):  # type: ignore[no-untyped-def]
    return make_api("nhaplieu.huyen", (districts[0], Role.DATA_ENTRY))


@pytest.fixture
def province_viewer(make_api, travinh):  # type: ignore[no-untyped-def]
    return make_api("xem.tinh", (travinh, Role.VIEWER))


@pytest.fixture
def ministry_viewer(make_api, country):  # type: ignore[no-untyped-def]
    return make_api("xem.bo", (country, Role.VIEWER))
