"""The Excel round trip: download the entry template, fill it with openpyxl, upload it back;
uploads checked for type and size; a bad row stores nothing and is named."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from web_helpers import Y2021, client_for

from baocao.datavalues.entry_template import FIRST_ROW, HEADER_ROW
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import set_value

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_url(unit, period="2022", field="cntt"):  # type: ignore[no-untyped-def]
    return reverse("web:entry-section-template", kwargs={"unit": unit.code, "period": period, "field": field})


def upload_url(unit, period="2022", field="cntt"):  # type: ignore[no-untyped-def]
    return reverse("web:entry-section-upload", kwargs={"unit": unit.code, "period": period, "field": field})


def download(client, unit, period="2022"):  # type: ignore[no-untyped-def]
    response = client.get(template_url(unit, period))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def rows_by_code(sheet):  # type: ignore[no-untyped-def]
    return {sheet.cell(row=r, column=2).value: r for r in range(FIRST_ROW, sheet.max_row + 1)}


def as_upload(book, name="bieu-nhap.xlsx"):  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def value(unit, code, target=False):  # type: ignore[no-untyped-def]
    dv = DataValue.objects.filter(unit=unit, indicator__code=code, period="2022", is_target=target).first()
    return dv


def test_template_has_codes_names_units_last_period_and_locked_header(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2021, value=41722)
    book = download(client_for(people.entry), people.province)
    sheet = book.worksheets[0]
    assert sheet.title == "Nhập liệu"
    header = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, 10)]
    assert header[1] == "Mã chỉ tiêu" and header[3] == "Đơn vị tính" and "năm 2021" in header[4]
    rows = rows_by_code(sheet)
    row = rows["cntt.qlvb.vb_di"]
    assert sheet.cell(row=row, column=3).value.startswith("Văn bản điện tử đi")
    assert sheet.cell(row=row, column=4).value == "văn bản"
    assert sheet.cell(row=row, column=5).value == 41722
    assert sheet.protection.sheet is True
    assert sheet.cell(row=row, column=2).protection.locked is True
    assert sheet.cell(row=row, column=7).protection.locked is False
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert kinds == {"decimal", "list"}
    assert "Tỉnh Trà Vinh" in sheet["A2"].value and "năm 2022" in sheet["A2"].value


def test_filled_template_uploads_and_values_are_stored(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    book = download(client, people.province)
    sheet = book.worksheets[0]
    rows = rows_by_code(sheet)
    sheet.cell(row=rows["cntt.qlvb.vb_di"], column=7, value=1599)
    sheet.cell(row=rows["cntt.qlvb.vb_di"], column=6, value=2000)
    sheet.cell(row=rows["cntt.qlvb.ty_le_ky_so"], column=7, value="73,95")  # typed as text, Vietnamese style
    sheet.cell(row=rows["cntt.cts.tong"], column=7, value="2.597")
    sheet.cell(row=rows["cntt.cts.tong"], column=8, value="ước")
    sheet.cell(row=rows["cntt.cts.tong"], column=9, value="theo Ban Cơ yếu")
    response = client.post(upload_url(people.province), {"file": as_upload(book)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert value(people.province, "cntt.qlvb.vb_di").value == Decimal(1599)
    assert value(people.province, "cntt.qlvb.vb_di", target=True).value == Decimal(2000)
    assert value(people.province, "cntt.qlvb.ty_le_ky_so").value == Decimal("73.95")
    cts = value(people.province, "cntt.cts.tong")
    assert (cts.value, cts.qualifier, cts.comment, cts.source) == (Decimal(2597), "approx", "theo Ban Cơ yếu", "import")
    # Downloading again shows the stored figures, so the template doubles as the current state.
    again = rows_by_code(download(client, people.province).worksheets[0])
    assert download(client, people.province).worksheets[0].cell(row=again["cntt.qlvb.vb_di"], column=7).value == 1599


def test_a_bad_row_stores_nothing_and_the_row_number_is_shown(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    book = download(client, people.province)
    sheet = book.worksheets[0]
    rows = rows_by_code(sheet)
    sheet.cell(row=rows["cntt.qlvb.vb_di"], column=7, value=1599)
    bad = rows["cntt.cts.tong"]
    sheet.cell(row=bad, column=7, value="hai nghìn")
    sheet.cell(row=rows["cntt.cts.sim"], column=8, value="gần đúng")
    sheet.cell(row=rows["cntt.cts.sim"], column=7, value=10)
    response = client.post(upload_url(people.province), {"file": as_upload(book)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "không có số liệu nào được lưu" in html
    assert f"dòng {bad}, cột G (Chứng thư số chuyên dùng đang hoạt động)" in html and "hai nghìn" in html
    assert f"dòng {rows['cntt.cts.sim']}, cột H" in html
    assert not DataValue.objects.filter(unit=people.province).exists()


def test_template_of_another_unit_or_period_is_refused(people):  # type: ignore[no-untyped-def]
    client = client_for(people.superuser)
    book = download(client, people.province, "2021")
    sheet = book.worksheets[0]
    sheet.cell(row=rows_by_code(sheet)["cntt.qlvb.vb_di"], column=7, value=5)
    response = client.post(upload_url(people.province, "2022"), {"file": as_upload(book)})
    assert response.status_code == 400 and "biểu mẫu của đơn vị" in response.content.decode()
    assert not DataValue.objects.exists()


def test_csv_in_the_import_format_is_accepted_for_the_page_period(people):  # type: ignore[no-untyped-def]
    csv = "indicator,period,value,qualifier\ncntt.qlvb.vb_di,2022,\"1.599\",exact\ncntt.qlvb.vb_ky_so,2022,\"1.200\",exact\n"
    upload = SimpleUploadedFile("so-lieu.csv", csv.encode("utf-8"), content_type="text/csv")
    response = client_for(people.entry).post(upload_url(people.province), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert value(people.province, "cntt.qlvb.vb_di").value == Decimal(1599)
    wrong = "indicator,period,value\ncntt.qlvb.vb_di,2021,5\n"
    response = client_for(people.entry).post(
        upload_url(people.province), {"file": SimpleUploadedFile("k.csv", wrong.encode(), content_type="text/csv")}
    )
    assert response.status_code == 400 and "không phải kỳ đang nhập" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bieu.xlsx", b"MZ\x90\x00 this is a program", "không phải gói ZIP"),
        ("bieu.exe", b"MZ\x90\x00", "không được nhận"),
        ("bieu.docx", b"PK", "không phải tệp .docx"),
        ("so-lieu.csv", "chỉ tiêu;giá trị\n".encode("cp1258", errors="replace") + b"\xff\xfe", "UTF-8"),
        ("bieu.csv", b"PK\x03\x04\x00\x00binary", "nhị phân"),
    ],
)
def test_uploads_are_checked_by_extension_and_content(people, name, content, message):  # type: ignore[no-untyped-def]
    response = client_for(people.entry).post(upload_url(people.province), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_zip_that_is_not_a_workbook_or_has_macros_is_refused(people):  # type: ignore[no-untyped-def]
    for members, message in (({"a.txt": "x"}, "thiếu xl/workbook.xml"),
                             ({"xl/workbook.xml": "x"}, "thiếu [Content_Types].xml"),
                             ({"[Content_Types].xml": "x", "xl/workbook.xml": "x", "xl/vbaProject.bin": "x"}, "macro")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member, text in members.items():
                archive.writestr(member, text)
        upload = SimpleUploadedFile("bieu.xlsx", buffer.getvalue())
        response = client_for(people.entry).post(upload_url(people.province), {"file": upload})
        assert response.status_code == 400 and message in response.content.decode()


def test_uploads_larger_than_the_limit_are_refused(people, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("so-lieu.csv", b"indicator,period,value\n" + b"x" * 2000)
    response = client_for(people.entry).post(upload_url(people.province), {"file": upload})
    assert response.status_code == 400 and "tệp lớn quá" in response.content.decode()


def test_other_districts_template_and_upload_are_forbidden(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry_a)
    assert client.get(template_url(people.district_a)).status_code == 200
    assert client.get(template_url(people.district_b)).status_code == 403
    upload = SimpleUploadedFile("a.csv", b"indicator,period,value\ncntt.qlvb.vb_di,2022,5\n")
    assert client.post(upload_url(people.district_b), {"file": upload}).status_code == 403
    viewer = client_for(people.viewer)
    upload = SimpleUploadedFile("a.csv", b"indicator,period,value\ncntt.qlvb.vb_di,2022,5\n")
    assert viewer.post(upload_url(people.province), {"file": upload}).status_code == 403
    assert not DataValue.objects.exists()


def test_whole_period_template_covers_every_section(people):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-template", kwargs={"unit": people.province.code, "period": "2022"})
    book = load_workbook(io.BytesIO(client_for(people.viewer).get(url).content))
    codes = set(rows_by_code(book.worksheets[0]))
    assert {"vb.thammuu_ubnd.tong", "cntt.qlvb.vb_di", "vt.tb_di_dong.tong", "dan_so"} <= codes
