"""Bounds on what a file may make a reader do, checked before the reader opens it.

A DOCX, an XLSX and a ZIP of reports are ZIP archives: a 0.7 MB file can declare (or hide) a
member that inflates to gigabytes, and python-docx, openpyxl and lxml would build it in memory.
`check_zip` reads the archive's directory (member count, declared sizes, compression ratio) and
then inflates every member as a stream, counting the bytes it really gets and letting zipfile
check each CRC, so a lying header or a damaged archive is refused while memory stays at one
chunk. `check_text` and `check_size` bound plain files and decoded text.

Pure: no Django. The web app sets the limits from settings (BAOCAO_LIMITS) at start-up with
`configure`; the CLI and tests use the same call. Every refusal is a `LimitExceeded` whose
message says, in Vietnamese, which file and what is too big.
"""

from __future__ import annotations

import dataclasses
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MB = 1024 * 1024
CHUNK = 64 * 1024
# Below this size a high ratio is harmless (a short XML part of repeated tags compresses 100×).
RATIO_FLOOR = 1 * MB


@dataclass(frozen=True)
class Limits:
    """What one file may hold. The defaults fit the largest real reports tenfold."""

    max_members: int = 5000
    max_member_bytes: int = 100 * MB  # one inflated member (a DOCX's document.xml, an XLSX sheet)
    max_total_bytes: int = 512 * MB  # all members inflated
    max_ratio: int = 200  # inflated / compressed, for members above RATIO_FLOOR
    max_text_chars: int = 20_000_000  # decoded text of one report (a 1,000-page report is ~3 M)
    max_text_bytes: int = 80 * MB  # a plain text file, before decoding
    max_pdf_bytes: int = 100 * MB
    job_memory_bytes: int = 3 * 1024 * MB  # address space of a background job (0: no limit)


class LimitExceeded(ValueError):
    """A file refused by a bound; the message names the file and the bound (Vietnamese)."""


_current = Limits()


def configure(**changes: int) -> Limits:
    """Replace some bounds (unknown names are an error, so a typo in settings is seen)."""
    global _current
    known = {f.name for f in dataclasses.fields(Limits)}
    unknown = set(changes) - known
    if unknown:
        raise ValueError(f"giới hạn không có: {', '.join(sorted(unknown))}")
    _current = dataclasses.replace(_current, **{k: int(v) for k, v in changes.items()})
    return _current


def current() -> Limits:
    return _current


def _n(n: float) -> str:
    """A count the Vietnamese way: 1.599."""
    return f"{n:,.0f}".replace(",", ".")


def size_text(n: int) -> str:
    """Bytes as people read them: "300 MB", "64 KB"."""
    if n >= MB:
        return f"{_n(n / MB)} MB"
    if n >= 1024:
        return f"{_n(n / 1024)} KB"
    return f"{n} byte"


def check_size(name: str, size: int, limit: int, what: str = "tệp") -> None:
    if size > limit:
        raise LimitExceeded(f"{name}: {what} lớn {size_text(size)}, vượt giới hạn {size_text(limit)}")


def check_text(name: str, text: str, limits: Limits | None = None) -> str:
    """The decoded text of a report, or LimitExceeded when it is longer than a report can be."""
    limit = (limits or _current).max_text_chars
    if len(text) > limit:
        raise LimitExceeded(f"{name}: nội dung dài {_n(len(text))} ký tự, vượt giới hạn {_n(limit)} ký tự")
    return text


def check_zip(
    source: Path | str | IO[bytes], name: str | None = None, limits: Limits | None = None,
    members: Iterable[str] | None = None,
) -> list[zipfile.ZipInfo]:
    """Refuse an archive that is damaged or would inflate beyond the bounds; return its members.

    `members` restricts the streamed check to the members a reader will open (default: all).
    A file-like `source` is left at position 0."""
    limits = limits or _current
    label = name or (Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "tệp"))
    label = Path(str(label)).name
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise LimitExceeded(f"{label}: tệp hỏng hoặc không phải gói ZIP (DOCX, XLSX, ZIP) hợp lệ") from None
    try:
        with archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            _check_directory(label, infos, limits)
            wanted = set(members) if members is not None else None
            for info in infos:
                if wanted is None or info.filename in wanted:
                    _stream(archive, info, label, limits)
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)
    return infos


