"""Narrative entries, the document register and the tasks of a unit's period, edited beside
its figures. Every change goes through baocao.registers.services (permission, checks, audit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baocao.access.access import Perm
from baocao.access.policy import POLICY
from baocao.catalog.models import Field
from baocao.core.periods import Period, PeriodType
from baocao.datavalues.models import State
from baocao.datavalues.services import DEFAULT_REGIME
from baocao.datavalues.workflow import state_of
from baocao.orgunits.models import OrgUnit
from baocao.registers import services
from baocao.registers.models import Document, NarrativeEntry, Origin, Task, TaskStatus

from .. import scope
from .entry import can_edit


@dataclass
class SectionEntries:
    key: str
    heading: str
    depth: int
    entries: list[NarrativeEntry] = field(default_factory=list)


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise forms.ValidationError(gettext_lazy("Ngày ghi dạng ngày/tháng/năm, ví dụ 24/02/2022"))


class EntryForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("Mục báo cáo"))
    text = forms.CharField(label=gettext_lazy("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["section"]).choices = sections


class DocumentForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Số, ký hiệu"), max_length=80,
                             widget=forms.TextInput(attrs={"placeholder": "16/KH-UBND"}))
    kind = forms.CharField(label=gettext_lazy("Loại văn bản"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"placeholder": "Kế hoạch"}))
    issued_on = forms.CharField(label=gettext_lazy("Ngày ban hành"), max_length=12, required=False,
                                widget=forms.TextInput(attrs={"placeholder": "24/02/2022", "size": 11}))
    summary = forms.CharField(label=gettext_lazy("Trích yếu"), max_length=2000, required=False)
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    origin = forms.ChoiceField(label=gettext_lazy("Nguồn"), choices=Origin.choices, initial=Origin.ISSUED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [("", "—"), *Field.objects.values_list("code", "name_vi")]

    def clean_issued_on(self) -> date | None:
        return _date(str(self.cleaned_data.get("issued_on") or ""))


class ReferencesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Dán đoạn văn có trích dẫn văn bản"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "… theo Kế hoạch số 16/KH-UBND ngày 24/02/2022 …"}),
    )
    origin = forms.ChoiceField(label=gettext_lazy("Nguồn"), choices=Origin.choices, initial=Origin.CITED)


class TaskForm(forms.Form):
    content = forms.CharField(label=gettext_lazy("Nội dung nhiệm vụ"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    due_period = forms.CharField(label=gettext_lazy("Kỳ phải thực hiện"), max_length=40)
    field = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    owner_name = forms.CharField(label=gettext_lazy("Đơn vị chủ trì"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["field"]).choices = [("", "—"), *Field.objects.values_list("code", "name_vi")]


def period_codes(period: Period) -> list[str]:
    """The period and the quarters inside it: documents are counted by quarter."""
    codes = [period.code]
    if period.type.months > PeriodType.QUARTER.months:
        codes += [q.code for q in period.subperiods(PeriodType.QUARTER)]
    return codes


def _sections(unit: OrgUnit, period: Period) -> list[SectionEntries]:
    """The report template's sections (headings as the report prints them), in order."""
    from baocao.reports.config import ConfigError, load_config
    from baocao.reports.units import template_codes

    try:
        config = load_config(template_codes(unit, period.end), period.type, period.end)
    except (ConfigError, LookupError):
        return []
    found: list[SectionEntries] = []

    # Headings may name the period ("Kết quả thực hiện các nhiệm vụ {period} đã đề ra").
    names = {"{period}": period.label, "{next}": period.next().label, "{previous}": period.previous().label,
             "{year}": str(period.year), "{period_upper}": period.label.upper(),
             "{next_upper}": period.next().label.upper()}

    def walk(section: Any, depth: int) -> None:
        if not section.hidden:
            heading = section.heading
            for name, value in names.items():
                heading = heading.replace(name, value)
            found.append(SectionEntries(section.key, heading, depth))
        for child in section.children:
            walk(child, depth + 1)

    for top in config.sections:
        walk(top, 0)
    return found


def _context(request: HttpRequest, unit: OrgUnit, period: Period, **forms_: Any) -> dict[str, Any]:
    sections = _sections(unit, period)
    by_key = {s.key: s for s in sections}
    for entry in NarrativeEntry.objects.filter(unit=unit, period=period.code):
        if entry.section not in by_key:
            by_key[entry.section] = SectionEntries(entry.section, entry.section, 0)
            sections.append(by_key[entry.section])
        by_key[entry.section].entries.append(entry)
    state = state_of(unit, period)
    choices = [(s.key, ("— " * s.depth) + s.heading) for s in sections]
    codes = period_codes(period)
    return {
        "unit": unit,
        "period": period,
        "state": state,
        "state_label": State(state).label,
        "editable": can_edit(request.user, unit, period),
        "sections": sections,
        "has_entries": any(s.entries for s in sections),
        "documents": Document.objects.filter(unit=unit, period__in=codes).select_related("field"),
        "tasks_due": Task.objects.filter(unit=unit, due_period__in=codes).select_related("field"),
        "tasks_next": Task.objects.filter(unit=unit, set_in_period=period.code).exclude(due_period__in=codes),
        "statuses": TaskStatus.choices,
        "entry_form": forms_.get("entry_form") or EntryForm(sections=choices),
        "document_form": forms_.get("document_form") or DocumentForm(),
        "references_form": forms_.get("references_form") or ReferencesForm(),
        "task_form": forms_.get("task_form") or TaskForm(initial={"due_period": period.next().label}),
        "errors": forms_.get("errors", []),
        "section_choices": choices,
    }


