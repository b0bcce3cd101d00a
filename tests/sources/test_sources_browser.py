"""A data source in a real browser (Playwright + the system's Chromium): the province's
administrator defines a source that pulls the document system's statistics from a URL,
tests the mapping on a sample before saving, runs it now, reads the run and sees the result
on the home page."""

from __future__ import annotations

from typing import Any

import pytest
from browser_helpers import BROWSER_TEST, account, sign_in, travinh_units
from sources_helpers import mapping

from baocao.sources import samples

pytestmark = BROWSER_TEST


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    from baocao.access.models import Role
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog

    actor = system_user()
    load_catalog(actor)
    _, province = travinh_units(actor)
    account(actor, "quantri.tinh", province, Role.ADMIN, full_name="Quản trị Trà Vinh")
    return {"province": province}


def test_define_test_run_a_source_and_see_it_on_the_home_page(browser, live_server, world, exports, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue
    from baocao.sources.models import Source

    url = exports.serve("/api/thong-ke/van-ban", samples.documents_json())
    sample = tmp_path / "qlvb_quy_3.json"
    sample.write_bytes(samples.documents_json())

    page = sign_in(browser, live_server, "quantri.tinh", timeout_ms=20000)

    page.click("nav.mainnav >> text=Nguồn dữ liệu")
    page.click("#new-source")
    page.fill("#id_name", "Quản lý văn bản Trà Vinh")
    page.select_option("#id_units", label="Tỉnh Trà Vinh")
    page.select_option("#id_arrival", "url")
    page.fill("#id_url", url)
    page.select_option("#id_every_minutes", "1440")
    page.fill("#id_mapping", mapping("qlvb_thong_ke.yaml"))
    page.set_input_files("#id_sample", str(sample))
    page.click("#test-mapping")
    page.wait_for_load_state()

    figures = page.locator("#preview-figures")
    row = figures.locator('tr[data-code="cntt.qlvb.vb_ky_so"]')
    assert "Văn bản được ký số" in row.inner_text() and "18.105" in row.inner_text()
    assert "$.tong_hop[2].so_luong" in row.inner_text() and "quý III/2024" in row.inner_text()
    assert "91,09" in figures.inner_text()
    assert "Hồ sơ công việc lập trên hệ thống" in page.locator("#preview-unmapped").inner_text()
    assert Source.objects.count() == 0  # tested, not saved

    page.click("#save-source")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Quản lý văn bản Trà Vinh"
    page.click("#run-now")
    page.wait_for_load_state()
    assert "Lần chạy #" in page.locator("h1").inner_text()
    assert page.locator("[data-run-state]").first.get_attribute("data-run-state") == "ok"
    changes = page.locator("#run-changes").inner_text()
    assert "Văn bản điện tử đi (phát hành) trên hệ thống" in changes and "19.876" in changes
    assert DataValue.objects.get(indicator__code="cntt.qlvb.vb_di", period="2024Q3").source == "feed"

    page.goto(f"{live_server.url}/")
    panel = page.locator("#sources-panel")
    assert "Quản lý văn bản Trà Vinh" in panel.inner_text() and "Thành công" in panel.inner_text()
    page.context.close()
