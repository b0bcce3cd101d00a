"""A data source in a real browser (Playwright + the system's Chromium): the province's
administrator defines a source that pulls the document system's statistics from a URL,
tests the mapping on a sample before saving, runs it now, reads the run and sees the result
on the home page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sources_helpers import mapping

from baocao.sources import samples

CHROMIUM = Path("/usr/bin/chromium")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not found at /usr/bin/chromium"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "Mat-khau-thu-2026"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def _reseed_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """live_server's transactional tests empty the database; put the session's units and catalog back."""
    yield
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.seed import seed_administrative_units

    with django_db_blocker.unblock():
        actor = system_user()
        seed_administrative_units(actor)
        load_catalog(actor)


@pytest.fixture
def world(transactional_db: Any, settings: Any) -> dict[str, Any]:
    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    actor = system_user()
    load_catalog(actor)
    country = OrgUnit.objects.filter(code="VN").first() or create_unit(actor, code="VN", name="Việt Nam", level="country")
    province = OrgUnit.objects.filter(code="P63-84").first() or create_unit(
        actor, code="P63-84", name="Trà Vinh", full_name="Tỉnh Trà Vinh", level="province", parent=country)
    admin = create_user(actor, username="quantri.tinh", password=PASSWORD, full_name="Quản trị Trà Vinh")
    grant_role(actor, admin, province, Role.ADMIN)
    return {"province": province}


def test_define_test_run_a_source_and_see_it_on_the_home_page(browser, live_server, world, exports, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from baocao.datavalues.models import DataValue
    from baocao.sources.models import Source

    url = exports.serve("/api/thong-ke/van-ban", samples.documents_json())
    sample = tmp_path / "qlvb_quy_3.json"
    sample.write_bytes(samples.documents_json())

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "quantri.tinh")
    page.fill("#id_password", PASSWORD)
    page.click("button.btn-red")
    page.wait_for_url(f"{live_server.url}/")

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
    context.close()
