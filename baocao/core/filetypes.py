"""Checking uploaded files by extension AND content, before anything reads them.

An upload is never executed; it is only opened by the reader made for its checked type.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
TEXT_KINDS = {"txt", "md", "csv", "json"}


class UploadError(ValueError):
    """The message names the file and what is wrong with it."""


def kind_of(name: str, data: bytes) -> str:
    """The file's kind ("docx", "xlsx", "pdf", "txt", "csv", "json", "md") checked against its content."""
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix in ZIP_MEMBERS:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if ZIP_MEMBERS[suffix] not in archive.namelist():
                    raise UploadError(f"{name}: không phải tệp .{suffix} hợp lệ (thiếu {ZIP_MEMBERS[suffix]})")
        except zipfile.BadZipFile:
            raise UploadError(f"{name}: nội dung không phải tệp .{suffix} (không phải gói ZIP của Office)") from None
        return suffix
    if suffix == "pdf":
        if not data.lstrip()[:5] == b"%PDF-":
            raise UploadError(f"{name}: nội dung không phải tệp PDF")
        return suffix
    if suffix in TEXT_KINDS:
        if b"\x00" in data[:8192]:
            raise UploadError(f"{name}: tệp văn bản chứa dữ liệu nhị phân")
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadError(f"{name}: tệp văn bản không phải UTF-8 (byte {exc.start})") from None
        return suffix
    raise UploadError(f"{name}: loại tệp '.{suffix}' không được nhận")


def check_upload(name: str, data: bytes, allowed: set[str], max_bytes: int) -> str:
    """Size, then type by extension and content; returns the kind or raises UploadError."""
    if len(data) > max_bytes:
        raise UploadError(f"{name}: tệp {len(data):,} byte vượt giới hạn {max_bytes:,} byte".replace(",", "."))
    if not data:
        raise UploadError(f"{name}: tệp rỗng")
    kind = kind_of(name, data)
    if kind not in allowed:
        raise UploadError(f"{name}: chỉ nhận tệp {', '.join(sorted(allowed))}")
    return kind
