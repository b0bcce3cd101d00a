"""Documents, tasks and reports through the API: written by data entry through the register
services, read within scope, reports rendered on request."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.access.models import Role
from baocao.audit.models import AuditEvent
from baocao.orgunits.lookup import find_unit
from baocao.registers.models import Document, Task

pytestmark = pytest.mark.django_db

PLAN = {
    "number": "16/KH-UBND",
    "issued_on": "2022-02-24",
    "origin": "tham_muu",
    "field": "cntt",
    "summary": "Kế hoạch chuyển đổi số tỉnh Trà Vinh năm 2022",
}


@pytest.fixture
def entry(make_api, travinh):  # type: ignore[no-untyped-def]
    return make_api("nhap.so", (travinh, Role.DATA_ENTRY))


@pytest.fixture
def other_viewer(make_api):  # type: ignore[no-untyped-def]
    return make_api(
        "xem.vinhlong", (find_unit("Vĩnh Long", on=date(2022, 12, 31), level="province"), Role.VIEWER)
    )


def test_documents_are_written_by_data_entry_and_read_within_scope(  # type: ignore[no-untyped-def]
    entry, province_viewer, other_viewer, travinh
) -> None:
    created = entry.post("/documents", {**PLAN, "unit": travinh.code, "reason": "vào sổ"})
    assert created.status_code == 200, created.content
    doc = created.json()
    assert (doc["kind"], doc["period"], doc["year"], doc["issuer"]) == ("Kế hoạch", "2022Q1", 2022, "UBND")
    assert AuditEvent.objects.filter(action="document.create", reason="vào sổ").exists()

    listed = province_viewer.get("/documents", unit=travinh.code, period="năm 2022").json()
    assert [d["number"] for d in listed["items"]] == ["16/KH-UBND"]
    assert province_viewer.get(f"/documents/{doc['id']}").status_code == 200
    assert other_viewer.get(f"/documents/{doc['id']}").status_code == 404
    assert other_viewer.get("/documents").json()["count"] == 0
    assert province_viewer.post("/documents", {**PLAN, "unit": travinh.code}).status_code == 403

    again = entry.post("/documents", {**PLAN, "unit": travinh.code})
    assert again.status_code == 422 and again.json()["field"] == "number"
    bad = entry.post("/documents", {**PLAN, "unit": travinh.code, "number": "không có số"})
    assert bad.status_code == 422 and bad.json()["field"] == "number"

    changed = entry.put(f"/documents/{doc['id']}", {**PLAN, "summary": "Kế hoạch (sửa)"})
    assert changed.status_code == 200 and changed.json()["summary"] == "Kế hoạch (sửa)"
    assert entry.delete(f"/documents/{doc['id']}").status_code == 422
    assert entry.delete(f"/documents/{doc['id']}", reason="trùng").status_code == 200
    assert not Document.objects.exists()


def test_tasks_are_written_and_closed(entry, province_viewer, travinh) -> None:  # type: ignore[no-untyped-def]
    body = {"unit": travinh.code, "content": "Triển khai nền tảng số dùng chung", "due_period": "quý II/2022"}
    created = entry.post("/tasks", {**body, "field": "cntt"})
    assert created.status_code == 200, created.content
    task = created.json()
    assert (task["due_period"], task["status"], task["order"]) == ("2022Q2", "chua_thuc_hien", 1)

    done = entry.post(f"/tasks/{task['id']}/status", {"status": "hoan_thanh", "note": "đã đưa vào vận hành"})
    assert done.status_code == 200 and done.json()["status_label"] == "Hoàn thành"
    listed = province_viewer.get("/tasks", unit=travinh.code, due_period="2022", status="hoan_thanh").json()
    assert [t["id"] for t in listed["items"]] == [task["id"]]
    assert (
        province_viewer.post(f"/tasks/{task['id']}/status", {"status": "dang_thuc_hien"}).status_code == 403
    )

    wrong = entry.post("/tasks", {**body, "due_period": "quý năm"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "due_period"
    assert entry.delete(f"/tasks/{task['id']}", reason="gộp nhiệm vụ").status_code == 200
    assert not Task.objects.exists()


def test_report_is_rendered_on_request(province_viewer, district_entry, travinh, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    response = province_viewer.post("/reports/render", {"unit": travinh.code, "period": "năm 2022"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"
    assert f"bao-cao-{travinh.code}-nam-2022.docx" in response["Content-Disposition"]
    # A district user may not see the province's report.
    assert district_entry.post("/reports/render", {"unit": travinh.code, "period": "2022"}).status_code == 403

    from baocao.reports import services

    def no_libreoffice(docx, pdf):  # type: ignore[no-untyped-def]
        raise services.PdfError("Cần LibreOffice để xuất PDF")

    monkeypatch.setattr(services, "docx_to_pdf", no_libreoffice)
    missing = province_viewer.post(
        "/reports/render", {"unit": travinh.code, "period": "2022", "format": "pdf"}
    )
    assert missing.status_code == 503 and missing.json()["code"] == "pdf_unavailable"

    def fake_pdf(docx, pdf):  # type: ignore[no-untyped-def]
        pdf.write_bytes(b"%PDF-1.7 stub")
        return pdf

    monkeypatch.setattr(services, "docx_to_pdf", fake_pdf)
    made = province_viewer.post("/reports/render", {"unit": travinh.code, "period": "2022", "format": "pdf"})
    assert made.status_code == 200 and made["Content-Type"] == "application/pdf"
