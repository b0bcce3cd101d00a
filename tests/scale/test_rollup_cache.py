"""The roll-up summary table stays true: every kind of change forgets exactly what it can alter,
and a fill never stores what an open change is about to make stale (PostgreSQL only)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from baocao.catalog.models import Indicator
from baocao.core.periods import Period
from baocao.datavalues import rollup_cache
from baocao.datavalues.aggregation import Aggregator
from baocao.datavalues.bulk import bulk_import
from baocao.datavalues.models import DataValue, RollupCache
from baocao.datavalues.rollup import Rollup
from baocao.datavalues.services import ValueInput, delete_value, save_values
from baocao.orgunits.models import OrgUnit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not rollup_cache.supported(connection), reason="the summary table is PostgreSQL's"),
]

P = Period.from_code
BEFORE = date(2022, 12, 31)
FLOW = "cntt.qlvb.vb_di"


def _stored(code: str, unit: OrgUnit, period: str) -> bool:
    ind = Indicator.objects.get(code=code)
    return RollupCache.objects.filter(indicator_id=ind.pk, unit_id=unit.pk, period=period).exists()


def _commune(province: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.filter(path__startswith=province.path, level="commune").order_by("code").first()


@pytest.fixture
def warm(merger_data):  # type: ignore[no-untyped-def]
    """The national 2022 comparison and Trà Vinh's 2024, computed once and stored."""
    tv, bt = merger_data[0], merger_data[1]
    before = {r.unit.pk: r.value for r in Rollup().national(FLOW, P("2022"))}
    Rollup().resolve(FLOW, tv, P("2024"))
    assert _stored(FLOW, tv, "2022") and _stored(FLOW, bt, "2022") and _stored(FLOW, tv, "2024")
    return tv, bt, before


def _fresh(code: str, unit: OrgUnit, period: str) -> Decimal | None:
    return Aggregator().resolve(code, unit, P(period)).value


def test_a_saved_value_forgets_its_subtree_in_that_year_only(warm, system_actor):  # type: ignore[no-untyped-def]
    tv, bt, before = warm
    commune = _commune(tv)
    save_values(system_actor, [ValueInput(FLOW, commune, P("2022Q1"), 1_000_000)], reason="sửa số")
    assert not _stored(FLOW, tv, "2022") and not _stored(FLOW, tv.parent, "2022")
    assert _stored(FLOW, bt, "2022") and _stored(FLOW, tv, "2024")
    after = {r.unit.pk: r.value for r in Rollup().national(FLOW, P("2022"))}
    assert after[tv.pk] == _fresh(FLOW, tv, "2022") != before[tv.pk]
    assert after[bt.pk] == before[bt.pk]
    assert _stored(FLOW, tv, "2022"), "asked again, stored again"


def test_a_deleted_value_and_a_value_changed_in_sql_are_forgotten(warm, system_actor):  # type: ignore[no-untyped-def]
    tv, bt, _ = warm
    value = DataValue.objects.filter(indicator__code=FLOW, unit__path__startswith=bt.path, period="2022Q1").first()
    delete_value(system_actor, value, reason="trùng")
    assert not _stored(FLOW, bt, "2022") and _stored(FLOW, tv, "2022")
    assert Rollup().resolve(FLOW, bt, P("2022")).value == _fresh(FLOW, bt, "2022")
    with connection.cursor() as cursor:  # a write path that no service sees
        cursor.execute(
            "UPDATE datavalues_datavalue SET value = value + 1 WHERE unit_id = %s AND period = '2022Q2'",
            [_commune(tv).pk],
        )
    assert not _stored(FLOW, tv, "2022") and _stored(FLOW, bt, "2022")
    assert Rollup().resolve(FLOW, tv, P("2022")).value == _fresh(FLOW, tv, "2022")


def test_a_bulk_import_forgets_what_it_loads(warm, system_actor, tmp_path: Path):  # type: ignore[no-untyped-def]
    tv, bt, _ = warm
    csv = tmp_path / "nhap.csv"
    csv.write_text(f"indicator,unit,period,value\n{FLOW},{_commune(bt).code},2022Q3,777\n", encoding="utf-8")
    bulk_import(system_actor, csv)
    assert not _stored(FLOW, bt, "2022") and _stored(FLOW, tv, "2022")
    assert Rollup().resolve(FLOW, bt, P("2022")).value == _fresh(FLOW, bt, "2022")


