"""Science-and-technology figures (catalog field khcn) in the Sở Khoa học và Công nghệ's reports.

Since 2025 the ICT field sits in the science department, whose reports mix in science figures:
each is read on its khcn code by the lexicon's general phrasings, and none lands on an ICT code
(a conformity dossier is no dossier of the one-stop system, the province's initiatives are not
the Department's own).
"""

from __future__ import annotations

from typing import Any

import pytest

from baocao.extraction import extract_text

HEAD = "UBND TỈNH PHÚ THỌ\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\n\nBÁO CÁO\n"
Y2024 = (("type", "year"), ("year", 2024))
Y2025 = (("type", "year"), ("year", 2025))


def _facts(text: str) -> set[tuple[Any, ...]]:
    return {
        (f["indicator"], f["value"], tuple(sorted((f["period"] or {}).items())), f["target"])
        for f in extract_text(text)["facts"]
    }


def _yearly(line: str) -> set[tuple[Any, ...]]:
    return _facts(HEAD + "Kết quả năm 2025\nI. KẾT QUẢ\n1. Khoa học và công nghệ\n" + line + "\n")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # science tasks under way, named as such
        (
            "- Sở đang quản lý 120 nhiệm vụ khoa học và công nghệ các cấp.",
            {("khcn.nhiem_vu", 120, (), False)},
        ),
        ("- Tổng số nhiệm vụ KH&CN đang triển khai: 85 nhiệm vụ.", {("khcn.nhiem_vu", 85, (), False)}),
        ("- Phê duyệt 12 nhiệm vụ khoa học và công nghệ mở mới.", set()),
        # a pair named together before "nghiên cứu khoa học"
        ("- Sở theo dõi 27 đề tài dự án nghiên cứu khoa học.", {("khcn.nhiem_vu", 27, (), False)}),
        # applications the national office accepted; "giải pháp hữu ích" there is a patent kind
        (
            "- Có 215 đơn đã được Cục SHTT chấp nhận, gồm 10 đơn sáng chế và 03 giải pháp hữu ích.",
            {("khcn.so_huu_tri_tue.don", 215, (), False)},
        ),
        # province-level initiatives proposed for the province's recognition are not the Department's
        ("- Trình Chủ tịch UBND tỉnh công nhận 30 sáng kiến cấp tỉnh.", set()),
        # accepted: topics and projects, works "được nghiệm thu", bare tasks in a science clause
        (
            "- Tổ chức nghiệm thu 12 đề tài, dự án khoa học và công nghệ cấp tỉnh.",
            {("khcn.nhiem_vu.nghiem_thu", 12, (), False)},
        ),
        ("- Có 9 công trình KH&CN cấp tỉnh được nghiệm thu.", {("khcn.nhiem_vu.nghiem_thu", 9, (), False)}),
        (
            "- Quản lý 30 nhiệm vụ khoa học và công nghệ, tổ chức nghiệm thu 11 nhiệm vụ.",
            {("khcn.nhiem_vu", 30, (), False), ("khcn.nhiem_vu.nghiem_thu", 11, (), False)},
        ),
        # intellectual property: applications of every kind or several together, titles granted
        (
            "- Hướng dẫn nộp 140 đơn đăng ký sở hữu trí tuệ; 52 văn bằng bảo hộ được cấp.",
            {("khcn.so_huu_tri_tue.don", 140, (), False), ("khcn.so_huu_tri_tue.van_bang", 52, (), False)},
        ),
        (
            "- Hỗ trợ 20 đơn đăng ký sáng chế, kiểu dáng công nghiệp và nhãn hiệu.",
            {("khcn.so_huu_tri_tue.don", 20, (), False)},
        ),
        # S&T enterprises; the total the certificates raise is of the kind certified
        (
            "- Toàn tỉnh có 12 doanh nghiệp khoa học và công nghệ.",
            {("khcn.doanh_nghiep_khcn", 12, (), False)},
        ),
        (
            "- Cấp Giấy chứng nhận doanh nghiệp KH&CN cho 3 doanh nghiệp, nâng tổng số lên 15 doanh nghiệp.",
            {("khcn.doanh_nghiep_khcn", 15, (), False)},
        ),
        ("- Kiểm định, hiệu chuẩn 8.200 phương tiện đo.", {("khcn.kiem_dinh_do_luong", 8200, (), False)}),
        # instruments inspected at the pump are not verified
        ("- Kiểm tra 120 phương tiện đo tại các cơ sở kinh doanh xăng dầu.", set()),
        # the budget allocated, not what was spent of it
        (
            "- Kinh phí sự nghiệp khoa học và công nghệ được giao 40,5 tỷ đồng, đã giải ngân 30 tỷ đồng.",
            {("khcn.kinh_phi", 40500000000, (), False)},
        ),
        # look-alikes: a seat on another's council, tasks chosen or approved, one kind of
        # application, certificates issued, an ICT project accepted
        ("- Tham gia Hội đồng nghiệm thu 04 đề tài khoa học cấp tỉnh.", set()),
        ("- Phối hợp tuyển chọn 09 nhiệm vụ khoa học và công nghệ cấp tỉnh.", set()),
        ("- Phê duyệt mới 21 đề tài, dự án; 74 nhiệm vụ chuyển tiếp.", set()),
        ("- Hỗ trợ 04 đơn đăng ký sáng chế và 15 đơn đăng ký nhãn hiệu.", set()),
        ("- Cấp 14 giấy chứng nhận doanh nghiệp khoa học và công nghệ.", set()),
        ("- Nghiệm thu 5 dự án ứng dụng công nghệ thông tin.", set()),
        # science figures take no ICT code: conformity dossiers are no one-stop dossiers, the
        # province's initiatives no initiatives of the Department
        ("- Tiếp nhận 214 hồ sơ công bố hợp chuẩn, hợp quy.", set()),
        ("- Thẩm định công nghệ 12 dự án đầu tư.", set()),
        ("- Sở là chủ đầu tư 6 dự án đầu tư công.", {("th.dau_tu.du_an", 6, (), False)}),
        (
            "- Hội đồng sáng kiến cấp tỉnh xét, công nhận 150 sáng kiến có phạm vi ảnh hưởng cấp tỉnh; "
            "37 sáng kiến được đề nghị xét tặng danh hiệu Chiến sĩ thi đua.",
            set(),
        ),
        (
            "- Có 07 sáng kiến của công chức, viên chức Sở được Hội đồng sáng kiến tỉnh công nhận.",
            {("th.sang_kien", 7, (), False)},
        ),
    ],
)
def test_science_phrasings(line: str, expected: set[tuple[Any, ...]]) -> None:
    assert _yearly(line) == expected


