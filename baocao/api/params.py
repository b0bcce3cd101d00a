"""Turning what a caller wrote (a unit code or name, a period code or label, an indicator
code) into objects, with errors that name the parameter — and with the access check, so
that no endpoint can forget it.

The parameters endpoints share are declared here once, as `Annotated` types that carry their
default and constraints (`unit: UnitParam`). A view takes them after a `*`: the parameter
itself has no Python default, so it may follow one that has.
"""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model, QuerySet
from ninja import Path, Query
from pydantic import AfterValidator, Field

from baocao.access.access import Perm, require, visible_units
from baocao.catalog.models import Indicator
from baocao.core.periods import REGIMES, Period, PeriodError, parse_period, regime_for
from baocao.orgunits.lookup import UnitNotFound, find_unit
from baocao.orgunits.models import OrgUnit

from .errors import invalid, not_found

# Query strings reach the database; PostgreSQL refuses NUL in text, so it is refused here.
NO_NUL = r"^[^\x00]*$"

# Built from the regimes the core knows, so that the OpenAPI document lists them as an enum.
RegimeCode = StrEnum("RegimeCode", {code: code for code in REGIMES})  # type: ignore[misc]
DEFAULT_REGIME = "hanh_chinh"

# Examples shown in the OpenAPI document; generated tests (Schemathesis) also draw on them, so
# that some generated requests reach the services instead of stopping at "not found".
UNIT_EXAMPLES = ["P63-84", "Trà Vinh", "VN"]
PERIOD_EXAMPLES = ["2022", "quý I/2022", "2022Q1", "6 tháng đầu năm 2022"]
INDICATOR_EXAMPLES = ["cntt.qlvb.ty_le_ky_so", "cntt.qlvb.vb_di", "cntt.cts.tong"]

# The longest text a caller may write for each kind of parameter.
UNIT_MAX = 200
PERIOD_MAX = 60
INDICATOR_MAX = 80
FIELD_MAX = 16
SEARCH_MAX = 200
REASON_MAX = 1000

MAX_ID = 2**63 - 1  # a larger id cannot be a row (and overflows SQLite's integer)

M = TypeVar("M", bound=Model)


