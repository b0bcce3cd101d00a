"""Each indicator kind aggregates correctly over units and time, and across the 2025 merger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.core.periods import Period
from baocao.datavalues.aggregation import Aggregator, How, comparability_note
from baocao.datavalues.services import ValueInput, save_values
from baocao.orgunits.lookup import find_unit

pytestmark = pytest.mark.django_db

Y2022 = Period.from_code("2022")


def _districts(province):  # type: ignore[no-untyped-def]
    districts = list(province.children.filter(level="district").order_by("code")[:2])
    assert len(districts) == 2, "the seed must give Trà Vinh its districts"
    return districts


def _save(actor, *rows):  # type: ignore[no-untyped-def]
    save_values(actor, [ValueInput(*r) for r in rows])


def test_flow_sums_over_child_units_and_quarters(system_actor, travinh):  # type: ignore[no-untyped-def]
    a, b = _districts(travinh)
    _save(system_actor, ("cntt.qlvb.vb_di", a, Y2022, 100), ("cntt.qlvb.vb_di", b, Y2022, 250))
    agg = Aggregator()
    r = agg.resolve("cntt.qlvb.vb_di", travinh, Y2022)
    assert (r.value, r.how) == (Decimal(350), How.CHILDREN)

    q = [Period.from_code(f"2021Q{i}") for i in range(1, 5)]
    _save(system_actor, *[("cntt.qlvb.vb_di", a, p, 10 * i) for i, p in enumerate(q, start=1)])
    r = Aggregator().resolve("cntt.qlvb.vb_di", a, Period.from_code("2021"))
    assert (r.value, r.how, r.incomplete) == (Decimal(100), How.SUBPERIODS, False)


def test_flow_over_missing_quarter_is_marked_incomplete(system_actor, travinh):  # type: ignore[no-untyped-def]
    _save(system_actor, *[("cntt.qlvb.vb_di", travinh, Period.from_code(f"2021Q{i}"), 5) for i in (1, 2, 3)])
    r = Aggregator().resolve("cntt.qlvb.vb_di", travinh, Period.from_code("2021"))
    assert r.value == Decimal(15)
    assert r.incomplete


def test_stock_takes_last_subperiod_and_sums_children(system_actor, travinh):  # type: ignore[no-untyped-def]
    a, b = _districts(travinh)
    _save(
        system_actor,
        ("cntt.cts.tong", a, Period.from_code("2022Q1"), 100),
        ("cntt.cts.tong", a, Period.from_code("2022Q4"), 130),
        ("cntt.cts.tong", b, Period.from_code("2022Q4"), 70),
    )
    agg = Aggregator()
    r = agg.resolve("cntt.cts.tong", a, Y2022)
    assert (r.value, r.how) == (Decimal(130), How.LAST_SUBPERIOD)
    assert agg.resolve("cntt.cts.tong", travinh, Y2022).value == Decimal(200)
    # A stock is never summed over time.
    assert agg.resolve("cntt.cts.tong", a, Y2022).value != Decimal(230)


def test_rate_is_recomputed_from_parts_never_averaged(system_actor, travinh):  # type: ignore[no-untyped-def]
    a, b = _districts(travinh)
    _save(
        system_actor,
        ("cntt.qlvb.vb_di", a, Y2022, 100),
        ("cntt.qlvb.vb_ky_so", a, Y2022, 90),
        ("cntt.qlvb.ty_le_ky_so", a, Y2022, 90),
        ("cntt.qlvb.vb_di", b, Y2022, 1000),
        ("cntt.qlvb.vb_ky_so", b, Y2022, 10),
        ("cntt.qlvb.ty_le_ky_so", b, Y2022, 1),
    )
    r = Aggregator().resolve("cntt.qlvb.ty_le_ky_so", travinh, Y2022)
    assert r.how == How.COMPUTED
    assert round(r.value, 4) == round(Decimal(100) / Decimal(1100) * 100, 4)  # 9,09%, not (90+1)/2
    assert r.parts == {"cntt.qlvb.vb_di": Decimal(1100), "cntt.qlvb.vb_ky_so": Decimal(100)}


def test_an_aggregator_for_some_indicators_reads_only_them_and_their_parts(system_actor, travinh):  # type: ignore[no-untyped-def]
    """A dashboard of one rate reads that rate's parts, not every figure of the year."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baocao.catalog.models import Indicator

    a, b = _districts(travinh)
    _save(
        system_actor,
        ("cntt.qlvb.vb_di", a, Y2022, 100), ("cntt.qlvb.vb_ky_so", a, Y2022, 90),
        ("cntt.qlvb.vb_di", b, Y2022, 1000), ("cntt.qlvb.vb_ky_so", b, Y2022, 10),
        ("cntt.cts.tong", a, Y2022, 7),
    )  # fmt: skip
    every = Aggregator().resolve("cntt.qlvb.ty_le_ky_so", travinh, Y2022)
    some = Aggregator(codes=["cntt.qlvb.ty_le_ky_so"])
    with CaptureQueriesContext(connection) as queries:
        r = some.resolve("cntt.qlvb.ty_le_ky_so", travinh, Y2022)
    assert (r.value, r.how, r.parts, r.note) == (every.value, every.how, every.parts, every.note)
    loads = [q["sql"] for q in queries.captured_queries if "datavalues_datavalue" in q["sql"]]
    wanted = Indicator.objects.filter(code__in=["cntt.qlvb.vb_di", "cntt.qlvb.vb_ky_so", "cntt.qlvb.ty_le_ky_so"])
    assert loads and all("catalog_indicator" in sql and all(f"'{i.code}'" in sql for i in wanted) for sql in loads)
    assert not any("cntt.cts.tong" in sql for sql in loads)
    with pytest.raises(LookupError, match=r"cntt\.cts\.tong"):
        some.resolve("cntt.cts.tong", a, Y2022)