def test_bare_tasks_accepted_are_science_ones_where_the_clause_or_heading_says_so() -> None:
    line = "- Năm qua đã nghiệm thu 3 nhiệm vụ."
    digital = "Kết quả năm 2025\nI. KẾT QUẢ\n1. Chuyển đổi số\n"
    science = "Kết quả năm 2025\nI. KẾT QUẢ\n1. Khoa học và công nghệ\n"
    assert _facts(HEAD + digital + line + "\n") == set()
    assert _facts(HEAD + science + line + "\n") == {("khcn.nhiem_vu.nghiem_thu", 3, (), False)}
    # the programme of both fields is no sign of science alone
    nq57 = (
        "- Thực hiện Nghị quyết 57 về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số, đã nghiệm thu 3 nhiệm vụ.\n"
    )
    assert _facts(HEAD + digital + nq57) == set()
    assert _facts(
        HEAD + digital + "- Quản lý 40 nhiệm vụ khoa học và công nghệ, nghiệm thu 3 nhiệm vụ.\n"
    ) == {
        ("khcn.nhiem_vu", 40, (), False),
        ("khcn.nhiem_vu.nghiem_thu", 3, (), False),
    }


def test_a_table_of_science_indicators_by_year() -> None:
    table = (
        "TT\tChỉ tiêu\tĐơn vị tính\tThực hiện năm 2024\tƯớc thực hiện năm 2025\n"
        "1\tSố nhiệm vụ KH&CN đang triển khai\tNhiệm vụ\t52\t58\n"
        "2\tSố đề tài, dự án được nghiệm thu\tĐề tài\t20\t24\n"
        "3\tVăn bằng bảo hộ được cấp\tVăn bằng\t100\t118\n"
        "4\tKinh phí sự nghiệp KH&CN\tTỷ đồng\t130,5\t142,6\n"
    )
    assert _yearly(table) == {
        ("khcn.nhiem_vu", 52, Y2024, False),
        ("khcn.nhiem_vu", 58, (), False),
        ("khcn.nhiem_vu.nghiem_thu", 20, Y2024, False),
        ("khcn.nhiem_vu.nghiem_thu", 24, (), False),
        ("khcn.so_huu_tri_tue.van_bang", 100, Y2024, False),
        ("khcn.so_huu_tri_tue.van_bang", 118, (), False),
        ("khcn.kinh_phi", 130500000000, Y2024, False),
        ("khcn.kinh_phi", 142600000000, (), False),
    }


def test_in_a_quarterly_report_the_budget_and_a_closed_year_keep_their_year() -> None:
    text = (
        HEAD + "Kết quả thực hiện nhiệm vụ quý IV, tổng kết năm 2025\n"
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ QUÝ IV VÀ NĂM 2025\n1. Khoa học và công nghệ\n"
        "- Năm 2025, quản lý 46 nhiệm vụ khoa học và công nghệ cấp tỉnh, tổ chức nghiệm thu 15 nhiệm vụ; "
        "kinh phí sự nghiệp khoa học và công nghệ năm 2025 được giao 52,7 tỷ đồng.\n"
    )
    assert _facts(text) == {
        ("khcn.nhiem_vu", 46, Y2025, False),
        ("khcn.nhiem_vu.nghiem_thu", 15, Y2025, False),
        ("khcn.kinh_phi", 52700000000, Y2025, False),
    }


def test_science_plan_figures_are_targets() -> None:
    text = (
        HEAD + "Tổng kết năm 2025 và kế hoạch năm 2026\nI. KẾT QUẢ NĂM 2025\n- Tiếp nhận 1.000 hồ sơ.\n"
        "II. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2026\n"
        "- Nghiệm thu 45 đề tài, dự án khoa học và công nghệ; phấn đấu có 50 doanh nghiệp khoa học và công nghệ.\n"
    )
    y2026 = (("type", "year"), ("year", 2026))
    assert {f for f in _facts(text) if f[0].startswith("khcn.")} == {
        ("khcn.nhiem_vu.nghiem_thu", 45, y2026, True),
        ("khcn.doanh_nghiep_khcn", 50, y2026, True),
    }
