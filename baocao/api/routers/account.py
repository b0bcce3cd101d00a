"""Who the caller is and what they may do: the first call a new integration makes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from baocao.access.models import Membership

from ..auth import actor
from ..schemas import ERRORS, MeOut

router = Router(tags=["Tài khoản / Account"])


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Người dùng của token và vai trò")
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    roles = [
        {"role": m.role, "role_label": m.get_role_display(), "unit": m.unit.code, "unit_name": m.unit.name}
        for m in Membership.objects.filter(user_id=user.pk)
        .select_related("unit")
        .order_by("unit__path", "role")
    ]
    return {
        "username": user.get_username(),
        "full_name": getattr(user, "first_name", "") or "",
        "is_superuser": bool(getattr(user, "is_superuser", False)),
        "roles": roles,
    }
