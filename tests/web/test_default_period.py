"""The pages open on the latest period with data in the user's scope, and of the periods ending
that day (year, half, quarter) on the one holding most figures: a register's half-year count does
not make "6 tháng cuối" the default. The figures are counted in an index's order, so that the
planner never reads the values table from its start to find the latest period's rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baocao.access.models import Role
from baocao.access.services import create_user, grant_role
from baocao.core.periods import Period
from baocao.datavalues.services import ValueInput, save_values
from baocao.orgunits.models import OrgUnit
from baocao.web.scope import default_period

pytestmark = pytest.mark.django_db
P = Period.from_code


def test_the_default_period_is_the_busiest_of_the_latest_day_for_the_country_and_a_province(system_actor, travinh):  # type: ignore[no-untyped-def]
    country = OrgUnit.objects.get(parent__isnull=True)
    district, other = list(travinh.children.filter(level="district").order_by("code")[:2])
    rows = [ValueInput(code, unit, P("2022Q4"), 5) for code in ("cntt.qlvb.vb_di", "cntt.qlvb.vb_ky_so")
            for unit in (district, other)]  # fmt: skip
    rows += [ValueInput("cntt.qlvb.vb_di", district, P("2022S2"), 9), ValueInput("cntt.qlvb.vb_di", other, P("2022"), 9),
             ValueInput("cntt.qlvb.vb_di", district, P("2021Q4"), 1)]  # fmt: skip
    save_values(system_actor, rows)
    for username, unit in (("bo", country), ("tinh", travinh)):
        user = create_user(system_actor, username=f"xem.{username}", password="Mat-khau-dai-2026", full_name=username)
        grant_role(system_actor, user, unit, Role.VIEWER)
        with CaptureQueriesContext(connection) as queries:
            assert default_period(user) == P("2022Q4")
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
        assert len(counts) == 3 and all("ORDER BY" in sql and "LIMIT 5000" in sql for sql in counts)
