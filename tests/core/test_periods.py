from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.periods import (
    REGIMES,
    Period,
    PeriodError,
    PeriodType,
    Regime,
    RegimeError,
    parse_period,
    period_containing,
    regime_for,
)

Q1_2020 = Period(PeriodType.QUARTER, 2020, 1)
H1_2022 = Period(PeriodType.HALF, 2022, 1)
H2_2022 = Period(PeriodType.HALF, 2022, 2)
Y2022 = Period(PeriodType.YEAR, 2022)
M3_2022 = Period(PeriodType.MONTH, 2022, 3)


@st.composite
def periods(draw: st.DrawFn, min_year: int = 1001, max_year: int = 9998) -> Period:
    ptype = draw(st.sampled_from(list(PeriodType)))
    year = draw(st.integers(min_value=min_year, max_value=max_year))
    index = 0 if ptype is PeriodType.YEAR else draw(st.integers(1, ptype.count_per_year))
    return Period(ptype, year, index)


# -- construction ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ptype", "year", "index"),
    [
        (PeriodType.MONTH, 2022, 0),
        (PeriodType.MONTH, 2022, 13),
        (PeriodType.QUARTER, 2022, 5),
        (PeriodType.HALF, 2022, 3),
        (PeriodType.YEAR, 2022, 1),
        (PeriodType.YEAR, 999, 0),
        (PeriodType.YEAR, 10000, 0),
    ],
)
def test_invalid_periods(ptype: PeriodType, year: int, index: int) -> None:
    with pytest.raises(PeriodError):
        Period(ptype, year, index)


def test_period_type_is_str_enum() -> None:
    assert isinstance(PeriodType.YEAR, str)
    assert PeriodType.YEAR.value == "year"
    assert PeriodType("quarter") is PeriodType.QUARTER
    assert str(PeriodType.HALF) == "half"


def test_string_type_is_coerced() -> None:
    assert Period("quarter", 2020, 1) == Q1_2020  # type: ignore[arg-type]
    with pytest.raises(PeriodError):
        Period("week", 2020, 1)  # type: ignore[arg-type]


def test_non_int_fields_rejected() -> None:
    with pytest.raises(PeriodError):
        Period(PeriodType.YEAR, "2020")  # type: ignore[arg-type]
    with pytest.raises(PeriodError):
        Period(PeriodType.MONTH, 2020, True)


def test_constructors() -> None:
    assert Period.of_month(2022, 3) == M3_2022
    assert Period.of_quarter(2020, 1) == Q1_2020
    assert Period.of_half(2022, 2) == H2_2022
    assert Period.of_year(2022) == Y2022
    assert Period.for_date(date(2022, 8, 9), PeriodType.QUARTER) == Period.of_quarter(2022, 3)


def test_hashable_and_ordered_within_type() -> None:
    assert len({Q1_2020, Period.of_quarter(2020, 1)}) == 1
    assert sorted([Period.of_quarter(2021, 1), Period.of_quarter(2020, 4), Q1_2020]) == [
        Q1_2020,
        Period.of_quarter(2020, 4),
        Period.of_quarter(2021, 1),
    ]


# -- spellings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "code", "label", "label_en", "slug"),
    [
        (Q1_2020, "2020Q1", "quý I/2020", "Q1 2020", "quy-1-2020"),
        (Period.of_quarter(2020, 4), "2020Q4", "quý IV/2020", "Q4 2020", "quy-4-2020"),
        (H1_2022, "2022S1", "6 tháng đầu năm 2022", "H1 2022", "6-thang-dau-nam-2022"),
        (H2_2022, "2022S2", "6 tháng cuối năm 2022", "H2 2022", "6-thang-cuoi-nam-2022"),
        (Y2022, "2022", "năm 2022", "2022", "nam-2022"),
        (M3_2022, "202203", "tháng 3/2022", "March 2022", "thang-3-2022"),
        (Period.of_month(2022, 12), "202212", "tháng 12/2022", "December 2022", "thang-12-2022"),
    ],
)
def test_spellings(period: Period, code: str, label: str, label_en: str, slug: str) -> None:
    assert period.code == code == str(period)
    assert period.label == label
    assert period.label_en == label_en
    assert period.slug == slug
    assert Period.from_code(code) == period


@pytest.mark.parametrize(
    "code", ["", "22", "2022Q5", "2022Q0", "202213", "202200", "2022S3", "2022X1", "abc"]
)
def test_from_code_rejects(code: str) -> None:
    with pytest.raises(PeriodError) as info:
        Period.from_code(code)
    assert repr(code) in str(info.value)


