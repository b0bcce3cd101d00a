"""Sending, withdrawing, returning and approving a period's data in a real browser, with the
notifications each step leaves, and downloading the version to sign (Playwright + the
system's headless Chromium; the `world` fixture of tests/web/conftest.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from browser_helpers import BROWSER_TEST, sign_in

pytestmark = BROWSER_TEST
# Screenshots for people to look at (never in the repository): BAOCAO_SCREENS=/some/folder.
SCREENS = os.environ.get("BAOCAO_SCREENS", "")


def shot(page: Any, name: str) -> None:
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENS) / f"{name}.png"), full_page=True)


def state(page: Any) -> str:
    return str(page.locator("[data-state]").first.get_attribute("data-state"))


def _figures_with_an_error(world: dict[str, Any]) -> None:
    """Certificates in use 10 = 3 for organisations + 4 for people: a sum that cannot hold."""
    from baocao.core.periods import Period
    from baocao.datavalues.services import ValueInput, save_values

    p, y = world["province"], Period.from_code("2022")
    save_values(world["actor"], [ValueInput("cntt.cts.tong", p, y, 10), ValueInput("cntt.cts.to_chuc", p, y, 3),
                                 ValueInput("cntt.cts.ca_nhan", p, y, 4), ValueInput("cntt.qlvb.vb_di", p, y, 1599)])


def _send(page: Any, live_server: Any, reason: str = "") -> None:
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    page.click('[data-action="submit"]')
    page.wait_for_url("**/2022/gui/")
    if reason:
        page.fill("#id_reason", reason)
    page.check("#id_confirmed")
    page.click('[data-action="confirm-submit"]')
    page.wait_for_load_state()


def test_send_with_an_error_withdraw_return_approve_and_the_notifications(browser, live_server, world):  # type: ignore[no-untyped-def]
    _figures_with_an_error(world)
    clerk = sign_in(browser, live_server, "chuyenvien")
    clerk.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    clerk.click('[data-action="submit"]')
    clerk.wait_for_url("**/2022/gui/")
    summary = clerk.locator("#submit-summary").inner_text()
    assert "4/" in clerk.locator("[data-entered]").inner_text()
    assert clerk.locator("[data-errors]").inner_text() == "1" and "Lỗi" in summary
    assert "Chứng thư số đang hoạt động = cấp cho tổ chức + cấp cho cá nhân" in clerk.locator("body").inner_text()
    shot(clerk, "01-gui-bao-cao-xem-lai")
    # Blocked: an open error and no reason.
    clerk.check("#id_confirmed")
    clerk.click('[data-action="confirm-submit"]')
    clerk.wait_for_url("**/2022/gui/")
    assert "ghi lý do" in clerk.locator(".messages").inner_text()
    shot(clerk, "02-gui-bi-chan")
    # With a reason it goes.
    clerk.fill("#id_reason", "Số chứng thư số đang đối chiếu với VNPT")
    clerk.check("#id_confirmed")
    clerk.click('[data-action="confirm-submit"]')
    clerk.wait_for_load_state()
    assert state(clerk) == "submitted"
    # Withdrawn before anyone approved it, then sent again.
    clerk.click('button[data-action="withdraw"]')
    clerk.wait_for_load_state()
    assert state(clerk) == "draft" and "rút lại" in clerk.locator(".messages").inner_text()
    _send(clerk, live_server, "Số chứng thư số đang đối chiếu với VNPT")
    assert state(clerk) == "submitted"

    approver = sign_in(browser, live_server, "lanhdao")
    assert approver.locator("[data-unread]").inner_text() == "3"  # sent, withdrawn, sent again
    first = approver.locator("[data-todo-item]").first
    assert first.get_attribute("data-todo-item") == "submitted" and "Trà Vinh" in first.inner_text()
    shot(approver, "03-trang-chu-nguoi-duyet")
    approver.click("#bell")
    approver.wait_for_url("**/thong-bao/")
    assert "chờ phê duyệt" in approver.locator("body").inner_text()
    shot(approver, "04-thong-bao")
    approver.locator("[data-notification] button").first.click()
    approver.wait_for_url("**/nhap-lieu/P63-84/2022/")
    assert "đang đối chiếu với VNPT" in approver.locator("[data-submit-note]").inner_text()
    shot(approver, "05-nguoi-duyet-doc-ly-do")
    approver.fill('form:has(button[data-action="return"]) input[name="reason"]', "Đề nghị đối chiếu xong rồi gửi lại")
    approver.click('button[data-action="return"]')
    approver.wait_for_load_state()
    assert state(approver) == "draft"

    clerk.goto(f"{live_server.url}/")
    assert clerk.locator("[data-unread]").inner_text() == "1"
    clerk.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    assert "Đề nghị đối chiếu xong rồi gửi lại" in clerk.locator("[data-return-comment]").inner_text()
    shot(clerk, "06-bi-tra-lai")
    _send(clerk, live_server, "Đã đối chiếu: VNPT chưa tách số liệu cá nhân")

    approver.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    approver.click('button[data-action="approve"]')
    approver.wait_for_load_state()
    assert state(approver) == "approved"
    clerk.goto(f"{live_server.url}/thong-bao/")
    assert "đã được phê duyệt" in clerk.locator("body").inner_text()
    shot(clerk, "07-thong-bao-da-duyet")
    clerk.context.close()
    approver.context.close()


def test_download_the_signing_version_and_find_no_placeholder(browser, live_server, world):  # type: ignore[no-untyped-def]
    import datetime

    import docx

    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit

    # The seeded department is there unless an earlier live-server test flushed the database.
    if not OrgUnit.objects.filter(code="P63-84-STTTT").exists():
        create_unit(world["actor"], code="P63-84-STTTT", name="Sở Thông tin và Truyền thông", level="department",
                    parent=world["province"], valid_to=datetime.date(2025, 3, 1),
                    attributes={"governing_body": "UBND TỈNH TRÀ VINH", "agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                                "symbol": "STTTT", "place": "Trà Vinh", "reporting": True})
    _figures_with_an_error(world)
    clerk = sign_in(browser, live_server, "chuyenvien")
    clerk.goto(f"{live_server.url}/bao-cao/?don_vi=P63-84&ky=2022")
    assert clerk.locator("[data-signing-blocked]").count() == 1  # placeholders left: the page says so
    assert clerk.locator("#signing-docx").count() == 0
    shot(clerk, "08-bao-cao-ban-ky-chua-lap")
    clerk.fill("#id_signer_name", "Nguyễn Văn Chuẩn")
    clerk.select_option("#id_missing_figures", "omit")
    clerk.click("#report-settings button[type=submit]")
    clerk.wait_for_load_state()
    shot(clerk, "09-bao-cao-ban-ky-san-sang")
    with clerk.expect_download() as info:
        clerk.click("#signing-docx")
    download = info.value
    assert download.suggested_filename == "bao-cao-P63-84-nam-2022-ban-ky.docx"
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "[" not in text and "SỐ LIỆU CÒN THIẾU" not in text
    assert "Nguyễn Văn Chuẩn" in text and "Nơi nhận:" in text
    # The draft keeps its review list.
    with clerk.expect_download() as info:
        clerk.click("text=Tải bản dự thảo DOCX")
    draft = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "SỐ LIỆU CÒN THIẾU, CHƯA KHỚP CẦN XEM LẠI" in [p.text for p in draft.paragraphs]
    clerk.context.close()
