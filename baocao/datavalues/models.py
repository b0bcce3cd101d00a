"""Data values of catalog indicators, and the workflow state of a unit's period."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Qualifier(models.TextChoices):
    EXACT = "exact", "Chính xác"
    APPROX = "approx", "Ước, khoảng"
    MORE_THAN = "more_than", "Hơn, trên"
    LESS_THAN = "less_than", "Dưới"


class Source(models.TextChoices):
    ENTRY = "entry", "Nhập tay"
    IMPORT = "import", "Nhập từ tệp"
    EXTRACTION = "extraction", "Trích xuất từ báo cáo"
    API = "api", "API"
    FEED = "feed", "Nguồn dữ liệu tự động"


class DataValue(models.Model):
    """One figure. The table holds tens of millions of rows nationally, so it carries no index
    the composite ones already give (the unique key starts with the indicator, (unit, period)
    with the unit) and no database-level foreign keys: every write path (services, bulk import)
    resolves indicator, unit and user before writing, and indicators and units are never
    deleted (PROTECT is still enforced by Django). A million-row import would otherwise spend
    more time in per-row constraint triggers than in the load itself."""

    indicator = models.ForeignKey(
        "catalog.Indicator", on_delete=models.PROTECT, related_name="values", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="values", db_index=False, db_constraint=False
    )
    period = models.CharField(max_length=10, help_text="Mã kỳ: 2022, 2022Q1, 2022S1, 202203")
    period_type = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    regime = models.CharField(
        max_length=16, default="hanh_chinh", help_text="Chế độ báo cáo (khung thời gian)"
    )
    is_target = models.BooleanField(default=False, help_text="Kế hoạch, chỉ tiêu (không phải kết quả)")
    value = models.DecimalField(max_digits=30, decimal_places=6)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.ENTRY)
    source_ref = models.CharField(
        max_length=255, blank=True, help_text="Tệp, bản trích xuất hoặc hệ thống gửi"
    )
    flag = models.CharField(
        max_length=20, blank=True, help_text="implausible: số liệu như đã viết không thể đúng"
    )
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period", "regime", "is_target"], name="unique_data_value"
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"]),
            models.Index(fields=["unit", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.unit_id}/{self.period}={self.value}"


class State(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi"
    APPROVED = "approved", "Đã duyệt"
    LOCKED = "locked", "Đã khóa"


class Submission(models.Model):
    """Workflow state of the data of one unit for one period (and regime)."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="submissions")
    period = models.CharField(max_length=10)
    regime = models.CharField(max_length=16, default="hanh_chinh")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    open_errors = models.PositiveIntegerField(default=0, help_text="Số lỗi còn mở khi gửi")
    submit_note = models.TextField(blank=True, help_text="Lý do gửi khi còn lỗi (người duyệt đọc)")
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(blank=True, help_text="Nhận xét của người duyệt khi trả lại")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "regime"], name="unique_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}: {self.get_state_display()}"


class RollupCache(models.Model):
    """The summary table of set-based roll-ups (PostgreSQL): one subtree's figure for one period,
    as `rollup.Rollup` computed it, so that a national comparison or a ten-year series reads a
    few rows instead of rolling up ten thousand communes again.

    It only ever holds answers that are still true: database triggers on the values and on the
    unit tree delete the rows a change can affect, in the same transaction as the change (see
    `rollup_cache`). A row with no value records that the subtree had no figure. Plain integer
    columns, like the values: rows are written and deleted by set queries and triggers."""

    indicator_id = models.IntegerField()
    unit_id = models.IntegerField()
    period = models.CharField(max_length=10)
    regime = models.CharField(max_length=16)
    is_target = models.BooleanField()
    yearly = models.BooleanField(help_text="Chỉ tiêu theo năm: chỉ giá trị của chính kỳ")
    stock = models.BooleanField(help_text="Chỉ tiêu tồn (lấy kỳ con cuối cùng có số liệu)")
    value = models.DecimalField(max_digits=38, decimal_places=6, null=True)
    qualifier = models.CharField(max_length=10, default="exact")
    units = models.IntegerField(default=0, help_text="Số đơn vị có số liệu được dùng")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_id", "unit_id", "period", "regime", "is_target", "yearly", "stock"],
                name="unique_rollup_cache",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.unit_id}/{self.period}={self.value}"


class ValueChange(models.Model):
    """The old and new value of each value a bulk import changed (bulk.py writes these in one
    statement); who, when and why are on the import's AuditEvent. The table keeps the name it
    was created with."""

    event = models.ForeignKey("audit.AuditEvent", on_delete=models.PROTECT, related_name="value_changes")
    datavalue_id = models.BigIntegerField(db_index=True, help_text="The value changed (kept if it is deleted later)")
    old_value = models.DecimalField(max_digits=30, decimal_places=6)
    old_qualifier = models.CharField(max_length=10)
    old_flag = models.CharField(max_length=20, blank=True)
    old_comment = models.TextField(blank=True)
    old_source = models.CharField(max_length=12, blank=True)
    old_source_ref = models.CharField(max_length=255, blank=True)
    new_value = models.DecimalField(max_digits=30, decimal_places=6)
    new_qualifier = models.CharField(max_length=10)
    new_flag = models.CharField(max_length=20, blank=True)
    new_comment = models.TextField(blank=True)

    class Meta:
        db_table = "jobs_valuechange"

    def __str__(self) -> str:
        return f"{self.datavalue_id}: {self.old_value} → {self.new_value}"


class ScopePeriod(models.Model):
    """A period for which a unit's subtree (the unit included) has results: what the period
    pickers and the default period read instead of scanning the values. Kept by triggers on
    the values (see `scope_periods`); plain integer unit id like the values' other summaries."""

    unit_id = models.BigIntegerField()
    period = models.CharField(max_length=10)
    period_end = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_id", "period"], name="unique_scope_period")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period}"
