"""Reporting periods (month, quarter, half-year, year) and reporting regimes.

A Period is a calendar period with three spellings: a DHIS2-style code for
storage and URLs ("2022Q1"), a Vietnamese label exactly as reports write it
("quý I/2022") and an ASCII slug ("quy-1-2022").  parse_period reads all of
them and the looser ways people type them.

A Regime says which days a period's data covers.  Administrative reports
under Nghị định 09/2019/NĐ-CP do not follow the calendar: data is cut off
from the 15th of the month before the period to the 14th of its last month.
Statistical reports use the calendar period itself.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

__all__ = [
    "REGIMES",
    "Period",
    "PeriodError",
    "PeriodType",
    "Regime",
    "RegimeError",
    "parse_period",
    "period_containing",
    "period_problem",
    "regime_for",
    "storable_period_problem",
]


class PeriodError(ValueError):
    """A period that does not exist or a text that names no period."""


class RegimeError(ValueError):
    """An unknown reporting regime code."""


class PeriodType(StrEnum):
    # StrEnum (a str and an Enum) so that str(PeriodType.YEAR) == "year" in templates and JSON.
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        return _MONTHS[self]

    @property
    def count_per_year(self) -> int:
        return 12 // _MONTHS[self]


_MONTHS: dict[PeriodType, int] = {
    PeriodType.MONTH: 1,
    PeriodType.QUARTER: 3,
    PeriodType.HALF: 6,
    PeriodType.YEAR: 12,
}

# Key used by the gold files for the index of each period type.
_DICT_KEY: dict[PeriodType, str] = {
    PeriodType.MONTH: "month",
    PeriodType.QUARTER: "quarter",
    PeriodType.HALF: "half",
}

_ROMAN = ("", "I", "II", "III", "IV")
_ROMAN_VALUE = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MONTH_EN = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_EN_VALUE = {name.casefold(): i for i, name in enumerate(_MONTH_EN) if name}
_MONTH_EN_VALUE.update({name[:3].casefold(): i for i, name in enumerate(_MONTH_EN) if name})

# Four-digit years keep codes unambiguous ("202203" is March 2022, never year 202203).
_MIN_YEAR = 1000
_MAX_YEAR = 9999


_T = TypeVar("_T")


class _once(Generic[_T]):
    """A property worked out on first use and kept in the instance's __dict__ (which a frozen
    dataclass allows; equality and hashing still use the fields only). functools.cached_property
    takes a lock on every first use, which costs more than the work here."""

    def __init__(self, func: Callable[[Any], _T]) -> None:
        self.func = func
        self.name = func.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> _T:
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ``index`` is the month, quarter or half number, 0 for a year."""

    type: PeriodType
    year: int
    index: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.type, PeriodType):
            try:
                object.__setattr__(self, "type", PeriodType(self.type))
            except ValueError:
                raise PeriodError(f"unknown period type {self.type!r}") from None
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise PeriodError(f"period year must be an int, got {self.year!r}")
        if isinstance(self.index, bool) or not isinstance(self.index, int):
            raise PeriodError(f"period index must be an int, got {self.index!r}")
        if not _MIN_YEAR <= self.year <= _MAX_YEAR:
            raise PeriodError(f"period year {self.year} outside {_MIN_YEAR}..{_MAX_YEAR}")
        if self.type is PeriodType.YEAR:
            if self.index != 0:
                raise PeriodError(f"a year period has index 0, got {self.index}")
        elif not 1 <= self.index <= self.type.count_per_year:
            raise PeriodError(
                f"{self.type.value} index must be 1..{self.type.count_per_year}, got {self.index}"
            )

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        return cls(PeriodType.MONTH, year, month)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        return cls(PeriodType.QUARTER, year, quarter)

    @classmethod
    def of_half(cls, year: int, half: int) -> Period:
        return cls(PeriodType.HALF, year, half)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(PeriodType.YEAR, year, 0)

    @classmethod
    def of_first_months(cls, year: int, months: int) -> Period:
        """The first ``months`` months of a year as reports count them ("10 tháng đầu năm"): the
        year from 12, the first half at 6, the quarter that ends them at 3 and 9 (no period spans
        nine months: a "9 tháng" report is the third quarter's), else the month they end in."""
        if months >= 12:
            return cls.of_year(year)
        if months == 6:
            return cls.of_half(year, 1)
        if months % 3 == 0:
            return cls.of_quarter(year, months // 3)
        return cls.of_month(year, months)

    @classmethod
    def for_date(cls, d: date, type: PeriodType) -> Period:
        """The calendar period of ``type`` that contains ``d``."""
        ptype = PeriodType(type)
        if ptype is PeriodType.YEAR:
            return cls(ptype, d.year, 0)
        return cls(ptype, d.year, (d.month - 1) // ptype.months + 1)

    # -- spellings ------------------------------------------------------------------------------

    # code, start and end are asked tens of thousands of times by a national roll-up's plans:
    # each is worked out once per period
    @_once
    def code(self) -> str:
        if self.type is PeriodType.YEAR:
            return f"{self.year}"
        if self.type is PeriodType.QUARTER:
            return f"{self.year}Q{self.index}"
        if self.type is PeriodType.HALF:
            return f"{self.year}S{self.index}"
        return f"{self.year}{self.index:02d}"

    @classmethod
    def from_code(cls, code: str) -> Period:
        """Read a DHIS2-style code: "2022", "2022Q1", "2022S1" (or "2022H1"), "202203"."""
        text = code.strip().upper() if isinstance(code, str) else ""
        match = _CODE_RE.fullmatch(text)
        if match is None:
            raise PeriodError(f"not a period code: {code!r}")
        year = int(match["year"])
        try:
            if match["q"]:
                return cls(PeriodType.QUARTER, year, int(match["q"]))
            if match["s"]:
                return cls(PeriodType.HALF, year, int(match["s"]))
            if match["m"]:
                return cls(PeriodType.MONTH, year, int(match["m"]))
            return cls(PeriodType.YEAR, year, 0)
        except PeriodError as exc:
            raise PeriodError(f"not a valid period code {code!r}: {exc}") from None

    @property
    def label(self) -> str:
        """Vietnamese, as reports write it inside a sentence: "quý I/2020", "6 tháng đầu năm 2022"."""
        if self.type is PeriodType.YEAR:
            return f"năm {self.year}"
        if self.type is PeriodType.QUARTER:
            return f"quý {_ROMAN[self.index]}/{self.year}"
        if self.type is PeriodType.HALF:
            side = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {side} năm {self.year}"
        return f"tháng {self.index}/{self.year}"

    @property
    def label_en(self) -> str:
        if self.type is PeriodType.YEAR:
            return f"{self.year}"
        if self.type is PeriodType.QUARTER:
            return f"Q{self.index} {self.year}"
        if self.type is PeriodType.HALF:
            return f"H{self.index} {self.year}"
        return f"{_MONTH_EN[self.index]} {self.year}"

    @property
    def slug(self) -> str:
        if self.type is PeriodType.YEAR:
            return f"nam-{self.year}"
        if self.type is PeriodType.QUARTER:
            return f"quy-{self.index}-{self.year}"
        if self.type is PeriodType.HALF:
            side = "dau" if self.index == 1 else "cuoi"
            return f"6-thang-{side}-nam-{self.year}"
        return f"thang-{self.index}-{self.year}"

    def __str__(self) -> str:
        return self.code

    # -- calendar -------------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        if self.type is PeriodType.YEAR:
            return 1
        return (self.index - 1) * self.type.months + 1

    @property
    def last_month(self) -> int:
        return self.first_month + self.type.months - 1

    @_once
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @_once
    def end(self) -> date:
        last = self.last_month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    def _shift(self, steps: int) -> Period:
        if self.type is PeriodType.YEAR:
            return Period(self.type, self.year + steps, 0)
        per_year = self.type.count_per_year
        ordinal = self.year * per_year + (self.index - 1) + steps
        year, rest = divmod(ordinal, per_year)
        return Period(self.type, year, rest + 1)

    def previous(self) -> Period:
        return self._shift(-1)

    def next(self) -> Period:
        return self._shift(1)

    def same_period_last_year(self) -> Period:
        return Period(self.type, self.year - 1, self.index)

    def contains(self, other: Period) -> bool:
        """True when every day of ``other`` lies in this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def subperiods(self, type: PeriodType) -> list[Period]:
        """The periods of a finer (or the same) type that make up this one, in order."""
        ptype = PeriodType(type)
        if ptype.months > self.type.months:
            raise PeriodError(f"a {ptype.value} is longer than the {self.type.value} {self.code}")
        first = Period.for_date(self.start, ptype)
        return [first._shift(i) for i in range(self.type.months // ptype.months)]

    def parent(self, type: PeriodType) -> Period:
        """The period of a coarser (or the same) type that contains this one."""
        ptype = PeriodType(type)
        if ptype.months < self.type.months:
            raise PeriodError(f"a {ptype.value} is shorter than the {self.type.value} {self.code}")
        return Period.for_date(self.start, ptype)

    # -- gold-file shape ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """{"type": "quarter", "year": 2020, "quarter": 1} — the shape of the gold files."""
        result: dict[str, Any] = {"type": self.type.value, "year": self.year}
        if self.type is not PeriodType.YEAR:
            result[_DICT_KEY[self.type]] = self.index
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        if not isinstance(data, dict):
            raise PeriodError(f"a period must be an object, got {data!r}")
        try:
            ptype = PeriodType(str(data.get("type")))
        except ValueError:
            raise PeriodError(f"unknown period type in {data!r}") from None
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise PeriodError(f"period without an integer 'year': {data!r}")
        if ptype is PeriodType.YEAR:
            return cls(ptype, year, 0)
        key = _DICT_KEY[ptype]
        index = data.get(key, data.get("index"))
        if not isinstance(index, int) or isinstance(index, bool):
            raise PeriodError(f"{ptype.value} period without an integer {key!r}: {data!r}")
        try:
            return cls(ptype, year, index)
        except PeriodError as exc:
            raise PeriodError(f"invalid period {data!r}: {exc}") from None


_CODE_RE = re.compile(r"(?P<year>\d{4})(?:Q(?P<q>\d)|[SH](?P<s>\d)|(?P<m>\d{2}))?")


# -- parsing free text ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower-case ASCII: diacritics dropped, đ → d, separators → single spaces."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    ascii_text = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    ascii_text = ascii_text.replace("đ", "d").replace("Đ", "d")
    ascii_text = re.sub(r"[\s\-_/.,:;()]+", " ", ascii_text)
    # "q1", "h1" and "t3" glue letter and number; split them so one pattern serves both forms.
    ascii_text = re.sub(r"\b([qhst])(\d{1,2})\b", r"\1 \2", ascii_text)
    return ascii_text.strip()


_YEAR = r"(?:(?:nam|year)\s+)?(?P<year>\d{4})"
# "quí" is an old spelling of "quý", still common in signed reports.
_QUARTER_RE = re.compile(rf"(?:quy|qui|q|quarter)\s+(?P<n>iv|i{{1,3}}|\d{{1,2}})(?:\s+{_YEAR})?")
_QUARTER_YEAR_FIRST_RE = re.compile(r"(?P<year>\d{4})\s+q\s+(?P<n>\d)")
_HALF_RE = re.compile(rf"(?:0?6|sau)\s+thang(?:\s+(?P<side>dau|cuoi))?(?:\s+{_YEAR}|\s+nam)?")
# "9 tháng (đầu) năm 2023": a nine-month report, read as the quarter that ends it (no period of
# the catalog spans nine months; the extractor reads such titles the same way).
_NINE_MONTHS_RE = re.compile(rf"(?:0?9|chin)\s+thang(?:\s+dau)?(?:\s+{_YEAR}|\s+nam)?")
_HALF_SHORT_RE = re.compile(rf"(?:[hs]|half)\s+(?P<n>\d)(?:\s+{_YEAR})?")
_HALF_WORD_RE = re.compile(r"nua\s+(?P<side>dau|cuoi)\s+nam(?:\s+(?P<year>\d{4}))?")
_YEAR_RE = re.compile(r"(?:(?:ca\s+)?nam\s+)?(?P<year>\d{4})")
_MONTH_RE = re.compile(rf"(?:thang|t)\s+(?P<n>\d{{1,2}})(?:\s+{_YEAR})?")
_MONTH_EN_RE = re.compile(r"(?P<name>[a-z]+)\s+(?P<year>\d{4})")
_MONTH_NUMERIC_RE = re.compile(r"(?P<year>\d{4})\s+(?P<n>\d{2})")


def _year_of(match: re.Match[str], text: str, default_year: int | None) -> int:
    year = match.groupdict().get("year")
    if year:
        return int(year)
    if default_year is None:
        raise PeriodError(f"period without a year and no default year: {text!r}")
    return default_year


def quarter_number(raw: str) -> int:
    """A quarter as written after "quý": "I".."IV" (any case) or "1".."4"."""
    folded = raw.casefold()
    return _ROMAN_VALUE[folded] if folded in _ROMAN_VALUE else int(raw)


def _build(ptype: PeriodType, year: int, index: int, text: str) -> Period:
    try:
        return Period(ptype, year, index)
    except PeriodError as exc:
        raise PeriodError(f"not a valid period {text!r}: {exc}") from None


def parse_period(text: str, default_year: int | None = None) -> Period:
    """Read a period however it is written: code, slug, Vietnamese or English label.

    Case and diacritics do not matter ("QUÝ I NĂM 2020", "quy 1 nam 2020").
    A text without a year ("quý I") takes ``default_year`` or is an error.
    """
    if not isinstance(text, str):
        raise PeriodError(f"expected a text, got {type(text).__name__}: {text!r}")
    stripped = text.strip()
    if stripped[:1] in ("-", "+", "−"):
        raise PeriodError(f"'{stripped}' không phải là kỳ báo cáo: kỳ không có dấu âm, dương")
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in stripped):
        raise PeriodError(f"'{stripped}' có chữ số không phải 0–9 (ví dụ chữ số Ả Rập): hãy gõ lại bằng 0–9")
    if _CODE_RE.fullmatch(stripped.upper()):
        return Period.from_code(stripped)
    folded = _fold(stripped)
    if not folded:
        raise PeriodError(f"empty period text: {text!r}")

    match = _QUARTER_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.QUARTER, _year_of(match, text, default_year), quarter_number(match["n"]), text)
    match = _QUARTER_YEAR_FIRST_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.QUARTER, int(match["year"]), int(match["n"]), text)
    match = _HALF_RE.fullmatch(folded)
    if match:
        # "6 tháng năm 2022" without a side means the first six months, as reports use it.
        index = 2 if match["side"] == "cuoi" else 1
        return _build(PeriodType.HALF, _year_of(match, text, default_year), index, text)
    match = _NINE_MONTHS_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.QUARTER, _year_of(match, text, default_year), 3, text)
    match = _HALF_WORD_RE.fullmatch(folded)
    if match:
        index = 2 if match["side"] == "cuoi" else 1
        return _build(PeriodType.HALF, _year_of(match, text, default_year), index, text)
    match = _HALF_SHORT_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.HALF, _year_of(match, text, default_year), int(match["n"]), text)
    match = _MONTH_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.MONTH, _year_of(match, text, default_year), int(match["n"]), text)
    match = _MONTH_NUMERIC_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.MONTH, int(match["year"]), int(match["n"]), text)
    match = _MONTH_EN_RE.fullmatch(folded)
    if match and match["name"] in _MONTH_EN_VALUE:
        return _build(PeriodType.MONTH, int(match["year"]), _MONTH_EN_VALUE[match["name"]], text)
    match = _YEAR_RE.fullmatch(folded)
    if match:
        return _build(PeriodType.YEAR, int(match["year"]), 0, text)
    if folded in ("nam", "ca nam", "nam nay") and default_year is not None:
        return _build(PeriodType.YEAR, default_year, 0, text)
    raise PeriodError(f"not a period: {text!r}")


# -- what can be stored ----------------------------------------------------------------------------

# Figures are kept from the founding of the state (1945) to a few years ahead (plans and targets);
# a year outside is a typing slip ("1202", "20222") or an attack, never data.
FIRST_STORED_YEAR = 1945
YEARS_AHEAD = 10


def storable_period_problem(period: Period, this_year: int) -> str | None:
    """Why figures cannot be stored for `period` (None: they can), in Vietnamese."""
    last = this_year + YEARS_AHEAD
    if not FIRST_STORED_YEAR <= period.year <= last:
        return f"năm {period.year} ngoài khoảng lưu số liệu ({FIRST_STORED_YEAR}–{last})"
    return None


def period_problem(text: str, this_year: int) -> str:
    """A Vietnamese sentence saying why `text` is not a period figures can be stored for."""
    shown = (text or "").strip()
    try:
        period = parse_period(shown)
    except PeriodError as exc:
        message = str(exc)
        return message if message.startswith("'") else f"'{shown}' không phải là kỳ báo cáo"
    return f"'{shown}': {storable_period_problem(period, this_year) or 'không lưu được'}"


# -- reporting regimes ----------------------------------------------------------------------------


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + (month - 1) + delta, 12)
    return y, m + 1


@dataclass(frozen=True)
class Regime:
    """A reporting regime (chế độ báo cáo): which days a period covers and when it is due.

    ``cutoff_day`` is the last day of data in the period's last month for
    administrative regimes (14 under NĐ 09/2019); the window then starts the
    day after the cut-off in the month before the period.  Statistical
    regimes ignore it and use the calendar period.
    """

    code: str
    name_vi: str
    name_en: str
    kind: str
    due_days_after_cutoff: int
    cutoff_day: int = 14
    legal_basis: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("administrative", "statistical"):
            raise RegimeError(f"regime {self.code!r}: kind must be administrative or statistical")
        # Day 28 is the last that every month has; the window starts the next day.
        if not 1 <= self.cutoff_day <= 27:
            raise RegimeError(f"regime {self.code!r}: cutoff_day must be 1..27, got {self.cutoff_day}")
        if self.due_days_after_cutoff < 0:
            raise RegimeError(f"regime {self.code!r}: due_days_after_cutoff must be >= 0")

    def window(self, period: Period) -> tuple[date, date]:
        """First and last day (inclusive) of the data the period's report covers."""
        if self.kind == "statistical":
            return period.start, period.end
        start_year, start_month = _add_months(period.year, period.first_month, -1)
        start = date(start_year, start_month, self.cutoff_day + 1)
        end = date(period.year, period.last_month, self.cutoff_day)
        return start, end

    def due_date(self, period: Period) -> date:
        return self.window(period)[1] + timedelta(days=self.due_days_after_cutoff)

    def period_containing(self, d: date, type: PeriodType) -> Period:
        return period_containing(d, type, self)


REGIMES: dict[str, Regime] = {
    "hanh_chinh": Regime(
        code="hanh_chinh",
        name_vi="Chế độ báo cáo hành chính (Nghị định 09/2019/NĐ-CP)",
        name_en="Administrative reporting (Decree 09/2019/ND-CP)",
        kind="administrative",
        # Cut-off on the 14th, report due on the 20th of the period's last month.
        due_days_after_cutoff=6,
        cutoff_day=14,
        legal_basis="09/2019/NĐ-CP",
    ),
    "thong_ke": Regime(
        code="thong_ke",
        name_vi="Chế độ báo cáo thống kê",
        name_en="Statistical reporting",
        kind="statistical",
        # Statistical windows end on the calendar end, so this counts from the period's last day.
        due_days_after_cutoff=15,
        legal_basis=None,
    ),
}


def regime_for(code: str) -> Regime:
    try:
        return REGIMES[code]
    except (KeyError, TypeError):
        known = ", ".join(sorted(REGIMES))
        raise RegimeError(f"unknown reporting regime {code!r}; known regimes: {known}") from None


def period_containing(d: date, type: PeriodType, regime: Regime) -> Period:
    """The period of ``type`` whose window under ``regime`` contains the day ``d``."""
    calendar_period = Period.for_date(d, PeriodType(type))
    # Windows are shifted by less than a month against the calendar, so the
    # answer is the calendar period or one of its neighbours.
    for candidate in (calendar_period, calendar_period.next(), calendar_period.previous()):
        start, end = regime.window(candidate)
        if start <= d <= end:
            return candidate
    raise PeriodError(f"no {PeriodType(type).value} window of regime {regime.code!r} contains {d}")
