"""The production set-up, for real: gunicorn (deploy's settings) and an RQ worker (`baocao jobs
worker`) as separate processes against PostgreSQL and Redis on this machine, with the production
defaults (DEBUG off, HTTPS behind a proxy: the test sends what nginx sends).

A data-entry officer signs in through the login form and sees her home page; an information
system with her API token uploads a CSV of figures, which becomes a background job that the
worker runs; the job finishes and the figure is read back through the API. /healthz answers
for the database and the queue, and static files come from whitenoise.

Runs in the PostgreSQL pass of the suite; skips when PostgreSQL or Redis is unreachable.
"""

from __future__ import annotations

import json
import random
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import BIN, PROJECT_DIR, baocao, production_env, suite_on_postgresql

pytestmark = pytest.mark.skipif(
    not suite_on_postgresql(), reason="the production server test runs in the PostgreSQL pass of the suite"
)
PASSWORD = "Mat-khau-san-xuat-2026"
START_SECONDS = 90
JOB_SECONDS = 120
SETUP_USER = (
    "from datetime import date; from baocao.access.services import create_user, grant_role; "
    "from baocao.access.system import system_user; from baocao.orgunits.lookup import find_unit; "
    "a = system_user(); u = create_user(a, username='chuyenvien', password={password!r}, full_name='Nguyễn Thị Lan'); "
    "grant_role(a, u, find_unit('Trà Vinh', on=date(2022, 12, 31), level='province'), 'data_entry')"
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error.headers), error.read()


def _headers(message: Any) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key, value in message.items():
        merged[key.lower()] = f"{merged[key.lower()]}\n{value}" if key.lower() in merged else value
    return merged


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    """Cookies from Set-Cookie. They are Secure (HTTPS only): a browser behind nginx sends them
    back over TLS; this client, talking plain HTTP to gunicorn as nginx does, sends them itself."""
    found = {}
    for line in headers.get("set-cookie", "").split("\n"):
        if "=" in line:
            name, _, rest = line.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
            assert "; Secure" in line, line  # never sent over plain HTTP
            assert "; HttpOnly" in line or name.strip() == "csrftoken", line
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _free_redis_db(redis_url: str) -> str:
    """A Redis database no other run is using for baocao's queue (job ids are per database)."""
    from redis import Redis

    for index in random.sample(range(1, 14), 13):  # 14 and 15 are other tests' (health, tests/jobs)
        client = Redis.from_url(f"{redis_url}/{index}")
        if not client.exists("rq:queue:baocao") and not client.keys("rq:worker:*"):
            return f"{redis_url}/{index}"
    pytest.skip("no free Redis database for the test queue")


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")  # fmt: skip
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def server(tmp_path: Path, pg_database: Any, redis_url: str) -> Iterator[dict[str, Any]]:
    port = _free_port()
    env = production_env(
        tmp_path, DATABASE_URL=pg_database("prod"), BAOCAO_REDIS_URL=_free_redis_db(redis_url),
        BAOCAO_ALLOWED_HOSTS="127.0.0.1", BAOCAO_BEHIND_PROXY="1", BAOCAO_BIND=f"127.0.0.1:{port}",
        BAOCAO_WEB_WORKERS="2", BAOCAO_LOG_LEVEL="INFO",
    )  # fmt: skip
    # What deploy/baocao-web.service does before it starts, after the first `baocao init`.
    baocao(env, "init")
    baocao(env, "manage", "collectstatic", "--noinput", "--verbosity", "0")
    baocao(env, "manage", "shell", "-c", SETUP_USER.format(password=PASSWORD))
    token = baocao(env, "manage", "baocao_token", "create", "--user", "chuyenvien", "--name", "HTTT").stdout.split()[-1]
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("web", "worker")}
    processes = {
        "web": subprocess.Popen([str(BIN / "gunicorn"), "--config", "python:baocao.ops.gunicorn_conf", "baocao.wsgi"],
                                cwd=PROJECT_DIR, env=env, stdout=logs["web"], stderr=subprocess.STDOUT),
        "worker": subprocess.Popen([str(BIN / "baocao"), "jobs", "worker"], cwd=PROJECT_DIR, env=env,
                                   stdout=logs["worker"], stderr=subprocess.STDOUT),
    }  # fmt: skip
    try:
        yield {"url": f"http://127.0.0.1:{port}", "token": token, "env": env, "processes": processes,
               "logs": {name: tmp_path / f"{name}.log" for name in logs}}  # fmt: skip
    finally:
        processes["web"].send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        processes["worker"].terminate()  # RQ's warm shutdown: an idle worker leaves at once
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs.values():
            log.close()


