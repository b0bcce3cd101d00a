"""Classes of error of batch 29 about WHICH indicator a figure is: an abbreviation in brackets inside
a name, two rates in a row, a count after "có" followed by "và", subscriber numbers counted as
subscribers, mobile Internet subscribers; and figures of one week, none of the report's period.
Each case is a sentence written for the test."""

from __future__ import annotations

from typing import Any

import pytest

from .sentences import indicator_values as _facts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an abbreviation in brackets between the words of a name (lexicon: aside_in_phrase)
        (
            "Tỉnh đã xây dựng 9 cơ sở dữ liệu (CSDL) dùng chung và 40 tập dữ liệu mở.",
            {("cntt.cds.csdl_dung_chung", 9), ("cntt.cds.du_lieu_mo", 40)},
        ),
        (
            "Tỉnh đã xây dựng 9 cơ sở dữ liệu dùng chung và 40 tập dữ liệu mở.",
            {("cntt.cds.csdl_dung_chung", 9), ("cntt.cds.du_lieu_mo", 40)},
        ),
        (
            "Năm 2024, toàn tỉnh có 1.250 trạm thu phát sóng (BTS) 4G.",
            {("vt.tram_4g", 1250)},
        ),
        (
            "Năm 2024, tỉnh cung cấp 1.320 dịch vụ công trực tuyến (DVCTT) toàn trình.",
            {("cntt.dvc.toan_trinh", 1320)},
        ),
        # two rates in a row: each is bound to the phrase before it
        (
            "Năm 2024, tỷ lệ hồ sơ trực tuyến của các cơ quan trong tỉnh đạt mức 75%, tỷ lệ hồ sơ có "
            "giao dịch thanh toán trực tuyến đạt trên 60%.",
            {("cntt.hoso.ty_le_truc_tuyen", 75), ("cntt.thanh_toan.ty_le", 60)},
        ),
        # "hồ sơ" typed without its horn
        (
            "Năm 2024, tỷ lệ hồ so có giao dịch thanh toán trực tuyến đạt 55%.",
            {("cntt.thanh_toan.ty_le", 55)},
        ),
        # a count after "có", then "và" and the next count with its own noun
        (
            "Năm 2024, thuê bao điện thoại cố định có 5.210 và 98.400 thuê bao Internet băng rộng cố định.",
            {("vt.tb_co_dinh", 5210), ("vt.tb_internet.co_dinh", 98400)},
        ),
        # the subscriber numbers in service are the subscribers ...
        (
            "Năm 2024, toàn tỉnh duy trì 1,2 triệu thuê bao di động và 215.300 số thuê bao truy cập "
            "internet băng rộng hiện có trên mạng.",
            {("vt.tb_di_dong.tong", 1200000), ("vt.tb_internet.tong", 215300)},
        ),
        # ... but a count of numbers of another kind is none
        (
            "Năm 2024, đã xử lý 156 số thuê bao vi phạm quy định về tin nhắn rác.",
            set(),
        ),
        # mobile Internet subscribers, after the people's use of the Internet
        (
            "Năm 2024, toàn tỉnh có 80% số dân sử dụng Internet với hơn 900 nghìn thuê bao Internet di động.",
            {("vt.tb_di_dong.bang_rong", 900000)},
        ),
        # the figures of one week, in the paragraph after the one naming the week, are none of the year
        (
            "Từ đầu năm 2024 đến nay, trung tâm tiếp nhận 20.500 hồ sơ. Chỉ tính riêng trong tuần (từ ngày "
            "3.6.2024 đến 9.6.2024) đã có 800 lượt công dân đến giao dịch.\n\nSố hồ sơ được giải quyết đúng "
            "hạn là 1.210 hồ sơ, số hồ sơ tiếp nhận trực tuyến chỉ 95 hồ sơ.",
            {("cntt.hoso.tiep_nhan", 20500)},
        ),
    ],
)
def test_which_indicator(sentence: str, expected: set[tuple[Any, ...]]) -> None:
    assert _facts(sentence) == expected


def test_abbreviation_in_brackets_is_capitals_only() -> None:
    """A parenthesis of ordinary words is no abbreviation: "(trả trước)" keeps its meaning."""
    from baocao.extraction.lexicon import default_lexicon

    obj = default_lexicon().slots["obj"].values["csdl_dung_chung"]
    assert obj.search("13 cơ sở dữ liệu (CSDL) dùng chung")
    assert not obj.search("13 cơ sở dữ liệu (trong đó) dùng chung")
