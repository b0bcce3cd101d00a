"""The API's bulk path: a file of figures imported as a background job, followed, retried, and
scoped like everything else."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.access.models import Role
from baocao.datavalues.models import DataValue, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sync_jobs(settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"  # the job runs inside the request, so the test sees its end


def _upload(api: Any, name: str, content: str, **form: str) -> Any:
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return api.client.post("/api/v1/values/import", {"file": upload, **form}, headers=api._headers())


def test_a_csv_is_imported_as_a_job_with_source_api(make_api, districts):  # type: ignore[no-untyped-def]
    api = make_api("nhap.tep", (districts[0], Role.DATA_ENTRY))
    csv = f"indicator,unit,period,value\ncntt.qlvb.vb_di,{districts[0].code},2022Q1,1.599\n"
    response = _upload(api, "so-lieu.csv", csv, reason="số liệu quý I")
    assert response.status_code == 200, response.content
    job = response.json()
    assert job["kind"] == "bulk_import" and job["state"] == "done" and job["finished"] is True
    assert job["result"]["created"] == 1
    value = DataValue.objects.get(unit=districts[0], indicator__code="cntt.qlvb.vb_di", period="2022Q1")
    assert value.value == 1599 and value.source == Source.API
    polled = api.get(f"/jobs/{job['id']}").json()
    assert polled["id"] == job["id"] and polled["progress"]["percent"] == 100
    listed = api.get("/jobs").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == job["id"]


def test_a_wrong_row_fails_the_job_names_the_line_and_stores_nothing(make_api, districts):  # type: ignore[no-untyped-def]
    api = make_api("nhap.loi", (districts[0], Role.DATA_ENTRY))
    csv = (f"indicator,unit,period,value\ncntt.qlvb.vb_di,{districts[0].code},2022Q1,10\n"
           f"cntt.qlvb.vb_di,{districts[0].code},2022Q2,mười\n")  # fmt: skip
    job = _upload(api, "loi.csv", csv).json()
    assert job["state"] == "failed" and job["can_retry"] is True
    assert "loi.csv" in job["error"] and "dòng 3" in job["error"]
    assert not DataValue.objects.filter(unit=districts[0], indicator__code="cntt.qlvb.vb_di").exists()
    again = api.post(f"/jobs/{job['id']}/retry", {})
    assert again.status_code == 200 and again.json()["retry_of"] == job["id"]


def test_another_district_and_another_persons_job_are_refused(make_api, districts):  # type: ignore[no-untyped-def]
    api = make_api("nhap.huyen.a", (districts[0], Role.DATA_ENTRY))
    csv = f"indicator,unit,period,value\ncntt.qlvb.vb_di,{districts[1].code},2022Q1,5\n"
    job = _upload(api, "huyen-khac.csv", csv).json()
    assert job["state"] == "failed" and not DataValue.objects.filter(unit=districts[1]).exists()
    other = make_api("nhap.huyen.b", (districts[1], Role.DATA_ENTRY))
    assert other.get(f"/jobs/{job['id']}").status_code == 404
    assert _upload(api, "x.csv", "a,b\n1,2\n", unit=districts[1].code).status_code == 403


def test_a_file_that_is_not_figures_is_refused_before_any_job(make_api, districts):  # type: ignore[no-untyped-def]
    api = make_api("nhap.sai", (districts[0], Role.DATA_ENTRY))
    response = _upload(api, "macro.exe", "MZ\x00\x00")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "file" and "macro.exe" in body["message"]
    assert api.get("/jobs").json()["count"] == 0
