"""Guard-rails on sending a period's data: the review before sending, errors that need a reason,
withdrawing, returning with a comment, the notifications and e-mails of each step, the
approver's to-do list — on the server, the service and the API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from web_helpers import Y2022, client_for

from baocao.api.services import issue_token
from baocao.audit.models import AuditEvent
from baocao.datavalues import workflow
from baocao.datavalues.models import State, Submission
from baocao.datavalues.services import ValueInput, save_values
from baocao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def with_error(people):  # type: ignore[no-untyped-def]
    """Certificates in use 10, but 3 for organisations + 4 for people: a sum that cannot hold."""
    p = people.province
    save_values(people.entry, [ValueInput("cntt.cts.tong", p, Y2022, 10), ValueInput("cntt.cts.to_chuc", p, Y2022, 3),
                               ValueInput("cntt.cts.ca_nhan", p, Y2022, 4)])


def post(client, unit, action, **data):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-transition", kwargs={"unit": unit.code, "period": "2022"})
    return client.post(url, {"action": action, **data})


def review_page(client, unit):  # type: ignore[no-untyped-def]
    return client.get(reverse("web:entry-submit", kwargs={"unit": unit.code, "period": "2022"}))


def test_review_page_shows_counts_and_every_open_error_by_name(people):  # type: ignore[no-untyped-def]
    with_error(people)
    found = workflow.preview(people.province, Y2022)
    assert found.entered == 3 and found.expected > 3 and len(found.errors) == 1
    html = review_page(client_for(people.entry), people.province).content.decode()
    assert f"3/{found.expected}" in html.replace(".", "")
    assert "Chứng thư số đang hoạt động = cấp cho tổ chức + cấp cho cá nhân" in html
    assert "cts.tong_theo_doi_tuong" not in html  # the rule's name, never its code
    assert "cntt.cts.tong" not in html  # nor an indicator's code in the finding's text
    assert 'name="reason"' in html and "Xác nhận gửi" in html


def test_sending_without_the_confirmation_goes_to_the_review_page(people):  # type: ignore[no-untyped-def]
    response = post(client_for(people.entry), people.province, "submit")
    assert response.status_code == 302 and response["Location"].endswith("/2022/gui/")
    assert workflow.state_of(people.province, Y2022) == State.DRAFT


def test_an_error_blocks_sending_until_the_sender_writes_a_reason(people):  # type: ignore[no-untyped-def]
    with_error(people)
    entry = client_for(people.entry)
    blocked = post(entry, people.province, "submit", confirm="1")
    assert blocked["Location"].endswith("/2022/gui/")
    assert workflow.state_of(people.province, Y2022) == State.DRAFT
    assert "ghi lý do" in entry.get(blocked["Location"]).content.decode()
    assert not Notification.objects.exists()
    post(entry, people.province, "submit", confirm="1", reason="Số liệu chứng thư số đang đối chiếu với VNPT")
    submission = Submission.objects.get(unit=people.province, period="2022")
    assert submission.state == State.SUBMITTED and submission.open_errors == 1
    event = AuditEvent.objects.get(action="state.submitted")
    assert event.reason == "Số liệu chứng thư số đang đối chiếu với VNPT" and event.after["errors"] == 1
    # The approver reads the reason on the page and in the notification.
    page = client_for(people.approver).get(reverse("web:entry-overview", kwargs={"unit": "P63-84", "period": "2022"}))
    assert "đang đối chiếu với VNPT" in page.content.decode()
    note = Notification.objects.get(recipient=people.approver)
    assert "chờ phê duyệt" in note.title and "đang đối chiếu với VNPT" in note.body
    assert not Notification.objects.filter(recipient=people.entry).exists()  # not to the sender


def test_the_sender_withdraws_what_nobody_approved_yet(people):  # type: ignore[no-untyped-def]
    entry = client_for(people.entry)
    post(entry, people.province, "submit", confirm="1")
    assert workflow.state_of(people.province, Y2022) == State.SUBMITTED
    assert post(entry, people.province, "withdraw").status_code == 302
    assert workflow.state_of(people.province, Y2022) == State.DRAFT
    assert Submission.objects.get(unit=people.province).submitted_at is None
    assert Notification.objects.filter(recipient=people.approver, title__contains="rút lại").exists()
    # Once approved, it cannot be withdrawn.
    post(entry, people.province, "submit", confirm="1")
    workflow.approve(people.approver, people.province, Y2022)
    response = post(entry, people.province, "withdraw")
    assert workflow.state_of(people.province, Y2022) == State.APPROVED
    assert "đã được phê duyệt" in entry.get(response["Location"]).content.decode()


def test_a_viewer_cannot_withdraw_and_the_sender_cannot_return(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry, people.province, Y2022)
    assert post(client_for(people.viewer), people.province, "withdraw").status_code == 403
    assert post(client_for(people.entry), people.province, "return", reason="x").status_code == 403
    assert workflow.state_of(people.province, Y2022) == State.SUBMITTED


def test_the_approver_returns_with_a_comment_the_sender_reads(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry, people.province, Y2022)
    approver = client_for(people.approver)
    html = approver.get(reverse("web:entry-overview", kwargs={"unit": "P63-84", "period": "2022"})).content.decode()
    assert 'data-action="return"' in html and 'data-action="approve"' in html
    post(approver, people.province, "return")  # no comment: refused
    assert workflow.state_of(people.province, Y2022) == State.SUBMITTED
    post(approver, people.province, "return", reason="Thiếu số liệu bưu chính quý IV")
    assert workflow.state_of(people.province, Y2022) == State.DRAFT
    note = Notification.objects.get(recipient=people.entry)
    assert "trả lại" in note.title and "Thiếu số liệu bưu chính quý IV" in note.body
    page = client_for(people.entry).get(reverse("web:entry-overview", kwargs={"unit": "P63-84", "period": "2022"}))
    assert "Thiếu số liệu bưu chính quý IV" in page.content.decode()


def test_approving_notifies_the_sender_and_e_mails_when_mail_is_set_up(  # type: ignore[no-untyped-def]
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people.entry.email, people.approver.email = "cv@travinh.gov.vn", "ld@travinh.gov.vn"
    people.entry.save(update_fields=["email"])
    people.approver.save(update_fields=["email"])
    with pytest.raises(Exception):  # noqa: B017 — refused before anything is written or sent
        workflow.approve(people.approver, people.province, Y2022)
    assert mail.outbox == []
    with_error(people)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(people.entry, people.province, Y2022, reason="đang đối chiếu")
    assert [m.to for m in mail.outbox] == [["ld@travinh.gov.vn"]]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(people.approver, people.province, Y2022)
    assert mail.outbox[-1].to == ["cv@travinh.gov.vn"] and "phê duyệt" in mail.outbox[-1].subject
    assert "/nhap-lieu/P63-84/2022/" in mail.outbox[-1].body
    assert Notification.objects.get(recipient=people.entry).emailed


def test_no_mail_when_mail_is_not_configured(people, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    people.approver.email = "ld@travinh.gov.vn"
    people.approver.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.submit(people.entry, people.province, Y2022)
    assert callbacks == [] and mail.outbox == [] and Notification.objects.filter(recipient=people.approver, emailed=False).exists()


def test_the_bell_counts_unread_and_the_list_marks_them_read(people):  # type: ignore[no-untyped-def]
    workflow.submit(people.entry, people.province, Y2022)
    approver = client_for(people.approver)
    home = approver.get("/").content.decode()
    assert 'data-unread>1<' in home
    inbox = approver.get(reverse("web:notifications")).content.decode()
    assert "Trà Vinh — năm 2022 chờ phê duyệt" in inbox
    note = Notification.objects.get(recipient=people.approver)
    response = approver.post(reverse("web:notifications"), {"id": note.pk, "next": note.link})
    assert response["Location"] == "/nhap-lieu/P63-84/2022/"
    assert 'data-unread' not in approver.get("/").content.decode()


def test_the_approvers_to_do_lists_what_waits_for_them_first(people):  # type: ignore[no-untyped-def]
    with_error(people)  # a draft with figures: also on the list, after
    save_values(people.entry_a, [ValueInput("cntt.cts.tong", people.district_a, Y2022, 5)])
    workflow.submit(people.entry_a, people.district_a, Y2022)
    html = client_for(people.approver).get("/").content.decode()
    items = [chunk.split('"')[0] for chunk in html.split('data-todo-item="')[1:]]
    assert items[0] == "submitted" and "draft" in items[1:]
    first = html.split('data-todo-item="')[1]
    assert people.district_a.name in first


def test_api_preview_submit_with_reason_withdraw_and_return(people):  # type: ignore[no-untyped-def]
    with_error(people)
    entry = Client(headers={"Authorization": f"Bearer {issue_token(people.superuser, people.entry, 'hs').secret}"})
    approver = Client(headers={"Authorization": f"Bearer {issue_token(people.superuser, people.approver, 'x').secret}"})
    preview = entry.get("/api/v1/workflow/preview", {"unit": "P63-84", "period": "2022"}).json()
    assert preview["entered"] == 3 and len(preview["errors"]) == 1 and preview["needs_reason"]
    body = {"unit": "P63-84", "period": "2022"}
    refused = entry.post("/api/v1/workflow/submit", body, content_type="application/json")
    assert refused.status_code == 422 and "lý do" in refused.json()["message"]
    sent = entry.post("/api/v1/workflow/submit", {**body, "reason": "đối chiếu"}, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["submit_note"] == "đối chiếu" and sent.json()["open_errors"] == 1
    assert entry.post("/api/v1/workflow/withdraw", body, content_type="application/json").json()["state"] == "draft"
    entry.post("/api/v1/workflow/submit", {**body, "reason": "đối chiếu"}, content_type="application/json")
    no_comment = approver.post("/api/v1/workflow/return", body, content_type="application/json")
    assert no_comment.status_code == 422
    back = approver.post("/api/v1/workflow/return", {**body, "reason": "sửa chứng thư số"},
                         content_type="application/json").json()
    assert back["state"] == "draft" and back["return_comment"] == "sửa chứng thư số"
