"""`baocao sources`: list sources, run one now, run the ones due (cron / systemd timer), test a mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.access.access import AccessDenied
from baocao.jobs import services as jobs
from baocao.sources import services
from baocao.sources.models import Arrival, Run, RunState, Source

STATE_MARK = {RunState.OK: "✔", RunState.HELD: "!", RunState.FAILED: "✘", RunState.RUNNING: "…"}


def _run_line(run: Run | None) -> str:
    if run is None:
        return "chưa chạy / never run"
    when = f"{run.started_at:%d/%m/%Y %H:%M}"
    if run.state == RunState.FAILED:
        return f"{STATE_MARK[run.state]} {when} lỗi: {run.error[:90]}"
    return (f"{STATE_MARK.get(run.state, '?')} {when} {run.figures} số liệu, {run.created} mới, "
            f"{run.updated} cập nhật, {run.held} chờ duyệt")  # fmt: skip


class Command(BaseCommand):
    help = "Nguồn dữ liệu: danh sách, chạy, chạy theo lịch, thử bảng ánh xạ. / Data sources: list, run, run-due, test."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="Danh sách nguồn và lần chạy gần nhất / sources and their last run")
        run = sub.add_parser("run", help="Chạy một nguồn ngay / run one source now")
        run.add_argument("name", help="Tên ngắn, tên hoặc số của nguồn / slug, name or id")
        run.add_argument("--file", help="Tệp dữ liệu thay cho việc lấy từ URL / an export file instead of fetching")
        run.add_argument("--user", help="Người thực hiện / acting user (mặc định: hệ thống)")
        due = sub.add_parser("run-due", help="Chạy các nguồn đến lịch (cron, systemd timer) / run sources that are due")
        due.add_argument("--queue", action="store_true", help="Đưa vào hàng đợi RQ thay vì chạy ngay / enqueue only")
        add = sub.add_parser("add", help="Thêm hoặc cập nhật nguồn từ tệp YAML / add or update a source from a YAML file")
        add.add_argument("file", help="Bảng ánh xạ .yaml, có khối source: (units, arrival, url …)")
        add.add_argument("--unit", action="append", help="Đơn vị (lặp lại được); thay cho source.units")
        add.add_argument("--user", help="Người thực hiện / acting user (mặc định: hệ thống)")
        test = sub.add_parser("test", help="Thử bảng ánh xạ với tệp mẫu, không ghi gì / try a mapping on a sample")
        test.add_argument("name", help="Nguồn, hoặc đường dẫn tệp bảng ánh xạ .yaml / a source or a mapping file")
        test.add_argument("--sample", required=True, help="Tệp mẫu CSV, XLSX, JSON / sample export")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        try:
            getattr(self, "_" + action.replace("-", "_"))(options)
        except Source.DoesNotExist as exc:
            raise CommandError(str(exc)) from None
        except (ValidationError, AccessDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from None

    def _list(self, options: dict[str, Any]) -> None:
        sources = list(Source.objects.prefetch_related("units"))
        if not sources:
            self.stdout.write("Chưa có nguồn dữ liệu nào / no data sources")
            return
        last = services.last_runs(sources)
        pending = services.pending_counts(sources)
        for s in sources:
            schedule = f"mỗi {s.every_minutes} phút" if s.every_minutes else "không lịch"
            units = ", ".join(u.name for u in s.units.all())
            self.stdout.write(f"{s.slug:<28} {s.get_arrival_display()} ({schedule}) — {s.name} [{units}]"
                              + ("" if s.is_active else " (tạm dừng)"))  # fmt: skip
            self.stdout.write(f"{'':<28} {_run_line(last.get(s.pk))}"
                              + (f"; {pending[s.pk]} số liệu chờ duyệt" if pending.get(s.pk) else ""))  # fmt: skip

    def _print_run(self, run: Run) -> None:
        self.stdout.write(_run_line(run))
        for change in run.changes[:30]:
            self.stdout.write(f"  {change['indicator']} — {change['unit']}, {change['period']}: "
                              f"{change['before'] or '(chưa có)'} → {change['after']}  [{change['where']}]")  # fmt: skip
        for held in run.held_figures.all()[:30]:
            self.stdout.write(f"  ! chờ duyệt {held.code} = {held.value.normalize()} [{held.where}]: {held.reason}")
        for row in run.unmapped[:30]:
            hint = f" (gợi ý: {row['suggestion']})" if row.get("suggestion") else ""
            self.stdout.write(f"  – không ánh xạ: {row['label']} [{row['where']}]: {row['reason']}{hint}")

    def _run(self, options: dict[str, Any]) -> None:
        source = services.find_source(options["name"])
        actor = cli_support.actor(options.get("user"))
        if options.get("file"):
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"--file: không thấy tệp {path}")
            runs = [services.run_upload(actor, source, path.read_bytes(), path.name)]
        elif source.arrival == Arrival.FOLDER:
            services.require_manage(actor, source)
            runs = services.poll_folder(source, started_by=actor)
            if not runs:
                self.stdout.write(f"Không có tệp mới trong {source.folder} / no new files")
        else:
            services.require_manage(actor, source)
            runs = [services.run_source(source, trigger="manual", started_by=actor)]
        for run in runs:
            self.stdout.write(f"Nguồn «{source.name}», lần chạy #{run.pk} ({run.origin}):")
            self._print_run(run)
        if runs and all(r.state == RunState.FAILED for r in runs):
            raise CommandError("Lần chạy lỗi / the run failed")

    def _run_due(self, options: dict[str, Any]) -> None:
        if not options.get("queue") and jobs.backend_name() == "thread":
            # A cron job exits at once: a thread would die with it, so run in this process.
            settings.BAOCAO_JOBS_BACKEND = "sync"
        queued = services.run_due()
        if not queued:
            self.stdout.write("Không có nguồn nào đến lịch / nothing is due")
        for job in queued:
            job.refresh_from_db()
            self.stdout.write(f"#{job.pk} {job.params.get('source_id')}: {job.get_state_display()} {job.message} {job.error}")

    def _add(self, options: dict[str, Any]) -> None:
        import os

        from baocao.sources.mapping import MappingError, source_block

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}")
        text = path.read_text(encoding="utf-8")
        try:
            block, name = source_block(text), services.check_mapping(text).name
        except MappingError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        name = str(block.get("name") or name or path.stem)
        units = [cli_support.unit(u) for u in (options.get("unit") or block.get("units") or [])]
        secret = os.environ.get(str(block.get("auth_value_env", "")), "") if block.get("auth_value_env") else ""
        fields = {
            "arrival": str(block.get("arrival", Arrival.UPLOAD)), "url": str(block.get("url", "")),
            "auth_header": str(block.get("auth_header", "")), "auth_value": secret,
            "folder": str(block.get("folder", "")), "every_minutes": int(block.get("every_minutes", 0) or 0),
            "description": str(block.get("description", "")), "mapping": text,
        }  # fmt: skip
        actor = cli_support.actor(options.get("user"))
        existing = Source.objects.filter(name=name).first()
        if existing is not None:
            source = services.update_source(actor, existing, units=units or None, **fields)
            self.stdout.write(f"✔ Đã cập nhật nguồn «{source.name}» ({source.slug})")
        else:
            source = services.create_source(actor, name=name, units=units, slug=str(block.get("slug", "")), **fields)
            self.stdout.write(f"✔ Đã thêm nguồn «{source.name}» ({source.slug}), tài khoản dịch vụ {source.account.username}")

    def _test(self, options: dict[str, Any]) -> None:
        sample = Path(options["sample"])
        if not sample.is_file():
            raise CommandError(f"--sample: không thấy tệp {sample}")
        target = Path(options["name"])
        if target.suffix.lower() in (".yaml", ".yml", ".json") and target.is_file():
            mapping, units = target.read_text(encoding="utf-8"), []
        else:
            source = services.find_source(options["name"])
            mapping, units = source.mapping, list(source.units.all())
        preview = services.interpret(units, mapping, sample.read_bytes(), sample.name)
        if preview.error:
            raise CommandError(preview.error)
        self.stdout.write(f"{len(preview.rows)} số liệu / figures:")
        for row in preview.rows:
            name = row.indicator.name_vi if row.indicator else row.figure.code
            unit = row.unit.name if row.unit else (row.figure.unit or "(đơn vị của nguồn)")
            problem = f"  ✘ {row.problem}" if row.problem and row.unit else ""
            self.stdout.write(f"  {name} — {unit}, {row.figure.period.label}: {row.value_display}  "
                              f"[{row.figure.where}]{problem}")  # fmt: skip
        if preview.unmapped:
            self.stdout.write(f"{len(preview.unmapped)} dòng không ánh xạ được / rows not mapped:")
        for u in preview.unmapped:
            hint = f" (gợi ý mã: {u.suggestion})" if u.suggestion else ""
            self.stdout.write(f"  {u.label} [{u.where}]: {u.reason}{hint}")
