"""The Content-Security-Policy in a real browser: the main pages load with no violation and
their scripts still work (the live sum on the entry page, charts, the report reader's
evidence links, whose script moved out of the page into a static file)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def _reseed_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """Transactional tests empty the database: put back the session's units and catalog."""
    yield
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.seed import seed_administrative_units

    with django_db_blocker.unblock():
        actor = system_user()
        seed_administrative_units(actor)
        load_catalog(actor)


@pytest.fixture
def office(transactional_db: Any, corpus_dir: Path, settings: Any) -> dict[str, Any]:
    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.core.periods import Period
    from baocao.datavalues.services import set_value
    from baocao.ingest.services import ingest_report
    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    actor = system_user()
    load_catalog(actor)
    country = OrgUnit.objects.filter(code="VN").first() or create_unit(actor, code="VN", name="Việt Nam", level="country")
    province = OrgUnit.objects.filter(code="P63-84").first() or create_unit(
        actor, code="P63-84", name="Trà Vinh", full_name="Tỉnh Trà Vinh", level="province", parent=country)  # fmt: skip
    user = create_user(actor, username="quantri.csp", password=PASSWORD, full_name="Quản trị")
    grant_role(actor, user, province, Role.ADMIN)
    for year, value in ((2021, 1500), (2022, 1599)):
        set_value(actor, indicator="cntt.qlvb.vb_di", unit=province, period=Period.of_year(year), value=value)
    document = ingest_report(actor, "bc-2022.txt", (corpus_dir / "001_8b884f9475b6c3fa.txt").read_bytes(), unit=province)
    return {"document": document}


def wait_until(page: Any, expression: str, seconds: float = 15) -> None:
    """Poll from here: the policy forbids the eval that Playwright's wait_for_function uses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {seconds}s: {expression}"
        time.sleep(0.1)


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__csp"))


def test_the_main_pages_load_under_the_policy_and_their_scripts_work(browser, live_server, office) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)  # injected by the browser itself, not subject to the policy
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "quantri.csp")
    page.fill("#id_password", PASSWORD)
    page.click("button.btn-red")
    page.wait_for_url(f"{live_server.url}/")
    seen = {"/": _violations(page)}

    # Entry: the rate is recomputed by entry.js as the figures are typed.
    page.goto(f"{live_server.url}/nhap-lieu/P63-84/2022/cntt/")
    page.locator('input[data-code="cntt.qlvb.vb_di"]').fill("1.000")
    page.locator('input[data-code="cntt.qlvb.vb_ky_so"]').fill("751")
    assert page.locator('[data-computed="cntt.qlvb.ty_le_ky_so"]').inner_text() == "75,1%"  # a computed figure, not an input
    seen["entry"] = _violations(page)

    # Charts: Chart.js draws (from our static copy).
    page.goto(f"{live_server.url}/bieu-do/xu-huong/?don_vi=P63-84&chi_tieu=cntt.qlvb.vb_di&tu=2021&den=2022")
    wait_until(page, "document.querySelector('#trend-chart')._chart !== undefined")
    seen["trend"] = _violations(page)

    # The report reader: clicking a highlighted figure focuses its row (review.js).
    page.goto(f"{live_server.url}/doc-bao-cao/{office['document'].pk}/")
    mark = page.locator("#source-text mark").first
    fact = mark.get_attribute("data-fact")
    mark.click()
    page.wait_for_selector(f"#fact-{fact}.focus")
    seen["review"] = _violations(page)

    for path in ("/bao-cao/?don_vi=P63-84&ky=2022", "/tac-vu/", "/nhat-ky/", "/quan-tri/nguoi-dung/", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
    assert page.locator(".swagger-ui").count() == 1  # Swagger UI rendered from its static files
    assert {path: found for path, found in seen.items() if found} == {}
    assert errors == []
    context.close()
