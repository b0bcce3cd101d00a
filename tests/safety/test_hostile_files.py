"""Hostile files — a DOCX whose document.xml inflates to 300 MB, an XLSX whose sheet inflates to
300 MB, a ZIP of reports whose member inflates to 400 MB, archives with a bad CRC or a lying
header — are refused with a Vietnamese message through the CLI, the web uploads and the API,
never a 500, and the process's peak memory stays bounded while it refuses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from safety_helpers import client_for, make_user

from baocao.access.models import Role
from baocao.api.services import issue_token
from baocao.datavalues.models import DataValue
from baocao.ingest.models import SourceDocument

PROJECT = Path(__file__).resolve().parents[2]
BOUND_MB = 120  # what refusing a bomb may add to the process's peak memory (the bomb is 300-400 MB)

pytestmark = pytest.mark.django_db


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.fixture
def entry(travinh: Any) -> Any:
    return make_user("cv.nhap", travinh, Role.DATA_ENTRY)


# -- CLI -----------------------------------------------------------------------------------------------
CHILD = r"""
import resource, subprocess, sys
run = subprocess.run([sys.executable, "-m", "baocao.cli", *sys.argv[1:]], capture_output=True, text=True)
sys.stdout.write(run.stdout + run.stderr)
print(f"\nRC={run.returncode} PEAK_MB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}")
"""


def _cli(*args: str, tmp: Path) -> tuple[str, int, int]:
    env = {**os.environ, "BAOCAO_VAR_DIR": str(tmp), "BAOCAO_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, env=env,
                         cwd=PROJECT, timeout=300, check=True).stdout  # fmt: skip
    tail = out.rsplit("RC=", 1)[1].split()
    return out, int(tail[0]), int(tail[1].split("=")[1])


@pytest.mark.parametrize("key", ["docx", "lying", "crc_docx"])
def test_cli_extract_refuses_the_bomb_with_bounded_memory(hostile, tmp_path, key):  # type: ignore[no-untyped-def]
    out, rc, peak = _cli("extract", str(hostile[key]), tmp=tmp_path)
    assert rc != 0
    assert hostile[key].name in out and ("giải nén" in out or "CRC" in out), out
    assert "Traceback" not in out
    # Python, Django and the extraction engine take ~100 MB; the 300 MB document is never built.
    assert peak < 250, f"peak RSS {peak} MB"


def test_cli_import_refuses_an_xlsx_bomb(hostile, system_actor, peak_rss):  # type: ignore[no-untyped-def]
    def refused(bulk: bool) -> str:
        with pytest.raises(CommandError) as caught:
            call_command("import_values", str(hostile["xlsx"]), bulk=bulk, unit="P63-84")
        return str(caught.value)

    for bulk in (False, True):
        _, grown = peak_rss(lambda bulk=bulk: refused(bulk))
        assert grown < BOUND_MB
    with pytest.raises(CommandError):
        call_command("import_values", str(hostile["crc_xlsx"]), unit="P63-84")
    assert not DataValue.objects.exists()


# -- web -----------------------------------------------------------------------------------------------
def test_web_entry_upload_refuses_an_xlsx_bomb(entry, travinh, hostile, peak_rss):  # type: ignore[no-untyped-def]
    client = client_for(entry)
    url = f"/nhap-lieu/{travinh.code}/2022/tai-len/"
    response, grown = peak_rss(lambda: client.post(url, {"file": _upload(hostile["xlsx"])}))
    page = response.content.decode()
    assert response.status_code == 400 and "vượt giới hạn" in page and "so-lieu-bom.xlsx" in page
    assert grown < BOUND_MB, grown
    response = client.post(url, {"file": _upload(hostile["crc_xlsx"])})
    assert response.status_code == 400 and "CRC" in response.content.decode()


def test_web_report_upload_refuses_a_docx_bomb(entry, hostile, peak_rss):  # type: ignore[no-untyped-def]
    client = client_for(entry)
    for key in ("docx", "lying", "crc_docx"):
        response, grown = peak_rss(
            lambda key=key: client.post("/doc-bao-cao/", {"file": _upload(hostile[key])}, follow=True)
        )
        page = response.content.decode()
        assert response.status_code == 200 and hostile[key].name in page, key
        assert "giải nén" in page or "CRC" in page, page[-2000:]
        assert grown < BOUND_MB, (key, grown)
    assert not SourceDocument.objects.exists()


def test_web_zip_of_reports_refuses_a_member_bomb(entry, hostile, peak_rss, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"
    client = client_for(entry)
    response, grown = peak_rss(lambda: client.post("/tac-vu/trich-xuat/", {"file": _upload(hostile["zip"])}))
    page = response.content.decode()
    assert response.status_code == 400 and "bao-cao-2.txt" in page and "giải nén" in page
    assert grown < BOUND_MB, grown
    response = client.post("/tac-vu/trich-xuat/", {"file": _upload(hostile["crc_zip"])})
    assert response.status_code == 400 and "CRC" in response.content.decode()
    # nothing was left unpacked
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    assert not uploads.exists() or not any(p.is_file() for p in uploads.rglob("*"))


def test_web_background_import_refuses_an_xlsx_bomb(entry, hostile, peak_rss, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"
    client = client_for(entry)
    response, grown = peak_rss(lambda: client.post("/tac-vu/nhap-tep/", {"file": _upload(hostile["xlsx"])}))
    assert response.status_code == 400 and "vượt giới hạn" in response.content.decode()
    assert grown < BOUND_MB, grown


# -- API -----------------------------------------------------------------------------------------------
def test_api_import_refuses_bombs_with_a_clear_422(entry, hostile, system_actor, peak_rss, settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"
    token = issue_token(system_actor, entry, "test").secret
    client = client_for(entry)
    for key, words in (("xlsx", "vượt giới hạn"), ("crc_xlsx", "CRC")):
        response, grown = peak_rss(lambda key=key: client.post(
            "/api/v1/values/import", {"file": _upload(hostile[key])}, headers={"Authorization": f"Bearer {token}"}
        ))  # fmt: skip
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["field"] == "file" and words in body["message"] and hostile[key].name in body["message"]
        assert grown < BOUND_MB, grown
