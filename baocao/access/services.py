"""Users and role grants — audited like every other change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AbstractUser, AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from baocao.audit.services import record
from baocao.orgunits.models import OrgUnit

from .access import Perm, require, require_admin
from .models import Membership, Role

Actor = AbstractBaseUser | AnonymousUser


def create_user(
    actor: Actor,
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    reason: str = "",
) -> AbstractUser:
    require_admin(actor)
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        raise ValidationError({"username": f"Tên đăng nhập '{username}' đã có"})
    user = model(
        username=username, email=email, first_name=full_name, is_superuser=is_superuser, is_staff=is_superuser
    )
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        record(
            actor,
            "user.create",
            "user",
            username,
            after={"full_name": full_name, "email": email, "is_superuser": is_superuser},
            reason=reason,
        )
    return user  # type: ignore[return-value]


def grant_role(
    actor: Actor, user: AbstractBaseUser, unit: OrgUnit, role: str, *, reason: str = ""
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"Vai trò '{role}' không hợp lệ ({', '.join(Role.values)})"})
    require(actor, unit, Perm.ADMIN)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            record(
                actor,
                "permission.grant",
                "membership",
                membership.pk,
                unit=unit,
                summary=f"{user.get_username()}: {Role(role).label} trên {unit}",
                after={"user": user.get_username(), "unit": unit.code, "role": role},
                reason=reason,
            )
    return membership


def revoke_role(actor: Actor, membership: Membership, *, reason: str = "") -> None:
    require(actor, membership.unit, Perm.ADMIN)
    with transaction.atomic():
        record(
            actor,
            "permission.revoke",
            "membership",
            membership.pk,
            unit=membership.unit,
            summary=f"{membership.user.get_username()}: {membership.get_role_display()} trên {membership.unit}",
            before={
                "user": membership.user.get_username(),
                "unit": membership.unit.code,
                "role": membership.role,
            },
            reason=reason,
        )
        membership.delete()
