"""The review page shows, beside a fact's evidence, why the extractor read it so: the lexicon
entry that named its indicator and the rules (rules/*.yaml) that decided its period."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from baocao.access.models import Membership, Role
from baocao.ingest.services import ingest_report

pytestmark = pytest.mark.django_db
REPORT_2022 = "001_8b884f9475b6c3fa.txt"


def test_review_page_shows_the_trace_beside_the_evidence(client, system_actor, travinh, corpus_dir):  # type: ignore[no-untyped-def]
    document = ingest_report(system_actor, "bc-2022.txt", (corpus_dir / REPORT_2022).read_bytes(), unit=travinh)
    # "tăng 2,17% so với năm 2021 (78,54%)": the 2021 rate, read through a comparison rule
    fact = document.facts.get(indicator="cntt.qlvb.ty_le_ky_so", period="2021")
    assert document.extraction["facts"][fact.position]["why"]["rules"] == ["period.comparison.before_group"]
    user = get_user_model().objects.create_user(username="xem", password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=travinh, role=Role.VIEWER)
    client.force_login(user)
    page = client.get(f"/doc-bao-cao/{document.pk}/").content.decode()
    row = re.search(rf'<tr id="fact-{fact.pk}".*?</tr>', page, re.S)
    assert row is not None
    assert "«" in row.group(0) and "Vì sao đọc như vậy" in row.group(0)
    # the entry has alternatives: the one that fitted is named
    assert "Chỉ tiêu: <code>cntt.qlvb.ty_le_ky_so rules[0]</code>" in row.group(0)
    assert "Kỳ: <code>period.comparison.before_group</code>" in row.group(0)


def test_a_stored_extraction_without_trace_still_shows(client, system_actor, travinh, corpus_dir):  # type: ignore[no-untyped-def]
    """`why` is optional in the JSON: extractions stored before it existed show as before."""
    document = ingest_report(system_actor, "bc-2022.txt", (corpus_dir / REPORT_2022).read_bytes(), unit=travinh)
    for f in document.extraction["facts"]:
        f.pop("why", None)
    document.save(update_fields=["extraction"])
    user = get_user_model().objects.create_user(username="xem2", password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=travinh, role=Role.VIEWER)
    client.force_login(user)
    page = client.get(f"/doc-bao-cao/{document.pk}/").content.decode()
    assert "217.199" in page and "Vì sao đọc như vậy" not in page
