"""Which province a text is from (rules/places.yaml, places.py): every sign runs on its own
examples, and the tables behind the signs cover every province, not those of the corpus."""

from __future__ import annotations

from typing import Any

import pytest

from baocao.extraction import extract_text
from baocao.extraction.lexicon import default_lexicon
from baocao.extraction.places import find_province, places
from baocao.extraction.textview import build_view


def _places() -> Any:
    return places(tuple(default_lexicon().provinces))


def _cases() -> list[Any]:
    return [
        pytest.param(sign.id, i, id=f"{sign.id}[{i}]")
        for sign in _places().signs
        for i in range(len(sign.examples))
    ]


@pytest.mark.parametrize(("sign_id", "index"), _cases())
def test_sign_example(sign_id: str, index: int) -> None:
    sign = next(s for s in _places().signs if s.id == sign_id)
    example = sign.examples[index]
    lex = default_lexicon()
    text = build_view(example["text"], lex.spelling).text
    assert find_province(text, lex.provinces) == example["gives"], f"{sign_id}: {example['text']!r}"


def test_every_sign_has_an_example_that_finds_a_province() -> None:
    for sign in _places().signs:
        assert any(e.get("gives") for e in sign.examples), f"{sign.id}: no example"


def test_every_province_has_districts_an_address_and_its_names() -> None:
    rules = _places()
    provinces = set(rules.names.values())
    assert len(provinces) >= 63
    # the 63 provinces before 2025 each have districts of their own in the table
    with_districts = set(rules.districts.values())
    assert len(with_districts) == 63, sorted(provinces - with_districts)
    assert provinces <= set(rules.addresses.values()) | {"Thừa Thiên Huế", "Huế"}


@pytest.mark.parametrize(
    ("text", "province"),
    [
        # a district shared by two provinces names neither; a commune's name is no district
        ("Xã Phú Mỹ (Phú Tân) có 3 trạm BTS.", None),
        ("Người dân thị trấn Sông Cầu (Đồng Hỷ) dùng điện thoại thông minh.", "Thái Nguyên"),
        # spellings: dashes, "Đăk", old and short names
        ("Doanh thu viễn thông của Bà Rịa-Vũng Tàu tăng 8%.", "Bà Rịa – Vũng Tàu"),
        ("Sở TT&TT tỉnh Đăk Lăk tổ chức hội nghị.", "Đắk Lắk"),
        ("Năm 2020, TP.HCM có 9,1 triệu thuê bao.", "Hồ Chí Minh"),
        ("Trên địa bàn thành phố có 50 đơn sáng chế được chấp nhận.\nSở KH&CN TPCT", "Cần Thơ"),
        # a national paper's code is no province's
        ("LĐO - Chiều 12/1, Sở tổ chức hội nghị.", None),
        ("KTĐT - Chiều 12/1, Sở tổ chức hội nghị.", None),
    ],
)
def test_province_of_a_text(text: str, province: str | None) -> None:
    lex = default_lexicon()
    assert find_province(build_view(text, lex.spelling).text, lex.provinces) == province


def test_the_extractor_reads_the_province_of_a_press_text_from_its_address() -> None:
    text = "Quangbinhtv.vn - Ngày 6/1, Sở tổ chức tổng kết năm 2021.\n\nToàn tỉnh có 1.200 trạm BTS."
    assert extract_text(text)["province"] == "Quảng Bình"


@pytest.mark.parametrize(
    ("period", "province"),
    [("2024", "Bình Thuận"), ("2025S1", "Bình Thuận"), ("2025", "Lâm Đồng"), ("2026Q1", "Lâm Đồng")],
)
def test_an_old_province_after_the_2025_merger_is_the_one_it_joined(period: str, province: str) -> None:
    text = "Khu vực tỉnh Bình Thuận có 1.800 trạm BTS, phủ sóng 100% thôn."
    assert extract_text(text, period=period)["province"] == province
