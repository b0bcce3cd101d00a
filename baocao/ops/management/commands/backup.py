"""`baocao backup`: the database and the uploaded files in one archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.ops.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu CSDL (PostgreSQL: pg_dump; SQLite: sao lưu trực tuyến) và các tệp đã tải lên vào một tệp .tar.gz. / "
        "Back up the database and the uploaded files into one .tar.gz archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            help="Tệp hoặc thư mục đích (mặc định var/backups/baocao-NGÀY-GIỜ.tar.gz) / target file or folder",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = create_backup(options.get("out"))
        except BackupError as exc:
            raise CommandError(f"Sao lưu không thành công: {exc}") from None
        size = done.path.stat().st_size / (1024 * 1024)
        self.stdout.write(f"✔ Đã sao lưu vào {done.path} ({f'{size:.1f}'.replace('.', ',')} MB)")
        self.stdout.write(f"  Gồm: {done.summary()}")
        self.stdout.write(f"  Khôi phục / restore: baocao restore {done.path}")
