"""Issue 13, "names, not machinery": what a clerk reads is the catalog's names and Vietnamese
words, never codes, formulas, rule ids, action or status keys; registers are edited, lists are
searched and paged, dashboards export to Excel, the ministry has a national overview.

Real database (the session's units and catalog), the web client; the browser tests of the same
behaviour are in test_web_names_browser.py.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from web_helpers import Y2022, client_for

from baocao.audit.models import AuditEvent
from baocao.core.periods import Period
from baocao.datavalues.services import set_value
from baocao.registers import services as registers
from baocao.registers.models import Document, NarrativeEntry, Task

pytestmark = pytest.mark.django_db

# A catalog code as a clerk must never see one.
CODE = re.compile(r"\b(cntt|vt|bc|vb|tt|xb|attt|bcdt|ttcs|th)\.[a-z_.]+")


def visible_text(html: str) -> str:
    """The page's text as read: no tags, attributes (tooltips keep codes for administrators), scripts."""
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<textarea\b.*?</textarea>", " ", html, flags=re.S)  # the no-script fallback
    return re.sub(r"<[^>]+>", " ", html)


def _seed(people, actor):  # type: ignore[no-untyped-def]
    unit = people.province
    set_value(actor, indicator="cntt.qlvb.vb_di", unit=unit, period=Y2022, value=1599)
    set_value(actor, indicator="cntt.qlvb.vb_ky_so", unit=unit, period=Y2022, value=1800)  # a failing rule
    registers.create_document(people.entry, unit, registers.DocumentInput(
        number="16/KH-UBND", kind="Kế hoạch", issued_on=date(2022, 2, 24), summary="Chuyển đổi số năm 2022",
        origin="tham_muu"))
    registers.create_document(people.entry, unit, registers.DocumentInput(number="20/KH-STTTT", period=Y2022))  # no kind, no date
    registers.create_entry(people.entry, unit, Y2022, registers.EntryInput(
        "cntt", "Văn bản đi trên hệ thống đạt {cntt.qlvb.vb_di} văn bản theo [16/KH-UBND]."))
    registers.create_task(people.entry, unit, registers.TaskInput(
        content="Nâng {cntt.qlvb.ty_le_ky_so} lên trên 90%", due_period="2023", set_in_period=Y2022))


def test_a_clerk_reads_no_code_on_the_main_pages(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.entry)
    unit = people.province.code
    pages = [
        f"/nhap-lieu/{unit}/2022/", f"/nhap-lieu/{unit}/2022/cntt/", f"/nhap-lieu/{unit}/2022/noi-dung/",
        "/nhat-ky/", f"/bieu-do/chi-so-chinh/?don_vi={unit}&ky=2022",
        f"/bieu-do/xu-huong/?don_vi={unit}&chi_tieu=cntt.qlvb.ty_le_ky_so&tu=2021&den=2022",
        f"/bieu-do/so-sanh/?don_vi={unit}&ky=2022", "/huong-dan/", "/tac-vu/", "/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert not CODE.search(text), f"{url}: {CODE.search(text).group(0)} visible"  # type: ignore[union-attr]
        for key in ("task.create", "chua_thuc_hien", "due_period", "he-thong", "None"):
            assert not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text), f"{url}: '{key}' visible"


