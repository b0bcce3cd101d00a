"""Reading reports into the review queue, reviewing, loading; `baocao extract` and `baocao check`."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from baocao.access.models import Membership, Role
from baocao.datavalues.models import DataValue, Source
from baocao.ingest.models import Decision, DocumentStatus
from baocao.ingest.services import IngestError, ingest_report, load_document, review_fact

pytestmark = pytest.mark.django_db
REPORT_2022 = "001_8b884f9475b6c3fa.txt"


@pytest.fixture
def report_bytes(corpus_dir):  # type: ignore[no-untyped-def]
    return (corpus_dir / REPORT_2022).read_bytes()


def test_ingest_review_and_load_with_source_extraction(system_actor, travinh, report_bytes):  # type: ignore[no-untyped-def]
    document = ingest_report(system_actor, "bc-2022.txt", report_bytes, unit=travinh)
    assert document.period == "2022" and document.unit == travinh
    facts = {f.indicator: f for f in document.facts.filter(period="2022", is_target=False)}
    assert facts["cntt.qlvb.vb_di"].value == Decimal(217199)
    assert "217.199" in facts["cntt.qlvb.vb_di"].evidence
    review_fact(system_actor, facts["cntt.qlvb.vb_di"], Decision.ACCEPTED)
    review_fact(system_actor, facts["cntt.cts.tong"], Decision.CORRECTED, value="2.598", note="số đúng theo sổ")
    review_fact(system_actor, facts["tt.vi_pham"], Decision.REJECTED)
    result = load_document(system_actor, document)
    assert result.created == 2
    stored = DataValue.objects.get(indicator__code="cntt.cts.tong", unit=travinh, period="2022")
    assert stored.value == Decimal(2598) and stored.source == Source.EXTRACTION
    assert f"#{document.pk}" in stored.source_ref and "bc-2022.txt" in stored.source_ref
    assert not DataValue.objects.filter(indicator__code="tt.vi_pham").exists()
    document.refresh_from_db()
    assert document.status == DocumentStatus.EXTRACTED  # the pending facts are still to be reviewed
    load_document(system_actor, document, include_pending=True)
    document.refresh_from_db()
    assert document.status == DocumentStatus.LOADED


def test_the_province_is_read_from_the_text_when_not_given(system_actor, report_bytes):  # type: ignore[no-untyped-def]
    document = ingest_report(system_actor, "bc.txt", report_bytes)
    assert document.unit.code == "P63-84"


def test_bad_uploads_are_refused_with_the_file_name(system_actor, travinh):  # type: ignore[no-untyped-def]
    with pytest.raises(IngestError, match=r"gia\.docx"):
        ingest_report(system_actor, "gia.docx", b"not a zip", unit=travinh)
    with pytest.raises(IngestError, match=r"loại tệp '\.exe'"):
        ingest_report(system_actor, "x.exe", b"MZ\x90\x00", unit=travinh)
    with pytest.raises(IngestError, match="không phải tệp PDF"):
        ingest_report(system_actor, "a.pdf", b"hello", unit=travinh)


def test_a_user_of_another_province_cannot_ingest_for_this_one(travinh, report_bytes):  # type: ignore[no-untyped-def]
    from datetime import date

    from baocao.orgunits.lookup import find_unit

    user = get_user_model().objects.create_user(username="cv.bentre", password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=find_unit("Bến Tre", on=date(2022, 1, 1), level="province"),
                              role=Role.DATA_ENTRY)
    with pytest.raises(PermissionDenied):
        ingest_report(user, "bc.txt", report_bytes, unit=travinh)


def test_review_page_shows_facts_beside_their_evidence(client, system_actor, travinh, report_bytes):  # type: ignore[no-untyped-def]
    document = ingest_report(system_actor, "bc-2022.txt", report_bytes, unit=travinh)
    user = get_user_model().objects.create_user(username="xem", password="x-very-long-pass-1")
    client.force_login(user)
    assert client.get(f"/doc-bao-cao/{document.pk}/").status_code == 403
    Membership.objects.create(user=user, unit=travinh, role=Role.VIEWER)
    page = client.get(f"/doc-bao-cao/{document.pk}/").content.decode()
    fact = document.facts.get(indicator="cntt.qlvb.vb_di")
    assert f'<mark id="ev-{fact.pk}"' in page and "217.199" in page
    assert "tt_vi_pham_trong_doi_tuong" in page  # the consistency check is shown too


def test_extract_command_prints_gold_shaped_json(corpus_dir, tmp_path, capsys):  # type: ignore[no-untyped-def]
    call_command("extract", str(corpus_dir / REPORT_2022))
    printed = json.loads(capsys.readouterr().out)
    assert printed["period"] == {"type": "year", "year": 2022}
    assert {"indicator", "value", "qualifier", "period", "target", "evidence", "flag"} <= set(printed["facts"][0])
    call_command("extract", str(corpus_dir), "--out", str(tmp_path), "--workers", "2")
    assert sorted(p.name for p in tmp_path.glob("*.json")) == sorted(
        p.stem + ".json" for p in corpus_dir.glob("*.txt")
    )


def test_check_command_reports_inconsistencies_with_evidence(corpus_dir):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_report", str(corpus_dir / REPORT_2022), stdout=out)
    text = out.getvalue()
    assert "tt_vi_pham_trong_doi_tuong" in text and "«Kết quả thanh tra, kiểm tra: có 11 cá nhân vi phạm»" in text
    assert "rate:th.dau_tu.ty_le_giai_ngan" in text and "31,858 tỷ đồng" in text


def test_check_flags_a_unit_slip_between_ty_and_trieu(tmp_path):  # type: ignore[no-untyped-def]
    draft = tmp_path / "du-thao.txt"
    draft.write_text(
        "BÁO CÁO\nKết quả công tác năm 2023\n"
        "Tổng doanh thu dịch vụ viễn thông trên địa bàn tỉnh năm 2023 đạt 1.062.000 tỷ đồng.\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_report", str(draft), "--unit", "Trà Vinh", stdout=out)
    assert "vt_doanh_thu_do_lon" in out.getvalue()


def test_loading_over_stored_figures_shows_old_to_new_and_asks(system_actor, travinh, report_bytes, client):  # type: ignore[no-untyped-def]
    from baocao.core.periods import Period
    from baocao.datavalues.services import ValueInput, save_values

    save_values(system_actor, [ValueInput("cntt.qlvb.vb_di", travinh, Period.from_code("2022"), 200000)])
    document = ingest_report(system_actor, "bc-2022.txt", report_bytes, unit=travinh)
    facts = {f.indicator: f for f in document.facts.filter(period="2022", is_target=False)}
    review_fact(system_actor, facts["cntt.qlvb.vb_di"], Decision.ACCEPTED)
    review_fact(system_actor, facts["cntt.cts.tong"], Decision.ACCEPTED)
    client.force_login(get_user_model().objects.create_superuser("qt.nap", password="mat-khau-dai-2026"))
    page = client.post(f"/doc-bao-cao/{document.pk}/nap/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("data-change") == 1
    assert "200.000" in html and "217.199" in html and "1 số liệu mới" in html
    stored = DataValue.objects.get(indicator__code="cntt.qlvb.vb_di", unit=travinh, period="2022")
    assert stored.value == 200000  # nothing loaded before the confirmation
    assert not DataValue.objects.filter(indicator__code="cntt.cts.tong", unit=travinh).exists()
    client.post(f"/doc-bao-cao/{document.pk}/nap/", {"confirm": "1"})
    stored.refresh_from_db()
    assert stored.value == 217199 and DataValue.objects.filter(indicator__code="cntt.cts.tong").exists()
