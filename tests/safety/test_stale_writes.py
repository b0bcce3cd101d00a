"""A write based on an old version never silently overwrites a newer one: the entry form and the
API carry the version they read; a stale write is refused with both values (the page; HTTP 409)
and audited as a refusal, not an update. A box left alone is not written back at all."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from formdata import form_data
from safety_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.api.services import issue_token
from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import StaleWrite, ValueInput, save_values, set_value, version_of

pytestmark = pytest.mark.django_db
Y2022 = Period.from_code("2022")
CODE, OTHER = "cntt.cts.tong", "cntt.qlvb.vb_di"


def _url(unit: Any) -> str:
    return reverse("web:entry-section", kwargs={"unit": unit.code, "period": "2022", "field": "cntt"})


def _stored(unit: Any, code: str = CODE) -> DataValue:
    return DataValue.objects.get(unit=unit, indicator__code=code, period="2022", is_target=False)


@pytest.fixture
def two_clerks(travinh: Any) -> tuple[Any, Any]:
    return make_user("cv.an", travinh, Role.DATA_ENTRY), make_user("cv.binh", travinh, Role.DATA_ENTRY)


def test_a_stale_form_is_refused_with_both_values_then_saved_deliberately(travinh, two_clerks, system_actor):  # type: ignore[no-untyped-def]
    an, binh = two_clerks
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    client = client_for(an)
    page = client.get(_url(travinh)).content.decode()
    sent = form_data(page, "entry-form")
    assert sent[f"v:{CODE}"] == "2.500" and sent[f"b:v:{CODE}"] == version_of(_stored(travinh))
    # Bình saves 2.597 while An's page is open; An then types 2.600 over the 2.500 he saw.
    set_value(binh, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    response = client.post(_url(travinh), {**sent, f"v:{CODE}": "2.600"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "cv.binh đã sửa thành 2.597" in html and "bạn gửi 2.600" in html
    assert _stored(travinh).value == 2597  # the colleague's figure stands
    refusal = AuditEvent.objects.get(action="value.conflict")
    assert refusal.actor == an and refusal.before["value"] == "2597" and refusal.after["value"] == "2600"
    assert not AuditEvent.objects.filter(action="value.update", actor=an).exists()
    # The page now carries the stored version: saving it again is a deliberate replacement.
    again = form_data(html, "entry-form")
    assert again[f"v:{CODE}"] == "2.600" and again[f"b:v:{CODE}"] == version_of(_stored(travinh))
    assert client.post(_url(travinh), again).status_code == 302
    assert _stored(travinh).value == 2600


def test_a_box_left_alone_does_not_undo_a_colleagues_change(travinh, two_clerks, system_actor):  # type: ignore[no-untyped-def]
    an, binh = two_clerks
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    client = client_for(an)
    sent = form_data(client.get(_url(travinh)).content.decode(), "entry-form")
    set_value(binh, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    # An only fills another box; the 2.500 still in his page is not sent back as a change.
    response = client.post(_url(travinh), {**sent, f"v:{OTHER}": "1.599"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert _stored(travinh).value == 2597 and _stored(travinh, OTHER).value == 1599


def test_a_stale_delete_is_refused(travinh, two_clerks, system_actor):  # type: ignore[no-untyped-def]
    an, binh = two_clerks
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    client = client_for(an)
    sent = form_data(client.get(_url(travinh)).content.decode(), "entry-form")
    set_value(binh, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    response = client.post(_url(travinh), {**sent, f"v:{CODE}": "", "reason": "nhập nhầm"})
    assert response.status_code == 400 and "cv.binh đã sửa thành 2.597" in response.content.decode()
    assert _stored(travinh).value == 2597


def test_the_service_refuses_an_old_version_and_accepts_the_current(travinh, two_clerks, system_actor):  # type: ignore[no-untyped-def]
    an, _ = two_clerks
    old = version_of(set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=1))
    new = version_of(set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2))
    assert old != new  # every change gives a new version
    with pytest.raises(StaleWrite) as caught:
        save_values(an, [ValueInput(CODE, travinh, Y2022, 3, expected=old)])
    assert caught.value.conflicts[0].theirs == 2 and caught.value.conflicts[0].yours == 3
    # "" = "I saw no value": refused when there is one, accepted for a new one
    with pytest.raises(StaleWrite):
        save_values(an, [ValueInput(CODE, travinh, Y2022, 3, expected="")])
    save_values(an, [ValueInput(OTHER, travinh, Y2022, 3, expected="")])
    save_values(an, [ValueInput(CODE, travinh, Y2022, 3, expected=new)])
    assert _stored(travinh).value == 3


def test_api_write_with_an_old_version_is_a_409_with_both_values(travinh, two_clerks, system_actor, client):  # type: ignore[no-untyped-def]
    an, binh = two_clerks
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    headers = {"Authorization": f"Bearer {issue_token(system_actor, an, 'test').secret}"}
    listed = client.get("/api/v1/values", {"unit": travinh.code, "indicator": CODE, "period": "2022"}, headers=headers)
    item = next(v for v in listed.json()["items"] if v["indicator"] == CODE and not v["target"])
    seen = item["version"]
    set_value(binh, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    body = {"values": [{"indicator": CODE, "unit": travinh.code, "period": "2022", "value": 2600, "version": seen}]}
    response = client.post("/api/v1/values", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 409, response.content
    error = response.json()
    assert error["code"] == "stale_version" and "cv.binh đã sửa thành 2.597" in error["message"]
    item = error["errors"][0]
    assert item["field"] == "values[0]" and item["yours"] == "2600" and item["theirs"] == "2597"
    assert item["changed_by"] == "cv.binh" and item["version"] == version_of(_stored(travinh))
    assert _stored(travinh).value == 2597
    assert AuditEvent.objects.filter(action="value.conflict", actor=an).count() == 1
    # with the version it now has, the write goes through
    body["values"][0]["version"] = item["version"]
    response = client.post("/api/v1/values", json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == 200 and _stored(travinh).value == Decimal(2600)
    # a stale delete is a 409 too
    value = _stored(travinh)
    response = client.delete(f"/api/v1/values/{value.pk}?reason=sai&version={item['version']}", headers=headers)
    assert response.status_code == 409 and DataValue.objects.filter(pk=value.pk).exists()
    response = client.delete(f"/api/v1/values/{value.pk}?reason=sai&version={version_of(value)}", headers=headers)
    assert response.status_code == 200 and not DataValue.objects.filter(pk=value.pk).exists()
