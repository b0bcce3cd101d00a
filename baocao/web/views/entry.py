"""Data entry: choosing a unit and period, the period's overview, and one section's form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from baocao.access.access import Perm
from baocao.access.policy import POLICY, Known
from baocao.catalog.models import Field
from baocao.core.periods import Period, regime_for
from baocao.datavalues.models import DataValue, Qualifier, Source, State, Submission
from baocao.datavalues.services import (
    DEFAULT_REGIME,
    StaleWrite,
    ValueDeletion,
    ValueError_,
    ValueInput,
    save_values,
)
from baocao.datavalues.workflow import timeliness
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.names import search_key

from .. import scope
from ..entry_boxes import BoxWriter
from ..entry_rows import SectionValues, build_section, failures, section_values
from ..forms import EntryForm, ReasonForm, UploadForm, posted_codes
from .common import parsed_period
from .workflow import available_actions


def can_edit(user: object, unit: OrgUnit, period: Period, known: Known | None = None) -> bool:
    """Whether the form is open: the permission policy's answer, which the services enforce."""
    return POLICY.may_change(user, unit, period, DEFAULT_REGIME, known)  # type: ignore[arg-type]


def closed_from_above(request: HttpRequest, unit: OrgUnit, period: Period, known: Known | None = None) -> None:
    """Say so when a unit or period containing this one closes it (its own state reads "draft")."""
    gov = known.governing if known is not None else POLICY.governing_state(unit, period, DEFAULT_REGIME)
    if gov.unit is not None and (gov.unit.pk != unit.pk or gov.period != period.code):
        messages.info(
            request,
            _("Số liệu %(unit)s %(period)s thuộc số liệu %(holder)s %(held)s (%(state)s): chỉ sửa được khi mở lại.")
            % {"unit": unit.name, "period": period.label, "holder": gov.unit.name,
               "held": Period.from_code(gov.period).label, "state": State(gov.state).label.lower()},
        )


GRID_PERIODS = 6
GRID_UNITS = 20


def _state_grid(
    shown: list[OrgUnit], periods: list[Period]
) -> list[tuple[OrgUnit, list[tuple[Period, str | None]]]]:
    """Units by recent periods, with each period's state; None where the unit did not exist in the period."""
    states = {
        (s.unit_id, s.period): s.state
        for s in Submission.objects.filter(
            unit__in=shown, period__in=[p.code for p in periods], regime=DEFAULT_REGIME
        )
    }
    return [
        (u, [(p, states.get((u.pk, p.code), State.DRAFT) if u.overlaps(p.start, p.end) else None)
             for p in periods])
        for u in shown
    ]


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    """Choose a unit and a period; the period may be typed as people write it ("quý I/2020")."""
    unit_code = str(request.GET.get("don_vi", ""))
    period_text = str(request.GET.get("ky", ""))
    period = parsed_period(period_text)
    error = ""
    if unit_code and period_text:
        if period is None:
            error = _("Không hiểu kỳ báo cáo '%(text)s' (ví dụ: 2022, quý I/2020, tháng 3/2022)") % {
                "text": period_text
            }
        else:
            unit = scope.unit_for(request.user, unit_code, Perm.VIEW)
            return redirect("web:entry-overview", unit=unit.code, period=period.code)
    units = scope.pickable_units(request.user, Perm.VIEW)
    enter_units = {u.pk for u in scope.pickable_units(request.user, Perm.ENTER)}
    periods = scope.recent_periods(request.user)
    # Units the user enters data for first; a search by name and pages instead of a silent cut.
    wanted = str(request.GET.get("tim", "")).strip()
    listed = sorted(units, key=lambda u: u.pk not in enter_units)
    if wanted:
        listed = [u for u in listed if search_key(wanted) in u.search_name or wanted.upper() == u.code]
    page = Paginator(listed, GRID_UNITS).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "units": units,
        "enter_units": enter_units,
        "periods": periods,
        "grid": _state_grid(list(page), periods[:GRID_PERIODS]),
        "grid_periods": periods[:GRID_PERIODS],
        "page": page,
        "query": query.urlencode(),
        "wanted": wanted,
        "error": error,
        "chosen_unit": unit_code,
        "chosen_period": period_text,
    }
    return render(request, "web/entry/pick.html", context, status=400 if error else 200)