def test_from_code_accepts_h_and_lowercase() -> None:
    assert Period.from_code("2022h1") == H1_2022
    assert Period.from_code(" 2020q1 ") == Q1_2020


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý I/2020", Q1_2020),
        ("quý I/2020", Q1_2020),
        ("quý 1 năm 2020", Q1_2020),
        ("QUÝ I NĂM 2020", Q1_2020),
        ("Quý I năm 2020", Q1_2020),
        ("quy I nam 2020", Q1_2020),
        ("Q1/2020", Q1_2020),
        ("Q1 2020", Q1_2020),
        ("q1-2020", Q1_2020),
        ("2020 Q1", Q1_2020),
        ("quy-1-2020", Q1_2020),
        ("2020Q1", Q1_2020),
        ("quý IV/2020", Period.of_quarter(2020, 4)),
        ("quý III năm 2020", Period.of_quarter(2020, 3)),
        ("6 tháng đầu năm 2022", H1_2022),
        ("06 tháng đầu năm 2022", H1_2022),
        ("sáu tháng đầu năm 2022", H1_2022),
        ("Sáu tháng đầu năm 2022", H1_2022),
        ("6 THÁNG ĐẦU NĂM 2022", H1_2022),
        ("6 tháng năm 2022", H1_2022),
        ("6 tháng cuối năm 2022", H2_2022),
        ("nửa đầu năm 2022", H1_2022),
        ("H1 2022", H1_2022),
        ("H2/2022", H2_2022),
        ("2022S1", H1_2022),
        ("6-thang-dau-nam-2022", H1_2022),
        ("năm 2022", Y2022),
        ("Năm 2022", Y2022),
        ("NĂM 2022", Y2022),
        ("cả năm 2022", Y2022),
        ("2022", Y2022),
        ("nam-2022", Y2022),
        ("tháng 3/2022", M3_2022),
        ("Tháng 3/2022", M3_2022),
        ("tháng 03 năm 2022", M3_2022),
        ("tháng 3 năm 2022", M3_2022),
        ("T3/2022", M3_2022),
        ("thang-3-2022", M3_2022),
        ("202203", M3_2022),
        ("2022-03", M3_2022),
        ("March 2022", M3_2022),
        ("mar 2022", M3_2022),
        ("  quý   I / 2020 ", Q1_2020),
        # as people write them in signed reports (issue 13)
        ("quí I/2023", Period.of_quarter(2023, 1)),
        ("Quí IV năm 2023", Period.of_quarter(2023, 4)),
        ("9 tháng năm 2023", Period.of_quarter(2023, 3)),
        ("9 tháng đầu năm 2023", Period.of_quarter(2023, 3)),
        ("chín tháng đầu năm 2023", Period.of_quarter(2023, 3)),
        ("6 tháng cuối năm 2023", Period.of_half(2023, 2)),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


def test_parse_period_decomposed_unicode() -> None:
    import unicodedata

    assert parse_period(unicodedata.normalize("NFD", "Quý I/2020")) == Q1_2020


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quý I", Q1_2020),
        ("quý 2", Period.of_quarter(2020, 2)),
        ("6 tháng đầu năm", Period.of_half(2020, 1)),
        ("6 tháng cuối năm", Period.of_half(2020, 2)),
        ("9 tháng đầu năm", Period.of_quarter(2020, 3)),
        ("quí II", Period.of_quarter(2020, 2)),
        ("tháng 3", Period.of_month(2020, 3)),
        ("năm nay", Period.of_year(2020)),
    ],
)
def test_parse_period_default_year(text: str, expected: Period) -> None:
    assert parse_period(text, default_year=2020) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "quý V/2020",
        "quý 0/2020",
        "tháng 13/2022",
        "tháng 0/2022",
        "abc",
        "quý I",
        "tháng 3",
        "Foo 2022",
        "9 tháng đầu năm",
        "8 tháng năm 2023",
    ],
)
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert repr(text) in str(info.value)


def test_parse_period_rejects_non_text() -> None:
    with pytest.raises(PeriodError):
        parse_period(2022)  # type: ignore[arg-type]


# -- calendar -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Q1_2020, date(2020, 1, 1), date(2020, 3, 31)),
        (H1_2022, date(2022, 1, 1), date(2022, 6, 30)),
        (H2_2022, date(2022, 7, 1), date(2022, 12, 31)),
        (Y2022, date(2022, 1, 1), date(2022, 12, 31)),
        (Period.of_month(2020, 2), date(2020, 2, 1), date(2020, 2, 29)),
        (Period.of_month(2021, 2), date(2021, 2, 1), date(2021, 2, 28)),
    ],
)
def test_start_end(period: Period, start: date, end: date) -> None:
    assert (period.start, period.end) == (start, end)


