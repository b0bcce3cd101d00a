"""What differs between two reports of the same unit: number, date, signer, recipients.

Headings, wording and the default signer of a province live in the YAML templates
(``baocao/reports/templates_config``); the settings of one report live here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

OMIT_MISSING = "omit"
MISSING_CHOICES = [
    ("", "Chưa quyết định: bản để ký chờ nhập đủ số liệu"),
    (OMIT_MISSING, "Bỏ các câu cần số liệu còn thiếu"),
]


class ReportSettings(models.Model):
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="report_settings")
    period = models.CharField(max_length=10)
    number = models.CharField(max_length=20, blank=True, help_text="Số báo cáo (để trống đến khi vào sổ)")
    issued_on = models.DateField(null=True, blank=True, help_text="Ngày ký")
    signer_authority = models.CharField(max_length=80, blank=True, help_text="GIÁM ĐỐC hoặc KT. GIÁM ĐỐC")
    signer_title = models.CharField(max_length=80, blank=True, help_text="PHÓ GIÁM ĐỐC khi ký thay")
    signer_name = models.CharField(max_length=120, blank=True)
    recipients = models.JSONField(null=True, blank=True, help_text="Nơi nhận (thay danh sách của mẫu)")
    missing_figures = models.CharField(
        max_length=10, blank=True, default="", choices=MISSING_CHOICES,
        help_text="Bản để ký: số liệu còn thiếu thì làm gì",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unique_report_settings"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"
