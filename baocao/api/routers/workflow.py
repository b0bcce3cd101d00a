"""Validation findings and the workflow of a unit's period: draft → submitted → approved → locked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from baocao.access.access import Perm, visible_units
from baocao.core.periods import Period
from baocao.datavalues import workflow
from baocao.datavalues.models import State, Submission
from baocao.datavalues.validation import FAIL, OK, SKIPPED, validate
from baocao.orgunits.models import OrgUnit

from ..auth import actor
from ..params import PeriodParam, RegimeCode, RegimeParam, UnitParam, due_date, period_of, unit_of
from ..present import exact
from ..schemas import ERRORS, StateOut, SubmitPreviewOut, ValidationOut, WorkflowIn, WorkflowStatus

router = Router(tags=["Kiểm tra và quy trình / Validation and workflow"])


@router.get(
    "/validation", response={200: ValidationOut, **ERRORS}, summary="Kết quả kiểm tra số liệu của một kỳ"
)
def validation(
    request: HttpRequest,
    unit: UnitParam,
    period: PeriodParam,
) -> dict[str, Any]:
    chosen = period_of(period)
    found = unit_of(actor(request), unit, on=chosen.end)
    findings = validate(found, chosen)
    return {
        "unit": found.code,
        "unit_name": found.name,
        "period": chosen.code,
        "period_label": chosen.label,
        "ok": sum(1 for f in findings if f.status == OK),
        "fail": sum(1 for f in findings if f.status == FAIL),
        "skipped": sum(1 for f in findings if f.status == SKIPPED),
        "findings": [
            {
                "rule": f.rule,
                "rule_name": f.rule_name,
                "kind": f.kind,
                "severity": f.severity,
                "status": f.status,
                "message": f.message,
                "numbers": {k: exact(v) for k, v in f.numbers.items()},
            }
            for f in findings
        ],
    }


def _states(units: list[OrgUnit], period: Period, regime: str) -> list[dict[str, Any]]:
    due_date(regime, period)  # a period without a due date is a 422, not an overflow
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(unit__in=units, period=period.code, regime=regime).select_related(
            "submitted_by", "approved_by"
        )
    }
    rows = []
    for row in workflow.timeliness(units, period, regime=regime):
        s = submissions.get(row.unit.pk)
        rows.append(
            {
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                "period": period.code,
                "period_label": period.label,
                "regime": regime,
                "state": row.state,
                "state_label": State(row.state).label,
                "submitted_at": s.submitted_at if s else None,
                "submitted_by": s.submitted_by.get_username() if s and s.submitted_by else None,
                "approved_at": s.approved_at if s else None,
                "approved_by": s.approved_by.get_username() if s and s.approved_by else None,
                "open_errors": s.open_errors if s else 0,
                "submit_note": s.submit_note if s else "",
                "return_comment": s.return_comment if s else "",
                "due_date": row.due,
                "timeliness": row.label,
                "is_late": row.is_late,
            }
        )
    return rows


@router.get(
    "/workflow", response={200: WorkflowStatus, **ERRORS}, summary="Trạng thái số liệu, hạn nộp, đơn vị con"
)
def status(
    request: HttpRequest,
    unit: UnitParam,
    period: PeriodParam,
    regime: RegimeParam,
) -> dict[str, Any]:
    """`children` lists the units under this one that existed in the period, so that a
    province sees who has submitted and who is late (completeness and timeliness)."""
    user = actor(request)
    chosen = period_of(period)
    found = unit_of(user, unit, on=chosen.end)
    code = RegimeCode(regime).value
    visible = found.children.filter(pk__in=visible_units(user, Perm.VIEW)).order_by("path")
    children = [c for c in visible if c.overlaps(chosen.start, chosen.end)]
    own, *rest = _states([found, *children], chosen, code)
    return {**own, "children": rest}


Transition = Callable[..., Submission]


def _transition(
    request: HttpRequest, payload: WorkflowIn, change: Transition, **extra: str
) -> dict[str, Any]:
    user = actor(request)
    chosen = period_of(payload.period)
    found = unit_of(user, payload.unit, on=chosen.end)
    code = RegimeCode(payload.regime).value
    due_date(code, chosen)
    change(user, found, chosen, regime=code, **extra)
    return _states([found], chosen, code)[0]


@router.get(
    "/workflow/preview", response={200: SubmitPreviewOut, **ERRORS},
    summary="Những gì sẽ được gửi: số chỉ tiêu đã nhập, lỗi và cảnh báo còn mở",
)
def submit_preview(request: HttpRequest, unit: UnitParam, period: PeriodParam) -> dict[str, Any]:
    chosen = period_of(period)
    found = unit_of(actor(request), unit, on=chosen.end)
    p = workflow.preview(found, chosen)

    def rows(findings: list[Any]) -> list[dict[str, Any]]:
        return [{"rule": f.rule, "rule_name": f.rule_name, "kind": f.kind, "severity": f.severity,
                 "status": f.status, "message": f.message,
                 "numbers": {k: exact(v) for k, v in f.numbers.items()}} for f in findings]

    return {"unit": found.code, "unit_name": found.name, "period": chosen.code, "period_label": chosen.label,
            "state": p.state, "entered": p.entered, "expected": p.expected,
            "errors": rows(p.errors), "warnings": rows(p.warnings), "needs_reason": p.needs_reason}


@router.post(
    "/workflow/submit", response={200: StateOut, **ERRORS},
    summary="Gửi số liệu (nhập liệu); còn lỗi thì cần lý do (`reason`) cho người duyệt",
)
def submit(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.submit, reason=payload.reason)


@router.post(
    "/workflow/withdraw", response={200: StateOut, **ERRORS},
    summary="Rút lại số liệu đã gửi mà chưa ai phê duyệt (nhập liệu)",
)
def withdraw(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.withdraw)


@router.post(
    "/workflow/return", response={200: StateOut, **ERRORS},
    summary="Trả lại số liệu đã gửi để sửa, với nhận xét (`reason`, bắt buộc; phê duyệt)",
)
def return_for_changes(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.return_for_changes, comment=payload.reason)


@router.post("/workflow/approve", response={200: StateOut, **ERRORS}, summary="Duyệt số liệu (phê duyệt)")
def approve(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.approve)


@router.post("/workflow/lock", response={200: StateOut, **ERRORS}, summary="Khóa số liệu đã duyệt")
def lock(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.lock)


@router.post("/workflow/reopen", response={200: StateOut, **ERRORS}, summary="Mở lại số liệu (cần lý do)")
def reopen(request: HttpRequest, payload: WorkflowIn) -> dict[str, Any]:
    return _transition(request, payload, workflow.reopen, reason=payload.reason)
