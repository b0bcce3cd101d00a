"""A statistics table flattened into running text (a stored page's header and rows run together
on a line or two) reads as the tab table it was: each cell its column's indicator, its row's year."""

from __future__ import annotations

from typing import Any

from baocao.extraction import extract_text
from baocao.extraction.document import document_of
from baocao.extraction.flattables import Column, columns
from baocao.extraction.textview import build_view


def _facts(text: str, period: str = "2021") -> set[tuple[Any, ...]]:
    result = extract_text(text, unit="Quảng Trị", period=period)
    return {(f["indicator"], f["value"], (f["period"] or {}).get("year")) for f in result["facts"]}


# "Bảng 1": the table's number is no figure
ONE_LEVEL = (
    "Bảng 1: Thuê bao điện thoại trên địa bàn tỉnh giai đoạn 2019 - 2021\n"
    "Năm Thuê bao di động Thuê bao cố định Mật độ điện thoại di động (TB/100 dân) 2019 1.210.400 "
    "45.120 95,2 2020 1.254.300 41.800 98,1 2021 1.302.500 38.050 101,5\n"
    "(Nguồn: Sở Thông tin và Truyền thông)\n"
)


def test_a_flattened_table_with_one_header_row() -> None:
    assert _facts(ONE_LEVEL) == {
        ("vt.tb_di_dong.tong", 1210400, 2019),
        ("vt.tb_co_dinh", 45120, 2019),
        ("vt.mat_do_di_dong", 95.2, 2019),
        ("vt.tb_di_dong.tong", 1254300, 2020),
        ("vt.tb_co_dinh", 41800, 2020),
        ("vt.mat_do_di_dong", 98.1, 2020),
        ("vt.tb_di_dong.tong", 1302500, None),
        ("vt.tb_co_dinh", 38050, None),
        ("vt.mat_do_di_dong", 101.5, None),
    }


def test_the_view_of_a_flattened_table_is_a_tab_table_of_the_same_length() -> None:
    view = build_view(ONE_LEVEL)
    assert len(view.text) == len(ONE_LEVEL)
    lines = view.text.split("\n")
    assert lines[1].split("\t") == [
        "Năm",
        "Thuê bao di động",
        "Thuê bao cố định",
        "Mật độ điện thoại di động (TB/100 dân)",
    ]
    assert lines[2].split("\t") == ["2019", "1.210.400", "45.120", "95,2"]
    assert lines[4].split("\t") == ["2021", "1.302.500", "38.050", "101,5"]
    assert lines[5] == "(Nguồn: Sở Thông tin và Truyền thông)"
    (table,) = document_of(ONE_LEVEL).tables
    assert (len(table.rows), table.header_rows) == (4, 1)


# two header levels ("Thuê bao" and "Mật độ" each over "Cố định | Di động"), a total and a growth
# column standing alone; the first year has no growth; the header on its own line, a row broken;
# "ƣ" of an old PDF font for "ư" ("Tăng trƣởng")
TWO_LEVELS = (
    "Bảng 2. Số thuê bao điện thoại giai đoạn 2018 - 2021\n"
    "Đơn vị tính: thuê bao\n"
    "Năm Tổng số thuê bao Tăng trƣởng (%) Thuê bao Mật độ (TB/100 dân) Cố định Di động Cố định Di động\n"
    "2018 812.000 52.000 760.000 4,1 60,3 2019 861.000 106,03 48.000\n"
    "813.000 3,8 64,2 2020 905.500 105,17 44.500 861.000 3,5 67,6 2021 948.200 104,72 40.200 908.000 3,1 71,0\n"
)


def test_a_flattened_table_with_group_labels_over_sub_labels_and_a_short_first_row() -> None:
    facts = _facts(TWO_LEVELS)
    expected = set()
    rows = {
        2018: (812000, 52000, 760000, 4.1, 60.3),
        2019: (861000, 48000, 813000, 3.8, 64.2),
        2020: (905500, 44500, 861000, 3.5, 67.6),
        2021: (948200, 40200, 908000, 3.1, 71),
    }
    codes = (
        "vt.tb_dien_thoai.tong",
        "vt.tb_co_dinh",
        "vt.tb_di_dong.tong",
        "vt.mat_do_co_dinh",
        "vt.mat_do_di_dong",
    )
    for year, values in rows.items():
        expected |= {(code, v, None if year == 2021 else year) for code, v in zip(codes, values, strict=True)}
    assert facts == expected  # the growth column names no indicator: none of its cells is read


