"""The audit trail: every change of a value, state or permission, filterable, scoped to the
units the user may see (events without a unit — catalog, accounts — for system administrators)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baocao.access.access import Perm, visible_units
from baocao.audit.models import AuditEvent
from baocao.catalog.models import Indicator
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.names import search_key

from .. import labels, scope, wording
from ..forms import AuditFilterForm
from .common import parsed_period

PAGE_SIZE = 50
# A unit or indicator name that matches more than this many is asked to be more precise.
MAX_MATCHES = 60


def scoped_events(user: Any) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if not scope.is_system_admin(user):
        events = events.filter(unit__in=visible_units(user, Perm.VIEW))
    return events.select_related("unit")


# Bookkeeping a reader does not need in the list: where a value came from is in the summary.
HIDDEN_KEYS = {"source", "source_ref", "indicator_code"}
MAX_SHOWN = 90


READABLE_KEYS = {"text", "content", "note"}


def _show(key: str, value: Any) -> str:
    """A stored value in words: choices by their label, periods and dates as people write them,
    narrative text without its template syntax, report sections by their heading."""
    if value in (None, ""):
        return ""
    if key in READABLE_KEYS:
        return labels.shorten(wording.readable(str(value)), MAX_SHOWN)
    if key == "section":
        return wording.section_heading(str(value))
    return labels.shorten(wording.in_words(labels.value(key, value)), MAX_SHOWN)


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
        rows.append((labels.field(key), old, new))
    return rows


def _by_unit_name(events: QuerySet[AuditEvent], text: str) -> tuple[QuerySet[AuditEvent], str | None]:
    """Events of the units (and everything below them) whose name or code matches `text`."""
    key = search_key(text)
    units = list(
        OrgUnit.objects.filter(Q(code__iexact=text) | Q(search_name__contains=key))
        .order_by("path").values_list("path", flat=True)[: MAX_MATCHES + 1]
    )
    if not units:
        return events.none(), str(_("Không có đơn vị nào tên '%(text)s'")) % {"text": text}
    if len(units) > MAX_MATCHES:
        return events.none(), str(_("Quá nhiều đơn vị có tên chứa '%(text)s': ghi rõ hơn")) % {"text": text}
    query = Q()
    for path in units:
        query |= Q(unit__path__startswith=path)
    return events.filter(query), None


def _by_indicator_name(events: QuerySet[AuditEvent], text: str) -> tuple[QuerySet[AuditEvent], str | None]:
    """Changes of the indicators whose name (with or without diacritics) or code contains `text`."""
    key = search_key(text)
    codes = [
        code for code, name in Indicator.objects.values_list("code", "name_vi")
        if key in search_key(name) or text.lower() == code
    ]
    if not codes:
        return events.none(), str(_("Không có chỉ tiêu nào tên '%(text)s'")) % {"text": text}
    query = Q()
    for code in codes[:MAX_MATCHES]:
        query |= Q(entity_id__startswith=code + "|")
    return events.filter(query), None


def _by_person(events: QuerySet[AuditEvent], text: str) -> QuerySet[AuditEvent]:
    text = text.strip()
    system = [name for name in ("he-thong",) if search_key(labels.actor(name)).startswith(search_key(text))]
    return events.filter(
        Q(actor_name__icontains=text) | Q(actor__first_name__icontains=text) | Q(actor__last_name__icontains=text)
        | Q(actor_name__in=system)
    )


def filtered(events: QuerySet[AuditEvent], data: dict[str, Any]) -> tuple[QuerySet[AuditEvent], list[str]]:
    problems: list[str] = []
    if data.get("don_vi"):
        events, problem = _by_unit_name(events, data["don_vi"].strip())
        problems += [problem] if problem else []
    if data.get("chi_tieu"):
        events, problem = _by_indicator_name(events, data["chi_tieu"].strip())
        problems += [problem] if problem else []
    if data.get("ky"):
        period = parsed_period(data["ky"])
        if period is None:
            problems.append(str(_("Không hiểu kỳ '%(text)s' (ví dụ: 2022, quý I/2023)")) % {"text": data["ky"]})
            events = events.none()
        else:
            events = events.filter(period=period.code)
    if data.get("nguoi_dung"):
        events = _by_person(events, data["nguoi_dung"])
    if data.get("hanh_dong"):
        events = events.filter(action__startswith=data["hanh_dong"])
    if data.get("tu_ngay"):
        events = events.filter(at__date__gte=data["tu_ngay"])
    if data.get("den_ngay"):
        events = events.filter(at__date__lte=data["den_ngay"])
    return events, problems


_SECTION_IN_SUMMARY = re.compile(r"mục ([a-z][a-z0-9_]*)\b")


def _summary(event: AuditEvent) -> str:
    if not event.summary:
        if "|" in event.entity_id:  # a value: "code|unit|period|regime|target"
            return wording.name(event.entity_id.split("|", 1)[0])
        return f"{labels.entity(event.entity)} {event.entity_id}".strip()
    text = _SECTION_IN_SUMMARY.sub(lambda m: "mục " + wording.section_heading(m.group(1)), event.summary)
    text = wording.in_words(text)
    # Summaries written before the column was cut at a word boundary may end inside a word.
    return labels.shorten(text, 254) if len(event.summary) >= 255 else text


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = scoped_events(request.user)
    problems: list[str] = []
    if form.is_valid():
        events, problems = filtered(events, form.cleaned_data)
    elif form.is_bound:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        events = events.none()
    page = Paginator(events.select_related("actor").order_by("-at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = [
        {"event": e, "label": labels.action(e.action), "changes": changes(e), "summary": _summary(e),
         "actor": _actor_name(e)}
        for e in page
    ]
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "rows": rows, "problems": problems, "query": query.urlencode()}
    return render(request, "web/audit.html", context)


def _actor_name(event: AuditEvent) -> str:
    full = event.actor.get_full_name() if event.actor is not None else ""
    return full or labels.actor(event.actor_name)
