"""The set-based roll-up gives the reference Aggregator's answers: every indicator kind, units at
several levels, quarters and months mixed, and across the 2025 merger of Trà Vinh, Bến Tre and
Vĩnh Long into the new Vĩnh Long."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.core.periods import Period
from baocao.datavalues import rollup_cache
from baocao.datavalues.aggregation import Aggregator
from baocao.datavalues.models import RollupCache
from baocao.datavalues.rollup import Rollup, provinces_on
from baocao.orgunits.lookup import find_unit

pytestmark = pytest.mark.django_db

P = Period.from_code
BEFORE, AFTER = date(2022, 12, 31), date(2025, 12, 31)  # as in conftest.merger_data
CODES = [
    "cntt.qlvb.vb_di",  # flow
    "cntt.qlvb.vb_ky_so",  # flow
    "cntt.cts.tong",  # stock
    "cntt.qlvb.ty_le_ky_so",  # rate of two flows
    "cntt.email.ty_le_su_dung",  # rate of two stocks
    "dan_so",  # yearly attribute
    "vt.mat_do_di_dong",  # rate over population
    "vt.doanh_thu_bcvt",  # flow with a formula
    "cntt.dvc.muc34",  # stock with a formula
]
PERIODS = [
    "2022", "2022Q1", "2022Q2", "2022Q3", "2022Q4", "2022S1", "2022S2", "202205", "202212",
    "2024", "2025", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026",
]  # fmt: skip


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


def test_rollup_matches_the_aggregator_for_every_kind_and_across_the_merger(merger_data):  # type: ignore[no-untyped-def]
    reference = Aggregator()
    rollup = Rollup()
    checked = mismatches = 0
    problems = []
    for code in CODES:
        keys = [(u, P(p)) for u in merger_data for p in PERIODS]
        got = rollup.resolve_many(code, keys)
        for (unit, period), result in zip(keys, got, strict=True):
            expected = reference.resolve(code, unit, period)
            checked += 1
            if _q(expected.value) != _q(result.value) or (
                expected.value is not None and expected.qualifier != result.qualifier
            ):
                mismatches += 1
                problems.append(f"{code} {unit.code} {period.code}: {expected.value} ≠ {result.value}")
    assert not problems, "\n".join(problems)
    assert checked == len(CODES) * len(merger_data) * len(PERIODS)


@pytest.mark.skipif(not rollup_cache.supported(connection), reason="the summary table is PostgreSQL's")
def test_stored_roll_ups_give_the_answers_computed_afresh(merger_data):  # type: ignore[no-untyped-def]
    keys = [(u, P(p)) for u in merger_data for p in PERIODS]
    fresh = {code: Rollup().resolve_many(code, keys) for code in CODES}
    assert RollupCache.objects.filter(value__isnull=False).count() > 100
    with CaptureQueriesContext(connection) as queries:
        stored = {code: Rollup().resolve_many(code, keys) for code in CODES}
    assert not [q for q in queries.captured_queries if "WITH leaf" in q["sql"]], "nothing left to compute"
    for code in CODES:
        assert [(r.value, r.qualifier, r.units, r.via_predecessors, r.parts) for r in stored[code]] == [
            (r.value, r.qualifier, r.units, r.via_predecessors, r.parts) for r in fresh[code]
        ], code


def test_one_batch_for_many_indicators_gives_each_indicators_answers_in_as_many_queries_as_one(merger_data):  # type: ignore[no-untyped-def]
    """The country's key figures ask every indicator at once: the answers are each indicator's
    own, and the queries do not grow with the number of indicators (they did: a batch each)."""
    keys = [(u, P(p)) for u in merger_data for p in ("2022", "2025Q2", "2025")]
    alone = {code: Rollup().resolve_many(code, keys) for code in CODES}
    with CaptureQueriesContext(connection) as one:
        Rollup().resolve_many(CODES[0], keys)
    with CaptureQueriesContext(connection) as batch:
        together = Rollup().resolve_codes([(code, u, p) for code in CODES for u, p in keys])
    assert len(batch) <= len(one) + 2  # a formula's parts may add the stored-rows look-up once
    for i, code in enumerate(CODES):
        got = together[i * len(keys) : (i + 1) * len(keys)]
        assert [(r.value, r.qualifier, r.via_predecessors, r.parts) for r in got] == [
            (r.value, r.qualifier, r.via_predecessors, r.parts) for r in alone[code]
        ], code


def test_the_aggregator_reads_a_subtrees_predecessors_once_not_per_unit(merger_data):  # type: ignore[no-untyped-def]
    """A merged province rolled up over its units asked for each unit's predecessors in turn
    (two hundred queries for a province's report at national scale)."""
    vl_new, country = merger_data[3], merger_data[-1]
    with CaptureQueriesContext(connection) as queries:
        agg = Aggregator()
        for code in CODES:
            for period in ("2022", "2025", "2025Q3"):
                agg.resolve(code, vl_new, P(period))
                agg.resolve(code, country, P(period))
    asked = [q for q in queries.captured_queries if "orgunits_unitsuccession" in q["sql"]]
    # one per subtree loaded: the new province, its three predecessors, the country
    assert 0 < len(asked) <= 5, len(asked)


def test_merger_values_come_from_the_predecessors(merger_data):  # type: ignore[no-untyped-def]
    vl_new = merger_data[3]
    r = Rollup().resolve("cntt.qlvb.vb_di", vl_new, P("2022"))
    assert r.via_predecessors == ("Bến Tre", "Trà Vinh", "Vĩnh Long")
    tv, bt, vl_old = merger_data[:3]
    parts = [Rollup().resolve("cntt.qlvb.vb_di", u, P("2022")).value for u in (tv, bt, vl_old)]
    assert r.value == sum(v for v in parts if v is not None)


def test_a_year_straddling_the_merger_counts_the_merged_provinces_once(merger_data):  # type: ignore[no-untyped-def]
    vl_new, country = merger_data[3], merger_data[-1]
    for code in ("cntt.qlvb.vb_di", "cntt.cts.tong"):  # a flow; a stock at the year's end
        province = Aggregator().resolve(code, vl_new, P("2025")).value
        assert province is not None
        assert Aggregator().resolve(code, country, P("2025")).value == province, code
        assert Rollup().resolve(code, country, P("2025")).value == province, code


def test_national_comparison_lists_every_province_of_the_structure(merger_data):  # type: ignore[no-untyped-def]
    rows = Rollup().national("cntt.qlvb.vb_di", P("2022"), on=AFTER)
    assert len(rows) == 34 == len(provinces_on(AFTER))
    found = {r.unit.code: r.value for r in rows if r.found}
    assert set(found) == {merger_data[3].code}
    old = Rollup().national("cntt.qlvb.ty_le_ky_so", P("2022"))
    assert len(old) == 63
    by_code = {r.unit.code: r for r in old}
    tv = by_code[merger_data[0].code]
    assert tv.parts and tv.value == Aggregator().resolve("cntt.qlvb.ty_le_ky_so", merger_data[0], P("2022")).value


def test_series_of_a_rate_over_the_years(merger_data):  # type: ignore[no-untyped-def]
    vl_new = merger_data[3]
    years = [Period.of_year(y) for y in range(2017, 2027)]
    series = Rollup().series("cntt.qlvb.ty_le_ky_so", vl_new, years)
    reference = Aggregator().series("cntt.qlvb.ty_le_ky_so", vl_new, years)
    assert [_q(r.value) for r in series] == [_q(r.value) for r in reference]
    assert [r.period.code for r in series if r.found] == ["2022", "2024", "2025", "2026"]


def test_ancestor_table_follows_units(system_actor):  # type: ignore[no-untyped-def]
    from baocao.orgunits.models import UnitAncestor
    from baocao.orgunits.services import create_unit

    tv = find_unit("Trà Vinh", on=BEFORE, level="province")
    rows = dict(UnitAncestor.objects.filter(descendant_id=tv.pk).values_list("ancestor_id", "depth"))
    assert rows == {tv.parent_id: 1, tv.pk: 0}
    commune = find_unit("Vĩnh Long", on=AFTER, level="province").children.filter(level="commune").first()
    unit = create_unit(system_actor, code="TEST-TO-1", name="Tổ thử", level="subunit", parent=commune,
        valid_from=date(2025, 7, 1),
    )
    ancestors = set(UnitAncestor.objects.filter(descendant_id=unit.pk).values_list("ancestor_id", flat=True))
    assert ancestors == {int(x) for x in unit.path.strip("/").split("/")}


def test_a_pages_rollup_gives_each_key_the_answer_of_a_rollup_of_its_own(merger_data):  # type: ignore[no-untyped-def]
    """A page's Rollup reuses the plans it built, also those that met a cycle: the new Vĩnh
    Long's population in 2025, the year it was created, is its quarters', and each quarter falls
    back on the year. A plan cut short inside the year's is not the quarter's own plan, so the
    years come first here: reused blindly, the quarters would lose their figure."""
    codes = ["dan_so", "vt.mat_do_di_dong", "cntt.qlvb.vb_di", "cntt.cts.tong", "cntt.qlvb.ty_le_ky_so"]
    periods = ["2025", "2024", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "202508", "2024Q4", "2026Q4", "2026"]
    keys = [(code, unit, P(p)) for code in codes for unit in merger_data for p in periods]
    together = Rollup().resolve_codes(keys)
    differ = []
    for (code, unit, period), got in zip(keys, together, strict=True):
        alone = Rollup().resolve(code, unit, period)
        if (got.value, got.qualifier, got.via_predecessors, got.parts) != (
            alone.value, alone.qualifier, alone.via_predecessors, alone.parts
        ):  # fmt: skip
            differ.append(f"{code} {unit.name} {period.code}: {got.value} ≠ {alone.value}")
    assert not differ, "\n".join(differ)
    vl_new = merger_data[3]
    quarter = together[keys.index(("dan_so", vl_new, P("2025Q3")))]
    assert quarter.value == 4_200_000  # the year's figure, reached through a cycle cut elsewhere


def test_a_stored_yearly_figure_ends_the_plan_with_the_same_answers(merger_data, monkeypatch):  # type: ignore[no-untyped-def]
    """Where a population is stored for the unit and period (or for an earlier year of the
    look-back), the plan stops there: the roll-up, the year and the ten-year look-back are
    planned only for units lacking it. Every answer (value, qualifier, units, parts,
    predecessors) and the country's key figures are those of the full plans; fewer figures
    are looked up."""
    from baocao.web import charts_data

    codes = ["dan_so", "vt.mat_do_di_dong", "vt.mat_do_dien_thoai", "vt.mat_do_internet", "cntt.qlvb.ty_le_ky_so"]
    periods = [*PERIODS, "2023", "2023Q2", "2024Q4", "2026Q4", "2021", "2016"]
    keys = [(code, unit, P(p)) for code in codes for unit in merger_data for p in periods]
    country = merger_data[-1]
    exacts: list[int] = []
    run_exacts = Rollup._run_exacts

    def counting(self, found):  # type: ignore[no-untyped-def]
        exacts.append(len(found))
        return run_exacts(self, found)

    monkeypatch.setattr(Rollup, "_run_exacts", counting)
    pruned = Rollup().resolve_codes(keys)
    pruned_figures = [charts_data.key_figures(country, P(p)) for p in ("2024", "2025Q4", "2026")]
    with monkeypatch.context() as m:
        m.setattr(Rollup, "_is_stored", lambda self, code, unit_id, period: False)
        full = Rollup().resolve_codes(keys)
        full_figures = [charts_data.key_figures(country, P(p)) for p in ("2024", "2025Q4", "2026")]
    assert exacts[0] < exacts[4]  # the first batch of each: the look-back of stored years is gone
    assert pruned == full
    assert sum(r.value is not None for r in pruned) > 200  # not a comparison of blanks
    for ours, theirs in zip(pruned_figures, full_figures, strict=True):
        assert [(f.indicator.code, f.now, f.before, f.spark) for f in ours] == [
            (f.indicator.code, f.now, f.before, f.spark) for f in theirs
        ]
