"""Fixtures of the web tests: people with each role on Trà Vinh or one of its districts.

Accounts are created through the access services, as an administrator would create them.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import account, travinh_units, unit
from django.core.cache import cache
from web_helpers import People, client_for, make_user


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Login throttling counts failures in the cache: every test starts with a clean slate.
    cache.clear()


@pytest.fixture
def people(system_actor: Any, travinh: Any) -> People:
    from baocao.access.models import Role
    from baocao.orgunits.models import OrgUnit

    district_a, district_b = list(travinh.children.filter(level="district").order_by("code")[:2])
    country = OrgUnit.objects.get(parent__isnull=True)
    return People(
        province=travinh,
        district_a=district_a,
        district_b=district_b,
        entry=make_user(system_actor, "cv.tinh", travinh, Role.DATA_ENTRY),
        approver=make_user(system_actor, "ld.tinh", travinh, Role.APPROVER),
        viewer=make_user(system_actor, "xem.tinh", travinh, Role.VIEWER),
        ministry=make_user(system_actor, "bo.xem", country, Role.VIEWER),
        entry_a=make_user(system_actor, "cv.huyen.a", district_a, Role.DATA_ENTRY),
        entry_b=make_user(system_actor, "cv.huyen.b", district_b, Role.DATA_ENTRY),
        admin=make_user(system_actor, "qt.tinh", travinh, Role.ADMIN),
        superuser=make_user(system_actor, "quantri.test", is_superuser=True),
    )


@pytest.fixture
def as_user():  # type: ignore[no-untyped-def]
    return client_for


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    """For the browser tests on live_server: catalog, Việt Nam > Trà Vinh > two districts, and
    one account per role, each signing in with browser_helpers.PASSWORD."""
    from baocao.access.models import Role
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog

    actor = system_user()
    load_catalog(actor)
    country, province = travinh_units(actor)
    district_a = unit(actor, "D63-844", name="Càng Long", full_name="Huyện Càng Long", level="district", parent=province)
    district_b = unit(actor, "D63-845", name="Cầu Kè", full_name="Huyện Cầu Kè", level="district", parent=province)
    accounts = {
        "chuyenvien": (province, Role.DATA_ENTRY),
        "lanhdao": (province, Role.APPROVER),
        "xem": (province, Role.VIEWER),
        "bo": (country, Role.VIEWER),
        "quantri.tinh": (province, Role.ADMIN),
        "huyen.a": (district_a, Role.DATA_ENTRY),
        "huyen.b": (district_b, Role.DATA_ENTRY),
    }
    for username, (org_unit, role) in accounts.items():
        account(actor, username, org_unit, role)
    return {"province": province, "a": district_a, "b": district_b, "actor": actor}
