"""Press phrasings of the postal, telecom and online-service figures (classes of real batch 17):
each case is a sentence written for the test, in the words many reports use."""

from __future__ import annotations

from typing import Any

import pytest

from baocao.core.periods import Period
from baocao.extraction import extract_text

from .sentences import indicator_values as _facts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # text from a PDF in an old font writes "ƣ" for "ư"; the evidence stays as written
        (
            "Doanh thu bƣu chính đạt 50 tỷ đồng, có 40 bƣu cục.",
            {("bc.doanh_thu", 50_000_000_000), ("bc.diem_phuc_vu.buu_cuc", 40)},
        ),
        # the field after "về lĩnh vực" / "dịch vụ về"
        (
            "Hiện toàn tỉnh có 12 đơn vị hoạt động kinh doanh về lĩnh vực bưu chính và chuyển phát.",
            {("bc.doanh_nghiep", 12)},
        ),
        ("Trên địa bàn tỉnh có 3 doanh nghiệp cung cấp dịch vụ về bưu chính.", {("bc.doanh_nghiep", 3)}),
        # enterprises named by the operators they list
        (
            "Tỉnh có 6 nhà cung cấp dịch vụ gồm: Vinaphone, MobiFone, Viettel, Vietnamobile, Gtel và Sfone.",
            {("vt.doanh_nghiep", 6)},
        ),
        (
            "Trên địa bàn có 4 doanh nghiệp là Viettel, VNPT, MobiFone và Vietnamobile.",
            {("vt.doanh_nghiep", 4)},
        ),
        ("Trên địa bàn có 5 doanh nghiệp gồm Bưu điện tỉnh, Viettel Post, EMS.", {("bc.doanh_nghiep", 5)}),
        # "điểm bưu cục" are post offices; transaction points broken down into the postal network
        ("Mạng lưới điểm phục vụ bưu chính có 40 điểm bưu cục.", {("bc.diem_phuc_vu.buu_cuc", 40)}),
        (
            "Toàn tỉnh có 320 điểm giao dịch, trong đó 40 bưu cục, 280 điểm Bưu điện văn hóa xã.",
            {("bc.diem_phuc_vu.tong", 320), ("bc.diem_phuc_vu.buu_cuc", 40), ("bc.diem_phuc_vu.bdvhx", 280)},
        ),
        ("Mạng lưới có 200 điểm giao dịch của các nhà mạng.", set()),
        # a radius per post office is not the catalog's (per service point)
        ("Bán kính phục vụ bình quân đạt 3,1 km/1 điểm bưu cục.", set()),
        ("Bán kính phục vụ bình quân đạt 2,5 km/điểm phục vụ.", {("bc.ban_kinh_phuc_vu", 2.5)}),
        # the year's new subscribers are no total
        ("Số thuê bao điện thoại phát triển trong năm 45.000 thuê bao.", set()),
        # both kinds of online services together
        (
            "Tỉnh cung cấp 1.800 dịch vụ công trực tuyến toàn trình và một phần.",
            {("cntt.dvc.truc_tuyen", 1800)},
        ),
        ("Toàn tỉnh có 1.650 dịch vụ công trực tuyến một phần, toàn trình.", {("cntt.dvc.truc_tuyen", 1650)}),
        # the count restating the whole of a 100% share is its part too
        (
            "Tỉnh đã tích hợp 100% dịch vụ công trực tuyến toàn trình và một phần (1.200 dịch vụ) lên Cổng "
            "dịch vụ công quốc gia.",
            {
                ("cntt.dvc.quoc_gia.ty_le_tich_hop", 100),
                ("cntt.dvc.truc_tuyen", 1200),
                ("cntt.dvc.quoc_gia.tich_hop", 1200),
            },
        ),
        # what the head of a ward or commune says of his own unit is not the province's
        (
            "Chủ tịch UBND xã Hòa Phú, ông Lê Văn B cho biết: 100% hồ sơ của xã được giải quyết đúng hạn, "
            "không có hồ sơ tồn đọng.",
            set(),
        ),
        # the users of the document system named in the paragraph before ("Hệ thống")
        (
            "Hệ thống quản lý văn bản và điều hành của tỉnh (gọi tắt là Hệ thống) được nâng cấp năm 2020.\n\n"
            "Đến nay có 640 đơn vị tham gia sử dụng Hệ thống với hơn 5.300 người (Users) tham gia khai thác, sử dụng.",
            {("cntt.qlvb.co_quan.tong", 640), ("cntt.qlvb.nguoi_dung", 5300)},
        ),
        # "NSNN" is the state budget
        (
            "Doanh thu bưu chính đạt 310 tỷ đồng; ước nộp NSNN 24 tỷ đồng.",
            {("bc.doanh_thu", 310_000_000_000), ("bc.nop_ngan_sach", 24_000_000_000)},
        ),
        # a share of the eligible procedures, an abbreviation in brackets on the way
        ("Có 100% thủ tục hành chính (TTHC) đủ điều kiện được đưa lên trực tuyến mức độ 4.", set()),
        # certificates newly issued by type, the verb written once before the list
        ("Đã cấp mới 2.310 chữ ký số cá nhân, 45 chữ ký số tổ chức.", set()),
        ("Đã cấp mới 45 chữ ký số tổ chức, 2.310 chữ ký số cá nhân.", set()),
        (
            "Hiện có 8.400 chứng thư số cá nhân, 1.050 chứng thư số tổ chức.",
            {("cntt.cts.ca_nhan", 8400), ("cntt.cts.to_chuc", 1050)},
        ),
        # a pay-TV density is no count of pay-TV lines nor a telephone density
        (
            "Thuê bao điện thoại tăng 3% so với cùng kỳ; mật độ thuê bao truyền hình trả tiền đạt 9,2 "
            "thuê bao/100 dân.",
            set(),
        ),
        # every item of the Government's list of goals is the country's
        (
            "Theo Nghị quyết 17/NQ-CP, chỉ tiêu năm 2020 là tối thiểu 30% dịch vụ công mức độ 4; tích hợp "
            "30% dịch vụ công với Cổng dịch vụ công quốc gia.",
            set(),
        ),
        # goals listed for a phase of several years are no figure of the report
        (
            "Các huyện đã xác định mục tiêu giai đoạn 2026-2030 như: tối thiểu 90% hồ sơ được xử lý "
            "hoàn toàn trực tuyến; 100% văn bản được ký số.",
            set(),
        ),
        # a fraction of one written with an English decimal point
        ("Chỉ số DTI của tỉnh đạt 0.6512 điểm.", {("cntt.cds.dti.diem", 0.6512)}),
        # a part of a whole of six digits: the noun after the whole is the part's too; the whole is
        # all the level's dossiers
        (
            "Có 90.500/120.300 hồ sơ sử dụng dịch vụ công trực tuyến mức 3.",
            {("cntt.hoso.muc3.truc_tuyen", 90_500), ("cntt.hoso.muc3.tiep_nhan", 120_300)},
        ),
        # received documents "được nhận"; the signatures listed as the means of an electronic
        # share make no signed share
        (
            "Hệ thống quản lý văn bản và điều hành đã nhận trên 2 triệu văn bản: có 500.000 văn bản "
            "điện tử được gửi đi và 1,5 triệu văn bản điện tử được nhận. Có 95% văn bản được gửi "
            "dưới dạng điện tử như: sử dụng chữ ký số, chứng thư số.",
            {
                ("cntt.qlvb.vb_di", 500_000),
                ("cntt.qlvb.vb_den", 1_500_000),
                ("cntt.qlvb.ty_le_vb_dien_tu", 95),
            },
        ),
    ],
)
def test_press_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # those inspected named right after the verb (batch 19's class)
        (
            "Qua thanh tra 14 đại lý internet, đoàn đã phát hiện 5 đại lý vi phạm.",
            {("tt.doi_tuong", 14), ("tt.vi_pham", 5)},
        ),
        ("Sở đã tiến hành thanh tra 9 cơ sở in trên địa bàn tỉnh.", {("tt.doi_tuong", 9)}),
        # one field's part under its heading is no total of those inspected
        ("Về lĩnh vực bưu chính: tiến hành thanh tra 02 tổ chức hoạt động bưu chính.", set()),
        # a warning as the form of a sanction decision is a sanction, not a reminder
        (
            "Đoàn đã ra quyết định xử phạt vi phạm hành chính bằng hình thức cảnh cáo đối với 03 đại lý.",
            {("tt.xu_phat.so_vu", 3)},
        ),
        ("Đoàn đã nhắc nhở, cảnh cáo 7 cơ sở.", {("tt.nhac_nho", 7)}),
        # the whole of the inspections named by its parts after "trong đó"
        (
            "Năm qua, Thanh tra Sở tổ chức 06 cuộc, trong đó 04 cuộc thanh tra, 02 cuộc kiểm tra đột xuất.",
            {("tt.cuoc", 6)},
        ),
        (
            "Sở đã tổ chức 15 cuộc họp trực tuyến, kiểm tra kết nối thường xuyên.",
            {("cntt.hop_truc_tuyen.cuoc_hop", 15)},
        ),
        # enterprises inspected are no count of the province's enterprises
        (
            "Sở tiến hành thanh tra lĩnh vực bưu chính đối với 4 đơn vị và 2 doanh nghiệp viễn thông.",
            set(),
        ),
        (
            "Trên địa bàn có 7 doanh nghiệp viễn thông và 11 doanh nghiệp bưu chính.",
            {("vt.doanh_nghiep", 7), ("bc.doanh_nghiep", 11)},
        ),
        # the printing and distribution premises listed as parts of those inspected
        (
            "Sở đã thanh tra 15 cơ sở, gồm 6 cơ sở in và 9 cơ sở phát hành xuất bản phẩm.",
            {("tt.doi_tuong", 15)},
        ),
        (
            "Toàn tỉnh có 45 cơ sở in, 120 cơ sở phát hành xuất bản phẩm; Sở đã thanh tra 20 cơ sở.",
            {("xb.co_so_in", 45), ("xb.co_so_phat_hanh", 120), ("tt.doi_tuong", 20)},
        ),
        # two counts joined by "và" are parts of a whole the text does not write
        (
            "Thanh tra Sở đã thanh tra đối với 7 đơn vị và 2 doanh nghiệp; xử phạt 3 đơn vị và 1 đại lý.",
            set(),
        ),
        (
            "Sở đã thanh tra đối với 12 đơn vị và phát hiện 3 đơn vị vi phạm.",
            {("tt.doi_tuong", 12), ("tt.vi_pham", 3)},
        ),
        # premises named by a shortcoming an inspection found are no count of the province's
        ("Tuy nhiên, còn 02 cơ sở phát hành xuất bản phẩm không có tem chống giả.", set()),
        ("Hiện có 30 cơ sở in đang hoạt động, không có cơ sở nào vi phạm.", {("xb.co_so_in", 30)}),
        # agents inspected are no postal service points
        ("Thanh tra Sở đã tiến hành kiểm tra 18 đại lý trên địa bàn.", {("tt.doi_tuong", 18)}),
        (
            "Toàn tỉnh có 40 bưu cục và 150 đại lý bưu điện.",
            {("bc.diem_phuc_vu.buu_cuc", 40), ("bc.diem_phuc_vu.dai_ly", 150)},
        ),
    ],
)
def test_inspection_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an inspectorate's reporting year, twelve months to the same month of the next year
        ("Từ ngày 16/12/2020 đến ngày 15/12/2021, Thanh tra Sở tổ chức 9 cuộc thanh tra.", {("tt.cuoc", 9)}),
        ("Từ ngày 01/01/2021 đến ngày 31/12/2021, Thanh tra Sở tổ chức 9 cuộc thanh tra.", {("tt.cuoc", 9)}),
        # one month of the year is another span
        ("Từ ngày 01/5/2021 đến ngày 31/5/2021, Thanh tra Sở tổ chức 2 cuộc thanh tra.", set()),
    ],
)
def test_yearly_span_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    result = extract_text(sentence, unit="Nghệ An", period="2021")
    assert {(f["indicator"], f["value"]) for f in result["facts"]} == expected


