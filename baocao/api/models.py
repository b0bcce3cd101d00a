"""API tokens. Only a SHA-256 hash of a token is stored: a copy of the database does not
let anyone call the API, and a lost token can only be revoked and issued anew."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="Hệ thống hoặc mục đích dùng: 'HTTT một cửa'")
    key_hash = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 (hex) của token"
    )
    # The first characters of the token (not secret on their own) let a person tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True, help_text="Thời điểm thu hồi; trống: còn hiệu lực")
    # Scope: a token can do less than its user (never more): read only, some units only, until a date.
    read_only = models.BooleanField(default=False, help_text="Chỉ đọc: không ghi được gì")
    units = models.ManyToManyField(
        "orgunits.OrgUnit", blank=True, related_name="+", help_text="Chỉ các đơn vị này (và đơn vị trực thuộc)"
    )
    expires = models.DateTimeField(null=True, blank=True, help_text="Hết hạn lúc; trống: không hết hạn")

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        state = "đã thu hồi" if self.revoked else "hiệu lực"
        return f"{self.prefix}… {self.name} ({self.user}, {state})"

    @property
    def is_active(self) -> bool:
        return self.revoked is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires is not None and self.expires <= timezone.now()
