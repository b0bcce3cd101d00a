"""Back up and restore one installation: the database and the uploaded files, in one archive.

The archive (.tar.gz) holds `manifest.json` (format, database engine, time, row counts per
table), the database (`database.pgdump`, pg_dump's custom format, or `database.sqlite3`, a copy
made with SQLite's online backup API while the app keeps running) and `media/` (MEDIA_ROOT).

A backup is written under a temporary name and renamed when complete, so a name that exists is
a whole archive. A restore refuses to overwrite a database that holds data unless forced, runs
PostgreSQL's restore in one transaction (all or nothing), brings the schema up to date, and
checks that every table has the rows the manifest counted.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from .stamps import bump_all

FORMAT = 1
MANIFEST = "manifest.json"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3"
MEDIA_MEMBER = "media"
TOOL_TIMEOUT_SECONDS = 6 * 3600

# What a person is told was saved or restored (model label → Vietnamese name).
SUMMARY = {
    "datavalues.DataValue": "số liệu",
    "registers.Document": "văn bản",
    "registers.Task": "nhiệm vụ",
    "registers.NarrativeEntry": "nội dung báo cáo",
    "ingest.SourceDocument": "báo cáo đã tải lên",
    "audit.AuditEvent": "sự kiện nhật ký",
    "auth.User": "người dùng",
}
# Tables that exist in a database that was only created (`migrate`), before anyone used it.
BOOKKEEPING = {"contenttypes.ContentType", "auth.Permission", "sessions.Session", "ops.Stamp"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


@dataclass
class Outcome:
    path: Path
    counts: dict[str, int]
    media_files: int
    created_at: str = ""
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{_vn(self.counts.get(label, 0))} {name}" for label, name in SUMMARY.items()]
        return ", ".join([*parts, f"{_vn(self.media_files)} tệp đính kèm"])


def _vn(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# -- what is in the database ------------------------------------------------------------------------------
def table_counts() -> dict[str, int]:
    """Rows per model table that exists (model label → count)."""
    existing = set(connection.introspection.table_names())
    counts: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table in existing and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.using(connection.alias).count()
    return counts


def data_counts() -> dict[str, int]:
    """The tables that hold someone's data (not Django's bookkeeping), with their rows."""
    return {label: n for label, n in table_counts().items() if n and label not in BOOKKEEPING}


# -- backup --------------------------------------------------------------------------------------------------
def default_path() -> Path:
    folder = Path(settings.BAOCAO_BACKUP_DIR)
    return folder / f"baocao-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(out: str | Path | None = None) -> Outcome:
    """Write the archive to `out` (a file, or a folder: an existing one, or a name ending in /)."""
    target = Path(out) if out else default_path()
    if target.is_dir() or str(out).endswith(("/", os.sep)):
        target = target / default_path().name
    out = target
    out.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".baocao-backup-", dir=out.parent) as tmp:
        if connection.vendor == "postgresql":
            member, counts = PG_MEMBER, _dump_postgresql(Path(tmp) / PG_MEMBER)
        elif connection.vendor == "sqlite":
            member, counts = SQLITE_MEMBER, _copy_sqlite(Path(tmp) / SQLITE_MEMBER)
        else:
            raise BackupError(f"Chưa hỗ trợ sao lưu CSDL loại {connection.vendor}")
        media_files = sum(1 for p in media.rglob("*") if p.is_file()) if media.is_dir() else 0
        created = timezone.now().isoformat()
        manifest = {"format": FORMAT, "engine": connection.vendor, "created_at": created, "database": member,
                    "counts": counts, "media_files": media_files}  # fmt: skip
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(Path(tmp) / MANIFEST, arcname=MANIFEST)
            tar.add(Path(tmp) / member, arcname=member)
            if media.is_dir():
                tar.add(media, arcname=MEDIA_MEMBER)
        partial.chmod(0o600)  # it holds every account's password hash: its owner reads it, nobody else
        os.replace(partial, out)
    return Outcome(out, counts, media_files, created)


def _pg_args(tool: str) -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(
            f"Không tìm thấy lệnh {tool} (cần cho CSDL PostgreSQL): cài gói postgresql-client "
            f"(apt-get install postgresql-client), cùng phiên bản chính với máy chủ PostgreSQL"
        )
    args = [binary, "--dbname", str(db["NAME"]), "--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])  # never on the command line, where `ps` shows it
    return args, env


def _run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what}: quá {TOOL_TIMEOUT_SECONDS // 3600} giờ, đã dừng") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what} không thành công (mã {done.returncode}): {' / '.join(detail)}")


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the snapshot in which the rows were counted, so the counts match the dump."""
    args, env = _pg_args("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run_tool([*args, "--format=custom", f"--snapshot={snapshot}", "--file", str(target)], env, "pg_dump")
    return counts


def _copy_sqlite(target: Path) -> dict[str, int]:
    """SQLite's online backup: a consistent copy while other processes keep reading and writing."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.commit()
    finally:
        copy.close()
    return _counts_in_sqlite_file(target)


def _counts_in_sqlite_file(path: Path) -> dict[str, int]:
    """Rows per model table in a copied SQLite file (what the archive really holds)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts: dict[str, int] = {}
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and not model._meta.proxy:
                counts[model._meta.label] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        return counts
    finally:
        db.close()


# -- restore -------------------------------------------------------------------------------------------------
def read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        raw = tar.extractfile(MANIFEST)
    except KeyError:
        raw = None
    if raw is None:
        raise BackupError(f"{archive.name}: không có {MANIFEST} — đây không phải bản sao lưu của baocao")
    try:
        manifest: dict[str, Any] = json.loads(raw.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive.name}: {MANIFEST} hỏng ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive.name}: định dạng sao lưu {manifest.get('format')} không đọc được (cần {FORMAT})")
    return manifest


