"""A legal norm cited as a basis (a law, a decree, a circular) dates no text: the text is after it."""

from __future__ import annotations

from baocao.extraction.province import find_period


def test_a_decree_cited_as_the_basis_of_a_fine_gives_no_year() -> None:
    text = (
        "Ngày 12/4, Sở cho biết đã xử phạt một cơ sở in theo quy định tại Điều 25 Nghị định số "
        "119/2020/NĐ-CP ngày 7/10/2020 của Chính phủ. Hiện nay toàn tỉnh có 31 cơ sở in."
    )
    assert find_period(text, 0) is None


def test_a_circular_cited_gives_no_year_but_a_later_plan_does() -> None:
    assert find_period("Hiện nay, theo quy định tại Thông tư số 22/2020/TT-BTTTT ngày 1/9/2020 của Bộ, toàn tỉnh có 80 trạm.", 0) is None
    text = "Thực hiện Kế hoạch số 45/KH-UBND ngày 3/3/2021 của UBND tỉnh, đến nay toàn tỉnh có 620 điểm phục vụ."
    found = find_period(text, 0)
    assert found is not None and found.code == "2021"


def test_a_later_year_named_still_wins_over_the_decree() -> None:
    text = (
        "Theo Nghị định số 119/2020/NĐ-CP ngày 7/10/2020, năm 2022 Sở đã xử phạt 5 cơ sở in; "
        "toàn tỉnh có 31 cơ sở in."
    )
    found = find_period(text, 0)
    assert found is not None and found.code == "2022"
