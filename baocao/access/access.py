"""What a user may see and do, by org-unit subtree — the module-level face of `policy.POLICY`.

A role granted on a unit covers its whole subtree and, across a reorganisation, the
subtrees of the units it succeeded (a viewer of the new Vĩnh Long reads old Trà Vinh).
The rules themselves (roles, workflow states, separation of duties, token scopes) live in
`baocao.access.policy`; these functions are kept so that callers read as before.
"""

from __future__ import annotations

from django.db.models import QuerySet

from baocao.orgunits.models import OrgUnit

from .policy import POLICY, ROLE_PERMS, AccessDenied, Action, Perm, TokenScope, User

__all__ = [
    "POLICY",
    "ROLE_PERMS",
    "AccessDenied",
    "Action",
    "Perm",
    "TokenScope",
    "User",
    "can",
    "require",
    "require_admin",
    "visible_units",
]


def visible_units(user: User, perm: Perm = Perm.VIEW) -> QuerySet[OrgUnit]:
    """All units on which `user` holds `perm` (a subtree query; use it to scope every read)."""
    return POLICY.visible_units(user, perm)


def can(user: User, unit: OrgUnit, perm: Perm) -> bool:
    return POLICY.can(user, unit, perm)


def require(user: User, unit: OrgUnit, perm: Perm) -> None:
    POLICY.require_perm(user, unit, perm)


def require_admin(user: User) -> None:
    """Catalog and org-unit structure are changed by system administrators only."""
    if not POLICY.is_system_admin(user):
        name = user.get_username() if user.is_authenticated else "người dùng chưa đăng nhập"
        raise AccessDenied(f"{name} không phải quản trị hệ thống")
