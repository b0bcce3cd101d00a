"""Background jobs in the browser: a big import and a batch extraction started from the page,
progress polled as JSON, failures shown with their reason, retry, the result downloaded, and
nobody else's jobs visible."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from web_helpers import client_for

from baocao.datavalues.models import DataValue
from baocao.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sync_jobs(settings):  # type: ignore[no-untyped-def]
    settings.BAOCAO_JOBS_BACKEND = "sync"


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_a_big_csv_is_imported_in_the_background_and_followed(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    rows = "".join(f"cntt.qlvb.vb_di,{people.province.code},2022Q{q},{q * 1000}\n" for q in range(1, 5))
    response = client.post(reverse("web:jobs-import"), {
        "file": _csv("so-lieu-2022.csv", "indicator,unit,period,value\n" + rows), "reason": "số liệu HTQLVB",
    })  # fmt: skip
    job = Job.objects.get(kind="bulk_import")
    assert response.status_code == 302 and response["Location"] == reverse("web:job", args=[job.pk])
    assert job.state == JobState.DONE, job.error
    assert DataValue.objects.filter(unit=people.province, indicator__code="cntt.qlvb.vb_di",
                                    period__startswith="2022Q").count() == 4  # fmt: skip
    status = client.get(reverse("web:job-status", args=[job.pk])).json()
    assert status["state"] == "done" and status["progress"]["percent"] == 100 and status["result"]["created"] == 4
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert "Hoàn thành" in page and "so-lieu-2022.csv" in page
    assert f"#{job.pk}" in client.get(reverse("web:jobs")).content.decode()


def test_a_bad_row_fails_the_job_whole_with_its_line_and_it_can_be_retried(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    text = (f"indicator,unit,period,value\ncntt.qlvb.vb_di,{people.province.code},2022,100\n"
            f"cntt.qlvb.vb_di,{people.province.code},2022Q1,nhiều\n")  # fmt: skip
    client.post(reverse("web:jobs-import"), {"file": _csv("sai.csv", text)})
    job = Job.objects.get(kind="bulk_import")
    assert job.state == JobState.FAILED
    assert "dòng 3" in job.error and "value" in job.error
    assert not DataValue.objects.filter(unit=people.province, indicator__code="cntt.qlvb.vb_di").exists()
    page = client.get(reverse("web:job", args=[job.pk])).content.decode()
    assert "dòng 3" in page and "Chạy lại" in page
    assert "Traceback" not in page  # technical details are for administrators
    response = client.post(reverse("web:job-retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get(kind="bulk_import")
    assert response["Location"] == reverse("web:job", args=[again.pk]) and again.retry_of_id == job.pk


def test_files_that_are_not_what_they_claim_are_refused_before_any_job(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    binary = SimpleUploadedFile("so-lieu.csv", b"MZ\x90\x00\x03\x00\x00\x00", content_type="text/csv")
    response = client.post(reverse("web:jobs-import"), {"file": binary})
    assert response.status_code == 400 and "nhị phân" in response.content.decode()
    fake_xlsx = SimpleUploadedFile("so-lieu.xlsx", b"not a zip at all")
    response = client.post(reverse("web:jobs-import"), {"file": fake_xlsx})
    assert response.status_code == 400 and "không phải gói ZIP" in response.content.decode()
    exe = SimpleUploadedFile("chay.exe", b"MZ")
    assert client.post(reverse("web:jobs-import"), {"file": exe}).status_code == 400
    assert not Job.objects.exists()


def test_a_zip_of_reports_is_extracted_and_the_json_downloaded(people, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.viewer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(corpus_dir / "000_01a7275aee5bd713.txt", "2020/quy1.txt")
        archive.writestr("../../etc/ghi-de.txt", "Báo cáo năm 2022 của Sở Thông tin và Truyền thông tỉnh Trà Vinh")
        archive.writestr("anh.png", b"\x89PNG")
    upload = SimpleUploadedFile("bao-cao.zip", buffer.getvalue(), content_type="application/zip")
    response = client.post(reverse("web:jobs-extract"), {"file": upload})
    job = Job.objects.get(kind="extract_folder")
    assert response.status_code == 302 and job.state == JobState.DONE, job.error
    assert job.result["files"] == 2 and job.result["facts"] > 50
    folder = Path(job.params["folder"])
    assert sorted(p.name for p in folder.iterdir()) == ["ghi-de.txt", "quy1.txt"]  # no path from the archive
    download = client.get(reverse("web:job-file", args=[job.pk]))
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    assert sorted(names) == ["ghi-de.json", "quy1.json"]


def test_nobody_follows_someone_elses_job(people) -> None:  # type: ignore[no-untyped-def]
    client_for(people.entry).post(reverse("web:jobs-import"), {
        "file": _csv("a.csv", f"indicator,unit,period,value\ncntt.qlvb.vb_di,{people.province.code},2022,1\n"),
    })  # fmt: skip
    job = Job.objects.get()
    other = client_for(people.entry_a)
    for name in ("web:job", "web:job-status", "web:job-file"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("web:job-retry", args=[job.pk])).status_code == 404
    assert f"#{job.pk}" not in other.get(reverse("web:jobs")).content.decode()
    assert client_for(people.superuser).get(reverse("web:job", args=[job.pk])).status_code == 200


def test_a_district_user_cannot_import_into_the_province(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people.entry_a)
    client.post(reverse("web:jobs-import"), {
        "file": _csv("tinh.csv", f"indicator,unit,period,value\ncntt.qlvb.vb_di,{people.province.code},2022,5\n"),
    })  # fmt: skip
    job = Job.objects.get()
    assert job.state == JobState.FAILED and people.province.name in job.error
    assert not DataValue.objects.filter(unit=people.province).exists()
