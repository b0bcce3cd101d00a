"""A save costs what it changes: the entry page's script sends only the rows the person changed
(each with the value it showed and its version), and the server reads, checks, compares and
writes only those rows. Every guarantee of a whole form holds for a partial one: the rows not
sent are left as stored, a stale row is refused with both values (nothing saved, audited as a
refusal), a closed form is refused by the policy, deletions need a reason and go in the same
batch, and a form sent whole (a browser without the script) still saves."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from formdata import browser_sends, form_data
from safety_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import (
    StaleWrite,
    ValueDeletion,
    ValueInput,
    save_values,
    set_value,
    version_of,
)
from baocao.datavalues.workflow import run_step
from baocao.ops.stamps import forget_all

pytestmark = pytest.mark.django_db
Y2022 = Period.from_code("2022")
CODE, OTHER, THIRD = "cntt.cts.tong", "cntt.qlvb.vb_di", "cntt.qlvb.vb_den"


def _url(unit: Any) -> str:
    return reverse("web:entry-section", kwargs={"unit": unit.code, "period": "2022", "field": "cntt"})


def _stored(unit: Any, code: str, target: bool = False) -> DataValue | None:
    return DataValue.objects.filter(unit=unit, indicator__code=code, period="2022", is_target=target).first()


@pytest.fixture
def clerk(travinh: Any) -> Any:
    return make_user("cv.an", travinh, Role.DATA_ENTRY)


def _open(client: Any, unit: Any) -> dict[str, str]:
    return form_data(client.get(_url(unit)).content.decode(), "entry-form")


def test_the_script_sends_only_the_changed_rows_and_only_they_are_saved(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=THIRD, unit=travinh, period=Y2022, value=40)
    before = _stored(travinh, THIRD)
    client = client_for(clerk)
    shown = _open(client, travinh)
    sent = browser_sends(shown, {f"v:{CODE}": "2.597", f"t:{OTHER}": "1.800"})
    rows = {name.split(":", 1)[-1] if not name.startswith("b:") else name[4:] for name in sent if ":" in name}
    assert rows == {CODE, OTHER}  # the value row of one, the plan row of the other: nothing else
    assert f"b:v:{CODE}" in sent and f"initial-v:{CODE}" in sent and f"b:t:{OTHER}" in sent
    assert f"v:{OTHER}" not in sent and "csrfmiddlewaretoken" in sent

    response = client.post(_url(travinh), sent)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert _stored(travinh, CODE).value == 2597  # type: ignore[union-attr]
    assert _stored(travinh, OTHER, target=True).value == 1800  # type: ignore[union-attr]
    assert _stored(travinh, OTHER) is None  # the value box of the plan's row was not on the save
    after = _stored(travinh, THIRD)
    assert after is not None and before is not None
    assert (after.value, version_of(after)) == (40, version_of(before))  # untouched, same version
    changes = AuditEvent.objects.filter(action__in=("value.create", "value.update", "value.delete"), actor=clerk)
    assert changes.count() == 2
    page = client.get(_url(travinh)).content.decode()
    assert "Đã lưu: 2 giá trị thay đổi, 0 giá trị xóa." in page  # the message on the page it returns to


def test_a_partial_save_reads_and_writes_less_than_the_whole_form(travinh, clerk):  # type: ignore[no-untyped-def]
    client = client_for(clerk)
    shown = _open(client, travinh)
    forget_all()  # a process that kept nothing yet (ops/stamps.py)
    counts = []
    for value in ("7", "8"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(_url(travinh), browser_sends(shown, {f"v:{CODE}": value}))
        assert response.status_code == 302
        # session, user, unit, the user's grants (memberships, successions), the row's indicator,
        # the row's values read once and locked in the save's transaction, the periods' states,
        # the update, the audit: no second read of the values, the catalog or the grants, one
        # question to the policy
        sql = [q["sql"] for q in queries.captured_queries]
        assert sum('FROM "datavalues_submission"' in s for s in sql) == 1, sql
        assert sum('FROM "datavalues_datavalue"' in s for s in sql) == 1, sql
        assert sum('FROM "catalog_indicator"' in s for s in sql) <= 1, sql
        assert sum('"access_membership"' in s for s in sql) <= 1, sql
        counts.append(len(sql))
        shown = _open(client, travinh)
    # the second save finds the user, the unit, the grants and the field's indicators kept
    # (their stamps unchanged): four reads fewer
    assert counts[0] <= 20 and counts[1] <= counts[0] - 4, counts


def test_a_stale_row_in_a_partial_save_is_refused_with_both_values(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    binh = make_user("cv.binh", travinh, Role.DATA_ENTRY)
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    client = client_for(clerk)
    shown = _open(client, travinh)
    set_value(binh, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    response = client.post(_url(travinh), browser_sends(shown, {f"v:{CODE}": "2.600", f"v:{OTHER}": "12"}))
    html = response.content.decode()
    assert response.status_code == 400
    assert "cv.binh đã sửa thành 2.597" in html and "bạn gửi 2.600" in html
    assert _stored(travinh, CODE).value == 2597 and _stored(travinh, OTHER) is None  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="value.conflict", actor=clerk).count() == 1
    assert not AuditEvent.objects.filter(action__in=("value.create", "value.update"), actor=clerk).exists()
    # The page shown again is the whole form: the rows not sent show what is stored, the rows sent
    # what was typed; it is sent whole next time (data-send-all), with the stored version.
    again = form_data(html, "entry-form")
    assert 'id="entry-form" novalidate data-send-all' in html
    assert again[f"v:{CODE}"] == "2.600" and again[f"v:{OTHER}"] == "12"
    assert again[f"v:{THIRD}"] == "" and f"v:{THIRD}" in again
    assert again[f"b:v:{CODE}"] == version_of(_stored(travinh, CODE))
    assert client.post(_url(travinh), again).status_code == 302
    assert _stored(travinh, CODE).value == 2600 and _stored(travinh, OTHER).value == 12  # type: ignore[union-attr]


def test_a_partial_save_with_a_bad_box_shows_the_whole_form_again(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=THIRD, unit=travinh, period=Y2022, value=40)
    client = client_for(clerk)
    shown = _open(client, travinh)
    response = client.post(_url(travinh), browser_sends(shown, {f"v:{CODE}": "2.5OO"}))
    html = response.content.decode()
    assert response.status_code == 400 and "không phải là số" in html
    again = form_data(html, "entry-form")
    assert again[f"v:{CODE}"] == "2.5OO" and again[f"v:{THIRD}"] == "40"
    assert again[f"b:v:{THIRD}"] == version_of(_stored(travinh, THIRD))
    assert _stored(travinh, CODE) is None


def test_emptying_a_box_in_a_partial_save_needs_a_reason_and_deletes_in_the_batch(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    client = client_for(clerk)
    shown = _open(client, travinh)
    typed = {f"v:{CODE}": "", f"v:{OTHER}": "5"}
    refused = client.post(_url(travinh), browser_sends(shown, typed))
    assert refused.status_code == 400 and "Cần ghi lý do" in refused.content.decode()
    assert _stored(travinh, CODE) is not None and _stored(travinh, OTHER) is None
    saved = client.post(_url(travinh), browser_sends(shown, {**typed, "reason": "nhập nhầm"}))
    assert saved.status_code == 302
    assert _stored(travinh, CODE) is None and _stored(travinh, OTHER).value == 5  # type: ignore[union-attr]
    assert AuditEvent.objects.get(action="value.delete").reason == "nhập nhầm"


def test_a_closed_form_refuses_a_partial_save_and_an_empty_one(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    client = client_for(clerk)
    shown = _open(client, travinh)
    run_step(clerk, "submit", travinh, Y2022)
    assert client.post(_url(travinh), browser_sends(shown, {f"v:{CODE}": "1"})).status_code == 403
    assert client.post(_url(travinh), browser_sends(shown, {})).status_code == 403  # nothing changed
    assert _stored(travinh, CODE) is None


def test_a_whole_form_without_the_script_still_saves(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    set_value(system_actor, indicator=THIRD, unit=travinh, period=Y2022, value=40)
    client = client_for(clerk)
    shown = _open(client, travinh)
    response = client.post(_url(travinh), {**shown, f"v:{CODE}": "2.597", f"v:{OTHER}": "1.599"})
    assert response.status_code == 302
    assert _stored(travinh, CODE).value == 2597 and _stored(travinh, OTHER).value == 1599  # type: ignore[union-attr]
    assert _stored(travinh, THIRD).value == 40  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action__in=("value.create", "value.update"), actor=clerk).count() == 2


def test_the_service_refuses_the_whole_batch_when_a_deletion_is_stale(travinh, clerk, system_actor):  # type: ignore[no-untyped-def]
    old = set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2500)
    seen = version_of(old)
    set_value(system_actor, indicator=CODE, unit=travinh, period=Y2022, value=2597)
    with pytest.raises(StaleWrite) as refused:
        save_values(clerk, [ValueInput(OTHER, travinh, Y2022, 5, where=f"v:{OTHER}", expected="")],
                    reason="nhập nhầm", deletions=[ValueDeletion(old, seen, f"v:{CODE}")])  # fmt: skip
    assert "đã sửa thành 2.597" in refused.value.conflicts[0].message
    assert _stored(travinh, CODE).value == 2597 and _stored(travinh, OTHER) is None  # type: ignore[union-attr]
    # Based on the stored version, the same batch goes through: both or neither.
    now = _stored(travinh, CODE)
    result = save_values(clerk, [ValueInput(OTHER, travinh, Y2022, 5, expected="")], reason="nhập nhầm",
                         deletions=[ValueDeletion(now, version_of(now))])  # type: ignore[arg-type]  # fmt: skip
    assert (result.created, result.deleted) == (1, 1)
    assert _stored(travinh, CODE) is None and _stored(travinh, OTHER).value == 5  # type: ignore[union-attr]
