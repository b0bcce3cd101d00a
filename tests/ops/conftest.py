"""Helpers for the tests that run baocao as separate processes (production settings, backups,
gunicorn): a clean environment, and PostgreSQL / Redis on this machine when reachable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BAOCAO_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BAOCAO_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process: nothing from the test run's development profile."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOCAO_", "DJANGO_", "DATABASE_URL"))}
    env.update({"BAOCAO_VAR_DIR": str(var_dir), "BAOCAO_MEDIA_ROOT": str(var_dir / "media"),
                "BAOCAO_OUTPUT_DIR": str(var_dir / "out"), "PYTHONUNBUFFERED": "1"})  # fmt: skip
    env.update(extra)
    return env


def baocao(env: dict[str, str], *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(BIN / "baocao"), *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    if check and done.returncode != 0:
        raise AssertionError(f"baocao {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2).close()
    except OSError:
        return False
    return True


def suite_on_postgresql() -> bool:
    return urlparse(os.environ.get("DATABASE_URL", "")).scheme in ("postgres", "postgresql")


@pytest.fixture
def pg_database(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A factory of empty PostgreSQL databases named for this run, dropped afterwards."""
    if not _reachable(PG_URL, 5432):
        pytest.skip(f"PostgreSQL không kết nối được ({PG_URL})")
    import psycopg

    admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    run = os.environ.get("BAOCAO_TEST_RUN_ID") or f"p{os.getpid()}"
    made: list[str] = []

    def make(suffix: str) -> str:
        name = f"baocao_ops_{run}_{suffix}".lower()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        parsed = urlparse(PG_URL)
        return parsed._replace(path=f"/{name}").geturl()

    yield make
    for name in made:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def redis_url() -> str:
    if not _reachable(REDIS_URL, 6379):
        pytest.skip(f"Redis không kết nối được ({REDIS_URL})")
    return REDIS_URL
