"""The web app in a real browser (Playwright + the system's headless Chromium).

People of each role sign in; a data-entry officer types a period's figures the Vietnamese
way, sees the derived rate update as she types and a validation finding that names the rule,
corrects it and submits; the approver approves; the figure appears on the dashboard. A
district officer cannot see another district's draft.

live_server runs on a transactional database that is emptied after each test, so every test
seeds the few things it needs (catalog, four org units, accounts: the `world` fixture of
tests/web/conftest.py) through the services.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_helpers import BROWSER_TEST, sign_in, wait_until

pytestmark = BROWSER_TEST


def box(page: Any, code: str) -> Any:
    return page.locator(f'input[data-code="{code}"]')


def test_enter_check_submit_approve_and_see_on_the_dashboard(browser, live_server, world):  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue

    page = sign_in(browser, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/cntt/")
    assert page.locator("h1").inner_text() == "Ứng dụng công nghệ thông tin, chuyển đổi số"
    box(page, "cntt.qlvb.vb_di").fill("1.599")
    box(page, "cntt.qlvb.vb_ky_so").fill("1.800")  # more signed than sent: a rule will catch it
    computed = page.locator('[data-computed="cntt.qlvb.ty_le_ky_so"]')
    assert computed.inner_text() == "112,57%"  # recomputed in the browser as the figures are typed
    box(page, "cntt.cts.tong").fill("2597")
    box(page, "cntt.cts.tong").blur()
    assert box(page, "cntt.cts.tong").input_value() == "2.597"  # grouped the Vietnamese way on leaving
    page.select_option('select[name="q:cntt.cts.tong"]', "approx")
    page.click("#save")
    page.wait_for_load_state()
    assert "Đã lưu" in page.locator(".messages").inner_text()
    findings = page.locator("#findings").inner_text()
    assert "Văn bản ký số không vượt văn bản đi" in findings
    inline = page.locator('#row-cntt\\.qlvb\\.vb_ky_so .finding-inline')
    assert "Văn bản ký số không vượt văn bản đi" in inline.first.inner_text()
    assert box(page, "cntt.qlvb.vb_di").input_value() == "1.599"

    # A typing slip is refused and what was typed stays in the box.
    box(page, "cntt.qlvb.vb_ky_so").fill("1.2OO")
    assert "invalid" in (box(page, "cntt.qlvb.vb_ky_so").get_attribute("class") or "")
    page.click("#save")
    page.wait_for_load_state()
    assert box(page, "cntt.qlvb.vb_ky_so").input_value() == "1.2OO"
    assert "không phải là số" in page.locator("#row-cntt\\.qlvb\\.vb_ky_so").inner_text()

    box(page, "cntt.qlvb.vb_ky_so").fill("1.200")
    assert computed.inner_text() == "75,05%"
    page.click("#save")
    page.wait_for_load_state()
    assert page.locator(".finding-inline").count() == 0
    assert DataValue.objects.get(indicator__code="cntt.qlvb.vb_ky_so", period="2022").value == 1200
    page.click('[data-action="submit"]')  # the review of what will be sent, then the confirmation
    page.check("#id_confirmed")
    page.click('[data-action="confirm-submit"]')
    page.wait_for_load_state()
    assert page.locator("[data-state]").first.get_attribute("data-state") == "submitted"
    page.context.close()

    approver = sign_in(browser, live_server, "lanhdao")
    assert "Chờ phê duyệt" in approver.locator("body").inner_text()
    approver.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/")
    approver.click('button[data-action="approve"]')
    approver.wait_for_load_state()
    assert approver.locator("[data-state]").first.get_attribute("data-state") == "approved"
    approver.context.close()

    viewer = sign_in(browser, live_server, "xem")
    viewer.goto(f"{live_server.url}/bieu-do/chi-so-chinh/?don_vi=P63-84&ky=2022")
    card = viewer.locator('.kpi[data-code="cntt.qlvb.ty_le_ky_so"]')
    assert "75,05%" in card.inner_text()
    viewer.goto(f"{live_server.url}/bieu-do/xu-huong/?don_vi=P63-84&chi_tieu=cntt.qlvb.ty_le_ky_so&tu=2021&den=2022")
    assert "75,05%" in viewer.locator("#numbers").inner_text()
    wait_until(viewer, "document.querySelector('#trend-chart')._chart !== undefined")
    with viewer.expect_download() as download:
        viewer.click('[data-png-for="trend-chart"]')
    assert download.value.suggested_filename == "xu-huong.png"
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    viewer.context.close()


def test_a_district_user_cannot_see_another_districts_draft(browser, live_server, world):  # type: ignore[no-untyped-def]
    from baocao.core.periods import Period
    from baocao.datavalues.services import set_value

    set_value(world["actor"], indicator="cntt.qlvb.vb_di", unit=world["b"], period=Period.of_year(2022), value=4321)
    page = sign_in(browser, live_server, "huyen.a")
    assert "Cầu Kè" not in page.locator("main").inner_text()
    response = page.goto(f"{live_server.url}/nhap-lieu/D63-845/2022/cntt/")
    assert response is not None and response.status == 403
    assert "Không có quyền truy cập" in page.locator("main").inner_text()
    assert "4.321" not in page.content()
    response = page.goto(f"{live_server.url}/bieu-do/xu-huong/?don_vi=D63-845&chi_tieu=cntt.qlvb.vb_di")
    assert response is not None and response.status == 403
    page.goto(f"{live_server.url}/nhat-ky/")
    assert "4.321" not in page.content()
    # Its own district is open to it.
    response = page.goto(f"{live_server.url}/nhap-lieu/D63-844/2022/cntt/")
    assert response is not None and response.status == 200 and page.locator("#save").count() == 1
    page.context.close()
    # The province viewer does see the district's draft.
    viewer = sign_in(browser, live_server, "xem")
    viewer.goto(f"{live_server.url}/nhap-lieu/D63-845/2022/cntt/")
    assert box(viewer, "cntt.qlvb.vb_di").input_value() == "4.321"
    assert box(viewer, "cntt.qlvb.vb_di").is_disabled() and viewer.locator("#save").count() == 0
    viewer.context.close()


ROLE_MENUS = [
    ("chuyenvien", ["Nhập liệu"], ["Phân quyền"]),
    ("lanhdao", ["Nhập liệu"], ["Phân quyền"]),
    ("xem", ["Chỉ số chính"], ["Phân quyền"]),
    ("bo", ["So sánh đơn vị"], ["Phân quyền"]),
    ("quantri.tinh", ["Phân quyền"], []),
]


def test_each_role_signs_in_gets_its_menu_and_signs_out(browser, live_server, world):  # type: ignore[no-untyped-def]
    for username, sees, hidden in ROLE_MENUS:
        page = sign_in(browser, live_server, username)
        nav = page.locator("nav.mainnav").inner_text()
        assert all(item in nav for item in sees), username
        assert not any(item in nav for item in hidden), username
        assert "Tổng quan" in page.locator("h1").inner_text()
        if username == "quantri.tinh":
            page.click("text=Phân quyền")
            assert "Người dùng và phân quyền" in page.locator("h1").inner_text()
        page.click("text=Đăng xuất")
        page.wait_for_url(re.compile(r".*/dang-nhap/.*"))
        page.context.close()


def test_viewer_and_ministry_read_but_cannot_change(browser, live_server, world):  # type: ignore[no-untyped-def]
    for username in ("xem", "bo"):
        page = sign_in(browser, live_server, username)
        page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/cntt/")
        assert box(page, "cntt.qlvb.vb_di").is_disabled()
        assert page.locator("#save").count() == 0 and page.locator("[data-action]").count() == 0
        page.context.close()


def test_a_background_import_shows_its_progress_until_done(browser, live_server, world, settings, tmp_path):  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue
    from baocao.jobs import services

    settings.BAOCAO_JOBS_BACKEND = "database"  # the job waits until this test runs the worker
    csv_path = tmp_path / "so-lieu-lon.csv"
    csv_path.write_text("indicator,unit,period,value\n" + "".join(
        f"cntt.qlvb.vb_di,P63-84,2022Q{q},{q * 100}\n" for q in range(1, 5)), encoding="utf-8")  # fmt: skip
    page = sign_in(browser, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/tac-vu/")
    page.set_input_files("#bulk-import input[type=file]", str(csv_path))
    page.click("#bulk-import button[type=submit]")
    page.wait_for_url(re.compile(r"/tac-vu/\d+/$"))
    assert page.locator('[data-role="state"]').inner_text() == "Đang chờ"
    assert services.run_queued() == 1
    # the page polls the job's status and reloads itself when the job has ended
    page.locator('[data-role="state"]', has_text="Hoàn thành").wait_for()
    page.wait_for_load_state()
    assert "4 dòng: 4 giá trị mới" in page.locator("#job-status").inner_text()
    assert DataValue.objects.filter(indicator__code="cntt.qlvb.vb_di", period__startswith="2022Q").count() == 4
    page.context.close()
