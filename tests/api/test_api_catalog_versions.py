"""The catalog's changes of reporting through the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_gives_validity_and_filters_by_period(make_api) -> None:  # type: ignore[no-untyped-def]
    api = make_api("api-catalog", superuser=True)
    one = api.get("/indicators/cntt.dvc.toan_trinh").json()
    assert (one["valid_from"], one["valid_to"], one["replaces"]) == ("2022-08-01", None, "cntt.dvc.muc4")
    codes = {i["code"] for i in api.get("/indicators", period="quý I/2023").json()}
    assert "cntt.dvc.toan_trinh" in codes and "cntt.dvc.muc4" not in codes
    bad = api.get("/indicators", period="quý V/2023")
    assert bad.status_code == 422
