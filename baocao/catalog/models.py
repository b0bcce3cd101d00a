"""The indicator catalog and the validation rules shipped with it."""

from __future__ import annotations

from datetime import date

from django.db import models

from baocao.core.periods import Period


class IndicatorKind(models.TextChoices):
    FLOW = "flow", "Lưu lượng (cộng dồn theo thời gian)"
    STOCK = "stock", "Tồn lượng (lấy giá trị cuối kỳ)"
    RATE = "rate", "Tỷ lệ, mật độ (tính lại từ thành phần)"


class Field(models.Model):
    """A field (lĩnh vực) of the department's work; also a section of the report."""

    code = models.CharField(max_length=16, unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_vi


class Indicator(models.Model):
    code = models.CharField(max_length=80, unique=True)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="indicators")
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    unit = models.CharField(max_length=40, help_text="Đơn vị tính: văn bản, đồng, %, thuê bao/100 dân…")
    kind = models.CharField(max_length=8, choices=IndicatorKind.choices)
    formula = models.CharField(max_length=400, blank=True)
    note = models.TextField(blank=True)
    # A yearly attribute of a unit (population): quarters and months use the year's value.
    yearly_attribute = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    # Reporting changes: an indicator applies over an interval (like an org unit), and a series
    # that replaced an older one (levels 3/4 → "toàn trình/một phần") names it, so a comparison
    # across the break can say so instead of comparing unlike figures.
    valid_from = models.DateField(null=True, blank=True, help_text="Áp dụng từ ngày (trống: từ đầu)")
    valid_to = models.DateField(null=True, blank=True, help_text="Áp dụng đến ngày (trống: hiện hành)")
    replaces = models.CharField(max_length=80, blank=True, help_text="Mã chỉ tiêu cũ mà chỉ tiêu này thay thế")
    source = models.CharField(max_length=255, blank=True, help_text="Căn cứ pháp lý hoặc thống kê")

    class Meta:
        ordering = ["field__order", "order", "code"]

    def applies_between(self, start: date, end: date) -> bool:
        """Whether the indicator is in force on some day of [start, end]."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_to is None or self.valid_to >= start
        )

    def applies_to(self, period: Period) -> bool:
        return self.applies_between(period.start, period.end)

    def begins_after(self, period: Period) -> bool:
        """Whether the series began after ``period`` started: its figures there are not comparable."""
        return self.valid_from is not None and period.start < self.valid_from

    def break_note(self) -> str:
        """Why a comparison across the start of this series is not made, in the report's words."""
        since = f"{self.valid_from:%d/%m/%Y}" if self.valid_from else ""
        basis = f" theo {self.source}" if self.source else ""
        return f"không so sánh được do thay đổi cách thống kê từ ngày {since}{basis}"

    def __str__(self) -> str:
        return f"{self.code} — {self.name_vi}"

    @property
    def is_money(self) -> bool:
        return self.unit == "đồng"

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def in_force(period: Period) -> models.Q:
    """Indicators that apply on some day of the period (a filter for Indicator querysets)."""
    return (models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=period.end)) & (
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=period.start)
    )


class RuleKind(models.TextChoices):
    SUM = "sum", "Tổng bằng tổng các thành phần"
    RATE = "rate", "Tỷ lệ khớp với thành phần"
    CONTINUITY = "continuity", "Liên tục tồn lượng"
    RANGE = "range", "Độ lớn hợp lý"
    JUMP = "jump", "Biến động bất thường so với kỳ trước"


class Severity(models.TextChoices):
    ERROR = "error", "Lỗi"
    WARNING = "warning", "Cảnh báo"


# The parameters of a rule that name indicators (the loader checks them; pages and sources ask
# which indicators a rule is about).
RULE_PARAM_CODES = ("total", "parts", "stock", "inflows", "outflows", "indicator")


class ValidationRule(models.Model):
    code = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=RuleKind.choices)
    name_vi = models.CharField(max_length=255)
    params = models.JSONField(default=dict)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.ERROR)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name_vi}"

    def indicator_codes(self) -> set[str]:
        """The indicators this rule is about."""
        codes: set[str] = set()
        for key in RULE_PARAM_CODES:
            value = self.params.get(key)
            if isinstance(value, list):
                codes.update(str(v) for v in value)
            elif value:
                codes.add(str(value))
        return codes
