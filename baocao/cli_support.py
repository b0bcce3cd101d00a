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


class Progress:
    """tqdm-style progress on stderr for long commands (a PDF, a big import): a bar when the
    total is known, the current step's name otherwise. Silent when stderr is not a terminal
    unless forced (tests, logs keep their output clean)."""

    def __init__(self, desc: str, total: int | None = None, *, force: bool = False) -> None:
        import sys

        from tqdm import tqdm

        self.bar = tqdm(total=total, desc=desc, unit="", file=sys.stderr, leave=True,
                        disable=not (force or sys.stderr.isatty()), bar_format=None)

    def step(self, message: str, advance: int = 1) -> None:
        self.bar.set_postfix_str(message, refresh=False)
        self.bar.update(advance)

    def __call__(self, current: int, total: int | None, message: str) -> None:
        """The `progress(current, total, message)` callback the services take."""
        if total is not None and self.bar.total != total:
            self.bar.total = total
        self.bar.set_postfix_str(message, refresh=False)
        self.bar.n = current
        self.bar.refresh()

    def close(self) -> None:
        self.bar.close()
