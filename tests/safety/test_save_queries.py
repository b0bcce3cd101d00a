"""Saving a field's whole form costs a fixed number of queries, however many boxes changed: the
stored values are read in one query, written in one batch, audited in one insert, and the page is
not built before the redirect. (Counts, not time: the time is bench/load_saves.py's.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from formdata import form_data
from safety_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.audit.models import AuditEvent
from baocao.datavalues.models import DataValue

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30  # 23–24 today: session, user, unit, permission policy, the form's values, the writes


def _save(client: Any, url: str, change: dict[str, str]) -> tuple[int, int]:
    """POST the form as opened with `change` applied: (status, queries)."""
    sent = form_data(client.get(url).content.decode(), "entry-form")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**sent, **change})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response.status_code, len(queries.captured_queries)


def test_a_full_form_saves_in_as_many_queries_as_one_box(travinh):  # type: ignore[no-untyped-def]
    client = client_for(make_user("cv.an", travinh, Role.DATA_ENTRY))
    url = reverse("web:entry-section", kwargs={"unit": travinh.code, "period": "2022", "field": "cntt"})
    boxes = [k for k in form_data(client.get(url).content.decode(), "entry-form") if k.startswith("v:")]
    assert len(boxes) > 50  # the whole cntt form

    _, one_new = _save(client, url, {boxes[0]: "7"})
    _, all_new = _save(client, url, {box: str(i + 1) for i, box in enumerate(boxes)})
    _, all_changed = _save(client, url, {box: str(i + 1000) for i, box in enumerate(boxes)})

    stored = DataValue.objects.filter(unit=travinh, period="2022", is_target=False, indicator__field__code="cntt")
    assert stored.count() == len(boxes)
    assert sorted(int(v) for v in stored.values_list("value", flat=True)) == list(range(1000, 1000 + len(boxes)))
    assert AuditEvent.objects.filter(action__in=("value.create", "value.update")).count() == 1 + 2 * len(boxes)  # box 0: 7, then 1, then 1000
    assert all_new <= MAX_QUERIES and all_changed <= MAX_QUERIES, (one_new, all_new, all_changed)
    # A few more for 94 values than for one: SQLite splits a long insert by its parameter limit.
    assert all_new - one_new <= 4 and all_changed - one_new <= 4, (one_new, all_new, all_changed)
