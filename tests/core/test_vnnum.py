from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.vnnum import (
    QUALIFIERS,
    SCALE_WORDS,
    Quantity,
    VietnameseNumberError,
    format_count,
    format_money,
    format_number,
    format_percent,
    format_quantity,
    format_with_qualifier,
    parse_number,
    parse_quantity,
    to_decimal,
)

# -- parse_number ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("40.722", Decimal(40722)),
        ("2.938.512", Decimal(2938512)),
        ("73,95", Decimal("73.95")),
        ("08", Decimal(8)),
        ("01", Decimal(1)),
        ("1,959", Decimal("1.959")),
        ("5773", Decimal(5773)),
        ("31,858", Decimal("31.858")),
        ("1.5", Decimal("1.5")),
        ("1.50", Decimal("1.5")),
        ("1.5000", Decimal("1.5")),
        ("0,43", Decimal("0.43")),
        ("545.863.000.000", Decimal(545863000000)),
        ("1.234,5", Decimal("1234.5")),
        ("0", Decimal(0)),
        ("-3,5", Decimal("-3.5")),
        ("−12", Decimal(-12)),
        ("+7", Decimal(7)),
        (" 1.118 ", Decimal(1118)),
        ("\u00a0226\u00a0", Decimal(226)),
        ("-0", Decimal(0)),
    ],
)
def test_parse_number(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


def test_parse_number_keeps_decimal_places_as_written() -> None:
    assert str(parse_number("73,90")) == "73.90"
    assert str(parse_number("08")) == "8"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1,2,3",
        "1.234.5",
        "1.2345.6",
        "1234.567",
        ".5",
        "5.",
        ",5",
        "5,",
        "1..2",
        "12%",
        "-",
        "1 2",
    ],
)
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(VietnameseNumberError) as info:
        parse_number(text)
    assert repr(text) in str(info.value)


def test_parse_number_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_number("x")


def test_parse_number_rejects_non_text() -> None:
    with pytest.raises(VietnameseNumberError):
        parse_number(12)  # type: ignore[arg-type]


# -- parse_quantity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("76 tỷ đồng", Decimal(76_000_000_000), "đồng", "exact"),
        ("7.500.000đ", Decimal(7_500_000), "đồng", "exact"),
        ("7.500.000 đồng", Decimal(7_500_000), "đồng", "exact"),
        ("7.500.000 VNĐ", Decimal(7_500_000), "đồng", "exact"),
        ("7.500.000 vnd", Decimal(7_500_000), "đồng", "exact"),
        ("30,5 tỷ đồng", Decimal(30_500_000_000), "đồng", "exact"),
        ("31,858 tỷ đồng", Decimal(31_858_000_000), "đồng", "exact"),
        ("1.062 tỷ đồng", Decimal(1_062_000_000_000), "đồng", "exact"),
        ("15.629.000.000 đồng", Decimal(15_629_000_000), "đồng", "exact"),
        ("1,1 triệu người", Decimal(1_100_000), "người", "exact"),
        ("ước 1,1 triệu người", Decimal(1_100_000), "người", "approx"),
        ("73,95%", Decimal("73.95"), "%", "exact"),
        ("73,95 %", Decimal("73.95"), "%", "exact"),
        ("Không có", Decimal(0), None, "exact"),
        ("không có.", Decimal(0), None, "exact"),
        ("hơn 150 văn bản", Decimal(150), "văn bản", "more_than"),
        ("Hơn 100 công văn", Decimal(100), "công văn", "more_than"),
        ("trên 90%", Decimal(90), "%", "more_than"),
        ("trên 30 văn bản", Decimal(30), "văn bản", "more_than"),
        ("ước 76 tỷ đồng", Decimal(76_000_000_000), "đồng", "approx"),
        ("ước đạt 76 tỷ đồng", Decimal(76_000_000_000), "đồng", "approx"),
        ("ước tính 5 nghìn", Decimal(5000), None, "approx"),
        ("ước là 15.629.000.000 đồng", Decimal(15_629_000_000), "đồng", "approx"),
        ("khoảng 20 ngàn hộ", Decimal(20_000), "hộ", "approx"),
        ("gần 3 tỉ đồng", Decimal(3_000_000_000), "đồng", "approx"),
        ("dưới 5%", Decimal(5), "%", "less_than"),
        ("08", Decimal(8), None, "exact"),
        ("08 Công văn", Decimal(8), "Công văn", "exact"),
        ("83,8 thuê bao/100 dân", Decimal("83.8"), "thuê bao/100 dân", "exact"),
        ("1,959 km", Decimal("1.959"), "km", "exact"),
        ("2.938.512", Decimal(2_938_512), None, "exact"),
        ("40.722.", Decimal(40722), None, "exact"),
        ("5 triệu", Decimal(5_000_000), None, "exact"),
        ("0,5 nghìn", Decimal(500), None, "exact"),
        # press style for a thousand billion
        ("1,2 nghìn tỷ đồng", Decimal(1_200_000_000_000), "đồng", "exact"),
        ("hơn 3 ngàn tỉ đồng", Decimal(3_000_000_000_000), "đồng", "more_than"),
    ],
)
def test_parse_quantity(text: str, value: Decimal, unit: str | None, qualifier: str) -> None:
    assert parse_quantity(text) == Quantity(value, unit, qualifier)


