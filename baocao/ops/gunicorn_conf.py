"""gunicorn's settings for production: `gunicorn -c python:baocao.ops.gunicorn_conf baocao.wsgi`.

Every value can be changed from the environment file (deploy/baocao.env.example) without
editing this file: BAOCAO_BIND, BAOCAO_WEB_WORKERS, BAOCAO_WEB_THREADS, BAOCAO_WEB_TIMEOUT.
"""

from __future__ import annotations

import multiprocessing
import os


def default_workers(cores: int) -> int:
    """gunicorn's rule of thumb (2 × cores + 1), capped so a small server keeps memory for
    PostgreSQL and the job worker."""
    return max(2, min(2 * cores + 1, 12))


bind = os.environ.get("BAOCAO_BIND", "127.0.0.1:8000")  # nginx in front; never the open network
workers = int(os.environ.get("BAOCAO_WEB_WORKERS") or default_workers(multiprocessing.cpu_count()))
threads = int(os.environ.get("BAOCAO_WEB_THREADS", "2"))
# Long work (big imports, reports for every province) runs as background jobs; a request that
# takes this long is stuck, and its worker is replaced.
timeout = int(os.environ.get("BAOCAO_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so that a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("BAOCAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BAOCAO_LOG_LEVEL", "warning").lower()
proc_name = "baocao-web"
