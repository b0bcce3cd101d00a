"""A big import stages its rows in committed batches, reports progress as it goes and can be
cancelled; still all of the file or nothing: a cancelled or refused import stores nothing and
leaves no staging table behind."""

from __future__ import annotations

import pytest
from django.db import connection

from baocao.datavalues import bulk
from baocao.datavalues.models import DataValue
from baocao.jobs.services import JobCancelled

pytestmark = pytest.mark.django_db


def _csv(tmp_path, travinh, n):  # type: ignore[no-untyped-def]
    # JSON Lines: read row by row on both databases (a CSV goes to PostgreSQL's COPY whole)
    path = tmp_path / "so-lieu.jsonl"
    lines = [f'{{"indicator": "cntt.qlvb.vb_di", "unit": "{travinh.code}", "period": "{2000 + i}Q1", "value": {i}}}'
             for i in range(n)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stage_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
        else:
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE type = 'table'")
        return {r[0] for r in cursor.fetchall() if r[0].startswith("bulk_")}


def test_progress_is_reported_batch_by_batch_and_cancel_stores_nothing(system_actor, travinh, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(bulk, "CHUNK", 5)
    path = _csv(tmp_path, travinh, 20)
    seen: list[tuple[int, object, str]] = []

    def progress(current: int, total: object = None, message: str = "") -> None:
        seen.append((current, total, message))
        if current >= 10 and message.startswith("Đọc tệp"):
            raise JobCancelled

    with pytest.raises(JobCancelled):
        bulk.bulk_import(system_actor, path, progress=progress)
    assert [c for c, _, m in seen if m.startswith("Đọc tệp:")] == [5, 10]
    assert not DataValue.objects.filter(indicator__code="cntt.qlvb.vb_di", unit=travinh).exists()
    assert _stage_tables() == set()
    # the same file, not cancelled: every row, and the staging area gone afterwards
    reports: list[str] = []
    result = bulk.bulk_import(system_actor, path, progress=lambda c, t=None, m="": reports.append(m))
    assert result.created == 20 and any(m.startswith("Đọc tệp: 15") for m in reports)
    assert _stage_tables() == set()
