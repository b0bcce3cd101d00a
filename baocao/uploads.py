"""Checking uploaded files before anything reads them.

A file is accepted only when its extension and its content agree (baocao.core.filetypes: an
XLSX is a zip archive with its workbook part, a CSV is UTF-8 text without NUL bytes); an XLSX
must also carry [Content_Types].xml and no macros. Size is capped by settings.BAOCAO_MAX_UPLOAD_BYTES. The accepted bytes are written to a
private temporary file that is only ever parsed, never executed, and is removed afterwards.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from baocao.core.filetypes import UploadError, check_upload, kind_of
from baocao.core.limits import LimitExceeded, check_zip, copy_member, current

ALLOWED = {"xlsx", "csv"}
BULK_KINDS = {"xlsx", "csv", "json"}
REPORT_KINDS = {"txt", "md", "docx", "pdf"}
HEAD_BYTES = 64 * 1024
MAX_ARCHIVE_MEMBERS = 5000


class UploadRejected(ValueError):
    """The file was refused before being read; the message says why."""


def _no_macros(data: bytes, name: str) -> None:
    """Beyond core.filetypes' check (a zip with xl/workbook.xml): a real package, no macros."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        raise UploadRejected(f"{name}: không phải tệp Excel .xlsx (thiếu [Content_Types].xml)")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRejected(f"{name}: tệp có macro; hãy lưu lại dưới dạng .xlsx không có macro")


def check(upload: UploadedFile[bytes]) -> str:
    """Return "xlsx" or "csv" for an acceptable upload, or raise UploadRejected."""
    name = Path(upload.name or "tep").name
    limit = int(settings.BAOCAO_MAX_UPLOAD_BYTES)
    # The declared size is checked before reading, so an oversized upload is never loaded.
    if upload.size is None or upload.size > limit:
        raise UploadRejected(f"{name}: tệp lớn quá {filesizeformat(limit)}")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        kind = check_upload(name, data, ALLOWED, limit)
    except UploadError as exc:
        raise UploadRejected(str(exc)) from None
    if kind == "xlsx":
        _bounded_zip(io.BytesIO(data), name)
        _no_macros(data, name)
    return kind


def _bounded_zip(source: IO[bytes] | Path, name: str) -> None:
    """A ZIP-based upload inflated as a stream against the bounds of baocao.core.limits."""
    try:
        check_zip(source, name)
    except LimitExceeded as exc:
        raise UploadRejected(str(exc)) from None


@contextmanager
def saved_copy(upload: UploadedFile[bytes], kind: str) -> Iterator[Path]:
    """The upload in a private temporary file named after the original (importers cite the name)."""
    with tempfile.TemporaryDirectory(prefix="baocao-upload-") as folder:
        yield _write(upload, Path(folder) / _safe_name(upload.name or "", kind))


def _write(upload: UploadedFile[bytes], path: Path) -> Path:
    """The upload's bytes, chunk by chunk (never whole in memory), readable by this process only."""
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    os.chmod(path, 0o600)
    return path


def _safe_name(original: str, kind: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in Path(original).name)[:120] or f"tep.{kind}"
    return safe if safe.lower().endswith(f".{kind}") else f"{safe}.{kind}"


def _job_folder() -> Path:
    import uuid

    folder = Path(settings.MEDIA_ROOT) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, mode=0o700)
    return folder


def _bulk_limit(name: str, upload: UploadedFile[bytes]) -> None:
    limit = int(settings.BAOCAO_MAX_BULK_UPLOAD_BYTES)
    if upload.size is None or upload.size > limit:
        raise UploadRejected(f"{name}: tệp lớn quá {filesizeformat(limit)}")
    if upload.size == 0:
        raise UploadRejected(f"{name}: tệp rỗng")


