"""Workflow buttons in the browser: each role's allowed and refused transitions, on the server."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_helpers import Y2022, client_for

from baocao.audit.models import AuditEvent
from baocao.datavalues import workflow
from baocao.datavalues.models import State

pytestmark = pytest.mark.django_db


def go(client, unit, action, reason=""):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-transition", kwargs={"unit": unit.code, "period": "2022"})
    return client.post(url, {"action": action, "reason": reason, "confirm": "1"})


def overview(client, unit):  # type: ignore[no-untyped-def]
    return client.get(reverse("web:entry-overview", kwargs={"unit": unit.code, "period": "2022"})).content.decode()


def state(unit):  # type: ignore[no-untyped-def]
    return workflow.state_of(unit, Y2022)


def test_the_whole_path_draft_submitted_approved_locked_reopened(people):  # type: ignore[no-untyped-def]
    entry, approver, admin = client_for(people.entry), client_for(people.approver), client_for(people.admin)
    p = people.province
    assert 'data-action="submit"' in overview(entry, p)
    assert go(entry, p, "submit").status_code == 302 and state(p) == State.SUBMITTED
    assert 'data-action="approve"' not in overview(entry, p)
    assert go(entry, p, "approve").status_code == 403 and state(p) == State.SUBMITTED
    assert 'data-action="approve"' in overview(approver, p)
    assert go(approver, p, "approve").status_code == 302 and state(p) == State.APPROVED
    assert go(approver, p, "lock").status_code == 302 and state(p) == State.LOCKED
    # Locked: only an administrator reopens, and only with a reason.
    assert 'data-action="reopen"' not in overview(approver, p)
    assert go(approver, p, "reopen", "sửa số").status_code == 403 and state(p) == State.LOCKED
    response = go(admin, p, "reopen")
    assert state(p) == State.LOCKED
    assert "lý do" in client_for(people.admin).get(response["Location"]).content.decode().lower()
    assert go(admin, p, "reopen", "Bộ yêu cầu đính chính").status_code == 302 and state(p) == State.DRAFT
    reopened = AuditEvent.objects.get(action="state.draft")
    assert reopened.reason == "Bộ yêu cầu đính chính" and reopened.actor_name == "qt.tinh"
    assert reopened.before == {"state": "locked"} and reopened.after == {"state": "draft", "step": "reopen"}


def test_approver_reopens_submitted_data_with_a_reason(people):  # type: ignore[no-untyped-def]
    go(client_for(people.entry), people.province, "submit")
    assert go(client_for(people.approver), people.province, "reopen", "thiếu số liệu bưu chính").status_code == 302
    assert state(people.province) == State.DRAFT


def test_viewer_and_other_district_cannot_move_anything(people):  # type: ignore[no-untyped-def]
    viewer = client_for(people.viewer)
    assert 'data-action=' not in overview(viewer, people.province)
    assert go(viewer, people.province, "submit").status_code == 403
    assert go(client_for(people.entry_a), people.district_b, "submit").status_code == 403
    assert go(client_for(people.entry_a), people.district_a, "submit").status_code == 302
    assert state(people.district_a) == State.SUBMITTED and state(people.district_b) == State.DRAFT


def test_transition_needs_post_and_a_known_action(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    url = reverse("web:entry-transition", kwargs={"unit": people.province.code, "period": "2022"})
    assert client.get(url).status_code == 405
    assert go(client, people.province, "destroy").status_code == 302
    assert state(people.province) == State.DRAFT


def test_next_redirect_stays_on_this_site(people):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-transition", kwargs={"unit": people.province.code, "period": "2022"})
    response = client_for(people.entry).post(url, {"action": "submit", "next": "https://evil.example/x"})
    assert response.status_code == 302 and "evil" not in response["Location"]
