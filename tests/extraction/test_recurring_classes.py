"""Classes of error left after batches 27–28 that other provinces' texts are likely to repeat: each
case is a sentence written for the test, in the words many press texts and reports use."""

from __future__ import annotations

from typing import Any

import pytest

from baocao.extraction import extract_text


def _facts(sentence: str, period: str = "2024") -> set[tuple[Any, ...]]:
    result = extract_text(sentence, unit="Nghệ An", period=period)
    return {
        (f["indicator"], f["value"], (f["period"] or {}).get("year"), f["target"]) for f in result["facts"]
    }


@pytest.mark.parametrize(
    ("sentence", "period", "expected"),
    [
        # a part taken for the total: one level of government's dossiers are not the province's
        (
            "Trong tháng 5, các sở, ban, ngành tiếp nhận 6.100 hồ sơ, trong đó 5.400 hồ sơ trực tuyến, "
            "đạt tỷ lệ 88%; các huyện, thị xã, thành phố tiếp nhận 21.000 hồ sơ.",
            "202405",
            set(),
        ),
        (
            "Trong tháng 5, toàn tỉnh tiếp nhận 27.100 hồ sơ, trong đó 20.400 hồ sơ trực tuyến.",
            "202405",
            {("cntt.hoso.tiep_nhan", 27100, None, False), ("cntt.hoso.truc_tuyen", 20400, None, False)},
        ),
        # a ministry's figure in an article ranking ministries and provinces
        (
            "Trong khối bộ, ngành, Bộ Tư pháp dẫn đầu với tỷ lệ 79,6% hồ sơ trực tuyến toàn trình.",
            "2024",
            set(),
        ),
        # a rise from one figure to another: the start is an earlier year's, or none of the period
        (
            "Tỷ lệ văn bản trao đổi dưới dạng điện tử tăng từ 42% năm 2019 lên 98% năm 2024.",
            "2024",
            {
                ("cntt.qlvb.ty_le_vb_dien_tu", 42, 2019, False),
                ("cntt.qlvb.ty_le_vb_dien_tu", 98, None, False),
            },
        ),
        (
            "Tỷ lệ văn bản trao đổi dưới dạng điện tử tăng từ 42% lên 98%.",
            "2024",
            {("cntt.qlvb.ty_le_vb_dien_tu", 98, None, False)},
        ),
        # an earlier year opening a list speaks for the list's later clauses
        (
            "Đến cuối năm 2020 chỉ có 3.100/40.000 hồ sơ nộp trực tuyến mức 3; 800/2.500 hồ sơ nộp trực tuyến mức 4.",
            "2021",
            {
                ("cntt.hoso.muc3.truc_tuyen", 3100, 2020, False),
                ("cntt.hoso.muc3.tiep_nhan", 40000, 2020, False),
                ("cntt.hoso.muc4.truc_tuyen", 800, 2020, False),
                ("cntt.hoso.muc4.tiep_nhan", 2500, 2020, False),
            },
        ),
        # "chỉ tiêu X đạt N%" names the indicator and what it reached
        (
            "Tỷ lệ thanh toán trực tuyến đạt 91%; chỉ tiêu số hóa thành phần hồ sơ đạt 100%.",
            "202405",
            {("cntt.thanh_toan.ty_le", 91, None, False), ("cntt.so_hoa.ty_le_ho_so", 100, None, False)},
        ),
        # documents sent and received "trên môi trường số", "gửi - nhận"
        (
            "100% văn bản được gửi, nhận trên môi trường số.",
            "2025",
            {("cntt.qlvb.ty_le_vb_dien_tu", 100, None, False)},
        ),
        (
            "Tỷ lệ văn bản được gửi - nhận trên môi trường mạng đạt 97,2%.",
            "2025",
            {("cntt.qlvb.ty_le_vb_dien_tu", 97.2, None, False)},
        ),
        # a cumulative figure is no flow of the period: certificates revoked so far
        (
            "Đến nay đã cấp 4.100 chứng thư số cho cá nhân, tổ chức, đã thu hồi 230 chứng thư.",
            "2023",
            {("cntt.cts.luy_ke", 4100, None, False)},
        ),
        (
            "Trong năm cấp mới 410 chứng thư số, thu hồi 37 chứng thư số.",
            "2023",
            {("cntt.cts.cap_moi", 410, None, False), ("cntt.cts.thu_hoi", 37, None, False)},
        ),
        # a backlog named, then restated as in hand; in hand alone is no backlog
        (
            "Số hồ sơ còn tồn, đang giải quyết là 9.415 hồ sơ, trong đó 310 hồ sơ quá hạn.",
            "2022S1",
            {("cntt.hoso.ton", 9415, None, False)},
        ),
        ("Số hồ sơ đang giải quyết là 9.415 hồ sơ.", "2022S1", set()),
        # the plans among the documents issued, beside the decisions, are no goal
        (
            "Văn bản Sở ban hành: 1.540 (kế hoạch: 31; quyết định: 88).",
            "2023",
            {("vb.so_ban_hanh.tong", 1540, None, False), ("vb.so_ban_hanh.ke_hoach", 31, None, False),
             ("vb.so_ban_hanh.quyet_dinh", 88, None, False)},
        ),
        # the period's revocations beside the certificates in use now: "hiện có" is no running total
        (
            "Trong năm thu hồi 12 và cấp mới 35 chứng thư số, hiện có 640 chứng thư số đang sử dụng.",
            "2021",
            {("cntt.cts.thu_hoi", 12, None, False), ("cntt.cts.cap_moi", 35, None, False), ("cntt.cts.tong", 640, None, False)},
        ),
        # the two lowest levels written "mức độ 1,2" are no level-3 count
        (
            "Tỉnh cung cấp dịch vụ công mức độ 1,2 là 1.700 thủ tục, mức độ 3 là 640 thủ tục và mức độ 4 là 210 thủ tục.",
            "2019",
            {("cntt.dvc.muc3", 640, None, False), ("cntt.dvc.muc4", 210, None, False)},
        ),
        # a zero in words: "chưa có dịch vụ công mức 4"
        (
            "Đến nay tỉnh vẫn chưa có dịch vụ công trực tuyến mức độ 4.",
            "2016",
            {("cntt.dvc.muc4", 0, None, False)},
        ),
        # units beside persons are the organisations holding certificates
        (
            "Năm 2024 đã cấp chứng thư số cho 64 đơn vị và 910 cá nhân.",
            "2024",
            {("cntt.cts.to_chuc", 64, None, False), ("cntt.cts.ca_nhan", 910, None, False)},
        ),
        # the size of a leading group is no count
        ("Phấn đấu đến năm 2025 nằm trong nhóm 5 tỉnh dẫn đầu về chuyển đổi số.", "2022", set()),
        # what each of several units reached is not the province's figure
        (
            "Các đơn vị có tiếp nhận hồ sơ trực tuyến đều đạt tỷ lệ giải quyết đúng hạn 100% trong tháng.",
            "202403",
            set(),
        ),
        # dossiers in hand ("đang giải quyết") are no backlog
        (
            "Đã giải quyết 98.400 hồ sơ, đang giải quyết 6.210 hồ sơ.",
            "2025",
            {("cntt.hoso.da_giai_quyet", 98400, None, False)},
        ),
        ("Số hồ sơ tồn đọng là 310 hồ sơ.", "2025", {("cntt.hoso.ton", 310, None, False)}),
        # the whole after "trong tổng số" is no count of the share's kind
        (
            "Tỉnh xử lý trực tuyến toàn trình 61% trong tổng số 92.000 hồ sơ thủ tục hành chính.",
            "2024",
            set(),
        ),
        # a rise whose start has its year in parentheses
        (
            "Tỷ lệ hồ sơ nộp trực tuyến tăng từ 38% (năm 2022) lên 71%.",
            "2024",
            {
                ("cntt.hoso.ty_le_truc_tuyen", 38, 2022, False),
                ("cntt.hoso.ty_le_truc_tuyen", 71, None, False),
            },
        ),
        # a level at the end of an earlier year, and the present told after it
        (
            "Đến cuối năm 2022, toàn tỉnh có 1.120 trạm BTS; đến nay đã có 1.390 trạm BTS.",
            "2024",
            {("vt.tram_bts", 1120, 2022, False), ("vt.tram_bts", 1390, None, False)},
        ),
        (
            "Năm 2021 tỉnh có 1.050 trạm BTS, đến nay đã có 1.390 trạm BTS.",
            "2024",
            {("vt.tram_bts", 1050, 2021, False), ("vt.tram_bts", 1390, None, False)},
        ),
        # the goal given, then what was done: a result
        (
            "Chỉ tiêu giao là 55%, thực hiện đạt 63% hồ sơ trực tuyến.",
            "2024",
            {("cntt.hoso.ty_le_truc_tuyen", 63, None, False)},
        ),
        # a sum over several years, an average per day or month: no figure of the period
        ("Trong 4 năm qua, Thanh tra Sở đã tiến hành 86 cuộc thanh tra, kiểm tra.", "2024", set()),
        (
            "Sau 3 năm triển khai, toàn tỉnh đã có 1.450 Tổ công nghệ số cộng đồng.",
            "2024",
            {("cntt.cds.to_cong_nghe_so", 1450, None, False)},
        ),
        ("Mỗi ngày Trung tâm tiếp nhận khoảng 420 hồ sơ.", "2024", set()),
        (
            "Năm 2024 tiếp nhận 96.000 hồ sơ, bình quân mỗi tháng 8.000 hồ sơ.",
            "2024",
            {("cntt.hoso.tiep_nhan", 96000, None, False)},
        ),
        # a thousand billion written "nghìn tỷ"
        (
            "Doanh thu viễn thông năm 2024 đạt 1,35 nghìn tỷ đồng.",
            "2024",
            {("vt.doanh_thu", 1_350_000_000_000, None, False)},
        ),
        # a clause opening with a year still to come states a goal
        (
            "Đến năm 2030, kinh tế số chiếm 35% GRDP của tỉnh.",
            "2024",
            {("cntt.cds.kinh_te_so.ty_trong", 35, 2030, True)},
        ),
        (
            "Theo Kế hoạch, đến năm 2026 tỷ lệ thanh toán trực tuyến đạt 60%.",
            "2025",
            {("cntt.thanh_toan.ty_le", 60, 2026, True)},
        ),
        # the goal written beside the result it was passed by
        (
            "Tỷ lệ hồ sơ trực tuyến đạt 72%, vượt chỉ tiêu Nghị quyết đề ra là 65%.",
            "2024",
            {("cntt.hoso.ty_le_truc_tuyen", 72, None, False), ("cntt.hoso.ty_le_truc_tuyen", 65, None, True)},
        ),
        (
            "Năm 2024, tỷ lệ thanh toán trực tuyến đạt 52% (kế hoạch 45%).",
            "2024",
            {("cntt.thanh_toan.ty_le", 52, None, False), ("cntt.thanh_toan.ty_le", 45, None, True)},
        ),
        # one named district's figure, the country's figure: not the province's
        (
            "Toàn tỉnh có 1.310 trạm BTS; riêng huyện Kỳ Sơn có 52 trạm.",
            "2024",
            {("vt.tram_bts", 1310, None, False)},
        ),
        ("Cả nước hiện có 127 triệu thuê bao di động.", "2024", set()),
        (
            "Tỷ lệ hồ sơ trực tuyến của tỉnh đạt 58%, của cả nước đạt 46%.",
            "2024",
            {("cntt.hoso.ty_le_truc_tuyen", 58, None, False)},
        ),
        # a count from the new year in a report of part of the year: a first half, or no period
        (
            "Lũy kế từ đầu năm đến nay, toàn tỉnh tiếp nhận 51.000 hồ sơ.",
            "2024Q2",
            {("cntt.hoso.tiep_nhan", 51000, 2024, False)},
        ),
        (
            "Trong quý, tiếp nhận 17.000 hồ sơ; lũy kế từ đầu năm đến nay tiếp nhận 51.000 hồ sơ.",
            "2024Q3",
            {("cntt.hoso.tiep_nhan", 17000, None, False)},
        ),
        # "đạt tỷ lệ cao, bình quân đạt N%": the average of the rate named before the comma
        (
            "Tỷ lệ hồ sơ giải quyết đúng hạn đạt tỷ lệ rất cao, bình quân đạt 98,6%.",
            "2023",
            {("cntt.hoso.ty_le_dung_han", 98.6, None, False)},
        ),
        # what is said of the procedures after a comma is theirs
        (
            "Toàn tỉnh đang thực hiện 1.950 thủ tục hành chính, được công khai trên Cổng Dịch vụ công quốc gia.",
            "2025",
            {("cntt.dvc.quoc_gia.cong_khai", 1950, None, False)},
        ),
        # an earlier year set against the report's: "năm 2021 chỉ đạt …"
        (
            "Kinh tế số năm 2023 đóng góp 15% GRDP, trong khi đó, năm 2022 chỉ đạt mức đóng góp 11,2% GRDP.",
            "2023",
            {
                ("cntt.cds.kinh_te_so.ty_trong", 15, None, False),
                ("cntt.cds.kinh_te_so.ty_trong", 11.2, 2022, False),
            },
        ),
    ],
)
def test_recurring_classes(sentence: str, period: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(sentence, period) == expected
