"""`/healthz`: the database and the job queue, as JSON, 200 when both answer and 503 when not."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.db import OperationalError

from .conftest import REDIS_URL, _reachable

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens here once the socket is closed


def test_healthy_with_the_database_and_the_embedded_queue(client: Any, settings: Any) -> None:
    settings.BAOCAO_REDIS_URL = ""
    settings.BAOCAO_JOBS_BACKEND = "thread"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True and body["database"]["vendor"] in ("sqlite", "postgresql")
    assert body["queue"] == {"ok": True, "backend": "thread", "ms": body["queue"]["ms"]}


def test_an_unreachable_redis_is_503_and_says_which_part(client: Any, settings: Any) -> None:
    settings.BAOCAO_REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.BAOCAO_JOBS_BACKEND = "rq"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is False
    assert body["queue"]["error"].startswith("Không kết nối được hàng đợi tác vụ (Redis)")
    assert "127.0.0.1" not in body["queue"]["error"]  # hosts and users go to the log, not to the public


def test_a_failing_database_is_503(client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    settings.BAOCAO_JOBS_BACKEND = "thread"

    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "Không kết nối được cơ sở dữ liệu (OperationalError)"


@pytest.mark.skipif(not _reachable(REDIS_URL, 6379), reason="Redis không kết nối được")
def test_a_live_redis_reports_the_queue_and_its_workers(client: Any, settings: Any) -> None:
    settings.BAOCAO_REDIS_URL = f"{REDIS_URL}/14"
    settings.BAOCAO_JOBS_BACKEND = "rq"
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    queue = response.json()["queue"]
    assert queue["ok"] is True and queue["backend"] == "rq"
    assert isinstance(queue["waiting"], int) and isinstance(queue["workers"], int)


def test_only_get(client: Any) -> None:
    assert client.post("/healthz").status_code == 405
