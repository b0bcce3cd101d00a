"""deploy/ says what the code does: the units start commands that exist with the settings that
exist, nginx forwards to where gunicorn listens and accepts the largest upload the app takes."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import PROJECT_DIR

DEPLOY = PROJECT_DIR / "deploy"
ENV_TEMPLATE = DEPLOY / "baocao.env.example"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def template() -> dict[str, str]:
    lines = ENV_TEMPLATE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


@pytest.mark.parametrize("name", ["baocao-web.service", "baocao-worker.service", "baocao-backup.service"])
def test_every_unit_reads_the_environment_file_and_runs_as_the_service_account(name: str) -> None:
    service = unit(name)["Service"]
    assert service["EnvironmentFile"] == "/etc/baocao/baocao.env"
    assert service["User"] == "baocao" and service["NoNewPrivileges"] == "true"
    # the folders the environment template points to are the only ones it may write
    writable = service["ReadWritePaths"].split()
    assert template()["BAOCAO_VAR_DIR"] in writable and template()["BAOCAO_BACKUP_DIR"] in writable


def test_the_web_unit_starts_gunicorn_with_the_projects_settings() -> None:
    args = shlex.split(unit("baocao-web.service")["Service"]["ExecStart"])
    assert args[0].endswith("/.venv/bin/gunicorn") and args[-1] == "baocao.wsgi"
    config = args[args.index("--config") + 1]
    assert config == "python:baocao.ops.gunicorn_conf"
    import importlib

    module = importlib.import_module(config.removeprefix("python:"))
    assert module.bind == template()["BAOCAO_BIND"]
    assert module.workers == module.default_workers(__import__("multiprocessing").cpu_count())


def test_workers_follow_the_cores() -> None:
    from baocao.ops.gunicorn_conf import default_workers

    assert [default_workers(n) for n in (1, 2, 4, 16)] == [3, 5, 9, 12]


def test_a_worker_accepts_only_the_requests_its_threads_can_serve() -> None:
    """The rest wait in the kernel's queue for the first free thread of any worker, not inside
    one busy worker (the closed-loop saves' p95 in docs/BENCHMARKS.md)."""
    from gunicorn.config import Config

    from baocao.ops import gunicorn_conf

    config = Config()
    for name in ("workers", "threads", "worker_connections", "keepalive"):
        config.set(name, getattr(gunicorn_conf, name))
    assert config.worker_connections == config.threads == 2
    assert config.keepalive == 0  # a kept connection would hold a slot and pin its next request
    upstream = (DEPLOY / "nginx-baocao.conf").read_text(encoding="utf-8").split("server {")[0]
    assert "upstream baocao_web" in upstream and "keepalive" not in upstream  # nginx keeps none


def test_the_worker_unit_runs_the_baocao_jobs_worker_command() -> None:
    from baocao.cli import COMMANDS

    args = shlex.split(unit("baocao-worker.service")["Service"]["ExecStart"])
    assert args[0].endswith("/.venv/bin/baocao") and args[1:] == ["jobs", "worker"]
    assert ("jobs", "jobs") in [(name, command) for name, command, _, _ in COMMANDS]
    assert unit("baocao-worker.service")["Service"]["MemoryMax"]  # a hostile file cannot take the server


def test_the_backup_timer_runs_the_backup_command() -> None:
    assert unit("baocao-backup.timer")["Timer"]["OnCalendar"]
    args = shlex.split(unit("baocao-backup.service")["Service"]["ExecStart"])
    assert args[1:] == ["backup"]


def test_nginx_forwards_to_gunicorn_and_takes_the_largest_upload(settings) -> None:  # type: ignore[no-untyped-def]
    site = (DEPLOY / "nginx-baocao.conf").read_text(encoding="utf-8")
    assert f"server {template()['BAOCAO_BIND']};" in site
    size = re.search(r"client_max_body_size (\d+)m;", site)
    assert size is not None and int(size.group(1)) * 1024 * 1024 >= settings.BAOCAO_MAX_BULK_UPLOAD_BYTES
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site  # overwritten, never the client's
    assert template()["BAOCAO_BEHIND_PROXY"] == "1"
    assert "return 301 https://" in site


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """The units as systemd reads them, pointed at this checkout instead of /opt/baocao."""
    for source in [*DEPLOY.glob("*.service"), *DEPLOY.glob("*.timer")]:
        text = source.read_text(encoding="utf-8").replace("/opt/baocao", str(PROJECT_DIR))
        (tmp_path / source.name).write_text(text.replace("/etc/baocao/baocao.env", str(ENV_TEMPLATE)))
    done = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and "Unknown" not in done.stderr, done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(), reason="nginx not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    cert, key = tmp_path / "site.pem", tmp_path / "site.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=baocao.example.gov.vn",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)  # fmt: skip
    site = (DEPLOY / "nginx-baocao.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/certs/baocao.example.gov.vn.pem", str(cert))
    site = site.replace("/etc/ssl/private/baocao.example.gov.vn.key", str(key)).replace("/var/log/nginx", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-e", str(tmp_path / "e.log")],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "[warn]" not in done.stderr
