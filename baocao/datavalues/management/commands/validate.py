from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from baocao import cli_support
from baocao.access.access import Perm, require
from baocao.datavalues.validation import FAIL, OK, SKIPPED, validate


class Command(BaseCommand):
    help = (
        "Kiểm tra số liệu của một đơn vị trong một kỳ theo các quy tắc của danh mục. / "
        "Validate a unit's figures for a period against the catalog's rules. "
        "Mã thoát / exit status: 0 không có lỗi / no error; 1 có quy tắc mức lỗi không đạt / "
        "an error-level rule fails; 2 đầu vào sai / bad input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Đơn vị, ví dụ 'Trà Vinh' / unit")
        parser.add_argument("--period", required=True, help="Kỳ: 2022, 'quý I/2020', 2020Q1 / period")
        parser.add_argument("--user", help="Người thực hiện / acting user")
        parser.add_argument("--only-failures", action="store_true", help="Chỉ in lỗi / failures only")

    def handle(self, *args: Any, **options: Any) -> None:
        period = cli_support.period(options["period"])
        unit = cli_support.unit(options["unit"], on=period.end)
        require(cli_support.actor(options["user"]), unit, Perm.VIEW)
        findings = validate(unit, period)
        counts = {OK: 0, FAIL: 0, SKIPPED: 0}
        for finding in sorted(findings, key=lambda f: ({FAIL: 0, OK: 1, SKIPPED: 2}[f.status], f.rule)):
            counts[finding.status] += 1
            if options["only_failures"] and finding.status != FAIL:
                continue
            self.stdout.write(finding.line())
        self.stdout.write(
            f"\nTổng: {counts[OK]} quy tắc đạt, {counts[FAIL]} không đạt, {counts[SKIPPED]} bỏ qua (thiếu số liệu)"
            f" — {unit.name}, {period.label}"
        )
        errors = sum(1 for f in findings if f.status == FAIL and f.severity == "error")
        if errors:
            raise cli_support.Findings(f"{errors} quy tắc mức lỗi không đạt — {unit.name}, {period.label}")
