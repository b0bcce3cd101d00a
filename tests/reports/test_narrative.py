"""The placeholder syntax of narrative entries and the wording of figures (pure, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.core.narrative import (
    Citation,
    CitationOptions,
    Figure,
    FigureOptions,
    NarrativeError,
    Text,
    comparison_label,
    format_change,
    format_citation,
    format_doc_date,
    format_figure,
    format_plan,
    missing_figure,
    parse,
    resolve_period_ref,
)
from baocao.core.periods import Period

D = Decimal


def test_text_figures_and_citations_are_split_in_order() -> None:
    segments = parse(
        "- Có {cntt.qlvb.vb_di} văn bản, {cntt.qlvb.ty_le_ky_so|so_voi:nam_truoc}; [16/KH-UBND]."
    )
    kinds = [type(s) for s in segments]
    assert kinds == [Text, Figure, Text, Figure, Text, Citation, Text]
    figure = segments[3]
    assert isinstance(figure, Figure)
    assert figure.code == "cntt.qlvb.ty_le_ky_so" and figure.options.compare_to == "nam_truoc"
    assert figure.line == 1 and figure.column == 33
    citation = segments[5]
    assert isinstance(citation, Citation) and citation.number == "16/KH-UBND"


def test_modifiers_are_read() -> None:
    (fig,) = [
        s
        for s in parse("{bc.doanh_thu|dat|don_vi|tren|khong_so_0|khong:Không có|ky:2019}")
        if isinstance(s, Figure)
    ]
    assert fig.options == FigureOptions(
        with_unit=True, verb=True, more_word="trên", pad=False, zero_text="Không có", period_ref="2019"
    )
    (cite,) = [s for s in parse("[14/2022/QĐ-UBND|ngan|trich_yeu|nam:2022]") if isinstance(s, Citation)]
    assert cite.options == CitationOptions(with_date=False, with_summary=True, year=2022)


def test_emphasis_and_escapes() -> None:
    segments = parse("**{cntt.cts.tong}** và *nghiêng* \\* {{ngoặc}} [[1]]")
    assert isinstance(segments[0], Figure) and segments[0].bold
    assert Text("nghiêng", italic=True) in segments
    assert "".join(s.text for s in segments if isinstance(s, Text)).endswith(" * {ngoặc} [1]")


def test_brackets_that_are_not_document_numbers_stay_text() -> None:
    segments = parse("theo [1] và [ghi chú]")
    assert segments == [Text("theo [1] và [ghi chú]")]


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("Có {cntt.qlvb.vb_di|la} văn bản", "tùy chọn 'la' không có", 4),
        ("{Cntt.Qlvb}", "mã chỉ tiêu 'Cntt.Qlvb' không hợp lệ", 1),
        ("a {cntt.cts.tong", "thiếu dấu '}'", 3),
        ("a } b", "dấu '}' thừa", 3),
        ("{x.y|so_voi:hom_qua}", "kỳ 'hom_qua' không hợp lệ", 1),
        ("{x.y|so_voi:nam_truoc|ke_hoach}", "chỉ dùng một trong", 1),
        ("{}", "chỗ số liệu trống", 1),
        ("**đậm", "thiếu '**'", 1),
    ],
)
def test_syntax_errors_name_line_and_column(text: str, message: str, column: int) -> None:
    with pytest.raises(NarrativeError) as info:
        parse(text)
    problem = info.value.problems[0]
    assert message in problem.message
    assert (problem.line, problem.column) == (1, column)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(NarrativeError) as info:
        parse("{a|x}\n{b|so_voi:}")
    assert [(p.line, p.column) for p in info.value.problems] == [(1, 1), (2, 1)]


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "options", "expected"),
    [
        (D(217199), "văn bản", "exact", FigureOptions(), "217.199"),
        (D(5), "lớp", "exact", FigureOptions(), "05"),
        (D(5), "lớp", "exact", FigureOptions(pad=False), "5"),
        (D(2597), "chứng thư", "exact", FigureOptions(with_unit=True), "2.597 chứng thư"),
        (D("80.7061"), "%", "exact", FigureOptions(), "80,71%"),
        (D(100), "%", "exact", FigureOptions(), "100%"),
        (D(76_000_000_000), "đồng", "approx", FigureOptions(), "ước 76 tỷ đồng"),
        (D(76_000_000_000), "đồng", "approx", FigureOptions(verb=True), "ước đạt 76 tỷ đồng"),
        (D(1_062_000_000_000), "đồng", "exact", FigureOptions(verb=True), "đạt 1.062 tỷ đồng"),
        (D(31_858_000_000), "đồng", "exact", FigureOptions(), "31,858 tỷ đồng"),
        (D(7_500_000), "đồng", "exact", FigureOptions(), "7.500.000 đồng"),
        (D(150), "văn bản", "more_than", FigureOptions(), "hơn 150"),
        (D(30), "văn bản", "more_than", FigureOptions(more_word="trên"), "trên 30"),
        (D(90), "%", "more_than", FigureOptions(more_word="trên"), "trên 90%"),
        (D(0), "đơn", "exact", FigureOptions(zero_text="không có"), "không có"),
    ],
)
def test_figures_are_written_as_reports_write_them(
    value: Decimal, unit: str, qualifier: str, options: FigureOptions, expected: str
) -> None:
    assert format_figure(value, unit, qualifier, options) == expected


def test_a_rate_is_compared_in_points_and_quotes_the_earlier_rate() -> None:
    # The 2022 report: "tỷ lệ 80,71%, tăng 2,17% so với năm 2021 (78,54%)".
    assert (
        format_change(D("80.7061"), D("78.54"), "%", is_rate=True, label="năm 2021")
        == "tăng 2,17% so với năm 2021 (78,54%)"
    )
    assert format_change(D(70), D("78.54"), "%", is_rate=True, label="năm 2021") == (
        "giảm 8,54% so với năm 2021 (78,54%)"
    )
    assert format_change(D("78.541"), D("78.54"), "%", is_rate=True, label="năm 2021").startswith(
        "không thay đổi"
    )


def test_a_count_or_an_amount_is_compared_relatively() -> None:
    assert (
        format_change(D(947), D(1000), "bưu gửi", is_rate=False, label="năm 2021")
        == "giảm 5,3% so với năm 2021"
    )
    assert format_change(D(105), D(100), "đồng", is_rate=False, label="năm 2021") == "tăng 5% so với năm 2021"
    assert (
        format_change(D(3), D(0), "cuộc", is_rate=False, label="quý IV/2019")
        == "tăng 03 cuộc so với quý IV/2019"
    )


def test_plan_attainment() -> None:
    assert format_plan(D("14.87"), D(50)) == "đạt 29,74% so với mục tiêu kế hoạch"
    with pytest.raises(ZeroDivisionError):
        format_plan(D(1), D(0))


def test_relative_periods_and_their_names() -> None:
    year, quarter = Period.from_code("2022"), Period.from_code("2020Q1")
    assert resolve_period_ref("nam_truoc", year) == Period.from_code("2021")
    assert resolve_period_ref("nam_truoc", quarter) == Period.from_code("2019Q1")
    assert resolve_period_ref("ky_truoc", quarter) == Period.from_code("2019Q4")
    assert resolve_period_ref("ky_toi", year) == Period.from_code("2023")
    assert resolve_period_ref("2019", quarter) == Period.from_code("2019")
    assert comparison_label(Period.from_code("2021"), year) == "năm 2021"
    assert comparison_label(Period.from_code("2019Q1"), quarter) == "cùng kỳ năm 2019"
    assert comparison_label(Period.from_code("2019Q4"), quarter) == "quý IV/2019"


def test_citations_follow_decree_30_dates() -> None:
    # NĐ 30/2020: a zero before days 1–9 and months 1–2 only, as the corpus reports write them.
    assert format_doc_date(date(2022, 2, 24)) == "24/02/2022"
    assert format_doc_date(date(2022, 3, 31)) == "31/3/2022"
    assert format_doc_date(date(2022, 6, 7)) == "07/6/2022"
    assert (
        format_citation("Kế hoạch", "16/KH-UBND", date(2022, 2, 24))
        == "Kế hoạch số 16/KH-UBND ngày 24/02/2022"
    )
    assert format_citation(
        "Kế hoạch",
        "16/KH-UBND",
        date(2022, 2, 24),
        "về X",
        CitationOptions(with_date=False, with_summary=True),
    ) == ("Kế hoạch số 16/KH-UBND về X")
    assert format_citation("Công văn", "241/STTTT-TTra", None, options=CitationOptions(lower_kind=True)) == (
        "công văn số 241/STTTT-TTra"
    )
    assert (
        format_citation(None, "4366/BTTTT-HTQT", None, options=CitationOptions(number_only=True))
        == "4366/BTTTT-HTQT"
    )


def test_missing_figures_are_visible_marks() -> None:
    assert missing_figure("cntt.qlvb.vb_di") == "[chưa có số liệu: cntt.qlvb.vb_di]"
    assert missing_figure("bc.san_luong", "năm 2021") == "[chưa có số liệu năm 2021: bc.san_luong]"
    assert missing_figure("x.y", "năm 2022", plan=True) == "[chưa có chỉ tiêu kế hoạch năm 2022: x.y]"
