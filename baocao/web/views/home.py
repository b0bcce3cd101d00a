"""The page after signing in: scope, what needs doing, and who has reported for a period."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baocao.access.access import Perm, visible_units
from baocao.core.periods import Period
from baocao.datavalues.models import ScopePeriod, State, Submission
from baocao.datavalues.workflow import Timeliness, timeliness
from baocao.orgunits.models import OrgUnit

from .. import scope
from .common import chosen_period

MAX_ROOTS = 3
MAX_TODO = 12


@dataclass
class Completeness:
    root: OrgUnit
    rows: list[Timeliness]

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.state != State.DRAFT)

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.is_late)

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / len(self.rows)) if self.rows else 0


@dataclass
class Todo:
    unit: OrgUnit
    period: Period
    state: str
    what: str
    note: str = ""


def _waiting_for_approval(user: object) -> tuple[list[Todo], list[Todo]]:
    """Submissions this user may approve (first on the list), and approved ones to lock."""
    waiting = Submission.objects.filter(
        unit__in=visible_units(user, Perm.APPROVE), state__in=(State.SUBMITTED, State.APPROVED)  # type: ignore[arg-type]
    ).select_related("unit").order_by("submitted_at")[: 2 * MAX_TODO]
    to_approve, to_lock = [], []
    for s in waiting:
        period = Period.from_code(s.period)
        if s.state == State.SUBMITTED:
            note = s.submit_note and f"Gửi khi còn {s.open_errors} lỗi: {s.submit_note}"
            to_approve.append(Todo(s.unit, period, s.state, "submitted", note))
        else:
            to_lock.append(Todo(s.unit, period, s.state, "approved"))
    return to_approve[:MAX_TODO], to_lock[:MAX_TODO]


def _drafts(user: object) -> list[Todo]:
    """Periods with figures not yet sent; those returned with a comment first."""
    enter_units = visible_units(user, Perm.ENTER)  # type: ignore[arg-type]
    pairs = list(
        ScopePeriod.objects.filter(unit_id__in=enter_units.values("pk"))
        .order_by("-period_end", "-period").values_list("unit_id", "period")[:200]
    )
    subs = {
        (s.unit_id, s.period): s
        for s in Submission.objects.filter(unit_id__in={u for u, _ in pairs}, period__in={p for _, p in pairs})
    }
    drafts = [(u, p) for u, p in pairs if (s := subs.get((u, p))) is None or s.state == State.DRAFT]
    drafts.sort(key=lambda pair: not (subs.get(pair) and subs[pair].return_comment))
    units = OrgUnit.objects.in_bulk({u for u, _ in drafts})
    items = []
    for unit_id, code in drafts[:MAX_TODO]:
        s = subs.get((unit_id, code))
        returned = s is not None and bool(s.return_comment)
        items.append(Todo(units[unit_id], Period.from_code(code), State.DRAFT,
                          "returned" if returned else "draft", s.return_comment if returned and s else ""))
    return items


def _todo(request: HttpRequest) -> list[Todo]:
    """What waits for this person: submissions to approve first, then returned and unsent
    data, then approved data to lock."""
    to_approve, to_lock = _waiting_for_approval(request.user)
    return to_approve + _drafts(request.user) + to_lock


@login_required
def home(request: HttpRequest) -> HttpResponse:
    period = chosen_period(request)
    completeness = [
        Completeness(root, timeliness(scope.reporting_units(root, period), period))
        for root in scope.roots(request.user)[:MAX_ROOTS]
    ]
    context = {
        "period": period,
        "periods": scope.recent_periods(request.user),
        "completeness": completeness,
        "todo": _todo(request),
        "memberships": scope.memberships_for(request.user),
        "is_system_admin": scope.is_system_admin(request.user),
        "entry_units": scope.pickable_units(request.user, Perm.ENTER, on=period.end)[:12],
    }
    return render(request, "web/home.html", context)
