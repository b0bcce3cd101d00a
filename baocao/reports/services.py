"""Public entry points of the report writer.

Reading: build_report (the structure), write_report (DOCX or PDF file), report_bytes (for a
download).  Writing: save_report_settings — the number, date, signer and recipients of one
report — checked, audited and atomic like every other change.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from baocao.access.access import Perm, require
from baocao.audit.services import record
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

from .builder import ReportBuildError, ReportOptions, build_report, default_report_date
from .document import Report
from .docx_writer import docx_bytes, write_docx
from .models import MISSING_CHOICES, ReportSettings
from .pdf import PdfError, docx_to_pdf

Actor = AbstractBaseUser | AnonymousUser
FORMATS = ("docx", "pdf")

__all__ = [
    "FORMATS",
    "PdfError",
    "ReportBuildError",
    "ReportOptions",
    "SettingsInput",
    "build_report",
    "default_report_date",
    "report_bytes",
    "report_filename",
    "save_report_settings",
    "write_report",
]


def report_filename(report: Report, fmt: str, *, signing: bool = False) -> str:
    """ "bao-cao-P63-84-nam-2022.docx": ASCII, stable, one per unit and period; the signing
    version is "bao-cao-P63-84-nam-2022-ban-ky.docx"."""
    return f"bao-cao-{report.unit.code}-{report.period.slug}{'-ban-ky' if signing else ''}.{fmt}"


def write_report(report: Report, path: Path) -> Path:
    """Write the report to ``path``; the suffix (.docx or .pdf) chooses the format."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"định dạng '{path.suffix}' không hỗ trợ: dùng .docx hoặc .pdf")
    if fmt == "docx":
        write_docx(report, path)
        return path
    with tempfile.TemporaryDirectory(prefix="baocao-report-") as work:
        docx = Path(work) / path.with_suffix(".docx").name
        write_docx(report, docx)
        return docx_to_pdf(docx, path)


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return docx_bytes(report)
    if fmt != "pdf":
        raise ValueError(f"định dạng '{fmt}' không hỗ trợ: dùng docx hoặc pdf")
    with tempfile.TemporaryDirectory(prefix="baocao-report-") as work:
        path = write_report(report, Path(work) / report_filename(report, "pdf"))
        return path.read_bytes()


@dataclass(frozen=True)
class SettingsInput:
    number: str = ""
    issued_on: date | None = None
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] | None = None
    missing_figures: str = ""


def _snapshot(settings: ReportSettings) -> dict[str, Any]:
    return {
        "number": settings.number,
        "issued_on": settings.issued_on,
        "signer_authority": settings.signer_authority,
        "signer_title": settings.signer_title,
        "signer_name": settings.signer_name,
        "recipients": settings.recipients,
        "missing_figures": settings.missing_figures,
    }


def save_report_settings(
    actor: Actor, unit: OrgUnit, period: Period, data: SettingsInput, *, reason: str = ""
) -> ReportSettings:
    """Number, date, signer and recipients of one report (what the template cannot know)."""
    require(actor, unit, Perm.ENTER)
    errors = []
    if data.number and not data.number.strip().isdigit():
        errors.append(f"trường number: số báo cáo '{data.number}' chỉ gồm chữ số (ký hiệu BC-… do mẫu ghi)")
    if data.issued_on is not None and data.issued_on < period.start:
        errors.append(f"trường issued_on: ngày {data.issued_on:%d/%m/%Y} trước khi {period.label} bắt đầu")
    if data.recipients is not None and (
        not isinstance(data.recipients, list)
        or not all(isinstance(r, str) and r.strip() for r in data.recipients)
    ):
        errors.append("trường recipients: cần danh sách tên nơi nhận, không có dòng trống")
    if data.signer_title and not data.signer_authority.upper().startswith("KT."):
        errors.append("trường signer_authority: người ký thay (có chức vụ riêng) ghi 'KT. GIÁM ĐỐC'")
    if data.missing_figures not in dict(MISSING_CHOICES):
        errors.append(f"trường missing_figures: lựa chọn '{data.missing_figures}' không có")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, created = ReportSettings.objects.select_for_update().get_or_create(
            unit=unit, period=period.code
        )
        before = None if created else _snapshot(settings)
        settings.number = data.number.strip()
        settings.issued_on = data.issued_on
        settings.signer_authority = data.signer_authority.strip()
        settings.signer_title = data.signer_title.strip()
        settings.signer_name = data.signer_name.strip()
        settings.recipients = [r.strip() for r in data.recipients] if data.recipients is not None else None
        settings.missing_figures = data.missing_figures
        after = _snapshot(settings)
        if before == after:
            return settings
        settings.updated_by = actor if actor.is_authenticated else None  # type: ignore[assignment]
        settings.save()
        record(
            actor,
            "report.settings",
            "reportsettings",
            settings.pk,
            unit=unit,
            period=period.code,
            summary=f"Thông tin báo cáo {period.label} của {unit.name}",
            before=before,
            after=after,
            reason=reason,
        )
    return settings
