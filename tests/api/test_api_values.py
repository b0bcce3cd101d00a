"""Writing values in bulk (all-or-nothing, Vietnamese numbers, row errors), deleting with a
reason, resolving rates from their parts, and the workflow through the API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.access.models import Role
from baocao.audit.models import AuditEvent
from baocao.datavalues.models import DataValue, Qualifier, Source

pytestmark = pytest.mark.django_db


def _row(unit, indicator: str, value, period: str = "2022", **extra):  # type: ignore[no-untyped-def]
    return {"indicator": indicator, "unit": unit.code, "period": period, "value": value, **extra}


def test_bulk_write_reads_vietnamese_numbers_and_labels(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    rows = [
        _row(travinh, "cntt.qlvb.vb_di", "40.722 văn bản", "quý I/2022"),
        _row(travinh, "cntt.qlvb.vb_ky_so", "ước 32.577", "2022Q1"),
        _row(travinh, "cntt.qlvb.ty_le_ky_so", "80,71%", "quy-1-2022"),
        _row(travinh, "bc.doanh_thu", "76 tỷ đồng", "năm 2022", comment="theo báo cáo Bưu điện tỉnh"),
        _row(travinh, "cntt.cts.tong", 2597.0, "2022", target=True),
    ]
    response = admin_api.post("/values", {"values": rows, "reason": "nhập qua API"})
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 5, "updated": 0, "unchanged": 0, "total": 5}

    stored = {(v.indicator.code, v.period): v for v in DataValue.objects.select_related("indicator")}
    assert stored[("cntt.qlvb.vb_di", "2022Q1")].value == Decimal(40722)
    assert stored[("cntt.qlvb.vb_ky_so", "2022Q1")].qualifier == Qualifier.APPROX
    assert stored[("cntt.qlvb.ty_le_ky_so", "2022Q1")].value == Decimal("80.71")
    assert stored[("bc.doanh_thu", "2022")].value == Decimal(76_000_000_000)
    assert stored[("cntt.cts.tong", "2022")].is_target
    assert {v.source for v in stored.values()} == {Source.API}
    assert stored[("cntt.qlvb.vb_di", "2022Q1")].source_ref == "API: test quantri.api"

    again = admin_api.post("/values", {"values": [*rows[:1], {**rows[1], "value": 32578}]})
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 1, "total": 2}
    assert AuditEvent.objects.filter(action="value.create", reason="nhập qua API").count() == 5

    listed = admin_api.get(
        "/values", unit=travinh.code, period="quý I/2022", indicator="cntt.qlvb.vb_di"
    ).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["value"], item["exact"], item["display"], item["state"]) == (
        40722,
        "40722",
        "40.722",
        "draft",
    )


def test_bulk_write_is_all_or_nothing_and_names_every_bad_row(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    rows = [
        _row(travinh, "cntt.qlvb.vb_di", 100),
        _row(travinh, "khong.co.chi.tieu", 5),
        _row(travinh, "cntt.qlvb.vb_ky_so", "mười"),
        _row(travinh, "cntt.qlvb.vb_ky_so", 5, "quý V/2022"),
        {**_row(travinh, "cntt.qlvb.vb_ky_so", 5), "unit": "Không Có Tỉnh Này"},
        _row(travinh, "cntt.qlvb.vb_ky_so", "1e5"),
    ]
    response = admin_api.post("/values", {"values": rows})
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "invalid"
    fields = {e["field"] for e in data["errors"]}
    assert {"values[2].value", "values[3].period", "values[4].unit", "values[5].value"} <= fields
    assert all(e["message"].startswith(e["field"].split(".")[0]) for e in data["errors"])
    assert not DataValue.objects.exists()

    # Once the rows read, the service's own checks answer the same way (unknown indicator).
    response = admin_api.post("/values", {"values": rows[:2]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["values[1].indicator"]
    assert not DataValue.objects.exists()


def test_request_shape_errors_name_the_field(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    response = admin_api.post("/values", {"values": [{"indicator": "cntt.qlvb.vb_di", "unit": travinh.code}]})
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_request"
    assert {"values[0].period", "values[0].value"} <= {e["field"] for e in data["errors"]}
    assert admin_api.post("/values", {"values": []}).json()["field"] == "values"
    bad_json = admin_api.client.post(
        "/api/v1/values",
        "{không phải json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin_api.token}"},
    )
    assert bad_json.status_code in (400, 422) and "code" in bad_json.json()


def test_unknown_period_label_is_422_not_500(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    for path, params in [
        ("/values", {"period": "quý mười"}),
        ("/values/resolved", {"unit": travinh.code, "indicator": "cntt.qlvb.vb_di", "period": "hôm qua"}),
        ("/validation", {"unit": travinh.code, "period": "0000"}),
        ("/periods/parse", {"text": "quý V/2022"}),
    ]:
        response = admin_api.get(path, **params)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["code"] == "invalid_period" and response.json()["field"] in ("period", "text")


def test_delete_needs_a_reason_and_is_audited(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    admin_api.post("/values", {"values": [_row(travinh, "cntt.cts.tong", 2597)]})
    value = DataValue.objects.get()
    assert admin_api.delete(f"/values/{value.pk}").status_code == 422
    response = admin_api.delete(f"/values/{value.pk}", reason="nhập nhầm")
    assert response.status_code == 200 and response.json() == {"id": value.pk, "deleted": True}
    assert not DataValue.objects.exists()
    assert AuditEvent.objects.get(action="value.delete").reason == "nhập nhầm"
    assert admin_api.delete(f"/values/{value.pk}", reason="lần nữa").status_code == 404


def test_resolved_rate_is_computed_from_parts_of_the_districts(admin_api, travinh, districts) -> None:  # type: ignore[no-untyped-def]
    a, b = districts
    rows = [
        _row(a, "cntt.qlvb.vb_di", 1000),
        _row(a, "cntt.qlvb.vb_ky_so", 900),
        _row(a, "cntt.qlvb.ty_le_ky_so", "90%"),
        _row(b, "cntt.qlvb.vb_di", 3000),
        _row(b, "cntt.qlvb.vb_ky_so", 1500),
        _row(b, "cntt.qlvb.ty_le_ky_so", "50%"),
        _row(travinh, "cntt.qlvb.vb_di", 1800, "2021"),
        _row(travinh, "cntt.qlvb.vb_ky_so", 900, "2021"),
    ]
    assert admin_api.post("/values", {"values": rows}).status_code == 200
    response = admin_api.get(
        "/values/resolved", unit=travinh.code, indicator="cntt.qlvb.ty_le_ky_so", period="năm 2022"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    # (900 + 1500) / (1000 + 3000) = 60 %, not the average of 90 % and 50 % (70 %).
    assert data["how"] == "computed" and Decimal(data["exact"]) == Decimal(60)
    assert data["display"] == "60" and "cntt.qlvb.vb_di" in data["note"]
    assert data["parts"] == {"cntt.qlvb.vb_di": "4000", "cntt.qlvb.vb_ky_so": "2400"}
    assert [p["period"] for p in data["series"]] == ["2018", "2019", "2020", "2021", "2022"]
    assert data["series"][3]["value"] == 50 and data["series"][0]["value"] is None

    short = admin_api.get(
        "/values/resolved",
        unit=travinh.code,
        indicator="cntt.qlvb.ty_le_ky_so",
        period="2022",
        series_from="2021",
    ).json()
    assert [p["period"] for p in short["series"]] == ["2021", "2022"]
    wrong = admin_api.get(
        "/values/resolved",
        unit=travinh.code,
        indicator="cntt.qlvb.ty_le_ky_so",
        period="2022",
        series_from="2021Q1",
    )
    assert wrong.status_code == 422 and wrong.json()["field"] == "series_from"


def test_workflow_through_the_api(make_api, travinh) -> None:  # type: ignore[no-untyped-def]
    entry = make_api("nhap.tinh", (travinh, Role.DATA_ENTRY))
    approver = make_api("duyet.tinh", (travinh, Role.APPROVER))
    body = {"unit": travinh.code, "period": "quý I/2022"}
    assert (
        entry.post("/values", {"values": [_row(travinh, "cntt.cts.tong", 10, "2022Q1")]}).status_code == 200
    )

    submitted = entry.post("/workflow/submit", body)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert submitted.json()["submitted_by"] == "nhap.tinh"
    # Submitted data is closed to data entry until reopened.
    refused = entry.post("/values", {"values": [_row(travinh, "cntt.cts.tong", 11, "2022Q1")]})
    assert refused.status_code == 403
    assert entry.post("/workflow/approve", body).status_code == 403
    assert approver.post("/workflow/approve", body).json()["state"] == "approved"
    assert approver.post("/workflow/approve", body).status_code == 422
    no_reason = approver.post("/workflow/reopen", body)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
    reopened = approver.post("/workflow/reopen", {**body, "reason": "sửa số chứng thư"})
    assert reopened.json()["state"] == "draft"
    status = entry.get("/workflow", unit=travinh.code, period="2022Q1").json()
    assert status["state"] == "draft" and status["due_date"] == "2022-03-20"
    assert {c["unit"] for c in status["children"]} >= {
        c.code for c in travinh.children.filter(level="district")
    }


def test_validation_findings(admin_api, travinh) -> None:  # type: ignore[no-untyped-def]
    admin_api.post(
        "/values",
        {
            "values": [
                _row(travinh, "cntt.qlvb.vb_di", 1000),
                _row(travinh, "cntt.qlvb.vb_ky_so", 900),
                _row(travinh, "cntt.qlvb.ty_le_ky_so", "80%"),
            ]
        },
    )
    response = admin_api.get("/validation", unit=travinh.code, period="2022")
    assert response.status_code == 200
    data = response.json()
    assert data["fail"] >= 1 and data["ok"] + data["fail"] + data["skipped"] == len(data["findings"])
    failed = [f for f in data["findings"] if f["status"] == "fail" and f["kind"] == "rate"]
    assert failed and "90" in failed[0]["message"]
