"""The workflow of a unit's data for a period: draft → submitted → approved → locked.

Sending shows first what goes out (figures entered of expected, every open error and
warning); open errors block it unless the sender writes a reason, which the approver reads.
Until someone approves it, the sender may withdraw it and an approver may return it with a
comment. Reopening needs a reason and is logged; only an administrator reopens locked data.
Each step notifies the people concerned (`baocao.notifications`). Timeliness is measured
against the reporting regime's due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from baocao.access.models import Role
from baocao.access.policy import POLICY, TRANSITIONS, AccessDenied
from baocao.access.policy import Action as PolicyAction
from baocao.audit.services import record
from baocao.catalog.models import Indicator
from baocao.core.periods import Period, regime_for
from baocao.notifications.services import notify, people_in
from baocao.orgunits.models import OrgUnit

from .models import DataValue, State, Submission
from .services import DEFAULT_REGIME
from .validation import FAIL, Finding, validate

Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Step:
    """One move of the workflow. Which states it starts from and which permission it needs are
    the permission policy's (`baocao.access.policy.TRANSITIONS`); the step adds its words."""

    name: str
    label: str
    target: str

    @property
    def action(self) -> PolicyAction:
        return PolicyAction(self.name)

    @property
    def allowed_from(self) -> frozenset[str]:
        return TRANSITIONS[self.action][0]


STEPS: dict[str, Step] = {
    s.name: s
    for s in (
        Step("submit", "Gửi", State.SUBMITTED),
        Step("withdraw", "Rút lại", State.DRAFT),
        Step("return", "Trả lại", State.DRAFT),
        Step("approve", "Phê duyệt", State.APPROVED),
        Step("lock", "Khóa", State.LOCKED),
        Step("reopen", "Mở lại", State.DRAFT),
    )
}


class WorkflowError(ValidationError):
    pass


def state_of(unit: OrgUnit, period: Period, regime: str = DEFAULT_REGIME) -> str:
    found = Submission.objects.filter(unit=unit, period=period.code, regime=regime).values_list("state", flat=True)
    return found[0] if found else State.DRAFT


def submission_of(unit: OrgUnit, period: Period, regime: str = DEFAULT_REGIME) -> Submission | None:
    return (
        Submission.objects.filter(unit=unit, period=period.code, regime=regime)
        .select_related("submitted_by", "approved_by", "returned_by")
        .first()
    )


@dataclass(frozen=True)
class SubmitPreview:
    """What "Gửi báo cáo" would send: counts and every open finding, in the catalog's names."""

    unit: OrgUnit
    period: Period
    state: str
    entered: int
    expected: int
    errors: list[Finding]
    warnings: list[Finding]

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.entered)

    @property
    def needs_reason(self) -> bool:
        return bool(self.errors)


