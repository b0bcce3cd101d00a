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


class BadInput(CommandError):
    """A unit, period, user or file the command cannot use: exit status 2 (see baocao.cli)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


class Findings(CommandError):
    """The command ran and found something (validate, check): exit status 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=1)


def actor(username: str | None) -> AbstractBaseUser:
    """The user a command acts as: --user NAME, or the audited system account."""
    if not username:
        return system_user()
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise BadInput(f"--user: không có người dùng '{username}'") from None


def period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise BadInput(f"--period: {exc}") from None


def unit(text: str, on: date | None = None) -> OrgUnit:
    try:
        return find_unit_or_former(text, on=on)
    except UnitNotFound as exc:
        raise BadInput(f"--unit: {exc}") from None