def test_reported_rate_is_used_only_without_parts(system_actor, travinh):  # type: ignore[no-untyped-def]
    _save(system_actor, ("cntt.qlvb.ty_le_ky_so", travinh, Period.from_code("2021"), Decimal("78.54")))
    r = Aggregator().resolve("cntt.qlvb.ty_le_ky_so", travinh, Period.from_code("2021"))
    assert (r.value, r.how) == (Decimal("78.54"), How.REPORTED)


def test_density_uses_the_years_population_for_a_quarter(system_actor, travinh):  # type: ignore[no-untyped-def]
    q1 = Period.from_code("2022Q1")
    _save(system_actor, ("dan_so", travinh, Y2022, 1_000_000), ("vt.tb_di_dong.tong", travinh, q1, 1_200_000))
    r = Aggregator().resolve("vt.mat_do_di_dong", travinh, q1)
    assert r.value == Decimal(120)


def test_new_province_rolls_up_its_predecessors_and_says_so(system_actor):  # type: ignore[no-untyped-def]
    y2020 = Period.from_code("2020")
    old = [
        find_unit(n, on=date(2020, 12, 31), level="province") for n in ("Trà Vinh", "Bến Tre", "Vĩnh Long")
    ]
    new_vinh_long = find_unit("Vĩnh Long", on=date(2026, 1, 1), level="province")
    assert new_vinh_long not in old
    _save(
        system_actor,
        *[("cntt.qlvb.vb_di", u, y2020, 1000 * (i + 1)) for i, u in enumerate(old)],
        *[("cntt.qlvb.vb_ky_so", u, y2020, 500 * (i + 1)) for i, u in enumerate(old)],
        ("cntt.qlvb.vb_di", new_vinh_long, Period.from_code("2026"), 9000),
    )
    agg = Aggregator()
    series = agg.series("cntt.qlvb.vb_di", new_vinh_long, [y2020, Period.from_code("2026")])
    assert [r.value for r in series] == [Decimal(6000), Decimal(9000)]
    assert series[0].how == How.PREDECESSORS
    assert set(series[0].via_predecessors) == {"Trà Vinh", "Bến Tre", "Vĩnh Long"}
    note = comparability_note(series)
    assert "năm 2020" in note and "Trà Vinh" in note and "Bến Tre" in note
    rate = agg.resolve("cntt.qlvb.ty_le_ky_so", new_vinh_long, y2020)
    assert rate.value == Decimal(50)


