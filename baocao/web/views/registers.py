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
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baocao.access.access import Perm
from baocao.access.policy import POLICY
from baocao.catalog.models import Field, Indicator
from baocao.core.periods import Period, PeriodType
from baocao.datavalues.models import State
from baocao.datavalues.services import DEFAULT_REGIME
from baocao.datavalues.workflow import state_of
from baocao.orgunits.models import OrgUnit
from baocao.registers import services
from baocao.registers.models import Document, NarrativeEntry, Origin, Task, TaskStatus

from .. import scope
from ..narrative_chips import Chunk, Lookup, chunks, search
from .entry import can_edit


@dataclass
class SectionEntries:
    key: str
    heading: str
    depth: int
    entries: list[NarrativeEntry] = field(default_factory=list)
    # (stored text, chunks) of each paragraph, in order: what the editor shows
    paragraphs: list[tuple[str, list[Chunk]]] = field(default_factory=list)


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


DOCUMENTS_PER_PAGE = 50


def _documents_page(request: HttpRequest, documents: Any) -> dict[str, Any]:
    """The period's documents, searched by number or summary and paged: a long register is never cut."""
    wanted = str(request.GET.get("tim_vb", "")).strip()
    if wanted:
        documents = documents.filter(Q(number__icontains=wanted) | Q(summary__icontains=wanted)
                                     | Q(kind__icontains=wanted))
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return {"documents": page, "page": page, "query": query.urlencode(), "wanted_doc": wanted}


def _editing(request: HttpRequest, unit: OrgUnit, forms_: dict[str, Any]) -> dict[str, Any]:
    """The document or task whose edit form replaces the add form (?sua=van-ban-12, ?sua=nhiem-vu-3)."""
    wanted = str(request.GET.get("sua", "") or request.POST.get("editing", ""))
    kind, _sep, raw = wanted.rpartition("-")
    if not raw.isdigit():
        return {}
    if kind == "van-ban":
        doc = Document.objects.filter(unit=unit, pk=int(raw)).select_related("field").first()
        if doc is None:
            return {}
        form = forms_.get("document_form") or DocumentForm(initial={
            "number": doc.number, "kind": doc.kind, "summary": doc.summary, "origin": doc.origin,
            "issued_on": doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "",
            "field": doc.field.code if doc.field else "",
        })
        return {"editing_doc": doc, "document_form": form}
    if kind == "nhiem-vu":
        task = Task.objects.filter(unit=unit, pk=int(raw)).select_related("field").first()
        if task is None:
            return {}
        form = forms_.get("task_form") or TaskForm(initial={
            "content": task.content, "owner_name": task.owner_name,
            "due_period": Period.from_code(task.due_period).label if task.due_period else "",
            "field": task.field.code if task.field else "",
        })
        return {"editing_task": task, "task_form": form}
    return {}


def _context(request: HttpRequest, unit: OrgUnit, period: Period, **forms_: Any) -> dict[str, Any]:
    sections = _sections(unit, period)
    by_key = {s.key: s for s in sections}
    lookup = Lookup(unit, period)
    kept_sections: dict[str, list[str]] = forms_.get("section_texts", {})
    for entry in NarrativeEntry.objects.filter(unit=unit, period=period.code):
        if entry.section not in by_key:
            by_key[entry.section] = SectionEntries(entry.section, entry.section, 0)
            sections.append(by_key[entry.section])
        by_key[entry.section].entries.append(entry)
    for s in sections:
        texts = kept_sections.get(s.key)
        if texts is None:
            texts = [e.text for e in s.entries]
        s.paragraphs = [(text, chunks(text, lookup)) for text in texts]
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
        **_documents_page(request, Document.objects.filter(unit=unit, period__in=codes).select_related("field")),
        "tasks_due": Task.objects.filter(unit=unit, due_period__in=codes).select_related("field"),
        "tasks_next": Task.objects.filter(unit=unit, set_in_period=period.code).exclude(due_period__in=codes),
        "statuses": TaskStatus.choices,
        "entry_form": forms_.get("entry_form") or EntryForm(sections=choices),
        "document_form": forms_.get("document_form") or DocumentForm(),
        "references_form": forms_.get("references_form") or ReferencesForm(),
        "task_form": forms_.get("task_form") or TaskForm(initial={"due_period": period.next().label}),
        "errors": forms_.get("errors", []),
        "section_choices": choices,
        "search_url": reverse("web:entry-registers-search", kwargs={"unit": unit.code, "period": period.code}),
        "error_section": forms_.get("error_section", ""),
        **_editing(request, unit, forms_),
    }


