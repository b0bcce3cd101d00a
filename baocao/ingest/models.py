"""Reports read by the extractor, and the facts a reviewer accepts, corrects or rejects."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.datavalues.models import Qualifier


class DocumentStatus(models.TextChoices):
    EXTRACTED = "extracted", "Đã trích xuất, chờ duyệt"
    LOADED = "loaded", "Đã nạp vào CSDL"


class SourceDocument(models.Model):
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="ingest/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    text = models.TextField(help_text="Văn bản đã đọc từ tệp, để đối chiếu bằng chứng")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="source_documents")
    period = models.CharField(max_length=10)
    province_as_written = models.CharField(max_length=200, blank=True)
    extraction = models.JSONField(help_text="Kết quả trích xuất nguyên bản (dạng gold JSON)")
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.EXTRACTED)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    ACCEPTED = "accepted", "Chấp nhận"
    CORRECTED = "corrected", "Đã sửa"
    REJECTED = "rejected", "Loại bỏ"


class ExtractedFact(models.Model):
    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="facts")
    position = models.PositiveIntegerField()
    indicator = models.CharField(max_length=80)
    value = models.DecimalField(max_digits=30, decimal_places=6)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    period = models.CharField(max_length=10)
    is_target = models.BooleanField(default=False)
    evidence = models.CharField(max_length=400)
    flag = models.CharField(max_length=20, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    note = models.CharField(max_length=255, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    loaded = models.BooleanField(default=False)

    class Meta:
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value} ({self.period})"
