"""Hostile files for the tests, built as streams (the builder never holds the inflated content).

* `docx_bomb`: a DOCX whose word/document.xml inflates to 300 MB (the file is under 1 MB);
* `xlsx_bomb`: an XLSX whose first sheet inflates to 300 MB;
* `zip_of_reports_bomb`: a ZIP of reports whose one .txt member inflates to 400 MB;
* `bad_crc`: a valid archive with one byte of a stored member changed (its CRC no longer matches);
* `lying_header`: a member whose declared size is far below what it inflates to.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MB = 1024 * 1024
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def _inflating_member(archive: zipfile.ZipFile, name: str, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    block = b"<w:p><w:r><w:t>AAAAAAAAAAAAAAAA</w:t></w:r></w:p>" * (MB // 48)
    with archive.open(name, "w", force_zip64=True) as out:
        out.write(head)
        written = len(head)
        while written < size - len(tail):
            piece = block[: size - len(tail) - written]
            out.write(piece)
            written += len(piece)
        out.write(tail)


def docx_bomb(path: Path, inflated: int = 300 * MB) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        _inflating_member(archive, "word/document.xml", inflated,
                          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
                          b"</w:body></w:document>")  # fmt: skip
    return path


def xlsx_bomb(path: Path, inflated: int = 300 * MB) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        _inflating_member(archive, "xl/worksheets/sheet1.xml", inflated)
    return path


def zip_of_reports_bomb(path: Path, inflated: int = 400 * MB) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("bao-cao-1.txt", "Báo cáo năm 2022 của Sở.\n".encode())
        _inflating_member(archive, "bao-cao-2.txt", inflated)
    return path


def bad_crc(path: Path, kind: str = "docx") -> Path:
    """A small archive whose stored member has one byte changed after the CRC was written."""
    marker = b"NOI-DUNG-GOC-CUA-BAO-CAO"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        if kind == "xlsx":
            archive.writestr("xl/workbook.xml", b"<workbook>" + marker + b"</workbook>")
        elif kind == "zip":
            archive.writestr("bao-cao.txt", b"Bao cao " + marker)
        else:
            archive.writestr("word/document.xml", b"<w:document>" + marker + b"</w:document>")
    data = path.read_bytes()
    at = data.index(marker)
    path.write_bytes(data[:at] + b"X" + data[at + 1 :])
    return path


def lying_header(path: Path, inflated: int = 50 * MB) -> Path:
    """A DOCX whose document.xml declares 1 KB in both headers but inflates to `inflated`."""
    docx_bomb(path, inflated)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    # The real size is in the local header, the central directory and (ZIP64) their extra
    # fields: every occurrence, 8 and 4 bytes wide, is rewritten to 1 KB.
    for width in (8, 4):
        real, fake = info.file_size.to_bytes(width, "little"), (1024).to_bytes(width, "little")
        data = bytearray(bytes(data).replace(real, fake))
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1024
    return path
