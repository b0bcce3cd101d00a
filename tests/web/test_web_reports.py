"""The reports page: pick a unit and period, set the issuing details, render every province."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baocao.access.models import Role
from baocao.audit.models import AuditEvent
from baocao.jobs.models import Job, JobState
from baocao.orgunits.models import OrgUnit
from baocao.reports.models import ReportSettings

pytestmark = pytest.mark.django_db


def _login(client, system_actor, name, unit, role):  # type: ignore[no-untyped-def]
    from baocao.access.services import create_user, grant_role

    user = create_user(system_actor, username=name, password="Mat-khau-thu-2026", full_name=name)
    grant_role(system_actor, user, unit, role)
    client.force_login(user)
    return user


def test_the_nav_link_opens_the_reports_page_of_the_users_province(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    _login(client, system_actor, "xem.tv", travinh, Role.VIEWER)
    html = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:reports")}"' in html
    page = client.get(reverse("web:reports"), {"ky": "năm 2022"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kết quả công tác thông tin và truyền thông năm 2022" in text
    assert f"/bao-cao/{travinh.code}/2022/tai-ve.docx" in text and f"/bao-cao/{travinh.code}/2022/" in text
    assert "điểm cần xem lại trước khi ký" in text
    # a viewer reads the details but gets no form to change them
    assert "Lưu thông tin ban hành" not in text


def test_the_office_sets_number_date_and_signer_and_the_report_prints_them(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    user = _login(client, system_actor, "cv.tv", travinh, Role.DATA_ENTRY)
    url = f"{reverse('web:reports')}?don_vi={travinh.code}&ky=2022"
    response = client.post(url, {
        "don_vi": travinh.code, "number": "245", "issued_on": "05/01/2023", "signer_authority": "GIÁM ĐỐC",
        "signer_title": "", "signer_name": "Trần Văn Ký", "recipients": "Bộ KH&CN;\nUBND tỉnh;\n\nLưu: VT, VP.",
        "reason": "vào sổ văn bản đi",
    })  # fmt: skip
    assert response.status_code == 302
    saved = ReportSettings.objects.get(unit=travinh, period="2022")
    assert (saved.number, saved.signer_name, saved.updated_by) == ("245", "Trần Văn Ký", user)
    assert saved.recipients == ["Bộ KH&CN;", "UBND tỉnh;", "Lưu: VT, VP."]
    event = AuditEvent.objects.filter(action="report.settings").latest("id")
    assert event.reason == "vào sổ văn bản đi" and event.actor == user
    preview = client.get(f"/bao-cao/{travinh.code}/2022/").content.decode()
    assert "Số: 245/BC-STTTT" in preview and "ngày 05 tháng 01 năm 2023" in preview
    # the director signs himself: the template's "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" is gone
    assert "Trần Văn Ký" in preview and "PHÓ GIÁM ĐỐC" not in preview and "KT. GIÁM ĐỐC" not in preview


def test_wrong_details_are_shown_on_their_field_and_nothing_is_saved(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    _login(client, system_actor, "cv.tv2", travinh, Role.DATA_ENTRY)
    url = f"{reverse('web:reports')}?don_vi={travinh.code}&ky=2022"
    response = client.post(url, {"don_vi": travinh.code, "number": "12a/BC", "issued_on": "31/02/2022",
                                 "signer_authority": "GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhập một ngày hợp lệ" in html
    assert 'value="12a/BC"' in html  # what was typed stays in the form
    response = client.post(url, {"don_vi": travinh.code, "number": "12a", "signer_authority": "GIÁM ĐỐC",
                                 "signer_title": "PHÓ GIÁM ĐỐC"})  # fmt: skip
    html = response.content.decode()
    assert "chỉ gồm chữ số" in html and "KT. GIÁM ĐỐC" in html
    assert not ReportSettings.objects.filter(unit=travinh, period="2022").exists()


def test_a_viewer_cannot_post_issuing_details(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    _login(client, system_actor, "xem.tv3", travinh, Role.VIEWER)
    url = f"{reverse('web:reports')}?don_vi={travinh.code}&ky=2022"
    response = client.post(url, {"don_vi": travinh.code, "number": "9", "signer_authority": "GIÁM ĐỐC"})
    assert response.status_code == 403
    assert not ReportSettings.objects.filter(unit=travinh).exists()


def test_another_provinces_reports_page_is_forbidden(client, system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    _login(client, system_actor, "xem.hn", OrgUnit.objects.get(code="P63-01"), Role.VIEWER)
    assert client.get(reverse("web:reports"), {"don_vi": travinh.code}).status_code == 403


def test_the_ministry_renders_every_province_in_the_background(client, system_actor, travinh, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"
    country = OrgUnit.objects.get(parent__isnull=True)
    _login(client, system_actor, "bo.tv", country, Role.VIEWER)
    page = client.get(reverse("web:reports"), {"don_vi": travinh.code, "ky": "2022"}).content.decode()
    assert "Viết báo cáo cho mọi tỉnh" in page and "63 tỉnh, thành phố" in page
    response = client.post(reverse("web:reports-render-all"), {"ky": "2022", "dinh_dang": "docx"})
    job = Job.objects.get(kind="render_reports")
    assert response.status_code == 302 and response["Location"] == reverse("web:job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert job.result["written"] == 63 and job.result_file.endswith(".zip")