def test_merger_year_combines_predecessor_quarters_with_the_new_units(system_actor):  # type: ignore[no-untyped-def]
    tra_vinh = find_unit("Trà Vinh", on=date(2025, 1, 1), level="province")
    new_vinh_long = find_unit("Vĩnh Long", on=date(2026, 1, 1), level="province")
    _save(
        system_actor,
        ("cntt.qlvb.vb_di", tra_vinh, Period.from_code("2025Q1"), 10),
        ("cntt.qlvb.vb_di", tra_vinh, Period.from_code("2025Q2"), 20),
        ("cntt.qlvb.vb_di", new_vinh_long, Period.from_code("2025Q3"), 300),
        ("cntt.qlvb.vb_di", new_vinh_long, Period.from_code("2025Q4"), 400),
    )
    r = Aggregator().resolve("cntt.qlvb.vb_di", new_vinh_long, Period.from_code("2025"))
    assert r.value == Decimal(730)


def test_population_is_carried_from_the_latest_year_and_rolled_up(system_actor, travinh):  # type: ignore[no-untyped-def]
    from baocao.datavalues.population import load_population

    load_population(system_actor)
    r = Aggregator().resolve("dan_so", travinh, Period.from_code("2022Q1"))
    assert (r.value, r.qualifier) == (Decimal(1009168), "approx")
    assert "năm 2019" in r.note
    new_vinh_long = find_unit("Vĩnh Long", on=date(2026, 1, 1), level="province")
    merged = Aggregator().resolve("dan_so", new_vinh_long, Period.from_code("2020"))
    old = [find_unit(n, on=date(2019, 12, 31), level="province") for n in ("Trà Vinh", "Bến Tre", "Vĩnh Long")]
    expected = sum(Aggregator().resolve("dan_so", u, Period.from_code("2019")).value for u in old)
    assert merged.value == expected and merged.via_predecessors


def test_a_years_look_back_reads_the_earlier_years_in_one_query(system_actor, travinh):  # type: ignore[no-untyped-def]
    """Population carried from an earlier year: found three years back as before, and a commune
    with no population in ten years answers "no figure" — the nine years before last year read
    in one query, not one per year."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    commune = travinh.children.filter(level="district").order_by("code").first().children.order_by("code").first()
    _save(system_actor, ("dan_so", travinh, Period.from_code("2019"), 1_000_000))
    r = Aggregator().resolve("dan_so", travinh, Y2022)
    assert (r.value, r.qualifier, r.how) == (Decimal(1_000_000), "approx", How.YEAR_VALUE) and "năm 2019" in r.note
    agg = Aggregator()
    agg.resolve("cntt.qlvb.vb_di", commune, Y2022)  # the unit and its year loaded, as on its form
    with CaptureQueriesContext(connection) as queries:
        nothing = agg.resolve("dan_so", commune, Y2022)
    assert nothing.value is None
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]  # 2021, then 2012–2020


def test_a_count_reported_in_another_year_only_answers_no_figure_at_once(system_actor, travinh):  # type: ignore[no-untyped-def]
    """A plain count the province, its districts and communes reported for 2022 and not for 2021: last year's answer is "no
    figure" without trying every district, commune, quarter and month (`_has_data` knows the
    units with a figure of a code, not the periods), and it is the full resolution's answer."""
    districts = list(travinh.children.filter(level="district"))
    communes = [d.children.order_by("code").first() for d in districts]
    _save(system_actor, *[("cntt.qlvb.vb_di", u, Y2022, 1200) for u in [travinh, *districts, *communes]])
    last_year = Period.from_code("2021")
    short, full = Aggregator(), Aggregator()
    full.shortcut = False
    for agg in (short, full):
        agg.resolve("cntt.qlvb.vb_di", travinh, Y2022)
    tried = len(full._memo)
    assert short.resolve("cntt.qlvb.vb_di", travinh, last_year) == full.resolve("cntt.qlvb.vb_di", travinh, last_year)
    assert short.resolve("cntt.qlvb.vb_di", travinh, last_year).value is None
    assert len(full._memo) - tried > 500 and len(short._memo) == 2
