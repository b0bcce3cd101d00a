"""Pure name helpers (no database)."""

from __future__ import annotations

import pytest

from baocao.orgunits.names import search_key, split_type, strip_key_prefix


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Trà Vinh", "tra vinh"),
        ("TP. Hồ Chí Minh", "tp ho chi minh"),
        ("Đắk Lắk", "dak lak"),
        ("  Bà Rịa - Vũng Tàu ", "ba ria vung tau"),
        ("Hoà Bình", "hoa binh"),
        ("Hòa Bình", "hoa binh"),  # old and new tone placement give the same key
        ("ĐỒNG THÁP", "dong thap"),
    ],
)
def test_search_key(text: str, key: str) -> None:
    assert search_key(text) == key


@pytest.mark.parametrize(
    ("full_name", "kind", "name"),
    [
        ("Tỉnh Trà Vinh", "tỉnh", "Trà Vinh"),
        ("Thành phố Hà Nội", "thành phố", "Hà Nội"),
        ("Thành Phố Bắc Kạn", "thành phố", "Bắc Kạn"),
        ("Thị trấn Càng Long", "thị trấn", "Càng Long"),
        ("Thị xã Duyên Hải", "thị xã", "Duyên Hải"),
        ("Đặc khu Phú Quốc", "đặc khu", "Phú Quốc"),
        ("Quận 1", "quận", "Quận 1"),
        ("Phường 7", "phường", "Phường 7"),
        ("Cao Bằng", "", "Cao Bằng"),
    ],
)
def test_split_type(full_name: str, kind: str, name: str) -> None:
    assert split_type(full_name) == (kind, name)


def test_strip_key_prefix() -> None:
    assert strip_key_prefix("tinh tra vinh") == ("tra vinh", ("province",))
    assert strip_key_prefix("tp ho chi minh") == ("ho chi minh", ("province", "district"))
    assert strip_key_prefix("huyen cang long") == ("cang long", ("district",))
    assert strip_key_prefix("tra vinh") == ("tra vinh", ())
    assert strip_key_prefix("tinh") == ("tinh", ())
