"""The workflow of a unit's data for a period: draft → submitted → approved → locked.

Reopening needs a reason and is logged; only an administrator can reopen locked data.
Timeliness is measured against the reporting regime's due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from baocao.access.policy import POLICY, TRANSITIONS, AccessDenied, Action
from baocao.audit.services import record
from baocao.core.periods import Period, regime_for
from baocao.orgunits.models import OrgUnit

from .models import State, Submission
from .services import DEFAULT_REGIME

Actor = AbstractBaseUser | AnonymousUser

# target state → the policy's action that reaches it (which states it starts from and which
# permission it needs are the policy's `TRANSITIONS`).
ACTIONS: dict[str, Action] = {
    State.SUBMITTED: Action.SUBMIT,
    State.APPROVED: Action.APPROVE,
    State.LOCKED: Action.LOCK,
    State.DRAFT: Action.REOPEN,
}


class WorkflowError(ValidationError):
    pass


def state_of(unit: OrgUnit, period: Period, regime: str = DEFAULT_REGIME) -> str:
    found = Submission.objects.filter(unit=unit, period=period.code, regime=regime).values_list("state", flat=True)
    return found[0] if found else State.DRAFT


def _transition(
    actor: Actor, unit: OrgUnit, period: Period, target: str, *, regime: str, reason: str = ""
) -> Submission:
    action = ACTIONS[target]
    allowed_from, _ = TRANSITIONS[action]
    with transaction.atomic():
        submission, _ = Submission.objects.select_for_update().get_or_create(
            unit=unit, period=period.code, regime=regime
        )
        current = submission.state
        refusal = POLICY.transition_refusal(actor, action, unit, submission)
        if refusal:
            raise AccessDenied(refusal)
        if current not in allowed_from:
            raise WorkflowError(
                f"Không thể chuyển số liệu {unit.name} {period.label} từ '{State(current).label}' "
                f"sang '{State(target).label}'"
            )
        if target == State.DRAFT and not reason.strip():
            raise WorkflowError({"reason": "Mở lại số liệu cần ghi lý do"})
        now = timezone.now()
        submission.state = target
        if target == State.SUBMITTED:
            submission.submitted_at, submission.submitted_by = now, actor if actor.is_authenticated else None
        if target == State.APPROVED:
            submission.approved_at, submission.approved_by = now, actor if actor.is_authenticated else None
        submission.save()
        record(
            actor,
            f"state.{target}",
            "submission",
            submission.pk,
            unit=unit,
            period=period.code,
            summary=f"{unit.name} {period.label}: {State(current).label} → {State(target).label}",
            before={"state": current},
            after={"state": target},
            reason=reason,
        )
    return submission


def submit(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return _transition(actor, unit, period, State.SUBMITTED, regime=regime)


def approve(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return _transition(actor, unit, period, State.APPROVED, regime=regime)


def lock(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> Submission:
    return _transition(actor, unit, period, State.LOCKED, regime=regime)


def reopen(actor: Actor, unit: OrgUnit, period: Period, *, reason: str, regime: str = DEFAULT_REGIME) -> Submission:
    return _transition(actor, unit, period, State.DRAFT, regime=regime, reason=reason)


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
