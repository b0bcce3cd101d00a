"""The periods with data under a unit come from a small table kept by triggers on the values,
whatever writes them: a value adds its period to its unit and every ancestor; deleting the last
value of a period under a unit removes it there (and not where other values remain)."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.core.periods import Period
from baocao.datavalues.bulk import bulk_import
from baocao.datavalues.models import DataValue, ScopePeriod
from baocao.datavalues.services import delete_value, set_value
from baocao.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db
Q1 = Period.from_code("2022Q1")


def _periods(unit: OrgUnit) -> set[str]:
    return set(ScopePeriod.objects.filter(unit_id=unit.pk).values_list("period", flat=True))


def test_values_add_and_remove_their_periods_up_the_tree(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    district_a, district_b = list(travinh.children.filter(level="district").order_by("code")[:2])
    country = OrgUnit.objects.get(parent__isnull=True)
    a = set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=district_a, period=Q1, value=5)
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=district_b, period=Q1, value=7)
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=district_a, period=Q1, value=9, is_target=True)
    assert {"2022Q1"} <= _periods(country) and "2022Q1" in _periods(travinh)
    assert _periods(district_a) == {"2022Q1"} == _periods(district_b)
    assert ScopePeriod.objects.get(unit_id=travinh.pk, period="2022Q1").period_end == date(2022, 3, 31)
    delete_value(system_actor, a, reason="nhầm")
    assert _periods(district_a) == set()  # its plan is not a result
    assert "2022Q1" in _periods(travinh)  # district B still reports under the province
    # the bulk path (a statement writing many rows) goes through the same triggers
    path = tmp_path / "so-lieu.csv"
    path.write_text(f"indicator,unit,period,value\ncntt.qlvb.vb_di,{district_a.code},2021Q4,3\n", encoding="utf-8")
    bulk_import(system_actor, path)
    assert _periods(district_a) == {"2021Q4"} and "2021Q4" in _periods(country)
    assert DataValue.objects.filter(unit=district_a, period="2021Q4").exists()
