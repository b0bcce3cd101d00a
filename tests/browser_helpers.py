"""What every real-browser test shares (Playwright + the system's headless Chromium).

A browser test module sets `pytestmark = BROWSER_TEST` and asks for the `browser` and
`live_server` fixtures (`browser` and the reseeding live in tests/conftest.py). live_server runs
on a transactional database that is emptied after each test, so each test seeds the few things
it needs through the services: `travinh_units` and `account` below.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
PASSWORD = "Mat-khau-thu-2026"

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"system Chromium not found at {CHROMIUM}"),
    pytest.mark.usefixtures("reseed_after_module", "fast_password_hashing"),
]


def new_page(browser: Any, *, timeout_ms: int = 15000, init_script: str = "") -> Any:
    """A page in a fresh Vietnamese-locale context; `init_script` runs in every document it loads."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return page


def log_in(page: Any, live_server: Any, username: str) -> Any:
    """Sign in through the login form on `page`, and wait for the home page."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.btn-red")
    page.wait_for_url(f"{live_server.url}/")
    return page


def sign_in(browser: Any, live_server: Any, username: str, *, timeout_ms: int = 15000) -> Any:
    """A new page signed in as `username` (created with PASSWORD), on the home page."""
    return log_in(new_page(browser, timeout_ms=timeout_ms), live_server, username)


def wait_until(page: Any, expression: str, seconds: float = 15) -> None:
    """Poll a condition from here: the page's Content-Security-Policy forbids the eval that
    Playwright's wait_for_function polls with inside the page."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true after {seconds}s: {expression}"
        time.sleep(0.1)


def unit(actor: Any, code: str, **fields: Any) -> Any:
    """The unit with `code`, created if the database does not have it.

    The first transactional test of a session still finds the session's seeded units (the
    flush comes after it), so existing units are reused rather than created twice.
    """
    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit

    return OrgUnit.objects.filter(code=code).first() or create_unit(actor, code=code, **fields)


def travinh_units(actor: Any) -> tuple[Any, Any]:
    """Việt Nam and Trà Vinh (the province as it was before the 2025 merger)."""
    country = unit(actor, "VN", name="Việt Nam", level="country")
    province = unit(actor, "P63-84", name="Trà Vinh", full_name="Tỉnh Trà Vinh", level="province", parent=country)
    return country, province


def account(actor: Any, username: str, org_unit: Any, role: Any, full_name: str = "") -> Any:
    """A person who signs in with PASSWORD and holds `role` on `org_unit`."""
    from baocao.access.services import create_user, grant_role

    user = create_user(actor, username=username, password=PASSWORD, full_name=full_name or username)
    grant_role(actor, user, org_unit, role)
    return user
