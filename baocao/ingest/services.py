"""Reading a report into the review queue, reviewing its facts, and loading the accepted ones.

Loaded values carry source "extraction" and a link to the stored file, so that anyone can go
from a figure in the database back to the sentence it was read from.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from baocao.access.access import Perm, require
from baocao.audit.services import record
from baocao.catalog.models import Indicator
from baocao.core.filetypes import UploadError, check_upload
from baocao.core.limits import LimitExceeded, check_text
from baocao.core.periods import Period, PeriodError, parse_period
from baocao.datavalues.models import DataValue, Qualifier, Source
from baocao.datavalues.services import DEFAULT_REGIME, SaveResult, ValueInput, save_values
from baocao.extraction import ExtractionError, extract_text
from baocao.extraction.readers import read_file
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.orgunits.models import OrgUnit

from .models import Decision, DocumentStatus, ExtractedFact, SourceDocument

Actor = AbstractBaseUser | AnonymousUser
REPORT_KINDS = {"txt", "md", "docx", "pdf"}


class IngestError(ValidationError):
    """The report could not be taken in; the message names the file and the reason."""


def read_report(name: str, data: bytes, *, unit: str | None = None, period: str | None = None) -> tuple[str, dict[str, Any]]:
    """Check and read an uploaded report; returns its text and the extraction result."""
    try:
        kind = check_upload(name, data, REPORT_KINDS, settings.BAOCAO_MAX_UPLOAD_BYTES)
    except UploadError as exc:
        raise IngestError(str(exc)) from None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report.{kind}"
        path.write_bytes(data)
        try:
            text = check_text(name, read_file(path))
            result = extract_text(text, source=name, unit=unit, period=period)
        except ExtractionError as exc:
            raise IngestError(f"{name}: {str(exc).replace('report.' + kind, name)}") from None
        except LimitExceeded as exc:
            raise IngestError(str(exc)) from None
    return text, result


def _report_unit(name: str, result: dict[str, Any], period: Period, unit: OrgUnit | None) -> OrgUnit:
    if unit is not None:
        return unit
    province = result.get("province")
    if not province:
        raise IngestError(f"{name}: không xác định được tỉnh của báo cáo — hãy chọn đơn vị")
    try:
        return find_unit(province, on=period.end, level="province")
    except UnitNotFound as exc:
        raise IngestError(f"{name}: tỉnh '{province}' — {exc}") from None


def ingest_report(
    actor: Actor, name: str, data: bytes, *, unit: OrgUnit | None = None, period: str | None = None
) -> SourceDocument:
    """Extract a report and keep it with its facts, pending review."""
    text, result = read_report(name, data, unit=unit.name if unit else None, period=period)
    if not result.get("period"):
        raise IngestError(f"{name}: không xác định được kỳ báo cáo — hãy ghi kỳ (ví dụ 'năm 2022')")
    report_period = Period.from_dict(result["period"])
    report_unit = _report_unit(name, result, report_period, unit)
    require(actor, report_unit, Perm.ENTER)
    with transaction.atomic():
        document = SourceDocument(
            name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            text=text,
            unit=report_unit,
            period=report_period.code,
            province_as_written=result.get("province") or "",
            extraction=result,
            uploaded_by=actor if actor.is_authenticated else None,
        )
        document.file.save(name, ContentFile(data), save=False)
        document.save()
        ExtractedFact.objects.bulk_create(
            ExtractedFact(
                document=document,
                position=i,
                indicator=fact["indicator"],
                value=Decimal(str(fact["value"])),
                qualifier=fact.get("qualifier") or Qualifier.EXACT,
                period=(Period.from_dict(fact["period"]) if fact.get("period") else report_period).code,
                is_target=bool(fact.get("target")),
                evidence=(fact.get("evidence") or "")[:400],
                flag=fact.get("flag") or "",
            )
            for i, fact in enumerate(result.get("facts", []))
        )
        record(actor, "ingest.extract", "sourcedocument", document.pk, unit=report_unit, period=report_period.code,
               summary=f"{name}: {len(result.get('facts', []))} số liệu, {len(result.get('documents', []))} văn bản")
    return document


def review_fact(
    actor: Actor,
    fact: ExtractedFact,
    decision: str,
    *,
    value: str | Decimal | None = None,
    indicator: str | None = None,
    period: str | None = None,
    qualifier: str | None = None,
    note: str = "",
) -> ExtractedFact:
    """Accept, reject or correct one extracted fact (before it is loaded)."""
    require(actor, fact.document.unit, Perm.ENTER)
    if decision not in Decision.values or decision == Decision.PENDING:
        raise ValidationError({"decision": f"Quyết định '{decision}' không hợp lệ"})
    if fact.loaded:
        raise ValidationError({"decision": "Số liệu này đã được nạp; sửa trực tiếp trong phần nhập liệu"})
    before = {"indicator": fact.indicator, "value": fact.value, "period": fact.period,
              "qualifier": fact.qualifier, "decision": fact.decision}
    if decision == Decision.CORRECTED:
        if indicator is not None:
            if not Indicator.objects.filter(code=indicator).exists():
                raise ValidationError({"indicator": f"Mã chỉ tiêu '{indicator}' không có trong danh mục"})
            fact.indicator = indicator
        if value is not None:
            try:
                fact.value = value if isinstance(value, Decimal) else _parse_value(value)
            except (InvalidOperation, ValueError):
                raise ValidationError({"value": f"'{value}' không phải là số"}) from None
        if period is not None:
            try:
                fact.period = parse_period(period).code
            except PeriodError as exc:
                raise ValidationError({"period": str(exc)}) from None
        if qualifier is not None:
            if qualifier not in Qualifier.values:
                raise ValidationError({"qualifier": f"'{qualifier}' không hợp lệ"})
            fact.qualifier = qualifier
    fact.decision, fact.note = decision, note
    fact.reviewed_by = actor if actor.is_authenticated else None
    fact.reviewed_at = timezone.now()
    with transaction.atomic():
        fact.save()
        record(actor, f"ingest.{decision}", "extractedfact", fact.pk, unit=fact.document.unit, period=fact.period,
               summary=f"{fact.document.name}: {fact.indicator}", before=before,
               after={"indicator": fact.indicator, "value": fact.value, "period": fact.period,
                      "qualifier": fact.qualifier, "decision": decision}, reason=note)
    return fact


def _parse_value(text: str) -> Decimal:
    from baocao.core.vnnum import parse_number

    return parse_number(text)


@dataclass(frozen=True)
class Change:
    """A stored figure that loading would replace: what it is now and what it would become."""

    indicator: str
    name: str
    unit_of_measure: str
    period_label: str
    is_target: bool
    old: Decimal
    new: Decimal


def _facts_to_load(document: SourceDocument, include_pending: bool) -> list[ExtractedFact]:
    decisions = {Decision.ACCEPTED, Decision.CORRECTED} | ({Decision.PENDING} if include_pending else set())
    return list(document.facts.filter(decision__in=decisions, loaded=False).order_by("position"))


def load_changes(document: SourceDocument, *, include_pending: bool = False) -> tuple[list[Change], int]:
    """What loading would change: stored figures it replaces with another value (old → new),
    and how many figures are new."""
    facts = _facts_to_load(document, include_pending)
    stored = {
        (dv.indicator.code, dv.period, dv.is_target): dv
        for dv in DataValue.objects.filter(
            unit=document.unit, period__in={f.period for f in facts}, regime=DEFAULT_REGIME,
            indicator__code__in={f.indicator for f in facts},
        ).select_related("indicator")
    }
    changes, new = [], 0
    for f in facts:
        dv = stored.get((f.indicator, f.period, f.is_target))
        if dv is None:
            new += 1
        elif dv.value != f.value:
            changes.append(Change(f.indicator, dv.indicator.name_vi, dv.indicator.unit,
                                  Period.from_code(f.period).label, f.is_target, dv.value, f.value))
    return changes, new


def load_document(actor: Actor, document: SourceDocument, *, include_pending: bool = False) -> SaveResult:
    """Store the accepted (and corrected) facts as values with source "extraction", all or nothing."""
    facts = _facts_to_load(document, include_pending)
    if not facts:
        raise ValidationError("Chưa có số liệu nào được chấp nhận để nạp")
    inputs = [
        ValueInput(
            f.indicator, document.unit, Period.from_code(f.period), f.value, f.qualifier, f.is_target,
            comment=f"Trích: «{f.evidence}»", flag=f.flag, where=f"{document.name}, số liệu {f.position + 1}",
        )
        for f in facts
    ]
    with transaction.atomic():
        result = save_values(actor, inputs, source=Source.EXTRACTION, source_ref=f"{document.name} (#{document.pk})",
                             reason=f"Nạp từ báo cáo {document.name}")
        ExtractedFact.objects.filter(pk__in=[f.pk for f in facts]).update(loaded=True)
        if not document.facts.filter(loaded=False).exclude(decision=Decision.REJECTED).exists():
            document.status = DocumentStatus.LOADED
            document.save(update_fields=["status"])
        record(actor, "ingest.load", "sourcedocument", document.pk, unit=document.unit, period=document.period,
               summary=f"{document.name}: {result.summary()}")
    return result
