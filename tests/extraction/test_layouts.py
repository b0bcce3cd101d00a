"""Small layouts of other provinces: each test pins one rule the held-out reports needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from baocao.extraction import extract_file, extract_text
from baocao.extraction.readers import _Line, _render_pdf
from baocao.extraction.textview import build_view

HEAD = "UBND TỈNH BẮC NINH\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nBÁO CÁO\n"


def _facts(text: str) -> set[tuple[Any, ...]]:
    result = extract_text(text)
    return {
        (f["indicator"], f["value"], tuple(sorted((f["period"] or {}).items())), f["target"])
        for f in result["facts"]
    }


def test_markdown_pipe_table_reads_like_a_tab_table() -> None:
    text = (
        HEAD + "Kết quả 6 tháng đầu năm 2023\nI. CHỈ TIÊU\n"
        "| STT | Chỉ tiêu | Đơn vị tính | Thực hiện 6 tháng 2023 | Cùng kỳ 2022 | So sánh (%) |\n"
        "|---|---|---|---|---|---|\n"
        "| 1 | Doanh thu viễn thông | Tỷ đồng | 2.145 | 2.086 | 102,8 |\n"
        "| 2 | Tỷ lệ văn bản đi được ký số | % | 98,2 | 96,5 | - |\n"
    )
    h1_2022 = (("half", 1), ("type", "half"), ("year", 2022))
    assert _facts(text) == {
        ("vt.doanh_thu", 2145000000000, (), False),
        ("vt.doanh_thu", 2086000000000, h1_2022, False),
        ("cntt.qlvb.ty_le_ky_so", 98.2, (), False),
        ("cntt.qlvb.ty_le_ky_so", 96.5, h1_2022, False),
    }


def test_part_heading_with_title_on_the_next_line_makes_targets() -> None:
    text = (
        HEAD + "Tổng kết năm 2023\nPhần thứ nhất\nKẾT QUẢ NĂM 2023\nA. VIỄN THÔNG\n"
        "- Doanh thu viễn thông đạt 2.460 tỷ đồng (năm 2022 là 2.310 tỷ đồng).\n"
        "Phần thứ hai\nPHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024\nI. CÁC CHỈ TIÊU CHỦ YẾU\n"
        "- Tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 50%.\n"
    )
    assert _facts(text) == {
        ("vt.doanh_thu", 2460000000000, (), False),
        ("vt.doanh_thu", 2310000000000, (("type", "year"), ("year", 2022)), False),
        ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 50, (("type", "year"), ("year", 2024)), True),
    }


def test_a_long_numbered_item_is_the_sibling_of_the_heading_before_it() -> None:
    text = (
        HEAD + "Kết quả năm 2023\nI. KẾT QUẢ\n3. Ứng dụng công nghệ thông tin\n"
        "- Tổ chức 05 lớp tập huấn kỹ năng số cho 430 cán bộ, công chức cấp xã.\n"
        "4. Thông tin cơ sở: Hỗ trợ đầu tư đài truyền thanh không dây cho 16 xã; tổ chức 02 lớp tập huấn "
        "cho 156 lượt học viên.\n"
    )
    facts = _facts(text)
    assert ("ttcs.dai_khong_day_dau_tu", 16, (), False) in facts
    assert ("ttcs.tap_huan.luot", 156, (), False) in facts
    assert ("cntt.dao_tao.hoc_vien", 156, (), False) not in facts


def test_zero_for_each_kind_of_petition_listed() -> None:
    text = HEAD + "Kết quả năm 2023\nI. THANH TRA\n- Tiếp nhận đơn khiếu nại, tố cáo: Không có.\n"
    assert _facts(text) == {("tt.don.khieu_nai", 0, (), False), ("tt.don.to_cao", 0, (), False)}


def test_the_whole_of_a_ratio_is_not_the_count() -> None:
    text = (
        HEAD
        + "Kết quả năm 2021\nI. THÔNG TIN CƠ SỞ\n- 119/143 đài truyền thanh cấp xã tự sản xuất chương trình.\n"
    )
    assert _facts(text) == {("ttcs.tram_tu_san_xuat", 119, (), False)}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a month inside a yearly report keeps its month
        (
            "Tháng 12/2023 tiếp nhận 31.200 hồ sơ.",
            {("cntt.hoso.tiep_nhan", 31200, (("month", 12), ("type", "month"), ("year", 2023)), False)},
        ),
        # a cumulative span no period type names is left out
        ("Lũy kế 9 tháng, doanh thu viễn thông đạt 740 tỷ đồng.", set()),
        # "toàn trình" services are not "mức độ 4": since 2022 they have their own code
        ("Cung cấp 1.052 dịch vụ công trực tuyến toàn trình.", {("cntt.dvc.toan_trinh", 1052, (), False)}),
        # 5G stations are narrower than all BTS stations; two fields' enterprises are neither's
        ("Toàn tỉnh có 1.200 trạm phát sóng 5G.", {("vt.tram_5g", 1200, (), False)}),
        ("Toàn tỉnh có 15 doanh nghiệp bưu chính viễn thông.", set()),
        ("Toàn tỉnh có 13 doanh nghiệp bưu chính.", {("bc.doanh_nghiep", 13, (), False)}),
        # a fine paid into the budget is no enterprise's budget payment
        ("Xử lý vi phạm hành chính nộp ngân sách 31 triệu đồng.", {("tt.xu_phat.tien", 31000000, (), False)}),
        # a note's number glued to a word ("năm 2022(2)") is no figure compared with that year
        (
            "Mạng bưu chính có 350 điểm phục vụ, tăng 40 điểm so với năm 2022(2).",
            {("bc.diem_phuc_vu.tong", 350, (), False)},
        ),
        # a stock told in round figures first, then exactly: the exact one
        (
            "Toàn tỉnh có hơn 1.500 trạm BTS; tính đến cuối năm, có 1.538 trạm BTS đang hoạt động.",
            {("vt.tram_bts", 1538, (), False)},
        ),
        # the value of the index, not of one of its pillars
        (
            "Chỉ số DTI của tỉnh có giá trị 0,5812; DTI về kinh tế số đạt 0,4120.",
            {("cntt.cds.dti.diem", 0.5812, (), False)},
        ),
        # the province's DTI rank; a year named with the rank is its own
        ("Chỉ số DTI của tỉnh xếp thứ 21/63 tỉnh, thành phố.", {("cntt.cds.dti.xep_hang", 21, (), False)}),
        (
            "Về chuyển đổi số, tỉnh đứng thứ 4 cả nước năm 2021 theo chỉ số DTI.",
            {("cntt.cds.dti.xep_hang", 4, (("type", "year"), ("year", 2021)), False)},
        ),
        # a pillar's rank, another index's, a district's are not the province's DTI rank
        ("Chỉ số DTI về xã hội số của tỉnh xếp thứ 8/63.", set()),
        (
            "Chỉ số PAR Index của tỉnh xếp thứ 17, SIPAS đứng thứ 9, chỉ số DTI xếp thứ 30.",
            {("cntt.cds.dti.xep_hang", 30, (), False)},
        ),
        ("Thị xã B xếp thứ 2 trong bảng xếp hạng chuyển đổi số cấp huyện.", set()),
        # the digital economy's share of the province's product; a goal is a target
        (
            "Kinh tế số chiếm 12,4% GRDP của tỉnh; phấn đấu tỷ trọng kinh tế số trong GRDP đạt 25%.",
            {("cntt.cds.kinh_te_so.ty_trong", 12.4, (), False), ("cntt.cds.kinh_te_so.ty_trong", 25, (("type", "year"), ("year", 2024)), True)},
        ),
        # dossiers resolved on time, the province's; one level's is not
        (
            "Có 96,4% hồ sơ được giải quyết trước và đúng hạn; tỷ lệ hồ sơ giải quyết đúng hạn cấp xã đạt 91%.",
            {("cntt.hoso.ty_le_dung_han", 96.4, (), False)},
        ),
        (
            "Thành lập 1.520 tổ công nghệ số cộng đồng với 7.600 thành viên.",
            {
                ("cntt.cds.to_cong_nghe_so", 1520, (), False),
                ("cntt.cds.thanh_vien_to_cnscd", 7600, (), False),
            },
        ),
        # the unit after the figure repeats the thing named before it
        ("Tổng số điểm phục vụ bưu chính của tỉnh hiện là 187 điểm.", {("bc.diem_phuc_vu.tong", 187, (), False)}),
        ("Mạng lưới gồm 312 điểm cung cấp các dịch vụ bưu chính.", {("bc.diem_phuc_vu.tong", 312, (), False)}),
        # the sector a sentence opens with owns its bare enterprises; without one they are nobody's
        ("Lĩnh vực bưu chính, toàn tỉnh có 17 doanh nghiệp đang hoạt động.", {("bc.doanh_nghiep", 17, (), False)}),
        ("Về viễn thông, địa bàn hiện có 8 doanh nghiệp hoạt động.", {("vt.doanh_nghiep", 8, (), False)}),
        ("Năm qua có 45 doanh nghiệp tham gia hội chợ.", set()),
        # the dossiers asked to be resolved are those received; the ones resolved are not
        ("Cả năm có 41.205 hồ sơ đề nghị giải quyết thủ tục hành chính.", {("cntt.hoso.tiep_nhan", 41205, (), False)}),
        ("Đã giải quyết 3.400 hồ sơ yêu cầu giải quyết.", {("cntt.hoso.da_giai_quyet", 3400, (), False)}),
        # certificates of persons and organisations together are the whole, of no type
        (
            "Đến nay đã cấp 2.140 chứng thư số của cá nhân, tổ chức trong tỉnh, trong đó cá nhân 1.500 chứng thư.",
            {("cntt.cts.luy_ke", 2140, (), False), ("cntt.cts.ca_nhan", 1500, (), False)},
        ),
        # connected to the national portal is integrated there
        (
            "Hiện có 1.420 dịch vụ công được kết nối Cổng Dịch vụ công quốc gia.",
            {("cntt.dvc.quoc_gia.tich_hop", 1420, (), False)},
        ),
        # the 2025 name of the same teams
        (
            "Toàn tỉnh đã có 860 tổ chuyển đổi số cộng đồng với 4.300 thành viên.",
            {
                ("cntt.cds.to_cong_nghe_so", 860, (), False),
                ("cntt.cds.thanh_vien_to_cnscd", 4300, (), False),
            },
        ),
        ("Toàn bộ cấp xã đã có tổ chuyển đổi số cộng đồng với 2.150 thành viên.", set()),
        # the level right after one part's count is that part's, not the members' total
        (
            "Cả tỉnh có 950 tổ công nghệ số cộng đồng, trong đó 90 tổ cấp xã, 860 tổ ở thôn, tổ dân phố "
            "với tổng số 5.120 thành viên.",
            {
                ("cntt.cds.to_cong_nghe_so", 950, (), False),
                ("cntt.cds.thanh_vien_to_cnscd", 5120, (), False),
            },
        ),
        # a share of the eligible ones is no catalog rate
        ("Phấn đấu 100% dịch vụ công đủ điều kiện được nâng cấp lên mức độ 4.", set()),
        # citizens are no trainees of the catalog
        ("Tập huấn cho 300 người dân về kỹ năng số.", set()),
        # postal enterprises "tham gia cung ứng", with their branches; the "other" points of a list
        # counted on their own leave the part before them; per-point units name the points
        (
            "Có 9 doanh nghiệp tham gia cung ứng dịch vụ bưu chính với 240 điểm phục vụ (31 bưu cục, "
            "95 điểm Bưu điện văn hóa xã và 114 điểm phục vụ khác).",
            {
                ("bc.doanh_nghiep", 9, (), False),
                ("bc.diem_phuc_vu.tong", 240, (), False),
                ("bc.diem_phuc_vu.buu_cuc", 31, (), False),
                ("bc.diem_phuc_vu.bdvhx", 95, (), False),
            },
        ),
        (
            "Có 4 doanh nghiệp, chi nhánh doanh nghiệp hoạt động lĩnh vực bưu chính.",
            {("bc.doanh_nghiep", 4, (), False)},
        ),
        ("Bán kính phục vụ bình quân là 3,7 km/điểm phục vụ.", {("bc.ban_kinh_phuc_vu", 3.7, (), False)}),
        (
            "Số người dân phục vụ bình quân của một điểm phục vụ: 6.020 người/điểm.",
            {("bc.dan_so_phuc_vu", 6020, (), False)},
        ),
        # "X/Y TTHC trực tuyến": the part offered online, the whole all the procedures
        (
            "Tỉnh đã cung cấp 410/1.720 TTHC trực tuyến.",
            {("cntt.dvc.truc_tuyen", 410, (), False), ("cntt.mcdt.tthc", 1720, (), False)},
        ),
        (
            "Tỉnh đã cung cấp 410/1.720 thủ tục hành chính trực tuyến.",
            {("cntt.dvc.truc_tuyen", 410, (), False), ("cntt.mcdt.tthc", 1720, (), False)},
        ),
        # subscribers served by the stations are mobile ones; those "có sử dụng data" mobile broadband
        (
            "Có 2.400 trạm BTS phát sóng 4G phục vụ 2,1 triệu thuê bao (1,7 triệu có sử dụng data).",
            {
                ("vt.tram_4g", 2400, (), False),
                ("vt.tb_di_dong.tong", 2100000, (), False),
                ("vt.tb_di_dong.bang_rong", 1700000, (), False),
            },
        ),
        (
            "Toàn tỉnh có 2.000 trạm BTS, 50.000 thuê bao cố định.",
            {("vt.tram_bts", 2000, (), False), ("vt.tb_co_dinh", 50000, (), False)},
        ),
        # the mobile part of the Internet lines
        (
            "Có 410.000 thuê bao internet, trong đó 350.000 thuê bao internet di động.",
            {("vt.tb_internet.tong", 410000, (), False), ("vt.tb_di_dong.bang_rong", 350000, (), False)},
        ),
        # a topic phrase opening the sentence names what its subject's figure is; the part and
        # whole after an online rate are the dossiers filed online and all those received, and
        # "(đã trả N)" those returned
        (
            "Về tỷ lệ nộp hồ sơ trực tuyến, tỉnh đạt 70,5% (1.410/2.000 hồ sơ (đã trả 1.800)).",
            {
                ("cntt.hoso.ty_le_truc_tuyen", 70.5, (), False),
                ("cntt.hoso.truc_tuyen", 1410, (), False),
                ("cntt.hoso.tiep_nhan", 2000, (), False),
                ("cntt.hoso.da_giai_quyet", 1800, (), False),
            },
        ),
        # "X trong tổng số Y …": the part counts what the whole's words name
        (
            "Đã có 1.200 trong tổng số 1.500 dịch vụ công trực tuyến được tích hợp lên Cổng Dịch vụ công quốc gia.",
            {("cntt.dvc.quoc_gia.tich_hop", 1200, (), False), ("cntt.dvc.tong", 1500, (), False)},
        ),
        # the province acting is no level of the offices counted; the parts after "trong đó" are
        (
            "Tỉnh đã triển khai phần mềm một cửa điện tử tại 150 cơ quan, đơn vị, trong đó có 20 sở, "
            "ban, ngành, 10 UBND cấp huyện và 120 UBND cấp xã.",
            {
                ("cntt.mcdt.don_vi.cap_tinh", 20, (), False),
                ("cntt.mcdt.don_vi.cap_huyen", 10, (), False),
                ("cntt.mcdt.don_vi.cap_xa", 120, (), False),
            },
        ),
        # a list of procedures offered online at levels 3 and 4; documents "chuyển … điện tử"
        (
            "Toàn tỉnh có 1.400 danh mục TTHC dịch vụ công trực tuyến mức độ 3 và 4.",
            {("cntt.dvc.muc34", 1400, (), False)},
        ),
        (
            "Tỷ lệ văn bản đi/đến được chuyển hoàn toàn điện tử trên môi trường mạng đạt 95%.",
            {("cntt.qlvb.ty_le_vb_dien_tu", 95, (), False)},
        ),
        # people given digital skills; team members trained are no count of members; learners on
        # a course platform are no training the province gives
        (
            "Gần 50.000 người dân đã được trang bị kiến thức và kỹ năng số cơ bản.",
            {("cntt.cds.ky_nang_so.hoc_vien", 50000, (), False)},
        ),
        (
            "Các xã đã tập huấn, hướng dẫn kiến thức chuyển đổi số cho hơn 2.000 lượt người, qua đó, nâng "
            "cao chất lượng của các tổ chuyển đổi số cộng đồng.",
            {("cntt.cds.ky_nang_so.hoc_vien", 2000, (), False)},
        ),
        ("Có 120 cán bộ nòng cốt Tổ công nghệ số cộng đồng được tập huấn chuyên sâu.", set()),
        ("Có 30.000 học viên đã hoàn thành các khóa học trực tuyến trên nền tảng MOOCs.", set()),
        # feedback through an app is no petition to the inspectorate
        ("Phần mềm phản hồi của tỉnh đã tiếp nhận, xử lý 250 phản ánh, kiến nghị của tổ chức, cá nhân.", set()),
        # procedures published on the national database of procedures
        (
            "Đã công bố, công khai 1.900 thủ tục hành chính trên Cơ sở dữ liệu quốc gia về TTHC.",
            {("cntt.dvc.quoc_gia.cong_khai", 1900, (), False)},
        ),
        # level 1 services give information only: no code, and none of the totals
        (
            "Có 13 dịch vụ công trực tuyến mức độ 1; 698 dịch vụ công trực tuyến mức độ 2.",
            {("cntt.dvc.muc2", 698, (), False)},
        ),
        # a word cut where the stored copy of a page has a gap is no unknown noun
        ("Dịch vụ công trực tuyến toàn trình có 937 d […]", {("cntt.dvc.toan_trinh", 937, (), False)}),
        # dossiers "sử dụng dịch vụ công trực tuyến" / "trên môi trường điện tử" came in online; the
        # act of the clause before is not theirs
        (
            "Tỷ lệ giải quyết hồ sơ đúng hạn đạt 99,84%; có 29,1% hồ sơ sử dụng dịch vụ công trực tuyến.",
            {("cntt.hoso.ty_le_dung_han", 99.84, (), False), ("cntt.hoso.ty_le_truc_tuyen", 29.1, (), False)},
        ),
        (
            "Tỷ lệ tiếp nhận hồ sơ TTHC trên môi trường điện tử đạt 90%.",
            {("cntt.hoso.ty_le_truc_tuyen", 90, (), False)},
        ),
        # how timely the online dossiers were is no share of dossiers resolved online; "trước hạn"
        # alone is a part of those on time
        ("Tỷ lệ hồ sơ trực tuyến được giải quyết đúng hạn đạt 99,7%.", set()),
        ("Tỷ lệ hồ sơ giải quyết trước hạn đạt 88,5%.", set()),
        # subjects found in breach; agents fined ("xử lý vi phạm hành chính") are no postal points
        (
            "Kiểm tra chuyên ngành, phát hiện vi phạm 20 chủ thể.",
            {("tt.vi_pham", 20, (), False)},
        ),
        (
            "Xử lý vi phạm hành chính hơn 5 triệu đồng đối với 4 đại lý inernet.",
            {("tt.xu_phat.tien", 5000000, (), False), ("tt.xu_phat.so_vu", 4, (), False)},
        ),
        # knowledge of digital transformation spread by the community teams is a digital skill
        (
            "Các xã đã tập huấn, hướng dẫn kiến thức chuyển đổi số cho hơn 4.000 lượt người, qua đó, nâng cao"
            " chất lượng của các tổ chuyển đổi số cộng đồng.",
            {("cntt.cds.ky_nang_so.hoc_vien", 4000, (), False)},
        ),
        ("Toàn tỉnh có hơn 1,46 triệu số thuê bao điện thoại di động.", {("vt.tb_di_dong.tong", 1460000, (), False)}),
        # the national portal's name counts no services: the dossiers synchronised there are no services
        ("Tỷ lệ hồ sơ được đồng bộ đầy đủ lên Cổng dịch vụ công Quốc gia đạt 100%.", set()),
        # enterprises counted with the postal network's points are postal ones
        (
            "Toàn tỉnh hiện có 16 doanh nghiệp, 271 điểm phục vụ, với bán kính bình quân 1,95 km.",
            {("bc.doanh_nghiep", 16, (), False), ("bc.diem_phuc_vu.tong", 271, (), False), ("bc.ban_kinh_phuc_vu", 1.95, (), False)},
        ),
        # a number cut where the stored copy of a page has a gap is no figure
        ("Về viễn thông, nhà mạng Viettel đã chiếm 4[…]", set()),
        # "X/Y TTHC" offered at a level: the part the level's, the whole all the procedures
        (
            "Trên 80% (1.397/1.725 TTHC) được cung cấp dịch vụ công trực tuyến mức độ 3, 4.",
            {("cntt.dvc.muc34", 1397, (), False), ("cntt.mcdt.tthc", 1725, (), False)},
        ),
        # one level's services are no count of the province's
        (
            "Về dịch vụ công trực tuyến mức độ 3, đã đưa vào vận hành 788 dịch vụ công cấp tỉnh, 1.068 dịch vụ"
            " công cấp huyện.",
            set(),
        ),
        # an item closing on its figure counts what the item before it counts
        (
            "Tiếp nhận 452.000 hồ sơ, trong đó trực tuyến 436.565 hồ sơ, trực tiếp 16.043.",
            {
                ("cntt.hoso.tiep_nhan", 452000, (), False),
                ("cntt.hoso.truc_tuyen", 436565, (), False),
                ("cntt.hoso.truc_tiep", 16043, (), False),
            },
        ),
        # "Đến nay" opening the paragraph makes the certificates issued after it a running total
        (
            "Đến nay, các sở, ngành đã triển khai chữ ký số. Sở đã tiếp nhận và cấp 1.173 chứng thư số.",
            {("cntt.cts.luy_ke", 1173, (), False)},
        ),
        # the early ones counted apart, the share resolved just on time is no rate on time
        (
            "Hồ sơ giải quyết trước hạn là 16.307 hồ sơ (chiếm tỷ lệ 88,5%); số hồ sơ giải quyết đúng hạn"
            " là 664 hồ sơ (chiếm tỷ lệ 3,6%).",
            set(),
        ),
        # a telecom agent inspected is no postal agent
        (
            "Kiểm tra 01 cuộc đối với 06 đại lý kinh doanh dịch vụ viễn thông.",
            {("tt.cuoc", 1, (), False), ("tt.doi_tuong", 6, (), False)},
        ),
        # services online at a level are its share; a goal restated after a result is the result's
        (
            "100% dịch vụ công đã được triển khai trực tuyến mức 4, tỷ lệ dịch vụ công có phát sinh hồ sơ"
            " trực tuyến đạt 96% (vượt mục tiêu theo kế hoạch của tỉnh cuối năm 2023 là 85%).",
            {
                ("cntt.dvc.ty_le_muc4", 100, (), False),
                ("cntt.dvc.ty_le_co_phat_sinh", 96, (), False),
                ("cntt.dvc.ty_le_co_phat_sinh", 85, (), True),
            },
        ),
        # the goal follows the result it restates, even where that result was read once before
        (
            "Nhiều chỉ tiêu đạt, vượt kế hoạch, đơn cử là tỷ lệ hồ sơ trực tuyến đạt 71%. Tỷ lệ hồ sơ"
            " trực tuyến toàn tỉnh đạt 73% (vượt mục tiêu theo kế hoạch của tỉnh cuối năm 2023 là 65%).",
            {("cntt.hoso.ty_le_truc_tuyen", 71, (), False), ("cntt.hoso.ty_le_truc_tuyen", 65, (), True)},
        ),
        # online services split into both kinds of Nghị định 42/2022 are all those online
        (
            "Tỉnh đã triển khai 1.543 dịch vụ công trực tuyến, trong đó có 1.027 dịch vụ công toàn trình"
            " và 516 dịch vụ công trực tuyến một phần; tỷ lệ hồ sơ xử lý trực tuyến đạt 85,75%.",
            {
                ("cntt.dvc.truc_tuyen", 1543, (), False),
                ("cntt.dvc.toan_trinh", 1027, (), False),
                ("cntt.dvc.mot_phan", 516, (), False),
                ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 85.75, (), False),
            },
        ),
        (
            "Cổng dịch vụ công của tỉnh đã cung cấp: 1.402 dịch vụ công trực tuyến (335 DVCTT một phần và"
            " 1.067 DVCTT toàn trình).",
            {
                ("cntt.dvc.truc_tuyen", 1402, (), False),
                ("cntt.dvc.mot_phan", 335, (), False),
                ("cntt.dvc.toan_trinh", 1067, (), False),
            },
        ),
        # whichever system lists them, services split into both kinds are their sum (the held-out
        # golds caught up with the catalog read them so)
        (
            "Hệ thống thông tin giải quyết thủ tục hành chính tỉnh cung cấp 1.712 dịch vụ công trực tuyến"
            " (1.024 dịch vụ công trực tuyến toàn trình và 688 dịch vụ công trực tuyến một phần).",
            {
                ("cntt.dvc.truc_tuyen", 1712, (), False),
                ("cntt.dvc.toan_trinh", 1024, (), False),
                ("cntt.dvc.mot_phan", 688, (), False),
            },
        ),
    ],
)
def test_sentences_of_a_yearly_report(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(HEAD + "Kết quả năm 2023\nI. KẾT QUẢ\n1. Nội dung\n- " + sentence + "\n") == expected


def test_same_period_last_year_of_a_half_year_report() -> None:
    text = (
        HEAD + "Kết quả 6 tháng đầu năm 2025\nI. KẾT QUẢ\n"
        "a) Tỷ lệ hồ sơ giải quyết trực tuyến đạt 74,6% (cùng kỳ năm 2024: 68,2%).\n"
    )
    assert _facts(text) == {
        ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 74.6, (), False),
        (
            "cntt.hoso.ty_le_giai_quyet_truc_tuyen",
            68.2,
            (("half", 1), ("type", "half"), ("year", 2024)),
            False,
        ),
    }


def test_province_of_the_science_department_after_the_merger() -> None:
    text = (
        "UBND TỈNH VĨNH LONG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nBÁO CÁO\nKết quả năm 2025\n"
        "I. TÌNH HÌNH\nTỉnh Vĩnh Long (mới) hợp nhất tỉnh Vĩnh Long, tỉnh Bến Tre và tỉnh Trà Vinh.\n"
    )
    assert extract_text(text)["province"] == "Vĩnh Long"
    assert extract_text("Sở KH&CN tỉnh Cà Mau báo cáo kết quả năm 2025.")["province"] == "Cà Mau"


def _line(text: str, x0: float, x1: float, top: float) -> _Line:
    return _Line(text, x0, x1, top, top + 12, left=70.0, right=520.0)


def test_pdf_lines_wrapped_by_the_layout_become_one_paragraph() -> None:
    page = [
        _line("- Tổng số thuê bao điện thoại di động (trả trước và trả sau): 921.783 thuê bao", 70, 519, 100),
        _line("(trong đó trả trước là 892.535 thuê bao), mật độ 83,8 thuê bao/100 dân.", 70, 400, 114),
        _line("- Triển khai Kế hoạch số 47-", 70, 180, 128),
        _line("Giao ban báo chí.", 70, 150, 142),
    ]
    text = _render_pdf([page])
    assert text.split("\n") == [
        "- Tổng số thuê bao điện thoại di động (trả trước và trả sau): 921.783 thuê bao "
        "(trong đó trả trước là 892.535 thuê bao), mật độ 83,8 thuê bao/100 dân.",
        "- Triển khai Kế hoạch số 47-",
        "Giao ban báo chí.",
    ]


def test_pdf_symbol_cut_at_a_hyphen_is_joined_without_space() -> None:
    page = [
        _line("thực hiện Kế hoạch số 47-", 70, 518, 100),
        _line("KH/TU của Ban Thường vụ Tỉnh ủy.", 70, 300, 114),
    ]
    assert _render_pdf([page]) == "thực hiện Kế hoạch số 47-KH/TU của Ban Thường vụ Tỉnh ủy."


def test_pdf_table_cut_by_the_page_end_goes_on() -> None:
    header = ["STT", "Chỉ tiêu", "Năm 2024", "Năm 2025"]
    first: list[Any] = [[header, ["1", "Thuê bao Internet", "1.025.600", "1.098.750"]]]
    second: list[Any] = [[["", "băng rộng cố định", "", ""], ["2", "Trạm BTS", "4.512", "4.736"]]]
    assert _render_pdf([first, second]).split("\n") == [
        "STT\tChỉ tiêu\tNăm 2024\tNăm 2025",
        "1\tThuê bao Internet băng rộng cố định\t1.025.600\t1.098.750",
        "2\tTrạm BTS\t4.512\t4.736",
    ]


def test_docx_one_row_layout_table_reads_as_paragraphs(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    head = document.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "UBND TỈNH KHÁNH HÒA"
    head.cell(0, 0).add_paragraph("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(0, 1).add_paragraph("Khánh Hòa, ngày 05 tháng 01 năm 2024")
    for line in ["BÁO CÁO", "Kết quả năm 2023", "I. VIỄN THÔNG", "Toàn tỉnh có 2.150 trạm BTS."]:
        document.add_paragraph(line)
    path = tmp_path / "khanhhoa.docx"
    document.save(str(path))
    result = extract_file(path)
    assert result["province"] == "Khánh Hòa"
    assert result["period"] == {"type": "year", "year": 2023}
    assert [(f["indicator"], f["value"]) for f in result["facts"]] == [("vt.tram_bts", 2150)]


Q3_2023 = (("quarter", 3), ("type", "quarter"), ("year", 2023))
Q1_2021 = (("quarter", 1), ("type", "quarter"), ("year", 2021))


def test_column_headers_name_what_row_labels_leave_out() -> None:
    # rows say the level, columns say what is counted; "Trực tuyến" beside "Hồ sơ tiếp nhận" counts
    # dossiers, and "Hồ sơ tiếp nhận<TAB>Trực tuyến" is no "tiếp nhận trực tuyến"
    text = (
        HEAD + "Kết quả quý I/2021\nI. CÔNG NGHỆ THÔNG TIN\n"
        "Bảng 2: Hồ sơ dịch vụ công trực tuyến mức độ 3, 4\n"
        "Mức độ\tSố dịch vụ\tHồ sơ tiếp nhận\tTrực tuyến\tTỷ lệ trực tuyến (%)\n"
        "Mức độ 3\t312\t48.215\t3.406\t7,06\n"
    )
    assert _facts(text) == {
        ("cntt.dvc.muc3", 312, (), False),
        ("cntt.hoso.muc3.tiep_nhan", 48215, (), False),
        ("cntt.hoso.muc3.truc_tuyen", 3406, (), False),
        ("cntt.hoso.muc3.ty_le_truc_tuyen", 7.06, (), False),
    }


def test_an_empty_first_cell_keeps_the_columns_and_the_unit_column_counts() -> None:
    text = (
        HEAD + "Kết quả năm 2024\nA. CHỈ TIÊU\n"
        "TT\tChỉ tiêu\tĐVT\tNăm 2023\tNăm 2024\tSo sánh (%)\n"
        "3\tTổng số thuê bao điện thoại\tThuê bao\t2.487.310\t2.561.940\t103,0\n"
        "\tTrong đó: thuê bao di động\tThuê bao\t2.428.890\t2.507.810\t103,2\n"
        "4\tMật độ thuê bao điện thoại\tTB/100 dân\t119,8\t121,4\t-\n"
    )
    y2023 = (("type", "year"), ("year", 2023))
    assert _facts(text) == {
        ("vt.tb_dien_thoai.tong", 2487310, y2023, False),
        ("vt.tb_dien_thoai.tong", 2561940, (), False),
        ("vt.tb_di_dong.tong", 2428890, y2023, False),
        ("vt.tb_di_dong.tong", 2507810, (), False),
        ("vt.mat_do_dien_thoai", 119.8, y2023, False),
        ("vt.mat_do_dien_thoai", 121.4, (), False),
    }


def test_terse_label_items_carry_their_label() -> None:
    text = (
        HEAD + "Kết quả 6 tháng đầu năm 2024\n1) Tham mưu\n"
        "- Tham mưu UBND tỉnh ban hành: 15 văn bản (Quyết định: 04; Kế hoạch: 06; Công văn: 05).\n"
        "- Văn bản chỉ đạo, định hướng cơ quan báo chí, truyền thông: 09 văn bản.\n"
        "2) Thanh tra\n"
        "- Quyết định xử phạt vi phạm hành chính: 03 quyết định; số tiền: 42,5 triệu đồng.\n"
        "- Đơn phản ánh, kiến nghị: 03 đơn (đã giải quyết: 02; đang xử lý: 01).\n"
    )
    assert _facts(text) == {
        ("vb.thammuu_ubnd.tong", 15, (), False),
        ("vb.thammuu_ubnd.quyet_dinh", 4, (), False),
        ("vb.thammuu_ubnd.ke_hoach", 6, (), False),
        ("vb.thammuu_ubnd.cong_van", 5, (), False),
        ("vb.dinh_huong_bao_chi", 9, (), False),
        ("tt.xu_phat.so_vu", 3, (), False),
        ("tt.xu_phat.tien", 42500000, (), False),
        ("tt.don.phan_anh", 3, (), False),
    }


def test_a_years_capital_plan_and_a_stated_year_in_a_quarterly_report() -> None:
    text = (
        HEAD + "Kết quả quý I/2021\nI. KẾT QUẢ\n1. Đầu tư\n"
        "- Sở làm chủ đầu tư 04 dự án, kế hoạch vốn năm 2021 được giao 35,8 tỷ đồng; đến 31/3/2021 "
        "đã giải ngân 4,26 tỷ đồng, đạt 11,9% kế hoạch vốn.\n"
        "II. NHIỆM VỤ TRỌNG TÂM QUÝ II/2021\n"
        "- Phấn đấu tổng doanh thu bưu chính, viễn thông cả năm 2021 đạt 2.650 tỷ đồng.\n"
    )
    y2021 = (("type", "year"), ("year", 2021))
    assert _facts(text) == {
        ("th.dau_tu.du_an", 4, (), False),
        ("th.dau_tu.von_giao", 35800000000, y2021, False),
        ("th.dau_tu.giai_ngan", 4260000000, y2021, False),
        ("th.dau_tu.ty_le_giai_ngan", 11.9, y2021, False),
        ("vt.doanh_thu_bcvt", 2650000000000, y2021, True),
    }


def test_a_target_met_is_a_result_and_a_higher_same_period_is_a_comparison() -> None:
    text = (
        HEAD + "Kết quả quý III/2023\nI. CÔNG NGHỆ THÔNG TIN\n"
        "- Tổng số dịch vụ công trực tuyến mức độ 3, 4 là 712 dịch vụ, vượt chỉ tiêu Nghị quyết của "
        "HĐND tỉnh giao, riêng mức độ 4 có 300 dịch vụ.\n"
        "- Có 179.860 văn bản được ký số, tỷ lệ 96,48%, cao hơn cùng kỳ năm 2022 (91,2%).\n"
        "- Hệ thống quản lý văn bản và điều hành được triển khai tại 100% cơ quan hành chính nhà nước "
        "3 cấp; dung lượng mỗi hộp thư điện tử công vụ được nâng lên 5 GB.\n"
    )
    q3_2022 = (("quarter", 3), ("type", "quarter"), ("year", 2022))
    assert _facts(text) == {
        ("cntt.dvc.muc34", 712, (), False),
        ("cntt.dvc.muc4", 300, (), False),
        ("cntt.qlvb.vb_ky_so", 179860, (), False),
        ("cntt.qlvb.ty_le_ky_so", 96.48, (), False),
        ("cntt.qlvb.ty_le_ky_so", 91.2, q3_2022, False),
    }


def test_a_named_rate_under_limitations_is_kept_a_complement_is_not() -> None:
    text = (
        HEAD + "Kết quả năm 2020\nI. KẾT QUẢ\n1. Dịch vụ công\n- Cung cấp 1.986 dịch vụ công trực tuyến.\n"
        "II. ĐÁNH GIÁ CHUNG\n2. Tồn tại, hạn chế\n"
        "- Tỷ lệ hồ sơ giải quyết trực tuyến mới đạt 5,24%, thấp so với mục tiêu.\n"
        "- Khoảng 28,6% dịch vụ công trực tuyến chưa phát sinh hồ sơ; 02 dự án chậm tiến độ.\n"
    )
    assert _facts(text) == {
        ("cntt.dvc.tong", 1986, (), False),
        ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 5.24, (), False),
    }


def test_table_row_labels_without_their_lists_and_units_in_parentheses_kept() -> None:
    text = (
        HEAD + "Kết quả quý IV/2019\nI. VIỄN THÔNG\n"
        "TT\tChỉ tiêu\tĐVT\tQuý IV/2018\tQuý IV/2019\tTăng, giảm (%)\n"
        "6\tThuê bao Internet băng rộng cố định (ADSL, FTTH)\tThuê bao\t98.260\t131.504\t+33,83\n"
        "7\tMật độ thuê bao di động (TB/100 dân)\t\t93,1\t95,9\t3,01\n"
    )
    q4_2018 = (("quarter", 4), ("type", "quarter"), ("year", 2018))
    assert _facts(text) == {
        ("vt.tb_internet.co_dinh", 98260, q4_2018, False),
        ("vt.tb_internet.co_dinh", 131504, (), False),
        ("vt.mat_do_di_dong", 93.1, q4_2018, False),
        ("vt.mat_do_di_dong", 95.9, (), False),
    }


def test_a_half_year_title_without_its_year_and_sums_by_level() -> None:
    text = (
        "UBND TỈNH THANH HÓA\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nBÁO CÁO\n"
        "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm,\nphương hướng, nhiệm vụ 6 tháng cuối năm 2021\n"
        "PHẦN I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2021\n1. Dịch vụ công\n"
        "Bảng 1. Tình hình tiếp nhận, giải quyết hồ sơ TTHC theo cấp hành chính\n"
        "Cấp thực hiện\tTiếp nhận\tTrực tuyến\tĐã giải quyết\n"
        "Cấp tỉnh\t186.402\t41.208\t179.316\n"
        "Tổng cộng\t854.004\t70.358\t836.172\n\n"
        "Số hồ sơ còn tồn là 17.832 hồ sơ.\n"
        "- Trong 6 tháng, các doanh nghiệp phát triển mới 322 trạm BTS; toàn tỉnh có 7.236 trạm BTS.\n"
    )
    result = extract_text(text)
    assert result["period"] == {"type": "half", "year": 2021, "half": 1}
    assert _facts(text) == {
        ("cntt.hoso.tiep_nhan", 854004, (), False),
        ("cntt.hoso.truc_tuyen", 70358, (), False),
        ("cntt.hoso.da_giai_quyet", 836172, (), False),
        ("cntt.hoso.ton", 17832, (), False),
        ("vt.tram_bts", 7236, (), False),
    }


def test_parts_ratios_and_same_period_clauses() -> None:
    text = (
        HEAD + "Kết quả quý IV/2022\nI. KẾT QUẢ\n1. Chuyển đổi số\n"
        "- Phần mềm quản lý văn bản và điều hành được triển khai đồng bộ từ cấp tỉnh đến 126/126 xã, "
        "phường, thị trấn. Đến nay, đã phê duyệt cấp độ 62/75 hệ thống thông tin.\n"
        "- Trong quý tiếp nhận 52.318 hồ sơ. Cùng kỳ năm 2021, toàn tỉnh tiếp nhận 47.960 hồ sơ.\n"
        "- Trong quý, cấp 41 giấy phép xuất bản tài liệu không kinh doanh (cả năm 2022: 167 giấy phép).\n"
        "- Tổng đài 1022 tiếp nhận 86.310 phản ánh, kiến nghị; Thanh tra Sở tiếp nhận 54 đơn phản ánh, kiến nghị.\n"
    )
    q4_2021 = (("quarter", 4), ("type", "quarter"), ("year", 2021))
    assert _facts(text) == {
        ("cntt.qlvb.co_quan.cap_xa", 126, (), False),
        ("attt.httt_cap_do.phe_duyet", 62, (), False),
        ("attt.httt_cap_do.tong", 75, (), False),
        ("cntt.hoso.tiep_nhan", 52318, (), False),
        ("cntt.hoso.tiep_nhan", 47960, q4_2021, False),
        ("xb.gp_xuat_ban_tai_lieu", 41, (), False),
        ("xb.gp_xuat_ban_tai_lieu", 167, (("type", "year"), ("year", 2022)), False),
        ("tt.don.phan_anh", 54, (), False),
    }


def test_results_heading_naming_a_year_and_the_plan_parts_of_a_quarterly_report() -> None:
    text = (
        "UBND TỈNH QUẢNG TRỊ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nBÁO CÁO\n"
        "Kết quả thực hiện nhiệm vụ quý IV, tổng kết năm 2025 và kế hoạch quý I, năm 2026\n"
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV VÀ NĂM 2025\n1. Viễn thông\n"
        "- Toàn tỉnh có 4.312 trạm BTS.\n"
        "- Doanh thu dịch vụ bưu chính năm 2025 ước đạt 228 tỷ đồng.\n"
        "- Cả năm 2025, doanh thu dịch vụ viễn thông ước đạt 2.987 tỷ đồng; tổng doanh thu bưu chính, "
        "viễn thông ước đạt 3.215 tỷ đồng.\n"
        "- Kinh phí sự nghiệp khoa học và công nghệ năm 2025 được giao 52,7 tỷ đồng, đã giải ngân 41,3 tỷ đồng.\n"
        "III. KẾ HOẠCH QUÝ I VÀ NĂM 2026\n1. Quý I/2026\n- Phấn đấu tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 80%.\n"
        "2. Năm 2026\n- Tổng doanh thu bưu chính, viễn thông đạt khoảng 3.400 tỷ đồng.\n"
    )
    y2025, y2026 = (("type", "year"), ("year", 2025)), (("type", "year"), ("year", 2026))
    assert extract_text(text)["period"] == {"type": "quarter", "year": 2025, "quarter": 4}
    assert _facts(text) == {
        ("vt.tram_bts", 4312, (), False),
        ("bc.doanh_thu", 228000000000, y2025, False),
        ("vt.doanh_thu", 2987000000000, y2025, False),
        ("vt.doanh_thu_bcvt", 3215000000000, y2025, False),
        # the science budget of the year it names; what was spent of it is no code
        ("khcn.kinh_phi", 52700000000, y2025, False),
        (
            "cntt.hoso.ty_le_giai_quyet_truc_tuyen",
            80,
            (("quarter", 1), ("type", "quarter"), ("year", 2026)),
            True,
        ),
        ("vt.doanh_thu_bcvt", 3400000000000, y2026, True),
    }


def test_a_unit_column_of_points_and_levels_three_and_four_in_a_row_label() -> None:
    text = (
        HEAD + "Kết quả năm 2018\nI. KẾT QUẢ\n"
        "Chỉ tiêu\tĐVT\tNăm 2017\tNăm 2018\tSo sánh 2018/2017 (%)\n"
        "Điểm phục vụ bưu chính\tđiểm\t139\t142\t102,2\n"
        "Dịch vụ công trực tuyến mức độ 3, 4\tdịch vụ\t64\t178\t278,1\n"
        "- Trong năm có 392 lượt điểm cầu tham gia hội nghị truyền hình trực tuyến.\n"
    )
    y2017 = (("type", "year"), ("year", 2017))
    assert _facts(text) == {
        ("bc.diem_phuc_vu.tong", 139, y2017, False),
        ("bc.diem_phuc_vu.tong", 142, (), False),
        ("cntt.dvc.muc34", 64, y2017, False),
        ("cntt.dvc.muc34", 178, (), False),
        ("cntt.hntt.luot_diem_cau", 392, (), False),
    }


def test_a_report_without_numbered_headings_and_a_storm() -> None:
    text = (
        "UBND TỈNH BÌNH PHƯỚC\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nBÁO CÁO\n"
        "Tổng kết công tác năm 2021, phương hướng, nhiệm vụ năm 2022\n\n"
        "Thực hiện Công văn của Bộ, Sở báo cáo như sau.\n\nKẾT QUẢ ĐẠT ĐƯỢC\n\nLĩnh vực bưu chính\n\n"
        "- Mạng bưu chính được duy trì ổn định với 228 điểm phục vụ, bán kính phục vụ bình quân 3,1 km/điểm.\n\n"
        "Lĩnh vực viễn thông\n\n"
        "- Bão số 3 làm 312 trạm BTS bị mất liên lạc tạm thời; toàn tỉnh có 1.967 trạm BTS.\n\n"
        "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2022\n\n- Tỷ lệ hồ sơ giải quyết trực tuyến đạt 30%.\n"
    )
    assert _facts(text) == {
        ("bc.diem_phuc_vu.tong", 228, (), False),
        ("bc.ban_kinh_phuc_vu", 3.1, (), False),
        ("vt.tram_bts", 1967, (), False),
        ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 30, (("type", "year"), ("year", 2022)), True),
    }


def test_numbers_grouped_by_spaces_and_english_decimals() -> None:
    text = HEAD + "Kết quả công tác năm 2024\n\n1. Bưu chính\n– Số dân phục vụ bình quân: 4 343 người/điểm\n" \
        "– Bán kính phục vụ bình quân: 1.75 km/điểm\n"  # fmt: skip
    facts = _facts(text)  # the report's own period: no period of their own
    assert ("bc.dan_so_phuc_vu", 4343, (), False) in facts
    assert ("bc.ban_kinh_phuc_vu", 1.75, (), False) in facts


@pytest.mark.parametrize(
    ("title", "heading", "expected"),
    [
        ("Kết quả thực hiện nhiệm vụ quý IV và năm 2024", "A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2024",
         {"type": "year", "year": 2024}),
        ("Kết quả thực hiện nhiệm vụ quý IV và năm 2024", "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV VÀ NĂM 2024",
         {"type": "quarter", "year": 2024, "quarter": 4}),
        ("Kết quả thực hiện nhiệm vụ 9 tháng đầu năm và phương hướng, nhiệm vụ 3 tháng cuối năm 2023",
         "I. KẾT QUẢ ĐẠT ĐƯỢC", {"type": "quarter", "year": 2023, "quarter": 3}),
        ("Kết quả công tác quý III và 9 tháng năm 2024", "I. KẾT QUẢ ĐẠT ĐƯỢC",
         {"type": "quarter", "year": 2024, "quarter": 3}),
    ],
)  # fmt: skip
def test_the_period_of_a_final_quarter_or_nine_month_report(
    title: str, heading: str, expected: dict[str, int]
) -> None:
    text = HEAD + f"{title}\n\n{heading}\n1. Bưu chính\n- Doanh thu bưu chính đạt 68,9 tỷ đồng.\n"
    assert extract_text(text)["period"] == expected


def test_in_a_nine_month_report_the_nine_months_are_its_own_period() -> None:
    text = HEAD + "Kết quả 9 tháng đầu năm 2023\n\nI. KẾT QUẢ\n1. Bưu chính\n" \
        "- Lũy kế 9 tháng, doanh thu dịch vụ bưu chính ước đạt 68,9 tỷ đồng.\n"  # fmt: skip
    result = extract_text(text)
    assert result["period"] == {"type": "quarter", "year": 2023, "quarter": 3}
    assert [(f["indicator"], f["value"], f["period"]) for f in result["facts"]] == [
        ("bc.doanh_thu", 68_900_000_000, None)
    ]


def test_a_table_laid_out_with_spaces_and_a_two_line_header_reads_like_a_tab_table() -> None:
    text = (
        HEAD
        + "Kết quả công tác 6 tháng đầu năm 2023\n\nI. KẾT QUẢ\n1. Viễn thông\n"
        + (
            " TT  Chỉ tiêu                        ĐVT          Kế hoạch    Ước TH 6  TH 6 tháng\n"
            "                                                  năm 2023  tháng 2023    năm 2022\n"
            "\n"
            " 1   Thuê bao điện thoại di động     Thuê bao    1.400.000   1.389.520   1.352.610\n"
            "     Trong đó: trả sau               Thuê bao            -      88.430      79.215\n"
            " 2   Trạm BTS                        Trạm            2.150       2.108       1.996\n"
        )
    )
    facts = _facts(text)
    half_2022 = (("half", 1), ("type", "half"), ("year", 2022))
    assert ("vt.tb_di_dong.tong", 1_389_520, (), False) in facts
    assert ("vt.tb_di_dong.tong", 1_352_610, half_2022, False) in facts
    assert ("vt.tram_bts", 2_150, (("type", "year"), ("year", 2023)), True) in facts  # "Kế hoạch năm 2023"
    # a row without its TT keeps its cells in their columns
    row = next(line for line in build_view(text).text.split("\n") if "trả sau" in line)
    assert [c.strip() for c in row.split("\t")] == [
        "",
        "Trong đó: trả sau",
        "Thuê bao",
        "-",
        "88.430",
        "79.215",
    ]


def test_a_symbol_broken_at_the_line_end_is_one_reference() -> None:
    text = (
        HEAD
        + "Kết quả công tác năm 2023\n\nI. KẾT QUẢ\n- Thực hiện Kế hoạch số 545/KH-\nUBND ngày 02/3/2023 của UBND tỉnh.\n"
    )
    docs = extract_text(text)["documents"]
    assert [(d["number"], d["evidence"]) for d in docs] == [
        ("545/KH-UBND", "Kế hoạch số 545/KH-\nUBND ngày 02/3/2023")
    ]


def _yearbook_facts(text: str) -> set[tuple[Any, ...]]:
    result = extract_text(text, unit="Nghệ An", period="2020")
    return {
        (f["indicator"], f["value"], (f["period"] or {}).get("year"), f["target"]) for f in result["facts"]
    }


YEARBOOK_FACTS = {
    ("vt.tb_dien_thoai.tong", 1778489, 2018, False),
    ("vt.tb_di_dong.tong", 1055245, 2018, False),
    ("vt.tb_co_dinh", 723244, 2018, False),
    ("vt.tb_dien_thoai.tong", 2547107, 2019, False),
    ("vt.tb_di_dong.tong", 2486243, 2019, False),
    ("vt.tb_co_dinh", 60864, 2019, False),
    ("vt.tb_dien_thoai.tong", 2956208, None, False),
    ("vt.tb_di_dong.tong", 2933667, None, False),
    ("vt.tb_co_dinh", 22541, None, False),
}


@pytest.mark.parametrize(
    "table",
    [
        # the ordinary tab form: years down the first column, indicators across
        "Số thuê bao điện thoại\n\tTổng số\tDi động\tCố định\n2018\t1.778.489\t1.055.245\t723.244\n"
        "2019\t2.547.107\t2.486.243\t60.864\nSơ bộ 2020\t2.956.208\t2.933.667\t22.541\n",
        # a markdown pipe table
        "Số thuê bao điện thoại\n| Năm | Tổng số | Di động | Cố định |\n|---|---|---|---|\n"
        "| 2018 | 1.778.489 | 1.055.245 | 723.244 |\n| 2019 | 2.547.107 | 2.486.243 | 60.864 |\n"
        "| Sơ bộ 2020 | 2.956.208 | 2.933.667 | 22.541 |\n",
        # one cell per line, as a statistics office's web page gives it (a grouping header, a unit row)
        "Số thuê bao điện thoại\n\nTổng số\nTotal\n\nChia ra - Of which\n\nDi động - Mobi-phone\n\n"
        "Cố định - Telephone\n\nThuê bao - Subcribers\n\n2018\n\n1.778.489\n\n1.055.245\n\n723.244\n\n"
        "2019\n\n2.547.107\n\n2.486.243\n\n60.864\n\nSơ bộ - Prel. 2020\n\n2.956.208\n\n2.933.667\n\n22.541\n",
    ],
    ids=["tabs", "pipes", "cell_per_line"],
)
def test_a_yearbook_table_gives_each_row_its_year_and_each_column_its_indicator(table: str) -> None:
    assert _yearbook_facts(table) == YEARBOOK_FACTS


def test_cells_one_per_line_become_one_tab_row_each_and_keep_their_offsets() -> None:
    raw = "Thuê bao\n\nTổng số\n\nDi động\n\n2018\n\n10\n\n7\n\n2019\n\n11\n\n8\n\n2020\n\n12\n\n9\n"
    view = build_view(raw)
    assert len(view.text) == len(raw)
    rows = [line for line in view.text.split("\n") if "\t" in line]
    assert [r.split("\t")[0].strip() for r in rows[-3:]] == ["2018", "2019", "2020"]
    assert all(len(r.split("\t")) == 3 for r in rows[-3:])


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "X/Y dịch vụ": the part is the level's, the whole all the services
        (
            "Đã cung cấp 1.200/1.850 dịch vụ công trực tuyến mức độ 4.",
            {("cntt.dvc.muc4", 1200, (), False), ("cntt.dvc.tong", 1850, (), False)},
        ),
        # two kinds of inspection counted apart are two parts, not the total
        ("Tổ chức 8 cuộc thanh tra, 5 cuộc kiểm tra.", set()),
        ("Tổ chức 4 cuộc kiểm tra và 1 cuộc thanh tra diện rộng.", set()),
        ("Tổ chức 8 cuộc thanh tra, kiểm tra.", {("tt.cuoc", 8, (), False)}),
        # a rate of one level of government is not the province's
        ("Tỷ lệ văn bản đi được ký số cấp huyện đạt 95%.", set()),
        ("Tỷ lệ văn bản đi được ký số đạt 95%.", {("cntt.qlvb.ty_le_ky_so", 95, (), False)}),
    ],
)
def test_parts_pairs_and_levels(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(HEAD + "Kết quả năm 2023\nI. KẾT QUẢ\n1. Nội dung\n- " + sentence + "\n") == expected


def test_a_title_citing_the_number_takes_the_date_of_its_header() -> None:
    from baocao.extraction import extract_text

    text = (
        "Kế hoạch 15/KH-UBND năm 2024 về chuyển đổi số\n\nỦY BAN NHÂN DÂN\nTỈNH PHÚ YÊN\n\nSố: 15/KH-UBND\n\n"
        "Phú Yên, ngày 3 tháng 5 năm 2024\n\nKẾ HOẠCH\nChuyển đổi số năm 2024\n"
    )
    docs = extract_text(text, unit="phu_yen", period="2024")["documents"]
    assert [(d["kind"], d["number"], d["date"]) for d in docs] == [("Kế hoạch", "15/KH-UBND", "2024-05-03")]
    # the header line alone is dated by its place-and-date line (annotators date a document's own
    # number so: Quảng Bình's 2656/KH-UBND in the real corpus); its kind stays unwritten
    alone = extract_text(text.split("\n\n", 1)[1], unit="phu_yen", period="2024")["documents"]
    assert [(d["kind"], d["number"], d["date"]) for d in alone] == [(None, "15/KH-UBND", "2024-05-03")]
    assert "docref.date.header" in alone[0]["why"]["rules"]


def test_a_sentence_opening_with_the_day_of_issue_dates_the_document_it_issues() -> None:
    from baocao.extraction import extract_text

    text = (
        "Ngày 20 tháng 6 năm 2025, Ủy ban nhân dân\ntỉnh Đồng Nai đã có báo cáo số 198/BC-UBND về tình hình "
        "triển khai Nghị quyết số\n57- NQ/TW của Bộ Chính trị. Ngày 2/7/2025, Sở tiếp nhận Công văn số 9/UBND-KT.\n"
    )
    docs = extract_text(text, unit="dong_nai", period="2025S1")["documents"]
    assert [(d["kind"], d["number"], d["date"]) for d in docs] == [
        ("Báo cáo", "198/BC-UBND", "2025-06-20"),
        ("Nghị quyết", "57-NQ/TW", None),  # the second document of the sentence is only cited
        ("Công văn", "9/UBND-KT", None),  # received, not issued, that day
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # mobile broadband subscribers, the generations named with them or the data they use
        (
            "Thuê bao băng rộng di động (3G, 4G) khoảng 1,15 triệu thuê bao.",
            {("vt.tb_di_dong.bang_rong", 1150000, (), False)},
        ),
        (
            "Ngoài ra có khoảng 176.420 thuê bao truy nhập Internet qua mạng di động 3G/4G.",
            {("vt.tb_di_dong.bang_rong", 176420, (), False)},
        ),
        (
            "Số thuê bao di động sử dụng dữ liệu (3G, 4G) khoảng 1.384.000 thuê bao.",
            {("vt.tb_di_dong.bang_rong", 1384000, (), False)},
        ),
        # data use with no generation named may be any data plan; a bare generation is narrower
        (
            "Có 1.586.300 thuê bao điện thoại di động (thuê bao sử dụng dữ liệu di động khoảng 1,21 triệu).",
            {("vt.tb_di_dong.tong", 1586300, (), False)},
        ),
        ("Toàn tỉnh có 96.540 thuê bao 5G.", set()),
        # a count of online services the sentence splits into toàn trình and một phần is their sum
        (
            "Cung cấp 1.312 dịch vụ công trực tuyến (toàn trình 498, một phần 814).",
            {
                ("cntt.dvc.truc_tuyen", 1312, (), False),
                ("cntt.dvc.toan_trinh", 498, (), False),
                ("cntt.dvc.mot_phan", 814, (), False),
            },
        ),
        (
            "Cung cấp 1.642 dịch vụ công trực tuyến, gồm 1.018 dịch vụ công trực tuyến toàn trình và 624"
            " dịch vụ công trực tuyến một phần.",
            {
                ("cntt.dvc.truc_tuyen", 1642, (), False),
                ("cntt.dvc.toan_trinh", 1018, (), False),
                ("cntt.dvc.mot_phan", 624, (), False),
            },
        ),
        # ... but not when the parts are the old levels, or only one kind is given
        (
            "Cổng dịch vụ công của tỉnh cung cấp 1.724 dịch vụ công trực tuyến, trong đó mức độ 4 (toàn"
            " trình) 1.012 dịch vụ, mức độ 3 (một phần) 712 dịch vụ.",
            {
                ("cntt.dvc.tong", 1724, (), False),
                ("cntt.dvc.muc4", 1012, (), False),
                ("cntt.dvc.muc3", 712, (), False),
            },
        ),
        (
            "Cổng dịch vụ công cung cấp 1.295 dịch vụ công trực tuyến, trong đó 864 dịch vụ công trực"
            " tuyến toàn trình.",
            {("cntt.dvc.tong", 1295, (), False), ("cntt.dvc.toan_trinh", 864, (), False)},
        ),
        # the DTI's value given in points (a value between 0 and 1), with the year it names
        (
            "Chỉ số DTI năm 2021 của tỉnh đạt 0,4512 điểm, xếp thứ 27/63.",
            {
                ("cntt.cds.dti.diem", 0.4512, (("type", "year"), ("year", 2021)), False),
                ("cntt.cds.dti.xep_hang", 27, (("type", "year"), ("year", 2021)), False),
            },
        ),
        ("Chỉ số cải cách hành chính đạt 0,85 điểm.", set()),
        # the amount paid online, where the fees were paid named with the payments
        (
            "Việc thanh toán trực tuyến phí, lệ phí qua Cổng dịch vụ công có chuyển biến, trong năm có 12.360"
            " giao dịch với tổng số tiền khoảng 4,8 tỷ đồng.",
            {("cntt.thanh_toan.ho_so", 12360, (), False), ("cntt.thanh_toan.so_tien", 4800000000, (), False)},
        ),
        (
            "Xử phạt vi phạm hành chính 3 tổ chức với tổng số tiền 37,5 triệu đồng.",
            {("tt.xu_phat.so_vu", 3, (), False), ("tt.xu_phat.tien", 37500000, (), False)},
        ),
        # publication distributors there are, not those inspected; datasets an open-data portal publishes
        ("Toàn tỉnh có 112 cơ sở phát hành xuất bản phẩm đang hoạt động.", {("xb.co_so_phat_hanh", 112, (), False)}),
        ("Kiểm tra 12 cơ sở phát hành xuất bản phẩm, phát hiện 2 cơ sở vi phạm.", {("tt.vi_pham", 2, (), False)}),
        ("Cổng dữ liệu mở của tỉnh công bố 312 bộ dữ liệu.", {("cntt.cds.du_lieu_mo", 312, (), False)}),
        ("Nền tảng tích hợp, chia sẻ dữ liệu kết nối 40 bộ dữ liệu.", set()),
        # the results digitised alone; persons' public-CA signatures, whoever issued them
        (
            "Hồ sơ đã giải quyết: 398.671 hồ sơ; hồ sơ số hóa kết quả: 88,4%.",
            {("cntt.hoso.da_giai_quyet", 398671, (), False), ("cntt.so_hoa.ty_le_ket_qua", 88.4, (), False)},
        ),
        (
            "Các tổ chức cung cấp dịch vụ chứng thực chữ ký số công cộng đã cấp 328.540 chứng thư chữ ký số"
            " cho người dân trên địa bàn.",
            {("cntt.cts.ky_so_ca_nhan", 328540, (), False)},
        ),
        # the rate after a count the act of signing opens; the same rate restated for another year
        (
            "Ký số 54.920 văn bản đi, đạt 94,34% (năm 2022 đạt 92,08%).",
            {
                ("cntt.qlvb.vb_ky_so", 54920, (), False),
                ("cntt.qlvb.ty_le_ky_so", 94.34, (), False),
                ("cntt.qlvb.ty_le_ky_so", 92.08, (("type", "year"), ("year", 2022)), False),
            },
        ),
        (
            "Có 587.350 văn bản được ký số, chiếm 95,9% (năm 2022 tỷ lệ này là 88,6%).",
            {
                ("cntt.qlvb.vb_ky_so", 587350, (), False),
                ("cntt.qlvb.ty_le_ky_so", 95.9, (), False),
                ("cntt.qlvb.ty_le_ky_so", 88.6, (("type", "year"), ("year", 2022)), False),
            },
        ),
        # the people a density is computed on are the population
        ("Mật độ thuê bao di động được tính theo dân số trung bình ước 916 ngàn người.", {("dan_so", 916000, (), False)}),
        # the share of the dossiers received online counted just before it
        (
            "Tiếp nhận 52.318 hồ sơ (trực tuyến 21.406 hồ sơ, chiếm 40,92%); đã giải quyết 49.875 hồ sơ.",
            {
                ("cntt.hoso.tiep_nhan", 52318, (), False),
                ("cntt.hoso.truc_tuyen", 21406, (), False),
                ("cntt.hoso.ty_le_truc_tuyen", 40.92, (), False),
                ("cntt.hoso.da_giai_quyet", 49875, (), False),
            },
        ),
    ],
)
def test_codes_the_heldout_golds_caught_up_with(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(HEAD + "Kết quả năm 2023\nI. KẾT QUẢ\n1. Nội dung\n- " + sentence + "\n") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Có 12.480 hộ có tài khoản trên sàn Postmart.vn; trên 3.600 sản phẩm nông sản được quảng bá,"
            " giới thiệu trên các sàn.",
            {("bc.tmdt.ho_postmart", 12480, (), False), ("bc.tmdt.san_pham", 3600, (), False)},
        ),
        (
            "Phối hợp đưa 8.640 hộ sản xuất nông nghiệp lên sàn thương mại điện tử Postmart.vn với khoảng"
            " 1.450 sản phẩm được giới thiệu.",
            {("bc.tmdt.ho_postmart", 8640, (), False), ("bc.tmdt.san_pham", 1450, (), False)},
        ),
        # products given a code, no platform's products
        (
            "Có 4.318 hộ có tài khoản trên sàn Postmart.vn; 211 sản phẩm OCOP của tỉnh được gắn mã truy xuất.",
            {("bc.tmdt.ho_postmart", 4318, (), False)},
        ),
    ],
)
def test_products_on_the_platforms(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(HEAD + "Kết quả năm 2023\nI. BƯU CHÍNH\n1. Nội dung\n- " + sentence + "\n") == expected


def test_a_tables_total_row_of_services_and_of_both_kinds() -> None:
    """A table's cells are its columns, no list: its "Tổng cộng" row gives the total; a "Tổng số"
    column after the toàn trình and một phần columns is their sum; a level of government's row
    is no province's count."""
    text = (
        HEAD + "Kết quả năm 2025\nI. KẾT QUẢ\nBảng 2. Dịch vụ công trực tuyến theo cấp thực hiện\n"
        "TT\tCấp thực hiện\tDVC trực tuyến toàn trình\tDVC trực tuyến một phần\tTổng số\n"
        "1\tCấp tỉnh\t986\t612\t1.598\n"
        "2\tCấp xã\t118\t216\t334\n"
        "\tTổng cộng\t1.104\t828\t1.932\n"
    )
    assert _facts(text) == {
        ("cntt.dvc.toan_trinh", 1104, (), False),
        ("cntt.dvc.mot_phan", 828, (), False),
        ("cntt.dvc.truc_tuyen", 1932, (), False),
    }
    text = (
        HEAD + "Kết quả năm 2021\nI. KẾT QUẢ\nBảng 2. Kết quả cung cấp dịch vụ công trực tuyến theo mức độ\n"
        "Mức độ\tSố TTHC\tSố hồ sơ tiếp nhận\tHồ sơ trực tuyến\tTỷ lệ (%)\n"
        "Mức độ 3\t398\t72.615\t31.870\t43,89\n"
        "Tổng cộng\t1.997\t413.235\t140.390\t33,97\n"
    )
    facts = _facts(text)
    assert ("cntt.dvc.tong", 1997, (), False) in facts
    # the rate column right after the online dossiers' is their share
    assert ("cntt.hoso.muc3.ty_le_truc_tuyen", 43.89, (), False) in facts
    assert ("cntt.hoso.ty_le_truc_tuyen", 33.97, (), False) in facts


