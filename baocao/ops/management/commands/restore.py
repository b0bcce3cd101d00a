"""`baocao restore`: put a backup made by `baocao backup` back into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao.access.system import system_user
from baocao.audit.services import record
from baocao.ops.backup import BackupError, describe_time, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục CSDL và các tệp đã tải lên từ một bản sao lưu (chỉ vào CSDL trống, trừ khi có --force). / "
        "Restore the database and uploaded files from a backup (into an empty database unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Tệp sao lưu .tar.gz / the backup archive")
        parser.add_argument(
            "--force", action="store_true",
            help="Ghi đè CSDL đang có dữ liệu / overwrite a database that holds data",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            done = restore_backup(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(f"Khôi phục không thành công: {exc}") from None
        record(
            system_user(), "ops.restore", "database", archive.name,
            summary=f"Khôi phục CSDL từ bản sao lưu {archive.name} (tạo lúc {describe_time(done.created_at)})",
            after={"counts": done.counts, "media_files": done.media_files, "forced": options["force"]},
        )  # fmt: skip
        self.stdout.write(f"✔ Đã khôi phục từ {archive} (sao lưu lúc {describe_time(done.created_at)})")
        self.stdout.write(f"  Gồm: {done.summary()}")
        if done.problems:
            raise CommandError("Số dòng sau khi khôi phục khác bản sao lưu: " + "; ".join(done.problems))
