"""The figures the roll-up tests share."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.core.periods import Period
from baocao.datavalues.services import ValueInput, save_values
from baocao.orgunits.lookup import find_unit
from baocao.orgunits.models import OrgUnit

BEFORE, AFTER = date(2022, 12, 31), date(2025, 12, 31)
P = Period.from_code


def _children(unit: OrgUnit, n: int, level: str) -> list[OrgUnit]:
    return list(unit.children.filter(level=level).order_by("code")[:n])


@pytest.fixture
def merger_data(system_actor):  # type: ignore[no-untyped-def]
    """Figures at province, district and commune level of the three old provinces and of the
    new Vĩnh Long, shaped to hit every precedence rule of the Aggregator."""
    tv = find_unit("Trà Vinh", on=BEFORE, level="province")
    bt = find_unit("Bến Tre", on=BEFORE, level="province")
    vl_old = find_unit("Vĩnh Long", on=BEFORE, level="province")
    vl_new = find_unit("Vĩnh Long", on=AFTER, level="province")
    rows: list[tuple[str, OrgUnit, str, int | str]] = []

    def add(code: str, unit: OrgUnit, period: str, value: int | str) -> None:
        rows.append((code, unit, period, value))

    # Trà Vinh: communes report quarters; one reports months for Q2, one months and the quarter
    # for Q3 (the quarter wins), one has no Q4 stock (its Q3 is the year's).
    communes = [c for d in _children(tv, 2, "district") for c in _children(d, 2, "commune")]
    for i, c in enumerate(communes, start=1):
        for year in (2022, 2024, 2025):
            for q in range(1, 5):
                if year == 2025 and q > 2:
                    continue
                if i == 2 and q == 2:
                    for m in (4, 5, 6):
                        add("cntt.qlvb.vb_di", c, f"{year}{m:02d}", 10 * i + m)
                else:
                    add("cntt.qlvb.vb_di", c, f"{year}Q{q}", 100 * i + q)
                if i == 3 and q == 3:
                    add("cntt.qlvb.vb_di", c, f"{year}07", 1)
                add("cntt.qlvb.vb_ky_so", c, f"{year}Q{q}", 50 * i + q)
                if not (i == 4 and q == 4):
                    add("cntt.cts.tong", c, f"{year}Q{q}", 1000 * i + 10 * q)
                add("cntt.email.tong", c, f"{year}Q{q}", 40 + i)
                add("cntt.email.su_dung_thuong_xuyen", c, f"{year}Q{q}", 30 + i)
                add("cntt.dvc.muc3", c, f"{year}Q{q}", 5 + i)
                add("cntt.dvc.muc4", c, f"{year}Q{q}", 2 + q)
        add("cntt.qlvb.ty_le_ky_so", c, "2022", "12.5")  # a reported rate: ignored when parts exist
    # Bến Tre: one district reports its year itself (it wins over its communes), the other not.
    d1, d2 = _children(bt, 2, "district")
    add("cntt.qlvb.vb_di", d1, "2022", 7777)
    add("cntt.cts.tong", d1, "2022Q4", 5555)
    for d in (d1, d2):
        for j, c in enumerate(_children(d, 2, "commune"), start=1):
            for q in range(1, 5):
                add("cntt.qlvb.vb_di", c, f"2022Q{q}", 300 + j)
                add("cntt.cts.tong", c, f"2022Q{q}", 200 * j + q)
                add("cntt.qlvb.vb_ky_so", c, f"2022Q{q}", 100 + j)
            for q in (1, 2):
                add("cntt.qlvb.vb_di", c, f"2025Q{q}", 20 + j)
                add("cntt.cts.tong", c, f"2025Q{q}", 900 + j)
    # Old Vĩnh Long reports its own year for one flow: nothing below counts for that year.
    add("cntt.qlvb.vb_di", vl_old, "2022", 4242)
    for c in _children(_children(vl_old, 1, "district")[0], 2, "commune"):
        add("cntt.qlvb.vb_di", c, "2022Q1", 11)
        add("cntt.cts.tong", c, "2022Q2", 321)
    # Province-level figures: population by year, subscribers, revenue parts.
    for unit, pop in ((tv, 1_010_000), (bt, 1_300_000), (vl_old, 1_020_000)):
        for year in (2022, 2024):
            add("dan_so", unit, str(year), pop + year)
            add("vt.tb_di_dong.tong", unit, f"{year}Q4", pop // 10 * 11)
            add("bc.doanh_thu", unit, str(year), 5_000_000 + year)
            add("vt.doanh_thu", unit, str(year), 9_000_000 + year)
    add("vt.doanh_thu_bcvt", bt, "2024", 1)  # stated total wins over its parts for Bến Tre
    add("dan_so", vl_new, "2025", 4_200_000)
    add("dan_so", vl_new, "2026", 4_250_000)
    # The new Vĩnh Long: its communes report from Q3/2025.
    for k, c in enumerate(list(vl_new.children.filter(level="commune").order_by("code")[:3]), start=1):
        for period in ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4"):
            add("cntt.qlvb.vb_di", c, period, 500 + k)
            add("cntt.qlvb.vb_ky_so", c, period, 400 + k)
            if period != "2026Q4" or k != 1:
                add("cntt.cts.tong", c, period, 3000 + k)
            add("cntt.email.tong", c, period, 60 + k)
            add("cntt.email.su_dung_thuong_xuyen", c, period, 50 + k)
    add("vt.tb_di_dong.tong", vl_new, "2026Q4", 4_700_000)
    save_values(system_actor, [ValueInput(code, unit, P(p), v) for code, unit, p, v in rows])
    country = OrgUnit.objects.get(level="country")
    units = [tv, bt, vl_old, vl_new, d1, d2, communes[1], communes[3], country]
    return units
