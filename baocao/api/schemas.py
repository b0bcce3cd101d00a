"""Request and response shapes of the API (they are also the OpenAPI document)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field, StrictFloat, StrictInt

from baocao.datavalues.models import Qualifier
from baocao.registers.models import Origin, TaskStatus

from .params import (
    DEFAULT_REGIME,
    INDICATOR_EXAMPLES,
    PERIOD_EXAMPLES,
    UNIT_EXAMPLES,
    CleanStr,
    PeriodField,
    RegimeCode,
    UnitField,
)


# -- errors ---------------------------------------------------------------------------------------
class ErrorItem(Schema):
    field: str | None = None
    message: str
    # A stale write (409 stale_version) also gives both values and the stored version.
    yours: str | None = None
    theirs: str | None = None
    changed_by: str | None = None
    changed_at: str | None = None
    version: str | None = None


class Error(Schema):
    code: str = Field(
        description="unauthorized, forbidden, not_found, invalid, invalid_request, invalid_period…"
    )
    message: str
    field: str | None = None
    errors: list[ErrorItem] = []


# The error statuses every authenticated endpoint can answer with.
ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 404: Error, 422: Error}
# … and those that write values: 409 when the value changed after the writer read it.
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: Error}


class Page(Schema):
    count: int
    limit: int
    offset: int


# -- org units ------------------------------------------------------------------------------------
class UnitRef(Schema):
    code: str
    name: str
    level: str
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    level_label: str
    parent: UnitRef | None
    gso_code: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class UnitPage(Page):
    items: list[UnitOut]


class SuccessionOut(Schema):
    unit: UnitRef
    date: datetime.date
    kind: str
    legal_basis: str


class UnitDetail(UnitOut):
    children: list[UnitRef]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


# -- periods --------------------------------------------------------------------------------------
class PeriodRef(Schema):
    code: str
    label: str


class RegimeOut(Schema):
    code: str
    name_vi: str
    name_en: str
    kind: str
    legal_basis: str | None


class RegimeWindow(RegimeOut):
    window_start: datetime.date
    window_end: datetime.date
    due_date: datetime.date


class PeriodOut(Schema):
    code: str
    label: str
    label_en: str
    slug: str
    type: str
    year: int
    index: int
    start: datetime.date
    end: datetime.date
    previous: PeriodRef | None
    next: PeriodRef | None
    same_period_last_year: PeriodRef | None
    regime: RegimeWindow


# -- catalog --------------------------------------------------------------------------------------
class FieldOut(Schema):
    code: str
    name_vi: str
    name_en: str
    order: int
    indicator_count: int


class IndicatorOut(Schema):
    code: str
    field: str
    field_name: str
    name_vi: str
    name_en: str
    unit: str
    kind: str
    formula: str
    parts: list[str] = Field(description="Mã các chỉ tiêu thành phần trong công thức")
    note: str
    yearly_attribute: bool
    is_active: bool
    valid_from: datetime.date | None = Field(None, description="Áp dụng từ ngày (trống: từ đầu)")
    valid_to: datetime.date | None = Field(None, description="Áp dụng đến ngày (trống: hiện hành)")
    replaces: str = Field("", description="Mã chỉ tiêu cũ mà chỉ tiêu này thay thế (đổi cách báo cáo)")
    source: str = Field("", description="Căn cứ pháp lý hoặc thống kê")


class FieldDetail(FieldOut):
    indicators: list[IndicatorOut]


class RuleOut(Schema):
    code: str
    kind: str
    name_vi: str
    severity: str
    params: dict[str, Any]
    is_active: bool


# -- data values ----------------------------------------------------------------------------------
class ValueOut(Schema):
    id: int
    indicator: str
    unit: str
    unit_name: str
    period: str
    period_label: str
    regime: str
    target: bool
    value: float = Field(description="Giá trị dạng số (JSON number)")
    exact: str = Field(description="Giá trị chính xác dạng chuỗi thập phân, dấu chấm: '73.95'")
    display: str = Field(description="Giá trị viết kiểu Việt Nam: '1.599', '73,95'")
    qualifier: str
    source: str
    source_ref: str
    flag: str
    comment: str
    state: str = Field(
        description="Trạng thái số liệu của đơn vị trong kỳ: draft, submitted, approved, locked"
    )
    updated_at: datetime.datetime
    updated_by: str | None
    version: str = Field(
        description="Phiên bản của số liệu: gửi lại trong trường version khi sửa để không ghi đè thay đổi của người khác"
    )


class ValuePage(Page):
    items: list[ValueOut]


class ValueIn(Schema):
    indicator: CleanStr = Field(
        min_length=1, max_length=80, description="Mã chỉ tiêu: cntt.qlvb.vb_di", examples=INDICATOR_EXAMPLES
    )
    unit: CleanStr = Field(
        min_length=1, max_length=200, description="Mã đơn vị (P63-84) hoặc tên", examples=UNIT_EXAMPLES
    )
    period: CleanStr = Field(
        min_length=1,
        max_length=60,
        description="Mã kỳ (2022Q1) hoặc nhãn (quý I/2022)",
        examples=PERIOD_EXAMPLES,
    )
    value: StrictInt | StrictFloat | CleanStr = Field(
        description="Số JSON, hoặc chuỗi viết kiểu Việt Nam: '1.599', '73,95%', 'ước 76 tỷ đồng'",
        examples=[1599, "1.599", "73,95%", "ước 76 tỷ đồng"],
    )
    qualifier: Qualifier | None = Field(
        None,
        description="exact, approx, more_than, less_than; mặc định lấy từ chuỗi ('ước', 'hơn') hoặc exact",
    )
    target: bool = Field(False, description="Kế hoạch, chỉ tiêu (không phải kết quả)")
    regime: RegimeCode = DEFAULT_REGIME  # type: ignore[valid-type]
    comment: CleanStr = Field("", max_length=2000)
    version: str | None = Field(
        None,
        max_length=40,
        description="Phiên bản đã đọc (trường version của GET /values); '' khi đọc thấy chưa có số liệu. "
        "Nếu số liệu đã đổi sau đó, yêu cầu bị từ chối 409 kèm cả hai giá trị. Bỏ trống: không kiểm tra",
    )


class ValuesIn(Schema):
    values: list[ValueIn] = Field(min_length=1, max_length=5000)
    reason: CleanStr = Field("", max_length=1000, description="Lý do (ghi nhật ký)")
    source_ref: CleanStr = Field("", max_length=255, description="Hệ thống gửi, tệp gốc…")


class Deleted(Schema):
    id: int
    deleted: bool


class SaveOut(Schema):
    created: int
    updated: int
    unchanged: int
    total: int


class ResolvedPoint(Schema):
    period: str
    period_label: str
    value: float | None
    exact: str | None
    display: str | None
    qualifier: str
    how: str = Field(
        description="reported, computed, children, subperiods, last_subperiod, predecessors, year_value, missing"
    )
    note: str
    incomplete: bool


class ResolvedOut(ResolvedPoint):
    indicator: str
    indicator_name: str
    indicator_unit: str
    unit: str
    unit_name: str
    regime: str
    target: bool
    parts: dict[str, str | None] = Field(
        description="Thành phần đã dùng để tính (chỉ tiêu tính từ công thức)"
    )
    via_predecessors: list[str]
    series: list[ResolvedPoint]
    comparability_note: str


# -- validation and workflow ----------------------------------------------------------------------
class FindingOut(Schema):
    rule: str
    rule_name: str
    kind: str
    severity: str
    status: str = Field(description="ok, fail, skipped")
    message: str
    numbers: dict[str, str | None]


class ValidationOut(Schema):
    unit: str
    unit_name: str
    period: str
    period_label: str
    ok: int
    fail: int
    skipped: int
    findings: list[FindingOut]


class StateOut(Schema):
    unit: str
    unit_name: str
    period: str
    period_label: str
    regime: str
    state: str
    state_label: str
    submitted_at: datetime.datetime | None
    submitted_by: str | None
    approved_at: datetime.datetime | None
    approved_by: str | None
    open_errors: int = 0
    submit_note: str = Field("", description="Lý do gửi khi còn lỗi, để người duyệt đọc")
    return_comment: str = Field("", description="Nhận xét của người duyệt khi trả lại")
    due_date: datetime.date
    timeliness: str
    is_late: bool


class WorkflowStatus(StateOut):
    children: list[StateOut]


class SubmitPreviewOut(Schema):
    unit: str
    unit_name: str
    period: str
    period_label: str
    state: str
    entered: int
    expected: int
    errors: list[FindingOut]
    warnings: list[FindingOut]
    needs_reason: bool


class WorkflowIn(Schema):
    unit: UnitField
    period: PeriodField
    regime: RegimeCode = DEFAULT_REGIME  # type: ignore[valid-type]
    reason: CleanStr = Field(
        "", max_length=1000,
        description="Bắt buộc khi mở lại (reopen), khi trả lại (return: nhận xét) và khi gửi còn lỗi (submit)",
        examples=["Sửa số liệu chứng thư số"],
    )


# -- registers ------------------------------------------------------------------------------------
# Lengths are those of the model's columns: PostgreSQL refuses longer text with an error.
class DocumentIn(Schema):
    number: CleanStr = Field(min_length=1, max_length=80, description="Số, ký hiệu", examples=["16/KH-UBND"])
    kind: CleanStr = Field(
        "", max_length=60, description="Loại: Kế hoạch, Quyết định… (mặc định theo ký hiệu)"
    )
    issued_on: datetime.date | None = Field(None, description="Ngày ban hành", examples=["2022-02-24"])
    issuing_body: CleanStr = Field("", max_length=255)
    summary: CleanStr = Field("", max_length=5000, description="Trích yếu")
    field: CleanStr = Field("", max_length=16, description="Mã lĩnh vực", examples=["cntt"])
    origin: Origin = Origin.CITED
    period: CleanStr = Field(
        "", max_length=60, description="Kỳ tính văn bản; mặc định theo ngày ban hành", examples=["quý I/2022"]
    )
    note: CleanStr = Field("", max_length=5000)
    reason: CleanStr = Field("", max_length=1000, description="Lý do (ghi nhật ký)")


class DocumentNew(DocumentIn):
    unit: UnitField


class DocumentOut(Schema):
    id: int
    unit: str
    unit_name: str
    kind: str
    number: str
    issued_on: datetime.date | None
    year: int
    issuer: str
    issuing_body: str
    summary: str
    field: str | None
    origin: str
    period: str
    period_label: str
    note: str
    updated_at: datetime.datetime
    updated_by: str | None


class DocumentPage(Page):
    items: list[DocumentOut]


class TaskIn(Schema):
    content: CleanStr = Field(
        min_length=1, max_length=5000, description="Nội dung; trích dẫn văn bản [16/KH-UBND]",
        examples=["Triển khai nền tảng số dùng chung của tỉnh"],
    )  # fmt: skip
    due_period: CleanStr = Field(
        min_length=1, max_length=60, description="Kỳ phải thực hiện", examples=PERIOD_EXAMPLES
    )
    field: CleanStr = Field("", max_length=16, description="Mã lĩnh vực", examples=["cntt"])
    owner: CleanStr = Field("", max_length=200, description="Mã đơn vị chủ trì (trong cây đơn vị)")
    owner_name: CleanStr = Field("", max_length=200, description="Tên đơn vị chủ trì (ngoài cây đơn vị)")
    set_in_period: CleanStr = Field("", max_length=60, description="Kỳ báo cáo đề ra nhiệm vụ")
    status: TaskStatus = TaskStatus.TODO
    note: CleanStr = Field("", max_length=5000, description="Kết quả, lý do chưa hoàn thành")
    order: int | None = Field(None, ge=0, le=1_000_000)
    reason: CleanStr = Field("", max_length=1000, description="Lý do (ghi nhật ký)")


class TaskNew(TaskIn):
    unit: UnitField


class TaskStatusIn(Schema):
    status: TaskStatus
    note: CleanStr | None = Field(None, max_length=5000)
    reason: CleanStr = Field("", max_length=1000)


class TaskOut(Schema):
    id: int
    unit: str
    unit_name: str
    field: str | None
    content: str
    owner: str | None
    owner_name: str
    set_in_period: str | None
    due_period: str
    due_period_label: str
    status: str
    status_label: str
    note: str
    order: int
    updated_at: datetime.datetime
    updated_by: str | None


class TaskPage(Page):
    items: list[TaskOut]


# -- tokens ---------------------------------------------------------------------------------------
class MeOut(Schema):
    username: str
    full_name: str
    is_superuser: bool
    roles: list[dict[str, str]]