def test_a_postal_network_listed_in_a_parenthesis_before_its_radius() -> None:
    text = (
        HEAD + "Kết quả công tác năm 2012\n\n1. Bưu chính\n"
        "Cuối năm 2012 toàn tỉnh có 190 điểm cung cấp khai thác dịch vụ (gồm 22 bưu cục, 101 điểm BĐVH xã, "
        "67 đại lý) bán kính phục vụ bình quân 3,5 km/điểm. Số dân được phục vụ là 4.210 người/điểm.\n"
    )
    facts = _facts(text)
    for fact in [
        ("bc.diem_phuc_vu.tong", 190, (), False),
        ("bc.diem_phuc_vu.buu_cuc", 22, (), False),
        ("bc.diem_phuc_vu.bdvhx", 101, (), False),
        ("bc.ban_kinh_phuc_vu", 3.5, (), False),
        ("bc.dan_so_phuc_vu", 4210, (), False),
    ]:
        assert fact in facts
    assert not any(f[0] == "dan_so" for f in facts)


def test_the_rank_a_province_moved_from_is_the_year_befores() -> None:
    text = (
        HEAD + "Kết quả chuyển đổi số năm 2023\n\n"
        "Bộ Thông tin và Truyền thông vừa công bố xếp hạng chuyển đổi số năm 2023 của các tỉnh. "
        "Trong đó, tỉnh từ vị trí 30 tiến lên vị trí thứ 21 trong 63 tỉnh, thành.\n"
    )
    assert ("cntt.cds.dti.xep_hang", 30, (("type", "year"), ("year", 2022)), False) in _facts(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an inspection over days of one month: that month
        ("Sở TT&TT Quảng Ngãi kiểm tra đại lý Internet\n\nTừ ngày 04/6 đến 08/6/2011, Thanh tra Sở kiểm tra "
         "30 đại lý Internet, phát hiện 12 đại lý vi phạm.\n", {"type": "month", "year": 2011, "month": 6}),
        # an inspection year across two years: no month of its own
        ("Sở TT&TT Quảng Ngãi tổng kết công tác thanh tra\n\nTừ ngày 16/11/2010 đến ngày 15/11/2011, Thanh tra Sở "
         "kiểm tra 30 đại lý Internet.\n", {"type": "year", "year": 2011}),
        # a mid-year conference setting the second half's tasks: the first half
        ("Sở TT&TT Quảng Ngãi sơ kết công tác\n\nTrong 6 tháng đầu năm, Sở kiểm tra 30 đại lý Internet. Hội nghị "
         "đã bàn các giải pháp thực hiện nhiệm vụ 6 tháng cuối năm 2021.\n", {"type": "half", "year": 2021, "half": 1}),
    ],
)  # fmt: skip
def test_the_period_of_a_press_text_from_its_days_and_its_tasks(text: str, expected: dict[str, int]) -> None:
    assert extract_text(text)["period"] == expected


def test_a_line_ending_with_a_comma_goes_on_with_a_capital() -> None:
    """A hard wrap after a comma, the next line opening with a name: one sentence, whose index
    names the rank's year."""
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nKẾ HOẠCH\nNÂNG CAO CHỈ SỐ CHUYỂN ĐỔI SỐ NĂM 2024\n"
        "Theo công bố ngày 10/6/2024 về Chỉ số chuyển đổi số năm 2023 (DTI 2023),\n"
        "Nghệ An xếp vị trí thứ 24 (tăng 5 bậc so với năm 2022).\n"
    )
    result = extract_text(text, unit="Nghệ An", period="2024")
    assert [(f["indicator"], f["value"], f["period"]) for f in result["facts"]] == [
        ("cntt.cds.dti.xep_hang", 24, {"type": "year", "year": 2023})
    ]
