"""The document register (sổ văn bản): entries read from references, audited, counted into vb.*."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from baocao.audit.services import record
from baocao.catalog.models import Field
from baocao.core.docrefs import KIND_BY_TYPE, DocRef, DocRefError, find_references, parse_reference
from baocao.core.periods import Period, PeriodType, regime_for
from baocao.orgunits.models import OrgUnit

from ._common import (
    DEFAULT_REGIME,
    Actor,
    RegisterError,
    field_or_none,
    period_or_none,
    require_writable,
    save_changes,
    user_or_none,
)
from .counting import sync_periods
from .models import Document, NarrativeEntry, Origin


@dataclass(frozen=True)
class DocumentInput:
    """A document to register; ``where`` names its origin in error messages ("tệp.yaml, mục 3")."""

    number: str
    kind: str | None = None
    issued_on: date | None = None
    issuing_body: str = ""
    summary: str = ""
    field: str | None = None
    origin: str = Origin.CITED
    period: Period | str | None = None
    note: str = ""
    where: str = ""


def document_period(issued_on: date, regime: str = DEFAULT_REGIME) -> Period:
    """The reporting quarter a document dated ``issued_on`` is counted in.

    Administrative reports cut off on the 14th of the period's last month (NĐ 09/2019), so a
    plan dated 31/12/2021 belongs to the first quarter — and the year — 2022.
    """
    return regime_for(regime).period_containing(issued_on, PeriodType.QUARTER)


def input_from_reference(text: str, **extra: Any) -> DocumentInput:
    """A DocumentInput read from a reference as reports write it ("Kế hoạch số 16/KH-UBND ngày …")."""
    try:
        ref = parse_reference(text)
    except DocRefError as exc:
        raise RegisterError(f"trường number: {exc}") from None
    return DocumentInput(number=ref.number, kind=ref.kind, issued_on=ref.date, **extra)


def _read_fields(data: DocumentInput, where: str) -> tuple[DocRef, Field | None, Period | None]:
    """The reference, field and period a document's input names; RegisterError listing every
    field that does not read."""
    errors: list[str] = []
    number = (data.number or "").strip()
    ref: DocRef | None = None
    try:
        ref = parse_reference(number)
        if ref.number != number:
            errors.append(f"{where}trường number: '{number}' không phải một số ký hiệu (đọc được '{ref.number}')")
    except DocRefError:
        errors.append(f"{where}trường number: '{number}' không phải số ký hiệu văn bản (ví dụ 16/KH-UBND)")
    if data.origin not in Origin.values:
        errors.append(f"{where}trường origin: '{data.origin}' không hợp lệ ({', '.join(Origin.values)})")
    field_obj = period = None
    try:
        field_obj = field_or_none(data.field)
    except RegisterError as exc:
        errors.extend(f"{where}{m}" for m in exc.messages)
    try:
        period = period_or_none(data.period, "period")
    except RegisterError as exc:
        errors.extend(f"{where}{m}" for m in exc.messages)
    if errors or ref is None:
        raise RegisterError(errors)
    return ref, field_obj, period


def _period_of(data: DocumentInput, ref: DocRef, number: str, where: str, errors: list[str]) -> Period | None:
    """The period a document belongs to when none is given: that of its date of issue, else the
    year of its symbol ("27/2021/TT-BTTTT")."""
    if data.issued_on is not None:
        return document_period(data.issued_on)
    if ref.year:
        return Period.of_year(ref.year)
    errors.append(f"{where}trường period: cần ngày ban hành hoặc kỳ báo cáo của văn bản {number}")
    return None


def _clean_document(unit: OrgUnit, data: DocumentInput, exclude: int | None = None) -> dict[str, Any]:
    where = f"{data.where}: " if data.where else ""
    number = (data.number or "").strip()
    ref, field_obj, period = _read_fields(data, where)
    errors: list[str] = []
    kind = (data.kind or "").strip() or (KIND_BY_TYPE.get(ref.doc_type or "", "") if ref.doc_type else "")
    year = ref.year or (data.issued_on.year if data.issued_on else 0)
    if ref.year and data.issued_on and data.issued_on.year != ref.year:
        errors.append(
            f"{where}trường issued_on: ngày {data.issued_on:%d/%m/%Y} khác năm {ref.year} trong số ký hiệu {number}"
        )
    if period is None:
        period = _period_of(data, ref, number, where, errors)
    duplicate = Document.objects.filter(unit=unit, number=number, year=year)
    if exclude is not None:
        duplicate = duplicate.exclude(pk=exclude)
    if duplicate.exists():
        when = f" năm {year}" if year else ""
        errors.append(f"{where}trường number: văn bản {number}{when} đã có trong sổ văn bản của {unit.name}")
    if errors:
        raise RegisterError(errors)
    assert period is not None
    return {
        "kind": kind,
        "number": number,
        "issued_on": data.issued_on,
        "year": year,
        "issuer": ref.issuer or "",
        "issuing_body": data.issuing_body.strip(),
        "summary": data.summary.strip(),
        "field": field_obj,
        "origin": data.origin,
        "period": period.code,
        "note": data.note.strip(),
    }


def _doc_snapshot(doc: Document) -> dict[str, Any]:
    return {
        "kind": doc.kind,
        "number": doc.number,
        "issued_on": doc.issued_on,
        "issuer": doc.issuer,
        "issuing_body": doc.issuing_body,
        "summary": doc.summary,
        "field": doc.field.code if doc.field else None,
        "origin": doc.origin,
        "period": doc.period,
        "note": doc.note,
    }


def create_document(actor: Actor, unit: OrgUnit, data: DocumentInput, *, reason: str = "") -> Document:
    values = _clean_document(unit, data)
    require_writable(actor, unit, values["period"])
    with transaction.atomic():
        doc = Document.objects.create(unit=unit, updated_by=user_or_none(actor), **values)
        record(
            actor,
            "document.create",
            "document",
            doc.pk,
            unit=unit,
            period=doc.period,
            summary=f"Sổ văn bản: {doc}",
            after=_doc_snapshot(doc),
            reason=reason,
        )
        if doc.origin != Origin.CITED:
            sync_periods(actor, unit, [doc.period], reason=f"Đếm từ sổ văn bản ({doc})")
    return doc


def update_document(actor: Actor, doc: Document, data: DocumentInput, *, reason: str = "") -> Document:
    """Replace a document's fields with ``data`` (all fields: it is a form's content)."""
    values = _clean_document(doc.unit, data, exclude=doc.pk)
    require_writable(actor, doc.unit, doc.period, values["period"])
    old_period, old_origin = doc.period, doc.origin
    with transaction.atomic():
        change = save_changes(actor, doc, values, _doc_snapshot)
        if change is None:
            return doc
        before, after = change
        record(
            actor,
            "document.update",
            "document",
            doc.pk,
            unit=doc.unit,
            period=doc.period,
            summary=f"Sổ văn bản: {doc}",
            before=before,
            after=after,
            reason=reason,
        )
        if old_origin != Origin.CITED or doc.origin != Origin.CITED:
            sync_periods(actor, doc.unit, {old_period, doc.period}, reason=f"Đếm từ sổ văn bản ({doc})")
    return doc


def delete_document(actor: Actor, doc: Document, *, reason: str) -> None:
    require_writable(actor, doc.unit, doc.period)
    if not reason.strip():
        raise RegisterError("trường reason: cần ghi lý do khi xóa văn bản khỏi sổ")
    cited = NarrativeEntry.objects.filter(unit=doc.unit, text__contains=f"[{doc.number}").exists()
    with transaction.atomic():
        record(
            actor,
            "document.delete",
            "document",
            doc.pk,
            unit=doc.unit,
            period=doc.period,
            summary=f"Sổ văn bản: {doc}" + (" (đang được trích dẫn)" if cited else ""),
            before=_doc_snapshot(doc),
            reason=reason,
        )
        unit, period, origin = doc.unit, doc.period, doc.origin
        doc.delete()
        if origin != Origin.CITED:
            sync_periods(actor, unit, [period], reason="Đếm lại sổ văn bản sau khi xóa")


def register_references(
    actor: Actor,
    unit: OrgUnit,
    text: str,
    *,
    origin: str = Origin.CITED,
    period: Period | str | None = None,
    field: str | None = None,
    reason: str = "",
) -> list[Document]:
    """Add to the register every reference found in ``text`` that is not there yet.

    The references a department pastes from an earlier report become register entries
    (kind, number, date and issuer read from the reference); existing ones are returned as
    they are.  A reference without a date needs ``period``.
    """
    found: list[Document] = []
    with transaction.atomic():
        for ref in find_references(text):
            year = ref.year or (ref.date.year if ref.date else 0)
            existing = Document.objects.filter(unit=unit, number=ref.number, year=year).first()
            if existing is None and year == 0:
                existing = Document.objects.filter(unit=unit, number=ref.number).order_by("-year").first()
            if existing is not None:
                if existing not in found:
                    found.append(existing)
                continue
            data = DocumentInput(
                number=ref.number,
                kind=ref.kind,
                issued_on=ref.date,
                origin=origin,
                period=period,
                field=field,
                where=f"'{ref.text}'",
            )
            found.append(create_document(actor, unit, data, reason=reason))
    return found
