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


def _todo(request: HttpRequest) -> list[Todo]:
    user = request.user
    items: list[Todo] = []
    enter_units = visible_units(user, Perm.ENTER)
    # Units with results for a period (their own or their units'), from the summary table kept
    # by triggers: a scan of a province's million values would take seconds.
    pairs = list(
        ScopePeriod.objects.filter(unit_id__in=enter_units.values("pk"))
        .order_by("-period_end", "-period").values_list("unit_id", "period")[:200]
    )
    states = {
        (s.unit_id, s.period): s.state
        for s in Submission.objects.filter(unit_id__in={u for u, _ in pairs}, period__in={p for _, p in pairs})
    }
    drafts = [(u, p) for u, p in pairs if states.get((u, p), State.DRAFT) == State.DRAFT]
    units = OrgUnit.objects.in_bulk({u for u, _ in drafts})
    for unit_id, code in drafts[:MAX_TODO]:
        items.append(Todo(units[unit_id], Period.from_code(code), State.DRAFT, "draft"))
    waiting = Submission.objects.filter(
        unit__in=visible_units(user, Perm.APPROVE), state__in=(State.SUBMITTED, State.APPROVED)
    ).select_related("unit").order_by("-submitted_at")[:MAX_TODO]
    for s in waiting:
        items.append(Todo(s.unit, Period.from_code(s.period), s.state, s.state))
    return items


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
