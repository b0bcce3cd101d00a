from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from baocao.cli_support import BadInput, Findings
from baocao.extraction import ExtractionError
from baocao.ingest.checking import check_file


class Command(BaseCommand):
    help = (
        "Kiểm tra tính nhất quán của số liệu trong một báo cáo (tổng, tỷ lệ, độ lớn, kế hoạch). / "
        "Check the consistency of a report's figures (totals, rates, magnitudes, plans). "
        "Mã thoát / exit status: 0 không có lỗi / no error; 1 có số liệu không nhất quán / "
        "inconsistent figures; 2 tệp không đọc được / unreadable file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Báo cáo TXT, DOCX, PDF / report file")
        parser.add_argument("--unit", help="Tỉnh của báo cáo / province override")
        parser.add_argument("--period", help="Kỳ báo cáo / period override")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result, findings = check_file(options["file"], unit=options["unit"], period=options["period"])
        except (ExtractionError, ValueError) as exc:
            raise BadInput(str(exc)) from None
        for finding in findings:
            for line in finding.lines():
                self.stdout.write(line)
        errors = sum(1 for f in findings if f.severity == "error")
        self.stdout.write(
            f"\n{options['file'].name}: {len(result['facts'])} số liệu đã đọc; "
            f"{errors} lỗi, {len(findings) - errors} cảnh báo"
        )
        if errors:
            raise Findings(f"{options['file'].name}: {errors} số liệu không nhất quán")