def test_parse_quantity_scaled_money_is_integral() -> None:
    # 30,5 × 10⁹ must not keep a stray ".0": downstream code compares text forms.
    assert str(parse_quantity("30,5 tỷ đồng").value) == "30500000000"


def test_qualifier_word_needs_a_word_boundary() -> None:
    # "hơnx" is no qualifier; the text then has no number at its head.
    with pytest.raises(VietnameseNumberError):
        parse_quantity("hơnx 5")


@pytest.mark.parametrize("text", ["", "văn bản", "hơn", "1.234.5 người", "12% nữa", "khoảng chừng"])
def test_parse_quantity_rejects(text: str) -> None:
    with pytest.raises(VietnameseNumberError) as info:
        parse_quantity(text)
    assert repr(text) in str(info.value)


def test_quantity_validates_qualifier() -> None:
    with pytest.raises(VietnameseNumberError):
        Quantity(Decimal(1), None, "roughly")


def test_constants() -> None:
    assert QUALIFIERS == ("exact", "approx", "more_than", "less_than")
    assert SCALE_WORDS["tỷ"] == SCALE_WORDS["tỉ"] == Decimal(10**9)
    assert SCALE_WORDS["nghìn"] == SCALE_WORDS["ngàn"] == Decimal(1000)
    assert SCALE_WORDS["triệu"] == Decimal(10**6)


# -- formatting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2597, None, "2.597"),
        (217199, None, "217.199"),
        (Decimal("80.71"), None, "80,71"),
        (80.71, None, "80,71"),
        (Decimal("80.70"), None, "80,7"),
        (Decimal("31.858"), None, "31,858"),
        (Decimal("2938512"), None, "2.938.512"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (-1234567, None, "-1.234.567"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("-0.0"), None, "0"),
        (Decimal("80.7"), 2, "80,70"),
        (Decimal("80.715"), 2, "80,72"),
        (Decimal("80.714"), 2, "80,71"),
        (Decimal("2.5"), 0, "3"),
        (1949, 1, "1.949,0"),
    ],
)
def test_format_number(value: Decimal | int | float, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_format_number_max_decimals_trims() -> None:
    assert format_number(Decimal("80.7049"), max_decimals=2) == "80,7"
    assert format_number(Decimal("100.001"), max_decimals=2) == "100"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), True])
def test_format_number_rejects_non_finite(bad: object) -> None:
    with pytest.raises(VietnameseNumberError):
        format_number(bad)  # type: ignore[arg-type]


def test_format_number_rejects_negative_decimals() -> None:
    with pytest.raises(VietnameseNumberError):
        format_number(1, -1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("80.71"), "80,71%"),
        (100, "100%"),
        (Decimal("100.00"), "100%"),
        (73.95, "73,95%"),
        (Decimal("0.434"), "0,43%"),
        (Decimal("29.65"), "29,65%"),
        (Decimal("83.80"), "83,8%"),
    ],
)
def test_format_percent(value: Decimal | int | float, expected: str) -> None:
    assert format_percent(value) == expected


def test_format_percent_decimals() -> None:
    assert format_percent(Decimal("80.716"), decimals=1) == "80,7%"


@pytest.mark.parametrize(
    ("value", "unit_word", "expected"),
    [
        (1_062_000_000_000, None, "1.062 tỷ đồng"),
        (76_000_000_000, None, "76 tỷ đồng"),
        (30_500_000_000, None, "30,5 tỷ đồng"),
        (31_858_000_000, None, "31,858 tỷ đồng"),
        (7_500_000, None, "7.500.000 đồng"),
        (4_000_000, None, "4.000.000 đồng"),
        (999_000_000, None, "999.000.000 đồng"),
        (1_000_000_001, None, "1.000.000.001 đồng"),
        (0, None, "0 đồng"),
        (7_500_000, "triệu", "7,5 triệu đồng"),
        (7_500_000, "tỷ", "0,0075 tỷ đồng"),
        (76_000_000_000, "đồng", "76.000.000.000 đồng"),
        (76_000_000_000, "Tỷ", "76 tỷ đồng"),
        (1_500, "nghìn", "1,5 nghìn đồng"),
    ],
)
def test_format_money(value: int, unit_word: str | None, expected: str) -> None:
    assert format_money(value, unit_word) == expected


