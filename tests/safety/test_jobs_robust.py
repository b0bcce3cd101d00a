"""Background jobs fail cleanly: a claim that breaks fails the job, a queue that cannot take a job
fails it at once (never "queued" forever, retries included), a runner that died shows at once,
progress is written from the heartbeat's own connection, and a worker's memory is capped."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from baocao.jobs import services
from baocao.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parents[2]


def test_a_claim_that_breaks_fails_the_job(system_actor, settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "database"
    job = services.enqueue(system_actor, "selftest", {"steps": 1})

    def broken(job_id: int) -> None:
        raise RuntimeError("mất kết nối khi nhận việc")

    monkeypatch.setattr(services, "claim", broken)
    assert services.run_job(job.pk) is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "mất kết nối khi nhận việc" in job.error


def test_a_queue_that_cannot_take_the_job_fails_it_and_its_retry(system_actor, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "rq"
    settings.BAOCAO_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue(system_actor, "selftest", {"steps": 1})
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "Không đưa được tác vụ vào hàng đợi" in job.error
    with django_capture_on_commit_callbacks(execute=True):
        again = services.retry(system_actor, job)
    again.refresh_from_db()
    assert again.state == JobState.FAILED and again.retry_of_id == job.pk
    assert not Job.objects.filter(state=JobState.QUEUED).exists()


def test_a_job_whose_runner_died_is_shown_as_interrupted_at_once(system_actor, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "database"
    alive = services.enqueue(system_actor, "selftest", {})
    dead = services.enqueue(system_actor, "selftest", {})
    now = timezone.now()
    Job.objects.filter(pk=alive.pk).update(state=JobState.RUNNING, started_at=now, heartbeat_at=now)
    # silent for a minute: two heartbeats every few seconds were missed, not fifteen minutes' worth
    Job.objects.filter(pk=dead.pk).update(state=JobState.RUNNING, started_at=now - timedelta(minutes=1),
                                          heartbeat_at=now - timedelta(minutes=1))  # fmt: skip
    assert services.job_status(alive.pk)["state"] == JobState.RUNNING
    status = services.job_status(dead.pk)
    assert status["state"] == JobState.FAILED and status["can_retry"] and "gián đoạn" in status["error"]


def test_progress_and_cancel_go_through_the_heartbeat(system_actor, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "database"
    job = services.enqueue(system_actor, "selftest", {})
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=timezone.now())
    beat = services.Heartbeat(job.pk)
    beat.thread = object()  # type: ignore[assignment]  # as if its thread ran: Progress hands reports to it
    progress = services.Progress(job, beat)
    progress(40, 100, "Đọc tệp: 40 dòng")
    assert Job.objects.get(pk=job.pk).progress_current == 0  # not written by the task's connection
    beat._tick()  # what the thread does every HEARTBEAT_SECONDS
    job.refresh_from_db()
    assert (job.progress_current, job.progress_total, job.message) == (40, 100, "Đọc tệp: 40 dòng")
    assert job.heartbeat_at is not None
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    beat._tick()
    with pytest.raises(services.JobCancelled):
        progress(50)


CHILD = r"""
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
django.setup()
from baocao.jobs.services import _failure_text, limit_memory
assert limit_memory(400 * 1024 * 1024)
try:
    hog = bytearray(800 * 1024 * 1024)
except MemoryError as exc:
    print("REFUSED:", _failure_text(exc))
else:
    print("ALLOCATED")
"""


def test_a_worker_runs_jobs_under_a_memory_limit(tmp_path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "BAOCAO_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=PROJECT, capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert "REFUSED: MemoryError: tác vụ dùng quá giới hạn bộ nhớ" in out.stdout, out.stdout + out.stderr
