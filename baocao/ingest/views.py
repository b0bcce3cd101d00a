"""Review of extracted reports: the facts beside the text they came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from baocao.access.access import Perm, can, visible_units
from baocao.catalog.models import Indicator
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.orgunits.lookup import UnitNotFound, find_unit_or_former
from baocao.web.wording import indicator_choices, indicator_from_label

from .checking import check_extraction
from .models import Decision, ExtractedFact, SourceDocument
from .services import IngestError, ingest_report, load_changes, load_document, review_fact


@dataclass(frozen=True)
class FactRow:
    fact: ExtractedFact
    indicator: Indicator | None
    period_label: str
    why: tuple[tuple[str, str], ...] = ()  # (what was decided, by which lexicon entry or rule)
    indicator_label: str = ""


# what each family of rule ids decides, as the trace beside a fact's evidence says it
_WHY_WORDS = {"period": "Kỳ", "target": "Kế hoạch", "qualifier": "Ước tính", "skip": "Bỏ qua"}


def _why(extraction: dict[str, Any], position: int) -> tuple[tuple[str, str], ...]:
    """The extractor's trace of one fact (its optional "why"): the lexicon entry that named the
    indicator and the rules that decided its period, target flag and qualifier."""
    facts = extraction.get("facts") or []
    why = facts[position].get("why") if 0 <= position < len(facts) and isinstance(facts[position], dict) else None
    if not isinstance(why, dict):
        return ()
    lines = [("Chỉ tiêu", str(why["lexicon"]))] if why.get("lexicon") else []
    for rule in why.get("rules") or []:
        lines.append((_WHY_WORDS.get(str(rule).split(".")[0], "Kỳ" if ".period" in str(rule) else "Quy tắc"), str(rule)))
    return tuple(lines)


def _document(request: HttpRequest, pk: int) -> SourceDocument:
    document = get_object_or_404(SourceDocument.objects.select_related("unit"), pk=pk)
    if not can(request.user, document.unit, Perm.VIEW):
        raise PermissionDenied("Không có quyền xem báo cáo này")
    return document


def highlighted_text(text: str, facts: list[ExtractedFact]) -> SafeString:
    """The report's text, escaped, with each fact's evidence marked and linked to its row."""
    spans: list[tuple[int, int, int]] = []
    for fact in facts:
        start = text.find(fact.evidence) if fact.evidence else -1
        if start >= 0 and not any(s < start + len(fact.evidence) and start < e for s, e, _ in spans):
            spans.append((start, start + len(fact.evidence), fact.pk))
    spans.sort()
    parts, cursor = [], 0
    for start, end, pk in spans:
        parts.append(escape(text[cursor:start]))
        parts.append(f'<mark id="ev-{pk}" data-fact="{pk}">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    # Safe: every piece of the report text was escaped above.
    return mark_safe("".join(parts))


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "Chưa chọn tệp báo cáo")
            return redirect("ingest:list")
        period_text = request.POST.get("period") or None
        unit = None
        if request.POST.get("unit"):
            try:
                on = parse_period(period_text).end if period_text else None
                unit = find_unit_or_former(request.POST["unit"], on=on, level="province",
                                           units=visible_units(request.user, Perm.ENTER))
            except (UnitNotFound, PeriodError) as exc:
                messages.error(request, f"Đơn vị, kỳ: {exc}")
                return redirect("ingest:list")
        try:
            document = ingest_report(request.user, upload.name, upload.read(), unit=unit, period=period_text)
        except (IngestError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("ingest:list")
        messages.success(request, f"Đã đọc {document.name}: {document.facts.count()} số liệu chờ duyệt")
        return redirect("ingest:review", pk=document.pk)
    documents = SourceDocument.objects.filter(unit__in=visible_units(request.user, Perm.VIEW)).select_related("unit")
    return render(request, "ingest/list.html", {"documents": documents[:200]})


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    facts = list(document.facts.all())
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={f.indicator for f in facts})}
    labels = dict(indicator_choices())
    rows = [
        FactRow(f, indicators.get(f.indicator), Period.from_code(f.period).label,
                _why(document.extraction, f.position), labels.get(f.indicator, ""))
        for f in facts
    ]
    return render(
        request,
        "ingest/review.html",
        {
            "document": document,
            "rows": rows,
            "text": highlighted_text(document.text, facts),
            "findings": check_extraction(document.extraction),
            "documents": document.extraction.get("documents", []),
            "can_edit": can(request.user, document.unit, Perm.ENTER),
            "decisions": Decision,
            "pending": sum(1 for f in facts if f.decision == Decision.PENDING),
            # picked by name ("Văn bản điện tử đi (văn bản)"), never typed as a code
            "all_indicators": indicator_choices(),
        },
    )


def _picked_indicator(request: HttpRequest) -> str:
    """The indicator chosen in the picker by its name; the code when no name was sent (API, old forms).

    A name that matches nothing is passed on as written, so the service names it in its refusal."""
    label = str(request.POST.get("indicator_name", "")).strip()
    if not label:
        return str(request.POST.get("indicator", "")).strip()
    return indicator_from_label(label) or label


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    document = _document(request, pk)
    fact = get_object_or_404(ExtractedFact, pk=fact_pk, document=document)
    decision = request.POST.get("decision", "")
    try:
        review_fact(
            request.user, fact, decision,
            value=request.POST.get("value") or None,
            indicator=_picked_indicator(request) or None,
            period=request.POST.get("period") or None,
            qualifier=request.POST.get("qualifier") or None,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, f"Số liệu {fact.position + 1}: {' '.join(exc.messages)}")
    return redirect(f"{reverse('ingest:review', args=[document.pk])}#fact-{fact.pk}")


@login_required
@require_POST
def load(request: HttpRequest, pk: int) -> HttpResponse:
    """Load the accepted figures; when they would replace stored figures, show old → new first
    and load only once the reviewer confirms."""
    document = _document(request, pk)
    include_pending = request.POST.get("include_pending") == "1"
    changes, new = load_changes(document, include_pending=include_pending)
    if changes and request.POST.get("confirm") != "1":
        return render(request, "ingest/confirm_load.html", {
            "document": document, "changes": changes, "new": new, "include_pending": include_pending,
        })  # fmt: skip
    try:
        result = load_document(request.user, document, include_pending=request.POST.get("include_pending") == "1")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã nạp vào CSDL: {result.summary()}")
    return redirect("ingest:review", pk=document.pk)
