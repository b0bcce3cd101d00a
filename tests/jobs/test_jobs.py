"""Background jobs: progress, failure record with traceback, retry, cancel, status for the web
app, the database worker, and a real RQ queue on Redis when one is reachable."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from baocao.jobs import services
from baocao.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture
def sync_backend(settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"


def test_a_job_runs_reports_progress_and_can_be_polled(system_actor, sync_backend):  # type: ignore[no-untyped-def]
    job = services.enqueue(system_actor, "selftest", {"steps": 4})
    status = services.job_status(job.pk)
    assert status["state"] == "done" and status["finished"]
    assert status["progress"] == {"current": 4, "total": 4, "percent": 100}
    assert status["result"] == {"steps": 4} and not status["can_retry"]


def test_a_failure_is_recorded_and_can_be_retried(system_actor, sync_backend, capsys):  # type: ignore[no-untyped-def]
    job = services.enqueue(system_actor, "selftest", {"fail": "ổ đĩa đầy"})
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "ổ đĩa đầy" in job.error and "RuntimeError" in job.traceback
    assert services.job_status(job.pk)["can_retry"]
    again = services.retry(system_actor, job)
    assert again.retry_of_id == job.pk and again.attempts == 2
    call_command("jobs", "show", str(job.pk))
    assert "baocao jobs retry" in capsys.readouterr().out


def test_database_worker_runs_queued_jobs_and_cancel(system_actor, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "database"
    first = services.enqueue(system_actor, "selftest", {"steps": 2})
    second = services.enqueue(system_actor, "selftest", {"steps": 2})
    services.cancel(system_actor, second)
    assert services.run_queued() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (JobState.DONE, JobState.CANCELLED)


def test_bulk_import_runs_as_a_job(system_actor, travinh, tmp_path, sync_backend):  # type: ignore[no-untyped-def]
    path = tmp_path / "lon.csv"
    path.write_text("indicator,unit,period,value\n" + "".join(
        f"cntt.qlvb.vb_di,{travinh.code},2022Q{q},{q}\n" for q in range(1, 5)), encoding="utf-8")  # fmt: skip
    job = services.enqueue(system_actor, "bulk_import", {"path": str(path)})
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    assert job.result["created"] == 4


def test_rq_queue_on_redis(system_actor, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        pytest.skip("Redis không chạy / not reachable")
    settings.BAOCAO_REDIS_URL = url
    settings.BAOCAO_JOBS_BACKEND = ""
    from rq import SimpleWorker

    queue = services.rq_queue()
    queue.empty()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.enqueue(system_actor, "selftest", {"steps": 3})
    assert job.backend == "rq" and Job.objects.get(pk=job.pk).queue_id
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.progress_current == 3
