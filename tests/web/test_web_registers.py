"""Narrative entries, document register and tasks, edited in the same place as the figures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_helpers import Y2022, client_for

from baocao.audit.models import AuditEvent
from baocao.datavalues import workflow
from baocao.registers.models import Document, NarrativeEntry, Task

pytestmark = pytest.mark.django_db


def url(unit, period="2022"):  # type: ignore[no-untyped-def]
    return reverse("web:entry-registers", kwargs={"unit": unit.code, "period": period})


def test_page_shows_the_report_sections_and_forms(people):  # type: ignore[no-untyped-def]
    html = client_for(people.entry).get(url(people.province)).content.decode()
    assert "Lĩnh vực bưu chính" in html and "Sổ văn bản của kỳ" in html and "Nhiệm vụ" in html
    assert html.count('name="csrfmiddlewaretoken"') >= 4
    assert f"/bao-cao/{people.province.code}/2022/" in html


def test_narrative_entry_with_a_figure_placeholder_is_saved_and_audited(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    text = "Văn bản điện tử đi trên hệ thống đạt {cntt.qlvb.vb_di|don_vi}."
    response = client.post(url(people.province), {"op": "entry.create", "section": "cntt", "text": text})
    assert response.status_code == 302
    entry = NarrativeEntry.objects.get(unit=people.province, period="2022")
    assert entry.section == "cntt" and entry.text == text
    assert AuditEvent.objects.filter(action="entry.create", actor_name="cv.tinh").exists()
    html = client.get(url(people.province)).content.decode()
    assert "{cntt.qlvb.vb_di|don_vi}" in html
    response = client.post(url(people.province), {"op": "entry.update", "id": entry.pk, "text": "Đã sửa."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Đã sửa."


def test_a_refused_entry_names_the_problem_and_keeps_the_text(people):  # type: ignore[no-untyped-def]
    text = "Số liệu {khong.co.ma} chưa có."
    response = client_for(people.entry).post(url(people.province), {"op": "entry.create", "section": "cntt",
                                                                    "text": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "khong.co.ma" in html and "không có trong danh mục" in html
    assert f"{text}</textarea>" in html
    assert not NarrativeEntry.objects.exists()


def test_documents_are_registered_from_a_form_and_from_pasted_references(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    response = client.post(url(people.province), {
        "op": "doc.create", "number": "16/KH-UBND", "kind": "Kế hoạch", "issued_on": "24/02/2022",
        "summary": "Chuyển đổi số năm 2022", "field": "cntt", "origin": "tham_muu",
    })
    assert response.status_code == 302, response.content.decode()[:1500]
    doc = Document.objects.get(number="16/KH-UBND")
    assert doc.period == "2022Q1" and doc.issued_on.isoformat() == "2022-02-24"
    response = client.post(url(people.province), {
        "op": "doc.refs", "origin": "trich_dan", "text": "thực hiện Kế hoạch số 20/KH-STTTT ngày 10/3/2022 của Sở",
    })
    assert response.status_code == 302
    assert Document.objects.filter(number="20/KH-STTTT").exists()
    html = client.get(url(people.province)).content.decode()
    assert "16/KH-UBND" in html and "20/KH-STTTT" in html
    bad = client.post(url(people.province), {"op": "doc.create", "number": "so mot", "issued_on": "24/02/2022",
                                             "origin": "so_ban_hanh"})
    assert bad.status_code == 400 and "không phải số ký hiệu văn bản" in bad.content.decode()
    assert 'value="so mot"' in bad.content.decode()
    bad_date = client.post(url(people.province), {"op": "doc.create", "number": "17/KH-UBND",
                                                  "issued_on": "31/02/2022", "origin": "so_ban_hanh"})
    assert bad_date.status_code == 400 and "ngày/tháng/năm" in bad_date.content.decode()


def test_tasks_of_the_next_period_and_their_outcome(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    response = client.post(url(people.province), {"op": "task.create", "content": "Triển khai nền tảng số",
                                                  "due_period": "năm 2023", "field": "cntt"})
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.due_period == "2023" and task.set_in_period == "2022"
    assert "Triển khai nền tảng số" in client.get(url(people.province)).content.decode()
    response = client.post(url(people.province, "2023"), {"op": "task.status", "id": task.pk,
                                                          "status": "hoan_thanh", "note": "xong"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "hoan_thanh" and task.note == "xong"


def test_who_may_edit_the_registers(people):  # type: ignore[no-untyped-def]
    post = {"op": "entry.create", "section": "cntt", "text": "Nội dung."}
    viewer = client_for(people.viewer)
    page = viewer.get(url(people.province)).content.decode()
    assert 'value="entry.create"' not in page
    assert viewer.post(url(people.province), post).status_code == 403
    assert client_for(people.entry_a).get(url(people.district_b)).status_code == 403
    assert client_for(people.entry_a).post(url(people.district_b), post).status_code == 403
    workflow.submit(people.entry, people.province, Y2022)
    assert client_for(people.entry).post(url(people.province), post).status_code == 403
    assert not NarrativeEntry.objects.exists()
