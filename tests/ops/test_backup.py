"""`baocao backup` and `baocao restore`, as an administrator runs them, on SQLite and on PostgreSQL.

An installation is filled (catalog, units, the demo figures, documents, tasks, an uploaded
report with its file), backed up, and restored into a fresh database and a fresh media folder:
every value, document, task, narrative, uploaded report, account and audit event is found
again, with the uploaded file's bytes. A database that holds data is not overwritten without
--force; a damaged archive is refused with a clear message and leaves the database as it was.

Each engine runs in its own pass of the suite (SQLite in the SQLite pass, PostgreSQL in the
PostgreSQL pass), so the slow part (loading the demo twice) is not paid twice.
"""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest

from .conftest import baocao, production_env, suite_on_postgresql

REPORT = "001_8b884f9475b6c3fa.txt"
COMPARED = ["datavalues.DataValue", "datavalues.Submission", "registers.Document", "registers.Task",
            "registers.NarrativeEntry", "ingest.SourceDocument", "ingest.ExtractedFact", "audit.AuditEvent",
            "auth.User", "access.Membership", "api.ApiToken"]  # fmt: skip
INGEST = (
    "from pathlib import Path; from baocao.access.system import system_user; "
    "from baocao.ingest.services import ingest_report; from baocao.orgunits.lookup import find_unit; "
    "from datetime import date; "
    "d = ingest_report(system_user(), 'bc-2022.txt', Path({path!r}).read_bytes(), "
    "unit=find_unit('Trà Vinh', on=date(2022, 12, 31), level='province')); print(d.file.name)"
)


