"""Background jobs.

Job: one long piece of work (a bulk import, an extraction batch, rendering every province's
report) with its state, progress and failure record; the queue (RQ on Redis, or in-process)
only carries the job's id. (The unit-ancestor table now belongs to `orgunits`, the history of
bulk-changed values to `datavalues`; their tables keep their first names.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"
    CANCELLED = "cancelled", "Đã hủy"


class Job(models.Model):
    kind = models.CharField(max_length=40, help_text="bulk_import, extract_folder, render_reports …")
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    backend = models.CharField(max_length=10, blank=True, help_text="rq, thread, sync")
    queue_id = models.CharField(max_length=64, blank=True, help_text="Id of the job on the queue (RQ)")
    progress_current = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True, help_text="What went wrong, for people")
    traceback = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    result_file = models.CharField(max_length=500, blank=True, help_text="Path under MEDIA_ROOT")
    attempts = models.PositiveIntegerField(default=0)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the runner")
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.state}"
