"""The one access function: what a user may see and do, by org-unit subtree.

A role granted on a unit covers its whole subtree and, across a reorganisation, the
subtrees of the units it succeeded (a viewer of the new Vĩnh Long reads old Trà Vinh).
"""

from __future__ import annotations

import operator
from enum import StrEnum
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from baocao.orgunits.models import OrgUnit

from .models import Membership, Role


class Perm(StrEnum):
    VIEW = "view"
    ENTER = "enter"
    APPROVE = "approve"
    ADMIN = "admin"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.VIEWER: frozenset({Perm.VIEW}),
    Role.DATA_ENTRY: frozenset({Perm.VIEW, Perm.ENTER}),
    Role.APPROVER: frozenset({Perm.VIEW, Perm.ENTER, Perm.APPROVE}),
    Role.ADMIN: frozenset(Perm),
}

User = AbstractBaseUser | AnonymousUser


class AccessDenied(PermissionDenied):
    """Raised with a message that names the user, the permission and the unit."""


def _is_superuser(user: User) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False) and user.is_active)


def _roots(user: User, perm: Perm) -> list[OrgUnit]:
    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms]
    roots = list(OrgUnit.objects.filter(memberships__user_id=user.pk, memberships__role__in=roles).distinct())
    seen = {u.pk for u in roots}
    frontier = roots
    while frontier:
        preds = list(
            OrgUnit.objects.filter(successions__successor__in=frontier).exclude(pk__in=seen).distinct()
        )
        seen.update(u.pk for u in preds)
        roots.extend(preds)
        frontier = preds
    return roots


def visible_units(user: User, perm: Perm = Perm.VIEW) -> QuerySet[OrgUnit]:
    """All units on which `user` holds `perm` (a subtree query; use it to scope every read)."""
    if _is_superuser(user):
        return OrgUnit.objects.all()
    if not user.is_authenticated or not user.is_active:
        return OrgUnit.objects.none()
    roots = _roots(user, perm)
    if not roots:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(reduce(operator.or_, (Q(path__startswith=r.path) for r in roots)))


def can(user: User, unit: OrgUnit, perm: Perm) -> bool:
    if _is_superuser(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return any(unit.path.startswith(root.path) for root in _roots(user, perm))


def require(user: User, unit: OrgUnit, perm: Perm) -> None:
    if not can(user, unit, perm):
        name = user.get_username() if user.is_authenticated else "người dùng chưa đăng nhập"
        raise AccessDenied(f"{name} không có quyền '{perm.value}' trên đơn vị {unit}")


def require_admin(user: User) -> None:
    """Catalog and org-unit structure are changed by system administrators only."""
    if _is_superuser(user):
        return
    if (
        user.is_authenticated
        and Membership.objects.filter(user_id=user.pk, role=Role.ADMIN, unit__parent__isnull=True).exists()
    ):
        return
    name = user.get_username() if user.is_authenticated else "người dùng chưa đăng nhập"
    raise AccessDenied(f"{name} không phải quản trị hệ thống")