def test_the_entry_form_names_the_formula_and_shows_the_rate_as_a_computed_figure(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    set_value(system_actor, indicator="cntt.qlvb.vb_ky_so", unit=people.province, period=Y2022, value=1200)
    html = client_for(people.entry).get(f"/nhap-lieu/{people.province.code}/2022/cntt/").content.decode()
    row = html[html.index('id="row-cntt.qlvb.ty_le_ky_so"'):]
    row = row[: row.index("</tr>")]
    assert "Cách tính: 100 × Văn bản được ký số / Văn bản điện tử đi (phát hành) trên hệ thống" in row
    assert re.search(r'<output class="computed-figure"[^>]*>75,05%</output>', row)
    assert "Ghi số khác đã công bố" in row and "<details" in row and " open" not in row.split("<details", 1)[1][:20]


def test_findings_speak_in_names(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    html = client_for(people.entry).get(f"/nhap-lieu/{people.province.code}/2022/cntt/").content.decode()
    findings = visible_text(html[html.index('id="findings"'):html.index('id="entry-form"')])
    assert "Văn bản ký số không vượt văn bản đi" in findings
    assert not CODE.search(findings) and "[" not in findings


def test_audit_in_words_and_searched_by_person_unit_indicator_and_dates(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.entry)
    html = client.get("/nhat-ky/").content.decode()
    text = visible_text(html)
    assert "Thêm nhiệm vụ" in text and "Chưa thực hiện" in text and "kỳ phải thực hiện" in text
    assert "năm 2023" in text and "Hệ thống" in text
    by_indicator = client.get("/nhat-ky/", {"chi_tieu": "văn bản được ký số"}).content.decode()
    assert by_indicator.count('data-action="value.') >= 1
    assert 'data-action="task.create"' not in by_indicator
    by_unit = client.get("/nhat-ky/", {"don_vi": "tra vinh"}).content.decode()
    assert 'data-action="task.create"' in by_unit
    nowhere = client.get("/nhat-ky/", {"don_vi": "Không Có Tỉnh Này"}).content.decode()
    assert "Không có đơn vị nào tên" in nowhere and 'data-action="' not in nowhere
    by_person = client.get("/nhat-ky/", {"nguoi_dung": "cv.tinh"}).content.decode()
    assert 'data-action="entry.create"' in by_person
    assert "Hệ thống" not in visible_text(by_person.split("<tbody>")[1].split("</tbody>")[0])
    by_system = client.get("/nhat-ky/", {"nguoi_dung": "hệ thống", "chi_tieu": "văn bản điện tử đi"}).content.decode()
    assert 'data-action="value.create"' in by_system
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    later = client.get("/nhat-ky/", {"tu_ngay": tomorrow}).content.decode()
    assert 'data-action="' not in later


def test_a_long_summary_is_cut_at_a_word(people):  # type: ignore[no-untyped-def]
    from baocao.audit.services import record

    words = "chuyển đổi số " * 40
    event = record(people.entry, "entry.create", "narrative", 1, unit=people.province, period="2022", summary=words)
    assert len(event.summary) <= 255 and event.summary.endswith("…")
    assert event.summary[:-1].split()[-1] in {"chuyển", "đổi", "số"}


def test_one_save_for_a_whole_section(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    url = reverse("web:entry-registers", kwargs={"unit": people.province.code, "period": "2022"})
    texts = ["Đoạn một {cntt.qlvb.vb_di}.", "", "Đoạn hai."]
    response = client.post(url, {"op": "section.save", "section": "cntt", "text": texts})
    assert response.status_code == 302
    assert list(NarrativeEntry.objects.filter(section="cntt").values_list("text", flat=True)) == [
        "Đoạn một {cntt.qlvb.vb_di}.", "Đoạn hai."]
    # One paragraph refused: nothing of the section changes, the texts stay on the page.
    bad = client.post(url, {"op": "section.save", "section": "cntt", "text": ["Đoạn mới.", "Số {khong.co.ma}."]})
    assert bad.status_code == 400
    assert "đoạn 2" in bad.content.decode() and "Số {khong.co.ma}.</textarea>" in bad.content.decode()
    assert NarrativeEntry.objects.filter(section="cntt").count() == 2
    client.post(url, {"op": "section.save", "section": "cntt", "text": ["Chỉ còn một đoạn."]})
    assert list(NarrativeEntry.objects.filter(section="cntt").values_list("text", flat=True)) == ["Chỉ còn một đoạn."]
    assert AuditEvent.objects.filter(action="entry.delete").count() == 1


def test_the_picker_finds_figures_by_name_and_documents_by_number(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.entry)
    url = reverse("web:entry-registers-search", kwargs={"unit": people.province.code, "period": "2022"})
    found = client.get(url, {"q": "van ban dien tu di"}).json()["results"]
    first = next(r for r in found if r["token"] == "{cntt.qlvb.vb_di}")
    assert first["value"] == "1.599 văn bản" and first["chip"].startswith("Văn bản điện tử đi")
    docs = client.get(url, {"q": "16/KH"}).json()["results"]
    assert [d["token"] for d in docs if d["kind"] == "doc"] == ["[16/KH-UBND]"]
    html = client.get(reverse("web:entry-registers", kwargs={"unit": people.province.code, "period": "2022"}))
    assert 'data-token="{cntt.qlvb.vb_di}"' in html.content.decode()
    assert "Văn bản điện tử đi (phát hành) trên hệ thống: 1.599 văn bản" in html.content.decode()


def test_documents_and_tasks_are_edited_through_the_services(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.entry)
    url = reverse("web:entry-registers", kwargs={"unit": people.province.code, "period": "2022"})
    doc = Document.objects.get(number="20/KH-STTTT")
    form = client.get(url, {"sua": f"van-ban-{doc.pk}"}).content.decode()
    assert "Sửa văn bản số 20/KH-STTTT" in form and 'value="doc.update"' in form
    response = client.post(url, {"op": "doc.update", "id": doc.pk, "number": "20/KH-STTTT", "kind": "Kế hoạch",
                                 "issued_on": "10/03/2022", "summary": "Ứng dụng CNTT", "field": "cntt",
                                 "origin": "trich_dan", "reason": "bổ sung trích yếu"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.summary == "Ứng dụng CNTT" and doc.issued_on == date(2022, 3, 10)
    assert AuditEvent.objects.filter(action="document.update", reason="bổ sung trích yếu").exists()
    task = Task.objects.get()
    response = client.post(url, {"op": "task.update", "id": task.pk, "content": "Nâng tỷ lệ ký số",
                                 "due_period": "quí I/2023", "owner_name": "Phòng CNTT", "field": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.content == "Nâng tỷ lệ ký số" and task.due_period == "2023Q1"
    assert AuditEvent.objects.filter(action="task.update").exists()


def test_dashboards_export_to_excel(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.viewer)
    unit = people.province.code
    response = client.get("/bieu-do/xu-huong/", {"don_vi": unit, "chi_tieu": "cntt.qlvb.vb_di", "tu": 2021,
                                                  "den": 2022, "dinh_dang": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Kỳ" and ("năm 2022", 1599.0) in [(r[0], r[1]) for r in rows[2:]]
    key = client.get("/bieu-do/chi-so-chinh/", {"don_vi": unit, "ky": "2022", "dinh_dang": "xlsx"})
    names = [r[0] for r in load_workbook(io.BytesIO(key.content)).active.iter_rows(min_row=3, values_only=True)]
    assert "Tỷ lệ văn bản đi được ký số" in names
    page = client.get("/bieu-do/so-sanh/", {"don_vi": unit, "ky": "2022"}).content.decode()
    assert "dinh_dang=xlsx" in page and "Tải Excel" in page
    assert isinstance(Workbook, type)


def test_the_ministry_opens_on_the_country_and_has_a_national_overview(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    client = client_for(people.ministry)
    key = client.get("/bieu-do/chi-so-chinh/", {"ky": "2022"}).content.decode()
    assert "Chỉ số chính — " in key and "Việt Nam" in key.split("<h1>", 1)[1][:80]
    # One province reported: the national figure says so.
    assert "chỉ từ số liệu của 1/63 tỉnh: Trà Vinh" in key
    html = client.get("/toan-quoc/", {"ky": "2022"}).content.decode()
    assert html.count("<tr>") - 1 == 63 and "Trà Vinh" in html and "sortable" in html
    book = load_workbook(io.BytesIO(client.get("/toan-quoc/", {"ky": "2022", "dinh_dang": "xlsx"}).content))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 63 and any(r[0] == "Trà Vinh" for r in rows)
    assert client_for(people.entry).get("/toan-quoc/").status_code == 403


def test_a_viewer_is_not_offered_the_import_form(people):  # type: ignore[no-untyped-def]
    html = client_for(people.viewer).get("/tac-vu/").content.decode()
    assert 'id="bulk-import"' not in html and "chỉ xem được các tác vụ" in html
    assert 'id="bulk-import"' in client_for(people.entry).get("/tac-vu/").content.decode()


def test_a_job_page_shows_messages_not_json_or_paths(people):  # type: ignore[no-untyped-def]
    from baocao.jobs.models import Job, JobState

    job = Job.objects.create(kind="bulk_import", created_by=people.entry, state=JobState.DONE,
                             params={"path": "/srv/baocao/var/uploads/abc.csv", "fmt": "csv", "name": "so_lieu.csv",
                                     "unit_id": people.province.pk},
                             result={"rows": 1200, "created": 1000, "updated": 200, "unchanged": 0},
                             message="1.200 dòng: 1.000 mới, 200 sửa")
    html = client_for(people.entry).get(f"/tac-vu/{job.pk}/").content.decode()
    text = visible_text(html)
    assert "/srv/baocao" not in html and "{" not in text
    assert "so_lieu.csv" in text and "Trà Vinh" in text and "1.200" in text and "Số liệu mới" in text


def test_an_upload_reports_every_kind_of_error_at_once(people, tmp_path):  # type: ignore[no-untyped-def]
    """The section's own Excel template, filled with three kinds of mistakes: a word for a number
    and an unknown qualifier (found while reading) and too many decimals (found when storing)."""
    client = client_for(people.entry)
    base = f"/nhap-lieu/{people.province.code}/2022/cntt/"
    book = load_workbook(io.BytesIO(client.get(base + "mau.xlsx").content))
    sheet = book["Nhập liệu"]
    rows = {sheet.cell(row=r, column=2).value: r for r in range(1, sheet.max_row + 1)}
    sheet.cell(row=rows["cntt.qlvb.vb_di"], column=7, value="mười hai")
    sheet.cell(row=rows["cntt.qlvb.vb_den"], column=7, value=12)
    sheet.cell(row=rows["cntt.qlvb.vb_den"], column=8, value="khá chắc")
    sheet.cell(row=rows["cntt.qlvb.vb_ky_so"], column=7, value=1.1234567)
    path = tmp_path / "bieu_mau.xlsx"
    book.save(path)
    with path.open("rb") as handle:
        response = client.post(base + "tai-len/", {"file": handle})
    assert response.status_code == 400
    errors = re.findall(r"<li>(.*?)</li>", response.content.decode().split('id="upload-errors"')[1])
    text = " | ".join(errors)
    assert len(errors) == 3, text
    assert "không phải là số" in text and "tính chất" in text and "chữ số thập phân" in text
    assert not re.search(r"trường [a-z]", text) and not CODE.search(text.replace("(", " "))


def test_periods_are_read_as_people_write_them_on_the_pick_page(people):  # type: ignore[no-untyped-def]
    response = client_for(people.entry).get("/nhap-lieu/", {"don_vi": people.province.code, "ky": "quí I/2023"})
    assert response.status_code == 302 and response.url.endswith("/2023Q1/")
    response = client_for(people.entry).get("/nhap-lieu/", {"don_vi": people.province.code, "ky": "9 tháng năm 2023"})
    assert response.url.endswith("/2023Q3/")


def test_the_admins_reports_page_opens_on_a_unit_that_can_report(people, system_actor):  # type: ignore[no-untyped-def]
    _seed(people, system_actor)
    html = client_for(people.superuser).get("/bao-cao/", {"ky": "2022"}).content.decode()
    assert "Không xác định được Sở" not in html
    assert "Trà Vinh" in html.split("<h1>", 1)[1][:120]
    empty = client_for(people.superuser).get("/bao-cao/", {"ky": "2019"}).content.decode()
    assert 'id="report-ask"' in empty and "Không lập được báo cáo" not in empty


def test_every_page_links_the_help_page(people):  # type: ignore[no-untyped-def]
    client = client_for(people.viewer)
    for url in ("/", "/nhat-ky/", "/huong-dan/"):
        assert 'href="/huong-dan/"' in client.get(url).content.decode()
    help_text = visible_text(client.get("/huong-dan/").content.decode())
    for topic in ("Nhập số liệu", "Gửi báo cáo", "Phê duyệt", "Lập và ký báo cáo", "Đọc báo cáo cũ"):
        assert topic in help_text
    assert Period.from_code("2022") == Y2022


def test_a_merged_provinces_past_is_summed_only_when_every_predecessor_reported(people, system_actor):  # type: ignore[no-untyped-def]
    from baocao.catalog.models import Indicator
    from baocao.orgunits.lookup import find_unit, predecessors
    from baocao.web import charts_data

    merged = find_unit("Vĩnh Long", on=date(2025, 12, 31), level="province")
    olds = [p for p in predecessors(merged, transitive=False) if p.valid_to is not None]
    assert people.province in olds and len(olds) == 3
    indicator = Indicator.objects.get(code="cntt.qlvb.vb_di")
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Y2022, value=1599)
    point = charts_data.trend(indicator, merged, [Y2022]).points[0]
    assert point.value is None
    missing = sorted(p.name for p in olds if p.pk != people.province.pk)
    assert point.resolved.note.endswith(", ".join(missing)) and "thiếu" in point.resolved.note
    for other in olds:
        if other.pk != people.province.pk:
            set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=other, period=Y2022, value=100)
    assert charts_data.trend(indicator, merged, [Y2022]).points[0].value == 1799