def test_the_columns_of_a_header_with_group_labels() -> None:
    labels = [
        "Năm",
        "Tổng số thuê bao",
        "Tăng trưởng (%)",
        "Thuê bao",
        "Mật độ",
        "Cố định",
        "Di động",
        "Cố định",
        "Di động",
    ]
    assert columns(labels, 7) == [
        Column(0),
        Column(1),
        Column(2),
        Column(5, 3),
        Column(6, 3),
        Column(7, 4),
        Column(8, 4),
    ]
    # the sub-labels differ under the groups, or which labels span is not clear: no columns
    assert columns([*labels[:7], "Trả trước", "Trả sau"], 7) is None
    assert (
        columns(["Năm", "Thuê bao", "Mật độ", "Doanh thu", "Cố định", "Di động", "Cố định", "Di động"], 6)
        is None
    )


def test_a_short_first_row_that_could_lack_either_of_two_columns_is_left_out() -> None:
    text = (
        "Bảng 3: Thuê bao di động\n"
        "Năm Thuê bao di động Tăng so với năm trước Mật độ (TB/100 dân) Chỉ số phát triển (%) "
        "2019 1.210.400 95,2 104,1 2020 1.254.300 43.900 98,1 103,6 2021 1.302.500 48.200 101,5 103,8\n"
    )
    assert _facts(text) == {
        ("vt.tb_di_dong.tong", 1254300, 2020),
        ("vt.mat_do_di_dong", 98.1, 2020),
        ("vt.tb_di_dong.tong", 1302500, None),
        ("vt.mat_do_di_dong", 101.5, None),
    }


def test_prose_with_years_and_numbers_is_no_table() -> None:
    prose = (
        "Số thuê bao di động qua các năm: 2019 1.210.400 thuê bao, 2020 1.254.300 thuê bao.\n"
        "Thuê bao di động các năm 2019 1.210.400 2020 1.254.300 2021 1.302.500 tăng đều.\n"
        "Năm 2019 1.210.400 thuê bao di động, năm 2020 1.254.300 và năm 2021 1.302.500.\n"
        "Năm Thuê bao di động Thuê bao cố định 2019 1.210.400 45.120 2020 1.254.300 2021 1.302.500 38.050\n"
        "Năm Thuê bao di động 2019 1.210.400 2020 1.254.300\n"
    )
    assert build_view(prose).text == prose


def test_a_title_on_the_header_line_years_going_down_and_quarters() -> None:
    down = (
        "Bảng 4: Thuê bao điện thoại Năm Thuê bao di động Thuê bao cố định 2021 1.302.500 38.050 "
        "2020 1.254.300 41.800 2019 1.210.400 45.120 Nguồn: Sở Thông tin và Truyền thông.\n"
    )
    assert build_view(down).text.split("\n")[:5] == [
        "Bảng 4: Thuê bao điện thoại",
        "Năm\tThuê bao di động\tThuê bao cố định",
        "2021\t1.302.500\t38.050",
        "2020\t1.254.300\t41.800",
        "2019\t1.210.400\t45.120",
    ]
    quarters = (
        "Quý Thuê bao di động Thuê bao cố định Quý I/2021 1.302.500 38.050 Quý II/2021 1.254.300 "
        "41.800 Quý III/2021 1.210.400 45.120\n"
    )
    result = extract_text(quarters, unit="Quảng Trị", period="2021")
    assert {(f["indicator"], f["value"], (f["period"] or {}).get("quarter")) for f in result["facts"]} == {
        ("vt.tb_di_dong.tong", 1302500, 1),
        ("vt.tb_co_dinh", 38050, 1),
        ("vt.tb_di_dong.tong", 1254300, 2),
        ("vt.tb_co_dinh", 41800, 2),
        ("vt.tb_di_dong.tong", 1210400, 3),
        ("vt.tb_co_dinh", 45120, 3),
    }


# a thesis quoting the Department's table, stored as running text: numbered rows, a unit column,
# the province's column then columns of its parts; a row broken over blank lines; "--" for none;
# a unit of two words
NUMBERED = (
    "Bảng 2.3. Một số chỉ tiêu chủ yếu về viễn thông tỉnh năm 2016 STT Chỉ tiêu Đơn vị Toàn tỉnh "
    "Miền núi Đồng bằng 1 Tổng đài chuyển mạch SL 21 -- -- 2 Số trạm thu phát sóng di\n\nđộng\n\n"
    "Trạm 1.104 640 464 3 Số lượng thuê bao Internet TB 61.250 20.110 41.140 4 Doanh thu viễn thông "
    "Tỷ đồng 820 300 520\n\n(Nguồn: Sở Thông tin và Truyền thông, 2016) Mạng lưới tiếp tục được nâng cấp.\n"
)


