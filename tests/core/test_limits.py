"""baocao.core.limits on its own: archives past their bounds, damaged or lying, are refused
before any reader opens them; real files pass."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from baocao.core import limits
from baocao.core.limits import LimitExceeded, Limits, check_file, check_text, check_zip, copy_member

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "safety"))
import bombs

MB = 1024 * 1024
FIXTURES = Path(__file__).resolve().parents[1] / "extraction" / "fixtures"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_real_docx_passes_and_a_file_like_source_is_rewound() -> None:
    docx = next(FIXTURES.rglob("*.docx"), None)
    if docx is None:
        pytest.skip("no DOCX fixture")
    assert any(i.filename == "word/document.xml" for i in check_zip(docx))
    check_file(docx, "docx")
    stream = io.BytesIO(docx.read_bytes())
    check_zip(stream, "x.docx")
    assert stream.tell() == 0


def test_declared_size_ratio_and_member_count(tmp_path: Path) -> None:
    with pytest.raises(LimitExceeded, match=r"bao-cao-bom.docx: phần 'word/document.xml' khi giải nén lớn 300 MB, vượt giới hạn 100 MB"):
        check_zip(bombs.docx_bomb(tmp_path / "bao-cao-bom.docx"))
    small = bombs.docx_bomb(tmp_path / "nho.docx", 20 * MB)  # under the size bound, but 300× compressed
    with pytest.raises(LimitExceeded, match="bom nén"):
        check_zip(small)
    check_zip(small, limits=Limits(max_ratio=100_000))  # the ratio is the only thing wrong with it
    many = _zip({f"a{i}.txt": b"x" for i in range(30)})
    with pytest.raises(LimitExceeded, match="30 tệp bên trong, vượt giới hạn 20"):
        check_zip(many, "nhieu.zip", Limits(max_members=20))
    with pytest.raises(LimitExceeded, match="nội dung giải nén lớn"):
        check_zip(_zip({"a.txt": b"a" * 600_000, "b.txt": b"b" * 600_000}), "tong.zip", Limits(max_total_bytes=MB))


def test_a_bad_crc_or_a_lying_header_is_a_damaged_file(tmp_path: Path) -> None:
    for kind in ("docx", "xlsx", "zip"):
        with pytest.raises(LimitExceeded, match="sai mã kiểm tra CRC"):
            check_zip(bombs.bad_crc(tmp_path / f"hong.{kind}", kind))
    with pytest.raises(LimitExceeded, match="CRC"):
        check_zip(bombs.lying_header(tmp_path / "khai-sai.docx"))
    with pytest.raises(LimitExceeded, match="không phải gói ZIP"):
        check_zip(io.BytesIO(b"PK\x03\x04 not really"), "gia.docx")


def test_copy_member_streams_and_stops_at_the_bound(tmp_path: Path) -> None:
    archive = zipfile.ZipFile(_zip({"a.txt": b"a" * (3 * MB)}))
    out = io.BytesIO()
    assert copy_member(archive, archive.getinfo("a.txt"), out, "a.zip") == 3 * MB
    with pytest.raises(LimitExceeded, match="vượt giới hạn 2 MB"):
        copy_member(archive, archive.getinfo("a.txt"), io.BytesIO(), "a.zip", Limits(max_member_bytes=2 * MB))


def test_text_bounds_and_configuration(tmp_path: Path) -> None:
    assert check_text("a.txt", "x" * 10, Limits(max_text_chars=10)) == "x" * 10
    with pytest.raises(LimitExceeded, match=r"a.txt: nội dung dài 11 ký tự, vượt giới hạn 10 ký tự"):
        check_text("a.txt", "x" * 11, Limits(max_text_chars=10))
    big = tmp_path / "dai.txt"
    big.write_bytes(b"x" * 2048)
    before = limits.current()
    try:
        limits.configure(max_text_bytes=1024)
        with pytest.raises(LimitExceeded, match=r"dai.txt: tệp lớn 2 KB, vượt giới hạn 1 KB"):
            check_file(big, "txt")
        with pytest.raises(ValueError, match="max_typo"):
            limits.configure(max_typo=1)
    finally:
        limits.configure(**{k: getattr(before, k) for k in before.__dataclass_fields__})
