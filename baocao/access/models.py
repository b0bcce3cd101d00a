"""Roles are granted on an org-unit subtree."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    DATA_ENTRY = "data_entry", "Nhập liệu"
    APPROVER = "approver", "Phê duyệt"
    VIEWER = "viewer", "Xem"
    ADMIN = "admin", "Quản trị"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