def test_neighbours() -> None:
    assert Q1_2020.previous() == Period.of_quarter(2019, 4)
    assert Q1_2020.next() == Period.of_quarter(2020, 2)
    assert Period.of_month(2022, 12).next() == Period.of_month(2023, 1)
    assert H2_2022.next() == Period.of_half(2023, 1)
    assert Y2022.previous() == Period.of_year(2021)
    assert M3_2022.same_period_last_year() == Period.of_month(2021, 3)
    assert Y2022.same_period_last_year() == Period.of_year(2021)


def test_contains() -> None:
    assert Y2022.contains(M3_2022)
    assert Y2022.contains(H2_2022)
    assert H1_2022.contains(Period.of_quarter(2022, 2))
    assert not H1_2022.contains(Period.of_quarter(2022, 3))
    assert not M3_2022.contains(Period.of_quarter(2022, 1))
    assert Q1_2020.contains(Q1_2020)
    assert not Y2022.contains(Period.of_month(2021, 12))


def test_subperiods_and_parent() -> None:
    assert Y2022.subperiods(PeriodType.QUARTER) == [Period.of_quarter(2022, i) for i in range(1, 5)]
    assert H2_2022.subperiods(PeriodType.MONTH) == [Period.of_month(2022, m) for m in range(7, 13)]
    assert Q1_2020.subperiods(PeriodType.QUARTER) == [Q1_2020]
    assert M3_2022.parent(PeriodType.QUARTER) == Period.of_quarter(2022, 1)
    assert Period.of_quarter(2022, 3).parent(PeriodType.HALF) == H2_2022
    assert M3_2022.parent(PeriodType.YEAR) == Y2022
    with pytest.raises(PeriodError):
        M3_2022.subperiods(PeriodType.YEAR)
    with pytest.raises(PeriodError):
        Y2022.parent(PeriodType.MONTH)


# -- gold-file shape ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "data"),
    [
        (Q1_2020, {"type": "quarter", "year": 2020, "quarter": 1}),
        (Y2022, {"type": "year", "year": 2022}),
        (Period.of_half(2020, 1), {"type": "half", "year": 2020, "half": 1}),
        (Period.of_month(2020, 3), {"type": "month", "year": 2020, "month": 3}),
    ],
)
def test_dict_shape(period: Period, data: dict[str, Any]) -> None:
    assert period.to_dict() == data
    assert Period.from_dict(data) == period
    assert json.loads(json.dumps(period.to_dict())) == data


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"type": "week", "year": 2020},
        {"type": "quarter", "year": 2020},
        {"type": "quarter", "year": 2020, "quarter": 5},
        {"type": "year"},
        {"type": "year", "year": "2020"},
        {"type": "month", "year": 2020, "month": "3"},
    ],
)
def test_from_dict_rejects(data: dict[str, Any]) -> None:
    with pytest.raises(PeriodError):
        Period.from_dict(data)


def test_from_dict_rejects_non_dict() -> None:
    with pytest.raises(PeriodError):
        Period.from_dict([1, 2])  # type: ignore[arg-type]


def _corpus_dir() -> Path:
    import os

    default = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    return Path(os.environ.get("BAOCAO_CORPUS", default))


def test_gold_periods_read_back() -> None:
    gold = sorted((_corpus_dir() / "gold").glob("*.json"))
    if not gold:
        pytest.skip("corpus not available")
    seen = 0
    for path in gold:
        data = json.loads(path.read_text(encoding="utf-8"))
        blobs = [data["period"]] + [f["period"] for f in data["facts"] if f.get("period")]
        for blob in blobs:
            assert Period.from_dict(blob).to_dict() == blob, path.name
            seen += 1
    assert seen


# -- regimes --------------------------------------------------------------------------------------

HC = REGIMES["hanh_chinh"]
TK = REGIMES["thong_ke"]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Q1_2020, date(2019, 12, 15), date(2020, 3, 14)),
        (Y2022, date(2021, 12, 15), date(2022, 12, 14)),
        (M3_2022, date(2022, 2, 15), date(2022, 3, 14)),
        (Period.of_month(2022, 1), date(2021, 12, 15), date(2022, 1, 14)),
        (H1_2022, date(2021, 12, 15), date(2022, 6, 14)),
        (H2_2022, date(2022, 6, 15), date(2022, 12, 14)),
    ],
)
def test_administrative_window(period: Period, start: date, end: date) -> None:
    assert HC.window(period) == (start, end)


def test_statistical_window_is_calendar() -> None:
    assert TK.window(Q1_2020) == (date(2020, 1, 1), date(2020, 3, 31))


def test_due_dates() -> None:
    assert HC.due_date(Q1_2020) == date(2020, 3, 20)
    assert HC.due_date(Y2022) == date(2022, 12, 20)
    assert TK.due_date(Q1_2020) == date(2020, 4, 15)
    assert TK.due_date(Y2022) == date(2023, 1, 15)


