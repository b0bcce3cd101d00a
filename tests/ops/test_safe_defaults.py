"""Safe by default: DEBUG off unless the development server, `check --deploy` clean with the
shipped environment template, a Content-Security-Policy on every page and no inline script."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import PROJECT_DIR, production_env

ENV_TEMPLATE = PROJECT_DIR / "deploy" / "baocao.env.example"
SHOW = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, len(s.SECRET_KEY))"


def template_env(var_dir: Path) -> dict[str, str]:
    """deploy/baocao.env.example as a production process reads it, its folders moved to var_dir."""
    values: dict[str, str] = {}
    for line in ENV_TEMPLATE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and key == key.strip() and " " not in key, f"{ENV_TEMPLATE.name}: '{line}'"
            values[key] = value
    assert "BAOCAO_DEBUG" not in values and "BAOCAO_SECRET_KEY" not in values  # both safe when unset
    folders = production_env(var_dir)
    return production_env(var_dir, **values) | {k: folders[k] for k in ("BAOCAO_VAR_DIR", "BAOCAO_MEDIA_ROOT", "BAOCAO_OUTPUT_DIR")} | {"BAOCAO_BACKUP_DIR": str(var_dir / "backups")}


def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)


def _settings(env: dict[str, str]) -> list[str]:
    done = _python(env, "-c", f"import django; django.setup(); {SHOW}")
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_check_deploy_is_clean_under_the_shipped_production_environment(tmp_path: Path) -> None:
    done = _python(template_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    # The key was made for this installation, readable by its owner only.
    key = tmp_path / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_text().strip()) >= 50


def test_check_deploy_fails_when_debug_is_turned_on(tmp_path: Path) -> None:
    env = template_env(tmp_path) | {"BAOCAO_DEBUG": "1"}
    done = _python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0 and "security.W018" in done.stderr + done.stdout


def test_debug_is_off_unless_the_development_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="baocao.settings")
    debug, secure_cookies, key_length = _settings(env)
    assert (debug, secure_cookies) == ("False", "True")
    assert int(key_length) == len((tmp_path / "secret_key").read_text().strip()) >= 50
    assert _settings(env | {"BAOCAO_DEBUG": "1"})[:2] == ["True", "False"]
    # `baocao serve` (and `make run`, through it) turns DEBUG on before the settings are read;
    # every other command keeps production defaults.
    from baocao import cli

    monkeypatch.delenv("BAOCAO_DEBUG", raising=False)
    cli.development_defaults(["baocao", "init"])
    assert "BAOCAO_DEBUG" not in cli.os.environ
    cli.development_defaults(["baocao", "serve", "127.0.0.1:8000"])
    assert cli.os.environ["BAOCAO_DEBUG"] == "1"
    monkeypatch.setenv("BAOCAO_DEBUG", "0")
    cli.development_defaults(["baocao", "serve"])
    assert cli.os.environ["BAOCAO_DEBUG"] == "0"  # an explicit setting wins


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dang-nhap/", "/api/v1/docs", "/healthz"])
def test_every_page_carries_a_content_security_policy(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["script-src"] == "'self'"  # no inline script, no eval, nothing from elsewhere
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["form-action"] == "'self'"


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    """The policy forbids inline scripts: every script of the pages is a static file."""
    offenders = []
    for template in sorted((PROJECT_DIR / "baocao").glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                offenders.append(f"{template.relative_to(PROJECT_DIR)}: {match.group(0)}")
        offenders += [f"{template.relative_to(PROJECT_DIR)}: {m.group(0)}"
                      for m in re.finditer(r"\son[a-z]+=\"", text)]  # fmt: skip
        offenders += [f"{template.relative_to(PROJECT_DIR)}: javascript: URL" for _ in re.finditer("javascript:", text)]
    assert offenders == []


SESSIONS = (
    "from django.conf import settings as s; from django.core.cache import caches; "
    "c = caches[s.SESSION_CACHE_ALIAS] if s.SESSION_ENGINE.endswith('cached_db') else None; "
    "print(s.SESSION_ENGINE.rsplit('.', 1)[1], type(c).__name__, getattr(c, '_dir', '-'), "
    "caches['default']._dir if hasattr(caches['default'], '_dir') else '-')"
)


def test_sessions_are_read_from_a_cache_the_workers_share(tmp_path: Path) -> None:
    """Every request reads its session: in production from a cache the worker processes share
    (files of its own under var/, or Redis), written through to the database; the development
    server, whose memory cache is its own process's, reads them from the database."""

    def engine(env: dict[str, str]) -> list[str]:
        done = _python(env, "-c", f"import django; django.setup(); {SESSIONS}")
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    production = production_env(tmp_path, DJANGO_SETTINGS_MODULE="baocao.settings")
    name, cache, folder, default = engine(production)
    assert (name, cache) == ("cached_db", "FileBasedCache")
    assert Path(folder).parent == tmp_path and folder != default  # not where the login throttle counts
    assert engine(production | {"BAOCAO_REDIS_URL": "redis://127.0.0.1:6379/9"})[:2] == ["cached_db", "RedisCache"]
    assert engine(production | {"BAOCAO_DEBUG": "1"})[:2] == ["db", "NoneType"]