def _clean_text(value: str) -> str:
    """Reject what no database column can hold: NUL and unpaired surrogates (from JSON \\ud800)."""
    if "\x00" in value:
        raise ValueError("không được chứa ký tự NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("không phải văn bản UTF-8 hợp lệ") from None
    return value


CleanStr = Annotated[str, AfterValidator(_clean_text)]


def text_query(default: Any, max_length: int, description: str | None = None, example: Any = None) -> Any:
    """A query string of 1 to `max_length` characters without NUL; `...` as `default`: required."""
    return Query(
        default,
        min_length=1,
        max_length=max_length,
        pattern=NO_NUL,
        description=description,
        example=example,
    )


# -- query and path parameters --------------------------------------------------------------------
_UNIT = "Mã hoặc tên đơn vị"
_PERIOD = "Mã kỳ hoặc nhãn"

UnitParam = Annotated[str, text_query(..., UNIT_MAX, _UNIT, UNIT_EXAMPLES[0])]
OptionalUnitParam = Annotated[str | None, text_query(None, UNIT_MAX, _UNIT, UNIT_EXAMPLES[0])]
SubtreeParam = Annotated[bool, Query(False, description="Gồm cả các đơn vị trực thuộc")]
PeriodParam = Annotated[str, text_query(..., PERIOD_MAX, _PERIOD, PERIOD_EXAMPLES[0])]
OptionalPeriodParam = Annotated[str | None, text_query(None, PERIOD_MAX, _PERIOD, PERIOD_EXAMPLES[0])]
IndicatorParam = Annotated[str, text_query(..., INDICATOR_MAX, example=INDICATOR_EXAMPLES[0])]
OptionalIndicatorParam = Annotated[str | None, text_query(None, INDICATOR_MAX, example=INDICATOR_EXAMPLES[0])]
RegimeParam = Annotated[RegimeCode, Query(DEFAULT_REGIME)]
LimitParam = Annotated[int, Query(100, ge=1, le=1000)]
OffsetParam = Annotated[int, Query(0, ge=0, le=10_000_000)]
ReasonParam = Annotated[str, text_query(..., REASON_MAX, "Lý do xóa (ghi nhật ký)")]
IdParam = Annotated[int, Path(..., ge=1, le=MAX_ID)]

# -- fields of request bodies ---------------------------------------------------------------------
UnitField = Annotated[
    CleanStr,
    Field(min_length=1, max_length=UNIT_MAX, description="Mã đơn vị hoặc tên", examples=UNIT_EXAMPLES),
]
PeriodField = Annotated[
    CleanStr,
    Field(min_length=1, max_length=PERIOD_MAX, description=_PERIOD, examples=PERIOD_EXAMPLES),
]


def period_of(text: str, field: str = "period") -> Period:
    """A period from its code ("2022Q1") or label ("quý I/2022"); 422 naming `field` otherwise."""
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise invalid(f"{field}: '{text}' không phải kỳ báo cáo ({exc})", field, "invalid_period") from None


def locate_unit(
    user: AbstractBaseUser,
    text: str,
    *,
    perm: Perm = Perm.VIEW,
    on: datetime.date | None = None,
    field: str = "unit",
) -> OrgUnit:
    """The unit `text` names (its code, or its name on day `on`), without an access check.

    A name that several units share is settled among the units the user may see
    ("Châu Thành" is a district in several provinces).
    """
    try:
        return find_unit(text, on=on)
    except UnitNotFound as exc:
        if len(exc.candidates) < 2:
            raise not_found(f"{field}: {exc}", field) from None
        try:
            return find_unit(text, on=on, units=visible_units(user, perm))
        except UnitNotFound as scoped:
            raise not_found(f"{field}: {scoped}", field) from None


def unit_of(
    user: AbstractBaseUser,
    text: str,
    *,
    perm: Perm = Perm.VIEW,
    on: datetime.date | None = None,
    field: str = "unit",
) -> OrgUnit:
    """`locate_unit`, then require `perm` on the unit.

    A unit that exists but is out of the user's scope is a 403, not a 404: the administrative
    map is public, the data is what is protected.
    """
    unit = locate_unit(user, text, perm=perm, on=on, field=field)
    require(user, unit, perm)
    return unit


def scoped(
    user: AbstractBaseUser,
    qs: QuerySet[M],
    unit: str | None,
    subtree: bool,
    *,
    on: datetime.date | None = None,
) -> QuerySet[M]:
    """Rows (with a `unit`) the user may see; of the unit `unit` names (with the units under it
    if `subtree`) when it is given, which the user must be allowed to see."""
    qs = qs.filter(unit__in=visible_units(user, Perm.VIEW))
    if unit is None:
        return qs
    found = unit_of(user, unit, on=on)
    return qs.filter(unit__path__startswith=found.path) if subtree else qs.filter(unit=found)


def visible_row(user: AbstractBaseUser, qs: QuerySet[M], pk: int, missing: str, field: str) -> M:
    """The row `pk` if its unit is one the user may see; a row they may not see does not exist
    for them (404 with `missing`)."""
    row = qs.filter(pk=pk, unit__in=visible_units(user, Perm.VIEW)).first()
    if row is None:
        raise not_found(missing, field)
    return row


def indicator_of(code: str, field: str = "indicator") -> Indicator:
    indicator = Indicator.objects.select_related("field").filter(code=code).first()
    if indicator is None:
        raise not_found(f"{field}: mã chỉ tiêu '{code}' không có trong danh mục", field)
    return indicator


def due_date(regime: str, period: Period, field: str = "period") -> datetime.date:
    """The regime's due date; a period at the very end of the calendar has none (OverflowError)."""
    try:
        return regime_for(regime).due_date(period)
    except OverflowError:
        raise invalid(
            f"{field}: {period.label} không có hạn báo cáo trong lịch", field, "invalid_period"
        ) from None
