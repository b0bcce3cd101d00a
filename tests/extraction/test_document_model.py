"""One document model for every layout: plain text with tab tables, pdftotext -layout output,
DOCX (Word list numbering, a two-row header with merged cells), PDF.  Every element's span
quotes the reader's text verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from baocao.extraction.document import Document, document_of, layout_of, read_document
from baocao.extraction.errors import ExtractionError
from baocao.extraction.readers import READERS, read_file

from .conftest import FIXTURES

HELDOUT = FIXTURES / "heldout"


def _heading(doc: Document, numbering: str) -> tuple[int | None, str]:
    e = next(e for e in doc.headings() if e.numbering == numbering)
    return e.level, doc.quote(e.span)


def _spans_are_verbatim(doc: Document, path: Path) -> None:
    text = read_file(path)
    assert doc.text == text
    for e in doc.elements:
        assert doc.quote(e.span).strip() and doc.quote(e.span) in text
    for t in doc.tables:
        for row in t.rows:
            for cell in row:
                assert cell[0] >= t.span[0] and cell[1] <= t.span[1]


def test_plain_text_with_a_tab_table() -> None:
    path = FIXTURES / "bentre_6thang_2023.txt"
    doc = read_document(path)
    assert (doc.reader, doc.layout) == ("text", "tab-table text")
    assert _heading(doc, "A.") == (0, "KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2023")
    assert _heading(doc, "II.") == (1, "ỨNG DỤNG CÔNG NGHỆ THÔNG TIN")
    assert _heading(doc, "1.") == (2, "Văn bản điện tử và chữ ký số")
    (table,) = doc.tables
    assert table.header_rows == 1 and len(table.rows) == 6
    assert [doc.quote(c) for c in table.rows[0]][2:] == ["6 tháng đầu năm 2023", "Cùng kỳ năm 2022"]
    assert any(
        e.kind == "list_item" and doc.quote(e.span).startswith("- Cấp 35 giấy phép") for e in doc.elements
    )
    _spans_are_verbatim(doc, path)


def test_pdftotext_layout_with_a_two_line_header_and_caption() -> None:
    path = HELDOUT / "binhthuan_6thang_2023.txt"
    doc = read_document(path)
    assert doc.layout == "pdftotext-layout"
    assert _heading(doc, "a)") == (6, "Báo chí, phát thanh, truyền hình")
    table = doc.tables[0]
    assert table.header_rows == 2 and table.caption is not None
    assert doc.quote(table.caption).startswith("Bảng 1. Một số chỉ tiêu bưu chính, viễn thông")
    _spans_are_verbatim(doc, path)


@pytest.mark.parametrize("name", ["camau_quy4_2019.docx", "hungyen_quy3_2022.docx"])
def test_docx_keeps_word_list_numbering_and_tables(name: str) -> None:
    pytest.importorskip("docx")
    path = HELDOUT / name
    doc = read_document(path)
    assert (doc.reader, doc.layout) == ("docx", "docx")
    assert _heading(doc, "I.")[0] == 1 and _heading(doc, "1.")[0] == 2
    data = [t for t in doc.tables if t.caption is not None]
    assert data and doc.quote(data[0].caption).startswith("Bảng 1.")
    if name.startswith("hungyen"):
        assert _heading(doc, "a)") == (6, "Bưu chính")  # Word list numbering, not typed
        assert data[0].header_rows == 2  # "Quý III/2022" merged over two columns, repeated
    _spans_are_verbatim(doc, path)


def test_pdf_rendering() -> None:
    pytest.importorskip("pdfplumber")
    path = HELDOUT / "danang_6thang_2023.pdf"
    doc = read_document(path)
    assert (doc.reader, doc.layout) == ("pdf", "pdf")
    assert _heading(doc, "II.") == (1, "KẾT QUẢ CỤ THỂ")
    assert doc.tables and doc.tables[0].header_rows == 1
    _spans_are_verbatim(doc, path)


def test_markdown_export_is_named_and_its_pipe_table_read() -> None:
    text = "# BÁO CÁO\n\n## I. KẾT QUẢ\n\n| Chỉ tiêu | Năm 2023 |\n|---|---|\n| Hồ sơ tiếp nhận | 1.200 |\n"
    doc = document_of(text)
    assert doc.layout == "markdown"
    assert _heading(doc, "I.") == (1, "KẾT QUẢ")
    (table,) = doc.tables
    assert [doc.quote(c) for c in table.rows[-1]] == ["Hồ sơ tiếp nhận", "1.200"]


def test_layouts_and_readers_are_registries() -> None:
    assert layout_of("Báo cáo\nmột đoạn văn.\n", "text") == "plain"
    assert {".txt", ".md", ".docx", ".pdf"} <= set(READERS)
    assert READERS[".md"].name == "text" and READERS[".docx"].read.__name__ == "read_docx"


def test_an_unknown_suffix_names_the_readers(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.odt"
    path.write_bytes(b"x")
    with pytest.raises(ExtractionError, match=r"bao-cao\.odt: không nhận loại tệp \.odt"):
        read_document(path)
