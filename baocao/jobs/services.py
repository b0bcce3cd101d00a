"""Background jobs: enqueue, retry, cancel, status — and the runner the queue calls.

The queue carries only a job id; the Job row is the record (state, progress, failure with
traceback), so the web app and the CLI read progress from the database whatever the queue.

Backends (BAOCAO_JOBS_BACKEND, default "rq" when BAOCAO_REDIS_URL is set, else "thread"):
* rq       — RQ on Redis; `baocao jobs worker` runs an RQ worker;
* thread   — the embedded default: the job runs in a thread of the process that enqueued it;
             `baocao jobs worker` also picks up queued jobs from the database;
* database — jobs wait in the database for `baocao jobs worker`;
* sync     — run at once, in the caller (tests, scripts).
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from baocao.access.access import AccessDenied
from baocao.audit.services import record

from .models import Job, JobState

Actor = AbstractBaseUser | AnonymousUser
QUEUE_NAME = "baocao"
HEARTBEAT_SECONDS = 2.0  # a running job's runner writes a sign of life this often
STALE_AFTER = timedelta(seconds=15 * HEARTBEAT_SECONDS)  # silent this long: its runner died


class JobCancelled(Exception):
    """Raised inside a job's work when someone asked to cancel it."""


def redis_url() -> str:
    return str(getattr(settings, "BAOCAO_REDIS_URL", "") or os.environ.get("BAOCAO_REDIS_URL", ""))


def backend_name() -> str:
    chosen = getattr(settings, "BAOCAO_JOBS_BACKEND", "") or os.environ.get("BAOCAO_JOBS_BACKEND", "")
    return str(chosen or ("rq" if redis_url() else "thread"))


def rq_queue() -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(redis_url()), default_timeout=6 * 3600)


# -- services -----------------------------------------------------------------------------------------
def enqueue(actor: Actor, kind: str, params: dict[str, Any], *, total: int | None = None) -> Job:
    """Record a job and hand it to the queue once the transaction commits."""
    from .tasks import TASKS

    if kind not in TASKS:
        raise ValidationError({"kind": f"Loại tác vụ '{kind}' không có ({', '.join(sorted(TASKS))})"})
    if not actor.is_authenticated:
        raise AccessDenied("Cần đăng nhập để chạy tác vụ nền")
    TASKS[kind].check(actor, params)
    backend = backend_name()
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, params=params, created_by=actor, backend=backend, progress_total=total, attempts=1
        )
        record(actor, "job.enqueue", "job", job.pk, summary=f"Tác vụ nền #{job.pk}: {TASKS[kind].label}",
               after={"kind": kind, "params": params, "backend": backend})  # fmt: skip
        if backend != "sync":
            transaction.on_commit(lambda: _dispatch(job))
    if backend == "sync":
        _dispatch(job)  # in the caller, even inside its transaction (tests, scripts)
    return job


def retry(actor: Actor, job: Job) -> Job:
    """A failed or cancelled job again, as a new job that points back to it."""
    if job.state not in (JobState.FAILED, JobState.CANCELLED):
        raise ValidationError(f"Tác vụ #{job.pk} đang ở trạng thái '{JobState(job.state).label}': chỉ chạy lại tác vụ lỗi hoặc đã hủy")
    new = enqueue(actor, job.kind, job.params, total=job.progress_total)
    Job.objects.filter(pk=new.pk).update(retry_of=job, attempts=job.attempts + 1)
    new.refresh_from_db()
    record(actor, "job.retry", "job", job.pk, summary=f"Chạy lại tác vụ #{job.pk} thành #{new.pk}")
    return new


def cancel(actor: Actor, job: Job) -> Job:
    """A queued job is cancelled at once; a running one stops at its next progress report."""
    if job.created_by_id != actor.pk and not getattr(actor, "is_superuser", False):
        raise AccessDenied(f"Chỉ người tạo hoặc quản trị viên được hủy tác vụ #{job.pk}")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state == JobState.QUEUED:
            job.state, job.finished_at, job.message = JobState.CANCELLED, timezone.now(), "Đã hủy trước khi chạy"
        elif job.state == JobState.RUNNING:
            job.cancel_requested = True
        else:
            raise ValidationError(f"Tác vụ #{job.pk} đã kết thúc ({JobState(job.state).label})")
        job.save()
        record(actor, "job.cancel", "job", job.pk, summary=f"Hủy tác vụ #{job.pk}")
    return job


