"""The data-entry form: layout, Vietnamese numbers, failed saves, findings, and who may do what."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from web_helpers import Y2021, Y2022, client_for

from baocao.audit.models import AuditEvent
from baocao.datavalues import workflow
from baocao.datavalues.models import DataValue, State
from baocao.datavalues.services import set_value

pytestmark = pytest.mark.django_db


def section_url(unit, period="2022", field="cntt"):  # type: ignore[no-untyped-def]
    return reverse("web:entry-section", kwargs={"unit": unit.code, "period": period, "field": field})


def stored(unit, code, period="2022", target=False):  # type: ignore[no-untyped-def]
    dv = DataValue.objects.filter(unit=unit, indicator__code=code, period=period, is_target=target).first()
    return dv


def test_section_lists_indicators_with_unit_last_period_and_plan(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2021, value=41722)
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=50000,
              is_target=True)
    response = client_for(people.entry).get(section_url(people.province))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Văn bản điện tử đi (phát hành) trên hệ thống" in html
    assert "văn bản" in html  # the unit of measure
    assert "41.722" in html  # last period's value, formatted the Vietnamese way
    assert 'value="50.000"' in html  # the plan, in its box
    assert "năm 2021" in html and "năm 2022" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The derived figure's formula is on the page for the browser to recompute as one types.
    assert "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di" in html


def test_vietnamese_numbers_are_read_stored_and_shown_back_formatted(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    response = client.post(section_url(people.province), {
        "v:cntt.qlvb.vb_di": "1.599",
        "v:cntt.qlvb.vb_ky_so": "1.200",
        "v:cntt.qlvb.ty_le_ky_so": "75,05",
        "q:cntt.qlvb.ty_le_ky_so": "exact",
        "v:cntt.cts.tong": "hơn 2.500",
        "c:cntt.cts.tong": "theo báo cáo của Ban Cơ yếu",
        "t:cntt.qlvb.vb_di": "2.000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(people.province, "cntt.qlvb.vb_di").value == Decimal(1599)
    assert stored(people.province, "cntt.qlvb.ty_le_ky_so").value == Decimal("75.05")
    cts = stored(people.province, "cntt.cts.tong")
    assert cts.value == Decimal(2500) and cts.qualifier == "more_than"
    assert cts.comment == "theo báo cáo của Ban Cơ yếu"
    assert stored(people.province, "cntt.qlvb.vb_di", target=True).value == Decimal(2000)
    assert stored(people.province, "cntt.qlvb.vb_di").source == "entry"
    page = client.get(section_url(people.province)).content.decode()
    assert 'value="1.599"' in page and 'value="75,05"' in page and 'value="2.500"' in page
    # 1.200 / 1.599 = 75,05%: the rate recomputed from its parts is shown as a computed figure.
    assert re.search(r'<output class="computed-figure"[^>]*>75,05%</output>', page)


def test_a_failed_save_keeps_what_was_typed_and_stores_nothing(people):  # type: ignore[no-untyped-def]
    response = client_for(people.entry).post(section_url(people.province), {
        "v:cntt.qlvb.vb_di": "1.599",
        "v:cntt.qlvb.vb_ky_so": "một nghìn",
        "v:cntt.cts.tong": "-5",
    })
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="1.599"' in html and 'value="một nghìn"' in html and 'value="-5"' in html
    assert "không phải là số" in html and "Không nhận giá trị âm" in html
    assert not DataValue.objects.filter(unit=people.province).exists()


def test_validation_findings_are_shown_beside_the_indicators_naming_the_rule(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    client.post(section_url(people.province), {"v:cntt.qlvb.vb_di": "100", "v:cntt.qlvb.vb_ky_so": "150"})
    html = client.get(section_url(people.province)).content.decode()
    assert "Văn bản ký số không vượt văn bản đi" in html
    assert 'data-rule="qlvb_ky_so_trong_vb_di"' in html
    row = html[html.index('id="row-cntt.qlvb.vb_ky_so"'):]
    assert "has-finding" in html[html.index('id="row-cntt.qlvb.vb_ky_so"') - 10: html.index('id="row-cntt.qlvb.vb_ky_so"') + 80]
    assert "qlvb_ky_so_trong_vb_di" in row[: row.index("</tr>")]


def test_emptying_a_box_deletes_the_value_only_with_a_reason(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.cts.tong", unit=people.province, period=Y2022, value=2597)
    client = client_for(people.entry)
    response = client.post(section_url(people.province), {"v:cntt.cts.tong": ""})
    assert response.status_code == 400 and "Cần ghi lý do" in response.content.decode()
    assert stored(people.province, "cntt.cts.tong") is not None
    response = client.post(section_url(people.province), {"v:cntt.cts.tong": "", "reason": "nhập nhầm kỳ"})
    assert response.status_code == 302
    assert stored(people.province, "cntt.cts.tong") is None
    event = AuditEvent.objects.get(action="value.delete")
    assert event.reason == "nhập nhầm kỳ" and event.actor_name == "cv.tinh"


def test_boxes_not_sent_are_left_alone(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.cts.tong", unit=people.province, period=Y2022, value=2597,
              qualifier="approx", comment="ước tính")
    response = client_for(people.entry).post(section_url(people.province), {"v:cntt.qlvb.vb_di": "10"})
    assert response.status_code == 302
    cts = stored(people.province, "cntt.cts.tong")
    assert (cts.value, cts.qualifier, cts.comment) == (Decimal(2597), "approx", "ước tính")


def test_district_user_cannot_read_or_write_another_districts_draft(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.district_b, period=Y2022, value=777)
    client = client_for(people.entry_a)
    assert client.get(section_url(people.district_a)).status_code == 200
    other = client.get(section_url(people.district_b))
    assert other.status_code == 403 and "777" not in other.content.decode()
    overview = reverse("web:entry-overview", kwargs={"unit": people.district_b.code, "period": "2022"})
    assert client.get(overview).status_code == 403
    assert client.post(section_url(people.district_b), {"v:cntt.qlvb.vb_di": "5"}).status_code == 403
    assert stored(people.district_b, "cntt.qlvb.vb_di").value == Decimal(777)
    # …nor the province above it.
    assert client.get(section_url(people.province)).status_code == 403


def test_province_viewer_reads_every_unit_but_cannot_write(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.district_b, period=Y2022, value=777)
    client = client_for(people.viewer)
    page = client.get(section_url(people.district_b))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="777"' in html and "disabled" in html and 'id="save"' not in html
    assert client.post(section_url(people.district_b), {"v:cntt.qlvb.vb_di": "5"}).status_code == 403
    assert client.get(section_url(people.province)).status_code == 200


def test_ministry_viewer_sees_every_province_read_only(people):  # type: ignore[no-untyped-def]
    from datetime import date

    from baocao.orgunits.lookup import find_unit

    client = client_for(people.ministry)
    hanoi = find_unit("Hà Nội", on=date(2022, 12, 31), level="province")
    assert client.get(section_url(hanoi)).status_code == 200
    assert client.get(section_url(people.province)).status_code == 200
    assert client.post(section_url(people.province), {"v:cntt.qlvb.vb_di": "5"}).status_code == 403


def test_submitted_data_is_read_only_for_data_entry_and_editable_by_the_approver(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry, people.province, Y2022)
    client = client_for(people.entry)
    html = client.get(section_url(people.province)).content.decode()
    assert "disabled" in html and 'id="save"' not in html
    assert client.post(section_url(people.province), {"v:cntt.qlvb.vb_di": "5"}).status_code == 403
    response = client_for(people.approver).post(section_url(people.province), {"v:cntt.qlvb.vb_di": "5"})
    assert response.status_code == 302
    assert stored(people.province, "cntt.qlvb.vb_di").value == 5


def test_locked_data_is_changed_only_after_an_administrator_reopens_it(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry, people.province, Y2022)
    workflow.approve(people.approver, people.province, Y2022)
    workflow.lock(people.approver, people.province, Y2022)
    assert workflow.state_of(people.province, Y2022) == State.LOCKED
    assert client_for(people.approver).post(section_url(people.province), {"v:cntt.qlvb.vb_di": "5"}).status_code == 403
    # Not even the administrator writes into locked figures: the page is closed until reopened.
    admin = client_for(people.admin)
    assert admin.post(section_url(people.province), {"v:cntt.qlvb.vb_di": "6"}).status_code == 403
    workflow.reopen(people.admin, people.province, Y2022, reason="đính chính số liệu")
    response = admin.post(section_url(people.province), {"v:cntt.qlvb.vb_di": "6", "reason": "đính chính số liệu"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="state.draft", actor_name="qt.tinh").reason == "đính chính số liệu"
    event = AuditEvent.objects.get(action="value.create", actor_name="qt.tinh")
    assert event.reason == "đính chính số liệu"


def test_pick_page_reads_a_period_as_people_write_it(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    response = client.get(reverse("web:entry-pick"), {"don_vi": people.province.code, "ky": "quý I/2020"})
    assert response.status_code == 302 and response["Location"].endswith(f"/nhap-lieu/{people.province.code}/2020Q1/")
    bad = client.get(reverse("web:entry-pick"), {"don_vi": people.province.code, "ky": "quý năm"})
    assert bad.status_code == 400 and "Không hiểu kỳ báo cáo" in bad.content.decode()


def test_overview_shows_sections_state_and_due_date(people, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=10)
    url = reverse("web:entry-overview", kwargs={"unit": people.province.code, "period": "2022"})
    html = client_for(people.entry).get(url).content.decode()
    assert "Ứng dụng công nghệ thông tin, chuyển đổi số" in html
    assert "14/12/2022" not in html  # the cut-off is not the due date…
    assert "20/12/2022" in html  # …the due date (NĐ 09/2019: 20th of the last month) is shown
    assert 'data-action="submit"' in html


def test_unknown_unit_and_bad_period_are_404(people):  # type: ignore[no-untyped-def]
    client = client_for(people.superuser)
    assert client.get(reverse("web:entry-overview", kwargs={"unit": "KHONG-CO", "period": "2022"})).status_code == 404
    assert client.get(reverse("web:entry-overview", kwargs={"unit": "VN", "period": "abc"})).status_code == 404


def test_anonymous_is_sent_to_login(db):  # type: ignore[no-untyped-def]
    from django.test import Client

    response = Client().get(reverse("web:entry-pick"))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_pick_page_lists_units_and_recent_periods_with_their_state(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry_a, people.district_a, Y2022)
    html = client_for(people.viewer).get(reverse("web:entry-pick")).content.decode()
    assert 'id="recent"' in html and "Tỉnh Trà Vinh" in html and people.district_a.full_name in html
    assert "chỉ xem" in html  # the viewer enters nothing
    grid = client_for(people.entry_a).get(reverse("web:entry-pick")).content.decode()
    assert 'class="badge state-submitted"' in grid and people.district_b.full_name not in grid