def preview(unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> SubmitPreview:
    entered_codes = set(
        DataValue.objects.filter(unit=unit, period=period.code, regime=regime, is_target=False)
        .values_list("indicator__code", flat=True)
    )
    expected = set(Indicator.objects.filter(is_active=True, formula="").values_list("code", flat=True))
    failing = [f for f in validate(unit, period) if f.status == FAIL]
    return SubmitPreview(
        unit,
        period,
        state_of(unit, period, regime),
        entered=len(entered_codes & expected),
        expected=len(expected),
        errors=[f for f in failing if f.severity == "error"],
        warnings=[f for f in failing if f.severity != "error"],
    )


def _link(unit: OrgUnit, period: Period) -> str:
    try:
        return reverse("web:entry-overview", kwargs={"unit": unit.code, "period": period.code})
    except NoReverseMatch:  # the web app is not mounted (a command-line run)
        return ""


def _who(actor: Actor) -> str:
    if not actor.is_authenticated:
        return "hệ thống"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return full or actor.get_username()


def _notify_step(actor: Actor, step: Step, submission: Submission, period: Period, text: str) -> None:
    """The people concerned: approvers hear of what waits for them (sent, withdrawn); the
    sender and the unit's data-entry staff hear of what happened to their data."""
    unit = submission.unit
    where = f"{unit.name} — {period.label}"
    if step.name in ("submit", "withdraw"):
        recipients = people_in([Role.APPROVER], unit)
    else:
        recipients = people_in([Role.DATA_ENTRY], unit)
        if submission.submitted_by is not None:
            recipients.append(submission.submitted_by)
    titles = {
        "submit": f"Số liệu {where} chờ phê duyệt",
        "withdraw": f"Số liệu {where} đã được rút lại",
        "return": f"Số liệu {where} bị trả lại để sửa",
        "approve": f"Số liệu {where} đã được phê duyệt",
        "lock": f"Số liệu {where} đã được khóa",
        "reopen": f"Số liệu {where} được mở lại để sửa",
    }
    body = f"{_who(actor)}: {step.label.lower()} số liệu {where}."
    if text:
        body += f"\n{text}"
    notify(recipients, titles[step.name], body, _link(unit, period), skip=actor)


def _explain(step: Step, current: str, unit: OrgUnit, period: Period) -> WorkflowError:
    if step.name in ("withdraw", "return") and current in (State.APPROVED, State.LOCKED):
        return WorkflowError(
            f"Số liệu {unit.name} {period.label} đã được phê duyệt: không thể "
            f"{step.label.lower()}; người duyệt có thể mở lại với lý do"
        )
    return WorkflowError(
        f"Không thể {step.label.lower()} số liệu {unit.name} {period.label} "
        f"khi đang ở trạng thái '{State(current).label}'"
    )


def _apply(submission: Submission, step: Step, actor: Actor, text: str, found: SubmitPreview | None) -> None:
    now, who = timezone.now(), actor if actor.is_authenticated else None
    submission.state = step.target
    if step.name == "submit" and found is not None:
        submission.submitted_at, submission.submitted_by = now, who
        submission.open_errors, submission.submit_note = len(found.errors), text
        submission.return_comment, submission.returned_at, submission.returned_by = "", None, None
    elif step.name == "withdraw":  # withdrawn means not sent: timeliness counts the next sending
        submission.submitted_at = None
    elif step.name == "return":
        submission.returned_at, submission.returned_by, submission.return_comment = now, who, text
    elif step.name == "approve":
        submission.approved_at, submission.approved_by = now, who
    submission.save()


def _check_text(step: Step, text: str, found: SubmitPreview | None) -> None:
    if step.name == "reopen" and not text:
        raise WorkflowError({"reason": "Mở lại số liệu cần ghi lý do"})
    if step.name == "return" and not text:
        raise WorkflowError({"reason": "Trả lại số liệu cần ghi nhận xét cho người gửi"})
    if step.name == "submit" and found is not None and found.errors and not text:
        raise WorkflowError(
            {"reason": f"Số liệu còn {len(found.errors)} lỗi: sửa lỗi trước khi gửi, hoặc ghi lý do "
                       "gửi khi còn lỗi (người phê duyệt sẽ đọc lý do này)"}
        )


def run_step(
    actor: Actor, name: str, unit: OrgUnit, period: Period, *, text: str = "", regime: str = DEFAULT_REGIME
) -> Submission:
    """Move the unit's period by one step: permission, state, reason, audit and notifications,
    all or nothing."""
    if name not in STEPS:
        raise WorkflowError(f"Thao tác không hợp lệ: {name}")
    step, text = STEPS[name], text.strip()
    with transaction.atomic():
        submission, _ = Submission.objects.select_for_update().get_or_create(
            unit=unit, period=period.code, regime=regime
        )
        current = submission.state
        refusal = POLICY.transition_refusal(actor, step.action, unit, submission)
        if refusal:
            raise AccessDenied(refusal)
        if current not in step.allowed_from:
            raise _explain(step, current, unit, period)
        found = preview(unit, period, regime=regime) if step.name == "submit" else None
        _check_text(step, text, found)
        _apply(submission, step, actor, text, found)
        after: dict[str, object] = {"state": step.target, "step": step.name}
        if found is not None:
            after |= {"entered": found.entered, "expected": found.expected,
                      "errors": len(found.errors), "warnings": len(found.warnings)}
        record(
            actor,
            f"state.{step.target}",
            "submission",
            submission.pk,
            unit=unit,
            period=period.code,
            summary=f"{step.label} — {unit.name} {period.label}: {State(current).label} → {State(step.target).label}",
            before={"state": current},
            after=after,
            reason=text,
        )
        _notify_step(actor, step, submission, period, _detail(step, text, found))
    return submission


def _detail(step: Step, text: str, found: SubmitPreview | None) -> str:
    if found is not None:
        line = f"Đã nhập {found.entered}/{found.expected} chỉ tiêu; {len(found.errors)} lỗi, {len(found.warnings)} cảnh báo."
        return line + (f"\nLý do gửi khi còn lỗi: {text}" if text else "")
    if step.name == "return":
        return f"Nhận xét: {text}"
    return f"Lý do: {text}" if text else ""


def submit(
    actor: Actor, unit: OrgUnit, period: Period, *, reason: str = "", regime: str = DEFAULT_REGIME
) -> Submission:
    return run_step(actor, "submit", unit, period, text=reason, regime=regime)


def withdraw(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return run_step(actor, "withdraw", unit, period, regime=regime)


def return_for_changes(
    actor: Actor, unit: OrgUnit, period: Period, *, comment: str, regime: str = DEFAULT_REGIME
) -> Submission:
    return run_step(actor, "return", unit, period, text=comment, regime=regime)


def approve(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return run_step(actor, "approve", unit, period, regime=regime)


def lock(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return run_step(actor, "lock", unit, period, regime=regime)


def reopen(actor: Actor, unit: OrgUnit, period: Period, *, reason: str, regime: str = DEFAULT_REGIME) -> Submission:
    return run_step(actor, "reopen", unit, period, text=reason, regime=regime)


@dataclass(frozen=True)
class Timeliness:
    unit: OrgUnit
    period: Period
    state: str
    due: date
    submitted_on: date | None

    @property
    def is_late(self) -> bool:
        today = timezone.localdate()
        if self.submitted_on is None:
            return today > self.due
        return self.submitted_on > self.due

    @property
    def label(self) -> str:
        if self.submitted_on is None:
            return "quá hạn, chưa gửi" if self.is_late else "chưa gửi"
        return "gửi muộn" if self.is_late else "đúng hạn"


def timeliness(units: list[OrgUnit], period: Period, *, regime: str = DEFAULT_REGIME) -> list[Timeliness]:
    """Who has submitted, and who is late against the regime's due date."""
    due = regime_for(regime).due_date(period)
    submissions = {
        s.unit_id: s for s in Submission.objects.filter(unit__in=units, period=period.code, regime=regime)
    }
    rows = []
    for unit in units:
        s = submissions.get(unit.pk)
        submitted_on = timezone.localdate(s.submitted_at) if s and s.submitted_at else None
        rows.append(Timeliness(unit, period, s.state if s else State.DRAFT, due, submitted_on))
    return rows