@login_required
def overview(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    known = POLICY.known(unit_obj, period_obj, DEFAULT_REGIME)  # the period's state, read once for the page
    state = known.submission.state if known.submission is not None else State.DRAFT
    closed_from_above(request, unit_obj, period_obj, known)
    counts = dict(
        DataValue.objects.filter(unit=unit_obj, period=period_obj.code, regime=DEFAULT_REGIME, is_target=False)
        .values_list("indicator__field__code").annotate(n=Count("id"))
    )
    fields = [
        {"field": f, "total": f.n, "filled": counts.get(f.code, 0)}
        for f in Field.objects.annotate(n=Count("indicators")).order_by("order")
        if f.n
    ]
    found, _by_code = failures(unit_obj, period_obj)
    context = {
        "unit": unit_obj,
        "period": period_obj,
        "state": state,
        "state_label": State(state).label,
        "timeliness": timeliness([unit_obj], period_obj)[0],
        "regime": regime_for(DEFAULT_REGIME),
        "fields": fields,
        "findings": found,
        "actions": available_actions(request.user, unit_obj, period_obj, known),
        "submission": known.submission,
        "editable": can_edit(request.user, unit_obj, period_obj, known),
        "reason_form": ReasonForm(),
        "upload_form": UploadForm(),
    }
    return render(request, "web/entry/overview.html", context)


def _field_of(message: str, names: set[str]) -> tuple[str | None, str]:
    """Which box a service message is about: save_values prefixes it with our `where`."""
    head, sep, rest = message.partition(": ")
    if sep and head in names:
        return head, rest
    return None, message


def _inputs(form: EntryForm, section_unit: OrgUnit, period: Period) -> list[ValueInput]:
    """Only what changed: re-sending untouched values would reset their source and flags."""
    inputs: list[ValueInput] = []
    for code, (number, qualifier) in form.parsed.items():
        dv = form.current.get(code)
        comment = form.comment(code)
        if number is None or not form.touched(code):  # a box left alone is not written back
            continue
        if dv is not None and dv.value == number and dv.qualifier == qualifier and dv.comment == comment:
            continue
        inputs.append(ValueInput(code, section_unit, period, number, qualifier or Qualifier.EXACT,
                                 comment=comment, flag=dv.flag if dv else "", where=f"v:{code}",
                                 expected=form.expected(code)))
    for code, number in form.parsed_plans.items():
        dv = form.plans.get(code)
        if number is None or not form.touched(code, True) or (dv is not None and dv.value == number):
            continue
        inputs.append(ValueInput(code, section_unit, period, number, is_target=True, where=f"t:{code}",
                                 expected=form.expected(code, True)))
    return inputs


def _conflicted(request: HttpRequest, exc: StaleWrite, values: SectionValues) -> EntryForm:
    """The form again as the person typed it, each stale box marked with both values; its
    versions moved to the stored ones, so saving again (deliberately) replaces them."""
    data = request.POST.copy()
    for conflict in exc.conflicts:
        data[f"b:{conflict.where}"] = conflict.version
    form = EntryForm(data, indicators=values.indicators, current=values.current, plans=values.plans)
    form.is_valid()
    form.add_error(None, _("Có người vừa sửa số liệu của trang này sau khi bạn mở nó; chưa lưu gì. "
                           "Xem hai giá trị ở các ô đánh dấu rồi lưu lại nếu vẫn muốn thay."))
    for conflict in exc.conflicts:
        form.add_error(conflict.where if conflict.where in form.fields else None, conflict.message.split(": ", 1)[-1])
    return form


@login_required
def section(request: HttpRequest, unit: str, period: str, field: str) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    if request.method != "POST":
        values = _section_values(unit_obj, period_obj, field)
        known = POLICY.known(unit_obj, period_obj, DEFAULT_REGIME)  # the period's state, read once for the page
        closed_from_above(request, unit_obj, period_obj, known)
        form = EntryForm(indicators=values.indicators, current=values.current, plans=values.plans)
        return _render_section(request, form, values, status=200, known=known)
    # Only the rows the request carries are read, checked and compared: the page's script sends
    # the rows the person changed (a browser without it, every row). They are read once, locked,
    # in the save's transaction: what the form compares is what the service checks and writes.
    with transaction.atomic():
        values = _section_values(unit_obj, period_obj, field, posted_codes(request.POST), lock=True)
        form = EntryForm(request.POST, indicators=values.indicators, current=values.current, plans=values.plans)
        shown = _save(request, form, values, unit_obj, period_obj)
    if shown is None:
        # Saved: the browser follows the redirect to a fresh page, so this request renders nothing
        # (the previous figures, formulas and findings are the GET's work).
        return redirect(request.path)
    whole = section_values(unit_obj, period_obj, field)
    return _render_section(request, shown.widened(whole.indicators, whole.current, whole.plans), whole, status=400)


def _section_values(
    unit: OrgUnit, period: Period, field: str, codes: set[str] | None = None, *, lock: bool = False
) -> SectionValues:
    """The section's indicators (with their field: no query of its own) and stored values; 404
    for a field that does not exist."""
    try:
        return section_values(unit, period, field, codes, lock=lock)
    except Field.DoesNotExist:
        raise Http404(f"Không có lĩnh vực mã '{field}'") from None


def _save(
    request: HttpRequest, form: EntryForm, values: SectionValues, unit: OrgUnit, period: Period
) -> EntryForm | None:
    """Save what the form changed, in one transaction, through the service, which asks the
    permission policy once for the whole batch. None when saved; otherwise the form to show
    again, with the problems on it (nothing was saved). Where the service is not called (a bad
    box, a deletion without its reason, nothing changed) the policy is asked here, so that a
    closed form is refused in the policy's own words (403) either way."""
    if not form.is_valid():
        _require_change(request, unit, period)
        return form
    reason = str(form.cleaned_data.get("reason") or "").strip()
    removed = form.removed()
    inputs = _inputs(form, unit, period)
    if removed and not reason:
        _require_change(request, unit, period)
        form.add_error("reason", _("Cần ghi lý do khi xóa số liệu đã có (ô để trống)."))
        return form
    if not (inputs or removed):
        _require_change(request, unit, period)
    else:
        try:
            save_values(request.user, inputs, source=Source.ENTRY, reason=reason,
                        deletions=[_deletion(form, dv) for dv in removed],
                        indicators={i.code: i for i in values.indicators}, locked=values.locked)  # fmt: skip
        except StaleWrite as exc:
            exc.audit()  # once (the service could not: it ran inside the view's transaction, which commits)
            return _conflicted(request, exc, values)
        except ValueError_ as exc:
            for message in exc.messages:
                name, text = _field_of(message, set(form.fields))
                form.add_error(name, text)
            return form
    messages.success(
        request,
        _("Đã lưu: %(changed)s giá trị thay đổi, %(removed)s giá trị xóa.")
        % {"changed": len(inputs), "removed": len(removed)},
    )
    return None


def _require_change(request: HttpRequest, unit: OrgUnit, period: Period) -> None:
    POLICY.require_change(request.user, unit, period, DEFAULT_REGIME)  # type: ignore[arg-type]


def _deletion(form: EntryForm, dv: DataValue) -> ValueDeletion:
    prefix = "t" if dv.is_target else "v"
    return ValueDeletion(dv, form.expected(dv.indicator.code, dv.is_target), f"{prefix}:{dv.indicator.code}")


def _render_section(
    request: HttpRequest, form: EntryForm, values: SectionValues, *, status: int, known: Known | None = None
) -> HttpResponse:
    """The section's page: each row with its previous figure, formula and findings."""
    unit_obj, period_obj, field_obj = values.unit, values.period, values.field
    data = build_section(unit_obj, period_obj, field_obj, values)
    known = known or POLICY.known(unit_obj, period_obj, DEFAULT_REGIME)
    state = known.submission.state if known.submission is not None else State.DRAFT
    editable = can_edit(request.user, unit_obj, period_obj, known)
    boxes = BoxWriter(form, disabled=not editable)  # plain strings, not ~750 widget templates
    formulas = {r.code: r.indicator.formula for r in data.rows if r.indicator.formula}
    context = {
        "unit": unit_obj,
        "period": period_obj,
        "previous": period_obj.previous(),
        "field": field_obj,
        "fields": Field.objects.filter(indicators__isnull=False).distinct().order_by("order"),
        "section": data,
        "rows": [(r, boxes.row(r.code)) for r in data.rows],
        "versions": boxes.versions([r.code for r in data.rows]),
        "form": form,
        "state": state,
        "state_label": State(state).label,
        "editable": editable,
        "actions": available_actions(request.user, unit_obj, period_obj, known),
        "submission": known.submission,
        "reason_form": ReasonForm(),
        "upload_form": UploadForm(),
        "formulas": formulas,
        "outside_values": {k: str(v) for k, v in data.outside_values.items()},
        "units_of": {r.code: r.indicator.unit for r in data.rows},
        "back": reverse("web:entry-overview", kwargs={"unit": unit_obj.code, "period": period_obj.code}),
    }
    return render(request, "web/entry/section.html", context, status=status)
