"""Workflow buttons: submit (data entry), approve / lock / reopen with a reason (approver;
administrator for locked data). The services check permission and state again."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baocao.access.access import AccessDenied, Perm
from baocao.access.policy import POLICY
from baocao.access.policy import Action as PolicyAction
from baocao.core.periods import Period
from baocao.datavalues import workflow
from baocao.datavalues.services import DEFAULT_REGIME
from baocao.orgunits.models import OrgUnit

from .. import scope


@dataclass(frozen=True)
class Action:
    name: str
    label: object  # a lazily translated text
    needs_reason: bool
    style: str


SUBMIT = Action("submit", gettext_lazy("Gửi báo cáo"), False, "primary")
APPROVE = Action("approve", gettext_lazy("Phê duyệt"), False, "primary")
LOCK = Action("lock", gettext_lazy("Khóa số liệu"), False, "secondary")
REOPEN = Action("reopen", gettext_lazy("Mở lại để sửa"), True, "danger")


def available_actions(user: object, unit: OrgUnit, period: Period) -> list[Action]:
    """The buttons to show — the permission policy's answers; the service asks it again."""
    wanted = ((SUBMIT, PolicyAction.SUBMIT), (APPROVE, PolicyAction.APPROVE), (LOCK, PolicyAction.LOCK),
              (REOPEN, PolicyAction.REOPEN))
    return [button for button, action in wanted
            if POLICY.may(user, action, unit, period, DEFAULT_REGIME)]  # type: ignore[arg-type]


DONE = {
    "submit": gettext_lazy("Đã gửi số liệu %(unit)s %(period)s."),
    "approve": gettext_lazy("Đã phê duyệt số liệu %(unit)s %(period)s."),
    "lock": gettext_lazy("Đã khóa số liệu %(unit)s %(period)s."),
    "reopen": gettext_lazy("Đã mở lại số liệu %(unit)s %(period)s."),
}


@login_required
@require_POST
def transition(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    action = str(request.POST.get("action", ""))
    reason = str(request.POST.get("reason", "")).strip()
    user = request.user
    try:
        if action == "submit":
            workflow.submit(user, unit_obj, period_obj)
        elif action == "approve":
            workflow.approve(user, unit_obj, period_obj)
        elif action == "lock":
            workflow.lock(user, unit_obj, period_obj)
        elif action == "reopen":
            workflow.reopen(user, unit_obj, period_obj, reason=reason)
        else:
            messages.error(request, _("Thao tác không hợp lệ: %(action)s") % {"action": action})
            return redirect("web:entry-overview", unit=unit_obj.code, period=period_obj.code)
    except AccessDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, DONE[action] % {"unit": unit_obj.name, "period": period_obj.label})
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:entry-overview", unit=unit_obj.code, period=period_obj.code)