def test_a_flattened_table_of_numbered_rows_reads_its_province_column() -> None:
    assert _facts(NUMBERED, period="2016") == {
        ("vt.tram_bts", 1104, None),
        ("vt.tb_internet.tong", 61250, None),
        ("vt.doanh_thu", 820_000_000_000, None),
    }


def test_the_view_of_a_table_of_numbered_rows_is_a_tab_table_of_the_same_length() -> None:
    view = build_view(NUMBERED)
    assert len(view.text) == len(NUMBERED)
    lines = view.text.split("\n")
    assert lines[1].split("\t") == ["STT", "Chỉ tiêu", "Đơn vị", "Toàn tỉnh", "Miền núi", "Đồng bằng"]
    assert [c.strip() for c in lines[3].split("\t")] == ["2", "Số trạm thu phát sóng di  động", "Trạm", "1.104", "640", "464"]
    assert [c.strip() for c in lines[5].split("\t")] == ["4", "Doanh thu viễn thông", "Tỷ đồng", "820", "300", "520"]


# a bilingual yearbook's table copied from a web page with its spacing lost: the title in
# Vietnamese, a time stamp, the title in English, the unit; a header of year-end months and a
# spreadsheet's artefact line under it; rows a label then one figure per period, the thousands
# grouped by English commas; the districts' rows are no province's figure
YEARBOOK = (
    "Bưu chính, viễn thông\n\n"
    "88. Số thuê bao điện thoại trên địa bàn phân theo huyện, thị xã tại thời điểm 31/12/2012\n\n"
    "20/05/2013 09:30\n\n"
    " Number of telephone subscribers by district as of 31/12/2012\n\n"
    "  ĐVT: Thuê bao\n"
    "  12/2010 12/2011 12/2012\n"
    "  Dec-10 Jan-11 Feb-12\n"
    "TỔNG SỐ - TOTAL 52,310 58,742 63,005\n"
    "Thị xã Đông Hà - Dong Ha town            20,115      22,480 24,310\n"
    "Huyện Cam Lộ - Cam Lo district            3,204       3,512 3,790\n"
)


def test_a_yearbook_table_of_periods_with_english_thousands() -> None:
    assert _facts(YEARBOOK, period="2012") == {
        ("vt.tb_dien_thoai.tong", 52310, 2010),
        ("vt.tb_dien_thoai.tong", 58742, 2011),
        ("vt.tb_dien_thoai.tong", 63005, None),
    }


def test_the_view_of_a_yearbook_table_is_a_tab_table_of_the_same_length() -> None:
    view = build_view(YEARBOOK)
    assert len(view.text) == len(YEARBOOK)
    lines = view.text.split("\n")
    header = next(k for k, line in enumerate(lines) if "12/2010" in line)
    assert [c.strip() for c in lines[header].split("\t")] == ["", "12/2010", "12/2011", "12/2012"]
    assert not lines[header + 1].strip()  # the spreadsheet's month names, blanked
    assert [c.strip() for c in lines[header + 2].split("\t")] == ["TỔNG SỐ - TOTAL", "52.310", "58.742", "63.005"]


def test_vietnamese_grouping_or_a_decimal_comma_in_such_a_table_stays() -> None:
    text = "Bảng 3. Một số chỉ tiêu viễn thông\n  2010 2011 2012\nMật độ điện thoại (TB/100 dân) 12,5 13,1 14,02\n"
    assert _facts(text, period="2012") == {
        ("vt.mat_do_dien_thoai", 12.5, 2010),
        ("vt.mat_do_dien_thoai", 13.1, 2011),
        ("vt.mat_do_dien_thoai", 14.02, None),
    }


def test_a_header_of_years_alone_heads_a_tab_table() -> None:
    text = "Số thuê bao điện thoại trên địa bàn\n\t2018\t2019\t2020\nTổng số\t410.960\t499.750\t566.650\n"
    assert _facts(text, period="2020") == {
        ("vt.tb_dien_thoai.tong", 410960, 2018),
        ("vt.tb_dien_thoai.tong", 499750, 2019),
        ("vt.tb_dien_thoai.tong", 566650, None),
    }
