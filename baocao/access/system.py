"""The account that command-line and start-up jobs act as, so that they are audited too."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

SYSTEM_USERNAME = "he-thong"


def system_user() -> AbstractUser:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_superuser": True, "is_staff": False, "first_name": "Hệ thống"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user  # type: ignore[return-value]
