"""Checking uploaded files before anything reads them.

A file is accepted only when its extension and its content agree (baocao.core.filetypes: an
XLSX is a zip archive with its workbook part, a CSV is UTF-8 text without NUL bytes); an XLSX
must also carry [Content_Types].xml and no macros. Size is capped by settings.BAOCAO_MAX_UPLOAD_BYTES. The accepted bytes are written to a
private temporary file that is only ever parsed, never executed, and is removed afterwards.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from baocao.core.filetypes import UploadError, check_upload

ALLOWED = {"xlsx", "csv"}


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
        _no_macros(data, name)
    return kind


@contextmanager
def saved_copy(upload: UploadedFile[bytes], kind: str) -> Iterator[Path]:
    """The upload in a private temporary file named after the original (importers cite the name)."""
    original = Path(upload.name or f"tep.{kind}").name
    safe = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in original)[:120] or f"tep.{kind}"
    if not safe.lower().endswith(f".{kind}"):
        safe = f"{safe}.{kind}"
    with tempfile.TemporaryDirectory(prefix="baocao-upload-") as folder:
        path = Path(folder) / safe
        upload.seek(0)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        os.chmod(path, 0o600)
        yield path
