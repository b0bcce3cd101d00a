"""The audit trail: every change of a value, state, unit, catalog entry or permission."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, help_text="Kept when the user account is removed")
    action = models.CharField(max_length=40, db_index=True, help_text="value.create, state.submit …")
    entity = models.CharField(max_length=40)
    # "<indicator>|<unit>|<period>|<regime>|<target>": the longest codes pass 64 characters
    entity_id = models.CharField(max_length=255)
    unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL)
    period = models.CharField(max_length=10, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["entity", "entity_id"]),
            models.Index(fields=["unit", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action} {self.summary}"
