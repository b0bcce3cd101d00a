"""`/healthz`: is the database answering, and is the job queue reachable? JSON, 200 or 503.

For a load balancer, systemd's watchdog or a monitor: no login, no personal data, nothing
about the configuration beyond the queue backend's name. Each check has a short timeout so
that the endpoint itself never hangs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

QUEUE_TIMEOUT_SECONDS = 2.0
log = logging.getLogger(__name__)


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def check_queue() -> dict[str, Any]:
    from baocao.jobs import services

    backend = services.backend_name()
    if backend != "rq":
        # thread, database, sync: jobs live in the database checked above.
        return {"backend": backend}
    from redis import Redis
    from rq import Worker

    redis = Redis.from_url(
        services.redis_url(), socket_connect_timeout=QUEUE_TIMEOUT_SECONDS, socket_timeout=QUEUE_TIMEOUT_SECONDS
    )
    redis.ping()
    queue = services.rq_queue()
    return {"backend": backend, "waiting": queue.count, "workers": Worker.count(connection=queue.connection)}


def _run(check: Callable[[], dict[str, Any]], failure: str) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        outcome = {"ok": True, **check()}
    except Exception as exc:  # any failure is the answer, not a 500
        # The page is public: the details (hosts, users) go to the log, not to the answer.
        log.warning("healthz: %s: %s", failure, exc)
        outcome = {"ok": False, "error": f"{failure} ({type(exc).__name__})"}
    outcome["ms"] = round(1000 * (time.perf_counter() - started), 1)
    return outcome


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _run(check_database, "Không kết nối được cơ sở dữ liệu"),
        "queue": _run(check_queue, "Không kết nối được hàng đợi tác vụ (Redis)"),
    }
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