def visible_jobs(user: Actor) -> QuerySet[Job]:
    """The jobs a person may follow: their own; a system administrator sees every job."""
    if not user.is_authenticated:
        return Job.objects.none()
    jobs = Job.objects.select_related("created_by")
    if getattr(user, "is_superuser", False):
        return jobs
    return jobs.filter(created_by_id=user.pk)


def job_status(job_id: int) -> dict[str, Any]:
    """What a progress bar needs, JSON-ready (the web app and the API poll this)."""
    return status_of(Job.objects.get(pk=job_id))


def status_of(job: Job) -> dict[str, Any]:
    if runner_lost(job):  # shown as it is at once, whoever reads it; the reaper records it
        reap_stale()
        job.refresh_from_db()
    total = job.progress_total
    percent = round(100 * job.progress_current / total) if total else (100 if job.state == JobState.DONE else None)
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "state_label": JobState(job.state).label,
        "progress": {"current": job.progress_current, "total": total, "percent": percent},
        "message": job.message,
        "error": job.error,
        "result": job.result,
        "result_file": job.result_file,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "can_retry": job.state in (JobState.FAILED, JobState.CANCELLED),
        "retry_of": job.retry_of_id,
        "finished": job.state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED),
    }


LOST = "Tác vụ bị gián đoạn (tiến trình chạy đã dừng); có thể chạy lại"


def runner_lost(job: Job) -> bool:
    """A running job whose runner has been silent for several heartbeats: it died."""
    beat = job.heartbeat_at or job.started_at
    return job.state == JobState.RUNNING and beat is not None and beat < timezone.now() - STALE_AFTER


def reap_stale() -> int:
    """Mark running jobs whose runner went silent as failed, so that they can be retried."""
    limit = timezone.now() - STALE_AFTER
    return Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=limit).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=LOST, message="Bị gián đoạn",
    )  # fmt: skip


# -- dispatching and running ----------------------------------------------------------------------------
def _dispatch(job: Job) -> None:
    """Hand the job to its queue; a queue that cannot take it fails the job at once (never a job
    "queued" forever)."""
    try:
        _hand_over(job)
    except Exception as exc:
        _fail(job.pk, f"Không đưa được tác vụ vào hàng đợi ({job.backend}): {type(exc).__name__}: {exc}")


def _hand_over(job: Job) -> None:
    if job.backend == "rq":
        queued = rq_queue().enqueue("baocao.jobs.services.run_job", job.pk, job_id=f"baocao-job-{job.pk}")
        Job.objects.filter(pk=job.pk).update(queue_id=queued.id)
    elif job.backend == "thread":
        threading.Thread(target=_run_in_thread, args=(job.pk,), name=f"baocao-job-{job.pk}", daemon=True).start()
    elif job.backend == "sync":
        run_job(job.pk)
    # "database": the worker will claim it.


_THREAD_LIMIT = threading.Lock()


def _run_in_thread(job_id: int) -> None:
    # The embedded runner shares the web process: its cap (job_memory_bytes) is the process's.
    # Off by default in development (BAOCAO_JOBS_LIMIT_THREADS=1 turns it on there).
    if getattr(settings, "BAOCAO_JOBS_LIMIT_THREADS", not settings.DEBUG):
        with _THREAD_LIMIT:
            limit_memory()
    try:
        run_job(job_id)
    finally:
        connection.close()  # a thread's connection is its own


class Progress:
    """Given to a task: `progress(current, total, message)`; also checks for cancellation.

    With a heartbeat thread (every backend but sync) the report is handed to it and written
    through the thread's own connection, so progress shows while the task is inside a long
    transaction (a bulk import's load), and a cancel request is seen there too."""

    def __init__(self, job: Job, beat: Heartbeat | None = None) -> None:
        self.job = job
        self.beat = beat if beat is not None and beat.thread is not None else None

    def __call__(self, current: int, total: int | None = None, message: str = "") -> None:
        changes: dict[str, Any] = {"progress_current": current}
        if total is not None:
            changes["progress_total"] = total
        if message:
            changes["message"] = message[:255]
        if self.beat is not None:
            self.beat.report(changes)
            if self.beat.cancelled.is_set():
                raise JobCancelled
            return
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now(), **changes)
        if Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            raise JobCancelled