def _owned(model: Any, request: HttpRequest, **filters: Any) -> Any:
    """The posted object if it belongs to this unit (and period); 404 for anything else."""
    raw = str(request.POST.get("id", ""))
    if not raw.isdigit():
        raise Http404(f"Không có mục '{raw}'")
    return get_object_or_404(model, pk=int(raw), **filters)


def _document_input(form: DocumentForm, **kept: Any) -> services.DocumentInput:
    """The document a valid form describes; ``kept`` carries the fields the form does not show."""
    data = form.cleaned_data
    return services.DocumentInput(
        number=data["number"].strip(), kind=data["kind"] or None, issued_on=data["issued_on"],
        summary=data["summary"], field=data["field"] or None, origin=data["origin"], **kept,
    )


def _task_input(form: TaskForm, **kept: Any) -> services.TaskInput:
    """The task a valid form describes; ``kept`` carries the fields the form does not show."""
    data = form.cleaned_data
    return services.TaskInput(
        content=data["content"], due_period=data["due_period"], field=data["field"] or None,
        owner_name=data["owner_name"], **kept,
    )


def _apply(request: HttpRequest, unit: OrgUnit, period: Period) -> dict[str, Any] | None:
    """Run the posted operation; None when done, else the bound form(s) to show again with errors."""
    op = str(request.POST.get("op", ""))
    user = request.user
    reason = str(request.POST.get("reason", "")).strip()
    sections = [(s.key, s.heading) for s in _sections(unit, period)]
    if op == "entry.create":
        form = EntryForm(request.POST, sections=sections)
        if not form.is_valid():
            return {"errors": [str(e) for errors in form.errors.values() for e in errors]}
        services.create_entry(user, unit, period, services.EntryInput(form.cleaned_data["section"],
                                                                       form.cleaned_data["text"]))
    elif op == "entry.update":
        entry = _owned(NarrativeEntry, request, unit=unit, period=period.code)
        services.update_entry(user, entry, services.EntryInput(entry.section, str(request.POST.get("text", ""))),
                              reason=reason)
    elif op == "section.save":
        save_section(user, unit, period, str(request.POST.get("section", "")),
                     [str(t) for t in request.POST.getlist("text")], reason=reason)
    elif op == "entry.delete":
        entry = _owned(NarrativeEntry, request, unit=unit, period=period.code)
        services.delete_entry(user, entry, reason=reason)
    elif op == "doc.create":
        doc_form = DocumentForm(request.POST)
        if not doc_form.is_valid():
            return {"document_form": doc_form}
        services.create_document(user, unit, _document_input(doc_form))
    elif op == "doc.refs":
        refs_form = ReferencesForm(request.POST)
        if not refs_form.is_valid():
            return {"references_form": refs_form}
        found = services.register_references(user, unit, refs_form.cleaned_data["text"],
                                             origin=refs_form.cleaned_data["origin"], period=period)
        messages.info(request, _("Đã đọc %(n)s văn bản được trích dẫn.") % {"n": len(found)})
    elif op == "doc.update":
        doc = _owned(Document, request, unit=unit)
        doc_form = DocumentForm(request.POST)
        if not doc_form.is_valid():
            return {"document_form": doc_form}
        services.update_document(user, doc, _document_input(
            doc_form, issuing_body=doc.issuing_body, note=doc.note,
            # without a date the document stays in the period it was counted in
            period=None if doc_form.cleaned_data["issued_on"] else doc.period,
        ), reason=reason)
    elif op == "doc.delete":
        doc = _owned(Document, request, unit=unit)
        services.delete_document(user, doc, reason=reason)
    elif op == "task.create":
        task_form = TaskForm(request.POST)
        if not task_form.is_valid():
            return {"task_form": task_form}
        services.create_task(user, unit, _task_input(task_form, set_in_period=period))
    elif op == "task.status":
        task = _owned(Task, request, unit=unit)
        services.set_task_status(user, task, str(request.POST.get("status", "")),
                                 note=str(request.POST.get("note", "")), reason=reason)
    elif op == "task.update":
        task = _owned(Task, request, unit=unit)
        task_form = TaskForm(request.POST)
        if not task_form.is_valid():
            return {"task_form": task_form}
        services.update_task(user, task, _task_input(
            task_form, owner=task.owner, set_in_period=task.set_in_period or None,
            status=task.status, note=task.note, order=task.order,
        ), reason=reason)
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
                # The refused paragraph is shown in its section's editor, after the saved ones.
                section_key = str(request.POST.get("section", ""))
                saved = NarrativeEntry.objects.filter(unit=unit_obj, period=period_obj.code, section=section_key)
                kept["section_texts"] = {section_key: [*saved.values_list("text", flat=True),
                                                       str(request.POST.get("text", ""))]}
                kept["error_section"] = section_key
            elif op == "doc.create":
                kept["document_form"] = DocumentForm(request.POST)
            elif op == "doc.refs":
                kept["references_form"] = ReferencesForm(request.POST)
            elif op == "task.create":
                kept["task_form"] = TaskForm(request.POST)
            elif op == "entry.update":
                kept["edited"] = {str(request.POST.get("id")): str(request.POST.get("text", ""))}
            elif op == "section.save":
                section_key = str(request.POST.get("section", ""))
                kept["section_texts"] = {section_key: [str(t) for t in request.POST.getlist("text")]}
                kept["error_section"] = section_key
            elif op == "doc.update":
                kept["document_form"] = DocumentForm(request.POST)
            elif op == "task.update":
                kept["task_form"] = TaskForm(request.POST)
        if kept is None:
            messages.success(request, _("Đã lưu."))
            op = str(request.POST.get("op", ""))
            anchor = f"muc-{request.POST.get('section', '')}" if op == "section.save" else op.split(".")[0]
            return redirect(request.path + "#" + anchor)
        context = _context(request, unit_obj, period_obj, **kept)
        context["edited"] = kept.get("edited", {})
        return render(request, "web/entry/registers.html", context, status=400)
    return render(request, "web/entry/registers.html", _context(request, unit_obj, period_obj))


