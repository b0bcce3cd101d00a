"""The API enforces the same subtree permissions as the web app, on every call."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.core.periods import Period
from baocao.datavalues.services import ValueInput, save_values
from baocao.orgunits.lookup import find_unit

pytestmark = pytest.mark.django_db
Y2022 = Period.from_code("2022")


@pytest.fixture
def drafts(system_actor, travinh, districts):  # type: ignore[no-untyped-def]
    """Draft values of both districts, the province and another province (Vĩnh Long, 2022)."""
    vinhlong = find_unit("Vĩnh Long", on=date(2022, 12, 31), level="province")
    save_values(
        system_actor,
        [
            ValueInput("cntt.qlvb.vb_di", districts[0], Y2022, 100),
            ValueInput("cntt.qlvb.vb_di", districts[1], Y2022, 250),
            ValueInput("cntt.cts.tong", travinh, Y2022, 2597),
            ValueInput("cntt.cts.tong", vinhlong, Y2022, 3000),
        ],
    )
    return vinhlong


def _units(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {item["unit"] for item in response.json()["items"]}


def test_district_user_cannot_read_another_districts_drafts(district_entry, districts, drafts) -> None:  # type: ignore[no-untyped-def]
    own, other = districts
    assert _units(district_entry.get("/values")) == {own.code}
    response = district_entry.get("/values", unit=other.code)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    for path in ("/values/resolved", "/validation", "/workflow"):
        params = {"unit": other.code, "period": "2022", "indicator": "cntt.qlvb.vb_di"}
        assert district_entry.get(path, **params).status_code == 403, path
    assert district_entry.get(f"/units/{other.code}").status_code == 403
    assert {u["code"] for u in district_entry.get("/units", limit=1000).json()["items"]} >= {own.code}
    assert other.code not in {u["code"] for u in district_entry.get("/units", limit=1000).json()["items"]}


def test_district_user_cannot_write_or_delete_another_districts_values(
    district_entry, districts, drafts
) -> None:  # type: ignore[no-untyped-def]
    own, other = districts
    response = district_entry.post(
        "/values",
        {"values": [{"indicator": "cntt.qlvb.vb_di", "unit": other.code, "period": "2022", "value": 1}]},
    )
    assert response.status_code == 403
    from baocao.datavalues.models import DataValue

    hidden = DataValue.objects.get(unit=other)
    # A value out of scope does not exist for the caller (404), and is still there afterwards.
    assert district_entry.delete(f"/values/{hidden.pk}", reason="thử").status_code == 404
    assert DataValue.objects.filter(pk=hidden.pk).exists()
    ok = district_entry.post(
        "/values",
        {"values": [{"indicator": "cntt.qlvb.vb_di", "unit": own.code, "period": "2022", "value": 120}]},
    )
    assert ok.status_code == 200 and ok.json()["updated"] == 1


def test_province_viewer_reads_all_its_units_but_not_others(
    province_viewer, travinh, districts, drafts
) -> None:  # type: ignore[no-untyped-def]
    seen = _units(province_viewer.get("/values", unit=travinh.code, subtree="true"))
    assert seen == {travinh.code, districts[0].code, districts[1].code}
    assert _units(province_viewer.get("/values")) == seen
    assert province_viewer.get("/values", unit=drafts.code).status_code == 403


def test_ministry_viewer_reads_all_provinces(ministry_viewer, travinh, drafts) -> None:  # type: ignore[no-untyped-def]
    assert {travinh.code, drafts.code} <= _units(ministry_viewer.get("/values"))
    response = ministry_viewer.get(
        "/values/resolved", unit=drafts.code, indicator="cntt.cts.tong", period="năm 2022"
    )
    assert response.status_code == 200 and response.json()["value"] == 3000


def test_viewers_cannot_write(province_viewer, ministry_viewer, travinh, drafts) -> None:  # type: ignore[no-untyped-def]
    row = {"indicator": "cntt.cts.tong", "unit": travinh.code, "period": "2022", "value": "2.600"}
    for api in (province_viewer, ministry_viewer):
        response = api.post("/values", {"values": [row]})
        assert response.status_code == 403, response.content
        assert "enter" in response.json()["message"]
        assert api.post("/workflow/submit", {"unit": travinh.code, "period": "2022"}).status_code == 403
    from baocao.datavalues.models import DataValue

    assert DataValue.objects.get(unit=travinh, indicator__code="cntt.cts.tong").value == 2597
