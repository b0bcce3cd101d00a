"""Issue 13 in a real browser (Playwright + the system's headless Chromium): each demo role reads
names, never catalog codes, on the main pages; a clerk inserts a figure into the narrative with
the picker and saves the section once; a document of the register is edited; a viewer is not
offered the import form; the ministry sorts its national overview and downloads it as Excel.

The accounts, units and catalog come from the `world` fixture of tests/web/conftest.py
(live_server runs on a transactional database emptied after each test).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import BROWSER_TEST, sign_in

pytestmark = BROWSER_TEST
CODE = re.compile(r"\b(cntt|vt|bc|vb|tt|xb|attt|bcdt|ttcs|th)\.[a-z_.]+")
KEYS = re.compile(r"(?<![\w-])(task\.create|chua_thuc_hien|due_period|he-thong|None)(?![\w-])")
ROOM_MS = 60000  # room for a loaded machine: the country's pages read every province


def _seed(world: dict[str, Any]) -> None:
    from baocao.core.periods import Period
    from baocao.datavalues.services import set_value
    from baocao.registers import services as registers

    actor, unit, year = world["actor"], world["province"], Period.of_year(2022)
    set_value(actor, indicator="cntt.qlvb.vb_di", unit=unit, period=year, value=1599)
    set_value(actor, indicator="cntt.qlvb.vb_ky_so", unit=unit, period=year, value=1800)  # fails a rule
    registers.create_document(actor, unit, registers.DocumentInput(
        number="16/KH-UBND", kind="Kế hoạch", issued_on=date(2022, 2, 24), summary="Chuyển đổi số", origin="tham_muu"))
    registers.create_document(actor, unit, registers.DocumentInput(number="20/KH-STTTT", period=year))
    registers.create_entry(actor, unit, year, registers.EntryInput(
        "cntt", "Văn bản đi đạt {cntt.qlvb.vb_di} văn bản theo [16/KH-UBND]."))
    registers.create_task(actor, unit, registers.TaskInput(
        content="Nâng {cntt.qlvb.ty_le_ky_so} lên 90%", due_period="2023", set_in_period=year))


def _scan(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    text = page.locator("body").inner_text()
    code, key = CODE.search(text), KEYS.search(text)
    assert code is None, f"{url}: code {code.group(0) if code else ''} visible"
    assert key is None, f"{url}: key {key.group(0) if key else ''} visible"


MAIN_PAGES = ["/", "/nhap-lieu/", "/nhap-lieu/P63-84/2022/", "/nhap-lieu/P63-84/2022/cntt/",
              "/nhap-lieu/P63-84/2022/noi-dung/", "/nhat-ky/", "/bieu-do/chi-so-chinh/?don_vi=P63-84&ky=2022",
              "/bieu-do/xu-huong/?don_vi=P63-84&chi_tieu=cntt.qlvb.ty_le_ky_so&tu=2021&den=2022",
              "/bieu-do/so-sanh/?don_vi=P63-84&ky=2022", "/bao-cao/?don_vi=P63-84&ky=2022", "/tac-vu/",
              "/huong-dan/"]


@pytest.mark.parametrize("username", ["chuyenvien", "lanhdao", "xem", "bo", "quantri.tinh"])
def test_no_code_on_the_main_pages(browser, live_server, world, username):  # type: ignore[no-untyped-def]
    _seed(world)
    page = sign_in(browser, live_server, username, timeout_ms=ROOM_MS)
    for url in MAIN_PAGES + (["/toan-quoc/?ky=2022"] if username == "bo" else []):
        _scan(page, live_server.url + url)
    assert page.locator("#help-link").count() == 1
    page.context.close()


def test_a_figure_is_inserted_with_the_picker_and_the_section_saved_once(browser, live_server, world):  # type: ignore[no-untyped-def]
    from baocao.registers.models import NarrativeEntry

    _seed(world)
    page = sign_in(browser, live_server, "chuyenvien", timeout_ms=ROOM_MS)
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/noi-dung/")
    section = page.locator("#muc-cntt")
    chip = section.locator(".chip").first
    assert "Văn bản điện tử đi (phát hành) trên hệ thống: 1.599 văn bản" in chip.inner_text()
    assert section.locator("textarea").first.is_hidden()  # the syntax stays underneath
    section.locator(".para-add").click()
    rich = section.locator(".para .rich").last
    rich.click()
    page.keyboard.type("Đã ký số ")
    section.locator(".pick-open").click()
    section.locator(".picker-query").fill("văn bản được ký số")
    result = section.locator(".picker-results button", has_text="Văn bản được ký số").first
    result.wait_for()
    assert "1.800" in result.inner_text()
    result.click()
    page.keyboard.type("văn bản.")
    assert "Văn bản được ký số: 1.800" in rich.inner_text()
    section.locator(".section-save").click()
    page.wait_for_load_state()
    assert "Đã lưu" in page.locator(".messages").inner_text()
    texts = list(NarrativeEntry.objects.filter(section="cntt").order_by("order").values_list("text", flat=True))
    assert texts[0] == "Văn bản đi đạt {cntt.qlvb.vb_di} văn bản theo [16/KH-UBND]."
    assert texts[1] == "Đã ký số {cntt.qlvb.vb_ky_so} văn bản."
    assert "Văn bản được ký số: 1.800" in page.locator("#muc-cntt").inner_text()
    page.context.close()


def test_a_document_is_edited(browser, live_server, world):  # type: ignore[no-untyped-def]
    from baocao.audit.models import AuditEvent
    from baocao.registers.models import Document

    _seed(world)
    doc = Document.objects.get(number="20/KH-STTTT")
    page = sign_in(browser, live_server, "chuyenvien", timeout_ms=ROOM_MS)
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/noi-dung/")
    row = page.locator(f'tr[data-doc="{doc.pk}"]')
    assert "None" not in row.inner_text() and "—" in row.inner_text()
    row.locator(".doc-edit").click()
    page.wait_for_load_state()
    assert "Sửa văn bản số 20/KH-STTTT" in page.locator("#doc-form").inner_text()
    page.fill("#doc-form #id_kind", "Kế hoạch")
    page.fill("#doc-form #id_summary", "Ứng dụng công nghệ thông tin năm 2022")
    page.fill("#doc-form #doc-reason", "bổ sung")
    page.click('#doc-form button[value="doc.update"]')
    page.wait_for_load_state()
    doc.refresh_from_db()
    assert doc.kind == "Kế hoạch" and doc.summary == "Ứng dụng công nghệ thông tin năm 2022"
    assert AuditEvent.objects.filter(action="document.update", reason="bổ sung").exists()
    assert "Ứng dụng công nghệ thông tin năm 2022" in page.locator(f'tr[data-doc="{doc.pk}"]').inner_text()
    page.context.close()


def test_the_rate_is_a_computed_figure_named_in_words(browser, live_server, world):  # type: ignore[no-untyped-def]
    _seed(world)
    page = sign_in(browser, live_server, "chuyenvien", timeout_ms=ROOM_MS)
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/cntt/")
    row = page.locator("#row-cntt\\.qlvb\\.ty_le_ky_so")
    assert "Cách tính: 100 × Văn bản được ký số / Văn bản điện tử đi" in row.inner_text()
    assert row.locator("output.computed-figure").inner_text() == "112,57%"
    assert row.locator('input[data-code="cntt.qlvb.ty_le_ky_so"]').is_hidden()  # no empty box to fill
    page.locator('input[data-code="cntt.qlvb.vb_ky_so"]').fill("1.200")
    assert row.locator("output.computed-figure").inner_text() == "75,05%"
    page.context.close()


def test_viewer_jobs_and_the_ministrys_sortable_overview(browser, live_server, world):  # type: ignore[no-untyped-def]
    _seed(world)
    viewer = sign_in(browser, live_server, "xem", timeout_ms=ROOM_MS)
    viewer.goto(f"{live_server.url}/tac-vu/")
    assert viewer.locator("#bulk-import").count() == 0 and viewer.locator("#batch-extract").count() == 0
    viewer.context.close()
    bo = sign_in(browser, live_server, "bo", timeout_ms=ROOM_MS)
    bo.goto(f"{live_server.url}/toan-quoc/?ky=2022")
    table = bo.locator("#national-table")
    assert "Trà Vinh" in table.inner_text()
    header = table.locator("th", has_text="Đầy đủ")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert table.locator("tbody tr").first.locator("td").first.inner_text() == "Trà Vinh"
    with bo.expect_download() as download:
        bo.click("#national-xlsx")
    assert download.value.suggested_filename == "toan-quoc-2022.xlsx"
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    bo.context.close()