def _dated_facts(sentence: str, period: str) -> set[tuple[Any, ...]]:
    result = extract_text(sentence, unit="Nghệ An", period=period)
    return {
        (
            f["indicator"],
            f["value"],
            (f["period"] or {}).get("year"),
            (f["period"] or {}).get("month"),
            f["target"],
        )
        for f in result["facts"]
    }


@pytest.mark.parametrize(
    ("sentence", "period", "expected"),
    [
        # the share after a count of dossiers resolved online is the rate resolved online …
        (
            "Số hồ sơ được giải quyết trực tuyến trong năm là hơn 41.200 hồ sơ (chiếm tỷ lệ hơn 12% tổng số hồ sơ).",
            "2023",
            {("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 12, None, None, False)},
        ),
        # … after a count of those filed online, the rate filed online
        (
            "Có 41.873 hồ sơ được tiếp nhận trực tuyến, chiếm 32,1% tổng số hồ sơ.",
            "2023",
            {
                ("cntt.hoso.truc_tuyen", 41873, None, None, False),
                ("cntt.hoso.ty_le_truc_tuyen", 32.1, None, None, False),
            },
        ),
        # what a system held when it was put into use, before the report's year, is that month's
        (
            "Cổng dịch vụ công của tỉnh chính thức vận hành từ tháng 10/2019 với 640 dịch vụ mức độ 3 và 4. "
            "Đến nay, Cổng có 905 dịch vụ công mức độ 3 và 4.",
            "2021",
            {("cntt.dvc.muc34", 640, 2019, 10, False), ("cntt.dvc.muc34", 905, None, None, False)},
        ),
        # the one-stop office's name holds no results: the dossiers are digitised
        (
            "Toàn tỉnh đã số hóa 92% hồ sơ thủ tục hành chính tại Bộ phận Tiếp nhận và Trả kết quả các cấp.",
            "2023",
            {("cntt.so_hoa.ty_le_ho_so", 92, None, None, False)},
        ),
        (
            "Tỷ lệ số hóa kết quả giải quyết thủ tục hành chính đạt 71%.",
            "2023",
            {("cntt.so_hoa.ty_le_ket_qua", 71, None, None, False)},
        ),
        # the index's full title names the year of the rank
        (
            "Theo Báo cáo Chỉ số đánh giá chuyển đổi số (DTI) của các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ "
            "và các tỉnh, thành phố trực thuộc Trung ương năm 2021, tỉnh xếp vị trí 17/63 tỉnh, thành phố.",
            "2022",
            {("cntt.cds.dti.xep_hang", 17, 2021, None, False)},
        ),
        (
            "Kết quả Chỉ số đánh giá chuyển đổi số của các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và các "
            "tỉnh, thành phố trực thuộc Trung ương năm 2023 cho thấy tỉnh xếp vị trí 30/63.",
            "2024",
            {("cntt.cds.dti.xep_hang", 30, 2023, None, False)},
        ),
        # procedures offered online before Nghị định 42/2022 (levels 1 to 4) are all the online
        # services; from its series on, the procedures offered online of the decree
        (
            "Hiện nay, tỉnh có 1.310 thủ tục hành chính đã được cung cấp trực tuyến.",
            "2019",
            {("cntt.dvc.tong", 1310, None, None, False)},
        ),
        (
            "Hiện nay, tỉnh có 1.310 thủ tục hành chính đã được cung cấp trực tuyến.",
            "2024",
            {("cntt.dvc.truc_tuyen", 1310, None, None, False)},
        ),
    ],
)
def test_press_phrasing_with_its_period(sentence: str, period: str, expected: set[tuple[Any, ...]]) -> None:
    assert _dated_facts(sentence, period) == expected


@pytest.mark.parametrize(
    ("text", "period"),
    [
        # a resolution cited by its number alone dates the text after its day
        (
            "Theo ông Giám đốc Sở, Nghị quyết 57-NQ/TW của Bộ Chính trị mở ra cơ hội; toàn tỉnh có 5.400 trạm BTS.",
            "2025",
        ),
        # a year's plan carried on is the year under way, whatever earlier day the text names
        (
            "Trung tâm điều hành vận hành từ cuối 2022. Thời gian tới, tỉnh tiếp tục đẩy mạnh chuyển đổi số, "
            "triển khai Kế hoạch năm 2023. Toàn tỉnh có 1.900 trạm BTS.",
            "2023",
        ),
        # a January conference on the year's tasks that looks back still reviews the year before
        (
            "Triển khai kế hoạch năm 2023\n\nNăm 2022 là năm nhiều khó khăn; toàn tỉnh có 1.900 trạm BTS.",
            "2022",
        ),
        # a yearless month the text counts up to narrows the year found
        (
            "Tỉnh tiếp tục thực hiện Kế hoạch chuyển đổi số năm 2024.\n\nĐến tháng 4, toàn tỉnh có 1.900 trạm BTS.",
            "202404",
        ),
        (
            "Tỉnh tiếp tục thực hiện Kế hoạch chuyển đổi số năm 2024.\n\nTính đến hết tháng 6, toàn tỉnh có 1.900 trạm BTS.",
            "2024S1",
        ),
        # the months of the year a text counts up to: the quarter that ends nine, a month otherwise
        (
            "Sở vừa báo cáo kết quả chuyển đổi số đến hết tháng 9/2022: toàn tỉnh có 1.900 trạm BTS, "
            "theo Quyết định số 12/QĐ-UBND ngày 5/8/2022.",
            "2022Q3",
        ),
        (
            "Đến tháng 7/2010, toàn tỉnh có 1,1 triệu thuê bao di động, vượt quy hoạch năm 2010; "
            "doanh thu năm 2009 và quý I/2010 đạt 90 tỷ đồng.",
            "201007",
        ),
        # the stock told on the day of an event is that month's; a commune's public-service centre
        # dates a text after 1/7/2025
        ("(Cổng TTĐT tỉnh) - Ngày 18/5/2017, Sở tổ chức hội nghị về in. Tỉnh hiện có 9 cơ sở in.", "201705"),
        ("Tại Trung tâm Phục vụ hành chính công xã Tân Lập, có 1.900 hồ sơ trực tuyến.", "2025"),
        # a headline on a year's results tells that year, above the next year's plan in its body
        (
            "Bình Định: Kết quả kiểm tra đại lý Internet năm 2011\n\nĐoàn kiểm tra 45 đại lý, xử phạt 12 "
            "đại lý. Thanh tra Sở xây dựng kế hoạch kiểm tra năm 2012.",
            "2011",
        ),
        # a study of the state of a phase tells its last year, not the year its solutions aim at
        (
            "Đề tài đánh giá thực trạng phát triển mạng lưới điểm phục vụ bưu chính của tỉnh giai đoạn "
            "2019 - 2021 và đề xuất giải pháp đến năm 2030. Toàn tỉnh có 150 điểm phục vụ.",
            "2021",
        ),
        # the field's name since Nghị quyết 57-NQ/TW, shortened, dates an undated text after 12/2024
        (
            "(PTO) - Tỉnh ủy kiện toàn Ban Chỉ đạo phát triển KHCN, ĐMST và CĐS. Đến nay, có 1.200 thủ "
            "tục hành chính được cung cấp trực tuyến toàn trình.",
            "2025",
        ),
        # "Theo đó, trong năm 2012 …" on a page of the year after tells 2012's results
        (
            "Cập nhật ngày: 20/03/2013 - 08:15\n\nTheo đó, trong năm 2012 số thuê bao Internet tăng 35%. "
            "Mật độ điện thoại đạt 95 thuê bao/100 dân.",
            "2012",
        ),
        # the DTI of a year given as a past result, then the state now: the year after
        (
            "Năm 2023, tỉnh vươn lên xếp thứ 21 về Chỉ số chuyển đổi số cấp tỉnh (DTI). Đến nay, 95% "
            "hộ gia đình có cáp quang.",
            "2024",
        ),
        (
            "Sau ba năm, xếp hạng chuyển đổi số của tỉnh tăng 12 bậc: năm 2022 xếp thứ 40, năm 2023 xếp "
            "thứ 28. Hiện nay, toàn tỉnh có 1.500 trạm BTS.",
            "2024",
        ),
        # … and without the state now, the ranking's own year
        (
            "Năm 2023, tỉnh xếp thứ 21 về Chỉ số chuyển đổi số cấp tỉnh (DTI), tăng 9 bậc so với năm 2022.",
            "2023",
        ),
        # a stock reached, told in the past, opening its sentence: that year (no goal)
        (
            "Ngành bưu điện có nhiều tiến bộ. Đến năm 2004 cả tỉnh đã có 12.800 máy điện thoại cố định.",
            "2004",
        ),
        # a January document whose issue opens the text dates it that day or after: no look back
        # on the year before, no month of the issue
        (
            "Ngày 14/1/2021, UBND tỉnh đã ban hành Quyết định số 35/QĐ-UBND về chuyển đổi số.\n\nĐến nay, "
            "toàn tỉnh có 1.200 trạm BTS, 95% xã có cáp quang.",
            "2021",
        ),
        # … in another month that issue is the text's news, of its month
        (
            "Ngày 15/6/2023, UBND tỉnh ban hành Quyết định số 900/QĐ-UBND giao Sở quản lý cổng "
            "thông tin.\n\nCổng có 120 chuyên mục.",
            "202306",
        ),
        # a span from the year's first day to a day inside it, written with dots: that year
        (
            "Từ ngày 1.1.2020 đến 12.6.2020, Trung tâm đã tiếp nhận 1.250 hồ sơ, giải quyết 1.203 hồ sơ.",
            "2020",
        ),
        # a goal's year named as the aim of the work told is not the year told (none is)
        (
            "Hiện thực hóa mục tiêu phủ sóng mọi thôn, bản vào năm 2024, các doanh nghiệp đã lắp 120 "
            "trạm BTS. Ngày 20/9/2023, Sở tổ chức hội nghị về hạ tầng số.",
            "202309",
        ),
        # a span of years gone by opening its sentence: its last year, not the year after the one
        # it compares with
        (
            "Từ năm 2016-2020, tỉnh đã cung cấp 1.200 dịch vụ công trực tuyến; chỉ số PCI tăng 8 bậc so "
            "với năm 2016.",
            "2020",
        ),
    ],
)
def test_report_period_of_a_press_text(text: str, period: str) -> None:
    found = extract_text(text)["period"]
    assert found is not None and Period.from_dict(found).code == period


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # documents sent out on the national axis; sent and received together have no code
        (
            "Trong năm, các cơ quan có 52.300 văn bản đi được gửi trên trục liên thông văn bản quốc gia.",
            {("cntt.qlvb.vb_lien_thong", 52_300)},
        ),
        (
            "Hệ thống quản lý văn bản đã có 48.120 văn bản đi được phát hành trên trục liên thông Quốc gia.",
            {("cntt.qlvb.vb_lien_thong", 48_120)},
        ),
        ("Có 96.000 văn bản điện tử được gửi, nhận qua trục liên thông văn bản quốc gia.", set()),
        ("Hệ thống quản lý văn bản có 15.400 văn bản đi.", {("cntt.qlvb.vb_di", 15_400)}),
        # a range is no one value: both its ends are left out
        ("Tỷ lệ hồ sơ nộp trực tuyến giữ ở mức 85 - 88%.", set()),
        (
            "Tỷ lệ hồ sơ nộp trực tuyến đạt 88% - cao nhất từ trước tới nay.",
            {("cntt.hoso.ty_le_truc_tuyen", 88)},
        ),
        # the mean of the provinces is no figure of the province; its own value after it is
        (
            "Theo công bố Chỉ số chuyển đổi số năm 2023, giá trị trung bình DTI cấp tỉnh là 0,6012, "
            "trong đó tỉnh Nghệ An đạt 0,6235.",
            {("cntt.cds.dti.diem", 0.6235)},
        ),
        (
            "Tỷ lệ hồ sơ trực tuyến đạt 61% (trung bình cả nước đạt 47%).",
            {("cntt.hoso.ty_le_truc_tuyen", 61)},
        ),
        # a wired technology named alone: its subscribers a part of the Internet's, its density none
        (
            "Toàn tỉnh có 1,2 triệu thuê bao di động; hơn 35.000 thuê bao ADSL, đạt 3,9 thuê bao/ 100 dân.",
            {("vt.tb_di_dong.tong", 1_200_000), ("vt.tb_internet.adsl", 35_000)},
        ),
        # a change from the plan, whatever word rounds it, and by how much a result passed the plan
        (
            "Có 2,4 triệu thuê bao di động, tăng hơn 1 triệu thuê bao so với năm trước.",
            {("vt.tb_di_dong.tong", 2_400_000)},
        ),
        ("Toàn tỉnh có 950 trạm BTS (cao hơn quy hoạch đến năm 2025 là 120 trạm).", {("vt.tram_bts", 950)}),
        # one figure for two periods together is their sum
        ("Doanh thu viễn thông năm 2023 và quý I/2024 đạt khoảng 310 tỷ đồng.", set()),
        ("Doanh thu viễn thông quý IV và năm 2024 đạt 310 tỷ đồng.", {("vt.doanh_thu", 310_000_000_000)}),
        # the enterprises of one fixed service are a part the text does not total
        (
            "Tỉnh có 4 doanh nghiệp cung cấp dịch vụ viễn thông cố định, 6 doanh nghiệp cung cấp dịch vụ "
            "truyền hình trả tiền.",
            set(),
        ),
        ("Tỉnh có 5 doanh nghiệp cung cấp dịch vụ viễn thông.", {("vt.doanh_nghiep", 5)}),
        # certificates given to the offices are no documents signed
        ("Sở đã cấp chữ ký số chuyên dùng cho 100% các sở, ngành và UBND cấp huyện.", set()),
        ("Tỷ lệ văn bản đi được ký số đạt 100%.", {("cntt.qlvb.ty_le_ky_so", 100)}),
        # public mailboxes alone are a part of the catalog's agents and mailboxes
        (
            "Toàn tỉnh có 38 bưu cục, 51 điểm bưu điện văn hóa xã và 22 thùng thư công cộng.",
            {("bc.diem_phuc_vu.buu_cuc", 38), ("bc.diem_phuc_vu.bdvhx", 51)},
        ),
        (
            "Mạng lưới gồm 38 bưu cục và 64 đại lý, thùng thư công cộng.",
            {("bc.diem_phuc_vu.buu_cuc", 38), ("bc.diem_phuc_vu.dai_ly", 64)},
        ),
        # the licences the premises held now hold are of all the years, no licences of the period
        (
            "Hiện tại trên địa bàn tỉnh có 10 cơ sở in được cấp phép hoạt động, trong đó Sở đã cấp 07 "
            "giấy phép hoạt động in.",
            {("xb.co_so_in", 10)},
        ),
        ("Trong năm, Sở đã cấp 07 giấy phép hoạt động in.", {("xb.gp_hoat_dong_in", 7)}),
    ],
)
def test_batch21_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 21, in sentences written for the test."""
    assert _facts(sentence) == expected


def _read(text: str, period: str) -> set[tuple[Any, ...]]:
    result = extract_text(text, unit="Nghệ An", period=period)
    return {
        (f["indicator"], f["value"], f["period"]["year"] if f["period"] else None, f["target"])
        for f in result["facts"]
    }


def test_an_aside_holding_its_own_figure_gives_no_later_figure_its_goal_or_period() -> None:
    text = (
        "Với hơn 5.000 km cáp quang (dự kiến trong năm 2024, doanh nghiệp sẽ ngầm hóa 40 km cáp), "
        "khoảng 150 tuyến cáp treo và 1.250 trạm thu, phát sóng thông tin di động."
    )
    assert _read(text, "202405") == {("vt.tram_bts", 1250, None, False)}


def test_a_figure_in_a_parenthesis_after_or_opening_with_a_plan_of_a_year_is_its_target() -> None:
    text = (
        "Đến tháng 6/2015, toàn tỉnh có 1,8 triệu thuê bao di động, tăng hơn 600 nghìn thuê bao so với "
        "quy hoạch năm 2015 (1.203.500 thuê bao)."
    )
    assert _read(text, "201506") == {
        ("vt.tb_di_dong.tong", 1_800_000, None, False),
        ("vt.tb_di_dong.tong", 1_203_500, 2015, True),
    }
    text = "Mật độ điện thoại di động đạt 98 thuê bao/100 dân (quy hoạch năm 2015 là 90 thuê bao/100 dân)."
    assert _read(text, "2014") == {
        ("vt.mat_do_di_dong", 98, None, False),
        ("vt.mat_do_di_dong", 90, 2015, True),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a press text shortens "trạm thu phát sóng di động" to "trạm TPSDD"
        ("Toàn tỉnh hiện có 420 trạm TPSDD của các nhà mạng.", {("vt.tram_bts", 420)}),
        # "Internet" typed wrong or spelt the Vietnamese way names the Internet still
        ("Thuê bao intenet đạt 12,5 thuê bao/100 dân.", {("vt.mat_do_internet", 12.5)}),
        ("Mật độ thuê bao in-tơ-nét đạt 20,1 thuê bao/100 dân.", {("vt.mat_do_internet", 20.1)}),
        # a part counts the word after its whole: villages, no enterprises
        ("Các doanh nghiệp viễn thông đã phủ sóng được 120/150 thôn.", set()),
        # the index named in an earlier sentence of the paragraph ranks the province
        (
            "Bộ Thông tin và Truyền thông đã công bố kết quả đánh giá mức độ chuyển đổi số cấp tỉnh. "
            "Theo đó, tỉnh xếp hạng thứ 21, tăng 5 bậc.",
            {("cntt.cds.dti.xep_hang", 21)},
        ),
        # a warning is a sanction too: the fines beside the warnings are no count of the sanctions
        (
            "Đoàn kiểm tra phát hiện 40 trường hợp vi phạm, phạt cảnh cáo 12 trường hợp và phạt tiền "
            "20 trường hợp với số tiền 55 triệu đồng.",
            {("tt.vi_pham", 40), ("tt.xu_phat.tien", 55_000_000)},
        ),
        (
            "Thanh tra Sở phạt tiền 20 trường hợp, phạt cảnh cáo 12 trường hợp.",
            set(),
        ),
        ("Thanh tra Sở đã xử phạt vi phạm hành chính 20 trường hợp.", {("tt.xu_phat.so_vu", 20)}),
        # lines installed and the parts of new lines are new ones, no subscribers held
        (
            "Từ đầu năm, các doanh nghiệp đã phát triển mới được 50.000 thuê bao điện thoại, trong đó có "
            "8.000 thuê bao cố định và 42.000 thuê bao di động; lắp đặt được 6.000 thuê bao Internet.",
            set(),
        ),
        # a breakdown of a stock holds its parts
        (
            "Toàn tỉnh có 1.200.000 thuê bao điện thoại, trong đó có 40.000 thuê bao cố định.",
            {("vt.tb_dien_thoai.tong", 1_200_000), ("vt.tb_co_dinh", 40_000)},
        ),
    ],
)
def test_batch22_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 22, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_the_year_of_the_index_named_by_its_full_title_or_opening_the_sentence() -> None:
    text = (
        "Theo báo cáo chỉ số đánh giá chuyển đổi số của các bộ, cơ quan ngang bộ và các tỉnh, thành phố "
        "trực thuộc Trung ương năm 2023, chỉ số DTI của tỉnh đạt 0,6123 điểm, xếp thứ 18/63."
    )
    assert _read(text, "2024") == {
        ("cntt.cds.dti.diem", 0.6123, 2023, False),
        ("cntt.cds.dti.xep_hang", 18, 2023, False),
    }
    text = "Từ năm 2021, chỉ số đánh giá chuyển đổi số của tỉnh đạt giá trị 0,4512 và xếp thứ 20 trong cả nước."
    assert _read(text, "2023") == {
        ("cntt.cds.dti.diem", 0.4512, 2021, False),
        ("cntt.cds.dti.xep_hang", 20, 2021, False),
    }


def test_what_an_earlier_year_had_beside_the_level_now_is_that_years() -> None:
    text = "Năm 2010 toàn tỉnh chỉ có 320 trạm BTS, đến nay đã phát triển đến 1.400 trạm."
    assert _read(text, "201608") == {("vt.tram_bts", 320, 2010, False), ("vt.tram_bts", 1400, None, False)}


def test_a_headline_figure_is_the_bodys_rounded_and_a_result_equal_to_a_goal_states_the_goal() -> None:
    text = (
        "Tỉnh đạt mật độ điện thoại 38 máy/100 dân\n\n"
        "Đến giữa năm 2009, tỉnh đạt mật độ điện thoại 38,4 máy/100 dân, bằng chỉ tiêu mà Sở đặt ra "
        "cho cả năm 2009, góp phần sớm đạt chỉ tiêu 42 máy/100 dân mà Chính phủ đã phê duyệt cho năm 2010."
    )
    assert _read(text, "2009S1") == {
        ("vt.mat_do_dien_thoai", 38.4, None, False),
        ("vt.mat_do_dien_thoai", 38.4, 2009, True),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a share of people or offices holding or using signatures is no share of signed documents
        ("Tỷ lệ người dân có chữ ký số đạt 40%.", set()),
        ("Phấn đấu tỷ lệ dân số trưởng thành sở hữu chữ ký số trên 60%.", set()),
        ("Tỷ lệ sử dụng chữ ký số chuyên dùng đạt 95%.", set()),
        ("Có 100% các cơ quan, đơn vị của tỉnh gửi văn bản điện tử có ký số.", set()),
        # … but the signed documents' share stays
        ("Có 97% văn bản đi được ký số.", {("cntt.qlvb.ty_le_ky_so", 97)}),
        # the province's shared databases; "cơ sở" names no department
        (
            "Tỉnh hiện có 4 cơ sở dữ liệu dùng chung gồm đất đai, dân cư, doanh nghiệp và văn bản.",
            {("cntt.cds.csdl_dung_chung", 4)},
        ),
        ("Tỉnh đã kết nối với 8 cơ sở dữ liệu quốc gia.", set()),
        # the rate right after the count of online dossiers is their share
        (
            "Trung tâm đã tiếp nhận 12.000 hồ sơ, trong đó có 9.000 hồ sơ trực tuyến, đạt 75%.",
            {("cntt.hoso.tiep_nhan", 12_000), ("cntt.hoso.truc_tuyen", 9_000), ("cntt.hoso.ty_le_truc_tuyen", 75)},
        ),
        # "đúng, trước hạn" is one phrase; a number of the sentence before owns no words before "và"
        (
            "Trung tâm đã tiếp nhận 12.000 hồ sơ, đạt 80%. Tỷ lệ giải quyết hồ sơ và trả kết quả đúng, "
            "trước hạn đạt 98,5%.",
            {("cntt.hoso.tiep_nhan", 12_000), ("cntt.hoso.ty_le_dung_han", 98.5)},
        ),
    ],
)
def test_batch23_phrasing(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 23, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_an_index_published_in_a_year_ranks_the_year_before() -> None:
    text = "Theo kết quả chỉ số DTI được công bố vào tháng 4/2024, tỉnh xếp thứ 30/63 tỉnh, thành phố."
    assert _read(text, "2024S1") == {("cntt.cds.dti.xep_hang", 30, 2023, False)}


def test_a_pillar_of_the_index_ranks_no_province() -> None:
    text = "Chỉ số DTI năm 2023 của tỉnh xếp thứ 20/63; trong đó nhận thức số xếp hạng 3/63, thể chế số xếp hạng 9/63."
    assert _read(text, "2024") == {("cntt.cds.dti.xep_hang", 20, 2023, False)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the document exchange system is the QLVB: its offices by level and its accounts
        (
            "Hệ thống gửi nhận văn bản điện tử đã triển khai tại 20 đơn vị cấp sở, 95 đơn vị hành chính "
            "cấp xã, với 12.400 tài khoản người dùng.",
            {
                ("cntt.qlvb.co_quan.cap_tinh", 20),
                ("cntt.qlvb.co_quan.cap_xa", 95),
                ("cntt.qlvb.nguoi_dung", 12_400),
            },
        ),
        # a number followed by "dân" is the population; "trên 1.000 dân" is a rate's base
        (
            "Mật độ điện thoại (cả cố định và di động) tính trên tổng số 1,3 triệu dân của tỉnh đạt 120 máy/100 dân.",
            {("dan_so", 1_300_000), ("vt.mat_do_dien_thoai", 120)},
        ),
        ("Tỷ lệ người dân có chữ ký số đạt 30%; số doanh nghiệp công nghệ số trên 1.000 dân tăng 5 doanh nghiệp.", set()),
        ("Số người dùng Internet đạt 6,1 người/100 dân.", set()),
        # postal, telecom and Internet revenue together is the postal and telecom revenue
        (
            "Năm 2024, doanh thu dịch vụ bưu chính, viễn thông, Internet ước đạt 4.200 tỷ đồng.",
            {("vt.doanh_thu_bcvt", 4_200_000_000_000)},
        ),
        # research works accepted are S&T tasks accepted
        (
            "Số công trình nghiên cứu khoa học cấp tỉnh được nghiệm thu là 9 công trình.",
            {("khcn.nhiem_vu.nghiem_thu", 9)},
        ),
    ],
)
def test_batch23_second_round(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes left in real batch 23 after its first round, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_a_meeting_on_a_quarter_and_the_next_reports_the_first() -> None:
    text = (
        "Ngày 6/10, Ban Chỉ đạo họp đánh giá tình hình thực hiện nhiệm vụ chuyển đổi số trong quý III "
        "và triển khai công tác quý IV/2024. Toàn tỉnh tiếp nhận 40.000 hồ sơ."
    )
    found = extract_text(text)["period"]
    assert found is not None and Period.from_dict(found).code == "2024Q3"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # both kinds of telephone line together are the telephone total
        ("Tỉnh có 1,2 triệu thuê bao điện thoại di động và cố định.", {("vt.tb_dien_thoai.tong", 1_200_000)}),
        # the agencies' sites a portal integrates are its component pages
        (
            "Cổng thông tin điện tử của tỉnh đã tích hợp 85 trang thông tin điện tử của các sở, ngành.",
            {("cntt.cong_ttdt.trang_thanh_phan", 85)},
        ),
        # officials trained in digital skills, the skill named after them; a course for officials is IT training
        (
            "Mở 3 lớp tập huấn ứng dụng công nghệ thông tin, kỹ năng số cho 120 cán bộ, công chức.",
            {("cntt.dao_tao.lop", 3), ("cntt.dao_tao.hoc_vien", 120)},
        ),
        ("Có 1.500 cán bộ, công chức được tập huấn về kỹ năng số.", {("cntt.cds.ky_nang_so.hoc_vien", 1_500)}),
        (
            "Mở 4 lớp tập huấn về chuyển đổi số cho 200 cán bộ, công chức.",
            {("cntt.dao_tao.lop", 4), ("cntt.dao_tao.hoc_vien", 200)},
        ),
        # the enterprises an inspection was of are not those in the province
        ("Lĩnh vực bưu chính 02 cuộc đối với 03 doanh nghiệp kinh doanh dịch vụ bưu chính.", set()),
        ("Trên địa bàn tỉnh có 03 doanh nghiệp kinh doanh dịch vụ bưu chính.", {("bc.doanh_nghiep", 3)}),
        # "sếp hạng" typed for "xếp hạng"
        ("Chỉ số sếp hạng chuyển đổi số (DTI) của tỉnh xếp thứ 20/63 tỉnh, thành phố.", {("cntt.cds.dti.xep_hang", 20)}),
    ],
)
def test_batch24_classes(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 24, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_each_listed_year_gives_its_own_rank() -> None:
    text = "Về chỉ số chuyển đổi số, năm 2021 tỉnh xếp thứ 40. Năm 2022 xếp thứ 31, năm 2023 xếp thứ 25."
    facts = extract_text(text, unit="Nghệ An", period="2024")["facts"]
    got = {(f["value"], Period.from_dict(f["period"]).code if f["period"] else None) for f in facts}
    assert got == {(40, "2021"), (31, "2022"), (25, "2023")}


def test_a_series_not_yet_in_the_catalog_is_not_read_in_an_earlier_year() -> None:
    sentence = "Toàn tỉnh có 30 dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến."
    later = extract_text(sentence, unit="Nghệ An", period="2023")["facts"]
    assert {(f["indicator"], f["value"]) for f in later} == {("cntt.dvc.co_phat_sinh", 30)}
    # Nghị định 42/2022's series does not exist in 2020; the old level series keep their codes after
    assert extract_text(sentence, unit="Nghệ An", period="2020")["facts"] == []


def test_online_dossiers_of_both_levels_are_all_online_dossiers() -> None:
    both = "Trong năm tiếp nhận 12.000 hồ sơ trực tuyến mức độ 3, mức độ 4."
    assert _facts(both) == {("cntt.hoso.truc_tuyen", 12_000)}
    # the rate of those levels is of their dossiers only, not the share of all dossiers
    assert _facts("Tỷ lệ hồ sơ tiếp nhận trực tuyến mức độ 3, 4 đạt 55%.") == set()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the joint rate of levels 3 and 4 once Nghị định 42/2022 is in force: all online services
        (
            "Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4 của tỉnh đạt 72,4%.",
            {("cntt.dvc.ty_le_tthc_truc_tuyen", 72.4)},
        ),
        # one direction of the documents exchanged is no share of electronic documents
        ("Tỷ lệ nhận văn bản điện tử đạt 97%, tỷ lệ gửi văn bản điện tử là 31%.", set()),
        ("Tỷ lệ văn bản điện tử trên tổng số văn bản phát hành là 88%.", {("cntt.qlvb.ty_le_vb_dien_tu", 88)}),
        (
            "100% văn bản của các cơ quan được gửi nhận trên môi trường điện tử.",
            {("cntt.qlvb.ty_le_vb_dien_tu", 100)},
        ),
        # the number of a level of government named in a parenthesis counts nothing
        (
            "100% các sở, ngành, UBND quận, huyện (cấp 3) đã gửi, nhận văn bản điện tử trên hệ thống quản lý văn bản.",
            set(),
        ),
        # one sector's dossiers are no share of the province's
        ("Số hồ sơ đăng ký doanh nghiệp qua mạng chiếm 72% tổng số hồ sơ.", set()),
        # a share of procedures with payments is no rate of dossiers paid online; the rest of a split
        # naming nothing is neither part
        ("Tỷ lệ TTHC có giao dịch thanh toán trực tuyến đạt 55,2%.", set()),
        (
            "Có 48% TTHC cung cấp dịch vụ công trực tuyến toàn trình, 20% TTHC một phần, còn lại 32%.",
            {("cntt.dvc.ty_le_toan_trinh", 48), ("cntt.dvc.ty_le_mot_phan", 20)},
        ),
        # a level after another share is that share's; a fraction after ", bằng" restates the share
        (
            "Có 48% TTHC cung cấp dịch vụ công trực tuyến toàn trình, tỷ lệ hồ sơ nộp trực tuyến đạt 61%, "
            "bằng 30.500/50.000 hồ sơ.",
            {
                ("cntt.dvc.ty_le_toan_trinh", 48),
                ("cntt.hoso.ty_le_truc_tuyen", 61),
                ("cntt.hoso.truc_tuyen", 30_500),
                ("cntt.hoso.tiep_nhan", 50_000),
            },
        ),
        # the Government's threshold a province met, its own value in the parenthesis
        (
            "Hoàn thành cung cấp trên 30% dịch vụ công trực tuyến mức độ 4 theo Nghị quyết số 17/NQ-CP "
            "ngày 07/3/2019 của Chính phủ (đạt 41,2%).",
            {("cntt.dvc.ty_le_muc4", 41.2)},
        ),
        # a clause telling what is there now counts the certificates issued so far
        (
            "Hệ thống thư điện tử hiện có 6.000 hộp thư, đã cấp 2.150 chữ ký số cho tổ chức và cá nhân.",
            {("cntt.email.tong", 6_000), ("cntt.cts.luy_ke", 2_150)},
        ),
        # the telecom-and-Internet sector names no one service's density
        ("Lĩnh vực viễn thông, Internet của tỉnh đạt 110 thuê bao/100 dân.", set()),
        ("Mật độ thuê bao Internet của tỉnh đạt 25 thuê bao/100 dân.", {("vt.mat_do_internet", 25)}),
        # the density written as a share of its base; a plan's completion in % is no density
        ("Số thuê bao Internet cố định trên 100 dân đạt tỷ lệ 22%.", {("vt.mat_do_internet", 22)}),
        ("Chỉ tiêu về mật độ thuê bao điện thoại đạt 101,5% kế hoạch.", set()),
    ],
)
def test_batch25_classes(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 25, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_indicators_short_of_their_goals_list_what_they_reached() -> None:
    text = "Một số chỉ tiêu chưa đạt như: tỷ lệ hồ sơ giải quyết trực tuyến đạt 31,5%."
    assert _read(text, "2023") == {("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 31.5, None, False)}


def test_the_year_an_index_came_out_is_not_the_year_it_ranks() -> None:
    text = (
        "Năm 2023, Bộ Thông tin và Truyền thông công bố xếp hạng chỉ số đánh giá chuyển đổi số của các "
        "bộ, ngành và các tỉnh, thành phố, tỉnh đứng thứ 18/63 tỉnh, thành phố."
    )
    assert _read(text, "2023") == {("cntt.cds.dti.xep_hang", 18, 2022, False)}
    titled = (
        "Năm 2023, Ủy ban công bố xếp hạng Chỉ số đánh giá chuyển đổi số - DTI của các bộ, cơ quan ngang bộ "
        "và các tỉnh, thành phố trực thuộc Trung ương năm 2022 và tỉnh đứng thứ 18/63 tỉnh, thành phố."
    )
    assert _read(titled, "2023") == {("cntt.cds.dti.xep_hang", 18, 2022, False)}


def test_goals_of_a_list_a_paragraph_and_the_paragraphs_before() -> None:
    # a figure of a year still to come, named right after it
    assert _read("Tỉnh muốn kinh tế số chiếm 12% cơ cấu kinh tế vào năm 2025.", "2021") == {
        ("cntt.cds.kinh_te_so.ty_trong", 12, 2025, True)
    }
    # the later sentences of a paragraph that opens with a goal of a year
    plan = (
        "Theo kế hoạch, mục tiêu đến năm 2025 có 100% dân số được phủ sóng 4G. "
        "Tỷ lệ người dùng có điện thoại di động thông minh đạt 95%."
    )
    assert _read(plan, "2021") == {("vt.ty_le_smartphone", 95, 2025, True)}
    # a goal with no year, a paragraph after the goal year was set
    later = "Phấn đấu đến năm 2030, tỉnh hoàn thành chuyển đổi số.\nTỉnh phấn đấu kinh tế số chiếm 25% GRDP."
    assert _read(later, "2022") == {("cntt.cds.kinh_te_so.ty_trong", 25, 2030, True)}
    # a list of goals opened in the paragraph before
    listed = (
        "Ngày 05/12/2022, UBND tỉnh ban hành Kế hoạch ứng dụng công nghệ thông tin năm 2023 với những mục "
        "tiêu cụ thể sau:\nPhấn đấu 100% hồ sơ được xử lý trên hệ thống. 95% tỷ lệ văn bản trao đổi giữa "
        "các cơ quan dưới dạng điện tử."
    )
    assert _read(listed, "2023") == {("cntt.qlvb.ty_le_vb_dien_tu", 95, None, True)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the one-stop system "in its modern form" by level of government
        (
            "Đến nay, 12 sở, ngành, 6 huyện, thị xã và 40 xã, phường, thị trấn đã áp dụng hệ thống một cửa "
            "liên thông hiện đại.",
            {
                ("cntt.mcdt.don_vi.cap_tinh", 12),
                ("cntt.mcdt.don_vi.cap_huyen", 6),
                ("cntt.mcdt.don_vi.cap_xa", 40),
            },
        ),
        # a bare one-stop desk is no electronic system
        ("Có 9 huyện đã kiện toàn bộ phận một cửa.", set()),
        # documents handled in electronic form, and dossiers handled online at every step
        (
            "Có 98% văn bản được xử lý trên môi trường mạng (trừ văn bản mật).",
            {("cntt.qlvb.ty_le_vb_dien_tu", 98)},
        ),
        ("Có 90% hồ sơ công việc được xử lý trên môi trường mạng.", set()),
        (
            "Có 88% hồ sơ giải quyết thủ tục hành chính được tiếp nhận, xử lý, ký số và trả kết quả hoàn "
            "toàn trên môi trường mạng.",
            {("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 88)},
        ),
        # the postal agents beside the network's radius; "N số điểm" counts the points, "N số thuê bao"
        # are subscriber numbers
        (
            "Mạng bưu chính hiện có 35 bưu cục, 210 số điểm đại lý với bán kính phục vụ bình quân là 2,4 km.",
            {
                ("bc.diem_phuc_vu.buu_cuc", 35),
                ("bc.diem_phuc_vu.dai_ly", 210),
                ("bc.ban_kinh_phuc_vu", 2.4),
            },
        ),
        ("Tạm ngừng cung cấp dịch vụ đối với 240 số thuê bao vi phạm.", set()),
        # the measure of the clause before still governs a clause it elides
        (
            "Bán kính phục vụ bình quân 2,8 km/điểm; khu vực nông thôn 3,6 km/điểm.",
            {("bc.ban_kinh_phuc_vu", 2.8), ("bc.ban_kinh_phuc_vu.nong_thon", 3.6)},
        ),
        # the index's value beside its rank; ranked "về mức độ chuyển đổi số"
        (
            "Tỉnh xếp vị trí 24/63 với tổng điểm là 0,5012 điểm, các trụ cột đều tăng.",
            set(),  # no index named here or in the paragraph before
        ),
    ],
)
def test_batch26_classes(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    """Classes of real batch 26, in sentences written for the test."""
    assert _facts(sentence) == expected


def test_the_index_value_beside_its_rank_under_a_paragraph_on_the_index() -> None:
    text = (
        "Bộ đã công bố chỉ số đánh giá chuyển đổi số (DTI) của các địa phương năm 2022.\n\n"
        "Tỉnh xếp vị trí 24/63 với tổng điểm là 0,5012 điểm."
    )
    assert _read(text, "2022") == {("cntt.cds.dti.xep_hang", 24, None, False), ("cntt.cds.dti.diem", 0.5012, None, False)}
    ranked = "Tỉnh xếp thứ 9/34 tỉnh, thành phố về mức độ chuyển đổi số năm 2024, đạt 0,6511 điểm."
    assert _read(ranked, "2024") == {("cntt.cds.dti.xep_hang", 9, None, False), ("cntt.cds.dti.diem", 0.6511, None, False)}
    # the day the rank came out is no year it ranks
    day = (
        "Theo công bố tại Ngày Chuyển đổi số quốc gia năm 2025, tỉnh xếp thứ 9/34 tỉnh, thành phố về mức "
        "độ chuyển đổi số năm 2024."
    )
    assert _read(day, "2024") == {("cntt.cds.dti.xep_hang", 9, None, False)}


def test_the_index_value_written_with_a_stray_percent_sign_is_flagged() -> None:
    result = extract_text("Chỉ số chuyển đổi số cấp tỉnh đạt 0,64%.", unit="Nghệ An", period="2024")
    assert [(f["indicator"], f["value"], f["flag"]) for f in result["facts"]] == [
        ("cntt.cds.dti.diem", 0.64, "implausible")
    ]
    # a share of 64% is no index value
    assert _read("Chỉ số chuyển đổi số cấp tỉnh đạt 64%.", "2024") == set()


def test_a_year_opening_the_sentence_speaks_for_its_later_clauses() -> None:
    text = (
        "Năm 2022, tỉnh đứng thứ ba cả nước về cấp căn cước; chỉ số chuyển đổi số cấp tỉnh (DTI) xếp thứ "
        "41/63 tỉnh, thành phố."
    )
    assert _read(text, "2023") == {("cntt.cds.dti.xep_hang", 41, 2022, False)}


def test_a_year_right_after_the_goal_is_its_own_whatever_year_opens_the_sentence() -> None:
    text = "Riêng năm 2009, mạng di động sẽ phủ sóng toàn tỉnh để đạt 900.000 thuê bao vào năm 2012."
    assert _read(text, "2008") == {("vt.tb_di_dong.tong", 900_000, 2012, True)}


def test_the_main_indicators_met_their_plans_so_what_follows_is_reached() -> None:
    text = "Các chỉ tiêu chủ yếu đều đạt và vượt kế hoạch, trong đó kinh tế số chiếm 17% GRDP."
    assert _read(text, "2025") == {("cntt.cds.kinh_te_so.ty_trong", 17, None, False)}


def test_a_course_on_a_digital_platform_is_it_training() -> None:
    text = (
        "Sở phối hợp với doanh nghiệp tổ chức chương trình học trên nền tảng số quốc gia.\n\n"
        "Tỉnh đã tổ chức 12 lớp học trực tiếp cho khoảng 900 cán bộ, công chức. Có 850 học viên hoàn "
        "thành, chiếm 94%."
    )
    assert _read(text, "2023") == {("cntt.dao_tao.lop", 12, None, False), ("cntt.dao_tao.hoc_vien", 900, None, False)}
