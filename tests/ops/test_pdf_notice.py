"""PDF needs LibreOffice: without it the reports page says so plainly and offers no PDF link."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _reports_page(client: Any, system_actor: Any, travinh: Any) -> str:
    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role

    user = create_user(system_actor, username="cv.pdf", password="Mat-khau-thu-2026", full_name="cv")
    grant_role(system_actor, user, travinh, Role.DATA_ENTRY)
    client.force_login(user)
    response = client.get(reverse("web:reports"), {"don_vi": travinh.code, "ky": "2022"})
    assert response.status_code == 200
    return str(response.content.decode())


def test_without_libreoffice_the_page_says_pdf_is_unavailable(client, system_actor, travinh, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BAOCAO_SOFFICE", "")
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice anywhere
    html = _reports_page(client, system_actor, travinh)
    assert "Chưa tải được PDF: máy chủ chưa cài LibreOffice" in html
    assert "tai-ve.pdf" not in html
    assert f"/bao-cao/{travinh.code}/2022/tai-ve.docx" in html  # DOCX still offered


def test_with_libreoffice_the_pdf_link_is_there(client, system_actor, travinh, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    soffice = tmp_path / "soffice"
    soffice.write_text("#!/bin/sh\n")
    soffice.chmod(0o755)
    monkeypatch.setenv("BAOCAO_SOFFICE", str(soffice))
    html = _reports_page(client, system_actor, travinh)
    assert "Chưa tải được PDF" not in html
    assert f"/bao-cao/{travinh.code}/2022/tai-ve.pdf" in html
