"""What the register services share: the actor type, the error, and field look-ups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

from baocao.access.access import Perm, require
from baocao.access.policy import POLICY
from baocao.catalog.models import Field
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.orgunits.models import OrgUnit

Actor = AbstractBaseUser | AnonymousUser
DEFAULT_REGIME = "hanh_chinh"


class RegisterError(ValidationError):
    """Refused input; ``messages`` names every field and problem."""


def require_writable(actor: Actor, unit: OrgUnit, *periods: str | Period | None) -> None:
    """Data-entry permission on the unit, and the periods concerned still open for changes
    (the one permission policy: a unit or period containing them may have closed them)."""
    require(actor, unit, Perm.ENTER)
    wanted = [p if isinstance(p, Period) else Period.from_code(p) for p in periods if p]
    POLICY.require_change_many(actor, [(unit, p, DEFAULT_REGIME, "") for p in wanted])


def user_or_none(actor: Actor) -> Any:
    return actor if actor.is_authenticated else None


def save_changes(
    actor: Actor, obj: Any, values: dict[str, Any], snapshot: Callable[[Any], dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Set ``values`` on a register row; when that changes its ``snapshot``, stamp who changed
    it and save it. The (before, after) snapshots for the audit record, or None when nothing
    changed (then nothing is saved). Call inside the caller's transaction."""
    before = snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    after = snapshot(obj)
    if after == before:
        return None
    obj.updated_by = user_or_none(actor)
    obj.save()
    return before, after


def period_or_none(value: Period | str | None, what: str) -> Period | None:
    if value is None or value == "":
        return None
    if isinstance(value, Period):
        return value
    try:
        return parse_period(str(value))
    except PeriodError as exc:
        raise RegisterError(f"trường {what}: {exc}") from None


def field_or_none(code: str | None) -> Field | None:
    if not code:
        return None
    found = Field.objects.filter(code=code).first()
    if found is None:
        known = ", ".join(Field.objects.values_list("code", flat=True))
        raise RegisterError(f"trường field: lĩnh vực '{code}' không có (dùng: {known})")
    return found