def _check_directory(label: str, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """The bounds the central directory alone shows: count, declared sizes, ratios."""
    if len(infos) > limits.max_members:
        raise LimitExceeded(f"{label}: có {_n(len(infos))} tệp bên trong, vượt giới hạn {_n(limits.max_members)}")
    total = 0
    for info in infos:
        check_size(label, info.file_size, limits.max_member_bytes, f"phần '{info.filename}' khi giải nén")
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise LimitExceeded(
                f"{label}: phần '{info.filename}' nén {_n(ratio)} lần (giới hạn {limits.max_ratio} lần); "
                "tệp có dấu hiệu 'bom nén', không mở"
            )
        total += info.file_size
        check_size(label, total, limits.max_total_bytes, "nội dung giải nén")


def _damaged_member(label: str, info: zipfile.ZipInfo, exc: zipfile.BadZipFile) -> LimitExceeded:
    """The refusal for a member whose compressed data is damaged (a wrong CRC, or data that does
    not inflate): the person can fix it by saving or zipping the file again."""
    crc = "CRC" in str(exc)
    return LimitExceeded(
        f"{label}: tệp ZIP bị hỏng ({'sai mã kiểm tra CRC' if crc else 'dữ liệu nén hỏng'} ở phần "
        f"'{info.filename}'); hãy lưu hoặc nén lại tệp"
    )


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str, limits: Limits) -> None:
    """Inflate one member chunk by chunk: the real size is counted, the CRC checked by zipfile."""
    seen = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                seen += len(chunk)
                if seen > info.file_size or seen > limits.max_member_bytes:
                    raise LimitExceeded(
                        f"{label}: phần '{info.filename}' giải nén lớn hơn kích thước khai báo; tệp bị sửa, không mở"
                    )
    except zipfile.BadZipFile as exc:
        raise _damaged_member(label, info, exc) from None
    except (NotImplementedError, RuntimeError) as exc:  # encrypted, or an unknown compression
        raise LimitExceeded(f"{label}: không mở được phần '{info.filename}' ({exc})") from None
    except (zlib.error, OSError, EOFError, ValueError) as exc:
        raise LimitExceeded(f"{label}: tệp ZIP bị hỏng ở phần '{info.filename}' (dữ liệu nén hỏng: {exc})") from None


def copy_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, out: IO[bytes], label: str, limits: Limits | None = None
) -> int:
    """Write one member to `out` as a stream, refusing it past its bound; returns its size."""
    limits = limits or _current
    check_size(label, info.file_size, limits.max_member_bytes, f"phần '{info.filename}' khi giải nén")
    written = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                written += len(chunk)
                if written > limits.max_member_bytes:
                    raise LimitExceeded(f"{label}: phần '{info.filename}' giải nén vượt {size_text(limits.max_member_bytes)}")
                out.write(chunk)
    except zipfile.BadZipFile as exc:
        raise _damaged_member(label, info, exc) from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise LimitExceeded(f"{label}: tệp ZIP bị hỏng ở phần '{info.filename}' ({exc})") from None
    return written


def check_file(path: Path, kind: str, limits: Limits | None = None) -> None:
    """The bounds of a report file by its kind ("txt", "docx", "pdf", "zip", "xlsx") before a
    reader opens it. A PDF's streams are inflated by pdfminer itself: its size is bounded here
    and its memory by the background job's limit (`job_memory_bytes`)."""
    limits = limits or _current
    path = Path(path)
    size = path.stat().st_size
    if kind in ("docx", "xlsx", "zip"):
        check_zip(path, limits=limits)
    elif kind == "pdf":
        check_size(path.name, size, limits.max_pdf_bytes)
    else:
        check_size(path.name, size, limits.max_text_bytes)
