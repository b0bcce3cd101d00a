"""The Aggregator's short cut for formula indicators with no figure under a unit answers exactly
what the full resolution answers: every indicator, unit and period of a province is resolved
with and without it and the answers (value, qualifier, how, note, parts, predecessors) compared."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.core.periods import Period, PeriodType
from baocao.datavalues.aggregation import Aggregator
from baocao.orgunits.lookup import find_unit
from baocao.orgunits.models import OrgUnit


def _periods(years: range, detailed: tuple[int, ...]) -> list[Period]:
    periods = [Period.of_year(y) for y in years]
    for y in detailed:
        year = Period.of_year(y)
        for kind in (PeriodType.HALF, PeriodType.QUARTER, PeriodType.MONTH):
            periods.extend(year.subperiods(kind))
    return periods


def _units(root: OrgUnit, communes_per_district: int) -> list[OrgUnit]:
    """The province, its districts and some of each district's communes."""
    units = [root]
    for district in root.children.order_by("code"):
        units.append(district)
        units.extend(district.children.order_by("code")[:communes_per_district])
    return units


def _compare(units: list[OrgUnit], periods: list[Period]) -> tuple[int, int, int]:
    """Resolve everything with and without the short cut; the numbers of answers, of answers with
    a figure, and of resolutions the short cut saved."""
    full, short = Aggregator(), Aggregator()
    full.shortcut = False
    codes = sorted(full.codes_with_kind("flow", "stock", "rate"))
    compared = found = 0
    for period in periods:
        for unit in units:
            for code in codes:
                expected = full.resolve(code, unit, period)
                got = short.resolve(code, unit, period)
                assert got == expected, (code, unit.code, period.code, got, expected)
                compared += 1
                found += expected.value is not None
    print(f"{compared} answers compared, {found} with a figure; resolutions {len(full._memo)} → {len(short._memo)}")
    return compared, found, len(full._memo) - len(short._memo)


@pytest.mark.django_db
def test_shortcut_answers_as_the_full_resolution_on_the_demo(system_actor):  # type: ignore[no-untyped-def]
    from baocao.demo import demo_unit, load_demo

    load_demo(system_actor)
    province = demo_unit()
    compared, found, saved = _compare(_units(province, 3), _periods(range(2016, 2024), (2020, 2022)))
    assert found > 300  # the demo's figures are there to compare
    assert saved > 1000  # and the short cut was taken
    assert compared > 10_000


@pytest.mark.django_db
def test_shortcut_answers_as_the_full_resolution_across_the_2025_merger(merger_data):  # type: ignore[no-untyped-def]
    vl_new = find_unit("Vĩnh Long", on=date(2025, 12, 31), level="province")
    tv = find_unit("Trà Vinh", on=date(2022, 12, 31), level="province")
    units = _units(vl_new, 2) + _units(tv, 1)
    compared, found, saved = _compare(units, _periods(range(2023, 2027), (2025,)))
    assert found > 300
    assert saved > 1000
    assert compared > 10_000


@pytest.mark.django_db
def test_shortcut_is_not_taken_where_a_figure_comes_without_a_value_in_the_period(system_actor, travinh):  # type: ignore[no-untyped-def]
    """Population carried over from an earlier year, and a formula with a constant term, give a
    figure under a unit with no value in the period: the short cut must leave them alone."""
    from baocao.catalog.models import Indicator
    from baocao.datavalues.services import ValueInput, save_values
    from baocao.orgunits.models import UnitSuccession

    population = Indicator.objects.get(code="dan_so")
    for code, formula in (("thu.dan_so_nghin", "dan_so / 1000"), ("thu.hang_so", "1 + 0 * 2")):
        Indicator.objects.create(code=code, field=population.field, name_vi=code, unit="x", kind="stock", formula=formula)
    # A district with no merged unit under it: the short cut would be tried there.
    district = next(
        d for d in travinh.children.order_by("code")
        if not UnitSuccession.objects.filter(successor__path__startswith=d.path).exists()
    )
    save_values(system_actor, [ValueInput("dan_so", district, Period.from_code("2019"), 1_000_000)])
    units = [district, *district.children.order_by("code")[:3]]
    _compared, found, _saved = _compare(units, _periods(range(2021, 2023), (2022,)))
    answers = Aggregator()
    assert answers.resolve("thu.dan_so_nghin", district, Period.from_code("2022Q3")).value == 1000
    assert answers.resolve("thu.hang_so", units[-1], Period.from_code("202205")).value == 1
    assert found > 100
