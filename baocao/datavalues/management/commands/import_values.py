from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.datavalues.bulk import bulk_import
from baocao.datavalues.importing import ImportFileError, import_file

# Above this size a file takes the streaming bulk path (validation in sets, COPY on PostgreSQL).
BULK_THRESHOLD_BYTES = 5_000_000


class Command(BaseCommand):
    help = (
        "Nhập số liệu từ CSV, XLSX, JSON (kể cả JSON trích xuất/gold); mỗi tệp tất cả hoặc không. / "
        "Import values from CSV, XLSX, JSON (incl. extraction/gold JSON); all-or-nothing per file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="Tệp cần nhập / files to import")
        parser.add_argument("--unit", help="Đơn vị của số liệu (khi tệp không ghi) / unit of the values")
        parser.add_argument("--regime", default="hanh_chinh", help="Chế độ báo cáo / reporting regime")
        parser.add_argument("--user", help="Người thực hiện / acting user")
        parser.add_argument("--reason", default="", help="Lý do / reason (audit)")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=(
                f"Đường nhập khối lớn (COPY trên PostgreSQL, bộ nhớ không đổi); tự dùng cho tệp trên "
                f"{BULK_THRESHOLD_BYTES // 1_000_000} MB / streaming bulk path, automatic above that size"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = cli_support.actor(options["user"])
        failed = 0
        for path in options["files"]:
            unit = None
            if options["unit"]:
                unit = cli_support.unit(options["unit"], on=_period_end_of(path))
            use_bulk = options["bulk"] or (path.is_file() and path.stat().st_size > BULK_THRESHOLD_BYTES)
            try:
                if use_bulk and _period_end_of(path) is None:
                    bar = cli_support.Progress(f"Nhập {path.name}")
                    try:
                        bulk = bulk_import(actor, path, unit=unit, regime=options["regime"], reason=options["reason"],
                                           progress=bar)
                    finally:
                        bar.close()
                    self.stdout.write(f"✔ {path}: {bulk.summary()}")
                    continue
                result = import_file(actor, path, unit=unit, regime=options["regime"], reason=options["reason"])
            except ImportFileError as exc:
                failed += 1
                self.stderr.write(f"✘ {path}: không nhập gì từ tệp này vì:")
                for message in exc.messages:
                    self.stderr.write(f"    - {message}")
                continue
            except PermissionDenied as exc:
                failed += 1
                self.stderr.write(f"✘ {path}: {exc}")
                continue
            self.stdout.write(f"✔ {path}: {result.saved.summary()}")
            for finding in result.findings:
                self.stdout.write(f"    {finding.line()}")
        if failed:
            raise CommandError(f"{failed} tệp không nhập được")


def _period_end_of(path: Path) -> Any:
    """A gold/extraction file names its period: pick the unit that existed then."""
    import json

    from baocao.core.periods import Period

    if path.suffix.lower() != ".json":
        return None
    try:
        return Period.from_dict(json.loads(path.read_text(encoding="utf-8"))["period"]).end
    except Exception:  # the importer reports a malformed file with its line and field
        return None