def test_regime_metadata() -> None:
    assert HC.kind == "administrative"
    assert TK.kind == "statistical"
    assert "09/2019" in HC.name_vi
    assert regime_for("hanh_chinh") is HC
    assert all(code == regime.code for code, regime in REGIMES.items())


def test_regime_for_unknown() -> None:
    with pytest.raises(RegimeError, match="hanh_chinh"):
        regime_for("weekly")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "other"}, "kind"),
        ({"cutoff_day": 28}, "cutoff_day"),
        ({"due_days_after_cutoff": -1}, "due_days"),
    ],
)
def test_regime_validation(kwargs: dict[str, Any], message: str) -> None:
    base: dict[str, Any] = {
        "code": "x",
        "name_vi": "x",
        "name_en": "x",
        "kind": "administrative",
        "due_days_after_cutoff": 5,
    }
    base.update(kwargs)
    with pytest.raises(RegimeError, match=message):
        Regime(**base)


@pytest.mark.parametrize(
    ("day", "ptype", "regime", "expected"),
    [
        (date(2022, 12, 14), PeriodType.YEAR, HC, Y2022),
        (date(2022, 12, 15), PeriodType.YEAR, HC, Period.of_year(2023)),
        (date(2022, 12, 15), PeriodType.YEAR, TK, Y2022),
        (date(2020, 3, 14), PeriodType.QUARTER, HC, Q1_2020),
        (date(2020, 3, 15), PeriodType.QUARTER, HC, Period.of_quarter(2020, 2)),
        (date(2019, 12, 15), PeriodType.QUARTER, HC, Q1_2020),
        (date(2022, 2, 15), PeriodType.MONTH, HC, M3_2022),
        (date(2022, 6, 15), PeriodType.HALF, HC, H2_2022),
    ],
)
def test_period_containing(day: date, ptype: PeriodType, regime: Regime, expected: Period) -> None:
    assert period_containing(day, ptype, regime) == expected
    assert regime.period_containing(day, ptype) == expected


# -- properties -----------------------------------------------------------------------------------


@given(periods())
def test_code_round_trip(period: Period) -> None:
    assert Period.from_code(period.code) == period
    assert parse_period(period.code) == period


@given(periods())
def test_label_round_trip(period: Period) -> None:
    assert parse_period(period.label) == period
    assert parse_period(period.label.upper()) == period


@given(periods())
def test_label_en_round_trip(period: Period) -> None:
    assert parse_period(period.label_en) == period


@given(periods())
def test_slug_round_trip(period: Period) -> None:
    assert parse_period(period.slug) == period
    assert period.slug.isascii()


@given(periods())
def test_dict_round_trip(period: Period) -> None:
    assert Period.from_dict(period.to_dict()) == period


@given(periods())
def test_previous_next_inverse(period: Period) -> None:
    assert period.next().previous() == period
    assert period.previous().next() == period
    assert period.next().start == period.end + timedelta(days=1)


@given(periods(), st.sampled_from(list(PeriodType)))
def test_subperiods_cover_parent_exactly(period: Period, finer: PeriodType) -> None:
    if finer.months > period.type.months:
        return
    parts = period.subperiods(finer)
    assert parts[0].start == period.start
    assert parts[-1].end == period.end
    for left, right in itertools.pairwise(parts):
        assert left.end + timedelta(days=1) == right.start
    assert all(p.parent(period.type) == period for p in parts)
    assert all(period.contains(p) for p in parts)


@given(periods(min_year=1001, max_year=9998), st.sampled_from([HC, TK]))
def test_windows_tile(period: Period, regime: Regime) -> None:
    start, end = regime.window(period)
    next_start, _ = regime.window(period.next())
    assert start <= end
    assert end + timedelta(days=1) == next_start
    assert regime.due_date(period) >= end


@given(
    st.dates(min_value=date(1001, 2, 1), max_value=date(9998, 11, 30)),
    st.sampled_from(list(PeriodType)),
    st.sampled_from([HC, TK]),
)
def test_period_containing_is_consistent(day: date, ptype: PeriodType, regime: Regime) -> None:
    period = period_containing(day, ptype, regime)
    start, end = regime.window(period)
    assert start <= day <= end


@given(st.text(max_size=40))
def test_parse_period_only_raises_period_error(text: str) -> None:
    try:
        parse_period(text)
    except PeriodError:
        return


@pytest.mark.parametrize(
    ("months", "code"),
    [(3, "2022Q1"), (5, "202205"), (6, "2022S1"), (9, "2022Q3"), (10, "202210"), (12, "2022"), (13, "2022")],
)
def test_the_first_months_of_a_year_as_reports_count_them(months: int, code: str) -> None:
    assert Period.of_first_months(2022, months).code == code
