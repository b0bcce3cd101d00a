"""Data sources: where a figure comes from, how it arrives, and what each run brought.

Source: a system or enterprise that holds figures (the one-stop system, the document system,
an enterprise's monthly table), the units it reports for, how its export arrives (uploaded,
dropped in a watched folder, polled from a URL on a schedule, pushed to the API), the mapping
from its layout to catalog indicators (YAML text, read by `mapping.py`) and the service
account its figures are written as (a data-entry role on its units only).

Run: one arrival — when, from where, what came in, what changed, what failed and why.
HeldFigure: a figure a run did not store, waiting for a person: it failed validation, or it
would replace a figure someone entered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Arrival(models.TextChoices):
    UPLOAD = "upload", "Tải tệp lên"
    FOLDER = "folder", "Thư mục theo dõi"
    URL = "url", "Lấy từ địa chỉ URL theo lịch"
    PUSH = "push", "Hệ thống gửi qua API"


class Source(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Tên ngắn dùng ở dòng lệnh")
    description = models.TextField(blank=True)
    units = models.ManyToManyField("orgunits.OrgUnit", related_name="data_sources")
    arrival = models.CharField(max_length=10, choices=Arrival.choices, default=Arrival.UPLOAD)
    url = models.CharField(max_length=500, blank=True)
    auth_header = models.CharField(max_length=80, blank=True, help_text="Tên tiêu đề HTTP, ví dụ Authorization")
    auth_value = models.CharField(max_length=500, blank=True, help_text="Giá trị bí mật của tiêu đề")
    folder = models.CharField(max_length=500, blank=True)
    mapping = models.TextField(help_text="Bảng ánh xạ (YAML)")
    every_minutes = models.PositiveIntegerField(default=0, help_text="0: không chạy theo lịch")
    next_run_at = models.DateTimeField(null=True, blank=True, db_index=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_sources",
        help_text="Tài khoản dịch vụ: nguồn ghi số liệu dưới tên này",
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunState(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    OK = "ok", "Thành công"
    HELD = "held", "Thành công, có số liệu chờ duyệt"
    FAILED = "failed", "Lỗi"


class Run(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=12, help_text="schedule, manual, upload, push, folder")
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=500, blank=True, help_text="URL or file name")
    size = models.PositiveIntegerField(default=0, help_text="Bytes received")
    attempts = models.PositiveIntegerField(default=0)
    figures = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    unmapped = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} #{self.pk} {self.state}"


class HeldState(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    ACCEPTED = "accepted", "Đã chấp nhận"
    REJECTED = "rejected", "Đã bỏ"


class HeldFigure(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="held_figures")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="held_figures")
    indicator = models.ForeignKey("catalog.Indicator", null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(max_length=80)
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    is_target = models.BooleanField(default=False)
    regime = models.CharField(max_length=16, default="hanh_chinh")
    value = models.DecimalField(max_digits=30, decimal_places=6)
    label = models.CharField(max_length=255, blank=True, help_text="The source's own words")
    where = models.CharField(max_length=255, blank=True, help_text="The cell it came from")
    reason = models.TextField()
    source_ref = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=HeldState.choices, default=HeldState.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run__started_at", "id"]

    def __str__(self) -> str:
        return f"{self.code}@{self.unit_id}/{self.period}={self.value} ({self.state})"
