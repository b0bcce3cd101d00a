"""`baocao report`: write a unit's periodic report as DOCX or PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.access.access import Perm, require
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.reports.config import ConfigError
from baocao.reports.services import (
    PdfError,
    ReportBuildError,
    ReportOptions,
    build_report,
    report_filename,
    write_report,
)
from baocao.reports.units import ReportUnitError


def _date(text: str) -> date:
    for fmt_day in (text, "-".join(reversed(text.split("/")))):
        try:
            return date.fromisoformat(fmt_day)
        except ValueError:
            continue
    raise CommandError(f"--date: '{text}' không phải ngày (dùng 2022-12-20 hoặc 20/12/2022)")


class Command(BaseCommand):
    help = (
        "Viết báo cáo định kỳ của một đơn vị ra DOCX hoặc PDF (theo Nghị định 30/2020/NĐ-CP). / "
        "Write a unit's periodic report as DOCX or PDF (Decree 30/2020 layout)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Tỉnh / province: 'Trà Vinh', P63-84")
        parser.add_argument(
            "--period", required=True, help="Kỳ / period: 2022, 'quý I/2020', quy-1-2020, 2020Q1, 2022S1"
        )
        parser.add_argument(
            "--out", help="Tệp ra .docx hoặc .pdf / output file (mặc định: out/bao-cao-<đơn vị>-<kỳ>.docx)"
        )
        parser.add_argument("--date", help="Ngày ký / date signed (mặc định: hạn báo cáo theo NĐ 09/2019)")
        parser.add_argument("--number", help="Số báo cáo / report number")
        parser.add_argument("--signer-name", help="Họ tên người ký / signer's name")
        parser.add_argument("--signer-authority", help="GIÁM ĐỐC hoặc 'KT. GIÁM ĐỐC'")
        parser.add_argument(
            "--signer-title", help="Chức vụ khi ký thay / title when signing for: PHÓ GIÁM ĐỐC"
        )
        parser.add_argument(
            "--final",
            action="store_true",
            help="Bản để ký: không phụ lục rà soát, không chỗ trống / version to sign: no review, no placeholder",
        )
        parser.add_argument(
            "--omit-missing",
            action="store_true",
            help="Bản để ký: bỏ các câu cần số liệu còn thiếu / signing version: leave out sentences "
            "that need a missing figure",
        )
        parser.add_argument("--user", help="Người thực hiện / acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        period = cli_support.period(options["period"])
        try:
            unit = find_unit(options["unit"], on=period.end, level="province")
        except UnitNotFound as exc:
            raise CommandError(f"--unit: {exc}") from None
        require(cli_support.actor(options["user"]), unit, Perm.VIEW)
        report_options = ReportOptions(
            issued_on=_date(options["date"]) if options["date"] else None,
            number=options["number"],
            signer_name=options["signer_name"],
            signer_authority=options["signer_authority"],
            signer_title=options["signer_title"],
            final=options["final"],
            omit_missing=True if options["omit_missing"] else None,
        )
        bar = cli_support.Progress("Viết báo cáo", 3 if str(options["out"] or "").lower().endswith(".pdf") else 2)
        try:
            bar.step("lập nội dung")
            report = build_report(unit, period, report_options)
        except (ReportUnitError, ReportBuildError, ConfigError) as exc:
            bar.close()
            raise CommandError(str(exc)) from None
        out = (
            Path(options["out"])
            if options["out"]
            else Path(settings.BAOCAO_OUTPUT_DIR) / report_filename(report, "docx", signing=options["final"])
        )
        if out.suffix.lower() not in (".docx", ".pdf"):
            raise CommandError(f"--out: '{out}' phải có đuôi .docx hoặc .pdf")
        try:
            bar.step("ghi DOCX" if out.suffix.lower() == ".docx" else "ghi DOCX, chuyển sang PDF (LibreOffice)")
            write_report(report, out)
            bar.step("xong")
        except PdfError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        self.stdout.write(f"✔ {report.title} {report.subject} — {unit}: {out}")
        if report.issues:
            self.stdout.write(f"Cần xem lại trước khi ký ({len(report.issues)}):")
            for issue in report.issues:
                where = f" ({issue.where})" if issue.where else ""
                self.stdout.write(f"  - {issue.message}{where}")
