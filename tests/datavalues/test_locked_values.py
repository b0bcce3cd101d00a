"""A form's save reads the rows it compares once, locked in its own transaction (`lock_values`),
and `save_values(locked=…)` writes against them instead of reading them again — but only while
they are still locked (the same transaction) and only when they cover every row it writes;
otherwise the service locks and reads the rows itself, so a stale version is still refused."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from baocao.catalog.models import Indicator
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import (
    StaleWrite,
    ValueDeletion,
    ValueInput,
    lock_values,
    save_values,
    set_value,
    version_of,
)
from baocao.orgunits.models import OrgUnit

Y2022 = Period.from_code("2022")
CODE, OTHER = "cntt.cts.tong", "cntt.cts.sim"


def _reads(queries: CaptureQueriesContext) -> int:
    return sum('FROM "datavalues_datavalue"' in q["sql"] for q in queries.captured_queries)


def test_locking_needs_a_transaction() -> None:
    with pytest.raises(transaction.TransactionManagementError):  # refused before any query
        lock_values(OrgUnit(pk=1, code="X"), Y2022, [])


@pytest.mark.django_db
def test_a_save_in_the_locking_transaction_does_not_read_the_rows_again(system_actor, travinh):  # type: ignore[no-untyped-def]
    stored = set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=10)
    indicators = list(Indicator.objects.filter(code__in=[CODE, OTHER]))
    with transaction.atomic():
        locked = lock_values(travinh, Y2022, indicators)
        assert locked.values[CODE].pk == stored.pk and OTHER not in locked.values
        with CaptureQueriesContext(connection) as queries:
            result = save_values(system_actor, [
                ValueInput(CODE, travinh, Y2022, 11, expected=version_of(locked.values[CODE])),
                ValueInput(OTHER, travinh, Y2022, 3, expected=""),
            ], locked=locked)  # fmt: skip
    assert _reads(queries) == 0 and (result.created, result.updated) == (1, 1)
    assert DataValue.objects.get(pk=stored.pk).value == 11


@pytest.mark.django_db
def test_rows_locked_in_an_earlier_transaction_are_read_again_and_a_stale_write_refused(system_actor, travinh):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=10)
    indicators = list(Indicator.objects.filter(code=CODE))
    with transaction.atomic():
        locked = lock_values(travinh, Y2022, indicators)
    seen = version_of(locked.values[CODE])
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=12)  # a colleague, meanwhile
    with transaction.atomic(), CaptureQueriesContext(connection) as queries, pytest.raises(StaleWrite):
        save_values(system_actor, [ValueInput(CODE, travinh, Y2022, 11, expected=seen)], locked=locked)
    assert _reads(queries) == 1
    with CaptureQueriesContext(connection) as queries, pytest.raises(StaleWrite):  # outside that block
        save_values(system_actor, [ValueInput(CODE, travinh, Y2022, 11, expected=seen)], locked=locked)
    assert _reads(queries) == 1
    assert DataValue.objects.get(indicator__code=CODE, unit=travinh, period="2022").value == 12


@pytest.mark.django_db
def test_rows_locked_in_a_savepoint_rolled_back_since_are_read_again(system_actor, travinh):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=10)
    with transaction.atomic():
        try:
            with transaction.atomic():
                locked = lock_values(travinh, Y2022, list(Indicator.objects.filter(code=CODE)))
                raise RuntimeError("the savepoint is rolled back, and its locks with it")
        except RuntimeError:
            pass
        with CaptureQueriesContext(connection) as queries:
            save_values(system_actor, [ValueInput(CODE, travinh, Y2022, 11)], locked=locked)
    assert _reads(queries) == 1


@pytest.mark.django_db
def test_rows_the_lock_does_not_cover_are_read_by_the_service(system_actor, travinh):  # type: ignore[no-untyped-def]
    district = travinh.children.filter(level="district").order_by("code").first()
    set_value(system_actor, indicator=OTHER, unit=travinh, period=Y2022, value=5)
    with transaction.atomic():
        locked = lock_values(travinh, Y2022, list(Indicator.objects.filter(code=CODE)))
        for rows in ([ValueInput(OTHER, travinh, Y2022, 6)],  # another indicator
                     [ValueInput(CODE, district, Y2022, 6)],  # another unit
                     [ValueInput(CODE, travinh, Period.from_code("2021"), 6)]):  # another period
            with CaptureQueriesContext(connection) as queries:
                save_values(system_actor, rows, locked=locked)
            assert _reads(queries) == 1, rows


@pytest.mark.django_db
def test_a_deletion_checks_its_version_against_the_locked_row(system_actor, travinh):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=10)
    indicators = list(Indicator.objects.filter(code=CODE))
    with transaction.atomic():
        locked = lock_values(travinh, Y2022, indicators)
        dv = locked.values[CODE]
        with CaptureQueriesContext(connection) as queries, pytest.raises(StaleWrite):
            save_values(system_actor, [], reason="thừa", locked=locked,
                        deletions=[ValueDeletion(dv, "123", f"v:{CODE}")])  # fmt: skip
        assert _reads(queries) == 0
        save_values(system_actor, [], reason="thừa", locked=locked,
                    deletions=[ValueDeletion(dv, version_of(dv), f"v:{CODE}")])  # fmt: skip
    assert not DataValue.objects.filter(indicator__code=CODE, unit=travinh).exists()
