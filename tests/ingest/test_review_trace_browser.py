"""In a real browser: a reviewer opens "Vì sao đọc như vậy" under a fact's evidence and reads
the lexicon entry and the rule that decided it (Playwright + the system's headless Chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop here

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="system Chromium not found at /usr/bin/chromium"),
]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "Mat-khau-thu-2026"
REPORT_2022 = "001_8b884f9475b6c3fa.txt"


@pytest.fixture(scope="module", autouse=True)
def _reseed_afterwards(django_db_blocker: Any) -> Iterator[None]:
    """live_server's transactional test empties the database: put the session's units and
    catalog back for the tests that run after this module."""
    yield
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.seed import seed_administrative_units

    with django_db_blocker.unblock():
        actor = system_user()
        seed_administrative_units(actor)
        load_catalog(actor)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_the_reviewer_opens_the_trace_of_a_fact(browser, live_server, corpus_dir, settings) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.models import Role
    from baocao.access.services import create_user, grant_role
    from baocao.access.system import system_user
    from baocao.ingest.services import ingest_report
    from baocao.orgunits.lookup import find_unit

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    actor = system_user()
    travinh = find_unit("Trà Vinh", on=date(2022, 12, 31), level="province")
    document = ingest_report(actor, "bc-2022.txt", (corpus_dir / REPORT_2022).read_bytes(), unit=travinh)
    fact = document.facts.get(indicator="cntt.qlvb.ty_le_ky_so", period="2021")
    user = create_user(actor, username="duyet", password=PASSWORD, full_name="Người duyệt")
    grant_role(actor, user, travinh, Role.DATA_ENTRY)

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "duyet")
    page.fill("#id_password", PASSWORD)
    page.click("button.btn-red")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/doc-bao-cao/{document.pk}/")
    page.wait_for_load_state("networkidle")
    row = page.locator(f"#fact-{fact.pk}")
    rule = row.locator("details.why code", has_text="period.comparison.before_group")
    assert row.locator("a.evidence").is_visible()
    assert not rule.is_visible()  # folded until asked for
    row.locator("details.why summary", has_text="Vì sao đọc như vậy").click()
    rule.wait_for(state="visible")
    assert row.locator("details.why li", has_text="Chỉ tiêu: cntt.qlvb.ty_le_ky_so").is_visible()
    context.close()  # no request left open on the live server when its database is torn down
