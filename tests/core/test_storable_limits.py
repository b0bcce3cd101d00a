"""What the database keeps exactly, decided in pure code: at most 15 significant digits, digits
0–9 only, years from 1945 to a few years ahead, no signed period."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.core.periods import Period, PeriodError, parse_period, period_problem, storable_period_problem
from baocao.core.vnnum import (
    VietnameseNumberError,
    number_problem,
    parse_number,
    parse_quantity,
    storable_number_problem,
)


@pytest.mark.parametrize("text", ["٣٬٥٠٠", "١٢٣", "۱۲۳", "１２３", "ước ١٢ tỷ đồng"])
def test_digits_other_than_0_to_9_are_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(VietnameseNumberError, match="chữ số không phải 0–9"):
        parse_quantity(text)
    assert "chữ số không phải 0–9" in number_problem(text)


def test_arabic_indic_digits_were_once_read_as_numbers() -> None:
    # Python's \\d and Decimal() both accept them: the refusal has to be explicit.
    assert Decimal("١٢٣") == 123
    with pytest.raises(VietnameseNumberError):
        parse_number("١٢٣")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("999.999.999.999.999", True),  # 15 digits
        ("1.000.000.000.000.000.000", True),  # one significant digit
        ("1.234.567.890.123.456", False),  # 16
        ("12345678901234567", False),
        ("0,123456789012345", True),
        ("1,1234567890123456", False),
    ],
)
def test_more_than_15_significant_digits_cannot_be_stored(text: str, ok: bool) -> None:
    problem = storable_number_problem(parse_number(text))
    assert (problem is None) == ok
    if not ok:
        assert "quá 15 chữ số" in str(problem) and "quá 15 chữ số" in number_problem(text)


@pytest.mark.parametrize("text", ["-2020", "+2020", "−2020", "-quý I/2020", "٢٠٢٠", "quý I/٢٠٢٠"])
def test_signed_or_foreign_digit_periods_are_refused(text: str) -> None:
    with pytest.raises(PeriodError, match="'"):
        parse_period(text)


def test_years_outside_1945_to_ten_years_ahead_are_not_stored() -> None:
    assert storable_period_problem(Period.of_year(1945), 2026) is None
    assert storable_period_problem(Period.from_code("2036Q4"), 2026) is None
    assert "ngoài khoảng lưu số liệu (1945–2036)" in str(storable_period_problem(Period.of_year(1944), 2026))
    assert storable_period_problem(Period.of_year(2037), 2026)
    assert storable_period_problem(Period.of_year(9999), 2026)
    assert period_problem("quý I/1900", 2026) == "'quý I/1900': năm 1900 ngoài khoảng lưu số liệu (1945–2036)"
    assert period_problem("-2020", 2026).startswith("'-2020' không phải là kỳ báo cáo")
    assert period_problem("quý V/2020", 2026) == "'quý V/2020' không phải là kỳ báo cáo"
