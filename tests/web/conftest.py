"""Fixtures of the web tests: people with each role on Trà Vinh or one of its districts.

Accounts are created through the access services, as an administrator would create them.
"""

from __future__ import annotations

from typing import Any

import pytest
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
