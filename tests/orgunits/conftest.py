"""Users for the org-unit tests: a plain user, a province administrator, a system administrator."""

from __future__ import annotations

import pytest


@pytest.fixture
def plain_user(db):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="nguoi-dung", password="x-unused-x")


@pytest.fixture
def province_admin(db, system_actor):  # type: ignore[no-untyped-def]
    """Administrator (role) of the new Vĩnh Long only."""
    from django.contrib.auth import get_user_model

    from baocao.access.models import Role
    from baocao.access.services import grant_role
    from baocao.orgunits.models import OrgUnit

    user = get_user_model().objects.create_user(username="quantri-vinhlong", password="x-unused-x")
    grant_role(system_actor, user, OrgUnit.objects.get(code="P34-86"), Role.ADMIN)
    return user


@pytest.fixture
def root_admin(db, system_actor):  # type: ignore[no-untyped-def]
    """Not a superuser: holds the admin role on the country, which makes a system administrator."""
    from django.contrib.auth import get_user_model

    from baocao.access.models import Role
    from baocao.access.services import grant_role
    from baocao.orgunits.models import OrgUnit

    user = get_user_model().objects.create_user(username="quantri-he-thong", password="x-unused-x")
    grant_role(system_actor, user, OrgUnit.objects.get(code="VN"), Role.ADMIN)
    return user