def _wait_healthy(server: dict[str, Any]) -> dict[str, Any]:
    deadline = time.monotonic() + START_SECONDS
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        for name, process in server["processes"].items():
            assert process.poll() is None, f"{name} stopped:\n{server['logs'][name].read_text()}"
        try:
            status, _, raw = http(f"{server['url']}/healthz")
            body = json.loads(raw)
            if status == 200 and body["queue"].get("workers", 0) >= 1:
                return body
        except (OSError, ValueError):
            pass  # not listening yet
        time.sleep(0.5)
    raise AssertionError(f"not healthy after {START_SECONDS}s: {body}\n{server['logs']['web'].read_text()[-3000:]}")


def test_gunicorn_and_a_worker_serve_pages_and_run_a_job_on_postgresql_and_redis(server: dict[str, Any]) -> None:
    url, proxy = server["url"], {"X-Forwarded-Proto": "https"}  # what nginx adds in front
    health = _wait_healthy(server)
    assert health["database"]["vendor"] == "postgresql" and health["queue"]["backend"] == "rq"

    # Production defaults: plain HTTP is sent to HTTPS; pages carry HSTS and the CSP.
    status, headers, _ = http(f"{url}/dang-nhap/")
    assert status == 301 and headers["location"] == f"https://127.0.0.1:{url.rsplit(':', 1)[1]}/dang-nhap/"
    status, headers, page = http(f"{url}/dang-nhap/", headers=proxy)
    assert status == 200 and "max-age=31536000" in headers["strict-transport-security"]
    assert "script-src 'self'" in headers["content-security-policy"]
    status, _, missing = http(f"{url}/khong-co-trang-nay/", headers=proxy)
    assert status == 404 and b"URLconf" not in missing  # no debug page
    css = re.search(rb'href="(/static/web/css/app[^"]*\.css)"', page)
    assert css is not None
    status, headers, body = http(f"{url}{css.group(1).decode()}", headers={**proxy, "Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-type"].startswith("text/css") and body  # whitenoise
    assert headers.get("content-encoding") == "gzip"  # the compressed copy collectstatic made

    # A person signs in through the form; the session holds across gunicorn's workers.
    cookies = _cookies(headers_of_login := http(f"{url}/dang-nhap/", headers=proxy)[1])
    form_page = http(f"{url}/dang-nhap/", headers={**proxy, "Cookie": f"csrftoken={cookies['csrftoken']}"})[2]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)
    assert token is not None and headers_of_login
    form = f"csrfmiddlewaretoken={token.group(1).decode()}&username=chuyenvien&password={PASSWORD}".encode()
    status, headers, _ = http(f"{url}/dang-nhap/", data=form, method="POST", headers={
        **proxy, "Cookie": f"csrftoken={cookies['csrftoken']}", "Origin": f"https://127.0.0.1:{url.rsplit(':', 1)[1]}",
        "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == 302 and headers["location"] == "/", headers
    session = _cookies(headers)["sessionid"]
    for _ in range(4):  # two workers: each must know the session
        status, _, home = http(f"{url}/", headers={**proxy, "Cookie": f"sessionid={session}"})
        assert status == 200 and "Nguyễn Thị Lan".encode() in home

    # An information system sends a file of figures; the worker process imports it.
    auth = {**proxy, "Authorization": f"Bearer {server['token']}"}
    csv = "indicator,unit,period,value\ncntt.qlvb.vb_di,P63-84,2022,1.599\ncntt.qlvb.vb_den,P63-84,2022,2.345\n"
    data, content_type = _multipart({"reason": "số liệu năm 2022"}, "file", "so-lieu.csv", csv.encode())
    status, _, raw = http(f"{url}/api/v1/values/import", data=data, method="POST",
                          headers={**auth, "Content-Type": content_type})  # fmt: skip
    assert status == 200, raw
    job = json.loads(raw)
    assert job["kind"] == "bulk_import" and job["finished"] is False  # queued for the worker, not run in the request
    deadline = time.monotonic() + JOB_SECONDS
    while not job["finished"] and time.monotonic() < deadline:
        time.sleep(0.5)
        job = json.loads(http(f"{url}/api/v1/jobs/{job['id']}", headers=auth)[2])
    assert job["state"] == "done", f"{job}\n{server['logs']['worker'].read_text()[-3000:]}"
    assert job["result"]["created"] == 2
    worker_log = server["logs"]["worker"].read_text()
    assert f"baocao-job-{job['id']}" in worker_log and "Worker RQ" in worker_log  # the RQ worker ran it
    status, _, raw = http(f"{url}/api/v1/values?unit=P63-84&period=2022&indicator=cntt.qlvb.vb_di", headers=auth)
    assert status == 200, raw
    values = json.loads(raw)["items"]
    assert [(v["indicator"], v["value"]) for v in values] == [("cntt.qlvb.vb_di", 1599)], values