def _snapshot(env: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    rows = json.loads(baocao(env, "manage", "dumpdata", *COMPARED).stdout)
    by_model: dict[str, list[dict[str, Any]]] = {label.lower(): [] for label in COMPARED}
    for row in rows:
        by_model[row["model"]].append(row)
    return by_model


def _fill(env: dict[str, str], corpus_dir: Path) -> str:
    baocao(env, "init")
    baocao(env, "demo")
    uploaded = baocao(env, "manage", "shell", "-c", INGEST.format(path=str(corpus_dir / REPORT))).stdout.strip().splitlines()[-1]
    baocao(env, "manage", "baocao_token", "create", "--user", "chuyenvien.travinh", "--name", "HTTT một cửa")
    return uploaded


def _round_trip(tmp_path: Path, corpus_dir: Path, source_db: str, target_db: str) -> None:
    source = production_env(tmp_path / "a", DATABASE_URL=source_db)
    target = production_env(tmp_path / "b", DATABASE_URL=target_db)
    uploaded = _fill(source, corpus_dir)
    before = _snapshot(source)
    assert len(before["datavalues.datavalue"]) > 200 and len(before["registers.document"]) > 50
    assert before["registers.task"] and before["ingest.sourcedocument"] and before["ingest.extractedfact"]
    assert len(before["audit.auditevent"]) > 500 and before["api.apitoken"]

    made = baocao(source, "backup", "--out", str(tmp_path / "sao-luu") + "/")
    archive = next((tmp_path / "sao-luu").glob("baocao-*.tar.gz"))
    assert f"Đã sao lưu vào {archive}" in made.stdout
    assert f"{len(before['datavalues.datavalue'])} số liệu" in made.stdout
    assert archive.stat().st_mode & 0o777 == 0o600  # every password hash is inside
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert f"media/{uploaded}" in names and "manifest.json" in names

    restored = baocao(target, "restore", str(archive))
    assert "✔ Đã khôi phục" in restored.stdout and "1 báo cáo đã tải lên" in restored.stdout
    after = _snapshot(target)
    events = after.pop("audit.auditevent")
    assert [e for e in events if e["fields"]["action"] != "ops.restore"] == before.pop("audit.auditevent")
    assert [e["fields"]["summary"] for e in events if e["fields"]["action"] == "ops.restore"] == [
        f"Khôi phục CSDL từ bản sao lưu {archive.name} (tạo lúc {_local_time(restored.stdout)})"
    ]
    assert after == before  # every value, document, task, narrative, upload, account, token
    copied = tmp_path / "b" / "media" / uploaded
    assert copied.read_bytes() == (tmp_path / "a" / "media" / uploaded).read_bytes() == (corpus_dir / REPORT).read_bytes()

    # The restored installation works: its figures are read back through the normal command.
    shown = baocao(target, "show", "--unit", "Trà Vinh", "--indicator", "cntt.qlvb.vb_di")
    assert "2022" in shown.stdout

    # A database that holds data is not overwritten by mistake.
    refused = baocao(target, "restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "đang có dữ liệu" in refused.stderr and "--force" in refused.stderr and "số liệu" in refused.stderr

    # A damaged archive is refused before anything is touched, even with --force.
    damaged = tmp_path / "hong.tar.gz"
    damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    broken = baocao(target, "restore", "--force", str(damaged), check=False)
    assert broken.returncode != 0 and "Khôi phục không thành công: hong.tar.gz" in broken.stderr
    assert "Traceback" not in broken.stderr
    after_damage = _snapshot(target)
    assert after_damage["datavalues.datavalue"] == before["datavalues.datavalue"]

    forced = baocao(target, "restore", "--force", str(archive))
    assert "✔ Đã khôi phục" in forced.stdout
    assert _snapshot(target)["registers.task"] == before["registers.task"]


def _local_time(output: str) -> str:
    return output.split("(sao lưu lúc ", 1)[1].split(")", 1)[0]


@pytest.mark.skipif(suite_on_postgresql(), reason="SQLite round trip runs in the SQLite pass of the suite")
def test_sqlite_backup_restores_everything_into_a_fresh_database(tmp_path: Path, corpus_dir: Path) -> None:
    _round_trip(tmp_path, corpus_dir, f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}")


@pytest.mark.skipif(not suite_on_postgresql(), reason="PostgreSQL round trip runs in the PostgreSQL pass of the suite")
def test_postgresql_backup_restores_everything_into_a_fresh_database(tmp_path: Path, corpus_dir: Path, pg_database: Any) -> None:
    _round_trip(tmp_path, corpus_dir, pg_database("a"), pg_database("b"))


# -- refusals that need no filled installation --------------------------------------------------------------
@pytest.mark.django_db
def test_an_archive_of_another_engine_or_not_an_archive_is_refused_clearly(tmp_path: Path) -> None:
    from django.db import connection

    from baocao.ops.backup import BackupError, restore_backup

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": other, "database": "x", "counts": {}}))
    archive = tmp_path / "khac.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    with pytest.raises(BackupError, match=f"Bản sao lưu là CSDL {other}, CSDL đang dùng là {connection.vendor}"):
        restore_backup(archive, force=True)

    text = tmp_path / "ghi-chu.tar.gz"
    text.write_text("không phải tệp nén")
    with pytest.raises(BackupError, match=r"ghi-chu\.tar\.gz: không đọc được tệp sao lưu"):
        restore_backup(text, force=True)
    with pytest.raises(BackupError, match="Không tìm thấy tệp sao lưu"):
        restore_backup(tmp_path / "khong-co.tar.gz")

    foreign = tmp_path / "la.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(text, arcname="khac.txt")
    with pytest.raises(BackupError, match=r"không có manifest\.json — đây không phải bản sao lưu của baocao"):
        restore_backup(foreign, force=True)


@pytest.mark.django_db
def test_a_media_path_that_leaves_the_media_folder_is_refused(tmp_path: Path, settings: Any) -> None:
    """An archive crafted with ../ in a file name must not write outside MEDIA_ROOT."""
    from baocao.ops.backup import BackupError, _restore_media

    settings.MEDIA_ROOT = tmp_path / "media"
    evil = tmp_path / "evil.tar"
    payload = tmp_path / "payload.txt"
    payload.write_text("x")
    with tarfile.open(evil, "w") as tar:
        tar.add(payload, arcname="media/../../ngoai.txt")
    with tarfile.open(evil) as tar, pytest.raises((BackupError, tarfile.TarError)):
        _restore_media(tar)
    assert not (tmp_path / "ngoai.txt").exists() and not (tmp_path.parent / "ngoai.txt").exists()
    assert set(os.listdir(tmp_path)) <= {"evil.tar", "payload.txt", "media"}  # nothing else created


def test_sessions_cached_before_a_restore_are_forgotten(settings: Any, db: Any) -> None:
    """With sessions read from a shared cache, a restore drops the sessions the replaced database
    held from that cache, so none of them outlives the restore."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    from baocao.ops.backup import forget_cached_sessions, session_keys

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backup-default"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "backup-sessions"},
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    session = SessionStore()
    session["_auth_user_id"] = "1"
    session.save()
    key = session.session_key
    assert key in session_keys()
    assert SessionStore(session_key=key).get("_auth_user_id") == "1"  # read from the cache

    from django.contrib.sessions.models import Session

    keys = session_keys()
    Session.objects.all().delete()  # what a restore does to the table
    assert SessionStore(session_key=key).get("_auth_user_id") == "1"  # still cached: the hole
    forget_cached_sessions(keys)
    assert SessionStore(session_key=key).get("_auth_user_id") is None
