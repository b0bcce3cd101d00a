"""Phrasings of batch 30's classes: a share before its noun in a list, the online-dossier rate of
the services of levels 3 and 4 together, and premises named as one kind of owner (a part, no
total).  Each case is a sentence written for the test."""

from __future__ import annotations

from typing import Any

import pytest

from .sentences import indicator_values as _facts


@pytest.mark.parametrize(
    ("sentence", "expected", "absent"),
    [
        # the share before its noun, the manner right after the verb
        (
            "Tỉnh cung cấp 80% dịch vụ công trực tuyến mức độ 4, 98% văn bản trao đổi điện tử, 100% ứng dụng chữ ký số.",
            {("cntt.qlvb.ty_le_vb_dien_tu", 98)},
            set(),
        ),
        ("Có 95% văn bản được gửi, nhận điện tử giữa các cơ quan nhà nước.", {("cntt.qlvb.ty_le_vb_dien_tu", 95)}, set()),
        # the dossiers of the services of both levels: the whole online rate, no one level's
        (
            "Tỷ lệ hồ sơ nộp trực tuyến của các dịch vụ công mức độ 3 và 4 trên tổng số hồ sơ đạt 64%.",
            {("cntt.hoso.ty_le_truc_tuyen", 64)},
            set(),
        ),
        (
            "Tỷ lệ hồ sơ trực tuyến của dịch vụ công trực tuyến mức độ 3, 4 trên tổng số hồ sơ đạt 58%.",
            {("cntt.hoso.ty_le_truc_tuyen", 58)},
            set(),
        ),
        (
            "Tỷ lệ giữa hồ sơ tiếp nhận trực tuyến mức 3, 4 so với hồ sơ đã tiếp nhận là 8,2%.",
            {("cntt.hoso.ty_le_truc_tuyen", 8.2)},
            set(),
        ),
        # one level alone stays that level's
        ("Tỷ lệ hồ sơ trực tuyến mức độ 4 đạt 30%.", set(), {("cntt.hoso.ty_le_truc_tuyen", 30)}),
        # … and both levels without the whole are the rate of their own dossiers
        ("Tỷ lệ hồ sơ nộp trực tuyến mức độ 3, 4 đạt 45%.", set(), {("cntt.hoso.ty_le_truc_tuyen", 45)}),
        # premises named as one kind of owner in a list of parts: no total
        (
            "Toàn tỉnh có 3 công ty phát hành sách; 6 nhà sách tư nhân; hơn 40 cơ sở phát hành sách là hộ kinh doanh cá thể và 25 cơ sở in.",
            {("xb.co_so_in", 25)},
            {("xb.co_so_phat_hanh", 40)},
        ),
        (
            "Toàn tỉnh có 112 cơ sở phát hành xuất bản phẩm, 12 cơ sở in là doanh nghiệp tư nhân.",
            {("xb.co_so_phat_hanh", 112)},
            {("xb.co_so_in", 12)},
        ),
    ],
)
def test_batch30_phrasing(sentence: str, expected: set[tuple[Any, ...]], absent: set[tuple[Any, ...]]) -> None:
    found = _facts(sentence)
    assert expected <= found, found
    assert not absent & found, found
