from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.catalog.services import FIELDS_CSV, INDICATORS_CSV, RULES_YAML, CatalogError, load_catalog


class Command(BaseCommand):
    help = "Nạp danh mục chỉ tiêu, lĩnh vực và quy tắc kiểm tra từ tệp. / Load the catalog from files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--indicators", type=Path, default=INDICATORS_CSV, help="CSV chỉ tiêu / indicators CSV"
        )
        parser.add_argument("--fields", type=Path, default=FIELDS_CSV, help="CSV lĩnh vực / fields CSV")
        parser.add_argument("--rules", type=Path, default=RULES_YAML, help="YAML quy tắc / rules YAML")
        parser.add_argument("--user", help="Người thực hiện / acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_catalog(
                cli_support.actor(options["user"]),
                indicators_csv=options["indicators"],
                fields_csv=options["fields"],
                rules_yaml=options["rules"],
            )
        except CatalogError as exc:
            raise CommandError(
                "Danh mục không hợp lệ:\n" + "\n".join(f"  - {m}" for m in exc.messages)
            ) from None
        self.stdout.write(f"✔ Danh mục: {result.summary()}")
