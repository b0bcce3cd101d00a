"""Workflow in the browser. "Gửi báo cáo" opens a review page first (figures entered of
expected, every open error and warning; a reason when errors remain; a confirmation); the
sender may withdraw what nobody approved yet; an approver approves, returns with a comment,
locks, or reopens with a reason (administrator for locked data). The service checks
permission and state again and notifies the people concerned."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baocao.access.access import AccessDenied, Perm
from baocao.access.policy import POLICY, Known
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
    placeholder: object = ""


SUBMIT = Action("submit", gettext_lazy("Gửi báo cáo"), False, "primary")
WITHDRAW = Action("withdraw", gettext_lazy("Rút lại"), False, "secondary")
APPROVE = Action("approve", gettext_lazy("Phê duyệt"), False, "primary")
RETURN = Action("return", gettext_lazy("Trả lại để sửa"), True, "danger",
                gettext_lazy("Nhận xét cho người gửi (bắt buộc)"))
LOCK = Action("lock", gettext_lazy("Khóa số liệu"), False, "secondary")
REOPEN = Action("reopen", gettext_lazy("Mở lại để sửa"), True, "danger", gettext_lazy("Lý do mở lại (bắt buộc)"))


def available_actions(user: object, unit: OrgUnit, period: Period, known: Known | None = None) -> list[Action]:
    """The buttons to show — the permission policy's answers; the service asks it again.
    An approver returns with a comment rather than withdrawing what a colleague sent.
    `known`: the unit's period as the page read it (`POLICY.known`), else read here once."""
    known = known or POLICY.known(unit, period, DEFAULT_REGIME)
    wanted = ((SUBMIT, PolicyAction.SUBMIT), (APPROVE, PolicyAction.APPROVE), (RETURN, PolicyAction.RETURN),
              (WITHDRAW, PolicyAction.WITHDRAW), (LOCK, PolicyAction.LOCK), (REOPEN, PolicyAction.REOPEN))
    shown = [button for button, action in wanted
             if POLICY.may(user, action, unit, period, DEFAULT_REGIME, known)]  # type: ignore[arg-type]
    if RETURN in shown and WITHDRAW in shown:
        shown.remove(WITHDRAW)
    return shown


DONE = {
    "submit": gettext_lazy("Đã gửi số liệu %(unit)s %(period)s."),
    "withdraw": gettext_lazy("Đã rút lại số liệu %(unit)s %(period)s: có thể sửa và gửi lại."),
    "return": gettext_lazy("Đã trả lại số liệu %(unit)s %(period)s cho người gửi."),
    "approve": gettext_lazy("Đã phê duyệt số liệu %(unit)s %(period)s."),
    "lock": gettext_lazy("Đã khóa số liệu %(unit)s %(period)s."),
    "reopen": gettext_lazy("Đã mở lại số liệu %(unit)s %(period)s."),
}


@login_required
def review(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    """What "Gửi báo cáo" will send, before it goes."""
    unit_obj = scope.unit_for(request.user, unit, Perm.ENTER)
    period_obj = scope.period_from(period)
    found = workflow.preview(unit_obj, period_obj)
    context = {
        "unit": unit_obj,
        "period": period_obj,
        "preview": found,
        "reason": str(request.GET.get("ly_do", "")),
    }
    return render(request, "web/entry/submit_review.html", context)


def _back(request: HttpRequest, unit_obj: OrgUnit, period_code: str) -> HttpResponse:
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("web:entry-overview", unit=unit_obj.code, period=period_code)


@login_required
@require_POST
def transition(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    action = str(request.POST.get("action", ""))
    reason = str(request.POST.get("reason", "")).strip()
    if action not in DONE:
        messages.error(request, _("Thao tác không hợp lệ: %(action)s") % {"action": action})
        return redirect("web:entry-overview", unit=unit_obj.code, period=period_obj.code)
    if action == "submit" and request.POST.get("confirm") != "1":
        # Nothing is sent without the review page and its confirmation.
        return redirect("web:entry-submit", unit=unit_obj.code, period=period_obj.code)
    try:
        workflow.run_step(request.user, action, unit_obj, period_obj, text=reason)
    except AccessDenied:
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if action == "submit":
            return redirect("web:entry-submit", unit=unit_obj.code, period=period_obj.code)
    else:
        messages.success(request, DONE[action] % {"unit": unit_obj.name, "period": period_obj.label})
    return _back(request, unit_obj, period_obj.code)
