"""`baocao synth` at a tiny scale: every province, rules hold, one audit event, and the national
comparison of the set-based roll-up equals the reference Aggregator on it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.aggregation import Aggregator
from baocao.datavalues.models import DataValue, Submission
from baocao.datavalues.rollup import Rollup

pytestmark = pytest.mark.django_db


@pytest.fixture
def synth(system_actor):  # type: ignore[no-untyped-def]
    call_command("synth", "--scale", "0.0005", "--years", "2024-2025", "--seed", "7")


def test_tiny_dataset_covers_the_country_and_adds_up(synth):  # type: ignore[no-untyped-def]
    values = DataValue.objects.filter(source_ref="synth")
    provinces = set(values.filter(unit__level="province").values_list("unit__code", flat=True))
    assert len(provinces) == 63 + 34
    assert values.filter(unit__level="commune").exists()
    event = AuditEvent.objects.get(action="synth.generate")
    assert event.after["values"] == values.count()
    assert Submission.objects.filter(state="submitted").exists()
    # Parts add up: certificates = organisations + individuals, for every unit and quarter.
    rows = values.filter(indicator__code__in=["cntt.cts.tong", "cntt.cts.to_chuc", "cntt.cts.ca_nhan"])
    table: dict[tuple[int, str], dict[str, Decimal]] = {}
    for code, unit, period, value in rows.values_list("indicator__code", "unit_id", "period", "value"):
        table.setdefault((unit, period), {})[code] = value
    assert table and all(t["cntt.cts.tong"] == t["cntt.cts.to_chuc"] + t["cntt.cts.ca_nhan"] for t in table.values())


@pytest.mark.parametrize("code", ["cntt.qlvb.vb_di", "cntt.cts.tong", "cntt.qlvb.ty_le_ky_so", "vt.mat_do_di_dong"])
def test_national_rollup_equals_the_reference(synth, code):  # type: ignore[no-untyped-def]
    for period, on in ((Period.from_code("2024"), None), (Period.from_code("2024"), date(2025, 12, 31)),
                       (Period.from_code("2025"), date(2025, 12, 31)), (Period.from_code("2025Q2"), None)):  # fmt: skip
        rows = Rollup().national(code, period, on=on)
        reference = Aggregator()
        for r in rows:
            expected = reference.resolve(code, r.unit, period).value
            got = r.value
            assert (None if expected is None else round(expected, 4)) == (None if got is None else round(got, 4)), (
                f"{code} {r.unit.code} {period.code}"
            )
        assert sum(1 for r in rows if r.found) >= len(rows) - 1
