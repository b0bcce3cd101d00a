"""The OpenAPI document and the docs page are served; unknown places answer in JSON."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_document_is_served(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/periods/parse",
        "/api/v1/indicators",
        "/api/v1/indicators/{code}",
        "/api/v1/values",
        "/api/v1/values/{value_id}",
        "/api/v1/values/resolved",
        "/api/v1/validation",
        "/api/v1/workflow",
        "/api/v1/workflow/submit",
        "/api/v1/workflow/reopen",
    ):
        assert path in doc["paths"], path
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "422" in doc["paths"]["/api/v1/values"]["post"]["responses"]


def test_docs_page_uses_local_assets(client: Client) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/api/v1/openapi.json" in page.content
    assert b"cdn" not in page.content.lower()
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset["Content-Type"].endswith("javascript")


def test_unknown_api_path_is_json_404(client: Client) -> None:
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_periods_and_catalog(admin_api) -> None:  # type: ignore[no-untyped-def]
    period = admin_api.get("/periods/parse", text="quý I/2022").json()
    assert (period["code"], period["start"], period["end"]) == ("2022Q1", "2022-01-01", "2022-03-31")
    assert period["previous"]["code"] == "2021Q4" and period["same_period_last_year"]["code"] == "2021Q1"
    assert (period["regime"]["window_start"], period["regime"]["window_end"]) == ("2021-12-15", "2022-03-14")
    assert period["regime"]["due_date"] == "2022-03-20"
    stat = admin_api.get("/periods/parse", text="2022Q1", regime="thong_ke").json()["regime"]
    assert stat["window_start"] == "2022-01-01"

    rate = admin_api.get("/indicators/cntt.qlvb.ty_le_ky_so").json()
    assert rate["kind"] == "rate" and rate["parts"] == ["cntt.qlvb.vb_di", "cntt.qlvb.vb_ky_so"]
    cntt = admin_api.get("/indicators", field="cntt").json()
    assert cntt and {i["field"] for i in cntt} == {"cntt"}
    assert admin_api.get("/indicators/khong.co").status_code == 404
    field = admin_api.get("/fields/cntt").json()
    assert field["indicator_count"] == len(cntt)


def test_units_with_successions(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    detail = admin_api.get(f"/units/{travinh.code}").json()
    assert detail["level"] == "province" and detail["parent"]["code"] == "VN"
    assert any(c["level"] == "district" for c in detail["children"])
    assert [s["unit"]["name"] for s in detail["successors"]] == ["Vĩnh Long"]
    new = detail["successors"][0]["unit"]["code"]
    preds = admin_api.get(f"/units/{new}").json()["predecessors"]
    assert travinh.code in {p["unit"]["code"] for p in preds}
    found = admin_api.get("/units", search="tra vinh", level="province").json()
    assert travinh.code in {u["code"] for u in found["items"]}
    on_2026 = admin_api.get("/units", level="province", valid_on="2026-01-01").json()
    assert on_2026["count"] == 34
    children = admin_api.get("/units", parent=travinh.code, level="district").json()
    assert children["count"] == travinh.children.filter(level="district").count()
