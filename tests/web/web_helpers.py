"""Helpers of the web tests (a module of its own: "conftest" is ambiguous across test folders)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from baocao.core.periods import Period

PASSWORD = "Mat-khau-thu-2026"
Y2022 = Period.from_code("2022")
Y2021 = Period.from_code("2021")


@dataclass
class People:
    province: Any
    district_a: Any
    district_b: Any
    entry: Any  # data entry on the province
    approver: Any  # approver on the province
    viewer: Any  # viewer on the province
    ministry: Any  # viewer on the country
    entry_a: Any  # data entry on district A
    entry_b: Any  # data entry on district B
    admin: Any  # administrator role on the province (not a system administrator)
    superuser: Any


def make_user(actor: Any, username: str, unit: Any = None, role: str | None = None, **extra: Any) -> Any:
    from baocao.access.services import create_user, grant_role

    user = create_user(actor, username=username, password=PASSWORD, full_name=username, **extra)
    if unit is not None and role is not None:
        grant_role(actor, user, unit, role)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
