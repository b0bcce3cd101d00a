"""deploy/ says what the code does: the units start commands that exist with the settings that
exist, nginx forwards to where gunicorn listens and accepts the largest upload the app takes."""

from __future__ import annotations

import configparser
import re
import shlex

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
