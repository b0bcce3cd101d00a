"""The background job of a source's run (queued by "run now" and by `baocao sources run-due`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from baocao.jobs.models import Job
from baocao.jobs.tasks import Actor, ProgressFn, Task


def _check(actor: Actor, params: dict[str, Any]) -> None:
    from .models import Source
    from .services import require_manage

    source = Source.objects.filter(pk=params.get("source_id")).first()
    if source is None:
        raise ValidationError({"source_id": f"Không có nguồn dữ liệu số {params.get('source_id')}"})
    require_manage(actor, source)


def _run(job: Job, progress: ProgressFn) -> dict[str, Any]:
    from .models import Arrival, RunState, Source
    from .services import poll_folder, run_source

    source = Source.objects.get(pk=job.params["source_id"])
    starter = get_user_model().objects.filter(pk=job.created_by_id).first()
    progress(0, 1, f"Nguồn «{source.name}»")
    if source.arrival == Arrival.FOLDER:
        runs = poll_folder(source, started_by=starter)
    else:
        runs = [run_source(source, trigger=job.params.get("trigger", "manual"), started_by=starter, job_id=job.pk)]
    failed = [r for r in runs if r.state == RunState.FAILED]
    if failed and len(failed) == len(runs):
        raise RuntimeError(failed[0].error)
    progress(1, 1)
    done = sum(r.created + r.updated for r in runs)
    held = sum(r.held for r in runs)
    return {
        "result": {"runs": [r.pk for r in runs], "stored": done, "held": held},
        "message": (f"{len(runs)} lần chạy, {done} số liệu mới hoặc cập nhật, {held} chờ duyệt" if runs
                    else "Không có tệp mới trong thư mục"),
    }  # fmt: skip


SOURCE_RUN = Task("Chạy nguồn dữ liệu", _check, _run)
