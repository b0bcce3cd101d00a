"""Which department writes a unit's report on a given day, and under which names.

The header of a report names the governing body and the agency as they were on the report's
date (Sở Thông tin và Truyền thông until 28/02/2025, Sở Khoa học và Công nghệ from
01/03/2025); both come from the department unit's `attributes`, never from code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from baocao.orgunits.lookup import department_of, province_of
from baocao.orgunits.models import OrgUnit


class ReportUnitError(LookupError):
    """No department can be found to write the report."""


@dataclass(frozen=True)
class Agency:
    department: OrgUnit
    governing_body: str  # "UBND TỈNH TRÀ VINH"
    agency_upper: str  # "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    agency: str  # "Sở Thông tin và Truyền thông"
    symbol: str  # "STTTT"
    place: str  # "Trà Vinh"


def template_codes(unit: OrgUnit, on: date) -> list[str]:
    """Codes whose template files apply to the unit's report: its province, then its department."""
    codes: list[str] = []
    province = province_of(unit)
    if province is not None:
        codes.append(province.code)
    department = department_of(unit, on)
    if department is not None:
        codes.append(department.code)
    if unit.code not in codes and unit.level != "province":
        codes.append(unit.code)
    return codes


def agency_for(unit: OrgUnit, on: date) -> Agency:
    department = department_of(unit, on)
    if department is None:
        raise ReportUnitError(
            f"Không xác định được Sở báo cáo của {unit} ngày {on:%d/%m/%Y} "
            "(đơn vị chưa có hoặc có nhiều Sở trong ngày đó)"
        )
    attrs = department.attributes or {}
    missing = [k for k in ("governing_body", "agency", "symbol", "place") if not attrs.get(k)]
    if missing:
        raise ReportUnitError(
            f"Đơn vị {department.code} ({department.name}) thiếu thuộc tính {', '.join(missing)} "
            "dùng cho tiêu đề báo cáo (orgunits/data/departments.yaml)"
        )
    return Agency(
        department=department,
        governing_body=str(attrs["governing_body"]),
        agency_upper=str(attrs["agency"]),
        agency=department.name,
        symbol=str(attrs["symbol"]),
        place=str(attrs["place"]),
    )
