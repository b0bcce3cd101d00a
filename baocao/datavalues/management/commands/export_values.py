from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.datavalues.exporting import FORMATS, export, values_for


class Command(BaseCommand):
    help = "Xuất số liệu ra CSV, XLSX hoặc JSON (nhập lại được). / Export values as CSV, XLSX or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, required=True, help="Tệp kết quả .csv/.xlsx/.json / output file"
        )
        parser.add_argument("--unit", help="Chỉ đơn vị này (và đơn vị trực thuộc) / only this unit subtree")
        parser.add_argument(
            "--period", action="append", help="Chỉ kỳ này (lặp lại được) / only these periods"
        )
        parser.add_argument("--user", help="Người thực hiện / acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["out"].suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"--out: định dạng '{fmt}' không hỗ trợ ({', '.join(FORMATS)})")
        periods = [cli_support.period(p) for p in options["period"]] if options["period"] else None
        qs = values_for(cli_support.actor(options["user"]), periods=periods)
        if options["unit"]:
            unit = cli_support.unit(options["unit"], on=periods[-1].end if periods else None)
            qs = qs.filter(unit__path__startswith=unit.path)
        options["out"].parent.mkdir(parents=True, exist_ok=True)
        options["out"].write_bytes(export(qs, fmt))
        self.stdout.write(f"✔ Đã xuất {qs.count()} giá trị vào {options['out']}")
