"""The web pages ask the one permission policy: a district's quarter under a locked province year
is read-only (and says why), and the approve button is not offered to the person who submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.core.periods import Period
from baocao.datavalues import workflow
from baocao.datavalues.models import DataValue

pytestmark = pytest.mark.django_db
Y2021 = Period.from_code("2021")


def test_a_district_quarter_under_a_locked_province_year_is_closed(people, system_actor):  # type: ignore[no-untyped-def]
    second = make_user(system_actor, "ld.tinh.2", people.province, Role.APPROVER)
    workflow.submit(people.entry, people.province, Y2021)
    workflow.approve(people.approver, people.province, Y2021)
    workflow.lock(second, people.province, Y2021)
    url = reverse("web:entry-section", kwargs={"unit": people.district_a.code, "period": "2021Q1", "field": "cntt"})
    client = client_for(people.entry_a)
    html = client.get(url).content.decode()
    assert "thuộc số liệu Trà Vinh năm 2021 (đã khóa)" in html and 'id="save"' not in html
    refused = client.post(url, {"v:cntt.qlvb.vb_di": "5"})
    assert refused.status_code == 403
    assert not DataValue.objects.exists()


def test_the_submitter_is_not_offered_the_approve_button(people, system_actor):  # type: ignore[no-untyped-def]
    workflow.submit(people.approver, people.province, Y2021)
    overview = reverse("web:entry-overview", kwargs={"unit": people.province.code, "period": "2021"})
    own = client_for(people.approver).get(overview).content.decode()
    other = make_user(system_actor, "ld.tinh.3", people.province, Role.APPROVER)
    theirs = client_for(other).get(overview).content.decode()
    assert 'value="approve"' in theirs and 'value="approve"' not in own
    # And if the submitter posts it anyway, the service refuses.
    url = reverse("web:entry-transition", kwargs={"unit": people.province.code, "period": "2021"})
    assert client_for(people.approver).post(url, {"action": "approve"}).status_code == 403
    assert workflow.state_of(people.province, Y2021) == "submitted"
