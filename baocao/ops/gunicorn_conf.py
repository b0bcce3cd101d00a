"""gunicorn's settings for production: `gunicorn -c python:baocao.ops.gunicorn_conf baocao.wsgi`.

Every value can be changed from the environment file (deploy/baocao.env.example) without
editing this file: BAOCAO_BIND, BAOCAO_WEB_WORKERS, BAOCAO_WEB_THREADS,
BAOCAO_WEB_CONNECTIONS, BAOCAO_WEB_TIMEOUT.
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
# A gthread worker accepts connections while it holds fewer than `worker_connections` (1000 by
# default) and queues them for its own threads, so under load one worker can sit on eight waiting
# requests while another is idle: 20 writers saving back to back had a p95 2.5 times their
# median. Accepting only what its threads can serve leaves the rest in the kernel's queue, which
# hands each request to the first worker with a free thread (docs/BENCHMARKS.md, "fair accept").
worker_connections = int(os.environ.get("BAOCAO_WEB_CONNECTIONS") or threads)
# Long work (big imports, reports for every province) runs as background jobs; a request that
# takes this long is stuck, and its worker is replaced.
timeout = int(os.environ.get("BAOCAO_WEB_TIMEOUT", "120"))
graceful_timeout = 30
# No connection is kept open between requests: a kept connection holds a worker's slot (see
# worker_connections) and pins its next request to that worker. nginx reconnects on loopback.
keepalive = 0
# A worker is replaced after this many requests, so that a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("BAOCAO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("BAOCAO_LOG_LEVEL", "warning").lower()
proc_name = "baocao-web"
