"""Argument helpers shared by the management commands behind the `baocao` CLI."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError

from baocao.access.system import system_user
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.orgunits.lookup import UnitNotFound, find_unit_or_former
from baocao.orgunits.models import OrgUnit


def actor(username: str | None) -> AbstractBaseUser:
    """The user a command acts as: --user NAME, or the audited system account."""
    if not username:
        return system_user()
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"--user: không có người dùng '{username}'") from None


def period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise CommandError(f"--period: {exc}") from None


def unit(text: str, on: date | None = None) -> OrgUnit:
    try:
        return find_unit_or_former(text, on=on)
    except UnitNotFound as exc:
        raise CommandError(f"--unit: {exc}") from None
