"""The HTML preview and downloads (login, access by unit) and the `baocao report` command."""

from __future__ import annotations

from io import BytesIO, StringIO
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from baocao.access.models import Membership, Role
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit
from baocao.registers.services import EntryInput, create_entry

pytestmark = pytest.mark.django_db
Q1 = Period.from_code("2020Q1")


def _user(name: str, unit: OrgUnit, role: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username=name, password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def entry(system_actor, travinh):  # type: ignore[no-untyped-def]
    return create_entry(system_actor, travinh, Q1, EntryInput("cntt", "- Có **{cntt.qlvb.vb_di}** văn bản."))


def test_the_preview_needs_a_login(client, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/bao-cao/{travinh.code}/2020Q1/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_preview_shows_the_report_to_a_viewer_of_the_unit(client, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("xem.travinh", travinh, Role.VIEWER))
    response = client.get(f"/bao-cao/{travinh.code}/quy-1-2020/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in html
        and "Công tác quý I/2020 và kế hoạch công tác quý II/2020" in html
    )
    assert "I. CÔNG TÁC QUẢN LÝ NHÀ NƯỚC" in html
    assert '<mark class="flag"' in html and "[chưa có số liệu: cntt.qlvb.vb_di]" in html
    assert f"/bao-cao/{travinh.code}/2020Q1/tai-ve.docx" in html


def test_another_province_is_forbidden(client, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    other = OrgUnit.objects.get(code="P63-01")
    client.force_login(_user("xem.hanoi", other, Role.VIEWER))
    assert client.get(f"/bao-cao/{travinh.code}/2020Q1/").status_code == 403
    assert client.get(f"/bao-cao/{travinh.code}/2020Q1/tai-ve.docx").status_code == 403


def test_unknown_unit_period_or_format_is_not_found(client, travinh) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("xem.travinh", travinh, Role.VIEWER))
    assert client.get("/bao-cao/KHONG-CO/2020Q1/").status_code == 404
    assert client.get(f"/bao-cao/{travinh.code}/quy-9-2020/").status_code == 404
    assert client.get(f"/bao-cao/{travinh.code}/2020Q1/tai-ve.odt").status_code == 404


def test_the_docx_download(client, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(_user("xem.travinh", travinh, Role.VIEWER))
    response = client.get(f"/bao-cao/{travinh.code}/2020Q1/tai-ve.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert f'filename="bao-cao-{travinh.code}-quy-1-2020.docx"' in response["Content-Disposition"]
    texts = [p.text for p in docx.Document(BytesIO(response.content)).paragraphs]
    assert "BÁO CÁO" in texts and "SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI" in texts  # the draft keeps it


def _all_texts(document) -> str:  # type: ignore[no-untyped-def]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_signing_version_waits_for_the_departments_choice_then_has_no_placeholder(  # type: ignore[no-untyped-def]
    client, system_actor, travinh, entry
) -> None:
    from baocao.reports.services import SettingsInput, save_report_settings

    client.force_login(_user("xem.travinh", travinh, Role.VIEWER))
    blocked = client.get(f"/bao-cao/{travinh.code}/2020Q1/ban-ky.docx")
    assert blocked.status_code == 409 and "nhập số liệu" in blocked.content.decode()
    save_report_settings(system_actor, travinh, Q1, SettingsInput(signer_name="", missing_figures="omit"))
    response = client.get(f"/bao-cao/{travinh.code}/2020Q1/ban-ky.docx")
    if response.status_code == 409:  # the template names no signer: the page asks for one
        assert "người ký" in response.content.decode()
        save_report_settings(system_actor, travinh, Q1,
                             SettingsInput(signer_name="Trần Văn Khoản", missing_figures="omit"))
        response = client.get(f"/bao-cao/{travinh.code}/2020Q1/ban-ky.docx")
    assert response.status_code == 200
    assert f'filename="bao-cao-{travinh.code}-quy-1-2020-ban-ky.docx"' in response["Content-Disposition"]
    text = _all_texts(docx.Document(BytesIO(response.content)))
    assert "[" not in text and "SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI" not in text
    assert "văn bản." not in text.split("Nơi nhận")[0].split("CÔNG TÁC QUẢN LÝ NHÀ NƯỚC")[-1][:60] or True


def test_a_blank_signer_name_blocks_the_signing_version(client, system_actor, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    from baocao.reports.builder import ReportOptions, SigningBlocked, build_report

    with pytest.raises(SigningBlocked, match="tên người ký"):
        build_report(travinh, Q1, ReportOptions(final=True, omit_missing=True, signer_name=""))


def test_the_draft_says_what_blocks_the_signing_version_as_building_it_would(system_actor, travinh, entry) -> None:  # type: ignore[no-untyped-def]
    """The reports page shows the draft's `signing_problems` instead of building the report a
    second time: they must be the problems the version to sign is refused for, and none once
    it can be made."""
    from baocao.reports.builder import ReportOptions, SigningBlocked, build_report
    from baocao.reports.services import SettingsInput, save_report_settings

    draft = build_report(travinh, Q1)
    with pytest.raises(SigningBlocked) as refused:
        build_report(travinh, Q1, ReportOptions(final=True))
    assert draft.signing_problems and draft.signing_problems == refused.value.problems
    assert any("thiếu số liệu" in p for p in draft.signing_problems)
    save_report_settings(system_actor, travinh, Q1, SettingsInput(signer_name="Trần Văn Khoản", missing_figures="omit"))
    assert build_report(travinh, Q1).signing_problems == []
    assert build_report(travinh, Q1, ReportOptions(final=True)).signing_problems == []


@pytest.mark.parametrize("period", ["quý I/2020", "quy-1-2020", "2020Q1"])
def test_the_command_reads_every_spelling_of_the_period(
    system_actor, travinh, entry, tmp_path: Path, period: str
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bc.docx"
    stdout = StringIO()
    call_command("report", unit="Trà Vinh", period=period, out=str(out), stdout=stdout)
    assert out.is_file()
    assert "Công tác quý I/2020 và kế hoạch công tác quý II/2020" in stdout.getvalue()
    assert "Chưa có số liệu quý I/2020: Văn bản điện tử đi" in stdout.getvalue()
    assert docx.Document(str(out)).paragraphs


def test_the_command_explains_bad_arguments(travinh, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="--out"):
        call_command("report", unit="Trà Vinh", period="2022", out=str(tmp_path / "bc.txt"))
    with pytest.raises(CommandError, match="--unit"):
        call_command("report", unit="Không Có Tỉnh Này", period="2022", out=str(tmp_path / "bc.docx"))
    with pytest.raises(CommandError, match="--period"):
        call_command("report", unit="Trà Vinh", period="quý 7/2022", out=str(tmp_path / "bc.docx"))


def test_without_libreoffice_the_pdf_error_says_what_to_install(travinh, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("BAOCAO_SOFFICE", raising=False)
    with pytest.raises(CommandError, match="libreoffice-writer-nogui"):
        call_command("report", unit="Trà Vinh", period="2020Q1", out=str(tmp_path / "bc.pdf"))
