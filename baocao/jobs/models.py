"""Background jobs, and the unit-ancestor table that set-based roll-ups join on.

Job: one long piece of work (a bulk import, an extraction batch, rendering every province's
report) with its state, progress and failure record; the queue (RQ on Redis, or in-process)
only carries the job's id.

UnitAncestor: the closure of the org-unit tree (one row per unit and each of its ancestors,
itself included). It is derived from OrgUnit.path and kept in step by database triggers
(installed by this app's migrations), so every write path — services, the bulk seed, subtree
moves — keeps it right without calling anything.
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


class UnitAncestor(models.Model):
    """(ancestor, descendant) pairs of the org-unit tree, depth 0 for the unit itself.

    Plain integer columns rather than foreign keys: rows are written by triggers while a seed
    inserts thousands of units, and they go with their unit without Django's help.
    `path` is the descendant's materialised path, repeated so that a roll-up can order units
    in tree order without joining OrgUnit again.
    """

    ancestor_id = models.BigIntegerField()
    descendant_id = models.BigIntegerField()
    depth = models.PositiveSmallIntegerField()
    path = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor_id", "descendant_id"], name="unique_unit_ancestor"),
        ]
        indexes = [models.Index(fields=["descendant_id"], name="jobs_unitanc_desc_idx")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} ⊇ {self.descendant_id} ({self.depth})"


class ValueChange(models.Model):
    """The old and new value of each value a bulk import changed (bulk.py writes these in one
    statement); who, when and why are on the import's AuditEvent."""

    event = models.ForeignKey("audit.AuditEvent", on_delete=models.PROTECT, related_name="value_changes")
    datavalue_id = models.BigIntegerField(db_index=True, help_text="The value changed (kept if it is deleted later)")
    old_value = models.DecimalField(max_digits=30, decimal_places=6)
    old_qualifier = models.CharField(max_length=10)
    old_flag = models.CharField(max_length=20, blank=True)
    old_comment = models.TextField(blank=True)
    old_source = models.CharField(max_length=12, blank=True)
    old_source_ref = models.CharField(max_length=255, blank=True)
    new_value = models.DecimalField(max_digits=30, decimal_places=6)
    new_qualifier = models.CharField(max_length=10)
    new_flag = models.CharField(max_length=20, blank=True)
    new_comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.datavalue_id}: {self.old_value} → {self.new_value}"
