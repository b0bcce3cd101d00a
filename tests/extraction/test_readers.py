"""DOCX (paragraphs and tables), text PDF and the errors for unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao.extraction import ExtractionError, extract_file, extract_text, score
from baocao.extraction.readers import read_file

docx = pytest.importorskip("docx")


def _write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path


def test_docx_of_a_corpus_report(tmp_path: Path, corpus: Path) -> None:
    gold_path = sorted((corpus / "gold").glob("*.json"))[0]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (corpus / gold["source"]).read_text(encoding="utf-8")
    path = _write_docx(tmp_path / "report.docx", text.split("\n"))
    result = extract_file(path)
    assert result["source"] == "report.docx"
    assert score(result, gold).facts.f1 >= 0.95
    read = read_file(path)
    assert all(f["evidence"] in read for f in result["facts"])


def test_docx_table_row(tmp_path: Path) -> None:
    path = _write_docx(
        tmp_path / "bang.docx",
        [
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH BẾN TRE",
            "BÁO CÁO",
            "Kết quả công tác năm 2023",
            "I. VIỄN THÔNG",
        ],
        [["Chỉ tiêu", "Số lượng"], ["Thuê bao di động", "1.234.567"], ["Trạm BTS", "1.520"]],
    )
    result = extract_file(path)
    assert result["province"] == "Bến Tre"
    got = {f["indicator"]: f["value"] for f in result["facts"]}
    assert got == {"vt.tb_di_dong.tong": 1234567, "vt.tram_bts": 1520}


def test_tab_table_with_unit_and_period_columns() -> None:
    text = (
        "BÁO CÁO\nKết quả năm 2023\nI. VIỄN THÔNG\n"
        "Chỉ tiêu\tĐVT\tNăm 2023\tNăm 2022\tSo sánh (%)\n"
        "Doanh thu dịch vụ viễn thông\ttỷ đồng\t1.250\t1.180\t105,9\n"
    )
    result = extract_text(text)
    got = {(f["indicator"], f["value"], str(f["period"])) for f in result["facts"]}
    assert got == {
        ("vt.doanh_thu", 1250000000000, "None"),
        ("vt.doanh_thu", 1180000000000, str({"type": "year", "year": 2022})),
    }


def _blank_pdf(path: Path) -> Path:
    # a one-page PDF with no text at all, as a scanner without OCR would give
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def test_pdf_without_text_layer_is_a_clear_error(tmp_path: Path) -> None:
    path = _blank_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ExtractionError, match=r"scan\.pdf.*no text layer"):
        extract_file(path)


def test_unreadable_inputs_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ExtractionError, match=r"hong\.docx"):
        extract_file(bad)
    with pytest.raises(ExtractionError, match=r"bao_cao\.xls"):
        extract_file(tmp_path / "bao_cao.xls")
    with pytest.raises(ExtractionError, match=r"khong_co\.txt"):
        extract_file(tmp_path / "khong_co.txt")