def _owned(model: Any, request: HttpRequest, **filters: Any) -> Any:
    """The posted object if it belongs to this unit (and period); 404 for anything else."""
    raw = str(request.POST.get("id", ""))
    if not raw.isdigit():
        raise Http404(f"Không có mục '{raw}'")
    return get_object_or_404(model, pk=int(raw), **filters)


def _apply(request: HttpRequest, unit: OrgUnit, period: Period) -> dict[str, Any] | None:
    """Run the posted operation; None when done, else the bound form(s) to show again with errors."""
    op = str(request.POST.get("op", ""))
    user = request.user
    reason = str(request.POST.get("reason", "")).strip()
    sections = [(s.key, s.heading) for s in _sections(unit, period)]
    if op == "entry.create":
        form = EntryForm(request.POST, sections=sections)
        if not form.is_valid():
            return {"entry_form": form}
        services.create_entry(user, unit, period, services.EntryInput(form.cleaned_data["section"],
                                                                       form.cleaned_data["text"]))
    elif op == "entry.update":
        entry = _owned(NarrativeEntry, request, unit=unit, period=period.code)
        services.update_entry(user, entry, services.EntryInput(entry.section, str(request.POST.get("text", ""))),
                              reason=reason)
    elif op == "entry.delete":
        entry = _owned(NarrativeEntry, request, unit=unit, period=period.code)
        services.delete_entry(user, entry, reason=reason)
    elif op == "doc.create":
        doc_form = DocumentForm(request.POST)
        if not doc_form.is_valid():
            return {"document_form": doc_form}
        data = doc_form.cleaned_data
        services.create_document(user, unit, services.DocumentInput(
            number=data["number"].strip(), kind=data["kind"] or None, issued_on=data["issued_on"],
            summary=data["summary"], field=data["field"] or None, origin=data["origin"],
        ))
    elif op == "doc.refs":
        refs_form = ReferencesForm(request.POST)
        if not refs_form.is_valid():
            return {"references_form": refs_form}
        found = services.register_references(user, unit, refs_form.cleaned_data["text"],
                                             origin=refs_form.cleaned_data["origin"], period=period)
        messages.info(request, _("Đã đọc %(n)s văn bản được trích dẫn.") % {"n": len(found)})
    elif op == "doc.delete":
        doc = _owned(Document, request, unit=unit)
        services.delete_document(user, doc, reason=reason)
    elif op == "task.create":
        task_form = TaskForm(request.POST)
        if not task_form.is_valid():
            return {"task_form": task_form}
        data = task_form.cleaned_data
        services.create_task(user, unit, services.TaskInput(
            content=data["content"], due_period=data["due_period"], field=data["field"] or None,
            owner_name=data["owner_name"], set_in_period=period,
        ))
    elif op == "task.status":
        task = _owned(Task, request, unit=unit)
        services.set_task_status(user, task, str(request.POST.get("status", "")),
                                 note=str(request.POST.get("note", "")), reason=reason)
    elif op == "task.delete":
        task = _owned(Task, request, unit=unit)
        services.delete_task(user, task, reason=reason)
    else:
        return {"errors": [_("Thao tác không hợp lệ: %(op)s") % {"op": op}]}
    return None


@login_required
def registers(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    if request.method == "POST":
        if not can_edit(request.user, unit_obj, period_obj):  # the policy says who and what closed it
            POLICY.require_change(request.user, unit_obj, period_obj, DEFAULT_REGIME)  # type: ignore[arg-type]
        try:
            kept = _apply(request, unit_obj, period_obj)
        except ValidationError as exc:
            kept = {"errors": exc.messages}
            # The add forms keep what was typed when the service refuses it.
            op = str(request.POST.get("op", ""))
            if op == "entry.create":
                kept["entry_form"] = EntryForm(request.POST, sections=[(s.key, s.heading)
                                                                        for s in _sections(unit_obj, period_obj)])
            elif op == "doc.create":
                kept["document_form"] = DocumentForm(request.POST)
            elif op == "doc.refs":
                kept["references_form"] = ReferencesForm(request.POST)
            elif op == "task.create":
                kept["task_form"] = TaskForm(request.POST)
            elif op == "entry.update":
                kept["edited"] = {str(request.POST.get("id")): str(request.POST.get("text", ""))}
        if kept is None:
            messages.success(request, _("Đã lưu."))
            return redirect(request.path + "#" + str(request.POST.get("op", "")).split(".")[0])
        context = _context(request, unit_obj, period_obj, **kept)
        context["edited"] = kept.get("edited", {})
        return render(request, "web/entry/registers.html", context, status=400)
    return render(request, "web/entry/registers.html", _context(request, unit_obj, period_obj))
