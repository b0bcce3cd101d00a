"""Registers of a reporting unit: documents (sổ văn bản), tasks (nhiệm vụ), narrative entries.

All three belong to the unit that reports — the same unit its data values are stored on —
and are written only through ``baocao.registers.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Origin(models.TextChoices):
    # The department drafted it and the province (UBND tỉnh, Tỉnh ủy) issued it: "tham mưu ban hành".
    DRAFTED = "tham_muu", "Sở tham mưu cấp tỉnh ban hành"
    ISSUED = "so_ban_hanh", "Sở ban hành"
    CITED = "trich_dan", "Văn bản khác được trích dẫn"


class Document(models.Model):
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=60, blank=True, help_text="Loại văn bản: Kế hoạch, Quyết định…")
    number = models.CharField(max_length=80, help_text="Số, ký hiệu: 16/KH-UBND")
    issued_on = models.DateField(null=True, blank=True, help_text="Ngày ban hành")
    # The same number recurs every year ("16/KH-UBND"); the year tells them apart (0: not known).
    year = models.PositiveIntegerField(default=0)
    issuer = models.CharField(max_length=40, blank=True, help_text="Cơ quan ban hành theo ký hiệu: UBND, TTg")
    issuing_body = models.CharField(max_length=255, blank=True, help_text="Tên cơ quan ban hành")
    summary = models.TextField(blank=True, help_text="Trích yếu nội dung")
    field = models.ForeignKey(
        "catalog.Field", null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.CITED)
    period = models.CharField(max_length=10, help_text="Kỳ báo cáo tính văn bản này (mã kỳ: 2022Q1, 2022)")
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["issued_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "year"], name="unique_document_number"),
        ]
        indexes = [models.Index(fields=["unit", "period"]), models.Index(fields=["unit", "number"])]

    def __str__(self) -> str:
        return f"{self.kind or 'Văn bản'} số {self.number}"


class TaskStatus(models.TextChoices):
    TODO = "chua_thuc_hien", "Chưa thực hiện"
    DOING = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"
    CARRIED = "chuyen_ky_sau", "Chuyển kỳ sau"


class Task(models.Model):
    """A task of the "phương hướng, nhiệm vụ kỳ tới"; the next report says how it ended."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="tasks")
    field = models.ForeignKey(
        "catalog.Field", null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    content = models.TextField(help_text="Nội dung nhiệm vụ; được trích dẫn văn bản [16/KH-UBND]")
    owner = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_tasks"
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="Đơn vị chủ trì (khi không có trong cây)"
    )
    set_in_period = models.CharField(max_length=10, blank=True, help_text="Kỳ báo cáo đề ra nhiệm vụ")
    due_period = models.CharField(max_length=10, help_text="Kỳ phải thực hiện")
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.TODO)
    note = models.TextField(blank=True, help_text="Kết quả, lý do chưa hoàn thành")
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["due_period", "order", "id"]
        indexes = [models.Index(fields=["unit", "due_period"])]

    def __str__(self) -> str:
        return f"{self.due_period}: {self.content[:60]}"


class NarrativeEntry(models.Model):
    """One item (bullet, paragraph) of a report section, with placeholders for figures."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="narrative_entries")
    period = models.CharField(max_length=10)
    section = models.CharField(max_length=40, help_text="Khóa mục của mẫu báo cáo: vb, bc, cntt…")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["section", "order", "id"]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"{self.period}/{self.section}#{self.order}"
