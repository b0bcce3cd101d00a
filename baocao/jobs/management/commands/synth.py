"""`baocao synth`: generate a realistic national dataset (for benchmarks and load tests)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from baocao import cli_support
from baocao.access.access import require_admin
from baocao.audit.services import record
from baocao.datavalues.models import DataValue, Submission
from baocao.jobs.synth import Counts, generate, make_plan, submissions
from baocao.jobs.synth_write import SOURCE_REF, CopyWriter, OrmWriter
from baocao.orgunits.models import OrgUnit


def _years(text: str) -> tuple[int, int]:
    try:
        first, _, last = text.partition("-")
        span = (int(first), int(last or first))
    except ValueError:
        raise CommandError(f"--years: '{text}' không phải khoảng năm (ví dụ 2016-2025)") from None
    if not 1990 <= span[0] <= span[1] <= 2100:
        raise CommandError(f"--years: '{text}' không hợp lệ (1990 ≤ A ≤ B ≤ 2100)")
    return span


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu toàn quốc (mọi tỉnh, xã, cả danh mục, theo quý) để đo hiệu năng. / "
        "Generate a national dataset (all provinces and communes, whole catalog, quarterly) for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Quy mô / size factor: 1 ≈ 5,5 triệu giá trị; 0.001 cho kiểm thử / for tests")
        parser.add_argument("--years", default="2016-2025", help="Khoảng năm / span of years, e.g. 2016-2025")
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên / random seed")
        parser.add_argument("--database-url", help="CSDL đích / target database (default: DATABASE_URL)")
        parser.add_argument("--replace", action="store_true",
                            help="Xóa dữ liệu sinh trước đó / delete previously generated values first")
        parser.add_argument("--user", help="Người thực hiện / acting user (quản trị / administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["database_url"] and os.environ.get("DATABASE_URL") != options["database_url"]:
            # Settings are read once per process: run again with the database chosen.
            argv = [a for a in sys.argv[1:] if not a.startswith("--database-url")]
            if "--database-url" in sys.argv:
                i = sys.argv.index("--database-url")
                argv = sys.argv[1:i] + sys.argv[i + 2 :]
            if argv and argv[0] != "synth":
                argv = ["synth", *argv[argv.index("synth") + 1 :]] if "synth" in argv else ["synth"]
            env = {**os.environ, "DATABASE_URL": options["database_url"]}
            code = subprocess.call([sys.executable, "-m", "baocao.cli", *argv], env=env)
            if code:
                raise CommandError(f"synth trên {options['database_url']} thất bại (mã {code})")
            return
        actor = cli_support.actor(options["user"])
        require_admin(actor)
        if not OrgUnit.objects.filter(level="commune").exists():
            raise CommandError("Chưa có đơn vị hành chính: chạy 'baocao init' trước / run 'baocao init' first")
        years, scale = _years(options["years"]), options["scale"]
        if scale <= 0:
            raise CommandError("--scale phải lớn hơn 0 / must be positive")
        started = time.monotonic()
        plan = make_plan(years, scale, options["seed"])
        counts = Counts()
        pg = connection.vendor == "postgresql"
        with transaction.atomic():
            if options["replace"]:
                deleted = DataValue.objects.filter(source_ref=SOURCE_REF)._raw_delete(connection.alias)
                self.stdout.write(f"Đã xóa {deleted} giá trị sinh trước đó / deleted")
            codes = [p.code for p in plan.periods] + [str(y) for y in range(years[0], years[1] + 1)]
            # Population figures loaded by `baocao init` are kept; other figures in the span
            # (demo data, real imports) make every batch go through a staging table.
            occupied = DataValue.objects.filter(period__in=codes).exclude(indicator__code="dan_so").exists()
            user_id = actor.pk if actor.is_authenticated else None
            writer = CopyWriter(staging=occupied, user_id=user_id) if pg else OrmWriter(user_id=user_id)
            for batch in generate(plan, counts):
                writer.write(batch, keep_existing=batch[0][0] == plan.ids["dan_so"] if batch else False)
                self.stdout.write(f"\r  {counts.values:>12,} giá trị / values", ending="")
                self.stdout.flush()
            writer.finish()
            rng = random.Random(options["seed"])
            rows = [Submission(regime="hanh_chinh", submitted_by_id=user_id, **s) for s in submissions(plan, rng)]
            for s in rows:
                if s.approved_at:
                    s.approved_by_id = user_id
            Submission.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            counts.submissions = len(rows)
            seconds = time.monotonic() - started
            record(
                actor, "synth.generate", "dataset", SOURCE_REF,
                summary=f"Sinh dữ liệu tổng hợp: {counts.values:,} giá trị, {years[0]}–{years[1]}",
                after={
                    "values": counts.values, "by_level": counts.by_level, "submissions": counts.submissions,
                    "units": counts.units, "years": list(years), "scale": scale, "seed": options["seed"],
                    "commune_indicators": plan.commune_codes, "province_indicators": len(plan.province_codes),
                    "seconds": round(seconds, 1), "kept_existing": occupied,
                },
                reason="Bộ dữ liệu tổng hợp để đo hiệu năng (source_ref='synth')",
            )  # fmt: skip
        if pg:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE datavalues_datavalue")
        rate = counts.values / max(seconds, 1e-9)
        self.stdout.write(
            f"\n✔ {counts.values:,} giá trị ({', '.join(f'{k}: {v:,}' for k, v in counts.by_level.items())}), "
            f"{counts.submissions:,} lượt gửi báo cáo, {seconds:.1f} s ({rate:,.0f} giá trị/s)"
        )
