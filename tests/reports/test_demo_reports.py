"""The demo reports of Trà Vinh (năm 2022, quý I/2020) as DOCX: layout of NĐ 30/2020, structure,
and every figure and document of the real reports (the gold files of the corpus)."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from baocao.core.docrefs import parse_reference
from baocao.core.narrative import FigureOptions, format_figure
from baocao.core.periods import Period

HEADING_RE = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\. ")

EXPECTED_2022 = [
    "I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC",
    "1. Công tác tham mưu Tỉnh ủy, UBND tỉnh và ban hành văn bản chỉ đạo, điều hành",
    "2. Lĩnh vực bưu chính",
    "3. Lĩnh vực viễn thông",
    "4. Lĩnh vực ứng dụng công nghệ thông tin",
    "5. Lĩnh vực an toàn thông tin",
    "6. Lĩnh vực thông tin, tuyên truyền",
    "6.1. Báo chí, thông tin điện tử",
    "6.2. Xuất bản, in và phát hành",
    "6.3. Thông tin cơ sở",
    "II. CÔNG TÁC TỔNG HỢP",
    "1. Hoạt động của Lãnh đạo Sở",
    "2. Công tác văn phòng",
    "3. Công tác thanh tra",
    "4. Công tác hỗ trợ xã đỡ đầu và phụng dưỡng Mẹ Việt Nam anh hùng",
    "III. ĐÁNH GIÁ CHUNG",
    "1. Ưu điểm",
    "2. Hạn chế và nguyên nhân",
    "IV. KẾ HOẠCH CÔNG TÁC NĂM 2023",
]
EXPECTED_Q1_2020_TOP = [
    "I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC",
    "II. CÔNG TÁC TỔNG HỢP",
    "III. ĐÁNH GIÁ CHUNG",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ II/2020",
]


def _body(document: docx.document.Document) -> list[docx.text.paragraph.Paragraph]:
    """The paragraphs of the report itself, before its appendices."""
    body = []
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("Phụ lục "):
            break
        body.append(paragraph)
    return body


def _headings(document: docx.document.Document) -> list[str]:
    return [
        p.text
        for p in _body(document)
        if HEADING_RE.match(p.text) and p.runs and all(r.bold for r in p.runs if r.text.strip())
    ]


def _all_text(document: docx.document.Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _header_cells(document: docx.document.Document) -> tuple[list[str], list[str]]:
    left, right = document.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], [p.text for p in right.paragraphs if p.text]


def _figure_pattern(value: Decimal, unit: str, qualifier: str) -> re.Pattern[str]:
    """A gold figure as the report prints it: "217.199", "80,71%", "ước (đạt) 76 tỷ đồng", "hơn|trên 30"."""
    body = re.escape(format_figure(value, unit, "exact", FigureOptions()))
    word = {"approx": r"ước(?: đạt)? ", "more_than": r"(?:hơn|trên) ", "less_than": r"dưới "}.get(
        qualifier, ""
    )
    return re.compile(rf"(?<![\d.,]){word}{body}(?!\d|,\d)")


@pytest.fixture(scope="module")
def units_db(django_db_setup, django_db_blocker) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from baocao.catalog.models import Indicator

    with django_db_blocker.unblock():
        return dict(Indicator.objects.values_list("code", "unit"))


# -- structure ----------------------------------------------------------------------------------


def test_sections_come_in_the_order_the_corpus_reports_share(demo_reports) -> None:  # type: ignore[no-untyped-def]
    assert _headings(docx.Document(demo_reports["2022"].docx)) == EXPECTED_2022
    q1 = _headings(docx.Document(demo_reports["2020Q1"].docx))
    assert [h for h in q1 if re.match(r"^[IVX]+\. ", h)] == EXPECTED_Q1_2020_TOP
    assert "6.4. Thông tin đối ngoại" in q1 and "2. Công tác tổ chức cán bộ, đào tạo, bồi dưỡng" in q1


def test_tasks_of_the_next_period_are_numbered_items(demo_reports) -> None:  # type: ignore[no-untyped-def]
    body = [p.text for p in _body(docx.Document(demo_reports["2022"].docx))]
    start = body.index("IV. KẾ HOẠCH CÔNG TÁC NĂM 2023")
    items = [t for t in body[start:] if re.match(r"^\d+\. ", t)]
    assert len(items) == 8 and items[0].startswith("1. Tiếp tục tăng cường công tác tuyên truyền")
    assert "(01 ngày, 200 học viên)" in items[2]


# -- page and type (NĐ 30/2020) -----------------------------------------------------------------


def test_page_setup_is_a4_with_the_prescribed_margins(demo_reports) -> None:  # type: ignore[no-untyped-def]
    section = docx.Document(demo_reports["2022"].docx).sections[0]

    def mm(length: int) -> float:  # stored in twips: compare to a tenth of a millimetre
        return round(length / Mm(1), 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert 20 <= mm(section.top_margin) <= 25 and 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35 and 15 <= mm(section.right_margin) <= 20


def test_times_new_roman_13_to_14_justified_with_first_line_indent(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    body = [p for p in _body(document) if p.text.startswith("- ")]
    assert len(body) > 40
    for paragraph in body:
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert Pt(28) <= paragraph.paragraph_format.first_line_indent <= Pt(37)  # 1–1,27 cm
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman") and run.font.size in (Pt(13), Pt(14))
    assert normal.paragraph_format.space_after >= Pt(6)
    assert 1.0 <= normal.paragraph_format.line_spacing <= 1.5


def test_the_header_names_the_agency_as_it_was_on_the_report_date(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    left, right = _header_cells(document)
    assert left[:2] == ["UBND TỈNH TRÀ VINH", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert re.fullmatch(r"Số: +/BC-STTTT", left[2])
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Trà Vinh, ngày 20 tháng 12 năm 2022",
    ]
    cells = document.tables[0].rows[0].cells
    agency = next(p for p in cells[0].paragraphs if p.text == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    governing = cells[0].paragraphs[0]
    assert all(r.bold for r in agency.runs) and not any(r.bold for r in governing.runs)
    national, motto, place = (p for p in cells[1].paragraphs if p.text)
    assert all(r.bold for r in national.runs + motto.runs)
    assert Pt(12) <= national.runs[0].font.size <= Pt(13) and Pt(13) <= motto.runs[0].font.size <= Pt(14)
    assert all(r.italic for r in place.runs)
    # The short rules under the agency and under the motto are bottom borders of their own paragraphs.
    rules = [
        p
        for c in cells
        for p in c.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(docx.oxml.ns.qn("w:pBdr")) is not None
    ]
    assert len(rules) == 2
    title = [p for p in document.paragraphs if p.text][0:2]
    assert [p.text for p in title] == [
        "BÁO CÁO",
        "Kết quả công tác thông tin và truyền thông năm 2022 và kế hoạch công tác năm 2023",
    ]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in p.runs) for p in title)


def test_the_quarter_report_is_dated_as_decree_30_writes_dates(demo_reports) -> None:  # type: ignore[no-untyped-def]
    _, right = _header_cells(docx.Document(demo_reports["2020Q1"].docx))
    # A zero before days 1–9 and months 1–2 only: "ngày 20 tháng 3 năm 2020".
    assert right[2] == "Trà Vinh, ngày 20 tháng 3 năm 2020"


def test_page_numbers_at_the_top_centre_but_not_on_the_first_page(demo_reports) -> None:  # type: ignore[no-untyped-def]
    section = docx.Document(demo_reports["2022"].docx).sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in "".join(header._p.itertext())
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()


def test_recipients_and_signature_block(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    ending = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    left, right = ending.rows[0].cells
    label = left.paragraphs[0]
    assert all(r.bold and r.italic for r in label.runs) and label.runs[0].font.size == Pt(12)
    lines = [p.text for p in left.paragraphs[1:]]
    assert lines[0] == "- Bộ TT&TT (b/c);" and lines[-1] == "- Lưu: VT."
    assert all(p.runs[0].font.size == Pt(11) for p in left.paragraphs[1:])
    signature = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signature] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Chuẩn"]
    assert all(all(r.bold for r in p.runs) for p in signature)
    q1 = docx.Document(demo_reports["2020Q1"].docx)
    q1_ending = next(t for t in q1.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    assert [p.text for p in q1_ending.rows[0].cells[1].paragraphs if p.text] == ["GIÁM ĐỐC", "Trần Văn Khoản"]


# -- figures and documents ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["2022", "2020Q1"])
def test_every_gold_figure_appears_as_reports_write_it(demo_reports, units_db, key: str) -> None:  # type: ignore[no-untyped-def]
    demo = demo_reports[key]
    document = docx.Document(demo.docx)
    body = "\n".join(p.text for p in _body(document))
    review = demo.report.plain_text()
    missing = []
    for fact in demo.gold["facts"]:
        gold_value = Decimal(str(fact["value"]))
        unit = units_db[fact["indicator"]]
        period_code = Period.from_dict(fact["period"]).code if fact["period"] else key
        shown = demo.shown[(fact["indicator"], period_code, bool(fact["target"]))]
        if gold_value == 0:
            assert re.search(r"không có", body, re.IGNORECASE), fact
            continue
        if shown is not None and shown.value.quantize(Decimal("0.01")) != gold_value.quantize(
            Decimal("0.01")
        ):
            # A rate whose parts disagree with the figure the report stated: the report writes
            # neither (its own check would flag either) and the review lists both for the department.
            assert not _figure_pattern(shown.value, unit, fact["qualifier"]).search(body), fact
            assert "[cần xem lại: " in body
            assert (
                f"đơn vị ghi {format_figure(gold_value, unit, options=FigureOptions(pad=False))}" in review
            )
            continue
        if not _figure_pattern(gold_value, unit, fact["qualifier"]).search(body):
            missing.append((fact["indicator"], fact["value"], fact["evidence"]))
    assert not missing


def test_rates_are_computed_from_their_parts_and_compared_with_last_year(demo_reports) -> None:  # type: ignore[no-untyped-def]
    body = "\n".join(p.text for p in _body(docx.Document(demo_reports["2022"].docx)))
    assert "175.293 văn bản được ký số (tỷ lệ 80,71%), tăng 2,17% so với năm 2021 (78,54%)" in body
    assert (
        "14,87% hồ sơ giải quyết trực tuyến (đạt 29,74% so với mục tiêu kế hoạch năm 2022 của tỉnh)" in body
    )
    assert "ước đạt 76 tỷ đồng" in body and "số tiền xử phạt 7.500.000 đồng" in body
    assert "ban hành trên 30 văn bản cảnh báo" in body and "Ban hành hơn 150 văn bản" in body
    # 31,858 tỷ disbursed of 30,5 tỷ planned is 104,45%, not the 100% the report wrote, and above
    # the 100% a disbursement rate allows: not written, listed for the department.
    assert "104,45%" not in body and "[cần xem lại: Tỷ lệ giải ngân so với kế hoạch vốn]" in body
    review = demo_reports["2022"].report.plain_text()
    assert "đơn vị ghi 100%, tính từ thành phần là 104,45%" in review


@pytest.mark.parametrize("key", ["2022", "2020Q1"])
def test_every_document_of_the_report_is_registered_and_cited(demo_reports, key: str) -> None:  # type: ignore[no-untyped-def]
    demo = demo_reports[key]
    text = _all_text(docx.Document(demo.docx))
    for doc in demo.gold["documents"]:
        ref = parse_reference(doc["number"])
        # "107/2021/NĐCP" (a typo of the report) is registered and printed as "107/2021/NĐ-CP".
        number = (
            ref.number
            if ref.doc_type is None or f"{ref.doc_type}-{ref.issuer}" in ref.number
            else (ref.number.replace(f"{ref.doc_type}{ref.issuer}", f"{ref.doc_type}-{ref.issuer}"))
        )
        assert number in demo.registered, number
        assert number in text, number


def test_citations_read_like_the_reports(demo_reports) -> None:  # type: ignore[no-untyped-def]
    body = "\n".join(p.text for p in _body(docx.Document(demo_reports["2022"].docx)))
    assert "Kế hoạch số 16/KH-UBND ngày 24/02/2022 của Ủy ban nhân dân tỉnh về việc triển khai" in body
    assert "Chương trình số 15-CTr/TU ngày 31/3/2022 về nâng cao chỉ số sẵn sàng" in body
    assert "Tham mưu Ủy ban nhân dân tỉnh ban hành 19 Kế hoạch, Quyết định của UBND tỉnh" in body


def test_the_documents_of_the_period_are_listed_in_appendix_i(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Phụ lục I")
    assert texts[start + 1] == "DANH MỤC VĂN BẢN ĐÃ THAM MƯU, BAN HÀNH NĂM 2022"
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Số, ký hiệu, ngày ban hành")
    numbers = "\n".join(row.cells[1].text for row in table.rows)
    # 108/KH-UBND of 31/12/2021 falls in the 2022 reporting year (cut-off on 14/12, NĐ 09/2019).
    for number in ("108/KH-UBND", "16/KH-UBND", "1875/QĐ-UBND", "38/KH-STTTT-BCVTCNTT", "2281/ĐA-STTTT"):
        assert number in numbers
    assert "45/2020/NĐ-CP" not in numbers  # cited, not issued in the period


def test_a_table_compares_with_the_previous_period(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Tăng+, giảm- so với kỳ trước")
    assert [c.text for c in table.rows[0].cells][3:5] == ["Năm 2022", "Năm 2021"]
    row = next(r for r in table.rows if r.cells[1].text == "Tỷ lệ văn bản đi được ký số")
    assert [c.text for c in row.cells[3:]] == ["80,71%", "78,54%", "+2,17%"]


def test_missing_and_failed_figures_are_visible_and_listed(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].docx)
    marks = [r for p in _body(document) for r in p.runs if r.text.startswith("[chưa có số liệu năm 2021")]
    assert {r.text for r in marks} == {
        "[chưa có số liệu năm 2021: bc.san_luong]",
        "[chưa có số liệu năm 2021: bc.doanh_thu]",
        "[chưa có số liệu năm 2021: vt.doanh_thu]",
    }
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in marks)
    texts = [p.text for p in document.paragraphs]
    review = texts[texts.index("SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI") :]
    joined = "\n".join(review)
    assert "Chưa có số liệu năm 2021: Sản lượng dịch vụ bưu chính (bc.san_luong)" in joined
    assert "báo cáo 100, tính từ thành phần 104,45" in joined
    assert "Tổ chức cá nhân vi phạm (tt.vi_pham) = 11" in joined
    assert (
        "Kế hoạch Sở ban hành (vb.so_ban_hanh.ke_hoach) năm 2022: số liệu đã nhập 57, sổ văn bản ghi nhận 10"
        in joined
    )


def test_the_version_to_sign_leaves_the_review_out(demo_reports) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in docx.Document(demo_reports["2022"].final_docx).paragraphs]
    assert "SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI" not in texts
    # documents, key figures' table, the other figures of the year; no review list
    assert "Phụ lục I" in texts and "Phụ lục II" in texts and "Phụ lục III" in texts
    assert "MỘT SỐ SỐ LIỆU KHÁC NĂM 2022" in texts and "Phụ lục IV" not in texts


# -- PDF -----------------------------------------------------------------------------------------


def test_the_pdf_has_several_pages_numbered_from_the_second(demo_reports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from baocao.reports.pdf import docx_to_pdf, soffice_path

    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    import pdfplumber

    pdf = docx_to_pdf(demo_reports["2022"].docx, tmp_path / "bc-2022.pdf")
    with pdfplumber.open(pdf) as document:
        assert len(document.pages) > 1
        first = document.pages[0].extract_text().splitlines()
        second = document.pages[1].extract_text().splitlines()
        fonts = {c["fontname"].split("+")[-1] for c in document.pages[0].chars}
    assert first[0].startswith("UBND TỈNH TRÀ VINH")
    assert second[0].strip() == "2"
    # Times New Roman, or its metric twin Liberation Serif where Microsoft fonts are not installed.
    assert all(("Times" in f) or ("LiberationSerif" in f) for f in fonts), fonts
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
        )
        assert list(tmp_path.glob("p-*.png"))


# -- the report and its own checker agree -------------------------------------------------------


def _listed_by_writer(finding, report) -> bool:  # type: ignore[no-untyped-def]
    """A finding of `baocao check` the writer already listed: by its rule's name, or the name
    of one of the indicators the rule (or the flagged figure) is about."""
    from baocao.catalog.models import Indicator, ValidationRule
    from baocao.ingest.checking import _rule_codes

    listed = "\n".join(i.message for i in report.issues)
    rule = ValidationRule.objects.filter(code=finding.rule).first()
    if rule is not None and rule.name_vi in listed:
        return True
    codes = _rule_codes(rule) if rule is not None else [finding.message.split(" = ")[0]]
    names = Indicator.objects.filter(code__in=codes).values_list("name_vi", flat=True)
    return any(name in listed for name in names)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["2022", "2020Q1"])
@pytest.mark.parametrize("version", ["docx", "final_docx"])
def test_check_on_a_written_report_finds_nothing_the_writer_did_not_list(demo_reports, key, version) -> None:  # type: ignore[no-untyped-def]
    from baocao.ingest.checking import check_file

    demo = demo_reports[key]
    _, findings = check_file(getattr(demo, version))
    unlisted = [f.lines()[0] for f in findings if not _listed_by_writer(f, demo.report)]
    assert not unlisted
    # The rate the report stated (100%) disagrees with its parts: neither is written as a rate.
    assert not any("104,45%" in line for f in findings for line in f.lines()[1:])


def test_the_signing_version_has_no_placeholder_and_keeps_the_ending_together(demo_reports) -> None:  # type: ignore[no-untyped-def]
    document = docx.Document(demo_reports["2022"].final_docx)
    text = _all_text(document)
    assert "[chưa có" not in text and "[cần xem lại" not in text and "SỐ LIỆU CÒN THIẾU" not in text
    ending = next(t for t in document.tables if t.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:")
    assert ending.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    closing = ending._tbl.getprevious()
    assert closing.pPr.find(qn("w:keepNext")) is not None
    assert [p.text for p in ending.rows[0].cells[1].paragraphs if p.text][-1] == "Nguyễn Văn Chuẩn"