def check_bulk(upload: UploadedFile[bytes]) -> str:
    """A big CSV/XLSX/JSON of figures: checked by its head (text) or its zip directory (XLSX),
    never read whole into memory. Returns the kind."""
    name = Path(upload.name or "tep").name
    _bulk_limit(name, upload)
    upload.seek(0)
    if name.lower().endswith(".xlsx"):
        _bounded_zip(upload, name)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise UploadRejected(f"{name}: nội dung không phải tệp .xlsx (không phải gói ZIP của Office)") from None
        finally:
            upload.seek(0)
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise UploadRejected(f"{name}: không phải tệp Excel .xlsx hợp lệ")
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise UploadRejected(f"{name}: tệp có macro; hãy lưu lại dưới dạng .xlsx không có macro")
        return "xlsx"
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if len(head) == HEAD_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n")]  # a UTF-8 character may straddle the cut
    try:
        kind = kind_of(name, head)
    except UploadError as exc:
        raise UploadRejected(str(exc)) from None
    if kind not in BULK_KINDS:
        raise UploadRejected(f"{name}: chỉ nhận tệp {', '.join(sorted(BULK_KINDS))}")
    return kind


def keep_for_job(upload: UploadedFile[bytes], kind: str) -> Path:
    """The upload in a private folder under MEDIA_ROOT/uploads, kept for the job (and its retries)."""
    return _write(upload, _job_folder() / _safe_name(upload.name or "", kind))


def unpack_reports(upload: UploadedFile[bytes]) -> Path:
    """A ZIP of reports (TXT, MD, DOCX, PDF) unpacked flat into a private folder.

    Member paths are never used as paths (only their base names). The archive's directory is
    checked against the bounds of baocao.core.limits (member count, declared sizes, ratio), each
    member is inflated as a stream straight to its file (refused past its bound or on a bad
    CRC), then checked by content like a single upload; the unpacked total is capped too."""
    name = Path(upload.name or "tep.zip").name
    _bulk_limit(name, upload)
    limit = min(4 * int(settings.BAOCAO_MAX_BULK_UPLOAD_BYTES), current().max_total_bytes)
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise UploadRejected(f"{name}: không phải tệp ZIP (hoặc tệp ZIP bị hỏng)") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        wanted = [m for m in members if Path(m.filename).suffix.lower().lstrip(".") in REPORT_KINDS]
        if not wanted:
            raise UploadRejected(f"{name}: không có báo cáo .txt, .md, .docx, .pdf nào trong tệp ZIP")
        if len(wanted) > MAX_ARCHIVE_MEMBERS:
            raise UploadRejected(f"{name}: {len(wanted)} tệp, nhiều hơn {MAX_ARCHIVE_MEMBERS}")
        if sum(m.file_size for m in wanted) > limit:
            raise UploadRejected(f"{name}: nội dung giải nén lớn quá {filesizeformat(limit)}")
        folder = _job_folder()
        try:
            _unpack_members(archive, wanted, folder, name, limit)
        except UploadRejected:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return folder


def _unpack_members(archive: zipfile.ZipFile, wanted: list[zipfile.ZipInfo], folder: Path, name: str, limit: int) -> None:
    used: set[str] = set()
    total = 0
    for member in wanted:
        base = Path(member.filename).name
        part = folder / f".part-{len(used)}"
        try:
            with part.open("wb") as out:
                total += copy_member(archive, member, out, name)
        except LimitExceeded as exc:
            raise UploadRejected(str(exc)) from None
        if total > limit:
            raise UploadRejected(f"{name}: nội dung giải nén lớn quá {filesizeformat(limit)}")
        kind = _kind_of_file(part, base, f"{name} › {member.filename}")
        target = _safe_name(base, kind)
        stem, n = target, 1
        while target in used:  # the same name in two folders of the archive
            n += 1
            target = f"{Path(stem).stem}-{n}{Path(stem).suffix}"
        used.add(target)
        part.rename(folder / target)


def _kind_of_file(path: Path, base: str, where: str) -> str:
    """A member's kind by its content, read from disk: its head, or (DOCX) its bounded archive."""
    suffix = Path(base).suffix.lower()
    try:
        if suffix == ".docx":
            _bounded_zip(path, where)
            with zipfile.ZipFile(path) as inner:
                if "word/document.xml" not in inner.namelist():
                    raise UploadError("không phải tệp .docx hợp lệ (thiếu word/document.xml)")
            return "docx"
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
            more = bool(fh.read(1))
        if more and b"\n" in head:
            head = head[: head.rindex(b"\n")]  # a UTF-8 character may straddle the cut
        return kind_of(base, head)
    except UploadError as exc:
        raise UploadRejected(f"{where}: {exc}") from None
