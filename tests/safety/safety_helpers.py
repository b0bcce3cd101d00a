"""Helpers of the safety tests (a module of its own: "conftest" is ambiguous across test folders)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

PASSWORD = "mat-khau-rat-dai-1"


def make_user(username: str, unit: Any = None, role: str | None = None, **extra: Any) -> Any:
    from baocao.access.models import Membership

    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
