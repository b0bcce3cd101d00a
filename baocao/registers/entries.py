"""Narrative entries: the items of a report section, with placeholders for figures and documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from baocao.audit.services import record
from baocao.catalog.models import Indicator
from baocao.core import narrative
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

from ._common import Actor, RegisterError, require_writable, save_changes, user_or_none
from .models import Document, NarrativeEntry


def check_text(unit: OrgUnit, text: str, *, citations: bool = True) -> list[str]:
    """Problems of a narrative text: syntax, unknown indicator codes, documents not registered.

    Unknown codes are errors for the editor, never silently dropped at render time.  Editors
    (the web form, the API) call this to show problems before saving.
    """
    try:
        segments = narrative.parse(text)
    except narrative.NarrativeError as exc:
        return [str(p) for p in exc.problems]
    problems: list[str] = []
    codes = {s.code for s in narrative.figures(segments)}
    if codes:
        known = dict(Indicator.objects.filter(code__in=codes).values_list("code", "is_active"))
        for fig in narrative.figures(segments):
            if fig.code not in known:
                problems.append(
                    f"dòng {fig.line}, cột {fig.column}: mã chỉ tiêu '{fig.code}' không có trong danh mục"
                )
            elif not known[fig.code]:
                problems.append(f"dòng {fig.line}, cột {fig.column}: chỉ tiêu '{fig.code}' đã ngừng sử dụng")
    if citations:
        for cite in narrative.citations(segments):
            docs = Document.objects.filter(unit=unit, number=cite.number)
            if cite.options.year:
                docs = docs.filter(year=cite.options.year)
            if not docs.exists():
                problems.append(
                    f"dòng {cite.line}, cột {cite.column}: văn bản {cite.number} chưa có trong sổ văn bản "
                    f"của {unit.name} (thêm vào sổ trước khi trích dẫn)"
                )
    return problems


@dataclass(frozen=True)
class EntryInput:
    section: str
    text: str
    order: int | None = None
    where: str = ""


def _section_keys(unit: OrgUnit, period: Period) -> set[str]:
    # Imported here: the report templates decide which sections exist.
    from baocao.reports.config import section_keys
    from baocao.reports.units import template_codes

    return section_keys(template_codes(unit, period.end), period.end)


def _clean_entry(unit: OrgUnit, period: Period, data: EntryInput, keys: set[str]) -> list[str]:
    where = f"{data.where}: " if data.where else f"mục {data.section}: "
    errors = []
    if data.section not in keys:
        errors.append(f"{where}trường section: mục '{data.section}' không có trong mẫu báo cáo")
    if not data.text.strip():
        errors.append(f"{where}trường text: nội dung trống")
    errors.extend(f"{where}{m}" for m in check_text(unit, data.text))
    return errors


def _entry_snapshot(entry: NarrativeEntry) -> dict[str, Any]:
    return {"section": entry.section, "order": entry.order, "text": entry.text}


def create_entry(
    actor: Actor, unit: OrgUnit, period: Period, data: EntryInput, *, reason: str = ""
) -> NarrativeEntry:
    require_writable(actor, unit, period)
    errors = _clean_entry(unit, period, data, _section_keys(unit, period))
    if errors:
        raise RegisterError(errors)
    with transaction.atomic():
        order = data.order
        if order is None:
            last = (
                NarrativeEntry.objects.filter(unit=unit, period=period.code, section=data.section)
                .order_by("-order")
                .first()
            )
            order = (last.order + 1) if last else 1
        entry = NarrativeEntry.objects.create(
            unit=unit,
            period=period.code,
            section=data.section,
            order=order,
            text=data.text.strip(),
            updated_by=user_or_none(actor),
        )
        record(
            actor,
            "entry.create",
            "narrative",
            entry.pk,
            unit=unit,
            period=period.code,
            summary=f"Nội dung báo cáo {period.label}, mục {entry.section}",
            after=_entry_snapshot(entry),
            reason=reason,
        )
    return entry


def update_entry(
    actor: Actor, entry: NarrativeEntry, data: EntryInput, *, reason: str = ""
) -> NarrativeEntry:
    period = Period.from_code(entry.period)
    require_writable(actor, entry.unit, period)
    errors = _clean_entry(entry.unit, period, data, _section_keys(entry.unit, period))
    if errors:
        raise RegisterError(errors)
    values: dict[str, Any] = {"section": data.section, "text": data.text.strip()}
    if data.order is not None:
        values["order"] = data.order
    with transaction.atomic():
        change = save_changes(actor, entry, values, _entry_snapshot)
        if change is None:
            return entry
        before, after = change
        record(
            actor,
            "entry.update",
            "narrative",
            entry.pk,
            unit=entry.unit,
            period=entry.period,
            summary=f"Nội dung báo cáo {period.label}, mục {entry.section}",
            before=before,
            after=after,
            reason=reason,
        )
    return entry


def delete_entry(actor: Actor, entry: NarrativeEntry, *, reason: str = "") -> None:
    require_writable(actor, entry.unit, entry.period)
    with transaction.atomic():
        record(
            actor,
            "entry.delete",
            "narrative",
            entry.pk,
            unit=entry.unit,
            period=entry.period,
            summary=f"Nội dung báo cáo, mục {entry.section}",
            before=_entry_snapshot(entry),
            reason=reason,
        )
        entry.delete()


@dataclass
class ReplaceResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    entries: list[NarrativeEntry] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} mục mới, {self.updated} sửa, {self.deleted} xóa, {self.unchanged} không đổi"


def replace_entries(
    actor: Actor, unit: OrgUnit, period: Period, items: list[EntryInput], *, reason: str = ""
) -> ReplaceResult:
    """Make the entries of (unit, period) exactly ``items``, in order; all or nothing.

    Used by imports and the demo loader: running it twice changes nothing the second time.
    """
    require_writable(actor, unit, period)
    keys = _section_keys(unit, period)
    errors: list[str] = []
    for item in items:
        errors.extend(_clean_entry(unit, period, item, keys))
    if errors:
        raise RegisterError(errors)
    result = ReplaceResult()
    counters: dict[str, int] = {}
    with transaction.atomic():
        existing = list(
            NarrativeEntry.objects.filter(unit=unit, period=period.code).order_by("section", "order", "id")
        )
        by_slot = {(e.section, e.order): e for e in existing}
        kept: set[int] = set()
        for item in items:
            counters[item.section] = counters.get(item.section, 0) + 1
            order = item.order if item.order is not None else counters[item.section]
            entry = by_slot.get((item.section, order))
            if entry is not None and entry.pk not in kept:
                kept.add(entry.pk)
                if entry.text == item.text.strip():
                    result.unchanged += 1
                else:
                    update_entry(actor, entry, EntryInput(item.section, item.text, order), reason=reason)
                    result.updated += 1
                result.entries.append(entry)
                continue
            created = create_entry(
                actor, unit, period, EntryInput(item.section, item.text, order), reason=reason
            )
            kept.add(created.pk)
            result.entries.append(created)
            result.created += 1
        for entry in existing:
            if entry.pk not in kept:
                delete_entry(actor, entry, reason=reason or "Thay bằng nội dung mới")
                result.deleted += 1
    return result
