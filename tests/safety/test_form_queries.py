"""Opening a field's entry form costs a fixed number of queries, however many indicators the field
has and whatever figures they hold: the page's checks (the validation findings it shows) and the
previous figures are computed from values loaded once per page, a year at a time — never a query
per indicator, per unit or per year of a look-back — and the period's state is read once for every
question the page asks the permission policy. (Counts, not time: bench/entry_form_cpu.py times it.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from safety_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.catalog.models import Field, Indicator, ValidationRule
from baocao.core.periods import Period
from baocao.datavalues.services import ValueInput, save_values
from baocao.ops.stamps import forget_all

pytestmark = pytest.mark.django_db
# 17 today: session, the stamps of the rows the process keeps (user, unit, grants, the field's
# indicators; ops/stamps.py), state, values, checks, menu
MAX_QUERIES = 20
KEPT = 5  # read when the process has not kept them yet: user, unit, grants (and successions), the field's rows


def _opened(client: Any, unit: Any) -> tuple[int, int]:
    """GET the unit's cntt form for 2022 in a process that kept nothing yet, then again (the user,
    the unit, the grants and the field's indicators kept: ops/stamps.py): the numbers of queries."""
    url = reverse("web:entry-section", kwargs={"unit": unit.code, "period": "2022", "field": "cntt"})
    counts = []
    forget_all()
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        counts.append(len(queries.captured_queries))
    return counts[0], counts[1]


def _fill(actor: Any, units: list[Any], codes: list[str], start: int) -> None:
    """Figures for 2022 and 2021 that make the sums fail (each box a different number)."""
    for year in (2022, 2021):
        save_values(actor, [ValueInput(code, unit, Period.from_code(str(year)), start + i + year % 2)
                            for unit in units for i, code in enumerate(codes)])  # fmt: skip


def test_opening_the_form_costs_the_same_queries_however_many_indicators(travinh, system_actor):  # type: ignore[no-untyped-def]
    district = travinh.children.filter(level="district").order_by("code").first()
    commune = district.children.order_by("code").first()
    client = client_for(make_user("cv.mo.bieu", travinh, Role.DATA_ENTRY))
    cntt = Field.objects.get(code="cntt")
    plain = list(Indicator.objects.filter(field=cntt, is_active=True, formula="").values_list("code", flat=True))
    units = [travinh, district, commune]
    empty = [_opened(client, unit) for unit in units]

    _fill(system_actor, units, plain, 1)
    filled = [_opened(client, unit) for unit in units]

    # Thirty more indicators in the field, with figures, and a rule on them that fails.
    added = [f"cntt.thu_{i:02d}" for i in range(30)]
    for i, code in enumerate(added):
        Indicator.objects.create(code=code, field=cntt, name_vi=f"Chỉ tiêu thử {i}", unit="văn bản", kind="flow",
                                 order=5000 + i)  # fmt: skip
    ValidationRule.objects.create(code="thu.tong", kind="sum", name_vi="Thử: tổng",
                                  params={"total": added[0], "parts": added[1:3], "mode": "eq"})  # fmt: skip
    _fill(system_actor, units, added, 100)
    grown = [_opened(client, unit) for unit in units]

    assert grown == filled, (empty, filled, grown)
    assert max(warm for _, warm in empty + filled + grown) <= MAX_QUERIES, (empty, filled, grown)
    # in a process that kept nothing yet: the user, the unit, the grants and the field's indicators
    # are read (once each) besides their stamps
    assert max(cold for cold, _ in empty + filled + grown) <= MAX_QUERIES + KEPT, (empty, filled, grown)
