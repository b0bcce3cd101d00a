"""Demo registers: Trà Vinh's documents, narrative, tasks and report settings (quý I/2020, năm 2022).

Everything is read from baocao/demo/data/registers/*.yaml and written through the ordinary
services (permission, validation, audit).  Running it again changes nothing: documents and
tasks are matched and updated, the narrative of each period is replaced as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from baocao.core.docrefs import DocRefError, parse_reference
from baocao.core.periods import Period, parse_period
from baocao.datavalues.services import SaveResult, ValueInput, save_values
from baocao.orgunits.lookup import find_unit
from baocao.orgunits.models import OrgUnit
from baocao.registers.models import Document, Task
from baocao.registers.services import (
    DocumentInput,
    EntryInput,
    RegisterError,
    ReplaceResult,
    TaskInput,
    create_document,
    create_task,
    delete_task,
    replace_entries,
    update_document,
    update_task,
)
from baocao.reports.services import SettingsInput, save_report_settings

DATA_DIR = Path(__file__).resolve().parent / "data" / "registers"
DOCUMENT_FILES = ["travinh_documents.yaml"]
REPORT_FILES = ["travinh_quy1_2020.yaml", "travinh_2022.yaml"]
REASON = "Dữ liệu mẫu"


class DemoDataError(ValueError):
    """A demo data file that cannot be loaded; the message names the file and the entry."""


@dataclass
class RegistersResult:
    documents: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})
    tasks: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    )
    entries: dict[str, ReplaceResult] = field(default_factory=dict)
    targets: list[SaveResult] = field(default_factory=list)

    def lines(self) -> list[str]:
        d, t = self.documents, self.tasks
        out = [
            f"Sổ văn bản: {d['created']} mới, {d['updated']} cập nhật, {d['unchanged']} không đổi",
            f"Nhiệm vụ: {t['created']} mới, {t['updated']} cập nhật, {t['deleted']} xóa, {t['unchanged']} không đổi",
        ]
        out += [f"Nội dung báo cáo {label}: {r.summary()}" for label, r in self.entries.items()]
        return out


def _read(name: str) -> dict[str, Any]:
    path = DATA_DIR / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError(f"{name}: không đọc được: {exc}") from None
    if not isinstance(data, dict) or "unit" not in data:
        raise DemoDataError(f"{name}: cần khóa 'unit' ở mức ngoài cùng")
    return data


def _unit(name: str, data: dict[str, Any], on: date) -> OrgUnit:
    return find_unit(str(data["unit"]), on=on, level="province")


def _document_input(name: str, index: int, group: dict[str, Any], item: dict[str, Any]) -> DocumentInput:
    where = f"{name}, văn bản {index} ({item.get('ref', '?')})"
    try:
        ref = parse_reference(str(item["ref"]))
    except (KeyError, DocRefError) as exc:
        raise DemoDataError(f"{where}: trường ref: {exc}") from None
    # A document with neither date nor year in its symbol belongs to the report citing it.
    period = None if (ref.date or ref.year) else group.get("period")
    return DocumentInput(
        number=ref.number,
        kind=ref.kind,
        issued_on=ref.date,
        issuing_body=str(item.get("body", "")),
        summary=str(item.get("summary", "")),
        field=item.get("field"),
        origin=str(item.get("origin", group.get("origin", "trich_dan"))),
        period=period,
        note=str(item.get("note", "")),
        where=where,
    )


def _load_documents(actor: AbstractBaseUser, name: str, result: RegistersResult) -> None:
    data = _read(name)
    index = 0
    for group in data.get("groups", []):
        for item in group.get("documents", []):
            index += 1
            doc_input = _document_input(name, index, group, item)
            on = doc_input.issued_on or date.today()
            unit = _unit(name, data, Period.from_code(str(group.get("period", on.year))).end)
            year = parse_reference(doc_input.number).year or (
                doc_input.issued_on.year if doc_input.issued_on else 0
            )
            existing = Document.objects.filter(unit=unit, number=doc_input.number, year=year).first()
            _create_or_update(
                result.documents,
                existing,
                create=partial(create_document, actor, unit, doc_input, reason=REASON),
                update=partial(update_document, actor, data=doc_input, reason=REASON),
            )


def _create_or_update(
    counts: dict[str, int], existing: Any, *, create: Callable[[], object], update: Callable[[Any], object]
) -> None:
    """Create the row when there is none, else update ``existing``; count which it was (an
    update that changes nothing leaves ``updated_at`` as it was: "unchanged")."""
    if existing is None:
        create()
        counts["created"] += 1
        return
    before = existing.updated_at
    update(existing)
    existing.refresh_from_db()
    counts["updated" if existing.updated_at != before else "unchanged"] += 1


def _load_report(actor: AbstractBaseUser, name: str, result: RegistersResult) -> None:
    data = _read(name)
    period = parse_period(str(data["period"]))
    unit = _unit(name, data, period.end)

    targets = [
        ValueInput(
            indicator=str(t["indicator"]),
            unit=unit,
            period=parse_period(str(t.get("period", period.code))),
            value=t["value"],
            is_target=True,
            comment=str(t.get("comment", "")),
            where=f"{name}, targets[{i}]",
        )
        for i, t in enumerate(data.get("targets", []) or [], start=1)
    ]
    if targets:
        result.targets.append(save_values(actor, targets, source_ref=name, reason=REASON))

    items = [
        EntryInput(section=str(section), text=str(text), where=f"{name}, {section}[{i}]")
        for section, texts in (data.get("sections", {}) or {}).items()
        for i, text in enumerate(texts, start=1)
    ]
    result.entries[period.label] = replace_entries(actor, unit, period, items, reason=REASON)

    tasks = data.get("tasks") or {}
    if tasks:
        due = parse_period(str(tasks["due"]))
        existing = {
            t.order: t for t in Task.objects.filter(unit=unit, due_period=due.code, set_in_period=period.code)
        }
        for order, item in enumerate(tasks.get("items", []), start=1):
            task_input = TaskInput(
                content=str(item["content"]),
                due_period=due,
                field=item.get("field"),
                owner_name=str(item.get("owner", "")),
                set_in_period=period,
                status=str(item.get("status", "chua_thuc_hien")),
                note=str(item.get("note", "")),
                order=order,
                where=f"{name}, tasks[{order}]",
            )
            task = existing.pop(order, None)
            _create_or_update(
                result.tasks,
                task,
                create=partial(create_task, actor, unit, task_input, reason=REASON),
                update=partial(update_task, actor, data=task_input, reason=REASON),
            )
        for task in existing.values():
            delete_task(actor, task, reason=REASON)
            result.tasks["deleted"] += 1

    settings = data.get("settings") or {}
    if settings:
        save_report_settings(
            actor,
            unit,
            period,
            SettingsInput(
                number=str(settings.get("number", "")),
                issued_on=settings.get("issued_on"),
                signer_authority=str(settings.get("signer_authority", "")),
                signer_title=str(settings.get("signer_title", "")),
                signer_name=str(settings.get("signer_name", "")),
                recipients=settings.get("recipients"),
            ),
            reason=REASON,
        )


def load_demo_registers(actor: AbstractBaseUser) -> RegistersResult:
    """Load (or reload) the demo registers; all or nothing.  Call after the demo figures."""
    result = RegistersResult()
    try:
        with transaction.atomic():
            for name in DOCUMENT_FILES:
                _load_documents(actor, name, result)
            for name in REPORT_FILES:
                _load_report(actor, name, result)
    except RegisterError as exc:
        raise DemoDataError("; ".join(exc.messages)) from None
    return result
