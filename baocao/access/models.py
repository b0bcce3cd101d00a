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


class DutyRule(models.Model):
    """Separation of duties, set per province (or any unit: the nearest one containing a unit
    decides). With no rule a person may not approve what they submitted."""

    unit = models.OneToOneField("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="duty_rule")
    submitter_may_not_approve = models.BooleanField(
        default=True, help_text="Người gửi số liệu không được tự phê duyệt số liệu đó"
    )

    class Meta:
        verbose_name = "quy tắc phân tách nhiệm vụ"
        verbose_name_plural = "quy tắc phân tách nhiệm vụ"

    def __str__(self) -> str:
        rule = "người gửi không tự duyệt" if self.submitter_may_not_approve else "người gửi được tự duyệt"
        return f"{self.unit}: {rule}"