def test_a_change_of_the_unit_tree_forgets_everything(warm, system_actor):  # type: ignore[no-untyped-def]
    from baocao.orgunits.services import create_unit

    tv, _, _ = warm
    create_unit(system_actor, code="TEST-TO-2", name="Tổ thử", level="subunit", parent=_commune(tv),
                valid_from=date(2020, 1, 1), valid_to=date(2025, 7, 1))  # fmt: skip
    assert not RollupCache.objects.exists()


# -- the locks between fills and changes, seen from a second connection -----------------------------
def _connect() -> psycopg.Connection[Any]:
    """Another session on the test database, as another request or worker would have."""
    s = connection.settings_dict
    return psycopg.connect(dbname=s["NAME"], host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432,
                           user=s["USER"] or "postgres", password=s["PASSWORD"] or None)  # fmt: skip


@pytest.fixture
def other() -> Iterator[psycopg.Connection[Any]]:
    conn = _connect()
    yield conn
    conn.rollback()
    conn.close()


def test_a_fill_stores_nothing_an_open_change_touched(merger_data, other):  # type: ignore[no-untyped-def]
    tv = merger_data[0]
    ind = Indicator.objects.get(code=FLOW)
    # what the value trigger of an uncommitted change holds until its commit
    other.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [rollup_cache.INDICATOR_LOCKS, ind.pk])
    answer = Rollup().resolve(FLOW, tv, P("2022"))
    assert answer.value == _fresh(FLOW, tv, "2022") and not _stored(FLOW, tv, "2022")
    Rollup().resolve("cntt.cts.tong", tv, P("2022"))
    assert _stored("cntt.cts.tong", tv, "2022"), "other indicators are stored"
    other.rollback()
    Rollup().resolve(FLOW, tv, P("2022"))
    assert _stored(FLOW, tv, "2022")


def test_a_change_waits_for_a_running_fill_then_forgets_what_it_stored(merger_data, other):  # type: ignore[no-untyped-def]
    tv = merger_data[0]
    # an indicator this test's own (uncommitted) data never wrote, so no lock of ours is in the way
    ind = Indicator.objects.get(code="cntt.qlvb.vb_den")
    commune = _commune(tv)
    filler = _connect()
    try:
        with filler.cursor() as cur:  # a fill in progress: it holds the lock rollup_cache takes
            cur.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [rollup_cache.INDICATOR_LOCKS, ind.pk])
            assert cur.fetchone()[0]
        done = threading.Event()

        def change() -> None:
            other.execute(
                "INSERT INTO datavalues_datavalue (indicator_id, unit_id, period, period_type, period_start,"
                " period_end, regime, is_target, value, qualifier, source, source_ref, flag, comment, updated_at)"
                " VALUES (%s, %s, '202211', 'month', '2022-11-01', '2022-11-30', 'hanh_chinh', false, 5,"
                " 'exact', 'entry', '', '', '', now())",
                [ind.pk, commune.pk],
            )
            done.set()

        thread = threading.Thread(target=change)
        thread.start()
        waiting = False
        for _ in range(50):
            waiting = bool(filler.execute(
                "SELECT 1 FROM pg_locks WHERE pid = %s AND locktype = 'advisory' AND NOT granted",
                [other.info.backend_pid],
            ).fetchone())  # fmt: skip
            if waiting:
                break
            time.sleep(0.1)
        assert waiting and not done.is_set(), "the change waits for the fill"
        filler.execute(
            "INSERT INTO datavalues_rollupcache (indicator_id, unit_id, period, regime, is_target, yearly, stock,"
            " value, qualifier, units) VALUES (%s, %s, '2022', 'hanh_chinh', false, false, false, 1, 'exact', 1)",
            [ind.pk, tv.pk],
        )
        filler.commit()
        thread.join(timeout=10)
        assert done.is_set()
        seen = other.execute(
            "SELECT count(*) FROM datavalues_rollupcache WHERE indicator_id = %s AND unit_id = %s", [ind.pk, tv.pk]
        ).fetchone()[0]
        assert seen == 0, "the change deleted what the fill stored while it waited"
    finally:
        other.rollback()  # the change is undone with its deletion: remove the committed row by hand
        filler.execute("DELETE FROM datavalues_rollupcache WHERE indicator_id = %s AND unit_id = %s", [ind.pk, tv.pk])
        filler.commit()
        filler.close()
