"""The mapping interpreter on the shipped sample exports and on layouts that went wrong.

Pure: no database. Each shipped mapping reads its sample into the figures a clerk would
copy by hand, each with the cell it came from; a renamed column is an error naming it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from baocao.sources import samples
from baocao.sources.mapping import MappingError, find_period, fold, parse_mapping, read_export, read_number

DATA = Path(samples.__file__).with_name("data")


def shipped(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def by_code(reading) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {f.code: f for f in reading.figures}


def test_the_shipped_samples_are_the_ones_the_sample_builder_writes() -> None:
    # The committed files and the code that builds test variants must not drift apart.
    assert (DATA / "mot_cua_ho_so_quy_3_2024.csv").read_bytes() == samples.one_stop_csv()
    assert (DATA / "qlvb_thong_ke_quy_3_2024.json").read_bytes() == samples.documents_json()
    assert (DATA / "vnpt_thue_bao_bts_thang_10_2024.xlsx").stat().st_size > 4000


def test_enterprise_table_reads_the_month_from_the_title_and_revenue_in_millions() -> None:
    m = parse_mapping(shipped("vnpt_thue_bao_bts.yaml"))
    reading = read_export(m, (DATA / "vnpt_thue_bao_bts_thang_10_2024.xlsx").read_bytes(), "vnpt.xlsx")
    figures = by_code(reading)
    assert {f.period.code for f in reading.figures} == {"202410"}
    assert figures["vt.tb_di_dong.tra_truoc"].value == 389120
    assert figures["vt.tb_di_dong.tra_truoc"].where == "Trang 'TB_BTS', ô D11"
    assert figures["vt.tb_di_dong.tra_truoc"].label == "- Trả trước"
    assert figures["vt.tram_bts"].value == 512
    # "48.765,5 triệu đồng" in the unit column: stored in đồng
    assert figures["vt.doanh_thu"].value == Decimal("48765500000")
    # the shipped mapping leaves the 5G row out: reported with the lexicon's guess (5G stations are
    # their own, narrower indicator, never all BTS); headings are skipped
    assert [(u.label, u.where) for u in reading.unmapped] == [("Trạm phát sóng 5G", "Trang 'TB_BTS', ô B18")]
    assert reading.unmapped[0].suggestion == "vt.tram_5g"
    assert reading.ignored == 3  # I. Thuê bao điện thoại, II. Thuê bao Internet, III. Hạ tầng mạng


def test_one_stop_csv_two_row_header_and_vietnamese_numbers() -> None:
    m = parse_mapping(shipped("mot_cua_ho_so.yaml"))
    reading = read_export(m, samples.one_stop_csv(), "mot_cua.csv")
    figures = by_code(reading)
    assert figures["cntt.hoso.tiep_nhan"].value == 67057
    assert figures["cntt.hoso.tiep_nhan"].where == "dòng 15, cột D"
    assert figures["cntt.hoso.truc_tuyen"].value == 11430
    assert figures["cntt.hoso.ton"].value == 995  # "Đang giải quyết": a one-row header under a merged block
    assert figures["cntt.hoso.muc4.truc_tuyen"].value == 7912
    assert {f.period.code for f in reading.figures} == {"2024Q3"}
    assert len(reading.figures) == 11 and reading.unmapped == []
    assert reading.ignored == 7  # the procedures themselves, and level 2


def test_document_system_json_records_and_the_rate_with_a_decimal_comma() -> None:
    m = parse_mapping(shipped("qlvb_thong_ke.yaml"))
    reading = read_export(m, samples.documents_json(), "qlvb.json")
    figures = by_code(reading)
    assert figures["cntt.qlvb.vb_ky_so"].value == 18105
    assert figures["cntt.qlvb.vb_ky_so"].where == "$.tong_hop[2].so_luong"
    assert figures["cntt.qlvb.ty_le_ky_so"].value == Decimal("91.09")
    assert [u.label for u in reading.unmapped] == ["Hồ sơ công việc lập trên hệ thống"]


def test_a_renamed_column_is_a_clear_failure_naming_it() -> None:
    header = list(samples.ONE_STOP_HEADER_2)
    header[4] = "Qua mạng"  # the vendor renamed "Trực tuyến"
    m = parse_mapping(shipped("mot_cua_ho_so.yaml"))
    with pytest.raises(MappingError) as caught:
        read_export(m, samples.one_stop_csv(header_2=header), "mot_cua.csv")
    message = str(caught.value)
    assert "Không thấy cột 'Tiếp nhận / Trực tuyến'" in message
    assert "Tiếp nhận / Qua mạng" in message  # what the file has instead
    assert "dòng tiêu đề 5" in message


def test_a_missing_json_key_names_the_path() -> None:
    m = parse_mapping(shipped("qlvb_thong_ke.yaml"))
    with pytest.raises(MappingError, match=r"Không thấy 'tong_hop' \(danh sách bản ghi\)"):
        read_export(m, samples.documents_json(tong_hop=None) .replace(b'"tong_hop": null', b'"tong_ket": []'), "x.json")


def test_a_missing_sheet_lists_the_sheets_there_are() -> None:
    m = parse_mapping(shipped("vnpt_thue_bao_bts.yaml").replace("sheet: TB_BTS", "sheet: Thuê bao"))
    with pytest.raises(MappingError, match="Không thấy trang 'Thuê bao' trong tệp \\(có: TB_BTS\\)"):
        read_export(m, samples.enterprise_xlsx(), "vnpt.xlsx")


def test_a_value_that_is_not_a_number_is_an_unmapped_row_with_its_cell() -> None:
    rows = [list(r) for r in samples.ENTERPRISE_ROWS]
    rows[9][3] = "năm trăm"
    reading = read_export(parse_mapping(shipped("vnpt_thue_bao_bts.yaml")), samples.enterprise_xlsx(rows=rows), "x.xlsx")
    assert "vt.tram_bts" not in by_code(reading)
    assert ("Trang 'TB_BTS', ô D17", "'năm trăm' không phải là số") in [(u.where, u.reason) for u in reading.unmapped]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just text", "phải là một bảng khóa"),
        ("format: pdf\nlabels: {a: vt.tram_bts}", "format: 'pdf' không hỗ trợ"),
        ("labels: {Trạm BTS: vt.tram_bts}", "labels cần columns.label"),
        ("columns: {label: A, value: B}\nlabels: {Trạm: 'Trạm BTS'}", "'Trạm BTS' không phải là mã chỉ tiêu"),
        ("columns: {label: A, value: B}\nlabels: {Trạm: vt.tram_bts}\nscale: chục", "thang số 'chục' không hiểu"),
        ("columns: {label: A, value: B}\nlabels: {x: vt.tram_bts}\ncolour: red", "Khóa không biết trong bảng ánh xạ: colour"),
        ("columns: {label: A, value: B}\nlabels: {x: vt.tram_bts}\nperiod: {cell: 3A}", "không phải địa chỉ ô"),
        ("columns: {label: A, value: B\nlabels: {x: vt.tram_bts}", "không đọc được (dòng"),
        ("format: csv\nfields: {a.b: vt.tram_bts}", "fields (đường dẫn JSON) chỉ dùng với format: json"),
    ],
)
def test_a_wrong_mapping_says_what_and_where(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse_mapping(text)
    assert message in str(caught.value)


def test_numbers_in_english_style_and_a_global_scale() -> None:
    text = "Chỉ tiêu,Giá trị\nDoanh thu,\"1,234.5\"\nTrạm BTS,-\n"
    m = parse_mapping("format: csv\ndelimiter: ','\nnumbers: en\nscale: tỷ\nperiod: 2024\n"
                      "columns: {label: Chỉ tiêu, value: Giá trị}\n"
                      "labels: {Doanh thu: vt.doanh_thu, Trạm BTS: {code: vt.tram_bts, scale: 1}}")
    reading = read_export(m, text.encode(), "x.csv")
    assert [(f.code, f.value, f.period.code) for f in reading.figures] == [("vt.doanh_thu", Decimal("1234500000000"), "2024")]


def test_period_phrases_found_inside_titles() -> None:
    assert find_period("BÁO CÁO SỐ LIỆU THUÊ BAO THÁNG 10 NĂM 2024").code == "202410"  # type: ignore[union-attr]
    assert find_period("Kỳ thống kê: Quý III/2024 (từ 01/07)").code == "2024Q3"  # type: ignore[union-attr]
    assert find_period("2024-10").code == "202410"  # type: ignore[union-attr]
    assert find_period("6 tháng đầu năm 2024").code == "2024S1"  # type: ignore[union-attr]
    assert find_period("Bảng số liệu") is None


def test_labels_compare_without_bullets_case_or_spacing() -> None:
    assert fold("  - Trả  trước: ") == fold("trả trước") == "trả trước"
    assert fold("2. Thuê bao ADSL") == "thuê bao adsl"
    assert read_number("1.599", "vi") == 1599 and read_number("73,95", "vi") == Decimal("73.95")
    assert read_number("—", "vi") is None
    with pytest.raises(ValueError):
        read_number("12a", "vi")


def test_a_unit_column_with_the_sources_own_names_for_units() -> None:
    text = "Đơn vị;Chỉ tiêu;Số lượng;Kỳ\nTP Trà Vinh;Văn bản đi;120;T10/2024\nCàng Long;Văn bản đi;340;tháng 10/2024\n"
    m = parse_mapping("format: csv\ncolumns: {unit: Đơn vị, label: Chỉ tiêu, value: Số lượng, period: Kỳ}\n"
                      "labels: {Văn bản đi: cntt.qlvb.vb_di}\nunits: {TP Trà Vinh: D63-842}\n")  # fmt: skip
    reading = read_export(m, text.encode(), "x.csv")
    assert [(f.unit, f.period.code, f.value) for f in reading.figures] == [
        ("D63-842", "202410", 120), ("Càng Long", "202410", 340),
    ]  # fmt: skip