def _open_archive(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {archive}")
    try:
        return tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive.name}: không đọc được tệp sao lưu (hỏng hoặc không phải .tar.gz): {exc}") from None


def restore_backup(archive: Path, *, force: bool = False) -> Outcome:
    archive = Path(archive)
    try:
        with _open_archive(archive) as tar:
            manifest = read_manifest(tar, archive)
            _check_target(manifest, force)
            sessions = session_keys()
            with tempfile.TemporaryDirectory(prefix=".baocao-restore-") as tmp:
                dump = _extract_member(tar, str(manifest["database"]), Path(tmp))
                if manifest["engine"] == "postgresql":
                    _restore_postgresql(dump)
                else:
                    _restore_sqlite(dump)
            media_files = _restore_media(tar)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{archive.name}: tệp sao lưu hỏng, đọc giữa chừng thì lỗi: {exc}") from None
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older version
    bump_all()  # the backup's stamps came back with its rows: what web processes kept is read again
    forget_cached_sessions(sessions)
    counts = table_counts()
    expected: dict[str, int] = manifest.get("counts", {})
    problems = [
        f"{label}: có {_vn(counts.get(label, 0))} dòng, bản sao lưu ghi {_vn(n)}"
        for label, n in expected.items()
        if counts.get(label, 0) != n and label not in BOOKKEEPING
    ]
    return Outcome(archive, counts, media_files, str(manifest.get("created_at", "")), problems)


def session_keys() -> list[str]:
    """The sessions the database holds now (with cached_db, every cached session is one of them)."""
    from django.contrib.sessions.models import Session

    if Session._meta.db_table not in connection.introspection.table_names():
        return []  # a fresh database, not migrated yet
    return list(Session.objects.values_list("session_key", flat=True))


def forget_cached_sessions(keys: list[str]) -> None:
    """Drop the given sessions from the shared session cache: after a restore the database is the
    record, and a session cached before it must not outlive it (a miss reads the restored table)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.cached_db" or not keys:
        return
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches

    caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in keys])


def _check_target(manifest: dict[str, Any], force: bool) -> None:
    if manifest.get("engine") != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là CSDL {manifest.get('engine')}, CSDL đang dùng là {connection.vendor}: "
            "khôi phục vào cùng loại CSDL (đặt DATABASE_URL cho đúng)"
        )
    if force:
        return
    held = data_counts()
    if held:
        raise BackupError(
            f"CSDL {connection.settings_dict['NAME']} đang có dữ liệu ({_describe_held(held)}): khôi phục sẽ "
            "ghi đè toàn bộ. Hãy khôi phục vào một CSDL mới, hoặc thêm --force nếu chắc chắn muốn ghi đè."
        )


def _describe_held(held: dict[str, int]) -> str:
    named = [f"{_vn(held[label])} {name}" for label, name in SUMMARY.items() if held.get(label)]
    others = len([label for label in held if label not in SUMMARY])
    if others:
        named.append(f"dữ liệu ở {others} bảng khác (đơn vị, danh mục…)")
    return ", ".join(named)


def _extract_member(tar: tarfile.TarFile, name: str, into: Path) -> Path:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(f"Bản sao lưu thiếu {name}") from None
    source: IO[bytes] | None = tar.extractfile(member)
    if source is None:
        raise BackupError(f"Bản sao lưu: {name} không phải tệp")
    target = into / Path(name).name
    with source, target.open("wb") as out:
        shutil.copyfileobj(source, out, 1024 * 1024)
    return target


def _restore_postgresql(dump: Path) -> None:
    args, env = _pg_args("pg_restore")
    connection.close()  # our own session must not hold locks on the tables being replaced
    _run_tool(
        [*args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
         "--exit-on-error", str(dump)],
        env, "pg_restore",
    )  # fmt: skip


def _restore_sqlite(dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(name, timeout=30)
    try:
        source.backup(target)  # replaces every page of the target, in one step for other readers
    finally:
        source.close()
        target.close()


def _restore_media(tar: tarfile.TarFile) -> int:
    """The uploaded files back under MEDIA_ROOT (only regular files and folders under media/)."""
    root = Path(settings.MEDIA_ROOT)
    prefix = MEDIA_MEMBER + "/"
    members = [m for m in tar.getmembers() if m.name.startswith(prefix) and (m.isfile() or m.isdir())]
    for member in members:
        member.name = member.name[len(prefix):]
    tar.extractall(root, members=[m for m in members if m.name], filter="data")
    return sum(1 for m in members if m.isfile())


def describe_time(created_at: str) -> str:
    try:
        return f"{timezone.localtime(datetime.fromisoformat(created_at)):%H:%M %d/%m/%Y}"
    except ValueError:
        return created_at