def test_format_money_forced_scale_with_decimals() -> None:
    assert format_money(31_858_000_000, "tỷ", decimals=1) == "31,9 tỷ đồng"


def test_format_money_unknown_scale() -> None:
    with pytest.raises(VietnameseNumberError, match="đô"):
        format_money(1, "đô")


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (150, "văn bản", "more_than", "hơn 150 văn bản"),
        (76_000_000_000, "đồng", "approx", "ước 76 tỷ đồng"),
        (Decimal("80.71"), "%", "exact", "80,71%"),
        (Decimal(90), "%", "more_than", "hơn 90%"),
        (5, None, "less_than", "dưới 5"),
        (7_500_000, "VNĐ", "exact", "7.500.000 đồng"),
        (1_100_000, "người", "approx", "ước 1.100.000 người"),
    ],
)
def test_format_quantity(value: Decimal | int, unit: str | None, qualifier: str, expected: str) -> None:
    assert format_quantity(value, unit, qualifier) == expected


def test_format_with_qualifier() -> None:
    assert format_with_qualifier("150", "exact") == "150"
    assert format_with_qualifier("150", "more_than") == "hơn 150"
    with pytest.raises(VietnameseNumberError):
        format_with_qualifier("150", "some")


@pytest.mark.parametrize(
    ("value", "pad", "expected"),
    [
        (8, True, "08"),
        (1, True, "01"),
        (9, True, "09"),
        (10, True, "10"),
        (0, True, "0"),
        (8, False, "8"),
        (1949, True, "1.949"),
    ],
)
def test_format_count(value: int, pad: bool, expected: str) -> None:
    assert format_count(value, pad) == expected


def test_format_count_rejects_non_int() -> None:
    with pytest.raises(VietnameseNumberError):
        format_count(1.5)  # type: ignore[arg-type]


def test_to_decimal() -> None:
    assert to_decimal(80.71) == Decimal("80.71")
    assert to_decimal("1.234") == Decimal(1234)
    with pytest.raises(VietnameseNumberError):
        to_decimal([1])  # type: ignore[arg-type]


# -- properties -----------------------------------------------------------------------------------

decimals_0_4 = st.integers(min_value=0, max_value=4).flatmap(
    lambda places: st.integers(min_value=-(10**15), max_value=10**15).map(
        lambda n: Decimal(n).scaleb(-places)
    )
)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_integer_round_trip(n: int) -> None:
    assert parse_number(format_number(n)) == n


@given(decimals_0_4)
def test_decimal_round_trip(value: Decimal) -> None:
    assert parse_number(format_number(value)) == value


@given(decimals_0_4, st.integers(min_value=0, max_value=4))
def test_fixed_decimals_have_exact_places(value: Decimal, places: int) -> None:
    text = format_number(value, places)
    fraction = text.partition(",")[2]
    assert len(fraction) == places
    assert abs(parse_number(text) - value) <= Decimal(1).scaleb(-places) / 2


@given(st.integers(min_value=0, max_value=10**15))
def test_money_round_trip(amount: int) -> None:
    assert parse_quantity(format_money(amount)) == Quantity(Decimal(amount), "đồng", "exact")


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["nghìn", "triệu", "tỷ"]))
def test_forced_money_scale_round_trip(amount: int, scale: str) -> None:
    assert parse_quantity(format_money(amount, scale)).value == amount


@given(
    decimals_0_4.filter(lambda d: d >= 0),
    st.sampled_from([None, "%", "đồng", "văn bản", "người", "thuê bao/100 dân", "hồ sơ"]),
    st.sampled_from(QUALIFIERS),
)
def test_quantity_round_trip(value: Decimal, unit: str | None, qualifier: str) -> None:
    if unit == "đồng":
        value = value.to_integral_value()
    parsed = parse_quantity(format_quantity(value, unit, qualifier))
    assert parsed == Quantity(value, unit, qualifier)


@given(st.integers(min_value=0, max_value=10**9))
def test_count_round_trip(n: int) -> None:
    assert parse_number(format_count(n)) == n


@given(st.text(max_size=30))
def test_parse_number_only_raises_its_error(text: str) -> None:
    with contextlib.suppress(VietnameseNumberError):
        parse_number(text)


@given(st.text(max_size=30))
def test_parse_quantity_only_raises_its_error(text: str) -> None:
    with contextlib.suppress(VietnameseNumberError):
        parse_quantity(text)