def claim(job_id: int) -> Job | None:
    """Move a queued job to running; None when another runner has it (or it was cancelled)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, state=JobState.QUEUED).first()
        if job is None:
            return None
        now = timezone.now()
        job.state, job.started_at, job.heartbeat_at, job.message = JobState.RUNNING, now, now, "Đang chạy"
        job.save(update_fields=["state", "started_at", "heartbeat_at", "message"])
        return job


def _fail(job_id: int, error: str, trace: str = "") -> None:
    """Write a failure on a job that has not finished (queued or running)."""
    Job.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=error[:20000], traceback=trace[-20000:], message="Lỗi",
    )  # fmt: skip


class Heartbeat:
    """A thread that writes the job's heartbeat (and its latest progress) every HEARTBEAT_SECONDS
    while its work runs, on its own database connection, outside the work's transactions. A
    runner that dies (killed, out of memory) is thus seen within STALE_AFTER, not after its next
    progress report. None inside a caller's transaction (the sync backend writes directly)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stop = threading.Event()
        self.cancelled = threading.Event()
        self.thread: threading.Thread | None = None
        self._pending: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._beat, name=f"baocao-heartbeat-{self.job_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=60)

    def report(self, changes: dict[str, Any]) -> None:
        with self._lock:
            self._pending.update(changes)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(HEARTBEAT_SECONDS):
                self._tick()
            self._tick()  # the last progress reported
        finally:
            connection.close()

    def _tick(self) -> None:
        with self._lock:
            changes, self._pending = self._pending, {}
        try:
            Job.objects.filter(pk=self.job_id, state=JobState.RUNNING).update(heartbeat_at=timezone.now(), **changes)
            if Job.objects.filter(pk=self.job_id, cancel_requested=True).exists():
                self.cancelled.set()
        except Exception:  # a busy database: the next beat writes it
            with self._lock:
                self._pending = {**changes, **self._pending}


def _failure_text(exc: BaseException) -> str:
    messages = getattr(exc, "messages", None)
    text = "; ".join(messages[:20]) if isinstance(messages, list) else str(exc)
    if isinstance(exc, MemoryError):
        text = "tác vụ dùng quá giới hạn bộ nhớ (tệp quá lớn hoặc hỏng?)"
    return f"{type(exc).__name__}: {text}"


def run_job(job_id: int) -> dict[str, Any] | None:
    """The function the queue calls. Never raises: a failure — of the claim, of the work, or
    running out of the job's memory — is written on the job."""
    from .tasks import TASKS

    try:
        if not connection.in_atomic_block:
            close_old_connections()  # an RQ work-horse is a fork: do not reuse the parent's connection
        job = claim(job_id)
        if job is None:
            return None
        with Heartbeat(job.pk) as beat:
            result = TASKS[job.kind].run(job, Progress(job, beat))
    except JobCancelled:
        Job.objects.filter(pk=job_id).update(state=JobState.CANCELLED, finished_at=timezone.now(), message="Đã hủy")
        return None
    except Exception as exc:  # MemoryError included: the job's memory limit was reached
        trace = traceback.format_exc()
        with contextlib.suppress(Exception):  # the database itself is gone: the reaper sees the silence
            _fail(job_id, _failure_text(exc), trace)
        return None
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, finished_at=timezone.now(), result=result.get("result"),
        result_file=result.get("file", ""), message=str(result.get("message", "Hoàn thành"))[:255],
    )  # fmt: skip
    return result


def limit_memory(limit: int | None = None) -> bool:
    """Cap this process's address space (a worker running jobs): a file that slipped past the
    readers' bounds fails its job with MemoryError instead of taking the machine down.
    Returns False where the platform cannot (or the limit is 0)."""
    from baocao.core.limits import current

    limit = current().job_memory_bytes if limit is None else limit
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return False
    if not limit:
        return False
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return True


def run_queued(limit: int | None = None) -> int:
    """The database backend's worker loop body: run queued jobs, oldest first; returns how many."""
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            rows = Job.objects.select_for_update(skip_locked=True).filter(state=JobState.QUEUED)
            job = rows.exclude(backend="rq").order_by("created_at", "id").first()
            if job is None:
                return done
            job_id = job.pk
        run_job(job_id)
        done += 1
    return done
