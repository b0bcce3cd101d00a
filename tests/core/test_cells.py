from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.core.cells import neutralise, neutralise_row


@pytest.mark.parametrize("text", ["=1+1", "+84 912", "-5 so với năm trước", "@SUM(A1)", "\t=cmd", "\r=x",
                                  '=HYPERLINK("http://x","bấm")'])
def test_formula_text_gets_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Trà Vinh", "1.599", "a=b", "", None, 12, Decimal("-3"), 1.5])
def test_other_values_are_left_alone(value: object) -> None:
    assert neutralise(value) == value


def test_a_row_keeps_its_numbers() -> None:
    assert neutralise_row(["=x", 5, "y"]) == ["'=x", 5, "y"]


@pytest.mark.parametrize("text", ["=1+1", "-5", "Trà Vinh", "'quoted", ""])
def test_restore_undoes_neutralise(text: str) -> None:
    from baocao.core.cells import restore

    assert restore(neutralise(text)) == text
