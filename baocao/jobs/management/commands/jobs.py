"""`baocao jobs`: list, show, retry, cancel background jobs, enqueue work, run a worker."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from baocao import cli_support
from baocao.core import limits
from baocao.jobs import services
from baocao.jobs.models import Job


def _bar(status: dict[str, Any]) -> str:
    p = status["progress"]
    if p["total"]:
        filled = int(20 * p["current"] / p["total"])
        return f"[{'#' * filled}{'.' * (20 - filled)}] {p['current']}/{p['total']}"
    return f"{p['current']}" if p["current"] else ""


class Command(BaseCommand):
    help = "Tác vụ nền: xem, chạy lại, hủy, chạy worker. / Background jobs: list, show, retry, cancel, worker."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action")
        ls = sub.add_parser("list", help="Danh sách / list recent jobs")
        ls.add_argument("--limit", type=int, default=20)
        ls.add_argument("--state", help="queued, running, done, failed, cancelled")
        show = sub.add_parser("show", help="Chi tiết / details (with traceback)")
        show.add_argument("id", type=int)
        show.add_argument("--json", action="store_true", help="job_status as JSON")
        for name in ("retry", "cancel"):
            p = sub.add_parser(name, help=f"{name} a job")
            p.add_argument("id", type=int)
            p.add_argument("--user", help="Người thực hiện / acting user")
        add = sub.add_parser("enqueue", help="Đưa việc vào hàng đợi / enqueue: KIND key=value …")
        add.add_argument("kind", help="bulk_import, extract_folder, render_reports, selftest")
        add.add_argument("params", nargs="*", help="key=value (path=…, unit_id=…, period=2024, folder=…)")
        add.add_argument("--user", help="Người thực hiện / acting user")
        add.add_argument("--wait", action="store_true", help="Chờ đến khi xong / wait and show progress")
        worker = sub.add_parser("worker", help="Chạy worker / run a worker (RQ or database queue)")
        worker.add_argument("--burst", action="store_true", help="Chạy hết việc rồi thoát / exit when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        try:
            getattr(self, f"_{action}")(options)
        except Job.DoesNotExist:
            raise CommandError(f"Không có tác vụ #{options.get('id')}") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None

    def _list(self, options: dict[str, Any]) -> None:
        services.reap_stale()
        jobs = Job.objects.all()
        if options.get("state"):
            jobs = jobs.filter(state=options["state"])
        rows = list(jobs[: options.get("limit", 20)])
        if not rows:
            self.stdout.write("Chưa có tác vụ nền nào / no jobs")
        for job in rows:
            status = services.job_status(job.pk)
            self.stdout.write(
                f"#{job.pk:<5} {job.kind:<15} {status['state_label']:<11} {_bar(status):<32} "
                f"{job.created_at:%d/%m %H:%M}  {job.message or job.error[:60]}"
            )

    def _show(self, options: dict[str, Any]) -> None:
        status = services.job_status(options["id"])
        if options.get("json"):
            self.stdout.write(json.dumps(status, ensure_ascii=False, indent=2))
            return
        job = Job.objects.get(pk=options["id"])
        self.stdout.write(f"Tác vụ #{job.pk} — {job.kind} — {status['state_label']} {_bar(status)}")
        self.stdout.write(f"  tham số / params: {json.dumps(job.params, ensure_ascii=False)}")
        for label, value in (("tạo lúc", job.created_at), ("bắt đầu", job.started_at), ("kết thúc", job.finished_at)):
            if value:
                self.stdout.write(f"  {label}: {value:%d/%m/%Y %H:%M:%S}")
        if job.message:
            self.stdout.write(f"  {job.message}")
        if job.result_file:
            self.stdout.write(f"  tệp kết quả / result file: {job.result_file}")
        if job.error:
            self.stdout.write(f"  LỖI / ERROR: {job.error}")
            self.stdout.write(job.traceback)
            self.stdout.write(f"  → chạy lại / retry: baocao jobs retry {job.pk}")

    def _retry(self, options: dict[str, Any]) -> None:
        job = services.retry(cli_support.actor(options.get("user")), Job.objects.get(pk=options["id"]))
        self.stdout.write(f"✔ Tác vụ #{options['id']} chạy lại thành #{job.pk} ({job.backend})")

    def _cancel(self, options: dict[str, Any]) -> None:
        job = services.cancel(cli_support.actor(options.get("user")), Job.objects.get(pk=options["id"]))
        self.stdout.write(f"✔ #{job.pk}: {job.get_state_display()}{' (đang dừng)' if job.cancel_requested else ''}")

    def _enqueue(self, options: dict[str, Any]) -> None:
        params: dict[str, Any] = {}
        for item in options["params"]:
            key, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"'{item}': cần dạng key=value")
            params[key] = int(value) if value.isdigit() and key.endswith("_id") else value
        job = services.enqueue(cli_support.actor(options.get("user")), options["kind"], params)
        self.stdout.write(f"✔ Tác vụ #{job.pk} ({job.kind}) đã vào hàng đợi ({job.backend})")
        if options.get("wait"):
            while not (status := services.job_status(job.pk))["finished"]:
                self.stdout.write(f"\r  {_bar(status)} {status['message'][:60]:<60}", ending="")
                self.stdout.flush()
                time.sleep(0.5)
            self.stdout.write(f"\n{status['state_label']}: {status['message']} {status['error']}")

    def _worker(self, options: dict[str, Any]) -> None:
        services.reap_stale()
        if services.limit_memory():  # every job of this worker (and RQ's forked work-horses)
            self.stdout.write(f"Giới hạn bộ nhớ mỗi tác vụ / job memory limit: {limits.size_text(limits.current().job_memory_bytes)}")
        if services.backend_name() == "rq":
            from rq import Worker

            queue = services.rq_queue()
            self.stdout.write(f"Worker RQ trên {services.redis_url()} (hàng đợi '{queue.name}')")
            Worker([queue], connection=queue.connection).work(burst=options.get("burst", False))
            return
        self.stdout.write("Worker CSDL / database worker: chờ tác vụ … (Ctrl+C để dừng)")
        while True:
            done = services.run_queued()
            if done:
                self.stdout.write(f"  chạy xong {done} tác vụ / ran {done} job(s)")
            if options.get("burst"):
                return
            time.sleep(2)
