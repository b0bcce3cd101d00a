"""The audit trail: every change of a value, state or permission, filterable, scoped to the
units the user may see (events without a unit — catalog, accounts — for system administrators)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from baocao.access.access import Perm, visible_units
from baocao.audit.models import AuditEvent
from baocao.core.vnnum import format_number
from baocao.orgunits.models import OrgUnit

from .. import scope
from ..forms import AuditFilterForm
from .common import parsed_period

PAGE_SIZE = 50
ACTION_LABELS = {
    "value.create": _("Thêm số liệu"),
    "value.update": _("Sửa số liệu"),
    "value.delete": _("Xóa số liệu"),
    "state.submitted": _("Gửi báo cáo"),
    "state.approved": _("Phê duyệt"),
    "state.locked": _("Khóa số liệu"),
    "state.draft": _("Mở lại"),
    "permission.grant": _("Cấp quyền"),
    "permission.revoke": _("Thu hồi quyền"),
    "user.create": _("Tạo tài khoản"),
    "source.create": _("Tạo nguồn dữ liệu"),
    "source.update": _("Sửa nguồn dữ liệu"),
    "source.run": _("Nguồn dữ liệu chạy"),
    "source.held.accepted": _("Duyệt số liệu từ nguồn"),
    "source.held.rejected": _("Bỏ số liệu từ nguồn"),
}


def scoped_events(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if not scope.is_system_admin(user):
        events = events.filter(unit__in=visible_units(user, Perm.VIEW))
    return events.select_related("unit")


KEY_LABELS = {
    "value": _("giá trị"),
    "qualifier": _("tính chất"),
    "comment": _("ghi chú"),
    "flag": _("đánh dấu"),
    "state": _("trạng thái"),
    "role": _("vai trò"),
    "user": _("tài khoản"),
    "unit": _("đơn vị"),
    "full_name": _("họ tên"),
    "email": _("thư điện tử"),
    "is_superuser": _("quản trị hệ thống"),
}
WORDS = {
    "qualifier": {"exact": _("chính xác"), "approx": _("ước"), "more_than": _("hơn"), "less_than": _("dưới")},
    "state": {"draft": _("đang nhập"), "submitted": _("đã gửi"), "approved": _("đã duyệt"), "locked": _("đã khóa")},
    "role": {"data_entry": _("nhập liệu"), "approver": _("phê duyệt"), "viewer": _("xem"), "admin": _("quản trị")},
}
ENTITY_LABELS = {"user": _("tài khoản"), "indicator": _("chỉ tiêu"), "field": _("lĩnh vực"),
                 "validationrule": _("quy tắc kiểm tra"), "orgunit": _("đơn vị")}
# Bookkeeping a reader does not need in the list: where a value came from is in the summary.
HIDDEN_KEYS = {"source", "source_ref"}
MAX_SHOWN = 90


def _show(key: str, value: Any) -> str:
    """Stored numbers are plain strings ("2597", "73.95"): show them the Vietnamese way."""
    if value is None or value == "":
        return ""
    if key == "value" and isinstance(value, str | int | float):
        try:
            return format_number(Decimal(str(value)))
        except (ArithmeticError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return str(_("có") if value else _("không"))
    if key in WORDS and str(value) in WORDS[key]:
        return str(WORDS[key][str(value)])
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(label, before, after) for every key that differs — the part a reader wants to see."""
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in HIDDEN_KEYS:
            continue
        old, new = _show(key, before.get(key)), _show(key, after.get(key))
        if old == new or (not old and key == "qualifier" and after.get(key) == "exact"):
            continue
        rows.append((str(KEY_LABELS.get(key, key)), old, new))
    return rows


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = scoped_events(request.user)
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        if data["don_vi"]:
            unit = OrgUnit.objects.filter(code=data["don_vi"].strip()).first()
            if unit is None:
                problems.append(str(_("Không có đơn vị mã '%(code)s'")) % {"code": data["don_vi"]})
                events = events.none()
            else:
                events = events.filter(unit__path__startswith=unit.path)
        if data["ky"]:
            period = parsed_period(data["ky"])
            if period is None:
                problems.append(str(_("Không hiểu kỳ '%(text)s'")) % {"text": data["ky"]})
                events = events.none()
            else:
                events = events.filter(period=period.code)
        if data["nguoi_dung"]:
            events = events.filter(actor_name__iexact=data["nguoi_dung"].strip())
        if data["hanh_dong"]:
            events = events.filter(action__startswith=data["hanh_dong"])
    page = Paginator(events.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [
        {"event": e, "label": ACTION_LABELS.get(e.action, e.action), "changes": changes(e),
         "summary": e.summary or f"{ENTITY_LABELS.get(e.entity, e.entity)} {e.entity_id}"}
        for e in page
    ]
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "rows": rows, "problems": problems, "query": query.urlencode()}
    return render(request, "web/audit.html", context)