def save_section(user: Any, unit: OrgUnit, period: Period, section: str, texts: list[str], *, reason: str) -> None:
    """One save for a whole report section: its paragraphs become `texts`, in order, all or nothing.

    Paragraphs left empty are removed; each change goes through the registers services (checked
    and audited one by one) inside one transaction, so a refused paragraph leaves the section as it was.
    """
    wanted = [t.replace("\r\n", "\n").strip() for t in texts]
    wanted = [t for t in wanted if t]
    existing = list(NarrativeEntry.objects.filter(unit=unit, period=period.code, section=section)
                    .order_by("order", "id"))
    problems: list[str] = []
    for index, text in enumerate(wanted, start=1):
        problems += [f"{_('đoạn %(n)s') % {'n': index}}: {p}" for p in services.check_text(unit, text)]
    if problems:
        raise services.RegisterError(problems)
    with transaction.atomic():
        for index, text in enumerate(wanted):
            if index < len(existing):
                entry = existing[index]
                if entry.text != text:
                    services.update_entry(user, entry, services.EntryInput(section, text), reason=reason)
            else:
                services.create_entry(user, unit, period, services.EntryInput(section, text), reason=reason)
        for entry in existing[len(wanted):]:
            services.delete_entry(user, entry, reason=reason or _("Xóa đoạn khỏi mục"))


@login_required
def registers_search(request: HttpRequest, unit: str, period: str) -> JsonResponse:
    """The narrative picker's answers: indicators by name and documents by number or summary,
    each with its current value and the syntax the editor stores for it."""
    unit_obj = scope.unit_for(request.user, unit, Perm.VIEW)
    period_obj = scope.period_from(period)
    query = str(request.GET.get("q", ""))[:100]
    indicators = list(Indicator.objects.filter(is_active=True).select_related("field").order_by("field__order", "order"))
    results = search(query, Lookup(unit_obj, period_obj), indicators)
    return JsonResponse({"query": query, "results": results})
